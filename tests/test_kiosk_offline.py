"""The kiosk as a post office's screen lives (issue 33): a network that accepts and never
answers, a browser restarted on its profile with the server down, audio that seeks offline.
Real Chromium, a real local server, a real stalled socket; the service worker's timeout is a
setting the tests shorten, and every wait is for an event."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import socket
import threading
from pathlib import Path

import pytest
from conftest import SiteMaker, install_kiosk_worker
from test_kiosk import PORTRAITS, make_sound

from devtools import ROOT
from devtools.chromium import CHROMIUM, CHROMIUM_ARGS
from newsdesk.site import preview

TIMEOUT_SECONDS = 1  # KIOSK_NETWORK_TIMEOUT_SECONDS in these tests (3 by default)
GENEROUS_MS = 60_000  # an upper bound for a busy machine, never a wait


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Origin:
    """127.0.0.1 on one port (the kiosk's origin, so the same service worker) that serves the
    site, accepts connections and never answers, or is down."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = preview.free_port()
        self.url = f"http://127.0.0.1:{self.port}/"

    @contextlib.contextmanager
    def serving(self):
        handler = functools.partial(_QuietHandler, directory=str(self.folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield
        finally:
            server.shutdown()
            server.server_close()

    @contextlib.contextmanager
    def stalled(self):
        """Accepts every connection, reads nothing, answers nothing (a hung router)."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        held, accepted = [], threading.Event()

        def accept():
            with contextlib.suppress(OSError):
                while True:
                    held.append(listener.accept()[0])
                    accepted.set()

        threading.Thread(target=accept, daemon=True).start()
        try:
            yield accepted
        finally:
            listener.close()
            for connection in held:
                connection.close()


@pytest.fixture(scope="module")
def kiosk_site(tmp_path_factory):
    maker = SiteMaker(tmp_path_factory.mktemp("field"))
    maker.item("dong-no/bo.md", title="Đồng Nơ nuôi bò sinh sản", category="Đồng Nơ",
               date="2026-11-20 08:00")
    make_sound(maker.content / "dong-no" / "loa.ogg", 2)
    maker.item("dong-no/loa.md", title="Bản tin loa xã Đồng Nơ", type="truyen-thanh",
               audio="loa.ogg", date="2026-11-10 08:00")
    built = maker.build(KIOSK_NETWORK_TIMEOUT_SECONDS=TIMEOUT_SECONDS)
    assert built.result.ok, built.result.report.format()
    return built


def test_the_timeout_is_in_the_worker_and_three_seconds_by_default(kiosk_site, site):
    assert f"var TIMEOUT_MS = {TIMEOUT_SECONDS * 1000};" in \
        (kiosk_site.output / "kiosk" / "sw.js").read_text(encoding="utf-8")
    site.item("dong-no/a.md")
    built = site.build()
    worker = (built.output / "kiosk" / "sw.js").read_text(encoding="utf-8")
    assert "var TIMEOUT_MS = 3000;" in worker


def test_a_wrong_kiosk_number_is_a_build_error_naming_the_setting(site):
    site.item("dong-no/a.md")
    built = site.build(KIOSK_NETWORK_TIMEOUT_SECONDS="3s", KIOSK_IDLE_SECONDS=0,
                       KIOSK_UPCOMING_CONFERENCES="ba")
    assert not built.result.ok
    messages = [p.message for p in built.result.report.errors]
    assert "KIOSK_UPCOMING_CONFERENCES phải là một số nguyên từ 0 trở lên (đang là 'ba')." in \
        messages
    assert "KIOSK_NETWORK_TIMEOUT_SECONDS phải là một số giây lớn hơn 0 (đang là '3s')." in messages
    assert "KIOSK_IDLE_SECONDS phải là một số giây lớn hơn 0 (đang là 0)." in messages


def test_with_a_network_that_never_answers_a_tap_shows_the_saved_page(kiosk_site, chromium):
    origin = Origin(kiosk_site.output)
    home = origin.url + "kiosk/"
    context = chromium.new_context(viewport=PORTRAITS[1], has_touch=True)
    page = context.new_page()
    with origin.serving():
        install_kiosk_worker(page, home)
    with origin.stalled() as accepted:
        page.get_by_role("link", name="Xã Đồng Nơ", exact=True).tap()
        page.locator("h1", has_text="Xã Đồng Nơ").wait_for(timeout=GENEROUS_MS)
        assert accepted.is_set()  # the page did ask the stalled server first
        notice = page.locator("[data-kiosk-saved-notice]")
        assert re.fullmatch(r"Mạng đang chậm hoặc mất: đây là bản lưu trên máy ngày "
                            r"\d\d/\d\d/\d{4}\.", notice.inner_text())
        page.locator("a.hq-kiosk-card").first.tap()
        page.locator("h1", has_text="Đồng Nơ nuôi bò sinh sản").wait_for(timeout=GENEROUS_MS)
    context.close()


def test_a_late_answer_refreshes_the_saved_copy(kiosk_site, chromium, tmp_path):
    """Network-first: the page the server answers is shown and saved; the next stall shows
    that newer copy, and a page from the network carries no notice."""
    import shutil
    folder = tmp_path / "site"
    shutil.copytree(kiosk_site.output, folder)
    origin = Origin(folder)
    home = origin.url + "kiosk/"
    commune = folder / "kiosk" / "dia-ban" / "dong-no" / "index.html"
    context = chromium.new_context(viewport=PORTRAITS[1], has_touch=True)
    page = context.new_page()
    with origin.serving():
        install_kiosk_worker(page, home)
        commune.write_text(commune.read_text(encoding="utf-8").replace(
            "<h1", '<p id="ban-moi">Bản mới</p><h1', 1), encoding="utf-8")
        page.goto(home + "dia-ban/dong-no/")
        assert page.locator("#ban-moi").is_visible()
        assert page.locator("[data-kiosk-saved-notice]").is_hidden()
        # The copy is put in the background: wait until the worker's cache holds it.
        page.wait_for_function("""async () => { const r = await caches.match(location.href);
            return r && (await r.text()).includes('ban-moi'); }""", polling=100,
                               timeout=GENEROUS_MS)
    with origin.stalled():
        page.goto(home)
        page.get_by_role("link", name="Xã Đồng Nơ", exact=True).tap()
        page.locator("[data-kiosk-saved-notice]").wait_for(timeout=GENEROUS_MS)
        assert page.locator("#ban-moi").is_visible()
    context.close()


def test_after_a_browser_restart_on_its_profile_the_kiosk_opens_with_the_server_down(
        kiosk_site, chromium, tmp_path):
    """A power cut while offline: Chromium with the kiosk kit's flags on a profile (never
    --incognito) keeps the copy."""
    origin = Origin(kiosk_site.output)
    home = origin.url + "kiosk/"
    profile = tmp_path / "profile"
    kit_flags = (ROOT / "deploy" / "kiosk" / "chromium-flags").read_text().split()

    def browser():
        return chromium.browser_type.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS + kit_flags,
            viewport=PORTRAITS[1], has_touch=True)

    with origin.serving():
        context = browser()
        install_kiosk_worker(context.pages[0] if context.pages else context.new_page(), home)
        context.close()
    context = browser()  # nothing listens on the port any more
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(home)
    assert page.locator("h1").inner_text() == "Bạn ở xã nào?"
    page.get_by_role("link", name="Xã Đồng Nơ", exact=True).tap()
    page.locator("h1", has_text="Xã Đồng Nơ").wait_for(timeout=GENEROUS_MS)
    page.get_by_role("link", name=re.compile("Bản tin loa xã Đồng Nơ")).tap()
    page.locator("h1", has_text="Bản tin loa xã Đồng Nơ").wait_for(timeout=GENEROUS_MS)
    context.close()


RANGE_FETCH = """async ([url, range]) => {
  const response = await fetch(url, range ? {headers: {Range: range}} : {});
  const body = [...new Uint8Array(await response.arrayBuffer())];
  return {status: response.status, body: body,
          range: response.headers.get("Content-Range"),
          length: response.headers.get("Content-Length")};
}"""


def test_range_requests_to_the_saved_audio_follow_rfc_9110(kiosk_site, chromium):
    audio = next(kiosk_site.output.rglob("loa.ogg"))
    data = audio.read_bytes()
    size = len(data)
    origin = Origin(kiosk_site.output)
    home = origin.url + "kiosk/"
    context = chromium.new_context()
    page = context.new_page()
    with origin.serving():
        install_kiosk_worker(page, home)
    url = origin.url + audio.relative_to(kiosk_site.output).as_posix()  # served by the worker

    def ask(range_header):
        return page.evaluate(RANGE_FETCH, [url, range_header])

    cases = {  # Range header: (status, first byte, last byte) of the answer
        "bytes=-10": (206, size - 10, size - 1),
        f"bytes=-{size + 50}": (206, 0, size - 1),
        "bytes=0-0": (206, 0, 0),
        f"bytes={size - 10}-{size + 100}": (206, size - 10, size - 1),
        "bytes=100-": (206, 100, size - 1),
        f"bytes={size - 1}-": (206, size - 1, size - 1),
    }
    for header, (status, first, last) in cases.items():
        answer = ask(header)
        assert answer["status"] == status, (header, answer["status"])
        assert bytes(answer["body"]) == data[first:last + 1], header
        assert answer["range"] == f"bytes {first}-{last}/{size}", header
        assert answer["length"] == str(last - first + 1), header
    for header in (f"bytes={size + 50}-", f"bytes={size}-{size + 10}", "bytes=-0"):
        answer = ask(header)
        assert (answer["status"], answer["range"], answer["body"]) == (
            416, f"bytes */{size}", []), header
    for header in (None, "bytes=20-10", "items=0-5"):
        answer = ask(header)
        assert (answer["status"], bytes(answer["body"])) == (200, data), header
    context.close()
