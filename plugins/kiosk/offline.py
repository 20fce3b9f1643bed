"""The kiosk's service worker: after a first visit, the kiosk pages, their pictures and audio
keep working with the network down. Written after every page (Pelican's `finalized`), from the
files the kiosk pages really link, within KIOSK_PRECACHE_BUDGET bytes (the build prints it), and
the files named by the lists of KIOSK_PRECACHE_LISTS, which post-build steps write later (the
kiosk's search index: a few hundred KB, outside the budget)."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from pathlib import Path

from newsdesk.content import numbers
from newsdesk.site.kiosk_files import linked_files, urls_of
from newsdesk.site.render_queue import note_pages
from newsdesk.content.problems import NOTICE, WARNING
from newsdesk.site.context import context_of

from .settings import seconds

WORKER_NAME = "sw.js"
_PAGE_FIRST = (".html", ".css", ".js", ".woff2")
_LINKS = "kiosk-links"  # the render queue's notes: each kiosk page's links


def note_links(pelican) -> None:
    """Have the render queue note each kiosk page's links as it renders it, on every core:
    `write_worker` then parses no page again."""
    kiosk = os.path.join(pelican.output_path, pelican.settings["KIOSK_URL"].strip("/"), "")
    note_pages(pelican.settings, _LINKS,
               lambda path: path.startswith(kiosk) and path.endswith("/index.html"),
               lambda data: urls_of(data.decode("utf-8")))


def write_worker(pelican) -> None:
    settings = pelican.settings
    output = Path(pelican.output_path)
    kiosk = output / settings["KIOSK_URL"].strip("/")
    if not kiosk.is_dir():
        return
    noted = context_of(settings).page_notes.get(_LINKS)
    files = linked_files(output, kiosk, noted.found if noted else None)
    budget = int(settings["KIOSK_PRECACHE_BUDGET"])
    kept, left_out = within_budget(files, budget)
    total = sum(size for _, size in kept)
    template = (Path(__file__).with_name("sw.template.js")).read_text(encoding="utf-8")
    start, folders = kiosk.relative_to(output).as_posix(), {}
    urls = [_relative(path.as_posix(), start, folders) for path, _ in kept]
    urls = [u[: -len("index.html")] or "./" if u.endswith("index.html") else u for u in urls]
    version = hashlib.sha256("".join(f"{p}{size}{_digest(output / p)}" for p, size in kept)
                             .encode()).hexdigest()[:12]
    lists = [str(name) for name in settings.get("KIOSK_PRECACHE_LISTS") or []]
    timeout_ms = round(seconds(settings, "KIOSK_NETWORK_TIMEOUT_SECONDS") * 1000)
    worker = (template.replace("@@VERSION@@", version).replace("@@URLS@@", json.dumps(urls))
              .replace("@@LISTS@@", json.dumps(lists)).replace("@@TIMEOUT_MS@@", str(timeout_ms)))
    (kiosk / WORKER_NAME).write_text(worker, encoding="utf-8")
    report = context_of(settings).report
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


def _relative(path: str, start: str, folders: dict[str, str]) -> str:
    """posixpath.relpath(path, start), each folder worked out once (media share a few)."""
    folder, name = posixpath.split(path)
    if folder not in folders:
        folders[folder] = posixpath.relpath(folder or ".", start)
    return name if folders[folder] == "." else f"{folders[folder]}/{name}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
