"""Markdown to HTML within a time limit, and without a RecursionError.

Python-Markdown is quadratic on some pastes (20,000 `[`, `[a](`, `<div>`, `**_` or
`&#x10FFFF;`: minutes each), and recurses once per level of nested lists or quotes. A thread
cannot be stopped, and builds convert in the main process, in forked workers and
in the live preview's threads; so a body with many of the marks those shapes are made of
(RISKY_MARKS) is converted in a fresh Python process, killed when MARKDOWN_TIME_LIMIT
(setting, seconds) passes. Any other body, however long, is converted here: it costs nothing
more (an ordinary item has a few dozen such marks; the result is cached in .cache/items).
"""

from __future__ import annotations

import pickle
import subprocess
import sys

from markdown import Markdown

DEFAULT_TIME_LIMIT = 10.0
RISKY_MARKS = "[<&*_>`"
RISKY_COUNT = 1000  # more marks than this: converted in a process that can be stopped
_TOO_DEEP = 3  # the worker's exit status for a RecursionError

_WORKER = """
import pickle, sys
from markdown import Markdown
config, text = pickle.load(sys.stdin.buffer)
try:
    html = Markdown(**config).convert(text)
except RecursionError:
    sys.exit(%d)
sys.stdout.buffer.write(html.encode("utf-8"))
""" % _TOO_DEEP


class TooSlow(Exception):
    """The conversion did not end within the time limit."""


class TooDeep(Exception):
    """Nesting deeper than Python-Markdown can follow."""


def time_limit(settings: dict) -> float:
    """MARKDOWN_TIME_LIMIT, checked: a positive number of seconds."""
    value = settings.get("MARKDOWN_TIME_LIMIT", DEFAULT_TIME_LIMIT)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"MARKDOWN_TIME_LIMIT must be a positive number of seconds, not {value!r}")
    return float(value)


def risky_marks(text: str) -> int:
    return sum(text.count(mark) for mark in RISKY_MARKS)


def convert(text: str, markdown: Markdown, settings: dict) -> str:
    """`text` as HTML; TooSlow or TooDeep when it cannot be converted."""
    if risky_marks(text) <= RISKY_COUNT:
        try:
            return markdown.reset().convert(text)
        except RecursionError:
            raise TooDeep() from None
    limit = time_limit(settings)
    try:
        done = subprocess.run([sys.executable, "-c", _WORKER], capture_output=True,
                              input=pickle.dumps((settings["MARKDOWN"], text)), timeout=limit)
    except subprocess.TimeoutExpired:  # run() has killed the worker
        raise TooSlow() from None
    if done.returncode == _TOO_DEEP:
        raise TooDeep()
    if done.returncode != 0:
        raise RuntimeError(f"Markdown worker failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode("utf-8")
