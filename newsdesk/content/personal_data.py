"""Spot what looks like personal data about poor households before it is published.

Nghị định 13/2023/NĐ-CP protects personal data: a news item may tell a household's story, but
not its citizen ID number, its phone number or its house number next to a name. These are
guesses (a 12-digit number may be a budget figure), so they are warnings, never errors, and
an editor accepts a false alarm by listing the exact text in a `Personal-Data-Ok:` line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.content.legacy_encodings import VIETNAMESE_LETTERS

ACCEPT_FIELD = "personal-data-ok"
_SEPARATORS = r"[ .\-]?"
_UPPER = "A-Z" + "".join(sorted(ch for ch in VIETNAMESE_LETTERS if ch.isupper()))
# A person named the Vietnamese way: a title, then one to four capitalised words.
_PERSON = (r"(?i:ông|bà|anh|chị|cô|chú|cụ|em|chủ hộ)"
           rf"\s+(?:[{_UPPER}]\w*,?\s*){{1,4}}")
_HOUSE = r"(?i:số nhà|nhà số|SN)\s*\d+[\w/]*"


@dataclass(frozen=True)
class Finding:
    kind: str  # "cccd", "cmnd", "phone", "house"
    text: str
    column: int


KIND_LABELS = {
    "cccd": "số căn cước công dân (12 chữ số)",
    "cmnd": "số chứng minh nhân dân (9 chữ số)",
    "phone": "số điện thoại",
    "house": "số nhà đi kèm tên người",
}

PATTERNS = [
    # Phones first: a 10-digit mobile must not also be read as an ID number.
    ("phone", re.compile(r"(?<![\d])(?:\+84|0)" + _SEPARATORS +
                         r"[35789]\d" + (_SEPARATORS + r"\d") * 7 + r"(?![\d])")),
    ("phone", re.compile(r"(?<![\d])0" + _SEPARATORS + r"2\d{2}" + _SEPARATORS +
                         r"\d{3,4}" + _SEPARATORS + r"\d{3,4}(?![\d])")),
    ("cccd", re.compile(r"(?<![\d.,])\d{12}(?![\d.,]\d)")),
    ("cmnd", re.compile(r"(?<![\d.,])\d{9}(?![\d.,]\d)")),
    ("house", re.compile(rf"{_PERSON}[^.\n]{{0,60}}?{_HOUSE}|{_HOUSE}[^.\n]{{0,60}}?{_PERSON}",
                         )),
]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def accepted_strings(value: str) -> list[str]:
    """The false alarms an editor accepted: `Personal-Data-Ok: 0271 3888 999; 123456789`."""
    return [part.strip() for part in re.split(r"[;,]", value or "") if part.strip()]


def find(line: str, accepted: list[str] = ()) -> list[Finding]:
    """Everything in `line` that looks like personal data and was not accepted."""
    findings: list[Finding] = []
    taken: list[range] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(line):
            span = range(match.start(), match.end())
            if any(span.start < other.stop and other.start < span.stop for other in taken):
                continue
            taken.append(span)
            if not _is_accepted(match.group(0), accepted):
                findings.append(Finding(kind, match.group(0).strip(), match.start() + 1))
    return sorted(findings, key=lambda f: f.column)


def _is_accepted(text: str, accepted) -> bool:
    for item in accepted:
        if item in text:
            return True
        if digits(item) and digits(item) == digits(text):
            return True
    return False
