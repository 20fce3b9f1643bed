"""Steps that run on the finished site, after Pelican and before the output is updated.

A step (the search index, the leaflets' PDFs) reads the built staging tree and adds files to
it. Its result is cached by content: `inputs(tree, settings)` names everything the result
depends on, as bytes or text; when their hash matches a stored result, the files are copied
back into the tree (hard links) instead of running the step. The cache lives outside the output
(POSTSTEPS_CACHE_DIR, default .cache/poststeps at the project root), as
`<cache>/<step>/<key>/`, because a publish builds into a fresh folder.

Which steps run is the setting POSTSTEPS: a list of `PostStep` (a plugin may append its own at
`initialized`). Each sees the tree as Pelican left it, so they run side by side and their
files are added in list order. newsdesk/site/build.py calls `run_steps` once; a failing step
is an error in the build's report, so the output stays as it was.

A step marked `early` reads only pages the render queue writes (the search index: item
pages), never a file a queued task writes (the feeds) or one written at Pelican's
`finalized` (the kiosk's service worker, the stylesheet, the sitemap). In a build (newsdesk/site/build.py gives its context an
`EarlySteps`), those steps start as soon as every queued page is written, before the queued
feeds, in a forked process: so Pagefind runs beside the feeds, Pelican's last work and the
other steps' keys (newsdesk/site/cores.py; a process that must not fork runs them with the
others). A process rather than a thread: hashing a thousand pages in a thread beside Pelican's
busy one waits for the GIL at every file and took ten times as long. `run_steps` then takes
their outcomes, and a build that stops before waits for them (`wait_early`), since its tree is
then removed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import pickle
import shutil
import tempfile
import threading
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from newsdesk import project
from newsdesk.content.problems import Report
from newsdesk.disk_cache import link_read_only
from newsdesk.site import cores
from newsdesk.site.context import context_of

T = TypeVar("T")
DEFAULT_CACHE_DIR = project.ROOT / ".cache" / "poststeps"
KEEP_RESULTS = 4  # stored results kept per step (a preview and a publish key, and older ones)
KEEP_PART_DAYS = 14  # a stored part (a page's PDFs, a search shard) unused this long is dropped


class PostStepError(Exception):
    """A step's own failures, each already worded for the build's report (Vietnamese)."""


@dataclass(frozen=True)
class PostStep:
    """One step: `run(tree, out, settings)` writes its files into `out`, laid out as in the
    tree; they are stored in the cache and copied into the tree."""

    name: str  # folder name in the cache: lowercase ASCII, never changed
    label: str  # what the build summary calls it, in Vietnamese: "chỉ mục tìm kiếm"
    inputs: Callable[[Path, dict], Iterable[bytes | str]]
    run: Callable[[Path, Path, dict], None]
    version: str = "1"  # bump when the step's code changes what it writes
    early: bool = False  # reads only pages the render queue writes: see the module docstring


@dataclass(frozen=True)
class StepOutcome:
    name: str
    label: str
    reused: bool

    def summary(self) -> str:
        done = "dùng lại bản lưu" if self.reused else "đã chạy lại"
        return f"Bước sau dựng: {self.label} — {done}."


def append_step(settings: dict, step: PostStep) -> None:
    """Add `step` to POSTSTEPS once (what a plugin does at `initialized`)."""
    steps = list(settings.get("POSTSTEPS") or [])
    if not any(known.name == step.name for known in steps):
        steps.append(step)
    settings["POSTSTEPS"] = steps


_this_run: dict | None = None  # while steps run: what they work out once (see per_run)


@contextlib.contextmanager
def _steps_running():
    """While steps run, the tree is as Pelican left it: what they read of it is worked out
    once (per_run); their files added, it no longer holds."""
    global _this_run
    _this_run = {}
    try:
        yield
    finally:
        _this_run = None


def per_run(key, make: Callable[[], T]) -> T:
    """`make()`, worked out once while steps run (a tree's listing, its marked pages, a part's
    key), shared by the steps and their keys; worked out at each call otherwise."""
    if _this_run is None:
        return make()
    if key not in _this_run:
        _this_run[key] = make()
    return _this_run[key]


def built_files(tree: Path, under: str = "", suffix: str = "") -> list[str]:
    """The files of the built `tree` under its folder `under` ("" for all) whose names end
    with `suffix`, as paths (strings: a tree holds tens of thousands), sorted as paths sort.
    While steps run, the steps and their keys share one listing of the tree."""
    tree = Path(tree)
    every = per_run(("listing", tree), lambda: _walk(tree))
    prefix = under.strip("/") + "/" if under.strip("/") else ""
    base = str(tree) + os.sep
    return [base + p for p in every if p.startswith(prefix) and p.endswith(suffix)]


def _walk(tree: Path) -> list[str]:
    """Relative POSIX paths of the tree's files, in the order of sorted Paths (by parts)."""
    found, start = [], len(str(tree)) + 1
    for top, _, names in os.walk(tree):
        folder = top[start:]
        found += [f"{folder}/{name}" if folder else name for name in names]
    return sorted(found, key=lambda path: path.split("/"))


def marked_digest(data: bytes, marker: bytes, within: int | None = None) -> str | None:
    """The digest of a page's bytes if they hold `marker` (in their first `within` bytes)."""
    if data.find(marker, 0, within) < 0:
        return None
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def marked_pages(tree: Path, settings: dict, name: str, marker: bytes,
                 within: int | None = None, under: str = "", suffix: str = ".html",
                 ) -> dict[str, str]:
    """The pages of the built `tree` (under `under`, ending with `suffix`) that hold `marker`:
    path -> the digest of its bytes (a step's key hashes that, not the bytes again). Taken
    from what the render queue noted of each page it rendered or kept
    (render_queue.note_marked under `name`); a page it did not write is read."""
    notes = context_of(settings).page_notes.get(name)
    noted = notes.found if notes is not None else {}
    found = {}
    for path in built_files(tree, under, suffix):
        if path in noted:
            digest = noted[path]
        else:
            with open(path, "rb") as page:
                digest = marked_digest(page.read(), marker, within)
        if digest is not None:
            found[path] = digest
    return found


def tree_files(tree: Path, pattern: str = "**/*") -> Iterable[bytes | str]:
    """Key parts for every file of the tree matching `pattern`: its path, then its bytes."""
    for path in sorted(p for p in tree.glob(pattern) if p.is_file()):
        yield path.relative_to(tree).as_posix()
        yield path.read_bytes()


def step_key(step: PostStep, parts: Iterable[bytes | str]) -> str:
    """A hash of the step's name, version and inputs."""
    return parts_key(f"{step.name}\0{step.version}\0", parts)


def parts_key(head: str, parts: Iterable[bytes | str]) -> str:
    """A hash of `head` and the parts (each length-prefixed)."""
    digest = hashlib.sha256(head.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else bytes(part)
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:32]


def run_steps(tree: Path, settings: dict, report: Report) -> list[StepOutcome]:
    """Run (or restore from the cache) every step of POSTSTEPS on the built `tree`.

    Every step sees the tree as Pelican left it, never another step's files: all keys are
    taken first, the steps not stored then run side by side (Pagefind and WeasyPrint leave a
    core idle), each into its own folder, and the results are added to the tree in order."""
    cache = Path(settings.get("POSTSTEPS_CACHE_DIR") or DEFAULT_CACHE_DIR)
    steps = list(settings.get("POSTSTEPS") or [])
    early = context_of(settings).early_steps
    started = early.names if early is not None else set()
    with _steps_running(), ThreadPoolExecutor(max_workers=max(1, len(steps))) as pool:
        jobs = {step.name: _start(step, Path(tree), cache / step.name, settings, pool)
                for step in steps if step.name not in started}
    if started:
        jobs.update(early.outcomes())
    outcomes = []
    for step in steps:
        try:
            stored, reused = jobs[step.name].result()
            try:
                add_tree(stored, tree)
            except FileNotFoundError:  # pruned meanwhile by another build sharing the cache
                stored, reused = _stored_or_run(step, Path(tree), cache / step.name, settings)
                add_tree(stored, tree)
            outcomes.append(StepOutcome(step.name, step.label, reused))
        except Exception as error:  # a step's fault must fail the build, never crash it
            _report_failure(step, error, report, cache, Path(tree))
    return outcomes


def _start(step: PostStep, tree: Path, cache: Path, settings: dict, pool) -> Future:
    """(the folder of the step's result, whether it was stored): at once when its key is
    stored, else from its run started in `pool`. The key is taken in this thread (hashing is
    Python's own work, which threads would only slow)."""
    found: Future = Future()
    try:
        stored, ready = _stored(step, tree, cache, settings)
    except Exception as error:
        found.set_exception(error)
        return found
    if not ready:
        return pool.submit(_run_into, step, tree, stored, settings)
    found.set_result((stored, True))
    return found


def _stored(step: PostStep, tree: Path, cache: Path, settings: dict) -> tuple[Path, bool]:
    """(the result's folder, named by the step's key; whether it is stored already)."""
    stored = cache / step_key(step, step.inputs(tree, settings))
    if not stored.is_dir():
        return stored, False
    os.utime(stored)  # recently used: kept when older results are pruned
    return stored, True


def _stored_or_run(step: PostStep, tree: Path, cache: Path, settings: dict) -> tuple[Path, bool]:
    """(the folder of the step's result, whether it was stored already), in this thread."""
    stored, ready = _stored(step, tree, cache, settings)
    return (stored, True) if ready else _run_into(step, tree, stored, settings)


class EarlySteps:
    """The `early` steps of one build, run in a forked process once the pages are written."""

    def __init__(self):
        self.names: set[str] = set()
        self._run: cores.Forked | None = None
        self._outcomes: dict[str, Future] | None = None

    def start(self, tree: Path, settings: dict) -> None:
        steps = [step for step in settings.get("POSTSTEPS") or [] if step.early]
        if not steps or self._run is not None or not cores.can_fork():
            return  # else run_steps runs them, as any other
        cache = Path(settings.get("POSTSTEPS_CACHE_DIR") or DEFAULT_CACHE_DIR)

        def run() -> dict:  # side by side, as run_steps does (the site's and the kiosk's
            # index share shards)
            with _steps_running(), ThreadPoolExecutor(max_workers=len(steps)) as pool:
                jobs = {step.name: pool.submit(_stored_or_run, step, tree, cache / step.name,
                                               settings) for step in steps}
            return {name: _picklable(job.exception()) or job.result()
                    for name, job in jobs.items()}

        try:
            self._run = cores.Forked(run)
        except OSError:  # no process to spare
            return
        self.names = {step.name for step in steps}

    def outcomes(self) -> dict[str, Future]:
        """Each early step's outcome, as `_start` gives it (waits for the process, once)."""
        if self._outcomes is None:
            try:
                answer = self._run.result() if self._run is not None else {}
            except cores.JobFailed as failure:
                answer = {name: failure for name in self.names}
            self._outcomes = {}
            for name, value in answer.items():
                found = self._outcomes[name] = Future()
                if isinstance(value, BaseException):
                    found.set_exception(value)
                else:
                    found.set_result(value)
        return self._outcomes


def start_early(tree: Path, settings: dict) -> None:
    """Start the `early` steps now, if this is a build that runs its steps (its context has an
    EarlySteps) and no error was found so far."""
    context = context_of(settings)
    if context.early_steps is not None and not context.report.errors:
        context.early_steps.start(Path(tree), settings)


def wait_early(settings: dict) -> None:
    """Wait for the early steps still running (a build that stops removes their tree)."""
    if context_of(settings).early_steps is not None:
        context_of(settings).early_steps.outcomes()


def _picklable(error: BaseException | None) -> BaseException | None:
    try:
        pickle.dumps(error)
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def _run_into(step: PostStep, tree: Path, stored: Path, settings: dict) -> tuple[Path, bool]:
    store(stored, lambda work: step.run(tree, work, settings))
    _prune(stored.parent, keep=stored)
    return stored, False


def store(stored: Path, make: Callable[[Path], None]) -> None:
    """Make the cache folder `stored` with `make(folder)`: in a folder beside it, renamed in
    whole, so a stored result is always complete (another build may store it meanwhile)."""
    stored.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".run-", dir=stored.parent))
    try:
        make(work)
        work.rename(stored)
    except OSError:
        if not stored.is_dir():
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def kept_part(kept: Path, key: str, make: Callable[[Path], None]) -> Path:
    """A part of a step's result stored under its own key in the folder `kept` (one page's
    PDFs, one search shard), made by `make(folder)` when missing: so a step whose inputs
    changed in one part redoes that part only. Steps running side by side that need the same
    part (the site's and the kiosk's search index) make it once. Marked used, for
    `prune_parts`."""
    stored = kept / key
    with _making_lock:
        making = _making.setdefault(str(stored), threading.Lock())
    with making:
        if not stored.is_dir():
            store(stored, make)
    with _making_lock:
        _making.pop(str(stored), None)
    os.utime(stored)
    return stored


_making: dict[str, threading.Lock] = {}  # a part's folder -> held while a step makes it
_making_lock = threading.Lock()


def prune_parts(kept: Path) -> None:
    """Drop the parts of `kept` unused for KEEP_PART_DAYS."""
    oldest = time.time() - KEEP_PART_DAYS * 86400
    for entry in kept.iterdir() if kept.is_dir() else ():
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < oldest:
                shutil.rmtree(entry)


def add_tree(stored: Path, into: Path, ignore: Callable | None = None) -> None:
    """Add the files of `stored` into `into` (link_or_copy), stopping at the first failure
    (a full disk: one error, not one per file). Folders get the umask's mode, never a cache
    folder's (mkdtemp makes it 0700, which would hide the site from the web server)."""
    def fail(error: OSError):
        raise error

    for directory, folders, files in os.walk(stored, onerror=fail):
        target = os.path.normpath(os.path.join(into, os.path.relpath(directory, stored)))
        os.makedirs(target, exist_ok=True)
        ignored = ignore(directory, folders + files) if ignore else set()
        folders[:] = [name for name in folders if name not in ignored]
        for name in files:
            if name not in ignored:
                destination = os.path.join(target, name)
                try:
                    link_or_copy(os.path.join(directory, name), destination)
                except OSError as error:
                    error.filename, error.filename2 = destination, None  # not the cache's file
                    raise


def link_or_copy(source: str, destination: str) -> None:
    """A stored result is never changed in place (renamed in whole, removed in whole): the
    tree shares its files rather than copying them."""
    try:
        link_read_only(source, destination)
    except FileExistsError:
        os.unlink(destination)
        link_read_only(source, destination)


def _prune(cache: Path, keep: Path) -> None:
    """Drop all but the newest stored results of a step."""
    results = sorted((p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in [p for p in results if p != keep][KEEP_RESULTS - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def out_of_space(error: BaseException) -> OSError | None:
    """The full disk (or quota) behind `error`, however it was wrapped; None for any other."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return error
        error = error.__cause__ or error.__context__
    return None


def space_problem(error: OSError, doing: str, tree: Path) -> tuple[str, str]:
    """(message, hint) for a full disk met while `doing` in `tree`: where, and that the site
    is kept."""
    return (f"Ổ đĩa đã đầy khi {doing} ({error.filename or tree}).",
            "Giải phóng chỗ trống trên ổ đĩa (xóa tệp không cần, dọn thùng rác) rồi dựng lại. "
            "Trang cũ được giữ nguyên như trước.")


def write_log(log: Path, text: str) -> str:
    """Write a crash log; the hint's words for it (a full disk must not raise again)."""
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(text, encoding="utf-8")
    except OSError:
        return "chép lại thông báo lỗi này"
    return f"gửi kèm tệp {log}"


def _report_failure(step: PostStep, error: Exception, report: Report, cache: Path,
                    tree: Path) -> None:
    if isinstance(error, PostStepError):
        for message in error.args:  # one problem each
            report.add(step.name, 0, f"Bước sau dựng \"{step.label}\" không làm được: {message}",
                       "Sửa theo thông báo rồi dựng lại.")
        return
    full = out_of_space(error)
    if full is not None:
        report.add(step.name, 0, *space_problem(full, f"làm bước sau dựng \"{step.label}\"",
                                                       tree))
        return
    sent = write_log(cache / ".poststep-error.log", traceback.format_exc())
    report.add(step.name, 0,
               f"Lỗi hệ thống ở bước sau dựng \"{step.label}\": {type(error).__name__}: {error}",
               f"Báo cho người quản trị kỹ thuật, {sent}.")

