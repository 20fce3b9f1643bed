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

The fast path (newsdesk.site.body_edit): when a save changed only the body or summary of one
published item, its page is rendered again at once from the last full build kept in memory and
served from memory in front of the built tree, with a note that listings, search and PDFs are
being updated; the browser reloads. The full rebuild runs as always, in a background thread
(the server keeps answering); when it is done the in-memory page is dropped and the browser
reloads again, now on the built files. Every other save waits for the full rebuild.
"""

from __future__ import annotations

import html
import re
import sys
import threading
import time
from pathlib import Path

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from pelican.settings import read_settings
from tornado.ioloop import IOLoop

from newsdesk import project
from newsdesk.content import site_items
from newsdesk.content.items import CONTENT_SUFFIXES
from newsdesk.content.problems import ERROR, SEVERITY_LABELS, Report
from newsdesk.site import body_edit, build, cores, preview


class EventWatcher(Watcher):
    """livereload's watcher, woken by file-system events rather than a 0.8 s poll; it hands
    the saved paths to `on_changes` (on the server's loop) instead of livereload's tasks."""

    def __init__(self, roots: list[Path], on_changes):
        super().__init__()
        self.roots = [str(root) for root in roots if Path(root).exists()]
        self.on_changes = on_changes

    def watch_now(self, loop: IOLoop) -> None:
        """Start watching and return once the watch is set up: called before the server
        listens, so a save made as soon as the preview answers is never missed (the tests
        rely on it). No time limit: a busy machine only makes it later."""
        ready = threading.Event()

        def forward_events():
            # step: how long a burst of writes (an editor's save) may take to settle; the
            # empty sets that yield_on_timeout gives say the watch is set up.
            try:
                for changes in watchfiles.watch(*self.roots, debounce=400, step=30,
                                                rust_timeout=100, yield_on_timeout=True):
                    ready.set()
                    if changes:
                        loop.add_callback(self.on_changes, changes)
            finally:
                ready.set()  # a watch that failed to start must not hold the server back

        threading.Thread(target=forward_events, daemon=True).start()
        ready.wait()

    def start(self, callback) -> bool:
        # livereload queues a "server restarted" reload for its first poll; with events that
        # first poll is the first save, which would reload the browser before the rebuild.
        self._changes.clear()
        return True  # watching since watch_now: livereload then skips its own polling


def watched_roots(settings_file: Path, overrides: dict | None = None) -> list[Path]:
    """The folders and files whose events wake the watcher (the globs' starting points)."""
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    return [Path(settings["PATH"]), Path(settings["THEME"]),
            Path(settings.get("VOCABULARY_PATH") or project.VOCABULARY),
            Path(settings_file)]


class PreviewState:
    """What the server shows besides the built site: the report of a failed last rebuild, and
    pages rendered by the fast path (newsdesk.site.body_edit) until the full rebuild is done."""

    def __init__(self):
        self.failed: Report | None = None
        self.overlay: dict[str, bytes] = {}  # output path -> page, in front of the tree


class PreviewFileHandler(StaticFileHandler):
    """livereload's file handler, but pages answer with the problems while the build fails,
    and with the fast path's page while the full rebuild after an edit runs."""

    state = PreviewState()  # replaced by serve() with the state its rebuilds update

    async def get(self, path: str, include_body: bool = True) -> None:
        if self.state.failed is not None and _is_page(path):
            self._answer(problems_page(self.state.failed).encode("utf-8"))
            return
        fresh = self.state.overlay.get(_page_file(path))
        if fresh is not None:
            self._answer(fresh)
            return
        await super().get(path, include_body)

    def _answer(self, page: bytes) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page)

    def compute_etag(self) -> str | None:
        # The problems page is no file: no etag (tornado's file etag needs a path).
        return super().compute_etag() if getattr(self, "absolute_path", None) else None


def _page_file(path: str) -> str:
    """The built file a request path shows: "tin-bai/bo/" -> "tin-bai/bo/index.html"."""
    path = path.lstrip("/")
    return f"{path}index.html" if not path or path.endswith("/") else path


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
            state: PreviewState | None = None) -> build.BuildResult:
    """Build into `output`; print the report and the drafts' addresses; the build's result.
    `state` (when given) then holds the report while the build fails."""
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
    return result


class Preview:
    """What a save does: the fast path's page first when it applies, then always a full
    rebuild in a background thread (the server keeps answering meanwhile), then a reload."""

    def __init__(self, settings_file: Path, output: Path, overrides: dict, state: PreviewState,
                 before_full_rebuild=None):
        self.settings_file, self.output, self.overrides = settings_file, output, overrides
        self.state, self.before_full_rebuild = state, before_full_rebuild
        settings = read_settings(str(settings_file), override=dict(overrides))
        self.content = Path(settings["PATH"]).resolve()
        self.kept: body_edit.KeptBuild | None = None
        self.saves = 0           # saves seen; a rebuild started at n includes the first n
        self.building = False
        self.loop: IOLoop | None = None

    def build_now(self) -> None:
        """The first build, before the server starts (in the caller's thread)."""
        self._finish(self._build(), self.saves)

    def on_changes(self, changes) -> None:
        """Paths saved (watchfiles' set of (change, path)), on the server's loop."""
        self.loop = IOLoop.current()
        self.saves += 1
        edited = self._one_item_edited(changes)
        if edited is not None and self.state.failed is None and self.kept is not None:
            try:
                pages = body_edit.render_body_edit(self.kept, edited)
            except Exception:  # e.g. a template the kept build cannot render: the full path
                pages = None
            if pages:
                self.state.overlay.update({name: with_notice(page) for name, page in pages.items()})
                LiveReloadHandler.reload_waiters()
        self._start_full_rebuild()

    def _one_item_edited(self, changes) -> Path | None:
        """The one content file of an item this save changed, else None (the full path).
        An editor's atomic save also touches temporary files gone by now: those are ignored."""
        touched = {Path(path) for _, path in changes}
        touched = {path for path in touched if path.exists()
                   or self.kept is None or self.kept.item_of(path) is not None}
        if len(touched) != 1:
            return None
        path = touched.pop()
        inside = path.resolve().is_relative_to(self.content) and path.is_file()
        return path if inside and path.suffix in CONTENT_SUFFIXES else None

    def _start_full_rebuild(self) -> None:
        if self.building:
            return  # the running one ends by starting another: it sees this save
        self.building = True
        threading.Thread(target=self._full_rebuild, daemon=True).start()

    def _full_rebuild(self) -> None:
        if self.before_full_rebuild is not None:
            self.before_full_rebuild()
        started_at = self.saves  # read on this thread: a save after this is built next time
        try:
            outcome = self._build()
        except Exception as error:  # a bug: the preview must keep answering and rebuilding
            report = Report()
            report.add("livereload", 0, f"Lỗi hệ thống khi dựng lại bản xem trước: "
                       f"{type(error).__name__}: {error}",
                       "Lưu tệp lại một lần nữa; nếu vẫn lỗi, báo cho người quản trị kỹ thuật.")
            outcome = (False, None, report)
        self.loop.add_callback(self._rebuilt, outcome, started_at)

    def _build(self):
        result = rebuild(self.settings_file, self.output, self.overrides)
        kept = body_edit.KeptBuild.take()  # always: a failed run's generators are never kept
        return result.ok, kept if result.ok else None, result.report

    def _rebuilt(self, outcome, started_at: int) -> None:
        self.building = False
        self._finish(outcome, started_at)
        LiveReloadHandler.reload_waiters()
        if self.saves != started_at:
            self._start_full_rebuild()

    def _finish(self, outcome, started_at: int) -> None:
        ok, kept, report = outcome
        self.state.failed = None if ok else report
        if ok:
            self.kept = kept  # None after an unchanged build: then the next save goes in full
        if started_at == self.saves:
            self.state.overlay = {}


def with_notice(page: bytes) -> bytes:
    """The fast path's page with the preview's note that the rest is still being updated."""
    return BODY_START.sub(lambda found: found.group(0) + FAST_NOTICE.encode("utf-8"), page,
                          count=1)


BODY_START = re.compile(rb"<body[^>]*>")
FAST_NOTICE = ('<p class="xem-truoc-nhanh" role="status" style="position:fixed;bottom:0;left:0;'
               'right:0;margin:0;padding:.4em 1em;background:#fff3cd;color:#3d2f00;'
               'font-size:.9rem;z-index:1000">Bản xem trước: trang này đã hiện nội dung mới. '
               'Danh sách bài, tìm kiếm và bản PDF đang được cập nhật, xin đợi giây lát.</p>')


def serve(settings_file: Path, output: Path, port: int = 8000, host: str = "127.0.0.1",
          overrides: dict | None = None, before_full_rebuild=None) -> None:
    """Build, serve `output` on host:port and rebuild + reload on every save (Ctrl+C stops).

    `before_full_rebuild`, called on the rebuild's thread before each full rebuild after a
    save, lets a test hold the rebuild and look at the fast path's page meanwhile."""
    settings_file, output, overrides = Path(settings_file), Path(output), dict(overrides or {})
    preview.ensure_port_free(host, port)
    body_edit.start_keeping()
    state = PreviewState()
    live = Preview(settings_file, output, overrides, state, before_full_rebuild)
    live.build_now()
    cores.stay_in_one_process()  # the watcher's and tornado's threads start now
    # livereload ignores a second save within 3 s of the last reload; editors save often.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    watcher = EventWatcher(watched_roots(settings_file, overrides), live.on_changes)
    watcher.watch_now(IOLoop.current())
    server = Server(watcher=watcher)
    server.SFH = type("ServedFiles", (PreviewFileHandler,), {"state": state})
    print(f"Xem trước tại http://{host}:{port}/ — trang tự tải lại khi lưu bài "
          "(bấm Ctrl+C để dừng).", flush=True)
    server.serve(port=port, host=host, root=str(output), restart_delay=0)
