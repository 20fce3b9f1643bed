"""Nothing in a generated page can be turned against its readers: no inline code or style (so a
strict Content-Security-Policy holds), no request to a third party, external links opened
without a way back (noopener); robots.txt and sitemap.xml for search engines."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from pelican.settings import read_settings
from PIL import Image

from devtools import ROOT
from devtools.quality import SCROLL_AND_LOAD_IMAGES
from newsdesk.content import item_reader

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
EXPECTED_POLICY = ("default-src 'self'; img-src 'self' data:; media-src 'self'; "
                   "frame-src https://www.youtube-nocookie.com; "
                   "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; font-src 'self'; "
                   "object-src 'none'; base-uri 'self'; form-action 'self'")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _pages(sample_site):
    for path in sample_site.html_files():
        yield path.relative_to(sample_site.output), BeautifulSoup(
            path.read_text(encoding="utf-8"), "html.parser")


def test_no_inline_script_style_or_event_handler_in_any_page(sample_site):
    found = []
    for name, soup in _pages(sample_site):
        found += [f"{name}: <script> không có src" for s in soup.find_all("script")
                  if not s.get("src")]
        found += [f"{name}: <style>" for _ in soup.find_all("style")]
        for tag in soup.find_all(True):
            found += [f"{name}: <{tag.name} {attr}=…>" for attr in tag.attrs
                      if attr == "style" or attr.startswith("on")]
            href = tag.get("href") or tag.get("src") or ""
            if href.strip().lower().startswith("javascript:"):
                found.append(f"{name}: <{tag.name}> javascript:")
    assert not found, "\n".join(found)


def test_every_page_carries_the_content_security_policy_first(sample_site):
    setting = read_settings(str(ROOT / "publishconf.py"))["CONTENT_SECURITY_POLICY"]
    assert setting == EXPECTED_POLICY
    assert not read_settings(str(ROOT / "pelicanconf.py"))["CONTENT_SECURITY_POLICY"]
    for name, soup in _pages(sample_site):
        head = soup.head.find_all(True, recursive=False)
        assert head[0].get("charset") == "utf-8", name
        policy = head[1]
        assert policy.name == "meta" and policy.get("http-equiv") == "Content-Security-Policy", name
        assert policy["content"] == EXPECTED_POLICY, name
        assert "frame-ancestors" not in policy["content"]  # ignored in a <meta>


def test_the_web_server_sends_the_same_policy_plus_frame_ancestors():
    """One policy: the <meta> of public builds and nginx's header (deploy/nginx.conf)."""
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    headers = re.findall(r'add_header Content-Security-Policy "([^"]+)"', config)
    assert headers
    assert set(headers) == {EXPECTED_POLICY + "; frame-ancestors 'self'"}


def test_external_links_have_noopener(sample_site):
    site_host = urlsplit(sample_site.base_url).netloc
    external = []
    for name, soup in _pages(sample_site):
        for link in soup.find_all("a", href=True):
            host = urlsplit(link["href"]).netloc
            if host and host != site_host:
                external.append((name, link))
    assert external, "the sample site should have external links to check"
    missing = [f"{name}: {link}" for name, link in external
               if "noopener" not in link.get("rel", [])]
    assert not missing, "\n".join(missing)


def test_robots_txt_points_at_a_sitemap_of_every_public_page(sample_site):
    robots = (sample_site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {sample_site.base_url}sitemap.xml" in robots
    tree = ET.parse(sample_site.output / "sitemap.xml")
    urls = {}
    for entry in tree.getroot().findall("s:url", SITEMAP_NS):
        lastmod = entry.find("s:lastmod", SITEMAP_NS)
        urls[entry.find("s:loc", SITEMAP_NS).text] = lastmod.text if lastmod is not None else None
    pages = {sample_site.url_of(path) for path in sample_site.html_files()
             if path.name != "404.html" and "kiosk" not in path.parts}  # kiosk: noindex
    assert set(urls) == pages
    item_dates = {}  # an item's lastmod is the date it shows last: "Cập nhật", else "Ngày đăng"
    for name, soup in _pages(sample_site):
        if "hq-page--item" in soup.body["class"]:
            url = sample_site.url_of(sample_site.output / name)
            item_dates[url] = soup.select(".hq-item__facts time")[-1]["datetime"]
    assert len(item_dates) >= 3
    assert {url: urls[url] for url in item_dates} == item_dates
    assert urls[sample_site.base_url] == max(item_dates.values())  # the home: newest item
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", stamp)
               for stamp in urls.values() if stamp)


def test_a_preview_build_has_no_robots_or_sitemap(site):
    site.item("cu.md", title="Tin cũ")
    built = site.build()  # SITEURL "": local preview; a sitemap needs absolute URLs
    assert built.result.ok, built.result.report.format()
    assert not built.exists("sitemap.xml") and not built.exists("robots.txt")


def test_the_sitemap_leaves_out_drafts_hidden_and_noindex_pages(site):
    site.item("moi.md", title="Tin hẹn giờ", date="2030-01-01 08:00")
    site.item("an.md", title="Tin ẩn", status="hidden")
    site.item("go.md", title="Tin đã gỡ", status="withdrawn")
    site.item("cu.md", title="Tin cũ", date="2023-11-20 08:00", modified="2023-12-01 10:00")
    built = site.build(SITEURL="https://example.gov.vn/giam-ngheo")
    assert built.result.ok, built.result.report.format()
    sitemap = (built.output / "sitemap.xml").read_text(encoding="utf-8")
    assert built.exists("tin-bai/an/index.html") and built.exists("tin-bai/go/index.html")
    assert "ban-nhap" not in sitemap and "404" not in sitemap
    assert "/an/" not in sitemap and "/go/" not in sitemap
    assert ("<loc>https://example.gov.vn/giam-ngheo/tin-bai/cu/</loc>"
            "<lastmod>2023-12-01T10:00:00+07:00</lastmod>") in sitemap
    assert (built.output / "robots.txt").read_text() == (
        "User-agent: *\nDisallow: /giam-ngheo/ban-nhap/\n"
        "Sitemap: https://example.gov.vn/giam-ngheo/sitemap.xml\n")


def test_the_reader_marks_external_links_and_lazy_images(site):
    site.write("dong-no/anh.png", "")
    Image.new("RGB", (40, 30), "#8a1c1c").save(site.content / "dong-no" / "anh.png")
    site.item("dong-no/tin.md", body="[Cổng dịch vụ công](https://dichvucong.gov.vn/), "
              "[trong trang](../dong-no/tin.md), "
              '<a href="https://a.vn/" rel="nofollow">A</a>\n\n![Ảnh minh họa](anh.png)')
    built = site.build()
    assert built.result.ok, built.result.report.format()
    body = built.html("tin-bai/tin/").select_one(".hq-item__body")
    links = {a.get_text(): a.get("rel") for a in body.find_all("a")}
    assert (links["Cổng dịch vụ công"], links["trong trang"], links["A"]) == (
        ["noopener"], None, ["nofollow", "noopener"])
    image = body.find("img")
    assert (image["loading"], image["decoding"]) == ("lazy", "async")


def test_noopener_goes_on_links_to_other_sites_only():
    own = "honquan.binhphuoc.gov.vn"
    hrefs = ["https://honquan.binhphuoc.gov.vn/giam-ngheo/dia-ban/", "https://www.youtube.com/x",
             "/tin-bai/", "//cdn.example/a", "HTTP://A.VN/", "mailto:a@b.vn", "#bang"]
    assert [item_reader.is_external(href, own) for href in hrefs] == [
        False, True, False, True, True, False, False]


def test_no_page_requests_a_third_party_or_breaks_its_policy(sample_site, chromium):
    """Loaded under its own CSP (from the <meta>), scrolled to the end so lazy images load:
    every request stays on 127.0.0.1 and the console shows no error (CSP refusals included)."""
    context = chromium.new_context()
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and errors.append(
        f"{response.status} {response.url}"))
    for key, path in sample_site.representatives().items():
        before = len(errors)
        page.goto(sample_site.url_of(path))
        page.evaluate(SCROLL_AND_LOAD_IMAGES)
        errors[before:] = [f"{key}: {text}" for text in errors[before:]]
    context.close()
    foreign = [url for url in requests if urlsplit(url).hostname not in LOCAL_HOSTS]
    assert len(requests) > len(sample_site.representatives())
    assert not foreign, "\n".join(foreign)
    assert not errors, "\n".join(errors)
