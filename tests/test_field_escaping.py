"""Every field an editor writes is printed as text: a header holding <script>, a meta refresh or
an event handler shows literally on every page and in every feed, and runs nothing in a browser.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image
from playwright.sync_api import sync_playwright

from conftest import SiteMaker
from devtools import chromium
from newsdesk.content.items import LIST_SEPARATOR
from newsdesk.site.preview import make_server

SCRIPT = "<script>alert(1)</script>"
REFRESH = '<meta http-equiv="refresh" content="0;url=https://evil.example">'
HANDLER = "<img src=x onerror=alert(1)>"
SITENAME = "Chuyên mục Giảm nghèo – huyện Hớn Quản"
YOUTUBE_ID = "dQw4w9WgXcQ"


def typed(label: str) -> str:
    """What a careless (or hostile) editor types into a field."""
    return f"{label} {SCRIPT}{REFRESH}{HANDLER} & \"nháy\""


TITLE, VIDEO_TITLE, INFOGRAPHIC_TITLE, RADIO_TITLE, PAGE_TITLE = (
    typed("Tin"), typed("Video"), typed("Infographic"), typed("Truyền thanh"), typed("Trang"))
SUMMARY, AUTHOR, ALT, CORRECTION = (typed("Tóm tắt"), typed("Tác giả"), typed("Mô tả ảnh"),
                                    typed("Đính chính"))
TAGS_LINE = f"giảm nghèo, {SCRIPT}, {REFRESH}, {HANDLER}"
TAGS = [t.strip() for t in LIST_SEPARATOR.split(TAGS_LINE) if t.strip()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("escaping")
    site = SiteMaker(root)
    (site.content / "dong-no").mkdir()
    Image.new("RGB", (640, 480), "#8a1c1c").save(site.content / "dong-no" / "anh.png")
    site.item("dong-no/tin.md", title=TITLE, summary=SUMMARY, author=AUTHOR, tags=TAGS_LINE,
              image="anh.png", alt=ALT, correction=CORRECTION, corrected="2023-11-21 08:00",
              id="escape-tin")
    site.item("dong-no/video.md", title=VIDEO_TITLE, type="video", summary=SUMMARY,
              video=f"https://youtu.be/{YOUTUBE_ID}", date="2023-11-19 08:00", id="escape-video")
    site.item("dong-no/infographic.md", title=INFOGRAPHIC_TITLE, type="infographic",
              image="anh.png", alt=ALT, date="2023-11-18 08:00", id="escape-infographic",
              body="Bản chữ của infographic.")
    site.item("dong-no/truyen-thanh.md", title=RADIO_TITLE, type="truyen-thanh",
              summary=SUMMARY, date="2023-11-17 08:00", id="escape-radio")
    site.write("pages/gioi-thieu.md", f"Title: {PAGE_TITLE}\nSummary: {SUMMARY}\n\nGiới thiệu.\n")
    result = site.build(IMAGES_CACHE_DIR=str(root / "cache"))
    assert result.result.ok, result.result.report.format()
    return result


def _pages(built):
    for path in sorted(built.output.rglob("*.html")):
        yield path.relative_to(built.output).as_posix(), BeautifulSoup(
            path.read_text(encoding="utf-8"), "html.parser")


def _text(tag) -> str:
    return " ".join(tag.get_text().split())


def test_the_build_warns_of_html_in_each_header_field(built):
    warned = {(p.path.rsplit("/", 1)[-1], p.field) for p in built.result.report.warnings
              if "có mã HTML" in p.message}
    assert warned == {("tin.md", f) for f in ("title", "summary", "author", "tags", "alt",
                                              "correction")} | {
        ("video.md", "title"), ("video.md", "summary"), ("infographic.md", "title"),
        ("infographic.md", "alt"), ("truyen-thanh.md", "title"), ("truyen-thanh.md", "summary"),
        ("gioi-thieu.md", "title"), ("gioi-thieu.md", "summary")}


def test_no_page_runs_a_script_refresh_or_handler_an_editor_typed(built):
    found, pages = [], 0
    for name, soup in _pages(built):
        pages += 1
        found += [f"{name}: <script>{s.string}" for s in soup.find_all("script")
                  if not s.get("src") or "alert" in (s.string or "")]
        found += [f"{name}: {m}" for m in soup.find_all("meta")
                  if (m.get("http-equiv") or "").lower() == "refresh"]
        for tag in soup.find_all(True):
            found += [f"{name}: <{tag.name} {a}=…>" for a in tag.attrs if a.startswith("on")]
        found += [f"{name}: {img}" for img in soup.find_all("img", src="x")]
        assert SCRIPT not in str(soup) and REFRESH not in str(soup), name
    assert pages > 30  # every page kind: items, types, communes, tags, archives, the page
    assert not found, "\n".join(found)


def test_each_field_shows_exactly_as_typed_where_it_is_displayed(built):
    item = built.html("tin-bai/tin/")
    assert _text(item.select_one("h1")) == TITLE
    assert item.title.string == f"{TITLE} – {SITENAME}"
    assert item.select_one("meta[property='og:title']")["content"] == TITLE
    assert item.select_one("meta[name=description]")["content"] == SUMMARY
    assert _text(item.select(".hq-breadcrumbs__item")[-1]) == TITLE
    assert _text(item.select_one(".hq-item__summary")) == SUMMARY
    facts = {_text(div.dt): _text(div.dd) for div in item.select(".hq-item__facts > div")}
    assert facts["Tác giả"] == AUTHOR
    assert _text(item.select_one(".hq-correction__text")) == CORRECTION
    assert item.select_one(".hq-item__cover img")["alt"] == ALT
    assert [_text(a) for a in item.select(".hq-item__tags a")] == TAGS
    assert PAGE_TITLE in [_text(a) for a in item.select(".hq-footer__links a")]

    home = built.html("")
    cards = {_text(c.select_one(".hq-card__title")): c for c in home.select(".hq-card")}
    assert set(cards) == {TITLE, VIDEO_TITLE, INFOGRAPHIC_TITLE, RADIO_TITLE}
    assert _text(cards[TITLE].select_one(".hq-card__summary")) == SUMMARY
    archive = built.html("luu-tru/")
    assert TITLE in [_text(a) for a in archive.select(".hq-main li a")]
    for tag in TAGS[1:]:
        page = next(soup for name, soup in _pages(built) if name.startswith("chu-de/")
                    and soup.h1 and _text(soup.h1) == f"Chủ đề: {tag}")
        assert page.title.string == f"Chủ đề: {tag} – {SITENAME}"

    video = built.html("video/video/")
    facade = video.select_one(".hq-video--youtube")
    assert facade["data-hq-video-title"] == VIDEO_TITLE
    assert _text(facade.select_one(".hq-video__label")) == f"Xem video: {VIDEO_TITLE}"
    gallery = built.html("video/")
    assert _text(gallery.select_one(".hq-gallery__title")) == VIDEO_TITLE
    assert _text(gallery.select_one(".hq-gallery__summary")) == SUMMARY

    infographic = built.html("infographic/infographic/")
    assert infographic.select_one(".hq-infographic img")["alt"] == ALT
    assert _text(infographic.h1) == INFOGRAPHIC_TITLE
    assert _text(built.html("truyen-thanh/truyen-thanh/").h1) == RADIO_TITLE

    page = built.html("gioi-thieu/")
    assert _text(page.h1) == PAGE_TITLE
    assert page.title.string == f"{PAGE_TITLE} – {SITENAME}"
    assert page.select_one("meta[name=description]")["content"] == SUMMARY


@pytest.mark.parametrize("name", ["tat-ca.rss.xml", "tat-ca.atom.xml"])
def test_feeds_carry_titles_as_text(built, name):
    path = built.output / "nguon-tin" / name
    entries = feedparser.parse(path.read_bytes()).entries
    assert {e.title for e in entries} == {TITLE, VIDEO_TITLE, INFOGRAPHIC_TITLE, RADIO_TITLE}
    assert {e.title_detail.type for e in entries} == {"text/plain"}
    titles = [t.text for t in ET.parse(path).iter()
              if t.tag.rsplit("}", 1)[-1] == "title" and len(t) == 0 and t.text.startswith("Tin ")]
    assert titles == [TITLE]  # one text node, no child element


def test_rss_descriptions_read_as_html_still_show_the_summary_as_text(built):
    """RSS readers take <description> as HTML; media:description says it is plain (the Alt)."""
    items = {i.findtext("title"): i for i in
             ET.parse(built.output / "nguon-tin" / "tat-ca.rss.xml").iter("item")}
    for title in (TITLE, VIDEO_TITLE, RADIO_TITLE):  # the infographic has no Summary
        shown = BeautifulSoup(items[title].findtext("description"), "html.parser")
        assert shown.get_text() == SUMMARY and not shown.find(True)
    alt = items[TITLE].find("{http://search.yahoo.com/mrss/}content/"
                            "{http://search.yahoo.com/mrss/}description")
    assert (alt.get("type"), alt.text) == ("plain", ALT)
    atom = {e.title: e for e in feedparser.parse(
        (built.output / "nguon-tin" / "tat-ca.atom.xml").read_bytes()).entries}
    assert (atom[TITLE].summary_detail.type, atom[TITLE].summary) == ("text/plain", SUMMARY)


def test_json_feed_carries_titles_and_summaries_as_text(built):
    feed = json.loads((built.output / "nguon-tin" / "feed.json").read_text(encoding="utf-8"))
    assert {i["title"] for i in feed["items"]} == {TITLE, VIDEO_TITLE, INFOGRAPHIC_TITLE,
                                                   RADIO_TITLE}
    summaries = {i["title"]: i.get("summary") for i in feed["items"]}
    assert summaries[TITLE] == summaries[VIDEO_TITLE] == summaries[RADIO_TITLE] == SUMMARY


@pytest.fixture(scope="module")
def served(built):
    server = make_server(built.output, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


ARMED = """() => [
    ...[...document.querySelectorAll('meta[http-equiv="refresh" i]')].map(m => m.outerHTML),
    ...[...document.querySelectorAll("*")].flatMap(element => [...element.attributes])
        .filter(a => a.name.startsWith("on")).map(a => `${a.ownerElement.tagName} ${a.name}`)]"""


@pytest.mark.parametrize("path", ["/", "/tin-bai/tin/", "/video/video/", "/gioi-thieu/"])
def test_chromium_shows_the_fields_without_a_dialog_or_leaving_the_site(served, path):
    dialogs, navigations, requests = [], [], []
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("framenavigated", lambda frame: navigations.append(frame.url))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(served + path, wait_until="load")  # a script's dialog holds the load
            # Rather than wait for what might fire later, find what could: a meta refresh, or
            # an event handler attribute (onerror, onload, ...) anywhere in the page.
            armed = page.evaluate(ARMED)
            url_after_load = page.url
        finally:
            browser.close()
    assert not armed
    assert not dialogs
    assert url_after_load == served + path
    assert navigations == [served + path]
    assert requests and all(urlsplit(u).hostname == "127.0.0.1" for u in requests), requests
