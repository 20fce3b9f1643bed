"""Screenshots of the preview for docs/huong-dan-bien-tap.md and of the kiosk edition for
docs/ki-ot.md, made from the sample site.

Builds content/ into a temporary folder, serves it on 127.0.0.1, and photographs it with the
system Chromium through Playwright: a phone (412x900) and a desktop window. PNGs are reduced
to a 64-colour palette with Pillow to keep the repository small.
Run: /work/main/.venv/bin/python scripts/make_screenshots.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from devtools import ROOT, chromium
from newsdesk.site import build, preview

OUT = ROOT / "docs" / "img"
PHONE = {"width": 412, "height": 900}
DESKTOP = {"width": 1280, "height": 800}
KIOSK = {"width": 768, "height": 1366}  # a portrait touch screen (docs/ki-ot.md)
SHOTS = [  # (file, page, viewport)
    ("xem-truoc-trang-chu-dien-thoai.png", "", PHONE),
    ("xem-truoc-bai-dien-thoai.png", "truyen-thanh/mo-hinh-nuoi-bo-sinh-san/", PHONE),
    ("xem-truoc-trang-chu-may-tinh.png", "", DESKTOP),
    ("ki-ot-trang-dau.png", "kiosk/", KIOSK),
    ("ki-ot-mot-xa.png", "kiosk/dia-ban/minh-duc/", KIOSK),
    ("ki-ot-mot-bai.png", "kiosk/truyen-thanh/mo-hinh-nuoi-bo-sinh-san/", KIOSK),
]


def optimise(path: Path) -> None:
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="screenshots-"))
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
            for name, page_path, viewport in SHOTS:
                page = browser.new_page(viewport=viewport, device_scale_factor=1)
                page.goto(base + page_path)
                page.screenshot(path=str(OUT / name))
                page.close()
                optimise(OUT / name)
                print(f"{name}: {(OUT / name).stat().st_size} bytes")
            browser.close()
        server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
