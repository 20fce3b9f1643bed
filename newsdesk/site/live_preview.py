"""`invoke livereload`: rebuild on every save and reload the browser (livereload 2.7.1).

The site is rebuilt with the preview settings (pelicanconf.py: drafts written under
ban-nhap/) through newsdesk.site.build, so a save with a mistake prints the Vietnamese report and
leaves the last good preview in place. The `output` link is served by its path, so each
request follows it to the newest tree (tornado resolves it again per request). livereload injects its reload script into the HTML it
serves: preview only, never the built files. Instead of livereload's 0.8 s polling, file-system
events (watchfiles, already a Pelican dependency) wake it as soon as a file is saved.

While the last rebuild failed, every page the browser asks for is a Vietnamese page listing the
problems (file, line, what to do) instead of the stale site, so an editor sees in the browser
why the change does not show; it carries livereload's script like any page, so it turns back
into the site by itself at the first save that builds. The built files are never touched.
"""

from __future__ import annotations

import html
import sys
import tempfile
import threading
import time
from pathlib import Path

import watchfiles
from jinja2 import FileSystemBytecodeCache
from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from pelican.settings import read_settings
from tornado.ioloop import IOLoop

from newsdesk import project
from newsdesk.content import site_items
from newsdesk.content.problems import ERROR, SEVERITY_LABELS, Report
from newsdesk.site import build, preview


class EventWatcher(Watcher):
    """livereload's watcher, woken by file-system events rather than a 0.8 s poll."""

    def __init__(self, roots: list[Path]):
        super().__init__()
        self.roots = [str(root) for root in roots if Path(root).exists()]

    def start(self, callback) -> bool:
        loop = IOLoop.current()
        # livereload queues a "server restarted" reload for its first poll; with events that
        # first poll is the first save, which would reload the browser before the rebuild.
        self._changes.clear()

        def forward_events():
            # step: how long a burst of writes (an editor's save) may take to settle
            for _ in watchfiles.watch(*self.roots, debounce=400, step=30):
                loop.add_callback(callback)

        threading.Thread(target=forward_events, daemon=True).start()
        return True  # livereload then skips its own polling


def watched_paths(settings_file: Path, overrides: dict | None = None) -> list[str]:
    """Globs whose change means a rebuild: content, theme, vocabulary, settings."""
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    theme = Path(settings["THEME"])
    return [f"{settings['PATH']}/**/*", f"{theme}/templates/**/*.html", f"{theme}/css/*.css",
            str(settings.get("VOCABULARY_PATH") or project.VOCABULARY),
            str(settings_file)]


def watched_roots(settings_file: Path, overrides: dict | None = None) -> list[Path]:
    """The folders and files whose events wake the watcher (the globs' starting points)."""
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    return [Path(settings["PATH"]), Path(settings["THEME"]),
            Path(settings.get("VOCABULARY_PATH") or project.VOCABULARY),
            Path(settings_file)]


class PreviewState:
    """What the server shows besides the built site: the report of a failed last rebuild."""

    def __init__(self):
        self.failed: Report | None = None


class PreviewFileHandler(StaticFileHandler):
    """livereload's file handler, but pages answer with the problems while the build fails."""

    state = PreviewState()  # replaced by serve() with the state its rebuilds update

    async def get(self, path: str, include_body: bool = True) -> None:
        if self.state.failed is not None and _is_page(path):
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(problems_page(self.state.failed))
            return
        await super().get(path, include_body)

    def compute_etag(self) -> str | None:
        # The problems page is no file: no etag (tornado's file etag needs a path).
        return super().compute_etag() if getattr(self, "absolute_path", None) else None


def _is_page(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return not name or name.endswith(".html") or "." not in name


def problems_page(report: Report) -> str:
    """A readable Vietnamese page of a failed build's problems, errors first."""
    problems = sorted(report.problems, key=lambda p: p.severity != ERROR)
    items = "".join(
        f"<li><p><strong>{html.escape(p.path)}{f', dòng {p.line}' if p.line else ''}</strong>"
        f" — {SEVERITY_LABELS[p.severity]}: {html.escape(p.message)}</p>"
        + (f"<p>→ {html.escape(p.hint)}</p>" if p.hint else "") + "</li>"
        for p in problems)
    return ("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
            "<title>Bản xem trước chưa cập nhật: nội dung có lỗi</title></head>"
            "<body><main><h1>Bản xem trước chưa cập nhật: nội dung có lỗi</h1>"
            f"<p>{html.escape(report.summary())} Sửa các chỗ dưới đây rồi lưu tệp: trang này "
            "tự tải lại và hiện bản mới. Trang đã dựng lần trước vẫn được giữ nguyên.</p>"
            f"<ol>{items}</ol></main></body></html>\n")


def rebuild(settings_file: Path, output: Path, overrides: dict | None = None,
            state: PreviewState | None = None) -> bool:
    """Build into `output`; print the report and the drafts' addresses; True when it worked.
    `state` (the server's) then holds the report while the build fails."""
    started = time.perf_counter()
    result = build.build(settings_file, output, overrides)
    if state is not None:
        state.failed = None if result.ok else result.report
    if result.report.problems:
        print(result.report.format() + "\n", file=sys.stderr)
    print(f"{result.summary()} ({time.perf_counter() - started:.2f} giây)", flush=True)
    folder = site_items.drafts_folder(read_settings(str(settings_file),
                                                    override=dict(overrides or {})))
    drafts = sorted(p.parent.relative_to(output).as_posix()
                    for p in (output / folder).glob("*/index.html")) if folder else []
    for draft in drafts:
        print(f"  Bản nháp (chỉ xem trước): /{draft}/")
    return result.ok


def with_template_cache(settings_file: Path, overrides: dict | None) -> dict:
    """Overrides that keep compiled templates between rebuilds (a third of a build's time).

    Jinja checks each template's source checksum, so an edited template is compiled again.
    """
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    cache = Path(tempfile.mkdtemp(prefix="newsdesk-jinja-"))
    environment = {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": FileSystemBytecodeCache(cache)}
    return {**(overrides or {}), "JINJA_ENVIRONMENT": environment}


def serve(settings_file: Path, output: Path, port: int = 8000, host: str = "127.0.0.1",
          overrides: dict | None = None) -> None:
    """Build, serve `output` on host:port and rebuild + reload on every save (Ctrl+C stops)."""
    settings_file, output = Path(settings_file), Path(output)
    preview.ensure_port_free(host, port)
    overrides = with_template_cache(settings_file, overrides)
    state = PreviewState()
    rebuild(settings_file, output, overrides, state)
    # livereload ignores a second save within 3 s of the last reload; editors save often.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = Server(watcher=EventWatcher(watched_roots(settings_file, overrides)))
    server.SFH = type("ServedFiles", (PreviewFileHandler,), {"state": state})
    for pattern in watched_paths(settings_file, overrides):
        server.watch(pattern, lambda: rebuild(settings_file, output, overrides, state))
    print(f"Xem trước tại http://{host}:{port}/ — trang tự tải lại khi lưu bài "
          "(bấm Ctrl+C để dừng).", flush=True)
    server.serve(port=port, host=host, root=str(output), restart_delay=0)
