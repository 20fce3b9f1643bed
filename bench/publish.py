#!/usr/bin/env python3
"""What `invoke publish` costs on a generated site, over a real sshd on 127.0.0.1.

Publishes N generated items to one target three times: first (everything new), after one item
changed (hard links + delta), and identical content (nothing to do). Prints seconds, bytes rsync
sent and the disk used on the target, each as a ratio of the first publish; and the build alone
(same content, same run) as the baseline that every publish pays. Needs root (useradd, sshd).

Usage: /work/main/.venv/bin/python bench/publish.py [N]   (default 300 items)
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devtools import ROOT
from devtools.sshd import SshServer
from newsdesk import vocabulary
from newsdesk.build import build
from newsdesk.publish import publish

SETTINGS = ROOT / "publishconf.py"
PARAGRAPH = ("Hộ nghèo ở xã được hỗ trợ vay vốn ưu đãi, tập huấn kỹ thuật chăn nuôi và trồng "
             "trọt, giúp tăng thu nhập và vươn lên thoát nghèo bền vững. ")


def write_item(content: Path, number: int, title: str) -> None:
    place = vocabulary.load().places[number % 13]
    (content / f"tin-{number}.md").write_text(
        f"Title: {title}\nDate: {1 + number % 28:02d}/{1 + number % 12:02d}/2025 08:00\n"
        f"Category: {place.name}\n\n" + "\n\n".join([PARAGRAPH * 3] * 4) + "\n", encoding="utf-8")


def disk_kb(path: Path) -> int:
    """du counts a hard-linked file once per invocation: the real cost of keeping releases."""
    return int(subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True,
                              check=True).stdout.split()[0])


def main(count: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    content = work / "content"
    (content / "pages").mkdir(parents=True)
    for number in range(count):
        write_item(content, number, f"Tin giảm nghèo số {number}")
    overrides = {"PATH": str(content), "NEWSDESK_TODAY": "2026-11-26"}

    started = time.monotonic()
    built = build(SETTINGS, work / "build-only", overrides)
    build_seconds = time.monotonic() - started
    assert built.ok, built.report.format()

    server = SshServer.start(Path(tempfile.mkdtemp(prefix="bench-sshd-", dir="/tmp")))
    try:
        target = server.directory("site")
        env = {"RSYNC_RSH": server.rsh(), "PUBLISH_TARGETS": f"web={server.url(target)}"}
        rows = []
        for label, change in [("first publish", None), ("one item changed", 0),
                              ("identical again", None)]:
            if change is not None:
                write_item(content, change, "Tin giảm nghèo số 0 (đã sửa)")
            started = time.monotonic()
            run = publish(SETTINGS, overrides, environ=env, out=io.StringIO())
            seconds = time.monotonic() - started
            assert run.ok
            rows.append((label, seconds, run.outcomes[0].bytes_sent, disk_kb(target / "releases"),
                         run.outcomes[0].action))
        files = run.release.files
    finally:
        server.stop()
        subprocess.run(["rm", "-rf", str(work)], check=False)

    first = rows[0]
    print(f"{count} items, {files} files; build alone (baseline): {build_seconds:.2f} s")
    print(f"{'step':<18} {'seconds':>8} {'x build':>8} {'bytes sent':>11} {'x first':>8} "
          f"{'target disk kB':>15} {'x first':>8}  result")
    for label, seconds, sent, kb, action in rows:
        print(f"{label:<18} {seconds:8.2f} {seconds / build_seconds:8.2f} {sent:11d} "
              f"{sent / first[2]:8.3f} {kb:15d} {kb / first[3]:8.2f}  {action}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
