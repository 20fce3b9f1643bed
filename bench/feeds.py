#!/usr/bin/env python3
"""What the feeds cost: build N generated items with and without plugins/feeds, print seconds,
the ratio, and the bytes written under nguon-tin/.

Each build runs in its own process: Pelican's signals are process-wide, so a plugin once
registered would keep running in later builds of the same process.

Usage: /work/main/.venv/bin/python bench/feeds.py [N]   (default 300 items)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devtools import ROOT
from newsdesk.content import vocabulary
from newsdesk.site.build import build

SETTINGS = ROOT / "pelicanconf.py"
REPEATS = 2  # best of each: the machine is shared
PARAGRAPH = ("Hộ nghèo ở xã được hỗ trợ vay vốn ưu đãi, tập huấn kỹ thuật chăn nuôi và trồng "
             "trọt, giúp tăng thu nhập và vươn lên thoát nghèo bền vững. ")


def write_items(content: Path, count: int) -> None:
    vocab = vocabulary.load()
    # Types that need no media file (an infographic needs its image, a video its clip).
    types = [key for key in vocab.types if vocab.type_fields(key)[0] == vocab.common_required]
    places = vocab.places
    (content / "pages").mkdir(parents=True)
    for number in range(count):
        place = places[number % len(places)]
        day = 1 + number % 28
        text = (f"Title: Tin giảm nghèo số {number}\nDate: {day:02d}/{1 + number % 12:02d}/2025 "
                f"08:00\nCategory: {place.name}\nType: {types[number % len(types)]}\n"
                f"Summary: Tóm tắt tin số {number}.\n\n" + "\n\n".join([PARAGRAPH * 3] * 4) + "\n")
        (content / f"tin-{number:04d}.md").write_text(text, encoding="utf-8")


def timed_build(content: Path, output: Path, plugins: list[str]) -> float:
    """CPU seconds one build takes, measured inside a fresh Python process."""
    answer = subprocess.run([sys.executable, __file__, "--build", str(content), str(output),
                             ",".join(plugins)], check=True, capture_output=True, text=True)
    return float(answer.stdout)


def build_once(content: str, output: str, plugins: str) -> None:
    start = time.process_time()  # CPU seconds: the machine is shared, wall time is noisy
    result = build(SETTINGS, Path(output), {"PATH": content, "NEWSDESK_TODAY": "2026-11-26",
                                            "PLUGINS": plugins.split(",")})
    assert result.ok, result.report.format()
    print(time.process_time() - start)


def main(count: int) -> None:
    from pelicanconf import PLUGINS
    without_feeds = [p for p in PLUGINS if p != "feeds"]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        write_items(folder / "content", count)
        timed_build(folder / "content", folder / "warm-up", PLUGINS)  # disk cache
        baseline = min(timed_build(folder / "content", folder / f"a{run}", without_feeds)
                       for run in range(REPEATS))
        feeds = min(timed_build(folder / "content", folder / f"b{run}", PLUGINS)
                    for run in range(REPEATS))
        assert not (folder / "a0" / "nguon-tin").exists()
        folder_b = folder / "b0"
        size = sum(p.stat().st_size for p in (folder_b / "nguon-tin").rglob("*") if p.is_file())
        files = sum(1 for p in (folder_b / "nguon-tin").rglob("*") if p.is_file())
    print(f"{count} items, best of {REPEATS}, CPU: without feeds {baseline:.2f} s, "
          f"with feeds {feeds:.2f} s, "
          f"ratio {feeds / baseline:.2f}; nguon-tin/: {files} files, {size} bytes")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        build_once(*sys.argv[2:5])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
