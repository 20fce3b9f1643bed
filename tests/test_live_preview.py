"""`invoke livereload`: a saved change reaches the open browser page by itself, and the
reload script exists only in what the preview server sends, never in the built files."""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import re
import time
import urllib.request
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image
from playwright.sync_api import sync_playwright

from devtools import ROOT, chromium
from newsdesk.site import live_preview, preview


def _serve(content: str, output: str, port: int) -> None:
    live_preview.serve(ROOT / "pelicanconf.py", Path(output), port,
                       overrides={"PATH": content, "NEWSDESK_TODAY": "2026-11-26"})


def test_saving_an_item_reloads_the_open_page_and_drafts_show_in_preview_only(site):
    item = site.item("dong-no/bo.md", title="Nuôi bò sinh sản", type="tin-bai")
    site.item("dong-no/nhap.md", title="Bản nháp chưa đăng", status="draft")
    output = site.root / "preview"
    port = preview.free_port()
    server = multiprocessing.Process(target=_serve, args=(str(site.content), str(output), port),
                                     daemon=True)
    server.start()
    try:
        assert preview.wait_for_port(port, 60), "the preview server did not start"
        with sync_playwright() as p:
            browser = chromium.launch(p)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/tin-bai/bo/")
            page.wait_for_function("() => window.LiveReload !== undefined", timeout=20000)
            assert page.locator("h1").inner_text() == "Nuôi bò sinh sản"
            item.write_text(item.read_text(encoding="utf-8").replace(
                "Title: Nuôi bò sinh sản", "Title: Nuôi bò sinh sản (đã sửa)"), encoding="utf-8")
            page.wait_for_function(
                "() => document.querySelector('h1').textContent.includes('(đã sửa)')",
                timeout=20000)
            draft = page.goto(f"http://127.0.0.1:{port}/ban-nhap/nhap/")
            assert draft.status == 200 and "Bản nháp chưa đăng" in page.locator("h1").inner_text()
            browser.close()
        served = urllib.request.urlopen(f"http://127.0.0.1:{port}/tin-bai/bo/").read().decode()
        assert "livereload.js" in served
    finally:
        server.terminate()
        server.join(10)
    for html in output.rglob("*.html"):
        assert "livereload" not in html.read_text(encoding="utf-8"), html


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _until(url: str, wanted: str, seconds: float = 120) -> str:
    """The page once it holds `wanted` (the rebuild after a save takes its time)."""
    deadline = time.monotonic() + seconds
    while True:
        page = _fetch(url)
        if wanted in page or time.monotonic() > deadline:
            return page
        time.sleep(0.2)


def test_a_content_error_shows_in_the_browser_and_the_preview_recovers_when_fixed(site):
    item = site.item("dong-no/bo.md", title="Nuôi bò sinh sản")
    output = site.root / "preview"
    port = preview.free_port()
    server = multiprocessing.Process(target=_serve, args=(str(site.content), str(output), port),
                                     daemon=True)
    server.start()
    url = f"http://127.0.0.1:{port}/tin-bai/bo/"
    try:
        assert preview.wait_for_port(port, 60), "the preview server did not start"
        built = (output / "tin-bai" / "bo" / "index.html").read_bytes()
        # It watches before it listens (EventWatcher.watch_now): answering proves it watches.
        assert "Nuôi bò sinh sản" in _fetch(url)
        good = item.read_text(encoding="utf-8")
        item.write_text(good.replace("Category: Đồng Nơ", "Category: Đồng Nơơ"), encoding="utf-8")
        page = BeautifulSoup(_until(url, "nội dung có lỗi"), "html.parser")
        assert page.h1.get_text() == "Bản xem trước chưa cập nhật: nội dung có lỗi"
        problem = page.select_one("ol li").get_text(" ", strip=True)
        assert "bo.md, dòng 3" in problem and "LỖI" in problem and "Đồng Nơơ" in problem
        assert "livereload.js" in str(page)  # so the page reloads itself once it is fixed
        assert "nội dung có lỗi" in _fetch(f"http://127.0.0.1:{port}/")  # every page says so
        assert (output / "tin-bai" / "bo" / "index.html").read_bytes() == built
        item.write_text(good.replace("Title: Nuôi bò sinh sản", "Title: Nuôi bò (đã sửa)"),
                        encoding="utf-8")
        page = BeautifulSoup(_until(url, "(đã sửa)"), "html.parser")
        assert page.h1.get_text() == "Nuôi bò (đã sửa)"
    finally:
        server.terminate()
        server.join(10)


# ------------------------------------------------- the fast path for an edited item's body

LIVE_SCRIPT = re.compile(rb'<script type="text/javascript">\(function\(\)\{var s=document'
                         rb'\.createElement\("script"\);.*?</script>', re.S)
NOTICE = "Danh sách bài, tìm kiếm và bản PDF đang được cập nhật"


def _hold(reached, release) -> None:
    """Before each full rebuild after a save: say so, then wait for the test's go."""
    reached.release()
    release.acquire()


def _serve_held(content: str, output: str, port: int, reached, release) -> None:
    live_preview.serve(ROOT / "pelicanconf.py", Path(output), port,
                       overrides={"PATH": content, "NEWSDESK_TODAY": "2026-11-26"},
                       before_full_rebuild=functools.partial(_hold, reached, release))


def _fetch_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def _fixture_site(site):
    site.item("dong-no/bo.md", title="Nuôi bò sinh sản", type="tin-bai", summary="Tóm tắt cũ.",
              body="Hội Nông dân xã Đồng Nơ hỗ trợ năm hộ nghèo nuôi bò.\n\n"
                   "![Đàn bò của hộ nghèo](bo.jpg)")
    Image.new("RGB", (900, 600), (120, 80, 20)).save(site.content / "dong-no" / "bo.jpg")
    site.item("dong-no/ga.md", title="Nuôi gà thả vườn", date="2023-11-21 08:00")
    site.item("dong-no/nhap.md", title="Bản nháp chưa đăng", status="draft")
    return site.content / "dong-no" / "bo.md"


@contextlib.contextmanager
def _held_preview(site):
    """A preview server whose full rebuilds after a save each wait for `release`."""
    reached, release = multiprocessing.Semaphore(0), multiprocessing.Semaphore(0)
    output = site.root / "preview"
    port = preview.free_port()
    server = multiprocessing.Process(
        target=_serve_held, args=(str(site.content), str(output), port, reached, release),
        daemon=True)
    server.start()
    try:
        assert preview.wait_for_port(port, 60), "the preview server did not start"
        _fetch(f"http://127.0.0.1:{port}/")  # it answers, so it watches (watch_now)
        yield f"http://127.0.0.1:{port}", output, reached, release
    finally:
        server.terminate()
        server.join(10)


def test_a_body_edit_shows_before_the_full_rebuild_and_then_every_page_is_the_built_file(site):
    item = _fixture_site(site)
    with _held_preview(site) as (base, output, reached, release):
        built = (output / "tin-bai" / "bo" / "index.html").read_bytes()
        item.write_text(item.read_text(encoding="utf-8").replace(
            "năm hộ nghèo", "bảy hộ nghèo (sửa nhanh)"), encoding="utf-8")
        assert reached.acquire(timeout=600), "no full rebuild was started after the save"
        # The full rebuild is held: what the page shows now comes from the fast path.
        page = BeautifulSoup(_fetch(f"{base}/tin-bai/bo/"), "html.parser")
        assert "bảy hộ nghèo (sửa nhanh)" in page.get_text()
        assert page.h1.get_text() == "Nuôi bò sinh sản"
        assert NOTICE in page.get_text() and "livereload.js" in str(page)
        picture = page.select_one(".hq-item__body picture img")  # plugins/media, again
        assert picture is not None and picture["src"].startswith("/media/bo-")
        assert (output / "tin-bai" / "bo" / "index.html").read_bytes() == built
        assert NOTICE not in _fetch(f"{base}/")  # only the edited page is in front
        for _ in range(10):
            release.release()  # this rebuild and any that follows may run
        page = _until(f"{base}/tin-bai/bo/", "sửa nhanh")
        deadline = time.monotonic() + 120
        while NOTICE in page and time.monotonic() < deadline:
            time.sleep(0.2)
            page = _fetch(f"{base}/tin-bai/bo/")
        assert NOTICE not in page
        clean = site.build(site.root / "clean")
        assert clean.result.ok
        files = sorted(p.relative_to(clean.output) for p in clean.output.rglob("*")
                       if p.is_file())
        assert Path("tin-bai/bo/index.html") in files and Path("ban-nhap/nhap/index.html") in files
        for relative in files:
            served = LIVE_SCRIPT.sub(b"", _fetch_bytes(f"{base}/{relative.as_posix()}"))
            assert served == (clean.output / relative).read_bytes(), relative
        assert "sửa nhanh" in (output / "tin-bai" / "bo" / "index.html").read_text(encoding="utf-8")
    for html in output.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert NOTICE not in text and "livereload" not in text, html


def test_a_title_edit_shows_before_the_full_rebuild_which_then_updates_the_listings(site):
    item = _fixture_site(site)
    with _held_preview(site) as (base, output, reached, release):
        item.write_text(item.read_text(encoding="utf-8").replace(
            "Title: Nuôi bò sinh sản", "Title: Nuôi bò lai sind"), encoding="utf-8")
        assert reached.acquire(timeout=600), "no full rebuild was started after the save"
        page = BeautifulSoup(_fetch(f"{base}/tin-bai/bo/"), "html.parser")  # the fast path
        assert page.h1.get_text() == "Nuôi bò lai sind" and NOTICE in page.get_text()
        assert page.title.get_text().startswith("Nuôi bò lai sind – ")
        assert "Nuôi bò lai sind" not in _fetch(f"{base}/")  # the listing waits for the rebuild
        for _ in range(10):
            release.release()
        _until(f"{base}/", "Nuôi bò lai sind")
        page = BeautifulSoup(_until(f"{base}/tin-bai/bo/", "lai sind"), "html.parser")
        assert page.h1.get_text() == "Nuôi bò lai sind"


def test_a_date_edit_waits_for_the_full_rebuild(site):
    item = _fixture_site(site)
    with _held_preview(site) as (base, output, reached, release):
        item.write_text(item.read_text(encoding="utf-8").replace(
            "Date: 2023-11-20 08:00", "Date: 2023-11-22 08:00").replace(
            "năm hộ nghèo", "bảy hộ nghèo"), encoding="utf-8")
        assert reached.acquire(timeout=600), "no full rebuild was started after the save"
        page = _fetch(f"{base}/tin-bai/bo/")  # held: the date moves listings, no fast path
        assert "bảy hộ nghèo" not in page and NOTICE not in page
        for _ in range(10):
            release.release()
        page = BeautifulSoup(_until(f"{base}/tin-bai/bo/", "bảy hộ nghèo"), "html.parser")
        assert page.select_one(".hq-item time")["datetime"].startswith("2023-11-22")
        assert NOTICE not in page.get_text()


def test_a_broken_body_edit_shows_the_problems_page_and_a_fixed_one_the_site(site):
    item = _fixture_site(site)
    good = item.read_text(encoding="utf-8")
    with _held_preview(site) as (base, output, reached, release):
        item.write_text(good.replace("nuôi bò.", "nuôi bò. ![Ảnh](khong-co-anh.jpg)"),
                        encoding="utf-8")
        assert reached.acquire(timeout=600), "no full rebuild was started after the save"
        assert NOTICE not in _fetch(f"{base}/tin-bai/bo/")  # the reader's problem: no fast path
        release.release()
        page = BeautifulSoup(_until(f"{base}/tin-bai/bo/", "nội dung có lỗi"), "html.parser")
        assert page.h1.get_text() == "Bản xem trước chưa cập nhật: nội dung có lỗi"
        assert "khong-co-anh.jpg" in page.select_one("ol li").get_text()
        item.write_text(good.replace("năm hộ nghèo", "sáu hộ nghèo"), encoding="utf-8")
        assert reached.acquire(timeout=600), "no full rebuild was started after the fix"
        # While the build fails, a fix goes through the full rebuild, never the fast path.
        assert "nội dung có lỗi" in _fetch(f"{base}/tin-bai/bo/")
        release.release()
        page = BeautifulSoup(_until(f"{base}/tin-bai/bo/", "sáu hộ nghèo"), "html.parser")
        assert page.h1.get_text() == "Nuôi bò sinh sản" and NOTICE not in page.get_text()
