"""Save-to-reload time of `invoke livereload` on the sample site, measured in real Chromium.

Copies content/ to a temporary folder, starts the live preview on 127.0.0.1, opens an item
in Chromium (Playwright, /usr/bin/chromium), then N times rewrites the item's title and
waits until the browser shows it. Prints each time, the median, and the median build time
of the same site measured in the same run (the baseline: what is left is livereload's
polling and the browser's reload).

Run: /work/main/.venv/bin/python bench/preview.py [--runs 5]
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from devtools import ROOT, chromium
from newsdesk.site import build, live_preview, preview

ITEM = "dong-no/mo-hinh-nuoi-bo-sinh-san.md"


def run_server(content: str, output: str, port: int) -> None:
    live_preview.serve(ROOT / "pelicanconf.py", Path(output), port,
                       overrides={"PATH": content, "NEWSDESK_TODAY": "2026-11-26"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    content, output = work / "content", work / "output"
    shutil.copytree(ROOT / "content", content)
    files = len(list(content.rglob("*.md")))
    overrides = {"PATH": str(content), "NEWSDESK_TODAY": "2026-11-26"}
    builds = []
    for _ in range(runs):
        started = time.perf_counter()
        build.build(ROOT / "pelicanconf.py", work / "baseline", overrides)
        builds.append(time.perf_counter() - started)
    port = preview.free_port()
    server = multiprocessing.Process(target=run_server, args=(str(content), str(output), port),
                                     daemon=True)
    server.start()
    item = content / ITEM
    original = item.read_text(encoding="utf-8")
    times = []
    try:
        if not preview.wait_for_port(port):
            raise TimeoutError(f"preview server did not start on port {port}")
        with sync_playwright() as p:
            browser = chromium.launch(p)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/truyen-thanh/mo-hinh-nuoi-bo-sinh-san/")
            page.wait_for_function("() => window.LiveReload !== undefined", timeout=10000)
            for run in range(runs):
                title = f"Tiêu đề đo lần {run + 1}"
                time.sleep(1.0)  # let the last reload settle, as between two real saves
                started = time.perf_counter()
                item.write_text(original.replace(original.split("\n")[0], f"Title: {title}", 1),
                                encoding="utf-8")
                page.wait_for_function(
                    "(t) => document.querySelector('h1') && "
                    "document.querySelector('h1').textContent.includes(t)", arg=title,
                    timeout=15000, polling=20)
                times.append(time.perf_counter() - started)
            browser.close()
    finally:
        server.terminate()
        server.join(5)
        shutil.rmtree(work, ignore_errors=True)
    print(f"sample site: {files} Markdown files (copy of content/)")
    print("save-to-reload (s): " + ", ".join(f"{t:.2f}" for t in times))
    print(f"median save-to-reload: {statistics.median(times):.2f} s; "
          f"max {max(times):.2f} s")
    print(f"median full build (baseline, same run): {statistics.median(builds):.2f} s; "
          f"ratio reload/build: {statistics.median(times) / statistics.median(builds):.1f}")


if __name__ == "__main__":
    main()
