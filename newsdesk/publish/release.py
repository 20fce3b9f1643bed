"""A release: the built site as it will be shipped, named after its own content.

The release id is a hash of every shipped path and its bytes, so identical content always
gets the same id and publishing it again creates nothing new. `release.json` (written after
hashing, so it never changes the id) tells a kiosk or a technician what is being shown.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.content import dates
from newsdesk.site.build import BUILD_MARKER

MANIFEST = "release.json"
ID_LENGTH = 16
RELEASE_ID = re.compile(rf"^[0-9a-f]{{{ID_LENGTH}}}$")
# Never shipped: editors' and tools' leftovers, hidden files (except the standard .well-known).
LEFTOVERS = (".*", "*~", "*.swp", "*.tmp", "*.bak", "*.orig", "__pycache__", "Thumbs.db",
             "desktop.ini")
KEEP_HIDDEN = {".well-known"}


@dataclass
class LocalRelease:
    tree: Path
    id: str
    files: int
    bytes: int
    manifest: dict = field(default_factory=dict)
    leftovers: list[str] = field(default_factory=list)


def is_leftover(name: str) -> bool:
    return name not in KEEP_HIDDEN and any(fnmatch.fnmatch(name, p) for p in LEFTOVERS)


def remove_leftovers(tree: Path) -> list[str]:
    """Delete leftovers from the built tree; returns their paths relative to it."""
    removed = []
    for directory, subdirectories, files in os.walk(tree):
        for name in [*subdirectories, *files]:
            if is_leftover(name):
                path = Path(directory, name)
                if path.parent != tree or name != BUILD_MARKER:  # every build writes it
                    removed.append(path.relative_to(tree).as_posix())
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        subdirectories[:] = [name for name in subdirectories if not is_leftover(name)]
    return sorted(removed)


def tree_digest(tree: Path) -> tuple[str, int, int]:
    """(release id, file count, total bytes) of every file under `tree` but the manifest."""
    digest = hashlib.sha256()
    files = total = 0
    for path in sorted(p for p in tree.rglob("*") if p.is_file() or p.is_symlink()):
        relative = path.relative_to(tree).as_posix()
        if relative == MANIFEST:
            continue
        if path.is_symlink():
            content, length = hashlib.sha256(os.readlink(path).encode()), 0
        else:
            with path.open("rb") as stream:  # streamed: editors' videos can be large
                content, length = hashlib.file_digest(stream, "sha256"), path.stat().st_size
        digest.update(relative.encode() + b"\0" + content.digest())
        files += 1
        total += length
    return digest.hexdigest()[:ID_LENGTH], files, total


def source_commit(root: Path) -> tuple[str | None, bool]:
    """The git commit the site was built from, and whether the working tree had changes."""
    def git(*args):
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    head = git("rev-parse", "HEAD")
    if head.returncode != 0:
        return None, False
    return head.stdout.strip(), bool(git("status", "--porcelain").stdout.strip())


def prepare(tree: Path, site_url: str, root: Path) -> LocalRelease:
    """Clean the built tree, name it, and write its release.json."""
    leftovers = remove_leftovers(tree)
    release_id, files, total = tree_digest(tree)
    commit, dirty = source_commit(root)
    manifest = {
        "release": release_id,
        "commit": commit,
        "commit_dirty": dirty,
        "built_at": dt.datetime.now(dates.TIMEZONE).isoformat(timespec="seconds"),
        "files": files,
        "bytes": total,
        "site_url": site_url,
    }
    # One line: the target lists releases with one `cat` per release.
    (tree / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False) + "\n", encoding="utf-8")
    return LocalRelease(tree, release_id, files, total, manifest, leftovers)
