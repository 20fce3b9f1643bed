"""Build the site aside, then swap the whole output in at once, only if nothing failed.

`output` is a symbolic link to a complete tree beside it, `.output-<id>`. Pelican writes into a
fresh tree; when the content has no error, files whose bytes did not change are hard-linked
from the current tree (same inode, same mtime) and the link is switched by renaming a new link
over it (rename(2) is atomic). An interrupt at any moment (Ctrl+C, SIGTERM, SIGKILL, a full
disk) therefore leaves the old site or the new one in `output`, never a mix and never nothing.
A failed build leaves the output exactly as it was; an unchanged build rewrites no file and
does not even switch the link. When no input changed at all since the last successful build of
this output (newsdesk/site/unchanged.py: content, settings, today, vocabulary, theme, plugins,
code), Pelican does not even run: the report of that build is replayed and nothing is touched.

Why a symlink rather than `renameat2(RENAME_EXCHANGE)` of two real folders: rename over a
symlink is POSIX and works on every filesystem (exchange is Linux-only and refused by some
filesystems), it is how `current` is switched on every publish target, and the old tree is
never renamed while a server may be reading it. The exchange is used once, to turn an `output`
folder left by an older build into the link without a moment with no `output`.

Trees no longer linked and trees of interrupted builds are removed by the next build. Builds
into one output take a lock (`.output.lock` beside it) for their whole run, so that cleanup
never removes the tree of a build still running (livereload rebuilds while an editor builds).
Servers and tools must follow the link: serve the link's path (each request resolves it
again), and hand rsync the resolved tree or the link with a trailing slash.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import errno
import fcntl
import filecmp
import io
import logging
import os
import re
import secrets
import shutil
import stat
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pelican.settings import read_settings

from newsdesk import project
from newsdesk.content import dates, numbers, vocabulary
from newsdesk.site import old_trees, poststep, render_queue, templating, unchanged
from newsdesk.site.context import BuildContext
from newsdesk.content.problems import ContentErrors, Problem, Report

log = logging.getLogger(__name__)
# Beside `output`, a build owns `.output-` + 8 characters of mkdtemp's alphabet (trees and
# temporary links) and `.output.lock`; builds before the swap left `.build-` staging folders.
OWN_SUFFIX = r"-[a-z0-9_]{8}"
OLD_STAGING = re.compile(r"\.build" + OWN_SUFFIX)
REASONS = {errno.EACCES: "không có quyền ghi", errno.EPERM: "không có quyền ghi",
           errno.EROFS: "ổ đĩa chỉ cho đọc", errno.ENOSPC: "ổ đĩa đã đầy",
           errno.EDQUOT: "đã hết hạn mức dung lượng",
           errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
           errno.EBUSY: "thư mục đang được gắn (mount) hoặc đang bận"}
# What one build may write (BUILD_MAX_OUTPUT_BYTES): the sample site is a few MB; a district's
# years of news with pictures stay well under this.
BUILD_MAX_OUTPUT_BYTES = 4 * 1024**3
RENAME_EXCHANGE = 2
AT_FDCWD = -100
# Written into every tree a build makes: a plain `output` folder holding it is an older build's
# and may be replaced; any other folder with files in it is someone's, never touched.
BUILD_MARKER = ".newsdesk-build"


class OutputError(Exception):
    """The output folder cannot be written or swapped; message and hint in Vietnamese."""

    def __init__(self, path: Path, message: str, hint: str):
        super().__init__(message)
        self.path, self.message, self.hint = path, message, hint

    def __str__(self) -> str:
        return f"{self.message}\n    → {self.hint}"


def reason(error: OSError) -> str:
    """Why a file operation failed, in an editor's words."""
    return REASONS.get(error.errno, error.strerror or type(error).__name__)


@dataclass
class SyncStats:
    written: list[str] = field(default_factory=list)   # new or changed files
    removed: list[str] = field(default_factory=list)   # files of the old site no longer built
    unchanged: int = 0                                 # hard-linked from the old site
    size: int = 0                                      # bytes of the new site


@dataclass
class BuildResult:
    report: Report
    output: Path
    sync: SyncStats | None = None
    items: int = 0
    pages: int = 0
    poststeps: list[poststep.StepOutcome] = field(default_factory=list)
    fast_path: bool = False  # nothing changed since the last build: Pelican did not run
    pages_kept: int = 0  # pages linked from earlier renders (newsdesk.site.render_memo)

    @property
    def ok(self) -> bool:
        return not self.report.errors

    def summary(self) -> str:
        if not self.ok:
            return (f"Dựng trang THẤT BẠI: {self.report.summary()} "
                    f"Thư mục {self.output} được giữ nguyên như trước.")
        return (f"Đã dựng {self.items} bài và {self.pages} trang vào {self.output}: "
                f"{len(self.sync.written)} tệp mới hoặc đổi, {len(self.sync.removed)} tệp bỏ, "
                f"{self.sync.unchanged} tệp giữ nguyên."
                + (" Không có gì thay đổi kể từ lần dựng trước nên không phải dựng lại."
                   if self.fast_path else "")
                + "".join(f"\n{outcome.summary()}" for outcome in self.poststeps))


def build(settings_file: str | Path = project.SETTINGS, output: str | Path | None = None,
          overrides: dict | None = None) -> BuildResult:
    """Build with the given settings into `output` (default: the settings' OUTPUT_PATH)."""
    report = Report()
    content = (overrides or {}).get("PATH")
    missing = content_folder_problem(content) if content is not None else None
    if missing:  # before Pelican's settings, which raise on a missing folder
        report.extend([missing])
        return BuildResult(report=report, output=output_path(output or project.OUTPUT))
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    templating.keep_compiled_templates(settings)
    output = output_path(output or settings["OUTPUT_PATH"])
    result = BuildResult(report=report, output=output)
    try:
        context = BuildContext.from_settings(settings, report)  # a wrong --today stops here
    except dates.TodayError as error:
        report.add("--today", 0, str(error), dates.TODAY_HINT)
        return result
    except vocabulary.VocabularyError as error:
        error.add_to(report, "Sửa tệp từ vựng rồi dựng lại.")
        return result
    try:
        check_output(output, Path(settings["PATH"]))
        with locked(output):
            _build_unless_unchanged(settings_file, settings, context, result)
    except OutputError as error:
        report.add(error.path, 0, error.message, error.hint)
    return result


def output_path(path: str | Path) -> Path:
    """`path` made absolute with its folder resolved, but not itself: it is the link."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name


def content_folder_problem(path: str | Path) -> Problem | None:
    """The problem with a content folder that does not exist (None when it does)."""
    if Path(path).is_dir():
        return None
    return Problem(str(path), 0, f"Không có thư mục nội dung {path}.",
                   "Kiểm tra đường dẫn sau --content (bỏ trống thì dùng content/ của dự án).")


def check_output(output: Path, content: Path) -> None:
    """Refuse, before anything is built, an output that names a file or holds the sources."""
    if output.exists() and not output.is_dir() or not output.name:
        raise OutputError(output, f"{output} là một tệp, không phải thư mục kết quả.",
                          "Chọn tên thư mục khác sau --output, hoặc đổi tên tệp đó.")
    resolved, content = output.resolve(), content.resolve()
    holds = [source for source in (content, project.ROOT) if resolved in (source, *source.parents)]
    if holds or content in resolved.parents:
        raise OutputError(output, f"Không dựng vào {output}: thư mục này chứa, hoặc nằm trong, "
                          "thư mục nội dung hay thư mục của dự án (sẽ bị thay cả thư mục).",
                          "Chọn một thư mục riêng cho --output, ví dụ output/.")
    refuse_foreign_folder(output)


def refuse_foreign_folder(output: Path) -> None:
    """A build replaces what `output` names: nothing, a link (only the link goes), an empty
    folder or a folder a build made (it holds BUILD_MARKER). Never anyone's documents."""
    if output.is_symlink() or not output.is_dir() or (output / BUILD_MARKER).is_file():
        return
    with contextlib.suppress(OSError):
        if next(os.scandir(output), None) is None:
            return
    raise OutputError(output, f"Không dùng {output} làm thư mục kết quả: thư mục này đã có "
                      "tệp và không phải do một lần dựng trang tạo ra (dựng hay xóa bản dựng sẽ "
                      "thay cả thư mục).",
                      "Chọn một thư mục mới hoặc trống cho --output, ví dụ output/.")


@contextlib.contextmanager
def locked(output: Path):
    """Hold `.<name>.lock` beside `output`: one build or clean of it at a time."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(output.parent / f".{output.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise _unwritable(output.parent, error) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _unwritable(folder: Path, error: OSError) -> OutputError:
    return OutputError(folder, f"Không ghi được vào thư mục {folder}: {reason(error)}.",
                       "Chọn thư mục khác sau --output, hoặc nhờ người quản trị cấp quyền ghi "
                       "cho thư mục đó. Trang cũ được giữ nguyên.")


def _build_unless_unchanged(settings_file, settings: dict, context: BuildContext,
                            result: BuildResult) -> None:
    """Keep the output as it is when no input changed since its build (newsdesk.site.unchanged);
    otherwise build, and on success remember the inputs of what `output` now shows."""
    output = result.output
    frame = unchanged.digest(unchanged.frame_parts(settings, settings_file, context.today))
    context.render_frame = frame.hexdigest()[:32]
    inputs = unchanged.extended(frame, unchanged.content_parts(settings))
    stamp, shown = unchanged.load(output), current_tree(output)
    if unchanged.still_valid(stamp, unchanged.key_with_ledger(inputs, settings), shown):
        unchanged.replay(stamp, context.report, settings["PATH"])
        result.fast_path, result.items, result.pages = True, stamp.items, stamp.pages
        result.sync = SyncStats(unchanged=sum(len(files) for _, _, files in os.walk(shown)))
        result.poststeps = [poststep.StepOutcome(name, label, True)
                            for name, label in stamp.poststeps]
        return  # the trees of earlier builds are left to the next build that runs
    removal = old_trees.Removal(leftovers(output))
    try:
        _build_and_swap(settings, context, result)
    finally:
        for tree, where, error in removal.refused():
            _refused(tree, where, error, context.report)
    if result.ok:  # the ledger as this build left it: see newsdesk.site.unchanged
        unchanged.save(output, current_tree(output), unchanged.key_with_ledger(inputs, settings),
                       context.report, result.items, result.pages,
                       [(o.name, o.label) for o in result.poststeps],
                       _images_derived(context))


def _images_derived(context: BuildContext) -> int | None:
    """How many images the media plugin derived (None when it had none, or did not run)."""
    derived = getattr(context.media, "derived", 0)
    return derived or None


def _build_and_swap(settings: dict, context: BuildContext, result: BuildResult) -> None:
    output, report = result.output, context.report
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 would hide the site from nginx
        (staging / BUILD_MARKER).write_text("newsdesk\n", encoding="utf-8")
    except OSError as error:
        raise _unwritable(output.parent, error) from None
    try:
        settings.update(OUTPUT_PATH=str(staging), DELETE_OUTPUT_DIRECTORY=False)
        context.attach(settings)
        context.shown_tree = current_tree(output)
        context.early_steps = poststep.EarlySteps()  # started once the pages are written
        _run_pelican(settings, context, result)
        if result.ok:
            _bound_size(_size_of(staging), output, settings, report)
        if result.ok:  # the search index, PDFs: on the finished tree, cached by content
            result.poststeps = poststep.run_steps(staging, settings, report)
        _name_output_not_staging(report, staging, output)
        if result.ok:  # the bound again, with the steps' files: before the swap, not after
            result.sync = swap_in(staging, output,
                                  lambda size: _bound_size(size, output, settings, report))
    finally:
        poststep.wait_early(settings)  # never left reading a tree that is removed
        if current_tree(output) != staging:
            shutil.rmtree(staging, ignore_errors=True)


def _bound_size(total: int, output: Path, settings: dict, report: Report) -> bool:
    """Is the new site of `total` bytes within BUILD_MAX_OUTPUT_BYTES (setting)? One larger is
    an error: surely a runaway item (thousands of tags, a pasted book), never to be swapped in
    and published."""
    limit = settings.get("BUILD_MAX_OUTPUT_BYTES", BUILD_MAX_OUTPUT_BYTES)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise ValueError(f"BUILD_MAX_OUTPUT_BYTES must be a positive number of bytes: {limit!r}")
    if total > limit:
        report.add(str(output), 0, f"Trang dựng ra nặng {numbers.size(total)}, quá giới hạn "
                   f"{numbers.size(limit)} (thiết lập BUILD_MAX_OUTPUT_BYTES).",
                   "Xem lại bài vừa thêm hay sửa (quá nhiều từ khóa, tệp quá lớn); nếu trang thật "
                   "sự lớn như vậy, nhờ người quản trị nâng giới hạn. Trang cũ được giữ nguyên.")
    return total <= limit


def _size_of(tree: Path) -> int:
    """Bytes of the files of `tree`, a file linked twice counted once."""
    sizes = {}
    for _, path in _files_of(tree):
        info = os.lstat(path)
        sizes[info.st_dev, info.st_ino] = info.st_size
    return sum(sizes.values())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _run_pelican(settings: dict, context: BuildContext, result: BuildResult) -> None:
    report = context.report
    logging.getLogger("pelican").setLevel(logging.WARNING)
    crash_log = Path(settings["OUTPUT_PATH"]).parent / ".build-error.log"
    with contextlib.suppress(OSError):
        crash_log.unlink(missing_ok=True)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican's English "Done: ..." line
            render_queue.QueuingPelican(settings).run()
        result.items, result.pages, result.pages_kept = (
            context.counts.get(kind, 0) for kind in ("items", "pages", "pages kept"))
    except ContentErrors:
        pass
    except Exception as error:  # anything else is a bug or a broken theme, not an editor's fault
        full = poststep.out_of_space(error)
        if full is not None:
            report.add(settings["OUTPUT_PATH"], 0, *poststep.space_problem(full, "ghi trang",
                                                                         settings["OUTPUT_PATH"]))
            return
        sent = poststep.write_log(crash_log, traceback.format_exc())
        report.add("pelican", 0, f"Lỗi hệ thống khi dựng trang: {type(error).__name__}: {error}",
                   f"Báo cho người quản trị kỹ thuật, {sent}.")


def _name_output_not_staging(report: Report, staging: Path, output: Path) -> None:
    """The staging folder is gone once the build ends: messages name the output folder."""
    report.problems = [dataclasses.replace(p, path=p.path.replace(str(staging), str(output)),
                                           message=p.message.replace(str(staging), str(output)))
                       for p in report.problems]



def current_tree(output: Path) -> Path | None:
    """The folder `output` shows now: its link's target, itself (an older build), or None."""
    if output.is_symlink():
        target = Path(os.path.realpath(output))
        return target if target.is_dir() else None
    return output if output.is_dir() else None


def swap_in(staging: Path, output: Path, within_bound: Callable[[int], bool]) -> SyncStats:
    """Make the complete tree `staging` the site `output` shows, unless nothing changed or
    `within_bound(its size in bytes)` says no. The tree shown before is left beside it: the
    next build removes it (newsdesk.site.old_trees)."""
    old = current_tree(output)
    log.debug("new tree %s complete; linking unchanged files, then switching", staging.name)
    stats = link_unchanged(staging, old)
    if not within_bound(stats.size) or (old is not None and not stats.written
                                        and not stats.removed):
        return stats  # the output stays as it is, down to its inodes
    try:
        _point(output, staging)
    except OSError as error:
        raise _unwritable(output.parent, error) from None
    return stats


def link_unchanged(staging: Path, old: Path | None) -> SyncStats:
    """Hard-link into `staging` each file whose bytes `old` already has; count the rest, and
    the bytes of the whole (a file linked twice counted once)."""
    stats, built, sizes = SyncStats(), set(), {}
    for relative, path in _files_of(staging):
        built.add(relative)
        info = os.lstat(path)
        sizes[info.st_dev, info.st_ino] = info.st_size
        same = old is not None and _same_bytes(path, info, os.path.join(old, relative))
        if same:
            if same is not _SHARED:
                _link(os.path.join(old, relative), path)
            stats.unchanged += 1
        else:
            stats.written.append(relative)
    for relative, _ in _files_of(old) if old is not None else ():
        if relative not in built:
            stats.removed.append(relative)
    stats.written.sort()
    stats.removed.sort()
    stats.size = sum(sizes.values())
    return stats


def _files_of(tree: Path):
    """(path in the tree, path) of each file: strings, sliced (tens of thousands of files)."""
    start = len(os.fspath(tree)) + 1
    for directory, _, files in os.walk(tree):
        for name in sorted(files):
            path = os.path.join(directory, name)
            yield path[start:], path


_SHARED = "shared"  # _same_bytes: the very same file (or equal links) already, nothing to link


def _same_bytes(new: str, new_info: os.stat_result, old: str) -> bool | str:
    """False; True (equal bytes, to be linked); or _SHARED (one file already, or equal links)."""
    try:
        old_info = os.lstat(old)
    except OSError:  # no such file in the old tree, or an unreadable one: written anew
        return False
    if stat.S_ISLNK(new_info.st_mode) or stat.S_ISLNK(old_info.st_mode):
        return (stat.S_ISLNK(new_info.st_mode) and stat.S_ISLNK(old_info.st_mode)
                and os.readlink(new) == os.readlink(old) and _SHARED)
    if (new_info.st_dev, new_info.st_ino) == (old_info.st_dev, old_info.st_ino):
        return _SHARED  # a page the render kept, a cached image or index
    if not stat.S_ISREG(old_info.st_mode) or new_info.st_size != old_info.st_size:
        return False
    try:
        return filecmp.cmp(new, old, shallow=False)
    except OSError:
        return False


def _link(existing: str, path: str) -> None:
    """Replace `path` by a hard link to `existing` (same bytes); keep `path` if linking fails."""
    if os.path.islink(path) or os.path.samefile(existing, path):
        return
    temporary = os.path.join(os.path.dirname(path),
                             f".{os.path.basename(path)}.{secrets.token_hex(4)}")
    try:
        os.link(existing, temporary)
        os.replace(temporary, path)
    except OSError:  # another filesystem or a file we may not link: the fresh copy will do
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _point(output: Path, tree: Path) -> None:
    """Switch `output` to `tree` atomically."""
    link = output.with_name(f".{output.name}-{secrets.token_hex(4)}")
    os.symlink(tree.name, link)
    try:
        if output.is_dir() and not output.is_symlink():
            _exchange(link, output)  # the folder of an older build now sits at `link`
        else:
            os.replace(link, output)
    except OSError:
        link.unlink(missing_ok=True)
        raise


def _exchange(first: Path, second: Path) -> None:
    """Swap two names at once (renameat2 RENAME_EXCHANGE); two renames where unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None and renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD,
                                           os.fsencode(second), RENAME_EXCHANGE) == 0:
        return
    failure = ctypes.get_errno() if renameat2 is not None else errno.ENOSYS
    if failure not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        raise OSError(failure, os.strerror(failure), str(second))
    # Only the first build after an upgrade, on a filesystem without exchange, gets here.
    aside = second.with_name(f".{second.name}-{secrets.token_hex(4)}")
    os.rename(second, aside)
    os.replace(first, second)
    os.rename(aside, first)


def _is_own_name(name: str, output: Path) -> bool:
    return re.fullmatch(re.escape(f".{output.name}") + OWN_SUFFIX, name) is not None


def leftovers(output: Path) -> list[Path]:
    """Trees no longer shown and those of interrupted builds (list them under the lock)."""
    shown = current_tree(output)
    return [entry for entry in sorted(output.parent.iterdir())
            if _is_own_name(entry.name, output) and entry != shown
            or OLD_STAGING.fullmatch(entry.name) and entry.is_dir()]


def _remove(path: Path, report: Report) -> None:
    """Delete a tree or link of ours, here and now."""
    refused = old_trees.remove(path)
    if refused:
        _refused(path, *refused, report)


def _refused(path: Path, where, error: OSError, report: Report) -> None:
    """A tree that could not be removed: a warning, never fatal."""
    report.add(where if isinstance(where, str) else path, 0,
               f"Không xóa được bản dựng cũ {path.name}: "
               f"{reason(error) if isinstance(error, OSError) else error}.",
               "Trang mới đã dựng đầy đủ. Nhờ người quản trị cấp lại quyền ghi cho thư mục "
               "này (hoặc xóa nó) để lấy lại chỗ trống; lần dựng sau sẽ thử xóa lại.",
               severity="warning")


def clean(output: str | Path) -> None:
    """Remove `output` and every tree beside it that its builds made (`invoke clean`)."""
    output = output_path(output)
    if not output.parent.is_dir():
        return
    report = Report()
    refuse_foreign_folder(output)
    with locked(output):
        shown = current_tree(output)
        unchanged.forget(output)
        if output.is_symlink():
            output.unlink()
        elif shown is not None:
            _remove(shown, report)
        for tree in leftovers(output):
            _remove(tree, report)
    if report.problems:
        problem = report.problems[0]
        raise OutputError(Path(problem.path), problem.message,
                          "Nhờ người quản trị cấp quyền ghi cho thư mục đó rồi chạy lại.")
