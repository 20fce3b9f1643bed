"""Every screen an editor sees, for docs/huong-dan-bien-tap.md and docs/ki-ot.md, made from
the project itself.

Browser pages: builds content/ (with a configured site data file, so the contact page shows
the office's lines) into a temporary folder, serves it on 127.0.0.1, and photographs it with
the system Chromium through Playwright: a phone (412x900), a desktop window, a kiosk screen.
Terminal screens: runs the guide's commands for real in a fresh copy of the project
(devtools/project_copy.py) and draws their output with Pillow (devtools/terminal_shots.py).
PNGs are reduced to a small palette with Pillow to keep the repository small.
Run: .venv/bin/python scripts/make_screenshots.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from devtools import ROOT, chromium
from devtools.site_config import write_site_data
from newsdesk import site_data
from newsdesk.site import build, preview
from devtools import terminal_shots

OUT = ROOT / "docs" / "img"
PHONE = {"width": 412, "height": 900}
DESKTOP = {"width": 1280, "height": 800}
KIOSK = {"width": 768, "height": 1366}  # a portrait touch screen (docs/ki-ot.md)
SHOTS = [  # (file, page, viewport[, a selector to wait for])
    ("xem-truoc-trang-chu-dien-thoai.png", "", PHONE),
    ("xem-truoc-lien-he.png", "lien-he/", PHONE),
    ("xem-truoc-tim-kiem.png", "tim-kiem/?q=giam+ngheo", {"width": 412, "height": 1300},
     "[data-search-results][data-state=done]"),
    ("xem-truoc-bai-dien-thoai.png", "truyen-thanh/mo-hinh-nuoi-bo-sinh-san/", PHONE),
    ("xem-truoc-trang-chu-may-tinh.png", "", DESKTOP),
    ("ki-ot-trang-dau.png", "kiosk/", KIOSK),
    ("ki-ot-mot-xa.png", "kiosk/dia-ban/minh-duc/", KIOSK),
    ("ki-ot-mot-bai.png", "kiosk/truyen-thanh/mo-hinh-nuoi-bo-sinh-san/", KIOSK),
]


def optimise(path: Path, colors: int = 64) -> None:
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="screenshots-"))
    os.environ[site_data.ENV] = str(write_site_data(work))  # the contact page's lines
    try:
        result = build.build(ROOT / "pelicanconf.py", work / "output")
        if not result.ok:
            sys.exit(result.report.format())
        server = preview.make_server(work / "output", "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = chromium.launch(p)
            for name, page_path, viewport, *wait in SHOTS:
                page = browser.new_page(viewport=viewport, device_scale_factor=1)
                page.goto(base + page_path)
                if wait:
                    page.wait_for_selector(wait[0], state="attached", timeout=30_000)
                page.screenshot(path=str(OUT / name))
                page.close()
                optimise(OUT / name)
                print(f"{name}: {(OUT / name).stat().st_size} bytes")
            browser.close()
        server.shutdown()
        del os.environ[site_data.ENV]
        for name in terminal_shots.make_all(work / "copy", OUT):
            optimise(OUT / name, colors=16)
            print(f"{name}: {(OUT / name).stat().st_size} bytes")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
