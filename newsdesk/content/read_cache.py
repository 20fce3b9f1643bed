"""The slow part of reading an item, kept between builds and checks: the body turned into
sanitized HTML (Markdown, nh3 and the lxml pass: two thirds of a read) and the verdict on
each image (a full decode), in READER_CACHE_DIR (default .cache/items at the project root).

An entry is found by a hash of everything that shapes it: the body's text, the file's path,
where its body starts, the working folder (problems name files relative to it), the site's
host and Markdown settings, and the code and libraries that read it (CODE_VERSION). A body
entry also lists each local file its links named, with what that name resolved to and the
file's size and mtime, so a file added, changed, removed or re-pointed since makes the entry
stale. An image's verdict is kept by its resolved path, size and mtime.

What comes back is exactly what reading anew gives: the HTML, the files and the problems.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import json
import os
import stat
from pathlib import Path

from newsdesk import disk_cache, project
from newsdesk.content import paths
from newsdesk.content.problems import Problem

DEFAULT_CACHE_DIR = project.ROOT / ".cache" / "items"
VERSION = "1"  # bump when what an entry holds changes
_LIBRARIES = ("markdown", "nh3", "lxml", "pillow", "pillow-heif")


@functools.cache
def code_version() -> str:
    """The reading code and the libraries it calls: a change to either starts afresh."""
    here = Path(__file__).resolve().parent
    sources = sorted([*here.glob("*.py"), here.parent / "media" / "images.py"])
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return disk_cache.key_of(VERSION, *versions,
                             *(p.read_text(encoding="utf-8") for p in sources))


def folder(settings: dict) -> Path:
    return Path(settings.get("READER_CACHE_DIR") or DEFAULT_CACHE_DIR)


def body_key(path: Path, body: str, body_line: int, shaping: str) -> str:
    return disk_cache.key_of(code_version(), "body", str(path), str(body_line), os.getcwd(),
                             shaping, body)


def file_state(place: Path, root: Path) -> list:
    """What a name a link wrote leads to now: the resolved path (None outside content/, `root`
    resolved) and that file's kind, size and mtime."""
    resolved = paths.inside_resolved(place, root)
    if resolved is None:
        return [None]
    try:
        info = os.stat(resolved)
    except OSError:
        return [str(resolved), "missing"]
    kind = "file" if stat.S_ISREG(info.st_mode) else "other"
    return [str(resolved), kind, info.st_size, info.st_mtime_ns]


@dataclasses.dataclass
class BodyEntry:
    html: str
    problems: list[Problem]
    files: list[tuple[str, str, int]]  # LocalFile's written, path, line
    probes: list[tuple[str, list]]  # each name looked up, and file_state() then


def load_body(cache: Path, key: str, root: Path) -> BodyEntry | None:
    text = disk_cache.load(cache, key, ".json")
    if text is None:
        return None
    try:
        raw = json.loads(text)
        entry = BodyEntry(raw["html"], [Problem(**p) for p in raw["problems"]],
                          [tuple(f) for f in raw["files"]], raw["probes"])
    except (ValueError, KeyError, TypeError):
        return None
    if any(file_state(Path(place), root) != state for place, state in entry.probes):
        return None
    return entry


def store_body(cache: Path, key: str, entry: BodyEntry) -> None:
    disk_cache.store(cache, key, ".json", json.dumps(
        {"html": entry.html, "problems": [dataclasses.asdict(p) for p in entry.problems],
         "files": entry.files, "probes": entry.probes}, ensure_ascii=False))


def image_key(path: Path, shaping: str) -> str | None:
    """The key of an image's verdict (None when the file cannot be looked at: not kept)."""
    try:
        resolved = path.resolve()
        info = os.stat(resolved)
    except (OSError, RuntimeError):
        return None
    return disk_cache.key_of(code_version(), "image", str(resolved), str(info.st_size),
                             str(info.st_mtime_ns), shaping)


def load_image(cache: Path, key: str | None):
    """(found, fault code and detail or None)."""
    text = disk_cache.load(cache, key, ".json") if key else None
    if text is None:
        return False, None
    try:
        return True, json.loads(text)
    except ValueError:
        return False, None


def store_image(cache: Path, key: str | None, verdict: list | None) -> None:
    if key:
        disk_cache.store(cache, key, ".json", json.dumps(verdict))
