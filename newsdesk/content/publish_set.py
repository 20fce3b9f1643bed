"""The publish set: what `invoke publish` puts online, decided in one place.

An item is in the publish set when it is saved (`invoke save` records content/ and data/ in
the project's git repository) and its publish state is published or hidden. Drafts
(`Status: draft`), scheduled items (dated after today) and withdrawn items are held back:
nothing of theirs goes public (a withdrawn item keeps only a notice at its address). Working
files that differ from the last save are "chưa lưu": listed, never published. A project that
is not a git repository has no saved state: its working files are what is published.

Who asks here:
- the publish (newsdesk/publish/run.py): `saved_state`, then `export_saved` into a clean tree
  that it builds instead of the working files;
- the build's reader (plugins/editor_markdown): `publishes(state)` and `public_build(settings)`
  decide what of an item Pelican gets;
- `invoke check` (newsdesk/editors/check.py): `saved_state(root).unsaved`;
- the progress count (newsdesk/content/progress.py): `publishes(state)`;
- the editing desk: `publish_set(root)`, every item as saved with its state, and the unsaved
  working files.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pelican.settings import read_settings

from newsdesk import project
from newsdesk.content.item_reader import (DRAFT, HIDDEN, PUBLISHED, SCHEDULED, UNREADABLE,
                                          WITHDRAWN, ReadContext, header_state)

PUBLISHING_STATES = (PUBLISHED, HIDDEN)
SAVED_FOLDERS = ("content", "data")  # what `invoke save` records
# Kept by the machine, not written by editors: a publish reads them from the working folder
# (setup-site's details and targets; every URL items ever had), so they are never "chưa lưu".
WORKING_DATA = ("data/site.toml", "data/url-history.json")
STATE_LABELS = {PUBLISHED: "đăng", HIDDEN: "đăng, không hiện trong danh sách",
                DRAFT: "bản nháp", SCHEDULED: "hẹn ngày đăng", WITHDRAWN: "đã gỡ",
                UNREADABLE: "không đọc được"}


def publishes(state: str) -> bool:
    """Whether an item in this publish state (item_reader.publish_state) goes public."""
    return state in PUBLISHING_STATES


def public_build(settings: dict) -> bool:
    """A build for the public (publishconf.py writes no draft), not a preview."""
    return not settings.get("DRAFT_SAVE_AS")


class SavedStateError(Exception):
    """The last save cannot be read (Vietnamese, with what to do)."""


@dataclass(frozen=True)
class SavedState:
    """The project's last save, compared with its working files."""

    root: Path                  # the project folder (content/ and data/ in it)
    commit: str                 # the last save's full id; "" when not a git repository
    unsaved: tuple[str, ...]    # working files of content/ and data/ that differ from the last
    #                             save (new, changed or deleted), project-relative, sorted;
    #                             `.bak` copies and WORKING_DATA left out

    @property
    def in_git(self) -> bool:
        return bool(self.commit)


def saved_state(root: str | Path = project.ROOT) -> SavedState:
    """The last save of the project at `root` and its unsaved files (cheap: `git status`)."""
    root = Path(root).resolve()
    top = _git_top(root)
    if top is None:
        return SavedState(root, "", ())
    head = _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
    if head.returncode != 0:  # a repository with nothing saved yet
        return SavedState(root, "", ())
    prefix = root.relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    listed = _git(top, "status", "--porcelain=v1", "-z", "--untracked-files=all",
                  "--no-renames", "--", *(prefix + name for name in SAVED_FOLDERS)).stdout
    unsaved = sorted({entry[3:].removeprefix(prefix) for entry in listed.split("\0")
                      if len(entry) > 3})
    unsaved = tuple(name for name in unsaved
                    if not name.endswith(".bak") and name not in WORKING_DATA)
    return SavedState(root, head.stdout.strip(), unsaved)


def export_saved(state: SavedState, into: Path) -> Path:
    """content/ and data/ as the last save recorded them, written into `into` (emptied
    first); returns `into`. Only for a state `in_git`."""
    top = _git_top(state.root)
    prefix = state.root.relative_to(top).as_posix()
    tree = state.commit if prefix == "." else f"{state.commit}:{prefix}"
    folders = [name for name in SAVED_FOLDERS
               if _git(top, "cat-file", "-e", f"{tree}/{name}" if ":" in tree
                       else f"{tree}:{name}", check=False).returncode == 0]
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    if not folders:
        return into
    process = subprocess.Popen(["git", "-C", str(top), "archive", "--format=tar", tree, "--",
                                *folders], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
            # "tar": no absolute names or "..", but symlinks kept as saved, so that the build
            # reports one leading out of content/ as it does for the working files.
            archive.extractall(into, filter="tar")
    except (tarfile.TarError, OSError) as error:
        process.kill()
        raise SavedStateError(f"Không lấy được bản đã lưu {state.commit[:10]}: {error}.") \
            from None
    finally:
        error_text = process.stderr.read().decode("utf-8", "replace")
        process.wait()
    if process.returncode != 0:
        raise SavedStateError(f"Không lấy được bản đã lưu {state.commit[:10]}: "
                              f"{error_text.strip()}.")
    return into


@dataclass(frozen=True)
class Entry:
    """One Markdown file of content/ as saved."""

    path: str    # project-relative, e.g. "content/dong-no/trao-bo.md"
    state: str   # published, hidden, draft, scheduled, withdrawn (item_reader), or unreadable
    title: str

    @property
    def publishes(self) -> bool:
        return publishes(self.state)


@dataclass(frozen=True)
class PublishSet:
    saved: SavedState
    entries: tuple[Entry, ...]  # every item and page as saved (working files when not in git)

    @property
    def published(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.publishes]

    @property
    def held_back(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.publishes]

    def __contains__(self, path: str) -> bool:
        """Whether the project-relative file `path` is an item that goes public."""
        return any(entry.path == path and entry.publishes for entry in self.entries)


def publish_set(root: str | Path = project.ROOT, settings_file: str | Path = project.SETTINGS,
                today: dt.date | None = None) -> PublishSet:
    """Every item of the project at `root` as its last save holds it, with its publish state,
    and the unsaved working files. Headers only are read (the saved files in a temporary
    folder), so this is quick and safe to call side by side."""
    state = saved_state(root)
    if not state.in_git:
        return PublishSet(state, _entries(state.root, settings_file, today))
    with tempfile.TemporaryDirectory(prefix="newsdesk-publish-set-") as work:
        saved = export_saved(state, Path(work) / "saved")
        return PublishSet(state, _entries(saved, settings_file, today))


def _entries(source: Path, settings_file, today) -> tuple[Entry, ...]:
    from newsdesk.editors.check import content_files  # the check's walk, as Pelican's

    overrides = {"PATH": str(source / "content")}
    if (source / "data" / "vocabulary.toml").is_file():
        overrides["VOCABULARY_PATH"] = str(source / "data" / "vocabulary.toml")
    context = ReadContext.from_settings(read_settings(str(settings_file), override=overrides),
                                        today)
    entries = []
    for path in content_files(context.root):
        item_state, metadata = header_state(path, context)
        entries.append(Entry("content/" + path.relative_to(context.root).as_posix(),
                             item_state, str(metadata.get("title", ""))))
    return tuple(entries)


def _git_top(root: Path) -> Path | None:
    if shutil.which("git") is None or not root.is_dir():
        return None
    found = _git(root, "rev-parse", "--show-toplevel", check=False)
    return Path(found.stdout.strip()).resolve() if found.returncode == 0 else None


def _git(top: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["git", "-C", str(top), *args], capture_output=True, text=True,
                          timeout=120)
    if check and done.returncode != 0:
        raise SavedStateError(f"git báo lỗi: {done.stderr.strip()}")
    return done
