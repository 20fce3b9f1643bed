"""Serve a built site on 127.0.0.1 for preview, with the site's own 404 page."""

from __future__ import annotations

import errno
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


class PreviewError(Exception):
    """The preview cannot listen where asked; the message (Vietnamese) says why."""


class PortBusy(PreviewError):
    """The preview port is taken (often: another preview still running)."""


def port_number(text: str | int) -> int:
    """The --port option as a number from 1 to 65535, else PreviewError."""
    text = str(text).strip()
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 65535):
        raise PreviewError(f"Cổng \"{text}\" không dùng được: cổng là một số từ 1 đến 65535, "
                           "ví dụ --port 8001.")
    return int(text)


def ensure_port_free(host: str, port: int) -> None:
    """Raise PreviewError (PortBusy when taken), in words an editor understands, when
    host:port cannot be listened on: each cause told as what it is."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except (socket.gaierror, UnicodeError):
        raise PreviewError(f"Không có máy nào tên \"{host}\" (tùy chọn --host). Dùng 127.0.0.1 "
                           "để xem trên máy này.") from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortBusy(f"Cổng {port} đang bận (có thể một cửa sổ xem trước khác vẫn đang "
                           f"chạy). Đóng cửa sổ đó (Ctrl+C), hoặc chọn cổng khác: "
                           f"--port {port % 65535 + 1}") from None
        if error.errno == errno.EACCES:
            raise PreviewError(f"Máy không cho dùng cổng {port}: các cổng dưới 1024 chỉ dành "
                               "cho quản trị hệ thống. Chọn cổng khác, ví dụ --port 8000."
                               ) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise PreviewError(f"Địa chỉ {host} (tùy chọn --host) không phải của máy này. Dùng "
                               "127.0.0.1 để xem trên máy này.") from None
        raise PreviewError(f"Không mở được cổng {port} tại địa chỉ {host}: "
                           f"{error.strerror or error}.") from None


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
