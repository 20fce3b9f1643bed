#!/usr/bin/env python3
"""What `invoke publish` costs on a generated site, over a real sshd on 127.0.0.1.

Publishes N generated items to one target three times: first (everything new), after one item
changed (hard links + delta), and identical content (nothing to do). Prints seconds, bytes rsync
sent (rsync's own "Total bytes sent") and the disk used on the target, each as a ratio of the
first publish; and the build alone (same content, same run) as the baseline that every publish
pays. Then what the per-target lock costs (take + release, over SSH), and a 60 MB file whose
transfer is killed half-way: bytes the resumed run sends against the file's size.
Needs root (useradd, sshd).

Usage: /work/main/.venv/bin/python bench/publish.py [N]   (default 300 items)
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devtools import ROOT
from devtools.site_config import write_site_data
from devtools.sshd import SshServer
from newsdesk import site_data
from newsdesk.content import vocabulary
from newsdesk.site.build import build
from newsdesk.publish import lock, publish
from newsdesk.publish.remote import Remote
from newsdesk.publish.run import load_settings
from newsdesk.publish.targets import parse_url

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
    # A configured site, as `invoke setup-site` writes it (publish refuses the samples).
    os.environ[site_data.ENV] = str(write_site_data(work))
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
        lock_seconds = lock_cost(target_url=server.url(target), env=env)
        resume = resumed_transfer(content, overrides, server)
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
    print(f"lock take + release (mean of 5): {lock_seconds:.3f} s")
    length, partial, sent = resume
    print(f"resumed transfer: {length} B file, {partial} B kept from the killed run, "
          f"{sent} B sent to finish ({sent / length:.3f} of the file)")


def lock_cost(target_url: str, env: dict, rounds: int = 5) -> float:
    remote = Remote(parse_url(target_url, "web"), env, load_settings(SETTINGS))
    started = time.monotonic()
    for _ in range(rounds):
        with lock.held(remote, lock.PUBLISHING):
            pass
    return (time.monotonic() - started) / rounds


PUBLISHER = """
import json, sys
from newsdesk.publish import publish
publish(overrides=json.loads(sys.argv[1]), environ=json.loads(sys.argv[2]))
"""


def resumed_transfer(content: Path, overrides: dict, server: SshServer,
                     length: int = 60_000_000) -> tuple[int, int, int]:
    """Kill a bandwidth-limited publish (with its rsync) half-way through a file, publish again:
    (file size, bytes kept on the target, bytes the second run sent)."""
    target = server.directory("resume")
    env = {"RSYNC_RSH": server.rsh(), "PUBLISH_TARGETS": f"web={server.url(target)}"}
    (content / "tai-lieu").mkdir(exist_ok=True)
    (content / "tai-lieu/video.bin").write_bytes(os.urandom(length))
    settings = {**overrides, "STATIC_PATHS": ["tai-lieu"]}
    slow = {**settings, "PUBLISH_RSYNC_OPTIONS": ["--bwlimit=10000"]}
    process = subprocess.Popen([sys.executable, "-c", PUBLISHER, json.dumps(slow),
                                json.dumps(env)], stdout=subprocess.DEVNULL,
                               start_new_session=True)
    temporary = lambda: list(target.glob("releases/.incoming-*/tai-lieu/.video.bin.*"))  # noqa: E731
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and sum(p.stat().st_size for p in temporary()) < length // 2:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    while time.monotonic() < deadline and temporary():  # the target's rsync keeps the part
        time.sleep(0.05)
    kept = sum(p.stat().st_size for p in target.glob("releases/.incoming-*/tai-lieu/video.bin"))
    time.sleep(2)  # the killed run's lock goes stale (threshold 1 s below)
    run = publish(SETTINGS, {**settings, "PUBLISH_LOCK_STALE_AFTER": 1}, environ=env,
                  out=io.StringIO())
    assert run.ok
    return length, kept, run.outcomes[0].bytes_sent


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
