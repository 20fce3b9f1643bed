"""`invoke save`, `invoke history`, `invoke undo`: the project's git repository as the history
of every item, in three commands an editor can use without knowing git.

- save(message): record every change under content/ and data/ (items, photos, the site data)
  as one git commit with the editor's message;
- history(file): the saved versions of one file, newest first (git log --follow);
- undo(file, to=""): put one file of content/ or data/ back as it was at the last save (or at
  version `to`), the current text kept beside it as `<name>.bak`; the next `invoke save`
  records the undo.

Every failure is a HistoryError with a Vietnamese message: git missing, not a repository,
a file unknown or outside content/ and data/, a version unknown. Nothing to save is no failure.
"""

from __future__ import annotations

import datetime as dt
import errno
import getpass
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from newsdesk import project
from newsdesk.content import dates
from newsdesk.content.publish_set import SAVED_FOLDERS

# Saved: what editors change (SAVED_FOLDERS: items and their photos, the vocabulary and the
# site data); never the copies kept by `invoke check --fix` and `invoke undo`.
NEVER_SAVED = (":(exclude,glob)**/*.bak",)


class HistoryError(Exception):
    """A history command cannot run; the message (Vietnamese) says why and what to do."""


@dataclass(frozen=True)
class Version:
    id: str
    when: str
    who: str
    message: str


def save(message: str, root: Path = project.ROOT, author: str = "",
         only: tuple[Path, ...] = ()) -> str | None:
    """Commit every change of content/ and data/ (or of the files `only` names, as the desk
    does for one item); return the new version's short id, or None when everything is already
    saved (not a mistake: there is simply nothing to do). `author` ("Name <address>") is who
    wrote it, when not the person at this machine."""
    message = " ".join(message.split())
    if not message:
        raise HistoryError("Thiếu lời nhắn. Ví dụ: invoke save \"Thêm tin trao bò ở Đồng Nơ\"")
    top = _repository(root)
    folders = ([_inside(top, path) for path in only] if only else
               [name for name in SAVED_FOLDERS if (top / name).exists()])
    # (Named files are never backups; and git adds no untracked file named beside an
    # exclude pathspec.)
    _git(top, "add", "--all", "--", *folders, *(() if only else NEVER_SAVED))
    if _git(top, "diff", "--cached", "--quiet", "--", *folders, check=False).returncode == 0:
        return None
    _git(top, *_identity(top), "commit", "--quiet", "--no-verify", "-m", message,
         *([f"--author={author}"] if author else []), "--", *folders)
    return _git(top, "rev-parse", "--short", "HEAD").stdout.strip()


def history(file: str | Path, root: Path = project.ROOT) -> list[Version]:
    """The saved versions of `file`, newest first."""
    top = _repository(root)
    relative = _inside(top, file)
    found = _git(top, "log", "--follow", "--format=%h%x1f%at%x1f%an%x1f%s", "--",
                 relative).stdout
    versions = [Version(id_, _vietnam_time(seconds), who, message)
                for id_, seconds, who, message in (line.split("\x1f", 3)
                                                   for line in found.splitlines() if line)]
    if not versions:
        if (top / relative).exists():
            raise HistoryError(f"Tệp {relative} chưa được lưu lần nào. Lưu bằng: "
                               "invoke save \"lời nhắn\"")
        raise HistoryError(f"Không có tệp {relative}, cũng chưa từng được lưu. Kiểm tra lại tên "
                           "tệp (đúng cả chữ hoa, chữ thường), ví dụ content/dong-no/trao-bo.md")
    return versions


def diff(file: str | Path, older: str, newer: str, root: Path = project.ROOT) -> str:
    """What changed in `file` from version `older` to version `newer` (a unified diff)."""
    top = _repository(root)
    relative = _inside(top, file)
    for version in (older, newer):
        if _git(top, "cat-file", "-e", f"{version}:{relative}", check=False).returncode:
            raise HistoryError(f"Bản lưu {version} không có tệp {relative}.")
    return _git(top, "diff", "--no-color", "--unified=2", older, newer, "--", relative).stdout


def undo(file: str | Path, to: str = "", root: Path = project.ROOT) -> Path | None:
    """Put `file` back as at the last save (or at version `to`); return the backup of what it
    held (None when it was missing)."""
    top = _repository(root)
    relative = _inside(top, file)
    source = to.strip() or "HEAD"
    if _git(top, "cat-file", "-e", f"{source}:{relative}", check=False).returncode != 0:
        if to and _git(top, "cat-file", "-e", f"{source}^{{commit}}", check=False).returncode:
            raise HistoryError(f"Không có bản lưu mã \"{to}\". Xem các mã bằng: "
                               f"invoke history {relative}")
        if to:
            raise HistoryError(f"Bản lưu {to} không có tệp {relative}. Xem các bản của tệp "
                               f"bằng: invoke history {relative}")
        raise HistoryError(f"Tệp {relative} chưa được lưu lần nào nên không có bản cũ để quay "
                           "về.")
    path = top / relative
    saved = _git(top, "show", f"{source}:{relative}", text=False).stdout
    if path.is_file() and path.read_bytes() == saved:
        raise HistoryError(f"Tệp {relative} không có thay đổi nào so với bản lưu "
                           f"{'gần nhất' if not to else to}: không có gì để hoàn tác.")
    backup = None
    if path.is_file():
        backup = path.with_name(path.name + ".bak")
        shutil.copy2(path, backup)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(saved)
    return backup


# -- git -------------------------------------------------------------------------------------
def _repository(root: Path) -> Path:
    if shutil.which("git") is None:
        raise HistoryError("Máy chưa cài git (chương trình lưu lịch sử). Cài bằng: "
                           "sudo apt install git")
    found = _git(Path(root), "rev-parse", "--show-toplevel", check=False)
    if found.returncode != 0:
        raise HistoryError(f"Thư mục {root} chưa là kho lưu lịch sử (kho git). Nhờ người quản "
                           "trị tạo bằng: git init, hoặc lấy thư mục dự án bằng git clone.")
    return Path(found.stdout.strip())


def _vietnam_time(seconds: str) -> str:
    """A commit's time as editors read every other time: Vietnam's, whatever the machine's."""
    when = dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc)
    return dates.local(when).strftime("%d/%m/%Y %H:%M")


def _inside(top: Path, file: str | Path) -> str:
    """`file` relative to the project, when it names a file (or a file that was) under
    content/ or data/: the only files history and undo are for."""
    path = Path(file)
    example = "ví dụ content/dong-no/trao-bo.md"
    try:
        path = (path if path.is_absolute() else Path.cwd() / path).resolve()
        is_folder = path.is_dir()
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise HistoryError(f"Tên tệp {str(file)[:60]}… dài quá mức máy cho phép. Kiểm tra lại "
                           f"tên tệp, {example}") from None
    relative = path.relative_to(top.resolve()) if path.is_relative_to(top.resolve()) else None
    if relative is None or not relative.parts or relative.parts[0] not in SAVED_FOLDERS:
        raise HistoryError(f"{file} không nằm trong content/ hay data/: chỉ các tệp bài và dữ "
                           f"liệu trang mới có lịch sử để xem và hoàn tác ({example}).")
    if is_folder:
        raise HistoryError(f"{file} là một thư mục: hãy ghi tên một tệp trong đó, {example}")
    return relative.as_posix()


def _identity(top: Path) -> list[str]:
    """Who saved: git's own setting, else the login on this machine (never a question)."""
    if _git(top, "config", "user.email", check=False).stdout.strip():
        return []
    login = getpass.getuser()
    return ["-c", f"user.name={login}", "-c", f"user.email={login}@{socket.gethostname()}"]


def _git(top: Path, *args: str, check: bool = True, text: bool = True):
    done = subprocess.run(["git", "-C", str(top), *args], capture_output=True, text=text,
                          timeout=120)
    if check and done.returncode != 0:
        error = done.stderr if text else done.stderr.decode("utf-8", "replace")
        raise HistoryError(f"git báo lỗi: {error.strip()}")
    return done
