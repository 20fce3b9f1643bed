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
    `known`: the links (`urls_of`) of pages already read, by the page's absolute path.
    Paths are worked on as strings: a kiosk of 4,000 items links some 13,000 files."""
    inside = os.path.join(str(output), "")
    found: dict[str, int] = {}  # path inside the output -> size
    looked_up: dict[str, tuple[str, int] | None] = {}  # pages link the same files over again
    known = known or {}
    for page in _index_pages(str(kiosk)):
        found[page[len(inside):]] = os.stat(page).st_size
        folder = posixpath.dirname(page)
        urls = known.get(page)
        if urls is None:
            with open(page, encoding="utf-8") as text:
                urls = urls_of(text.read())
        for url in urls:
            target = posixpath.normpath(posixpath.join(folder, url))
            if target not in looked_up:
                looked_up[target] = _file_in(inside, target)
            if looked_up[target]:
                found.setdefault(*looked_up[target])
    for css in [p for p in found if p.endswith(".css")]:
        with open(inside + css, encoding="utf-8") as text:
            links = _CSS_URL.findall(text.read())
        for url in links:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(inside + css), url))
            if os.path.isfile(target) and target.startswith(inside):
                found.setdefault(target[len(inside):], os.stat(target).st_size)
    return [(Path(path), size) for path, size in found.items()]


def _index_pages(kiosk: str) -> list[str]:
    """Every index.html under the kiosk's folder, sorted as Paths sort (by their parts)."""
    pages = [os.path.join(folder, "index.html") for folder, _, names in os.walk(kiosk)
             if "index.html" in names]
    return sorted(pages, key=lambda page: page.split("/"))


def _file_in(inside: str, target: str) -> tuple[str, int] | None:
    """(path inside the output, size) of the file a link leads to (a folder: its index.html);
    `target` is a normalized absolute path, `inside` the output's path with a final "/". One
    stat a link: pages link thousands."""
    try:
        found = os.stat(target)
        if stat.S_ISDIR(found.st_mode):
            target = posixpath.join(target, "index.html")
            found = os.stat(target)
    except OSError:
        return None
    if not (stat.S_ISREG(found.st_mode) and target.startswith(inside)):
        return None
    return target[len(inside):], found.st_size


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
