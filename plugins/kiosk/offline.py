"""The kiosk's service worker: after a first visit, the kiosk pages, their pictures and audio
keep working with the network down. Written after every page (Pelican's `finalized`), from the
files the kiosk pages really link, within KIOSK_PRECACHE_BUDGET bytes (the build prints it)."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

import lxml.html

from newsdesk import numbers
from newsdesk.problems import NOTICE, WARNING, report_of

WORKER_NAME = "sw.js"
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_URL_ATTRIBUTES = ("href", "src", "poster")
_PAGE_FIRST = (".html", ".css", ".js", ".woff2")


def write_worker(pelican) -> None:
    settings = pelican.settings
    output = Path(pelican.output_path)
    kiosk = output / settings["KIOSK_URL"].strip("/")
    if not kiosk.is_dir():
        return
    files = linked_files(output, kiosk)
    budget = int(settings["KIOSK_PRECACHE_BUDGET"])
    kept, left_out = within_budget(files, budget)
    total = sum(size for _, size in kept)
    template = (Path(__file__).with_name("sw.template.js")).read_text(encoding="utf-8")
    urls = [posixpath.relpath(path.as_posix(), kiosk.relative_to(output).as_posix())
            for path, _ in kept]
    urls = [u[: -len("index.html")] or "./" if u.endswith("index.html") else u for u in urls]
    version = hashlib.sha256("".join(f"{p}{(output / p).stat().st_size}"
                                     f"{_digest(output / p)}" for p, _ in kept).encode()
                             ).hexdigest()[:12]
    worker = template.replace("@@VERSION@@", version).replace("@@URLS@@", json.dumps(urls))
    (kiosk / WORKER_NAME).write_text(worker, encoding="utf-8")
    report = report_of(settings)
    report.add("pelicanconf.py", 0,
               f"Ki-ốt ngoại tuyến: lưu sẵn {len(kept)} tệp, {numbers.size(total)} "
               f"(giới hạn KIOSK_PRECACHE_BUDGET {numbers.size(budget)}).", "", NOTICE,
               code="kiosk-precache")
    if left_out:
        names = ", ".join(p.as_posix() for p, _ in left_out[:5])
        report.add("pelicanconf.py", 0,
                   f"Ki-ốt ngoại tuyến: {len(left_out)} tệp không được lưu sẵn vì vượt giới hạn "
                   f"dung lượng ({names}); khi mất mạng ki-ốt sẽ không mở được chúng.",
                   "Tăng KIOSK_PRECACHE_BUDGET trong pelicanconf.py nếu máy ki-ốt đủ chỗ.",
                   WARNING, code="kiosk-precache-budget")


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


def within_budget(files, budget: int):
    """Pages, styles, script and fonts first, then media smallest first, up to `budget`."""
    ordered = sorted(files, key=lambda f: (f[0].suffix not in _PAGE_FIRST, f[1], f[0]))
    kept, left_out, total = [], [], 0
    for path, size in ordered:
        if total + size <= budget:
            kept.append((path, size))
            total += size
        else:
            left_out.append((path, size))
    return kept, left_out


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


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
