"""Serve a built site on 127.0.0.1 for preview, with the site's own 404 page."""

from __future__ import annotations

import functools
import http.server
import socket
import time
from pathlib import Path


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, `dir/` -> `dir/index.html`, and 404.html for anything missing."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                      ".xml": "application/xml; charset=utf-8", ".json": "application/json",
                      ".webp": "image/webp", ".woff2": "font/woff2", ".vtt": "text/vtt",
                      ".opml": "text/x-opml; charset=utf-8"}

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def make_server(directory: str | Path, host: str = "127.0.0.1", port: int = 8000):
    """A server of `directory` as given, never resolved: each request follows the `output` link
    again, so a build that swaps it is seen at once."""
    handler = functools.partial(SiteRequestHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


class PortBusy(Exception):
    """The preview port is taken (often: another preview still running)."""


def ensure_port_free(host: str, port: int) -> None:
    """Raise PortBusy, in words an editor understands, when host:port cannot be listened on."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise PortBusy(f"Cổng {port} đang bận (có thể một cửa sổ xem trước khác vẫn đang "
                           f"chạy). Đóng cửa sổ đó (Ctrl+C), hoặc chọn cổng khác: "
                           f"--port {port + 1}") from None


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (for tests and benchmarks)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30, host: str = "127.0.0.1") -> bool:
    """Wait until something listens on host:port; False if nothing did within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                return True
        time.sleep(0.05)
    return False


def serve(directory: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted (Ctrl+C)."""
    ensure_port_free(host, port)
    with make_server(directory, host, port) as server:
        print(f"Đang phục vụ {directory} tại http://{host}:{port}/ (bấm Ctrl+C để dừng)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nĐã dừng.")
