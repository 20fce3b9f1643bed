"""The one way the project writes a CSV file: safe to open in Excel, Vietnamese intact.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be run by
Excel as a formula (`=HYPERLINK(…)`, `@SUM(…)`), so it gets a leading single quote, and every
cell is written in double quotes (OWASP's advice). A number stays a number, even a negative
one: Excel reads "-5" as minus five, never as a formula; a leading quote would make it text.
"""

from __future__ import annotations

import csv
import io
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_cell(cell) -> str:
    """The cell as written: numbers as they are, text that could start a formula quoted."""
    text = str(cell)
    if NUMBER.fullmatch(text) or not text.startswith(FORMULA_START):
        return text
    return "'" + text


def to_csv(rows) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Vietnamese as written; CRLF line ends."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(
        [safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
