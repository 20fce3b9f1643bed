"""No broken link anywhere in the built sample site: pages, images, srcset, feeds, anchors."""

from devtools import linkcheck, quality


def test_no_broken_link_in_the_sample_site(sample_site):
    start = [sample_site.url_of(path) for path in sample_site.html_files()]
    start += [sample_site.base_url + name for name in ("sitemap.xml",)
              if (sample_site.output / name).exists()]
    findings = linkcheck.check(sample_site.base_url, start)
    assert not findings, "Liên kết hỏng:\n" + "\n".join(map(str, findings))


def test_the_link_checker_finds_each_kind_of_break(tmp_path):
    """The gate itself: a missing page, a link that forgets the site folder, a missing
    anchor and a missing srcset candidate are all reported."""
    site = tmp_path / "giam-ngheo"
    site.mkdir()
    (site / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (site / "index.html").write_text(
        '<!doctype html><html lang="vi"><title>t</title><main id="noi-dung">'
        '<a href="khong-co/">1</a> <a href="/dia-ban/">2</a> <a href="#khong-co-muc">3</a>'
        '<a href="#noi-dung">4</a>'
        '<img alt="" src="ok.png" srcset="ok.png 1x, thieu-2x.png 2x"></main>', encoding="utf-8")
    with quality.served(tmp_path) as origin:
        findings = linkcheck.check(origin, [origin + "giam-ngheo/"])
    assert len(findings) == 4, "\n".join(map(str, findings))
    assert any(f.url.endswith("/dia-ban/") for f in findings)
    assert any("khong-co-muc" in f.problem for f in findings)
    assert any(f.url.endswith("thieu-2x.png") for f in findings)
