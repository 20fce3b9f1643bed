"""`invoke publish`, `invoke rollback`, `invoke releases`: every target, side by side.

publish: build with publishconf.py into a fresh folder, from what the last `invoke save`
recorded (newsdesk/content/publish_set.py: content/ and data/ as saved, in a clean tree; the
unsaved files listed, not published); refuse on any content error, an unconfigured site
(readiness: sample address, targets or office contact) or a draft leak; name the release after
its content; deploy to every target in a thread pool; print a summary table. Each target is
independent: one that is down fails alone, and running again only does what a target is
missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pelican.settings import get_settings_from_file

from newsdesk import project
from newsdesk.content import dates, publish_set
from newsdesk.site import build as site_build
from newsdesk.site import kiosk_files
from newsdesk.publish import deploy, drafts, readiness, targets
from newsdesk.content.numbers import seconds, size
from newsdesk.publish.release import LocalRelease, prepare
from newsdesk.publish.remote import Remote

DEFAULTS = {
    "PUBLISH_TARGETS": {},          # name -> "ssh://user@host:port/path"
    "PUBLISH_KEEP_RELEASES": 5,     # releases kept on each target, the current one included
    "PUBLISH_PARALLEL": 4,          # targets deployed at the same time
    "PUBLISH_RSYNC_TIMEOUT": 120,   # seconds without any data before rsync gives up
    "PUBLISH_COMMAND_TIMEOUT": 120,  # seconds for each remote command (look, switch, tidy)
    "PUBLISH_RSYNC_OPTIONS": [],    # extra rsync options, e.g. ["--bwlimit=500"] for kiosks
    "PUBLISH_LOCK_STALE_AFTER": 180,  # seconds without a heartbeat before a target's lock is stale
}


class Console:
    """Lines from several threads, never interleaved mid-line."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.lock = threading.Lock()

    def line(self, text: str = "") -> None:
        with self.lock:
            print(text, file=self.stream, flush=True)


@dataclass
class PublishRun:
    refusal: str = ""
    build: site_build.BuildResult | None = None
    release: LocalRelease | None = None
    kiosk_release: LocalRelease | None = None  # for `kiosk+ssh://` targets (docs/dang-tai.md)
    drafts_seen: list = field(default_factory=list)
    unsaved: tuple[str, ...] = ()  # working files that differ from the last save: not sent
    outcomes: list[deploy.Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusal and bool(self.outcomes) and all(o.ok for o in self.outcomes)


def load_settings(settings_file, overrides: dict | None = None) -> dict:
    return {**DEFAULTS, **get_settings_from_file(str(settings_file)), **(overrides or {})}


def _start(settings_file, overrides, environ, out, names: str, refused: str):
    """(console, environ, settings, chosen targets or None when they are written wrongly)."""
    console, environ = Console(out), os.environ if environ is None else environ
    settings = load_settings(settings_file, overrides)
    try:
        chosen = targets.select(targets.configured(settings, environ), names)
    except targets.TargetError as error:
        console.line(f"{refused}: {error}")
        chosen = None
    return console, environ, settings, chosen


def publish(settings_file=project.PUBLISH_SETTINGS, overrides: dict | None = None,
            environ: dict | None = None, only: str = "", dry_run: bool = False,
            out=None) -> PublishRun:
    console, environ, settings, chosen = _start(settings_file, overrides, environ, out, only,
                                                "KHÔNG ĐĂNG")
    run = PublishRun()
    if chosen is None:
        run.refusal = "đích đăng khai báo sai"
        return run
    _publish(settings_file, settings, overrides, environ, chosen, dry_run, console, run)
    if run.unsaved:  # last, where the verdict is read: what this publish left out
        console.line()
        console.line(f"Chưa lưu — không đăng ({len(run.unsaved)} tệp; lưu bằng "
                     "invoke save \"lời nhắn\" rồi chạy lại invoke publish):")
        for name in run.unsaved:
            console.line(f"  - {name}")
    return run


def _publish(settings_file, settings, overrides, environ, chosen, dry_run, console: Console,
             run: PublishRun) -> None:
    with tempfile.TemporaryDirectory(prefix="newsdesk-publish-") as workdir, \
            _saved_source(settings, overrides, console, run) as overrides:
        if run.refusal:
            return
        unready = readiness.problems({**settings, **(overrides or {})}, chosen)
        run.release = _build_release(settings_file, overrides, settings, Path(workdir), run,
                                     console, unready)
        if not run.refusal and any(target.kiosk for target in chosen):
            run.kiosk_release = _kiosk_release(settings_file, settings, Path(workdir), run,
                                               console)
        if run.refusal:
            return
        keep = int(settings["PUBLISH_KEEP_RELEASES"])

        def one(target: targets.Target) -> deploy.Outcome:
            remote = Remote(target, environ, settings)
            release = run.kiosk_release if target.kiosk else run.release
            if dry_run:
                return deploy.dry_run(remote, release)
            return deploy.publish(remote, release, keep, _progress(console, target))

        run.outcomes = _each(chosen, one, settings, console,
                             "Đang so sánh với" if dry_run else "Đang gửi tới")
    if dry_run:
        _show_changes(run.outcomes, console)
    _show_summary(run.outcomes, console, show_bytes=not dry_run)
    if not dry_run:
        _show_verdict(run.outcomes, console)


@contextlib.contextmanager
def _saved_source(settings, overrides, console: Console, run: PublishRun):
    """The build's overrides for what the last `invoke save` recorded: content/ and data/ as
    saved, in a clean tree of their own (the working files may be half-done); the unsaved
    files are named, never published. A project outside git publishes its working files."""
    root = Path(settings["PATH"]).resolve().parent
    try:
        state = publish_set.saved_state(root)
    except publish_set.SavedStateError as error:
        run.refusal = "không đọc được bản đã lưu"
        console.line(f"KHÔNG ĐĂNG: {error} Không máy nào bị thay đổi.")
        yield overrides
        return
    if not state.in_git:
        console.line("Thư mục dự án không có bản đã lưu (kho git): đăng các tệp hiện có trong "
                     "content/ và data/.")
        yield overrides
        return
    console.line(f"Đăng bản đã lưu {state.commit[:10]} (content/ và data/ như lần "
                 "invoke save gần nhất).")
    run.unsaved = state.unsaved
    folder = root / ".cache" / "publish"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one publish of this project at a time uses it
        try:
            saved = publish_set.export_saved(state, folder / "saved")
        except publish_set.SavedStateError as error:
            run.refusal = "không lấy được bản đã lưu"
            console.line(f"KHÔNG ĐĂNG: {error} Không máy nào bị thay đổi.")
            yield overrides
            return
        if not (saved / "content").is_dir():  # never an empty site over the live one
            run.refusal = "chưa lưu bài nào"
            console.line("KHÔNG ĐĂNG: thư mục content/ chưa được lưu lần nào. Lưu bằng: "
                         "invoke save \"lời nhắn\" rồi chạy lại invoke publish. Không máy nào "
                         "bị thay đổi.")
            yield overrides
            return
        yield {**(overrides or {}), **_saved_paths(settings, root, saved)}


def _saved_paths(settings, root: Path, saved: Path) -> dict:
    """Settings that name a file of content/ or data/, moved into the saved tree; the files
    the machine keeps (publish_set.WORKING_DATA) stay the working ones."""
    moved = {"PATH": str(saved / "content"),
             "URL_HISTORY_PATH": settings.get("URL_HISTORY_PATH",
                                              str(root / "data" / "url-history.json"))}
    vocabulary_path = Path(settings.get("VOCABULARY_PATH", "")).resolve()
    if vocabulary_path.is_relative_to(root / "data"):
        moved["VOCABULARY_PATH"] = str(saved / vocabulary_path.relative_to(root))
    return moved


def _build_release(settings_file, overrides, settings, workdir: Path, run: PublishRun,
                   console: Console, unready=()) -> LocalRelease | None:
    """Build into a fresh folder and check it; sets `run.refusal` when it must not ship.
    `unready` (readiness.problems: the site not configured) joins the build's one list."""
    tree, noted = workdir / "site", []
    console.line(f"Đang dựng trang để đăng (theo {Path(settings_file).name})…")
    run.build = site_build.build(settings_file, tree, {**(overrides or {}), drafts.SEEN: noted})
    run.build.report.extend(unready)
    if run.build.report.problems:
        console.line(run.build.report.format())
        console.line()
    if not run.build.ok:
        run.refusal = f"nội dung còn lỗi ({run.build.report.summary()})"
        console.line(f"KHÔNG ĐĂNG: {run.build.report.summary()} Sửa các lỗi trên rồi chạy lại "
                     "invoke publish. Không máy nào bị thay đổi.")
        return None
    tree = tree.resolve()  # the build's output is a link to its tree: ship the tree itself
    run.drafts_seen = noted
    leaks = drafts.leaks(tree, noted, settings)
    if leaks:
        run.refusal = "bản nháp lọt vào trang"
        console.line("KHÔNG ĐĂNG: bản nháp lọt vào trang sẽ đăng:")
        for leak in leaks:
            console.line(f"  - {leak}")
        console.line("  → Báo người quản trị kỹ thuật (kiểm tra DRAFT_SAVE_AS trong "
                     "publishconf.py và các mẫu trang). Không máy nào bị thay đổi.")
        return None
    built = prepare(tree, settings.get("SITEURL", ""), Path(settings_file).resolve().parent)
    console.line(f"Bản phát hành {built.id}: {built.files} tệp, {size(built.bytes)}.")
    if built.leftovers:
        console.line(f"Không đăng các tệp thừa: {', '.join(built.leftovers)}.")
    return built


def _kiosk_release(settings_file, settings, workdir: Path, run: PublishRun,
                   console: Console) -> LocalRelease | None:
    """The kiosk release tree: the kiosk pages and exactly the files they link, from the built
    tree, checked for drafts like the whole site; sets `run.refusal` when it must not ship."""
    tree = workdir / "kiosk-site"
    kiosk_files.copy_tree(run.release.tree, settings.get("KIOSK_URL", "kiosk/"), tree)
    leaks = drafts.leaks(tree, run.drafts_seen, settings)
    if leaks:
        run.refusal = "bản nháp lọt vào bản ki-ốt"
        console.line("KHÔNG ĐĂNG: bản nháp lọt vào bản ki-ốt sẽ đăng:")
        for leak in leaks:
            console.line(f"  - {leak}")
        return None
    built = prepare(tree, settings.get("SITEURL", ""), Path(settings_file).resolve().parent)
    console.line(f"Bản ki-ốt {built.id}: {built.files} tệp, {size(built.bytes)}.")
    return built


def _each(chosen, action, settings, console: Console, doing: str) -> list[deploy.Outcome]:
    """Run `action` on every target in a thread pool; `doing` names it ("Đang gửi tới")."""
    console.line(f"{doing} {len(chosen)} đích: {', '.join(t.name for t in chosen)}.")
    workers = max(1, min(int(settings["PUBLISH_PARALLEL"]), len(chosen)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="publish") as pool:
        return list(pool.map(action, chosen))


def _progress(console: Console, target: targets.Target):
    """A callback printing `[name] 40% …` lines: at start, every quarter and every 5 s."""
    last = {"step": -1, "time": 0.0}

    def report(percent: int, done: int, rate: str) -> None:
        now = time.monotonic()
        if percent // 25 != last["step"] or now - last["time"] >= 5:
            last.update(step=percent // 25, time=now)
            console.line(f"  [{target.name}] {percent}% – đã gửi {size(done)} "
                         f"({rate.replace('.', ',')})")
    return report


def rollback(settings_file=project.PUBLISH_SETTINGS, target: str = "", to: str = "",
             overrides: dict | None = None, environ: dict | None = None,
             out=None) -> list[deploy.Outcome]:
    console, environ, settings, chosen = _start(settings_file, overrides, environ, out, target,
                                                "KHÔNG QUAY LẠI ĐƯỢC")
    if chosen is None:
        return []
    outcomes = _each(chosen, lambda t: deploy.rollback(Remote(t, environ, settings), to),
                     settings, console, "Đang quay lại bản trước trên")
    _show_summary(outcomes, console, show_bytes=False)
    return outcomes


def releases(settings_file=project.PUBLISH_SETTINGS, target: str = "", overrides: dict | None = None,
             environ: dict | None = None, out=None) -> dict:
    """{target name: [ReleaseInfo, newest first] or Failure}, also printed as tables."""
    console, environ, settings, chosen = _start(settings_file, overrides, environ, out, target,
                                                "KHÔNG XEM ĐƯỢC")
    if chosen is None:
        return {}
    found = dict(zip([t.name for t in chosen],
                     _each(chosen, lambda t: deploy.releases(Remote(t, environ, settings)),
                           settings, console, "Đang xem các bản trên")))
    for chosen_target in chosen:
        listing = found[chosen_target.name]
        console.line()
        console.line(f"── {chosen_target.name} ({chosen_target.url})")
        if isinstance(listing, deploy.Failure):
            console.line(listing.describe(chosen_target))
        elif not listing:
            console.line("Chưa có bản nào.")
        else:
            rows = [["Bản", "Dựng lúc", "Số tệp", "Dung lượng", "Mã nguồn", ""]]
            rows += [[info.id, _when(info.manifest.get("built_at")),
                      str(info.manifest.get("files", "?")), size(info.manifest.get("bytes")),
                      str(info.manifest.get("commit") or "")[:10],
                      "← đang chạy" if info.current else ""] for info in listing]
            console.line(table(rows))
    return found


def _show_changes(outcomes, console: Console) -> None:
    limit = 40
    for outcome in outcomes:
        if not outcome.changes:
            continue
        console.line()
        counts = _count_changes(outcome.changes)
        console.line(f"── {outcome.target.name}: {outcome.action}; {counts}")
        for line in outcome.changes[:limit]:
            console.line(f"  {line}")
        if len(outcome.changes) > limit:
            console.line(f"  … và {len(outcome.changes) - limit} dòng nữa.")


def _count_changes(lines: list[str]) -> str:
    new = sum(1 for line in lines if line[1:2] == "f" and "+++++++" in line)
    changed = sum(1 for line in lines if line[1:2] == "f" and "+++++++" not in line)
    deleted = sum(1 for line in lines if line.startswith("*deleting") and not line.endswith("/"))
    return f"{new} tệp mới, {changed} tệp sửa, {deleted} tệp xóa."


def _show_summary(outcomes, console: Console, show_bytes: bool) -> None:
    header = ["Đích", "Kết quả", "Bản", *(["Đã gửi"] if show_bytes else []), "Thời gian"]
    rows = [header]
    for o in outcomes:
        result = f"LỖI: {o.failure.what}" if o.failure else o.action
        rows.append([o.target.name, result, (o.ok and o.release) or "—",
                     *([size(o.bytes_sent)] if show_bytes else []), seconds(o.seconds)])
    console.line()
    console.line(table(rows))
    for o in outcomes:
        if o.failure:
            console.line()
            console.line(o.failure.describe(o.target))
        if o.note:
            console.line(f"Lưu ý ({o.target.name}): {o.note}.")


def _show_verdict(outcomes, console: Console) -> None:
    failed = [o.target.name for o in outcomes if not o.ok]
    console.line()
    if failed:
        console.line(f"ĐĂNG CHƯA XONG: lỗi ở {len(failed)}/{len(outcomes)} đích ({', '.join(failed)}). "
                     "Sửa theo hướng dẫn trên rồi chạy lại invoke publish: đích nào đã cập nhật "
                     "sẽ không phải gửi lại.")
    else:
        console.line(f"Đã đăng xong trên {len(outcomes)}/{len(outcomes)} đích.")


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("─" * width for width in widths))
    return "\n".join(lines)


def _when(text) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return "?"
    return f"{dates.short_date(moment)} {dates.time_of_day(moment)}"
