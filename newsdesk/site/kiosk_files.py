"""The files of the kiosk edition: its pages and exactly the files they link (pictures, audio,
video, captions, the stylesheet with its fonts, the script). Used for the kiosk's offline
copy (plugins/kiosk/offline.py) and the kiosk release tree a kiosk target receives
(newsdesk/publish/run.py)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import lxml.html

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_URL_ATTRIBUTES = ("href", "src", "poster")


def linked_files(output: Path, kiosk: Path) -> list[tuple[Path, int]]:
    """(path inside the output, size) of the kiosk pages and every file they link, once."""
    found: dict[Path, int] = {}
    pages = sorted(kiosk.rglob("index.html"))
    for page in pages:
        found[page.relative_to(output)] = page.stat().st_size
        for url in _urls_of(page.read_text(encoding="utf-8")):
            target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), url)))
            if target.is_dir():
                target = target / "index.html"
            if target.is_file() and output in target.parents:
                found.setdefault(target.relative_to(output), target.stat().st_size)
    for css in [p for p in found if p.suffix == ".css"]:
        for url in _CSS_URL.findall((output / css).read_text(encoding="utf-8")):
            target = Path(posixpath.normpath((output / css).parent.joinpath(url).as_posix()))
            if target.is_file():
                found.setdefault(target.relative_to(output), target.stat().st_size)
    return list(found.items())


def _urls_of(html: str) -> list[str]:
    root = lxml.html.fromstring(html)
    urls = []
    for element in root.iter():
        if not isinstance(element.tag, str) or (element.tag == "link" and
                                                element.get("rel") == "canonical"):
            continue
        for name in _URL_ATTRIBUTES:
            value = element.get(name)
            if value:
                urls.append(value)
        for candidate in (element.get("srcset") or "").split(","):
            if candidate.strip():
                urls.append(candidate.strip().split(" ")[0])
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
