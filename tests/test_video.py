"""Videos: nothing is loaded from a third party until the reader presses play."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from devtools import chromium
from newsdesk.media import video
from newsdesk.site.preview import make_server

YOUTUBE_ID = "dQw4w9WgXcQ"
# The sample clip made by scripts/make_sample_video.py (Pillow slides, espeak-ng voice).
SAMPLE_CLIP = (Path(__file__).resolve().parent.parent / "content" / "thanh-an" / "video"
               / "tiep-can-thong-tin")


@pytest.mark.parametrize("url, start", [
    (f"https://www.youtube.com/watch?v={YOUTUBE_ID}", 0),
    (f"https://youtube.com/watch?feature=share&v={YOUTUBE_ID}&list=PL1", 0),
    (f"https://m.youtube.com/watch?v={YOUTUBE_ID}&t=1m30s", 90),
    (f"https://youtu.be/{YOUTUBE_ID}?si=abcDEF&t=42", 42),
    (f"https://www.youtube.com/shorts/{YOUTUBE_ID}?feature=share", 0),
    (f"https://www.youtube.com/embed/{YOUTUBE_ID}?start=15", 15),
    (f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}", 0),
    (f"https://www.youtube.com/live/{YOUTUBE_ID}", 0),
])
def test_every_usual_youtube_address_is_understood(url, start):
    found = video.youtube(url)
    assert found == video.Video(youtube_id=YOUTUBE_ID, start=start)
    assert found.embed_url.startswith(f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}?")


@pytest.mark.parametrize("url", ["https://vimeo.com/12345", "https://www.youtube.com/watch?v=short",
                                 "https://youtube.com/", "ftp://youtu.be/dQw4w9WgXcQ",
                                 "https://notyoutube.com/watch?v=dQw4w9WgXcQ"])
def test_other_addresses_are_not_youtube(url):
    assert video.youtube(url) is None


def test_a_wrong_video_address_is_an_error_naming_the_file(site):
    site.item("video/sai.md", type="video", video="https://vimeo.com/12345")
    site.item("video/thieu.md", type="video")
    site.item("video/khong-co.md", type="video", video="khong-co.mp4")
    built = site.build()
    errors = {p.path.rsplit("/", 1)[-1]: p for p in built.result.report.errors if p.field}
    assert "không phải địa chỉ video YouTube" in errors["sai.md"].message
    assert errors["sai.md"].line == 5
    assert "Thiếu Video" in errors["thieu.md"].message
    assert "khong-co.mp4" in errors["khong-co.md"].message


def youtube_item(site, **fields):
    return site.item("video/bo.md", title="Nuôi bò sinh sản", type="video",
                     video=f"https://youtu.be/{YOUTUBE_ID}?t=30", summary="Mô hình ở Đồng Nơ.",
                     body="Clip giới thiệu mô hình.", **fields)


def test_youtube_video_is_a_local_poster_linking_to_youtube(site, tmp_path):
    youtube_item(site)
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    assert built.result.ok, built.result.report.format()
    page = built.html("video/bo/")
    assert not page.select("iframe")
    box = page.select_one(".hq-video--youtube")
    assert box["data-hq-video"].startswith(f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}")
    facade = box.select_one("a.hq-video__facade")
    assert facade["href"] == f"https://www.youtube.com/watch?v={YOUTUBE_ID}&t=30s"  # without JS
    assert facade["rel"] == ["noopener"]  # written with it: nothing re-reads the page
    assert "Nuôi bò sinh sản" in facade.get_text()
    poster = facade.select_one("picture img")
    assert poster["src"].startswith("/media/") and poster["width"] and poster["height"]
    with Image.open(built.output / poster["src"].lstrip("/")) as drawn:
        assert drawn.size[0] * 9 == drawn.size[1] * 16
    scripts = page.select("script")
    assert [s.get("src") for s in scripts] == ["/theme/js/video.js"]
    assert all(not s.string for s in scripts)  # no inline script
    assert built.exists("theme/js/video.js")
    gallery = built.html("video/").select_one(".hq-gallery--video li")
    assert gallery.select_one("picture img")["src"].startswith("/media/")
    assert gallery.select_one(".hq-gallery__summary").get_text() == "Mô hình ở Đồng Nơ."
    assert not built.html("tin-bai/").select("script")  # pages without video load no script


def test_editor_poster_is_used_and_processed(site, tmp_path):
    (site.content / "video").mkdir()
    Image.new("RGB", (1920, 1080), (0, 90, 0)).save(site.content / "video" / "bia.jpg")
    youtube_item(site, poster="bia.jpg")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    img = built.html("video/bo/").select_one(".hq-video__facade img")
    with Image.open(built.output / img["src"].lstrip("/")) as poster:
        assert poster.getpixel((5, 5))[1] > 60 and poster.width == int(img["width"])
    assert not built.exists("video/bia.jpg")


def test_local_video_plays_in_the_page_with_vietnamese_captions(site, tmp_path):
    folder = site.content / "video"
    folder.mkdir()
    (folder / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(2000))
    (folder / "clip.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào bà con.\n",
                                     encoding="utf-8")
    site.item("video/tai-cho.md", title="Clip tại chỗ", type="video", video="clip.mp4",
              captions="clip.vtt")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    assert built.result.ok, built.result.report.format()
    player = built.html("video/tai-cho/").select_one("video")
    assert player.has_attr("controls") and player["preload"] == "none"
    assert player["poster"].startswith("/media/")
    assert player.source["src"] == "/video/clip.mp4" and player.source["type"] == "video/mp4"
    track = player.select_one("track")
    assert (track["kind"], track["srclang"], track["label"]) == ("captions", "vi", "Tiếng Việt")
    assert built.exists("video/clip.mp4") and built.exists(track["src"].lstrip("/"))


def test_video_line_in_a_body_becomes_an_embed(site, tmp_path):
    site.item("tin.md", title="Tin có video",
              body="Mời xem clip:\n\n"
                   f"[Video: Hội nghị đối thoại](https://youtu.be/{YOUTUBE_ID})\n\n"
                   "Một [liên kết thường](https://youtu.be/abcdefghijk) giữa câu.")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    page = built.html("tin-bai/tin/")
    boxes = page.select(".hq-item__body .hq-video--youtube")
    assert len(boxes) == 1 and boxes[0]["data-hq-video-title"] == "Hội nghị đối thoại"
    assert page.select_one(".hq-item__body a[href='https://youtu.be/abcdefghijk']")
    assert page.select_one("script[src='/theme/js/video.js']")


def test_raw_iframe_from_an_editor_never_survives(site, tmp_path):
    site.item("tin.md",
              body=f"<iframe src=\"https://www.youtube.com/embed/{YOUTUBE_ID}\"></iframe>")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    assert "<iframe" not in (built.output / "tin-bai/tin/index.html").read_text(encoding="utf-8")
    assert any("<iframe>" in p.message for p in built.result.report.warnings)


@pytest.fixture
def served(site, tmp_path):
    youtube_item(site)
    folder = site.content / "video"
    for suffix in (".webm", ".vtt"):
        shutil.copyfile(SAMPLE_CLIP.with_suffix(suffix), folder / f"clip{suffix}")
    site.item("video/tai-cho.md", title="Clip tại chỗ", type="video", video="clip.webm",
              summary="Clip của huyện.")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    assert built.result.ok, built.result.report.format()
    server = make_server(built.output, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _scroll_and_settle(page, pixels: int) -> None:
    """Scroll down with the wheel; return once whatever the scroll starts (lazy pictures,
    observers) has gone through the page's routes: the scroll has landed, two frames have
    run (lazy loading and observers act in them), then a request of our own has been routed."""
    page.mouse.wheel(0, pixels)
    page.wait_for_function("""pixels => {
        const root = document.scrollingElement;
        const end = Math.min(pixels, root.scrollHeight - root.clientHeight);
        return Math.abs(root.scrollTop - end) < 1;
    }""", arg=pixels)
    page.evaluate("""() => new Promise(done => requestAnimationFrame(() =>
        requestAnimationFrame(done))).then(() => fetch("/?scrolled")).then(() => true)""")


def test_no_third_party_request_before_play_then_the_nocookie_player(served):
    requested, blocked = [], []

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:  # nothing leaves the machine
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.on("request", lambda request: requested.append(request.url))
            page.route("**/*", guard)
            page.goto(f"{served}/video/bo/", wait_until="networkidle")
            _scroll_and_settle(page, 3000)
            assert requested and all(urlsplit(u).hostname == "127.0.0.1" for u in requested)
            assert not blocked and page.locator("iframe").count() == 0
            # The player's request is aborted by guard (in blocked) before it fails.
            with page.expect_event("requestfailed", lambda request: urlsplit(
                    request.url).hostname == "www.youtube-nocookie.com"):
                page.click(".hq-video__facade")
            frame = page.locator("iframe.hq-video__frame")
            frame.wait_for(state="attached")
            src = frame.get_attribute("src")
            assert src.startswith(f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}?")
            assert "start=30" in src
            assert blocked and all(urlsplit(u).hostname == "www.youtube-nocookie.com"
                                   for u in blocked)
            assert page.url == f"{served}/video/bo/"  # the click did not leave the page
        finally:
            browser.close()


def test_item_without_summary_shows_its_video_once(site, tmp_path):
    site.item("tin.md", title="Tin có video",
              body=f"[Video: Hội nghị](https://youtu.be/{YOUTUBE_ID})\n\nPhần còn lại.")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    page = built.html("tin-bai/tin/")
    assert len(page.select(".hq-video")) == 1 and not page.select(".hq-item__summary")


def test_local_video_loads_nothing_before_play_and_shows_vietnamese_captions(served):
    requested = []
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{served}/video/tai-cho/", wait_until="networkidle")
            assert not [u for u in requested if u.endswith(".webm")]  # preload="none"
            assert page.evaluate("document.querySelector('video').poster").startswith(served)
            page.evaluate("document.querySelector('video').play()")
            page.wait_for_function("document.querySelector('video').currentTime > 0.5")
            cues = page.evaluate("""() => {
                const track = document.querySelector('video').textTracks[0];
                return [track.language, track.label, track.mode, track.cues.length,
                        track.cues[0].text];
            }""")
            assert cues == ["vi", "Tiếng Việt", "showing", 4,
                            "Giảm nghèo về thông tin ở xã Thanh An và xã An Khương."]
            assert [u for u in requested if u.endswith("/video/clip.webm")]
            assert all(urlsplit(u).hostname == "127.0.0.1" for u in requested)
        finally:
            browser.close()
