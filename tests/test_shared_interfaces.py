"""The interfaces the next editions share (kiosk, print, search): the issuing office, the
public address, QR codes, stylesheet bundles and cached post-build steps."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import io
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from lxml import etree
from PIL import Image

from newsdesk.content import vocabulary
from newsdesk.site import poststep
from newsdesk.content.problems import Report
from newsdesk.media import qr
from newsdesk.media.qr import qr_svg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
from public_url.check import public_url_problem  # noqa: E402
from theme_assets.bundle import css_text  # noqa: E402

REAL = vocabulary.DEFAULT_PATH.read_text(encoding="utf-8")
PUBLIC_URL = "https://honquan.binhphuoc.gov.vn/giam-ngheo"
SVG = "{http://www.w3.org/2000/svg}"


def _vocabulary_with_office(tmp_path, **values) -> Path:
    lines = "".join(f'{key} = "{value}"\n' for key, value in values.items())
    start, end = REAL.index("[office]"), REAL.index("\n[[communes]]")
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL[:start] + "[office]\n" + lines + REAL[end:], encoding="utf-8")
    return path


# -- the issuing office ---------------------------------------------------------------------
def test_the_contact_page_takes_its_contact_lines_from_the_vocabulary_office(site):
    site.write("pages/lien-he.md", (ROOT / "content" / "pages" / "lien-he.md").read_text("utf-8"))
    site.item("a.md")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    body = built.html("lien-he/").select_one(".hq-item__body")
    office = body.select_one("address.hq-office")
    assert office.select_one(".hq-office__name").get_text() == \
        "Phòng Văn hóa và Thông tin huyện Hớn Quản"
    assert [li.get_text() for li in office.select("li")] == [
        "Địa chỉ: Trung tâm hành chính huyện Hớn Quản, thị trấn Tân Khai, huyện Hớn Quản, "
        "tỉnh Bình Phước"]
    assert "cập nhật" not in body.get_text()
    assert [h.get_text() for h in body.select("h2")][:2] == [
        "Cơ quan thực hiện chuyên mục", "Cơ quan chủ quản"]


def test_office_phone_email_and_hours_show_as_lines_with_links_once_filled(site, tmp_path):
    path = _vocabulary_with_office(
        tmp_path, name="Phòng Văn hóa và Thông tin", address="Tân Khai", phone="(000) 000 0000",
        email="vhtt@example.org", hours="Thứ Hai – Thứ Sáu, 7:00 – 17:00")
    site.write("pages/lien-he.md", "Title: Liên hệ\nTemplate: contact\n\nVăn bản.\n")
    built = site.build(VOCABULARY_PATH=str(path))
    assert built.result.ok, built.result.report.format()
    office = built.html("lien-he/").select_one("address.hq-office")
    assert [li.get_text() for li in office.select("li")] == [
        "Địa chỉ: Tân Khai", "Điện thoại: (000) 000 0000", "Thư điện tử: vhtt@example.org",
        "Giờ làm việc: Thứ Hai – Thứ Sáu, 7:00 – 17:00"]
    assert [a["href"] for a in office.select("a")] == ["tel:0000000000",
                                                         "mailto:vhtt@example.org"]


def test_an_office_with_a_name_only_shows_no_empty_line(site, tmp_path):
    path = _vocabulary_with_office(tmp_path, name="Phòng Văn hóa và Thông tin", phone="")
    site.write("pages/lien-he.md", "Title: Liên hệ\nTemplate: contact\n\nVăn bản.\n")
    built = site.build(VOCABULARY_PATH=str(path))
    office = built.html("lien-he/").select_one("address.hq-office")
    assert office.get_text(" ", strip=True) == "Phòng Văn hóa và Thông tin"
    assert not office.select("ul, li")


@pytest.mark.parametrize("values, message", [
    ({"name": "Phòng", "email": "vhtt.honquan"},
     '[office]: email "vhtt.honquan" không phải địa chỉ thư điện tử'),
    ({"name": "Phòng", "email": "a@b"}, '[office]: email "a@b" không phải địa chỉ thư điện tử'),
    ({"name": "Phòng", "phone": "gọi 0271"}, '[office]: phone "gọi 0271" không phải số điện thoại'),
    ({"name": "Phòng", "fax": "0271"}, '[office]: khóa "fax" không có'),
    ({"address": "Tân Khai"}, "[office]: thiếu name"),
])
def test_a_malformed_office_is_refused_naming_the_key(tmp_path, values, message):
    with pytest.raises(vocabulary.VocabularyError) as error:
        vocabulary.load(_vocabulary_with_office(tmp_path, **values))
    assert message in str(error.value)


def test_an_office_value_that_is_not_text_and_a_missing_block_are_refused(tmp_path):
    path = tmp_path / "vocabulary.toml"
    path.write_text(REAL.replace('phone = ""', "phone = 2713640000"), encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError) as error:
        vocabulary.load(path)
    assert ("[office]: phone (số điện thoại) phải là một dòng chữ trong ngoặc kép."
            in str(error.value))
    path.write_text(REAL.replace("[office]", "[office-cu]"), encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError) as error:
        vocabulary.load(path)
    assert "thiếu khối [office]" in str(error.value)


def test_a_malformed_office_fails_the_build_and_names_it(site, tmp_path):
    site.item("a.md")
    path = _vocabulary_with_office(tmp_path, name="Phòng", email="khong-co")
    result = site.build(VOCABULARY_PATH=str(path)).result
    assert not result.ok
    assert any('email "khong-co"' in p.message for p in result.report.errors)


# -- the public address ---------------------------------------------------------------------
def _canonicals(built):
    found = {}
    for path in sorted(built.output.rglob("*.html")):
        soup = built.html(path.relative_to(built.output).as_posix())
        found[path.relative_to(built.output).as_posix()] = [
            link["href"] for link in soup.select('link[rel="canonical"]')]
    return found


def test_every_page_of_a_preview_build_links_its_public_address_as_canonical(site):
    site.item("dong-no/a.md", title="Tin A", slug="tin-a")
    site.write("pages/lien-he.md", "Title: Liên hệ\nSlug: lien-he\n\nVăn bản.\n")
    built = site.build()
    found = _canonicals(built)
    assert found.pop("404.html") == []  # an error page has no address of its own
    assert all(len(hrefs) == 1 and hrefs[0].startswith(PUBLIC_URL + "/")
               for hrefs in found.values()), found
    assert found["index.html"] == [PUBLIC_URL + "/"]
    assert found["tin-bai/tin-a/index.html"] == [PUBLIC_URL + "/tin-bai/tin-a/"]
    assert found["lien-he/index.html"] == [PUBLIC_URL + "/lien-he/"]
    assert found["dia-ban/dong-no/index.html"] == [PUBLIC_URL + "/dia-ban/dong-no/"]


@pytest.mark.parametrize("value, problem", [
    ("honquan.binhphuoc.gov.vn/giam-ngheo", "phải bắt đầu bằng https:// hoặc http://"),
    ("https://honquan.binhphuoc.gov.vn/giam-ngheo/", "không được có dấu / ở cuối"),
    ("https://honquan.binhphuoc.gov.vn/giam-ngheo?x=1", "không được có phần ? hay # ở cuối"),
    ("https://honquan.binhphuoc.gov.vn/giam-ngheo#", "không được có phần ? hay # ở cuối"),
    ("https://admin@honquan.binhphuoc.gov.vn", "không được chứa tên người dùng hay mật khẩu"),
    ("https://honquan binhphuoc.gov.vn", "có khoảng trắng"),
    ("https://honquan_binhphuoc/x", "tên miền không hợp lệ"),
    ("https://honquan.binhphuoc.gov.vn/giảm nghèo", "có khoảng trắng"),
    ("https://honquan.binhphuoc.gov.vn/giảm-nghèo", "đường dẫn chỉ được gồm chữ không dấu"),
    ("", "chưa ghi địa chỉ công khai"),
])
def test_a_malformed_public_url_is_named_in_vietnamese(value, problem):
    assert public_url_problem(value).startswith(problem)


@pytest.mark.parametrize("value", [PUBLIC_URL, "http://127.0.0.1:8000", "https://a.vn",
                                   "https://xa-dong-no.vn/tin_tuc/giam-ngheo.v2"])
def test_a_public_url_of_host_and_path_is_accepted(value):
    assert public_url_problem(value) == ""


def test_a_malformed_public_url_stops_the_build_and_leaves_no_output(site):
    site.item("a.md")
    built = site.build(PUBLIC_URL="https://honquan.binhphuoc.gov.vn/giam-ngheo/")
    assert not built.result.ok
    assert [p.message for p in built.result.report.errors] == [
        "PUBLIC_URL = 'https://honquan.binhphuoc.gov.vn/giam-ngheo/' không hợp lệ: "
        "không được có dấu / ở cuối."]
    assert not built.output.exists()


# -- QR codes --------------------------------------------------------------------------------
def test_a_qr_code_is_inline_svg_with_a_title_and_no_style():
    url = PUBLIC_URL + "/tin-bai/tin-a/?a=1&b=2"
    svg = qr_svg(url)
    root = etree.fromstring(str(svg).encode())
    assert root.tag == f"{SVG}svg" and root.get("class") == "hq-qr" and root.get("role") == "img"
    assert root.get("viewBox") and root.get("width") is None  # sized by CSS
    assert root.find(f"{SVG}title").text == f"Mã QR: {url}"
    assert root.find(f"{SVG}desc").text.endswith(url)
    everything = list(root.iter())
    assert not [e for e in everything if e.get("style") is not None or e.tag == f"{SVG}style"]
    assert not str(svg).startswith("<?xml")
    assert qr_svg(url) == svg  # the same URL, the same bytes


def test_a_qr_code_kept_from_an_earlier_build_is_the_same_bytes_as_one_drawn_now(tmp_path):
    """Codes are kept in .cache/qr/ between builds (they are slow to draw): what is kept and
    read back by a fresh process is byte for byte a fresh drawing."""
    url = PUBLIC_URL + "/tin-bai/tin-luu-san/"
    program = ("import sys\nfrom pathlib import Path\nfrom newsdesk.media import qr\n"
               "qr.CACHE_DIR = Path(sys.argv[1])\nsys.stdout.write(qr.qr_svg(sys.argv[2]))")
    runs = [subprocess.run([sys.executable, "-c", program, str(tmp_path), url], check=True,
                           capture_output=True, text=True).stdout for _ in range(2)]
    stored = list(tmp_path.glob("*.svg"))
    assert len(stored) == 1
    assert runs[0] == runs[1] == stored[0].read_text(encoding="utf-8")
    assert runs[0] == qr.draw(url, "", "hq-qr")
    stored[0].write_text(runs[0].replace("Mã QR", "Mã QR đã lưu"), encoding="utf-8")
    again = subprocess.run([sys.executable, "-c", program, str(tmp_path), url], check=True,
                           capture_output=True, text=True).stdout
    assert "Mã QR đã lưu" in again  # read from the cache, not drawn again


def test_a_qr_code_scans_back_to_its_url(chromium):
    """Drawn by the real Chromium, read by a real QR decoder (zxing-cpp)."""
    url = PUBLIC_URL + "/to-roi/to-roi-bao-hiem-y-te-cho-ho-ngheo/"
    page = chromium.new_page(viewport={"width": 400, "height": 400})
    try:
        page.set_content(f"<body style='margin:0'><div style='width:400px'>{qr_svg(url)}</div>")
        png = page.locator("svg").screenshot()
    finally:
        page.close()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert [code.text for code in found] == [url]


def test_a_qr_code_refuses_a_relative_url():
    with pytest.raises(ValueError):
        qr_svg("tin-bai/tin-a/")


def test_templates_have_a_qr_filter(site, tmp_path):
    """A theme override using the filter: the page holds the code of its public address."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(
        '{% extends "!simple/page.html" %}{% block content %}'
        '{{ (PUBLIC_URL ~ "/" ~ page.url)|qr }}{% endblock %}', encoding="utf-8")
    site.write("pages/a.md", "Title: Trang A\nSlug: trang-a\n\nVăn bản.\n")
    built = site.build(THEME_TEMPLATES_OVERRIDES=[str(templates)])
    assert built.result.ok, built.result.report.format()
    title = built.html("trang-a/").select_one("svg.hq-qr title").get_text()
    assert title == f"Mã QR: {PUBLIC_URL}/trang-a/"


# -- stylesheet bundles ----------------------------------------------------------------------
def test_the_web_bundle_is_every_component_stylesheet_in_name_order(site):
    site.item("a.md")
    built = site.build()
    href = built.html("index.html").select('link[rel="stylesheet"]')
    assert len(href) == 1
    bundle = built.output / href[0]["href"].lstrip("/")
    expected = css_text(sorted((ROOT / "theme" / "css").glob("*.css")))
    assert bundle.read_text(encoding="utf-8") == expected
    digest = hashlib.sha256(expected.encode()).hexdigest()[:10]
    assert bundle.name == f"site.{digest}.css"
    written = sorted(p.name for p in (built.output / "theme" / "css").iterdir())
    assert [name for name in written if name.startswith("site.")] == [bundle.name]


def test_an_edition_bundle_is_written_apart_and_never_linked_from_web_pages(site, tmp_path):
    css = tmp_path / "css"
    (css / "kiosk").mkdir(parents=True)
    (css / "b.css").write_text("/* b */\n.b {\n  color: red;\n}\n", encoding="utf-8")
    (css / "a.css").write_text(".a { color: blue; }\n", encoding="utf-8")
    (css / "kiosk" / "touch.css").write_text(".k { font-size: 24px; }\n", encoding="utf-8")
    site.item("a.md")
    built = site.build(THEME_ASSETS_CSS_DIR=str(css), THEME_ASSETS_BUNDLES={
        "web": ["*.css"], "kiosk": ["*.css", "kiosk/*.css", "a.css"]})
    assert built.result.ok, built.result.report.format()
    written = {p.name.split(".")[0]: p.read_text(encoding="utf-8")
               for p in (built.output / "theme" / "css").iterdir()}
    assert written == {"site": ".a { color: blue; }\n.b {\ncolor: red;\n}\n",
                       "kiosk": ".a { color: blue; }\n.b {\ncolor: red;\n}\n"
                                ".k { font-size: 24px; }\n"}
    for page in built.output.rglob("*.html"):
        if "kiosk" not in page.relative_to(built.output).parts:  # the kiosk's own pages
            assert "/kiosk." not in page.read_text(encoding="utf-8"), page


@pytest.mark.parametrize("bundles, problem", [
    ({"web": ["*.css"], "print": ["in-an/*.css"]},
     'gói "print": không có tệp CSS nào khớp "in-an/*.css"'),
    ({"web": "*.css"}, 'gói "web" cần một danh sách tên tệp hoặc mẫu'),
    ({"web": ["../*.css"]}, 'gói "web": "../*.css" phải nằm trong'),
    ({"Ki ốt": ["*.css"]}, "tên gói 'Ki ốt' không hợp lệ"),
])
def test_a_wrong_bundle_setting_stops_the_build_in_vietnamese(site, bundles, problem):
    site.item("a.md")
    built = site.build(THEME_ASSETS_BUNDLES=bundles)
    assert not built.result.ok
    assert any(p.message.startswith("THEME_ASSETS_BUNDLES không hợp lệ: " + problem)
               for p in built.result.report.errors), built.result.report.format()


# -- post-build steps ------------------------------------------------------------------------
RUNS: list[str] = []


def _html_inputs(tree: Path, settings: dict):
    yield from poststep.tree_files(tree, "**/*.html")


def _write_html_digest(tree: Path, out: Path, settings: dict) -> None:
    """A small real step: one file derived from every page of the tree."""
    RUNS.append(str(tree))
    digest = hashlib.sha256()
    for path in sorted(tree.rglob("*.html")):
        digest.update(path.read_bytes())
    (out / "chi-muc").mkdir()
    (out / "chi-muc" / "trang.txt").write_text(digest.hexdigest(), encoding="utf-8")


def _html_digest(output: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(output.rglob("*.html")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _broken(tree: Path, out: Path, settings: dict) -> None:
    (out / "nua-chung.txt").write_text("x", encoding="utf-8")
    raise poststep.PostStepError("thiếu công cụ lập chỉ mục.")


def _crashing(tree: Path, out: Path, settings: dict) -> None:
    raise RuntimeError("boom")


DIGEST = poststep.PostStep("tong-hop", "tổng hợp thử", _html_inputs, _write_html_digest)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_post_step_runs_once_then_is_reused_until_the_pages_change(site, tmp_path):
    RUNS.clear()
    cache = tmp_path / "cache"
    settings = {"POSTSTEPS": [DIGEST], "POSTSTEPS_CACHE_DIR": str(cache),
                "PRINT_PRODUCTS_PDF": False, "SEARCH_INDEX": False,
                "HANDBOOK_PDF": False}  # only the step under test
    item = site.item("a.md", title="Tin một")
    first = site.build(**settings)
    assert first.result.ok, first.result.report.format()
    assert [(o.name, o.reused) for o in first.result.poststeps] == [("tong-hop", False)]
    assert "Bước sau dựng: tổng hợp thử — đã chạy lại." in first.result.summary()
    result_file = first.output / "chi-muc" / "trang.txt"
    assert result_file.read_text(encoding="utf-8") == _html_digest(first.output)
    assert len(RUNS) == 1 and not RUNS[0].startswith(str(first.output))

    again = site.build(**settings)
    assert [o.reused for o in again.result.poststeps] == [True]
    assert "Bước sau dựng: tổng hợp thử — dùng lại bản lưu." in again.result.summary()
    assert len(RUNS) == 1
    assert again.result.sync.written == [] and result_file.is_file()

    # A publish builds into a fresh folder: the cache, outside the output, still serves it.
    fresh = site.build(output=tmp_path / "ban-moi", **settings)
    assert [o.reused for o in fresh.result.poststeps] == [True] and len(RUNS) == 1
    assert (fresh.output / "chi-muc" / "trang.txt").read_text(encoding="utf-8") == \
        _html_digest(fresh.output)
    assert not any(p.is_relative_to(cache) for p in fresh.output.rglob("*"))

    item.write_text(item.read_text(encoding="utf-8").replace("Nội dung.", "Nội dung mới."),
                    encoding="utf-8")
    changed = site.build(**settings)
    assert [o.reused for o in changed.result.poststeps] == [False] and len(RUNS) == 2
    assert result_file.read_text(encoding="utf-8") == _html_digest(changed.output)


@pytest.mark.parametrize("step, message", [
    (poststep.PostStep("hong", "chỉ mục tìm kiếm", _html_inputs, _broken),
     'Bước sau dựng "chỉ mục tìm kiếm" không làm được: thiếu công cụ lập chỉ mục.'),
    (poststep.PostStep("vo", "tệp PDF", _html_inputs, _crashing),
     'Lỗi hệ thống ở bước sau dựng "tệp PDF": RuntimeError: boom'),
    # Early steps run in a forked process: their failures come back the same way.
    (poststep.PostStep("hong-som", "chỉ mục tìm kiếm", _html_inputs, _broken, early=True),
     'Bước sau dựng "chỉ mục tìm kiếm" không làm được: thiếu công cụ lập chỉ mục.'),
    (poststep.PostStep("vo-som", "tệp PDF", _html_inputs, _crashing, early=True),
     'Lỗi hệ thống ở bước sau dựng "tệp PDF": RuntimeError: boom'),
])
def test_a_failing_post_step_is_reported_and_leaves_the_output_untouched(site, tmp_path, step,
                                                                         message):
    cache = tmp_path / "cache"
    site.item("a.md")
    good = site.build(POSTSTEPS=[DIGEST], POSTSTEPS_CACHE_DIR=str(cache))
    assert good.result.ok
    before = _snapshot(good.output)
    site.item("b.md", title="Tin hai")
    failed = site.build(POSTSTEPS=[DIGEST, step], POSTSTEPS_CACHE_DIR=str(cache))
    assert not failed.result.ok
    assert [p.message for p in failed.result.report.errors] == [message]
    assert "THẤT BẠI" in failed.result.summary()
    assert _snapshot(good.output) == before
    assert not list((cache / step.name).glob("[!.]*"))  # nothing stored for a failed run


def test_the_post_step_cache_keeps_the_newest_results_and_the_one_in_use(tmp_path):
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    settings = {"POSTSTEPS": [DIGEST], "POSTSTEPS_CACHE_DIR": str(cache)}
    keys = []
    for number in range(6):
        (tree / "index.html").write_text(f"<p>{number}</p>", encoding="utf-8")
        outcomes = poststep.run_steps(tree, settings, Report())
        assert [o.reused for o in outcomes] == [False]
        keys.append(poststep.step_key(DIGEST, poststep.tree_files(tree, "**/*.html")))
    stored = {p.name for p in (cache / "tong-hop").iterdir() if not p.name.startswith(".")}
    assert stored == set(keys[-poststep.KEEP_RESULTS:])


def test_a_stored_result_pruned_by_another_build_before_it_is_copied_is_made_again(
        tmp_path, monkeypatch):
    settings = {"POSTSTEPS": [DIGEST], "POSTSTEPS_CACHE_DIR": str(tmp_path / "cache")}
    for name in ("mot", "hai"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("<p>1</p>", encoding="utf-8")
    assert [o.reused for o in poststep.run_steps(tmp_path / "mot", settings, Report())] == [False]
    start = poststep._start

    def pruned_meanwhile(*args):
        found = start(*args)
        shutil.rmtree(found.result()[0])  # as another build sharing the cache may prune it
        return found

    monkeypatch.setattr(poststep, "_start", pruned_meanwhile)
    report = Report()
    outcomes = poststep.run_steps(tmp_path / "hai", settings, report)
    assert not report.problems and [o.reused for o in outcomes] == [False]
    assert (tmp_path / "hai" / "chi-muc" / "trang.txt").read_bytes() == (
        tmp_path / "mot" / "chi-muc" / "trang.txt").read_bytes()


def test_the_steps_share_one_listing_of_the_tree_in_the_order_of_sorted_paths(tmp_path):
    tree = tmp_path / "tree"
    for name in ["index.html", "a-b/index.html", "a/index.html", "a/b/x.html", "kiosk/a/y.html",
                 "kiosk/sw.js", "B/index.html"]:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(name, encoding="utf-8")
    assert poststep.built_files(tree) == [
        str(p) for p in sorted(p for p in tree.glob("**/*") if p.is_file())]
    assert poststep.built_files(tree, "kiosk", ".html") == [str(tree / "kiosk/a/y.html")]
    seen = []

    def inputs(built, settings):
        seen.append(poststep.built_files(built, suffix=".html"))
        (built / "moi.html").write_text("", encoding="utf-8")  # unlike any step, for the test
        yield "x"

    step = poststep.PostStep("liet-ke", "liệt kê thử", inputs, lambda *_: None)
    for _ in range(2):
        poststep.run_steps(tree, {"POSTSTEPS": [step, dataclasses.replace(step, name="hai")],
                                  "POSTSTEPS_CACHE_DIR": str(tmp_path / "cache")}, Report())
    assert seen[0] == seen[1] and str(tree / "moi.html") not in seen[0]  # listed once per run
    assert str(tree / "moi.html") in seen[2]  # a new run lists the tree again
