"""The "nothing changed" fast path: skip the whole build when no input changed since the last
successful build of the same output.

A build's output depends only on its inputs: every file of the content folder, the settings
(as Pelican resolved them, overrides included), "today", the vocabulary, the theme, the
plugins, this package's code, the installed libraries' versions and the URL ledger. Their hash
is the build's key. After a successful build the key is stored in the output's lock file
(`.<output>.lock`, beside it, which every build of that output holds while it runs), with the
tree it built, a fingerprint of that tree's files (path,
size, mtime, inode: a file changed or removed by hand is noticed) and the report's warnings
and notes. When the next build of that output computes the same key and the tree is still the
one shown, untouched, the build stops there: the report is replayed, no file is written, the
link is not switched, Pelican does not run.

Why the URL ledger is hashed as it is after the build: a successful build adds its own URLs to
the ledger (plugins/url_history), which changes its bytes but not what the next build writes
(a redirect is only made for a URL other than the item's own), so the stored key takes the
ledger as the next build will find it.

Anything not hashed here must not change the output; a new kind of input (a file a plugin
reads outside these folders, an environment variable) must be added to `frame_parts`.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

import newsdesk
from newsdesk import site_data
from newsdesk.disk_cache import stable
from newsdesk.content.problems import NOTICE, Problem, Report
from newsdesk.media import images
from newsdesk.site import print_pdf

VERSION = "2"  # bump when what the key covers changes
SKIPPED_SETTINGS = {"OUTPUT_PATH", "NEWSDESK_CONTEXT"}
IMAGES_NOTICE = "images-encoded"  # about this run's own work: said anew, with 0 encoded


@dataclass
class Stamp:
    """What the last successful build of an output left beside it."""

    key: str
    tree: str  # the name of the tree it built (the output link's target)
    files: str  # fingerprint of that tree's files
    problems: list[dict]
    items: int
    pages: int
    poststeps: list[tuple[str, str]]  # (name, label) of each post-build step
    images: int | None = None  # images the build derived (None: it had none to derive)


def stamp_path(output: Path) -> Path:
    """The output's lock file: a build's bookkeeping, kept beside the output and never in it."""
    return output.with_name(f".{output.name}.lock")


def _files(root: Path, skip: Iterable[str] = ("__pycache__",)) -> Iterable[bytes | str]:
    """Every file under `root` (links as their target text and the bytes they show)."""
    root = Path(root)
    if root.is_file():
        yield str(root)
        yield root.read_bytes()
        return
    for directory, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if f not in skip)
        for name in sorted(files + [f for f in folders if Path(directory, f).is_symlink()]):
            path = Path(directory, name)
            yield path.relative_to(root).as_posix()
            if path.is_symlink():
                yield "->" + os.readlink(path)
            if path.is_file():
                try:
                    yield path.read_bytes()
                except OSError as error:  # unreadable: the build itself will say so
                    yield f"unreadable {error.errno}"


def _libraries() -> Iterable[str]:
    yield sys.version
    # A set: Pelican puts the settings' folder on sys.path, where newsdesk.egg-info shows
    # the project a second time.
    yield from sorted({f"{dist.metadata['Name']}=={dist.version}"
                       for dist in importlib.metadata.distributions()})


def frame_parts(settings: dict, settings_file: Path, today) -> Iterable[bytes | str]:
    """What the built tree depends on apart from the content and the URL ledger: the frame
    in which newsdesk.site.render_memo keeps pages."""
    yield VERSION
    yield os.getcwd()  # the report names files relative to it
    yield str(today)
    yield stable({k: v for k, v in settings.items() if k not in SKIPPED_SETTINGS})
    settings_file = Path(settings_file).resolve()
    for beside in sorted(settings_file.parent.glob("*.py")):  # publishconf imports pelicanconf
        yield from _files(beside)
    yield from _files(Path(newsdesk.__file__).parent)
    for folder in settings.get("PLUGIN_PATHS") or []:
        yield from _files(Path(folder))
    yield from _files(Path(settings["THEME"]))
    vocabulary_path = settings.get("VOCABULARY_PATH")
    if vocabulary_path and Path(vocabulary_path).exists():
        yield from _files(Path(vocabulary_path))
    site_data_path = site_data.default_path()  # laid over [office] and the settings
    yield "site data"
    if site_data_path.is_file():
        yield site_data_path.read_bytes()
    press_profile = print_pdf.press_profile(settings)  # a Debian package's file, in the PDFs
    yield "press profile"
    if press_profile.is_file():
        yield press_profile.read_bytes()
    yield from _libraries()


def content_parts(settings: dict) -> Iterable[bytes | str]:
    yield "content"
    yield from _files(Path(settings["PATH"]))


def ledger_parts(settings: dict) -> Iterable[bytes | str]:
    path = settings.get("URL_HISTORY_PATH",
                        Path(settings["PATH"]).parent / "data" / "url-history.json")
    yield "ledger"
    if path and Path(path).is_file():
        yield Path(path).read_bytes()


def extended(hashed: hashlib._Hash, parts: Iterable[bytes | str]) -> hashlib._Hash:
    """A copy of `hashed` (so it can be finished twice) that has also hashed the parts."""
    hashed = hashed.copy()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed


def digest(parts: Iterable[bytes | str]) -> hashlib._Hash:
    return extended(hashlib.sha256(), parts)


def key_with_ledger(inputs: hashlib._Hash, settings: dict) -> str:
    """The build's key: the inputs' hash and the ledger."""
    return extended(inputs, ledger_parts(settings)).hexdigest()


def tree_fingerprint(tree: Path) -> str:
    """Path, size, mtime and inode of every file of the tree: cheap, and a hand edit shows."""
    hashed, start = hashlib.sha256(), len(os.fspath(tree)) + 1
    for directory, folders, files in os.walk(tree):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            info = os.lstat(path)
            # path[start:]: its path in the tree (os.walk joins onto the tree's own string)
            hashed.update(f"{path[start:]}\0{info.st_size}\0{info.st_mtime_ns}\0"
                          f"{info.st_ino}\n".encode("utf-8", "surrogateescape"))
    return hashed.hexdigest()


def load(output: Path) -> Stamp | None:
    try:
        raw = json.loads(stamp_path(output).read_text(encoding="utf-8"))
        return Stamp(**{**raw, "poststeps": [tuple(p) for p in raw["poststeps"]]})
    except (OSError, ValueError, TypeError, KeyError):
        return None  # no stamp, or an unreadable one: build as usual


def still_valid(stamp: Stamp | None, key: str, tree: Path | None) -> bool:
    """Is the tree shown now exactly what a build with this key would write?"""
    return (stamp is not None and tree is not None and stamp.key == key
            and tree.name == stamp.tree and tree_fingerprint(tree) == stamp.files)


def save(output: Path, tree: Path, key: str, report: Report, items: int, pages: int,
         poststeps: list[tuple[str, str]], images_derived: int | None) -> None:
    """Record a successful build (call under the output's lock, after the swap)."""
    stamp = Stamp(key=key, tree=tree.name, files=tree_fingerprint(tree),
                  problems=[asdict(p) for p in report.problems if p.code != IMAGES_NOTICE],
                  items=items, pages=pages, poststeps=poststeps, images=images_derived)
    _write(output, json.dumps(asdict(stamp), ensure_ascii=False))


def _write(output: Path, text: str) -> None:
    # In place, never renamed over: the build holds its lock on this very file. A write cut
    # short leaves text that does not parse, and the next build simply runs in full.
    with open(stamp_path(output), "r+", encoding="utf-8") as stamp:
        stamp.truncate()
        stamp.write(text)


def forget(output: Path) -> None:
    """Drop the stamp: the next build runs in full (call under the lock)."""
    if stamp_path(output).is_file():
        _write(output, "")


def replay(stamp: Stamp, report: Report, content: str) -> None:
    """The warnings and notes of the build whose output is kept, as if it had run again: its
    images all kept, none encoded."""
    report.extend(Problem(**problem) for problem in stamp.problems)
    if stamp.images is not None:
        report.add(content, 0, images.derived_notice(0, stamp.images, 0.0), "", NOTICE,
                   code=IMAGES_NOTICE)
