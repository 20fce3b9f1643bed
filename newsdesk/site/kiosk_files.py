"""The files of the kiosk edition: its pages and exactly the files they link (pictures, audio,
video, captions, the stylesheet with its fonts, the script). Used for the kiosk's offline
copy (plugins/kiosk/offline.py) and the kiosk release tree a kiosk target receives
(newsdesk/publish/run.py)."""

from __future__ import annotations

import os
import posixpath
import re
import stat
from pathlib import Path

import lxml.etree
import lxml.html

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
# Every link a page makes but its canonical address (the public web page, not a kiosk file).
_LINKS = lxml.etree.XPath("//*[not(self::link and @rel='canonical')]/@href | //@src | //@poster")
_SRCSETS = lxml.etree.XPath("//@srcset")


def linked_files(output: Path, kiosk: Path,
                 known: dict[str, list[str]] | None = None) -> list[tuple[Path, int]]:
    """(path inside the output, size) of the kiosk pages and every file they link, once.
    `known`: the links (`urls_of`) of pages already read, by the page's absolute path."""
    found: dict[Path, int] = {}
    looked_up: dict[str, tuple[Path, int] | None] = {}  # pages link the same files over again
    known = known or {}
    for page in sorted(kiosk.rglob("index.html")):
        found[page.relative_to(output)] = page.stat().st_size
        folder = page.parent.as_posix()
        urls = known.get(str(page))
        for url in urls_of(page.read_text(encoding="utf-8")) if urls is None else urls:
            target = posixpath.normpath(posixpath.join(folder, url))
            if target not in looked_up:
                looked_up[target] = _file_in(output, target)
            if looked_up[target]:
                found.setdefault(*looked_up[target])
    for css in [p for p in found if p.suffix == ".css"]:
        for url in _CSS_URL.findall((output / css).read_text(encoding="utf-8")):
            target = Path(posixpath.normpath((output / css).parent.joinpath(url).as_posix()))
            if target.is_file():
                found.setdefault(target.relative_to(output), target.stat().st_size)
    return list(found.items())


def _file_in(output: Path, target: str) -> tuple[Path, int] | None:
    """(path inside the output, size) of the file a link leads to (a folder: its index.html);
    `target` is a normalized absolute path. One stat a link: pages link thousands."""
    try:
        found = os.stat(target)
        if stat.S_ISDIR(found.st_mode):
            target = posixpath.join(target, "index.html")
            found = os.stat(target)
    except OSError:
        return None
    inside = posixpath.join(str(output), "")
    if not (stat.S_ISREG(found.st_mode) and target.startswith(inside)):
        return None
    return Path(target[len(inside):]), found.st_size


def urls_of(html: str) -> list[str]:
    """The files a page links, as written (relative URLs, without query or fragment)."""
    root = lxml.html.fromstring(html)
    urls = [str(value) for value in _LINKS(root)]
    for srcset in _SRCSETS(root):
        urls += [candidate.strip().split(" ")[0] for candidate in srcset.split(",")
                 if candidate.strip()]
    return [u.split("#")[0].split("?")[0] for u in urls
            if u and ":" not in u.split("/")[0] and not u.startswith(("/", "#"))]


def copy_tree(tree: Path, kiosk_folder: str, destination: Path) -> int:
    """Hard-link the kiosk's folder in `tree` (`kiosk_folder`: its pages, service worker and
    search index) and every file its pages link into `destination`, same paths; returns the
    number of files."""
    kiosk = tree / kiosk_folder.strip("/")
    files = [path for path, _ in linked_files(tree, kiosk)]
    files += [p.relative_to(tree) for p in kiosk.rglob("*") if p.is_file()]
    for relative in files:
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            try:
                target.hardlink_to(tree / relative)
            except OSError:  # another file system
                target.write_bytes((tree / relative).read_bytes())
    return len(set(files))
