"""Values kept on disk by a hash of what makes them (QR codes, items' bodies): one file per
key in a cache folder, written aside then renamed, so a file there is always whole and builds
running side by side (tests, the preview and an editor's build) may share the folder.

A cache that cannot be read or written only costs time: `load` then returns None and `store`
does nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def stable(value: Any) -> str:
    """A repr that is the same in every process for equal settings (no memory addresses)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{stable(k)}:{stable(v)}" for k, v in
                              sorted(value.items(), key=lambda kv: repr(kv[0]))) + "}"
    if isinstance(value, (list, tuple)):
        return type(value).__name__ + "[" + ",".join(stable(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "set[" + ",".join(sorted(stable(v) for v in value)) + "]"
    if value is None or isinstance(value, (str, int, float, bool, bytes, Path)):
        return repr(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__qualname__ + stable(
            {f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if callable(value) and hasattr(value, "__qualname__"):  # its code is hashed with its module
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    # Objects that do not shape the output (a Jinja bytecode cache): their type is enough.
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def key_of(*parts: str) -> str:
    """A key for the given parts (each one a string), 32 hex characters."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape")
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()[:32]


def load(folder: Path, key: str, suffix: str) -> str | None:
    try:
        return (Path(folder) / f"{key}{suffix}").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def store(folder: Path, key: str, suffix: str, text: str) -> None:
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".new-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, folder / f"{key}{suffix}")
    except OSError:
        pass


def link_read_only(source: str | Path, destination: str | Path) -> None:
    """Hard-link a cache's file `source` at `destination` (a copy on another file system),
    made read-only first: a file a tree shares with a cache is never written in place."""
    with contextlib.suppress(OSError):  # a file of another user's cache stays as it is
        mode = os.stat(source).st_mode
        if mode & 0o222:
            os.chmod(source, mode & ~0o222)
    try:
        os.link(source, destination)
    except FileExistsError:
        raise
    except OSError:  # another file system
        shutil.copyfile(source, destination)
