"""Vietnamese text from before Unicode: files saved in TCVN3 (ABC), VNI or Windows-1258, and
UTF-8 files into which such text was pasted (it shows as "Hé nghÌo", "Hoä ngheøo").

The TCVN3 and VNI tables and the detection come from viparse (MIT, no dependencies), whose
tables were checked against real government documents; this module only decides where to
look and how to explain what it found to an editor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import viparse
from viparse.normalize.frequency import vietnamese_score
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

from newsdesk.content.text import nfc

# Names an editor recognises, by viparse's encoding name (and ours for Windows-1258).
ENCODING_LABELS = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI (phông VNI-Times)",
                   "cp1258": "Windows-1258", "utf8-as-cp1252": "UTF-8 bị đọc nhầm",
                   "utf-16": "UTF-16 (Notepad \"Unicode\")"}
TABLES = {"tcvn3": TCVN3, "vni": VNI}
# Every Vietnamese letter with a diacritic, taken from the conversion tables themselves.
VIETNAMESE_LETTERS = frozenset(
    ch for table in TABLES.values() for _, letters in table.pairs for ch in nfc(letters)
    if ord(ch) > 0x7F) | frozenset("ĐđĂăÂâÊêÔôƠơƯư")
# How much better a converted line must read (viparse's Vietnamese letter model) to count.
MIN_SCORE_GAIN = 0.1
# Typography that belongs in Vietnamese text even though it is not a letter.
COMMON_SYMBOLS = frozenset("–—“”‘’…•°×÷€№\u00a0\u200b\ufeff")
# What "UTF-8 read as Windows-1252/1258" leaves behind: Ã, Ä, Æ, á» followed by a symbol.
_DOUBLE_ENCODED = re.compile(r"(?:[ÃÄÆÅ][\x80-\xbf\u0152-\u2122]|á[»º]|â€)")


@dataclass(frozen=True)
class Decoded:
    """A file's text, how it was stored, and whether that is what the site expects."""

    text: str
    encoding: str  # "utf-8", "utf-16", "tcvn3", "vni", "cp1258", or "unknown"

    @property
    def is_utf8(self) -> bool:
        return self.encoding == "utf-8"

    @property
    def label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)


def decode(data: bytes) -> Decoded:
    """Read a file's bytes: UTF-8 when it is, else the legacy encoding it reads best in."""
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's "Unicode" is UTF-16
        try:
            return Decoded(nfc(data.decode("utf-16")), "utf-16")
        except UnicodeDecodeError:
            pass
    latin = data.decode("latin-1")
    candidates = [Decoded(viparse.fix(latin, encoding=name), name) for name in TABLES]
    try:
        candidates.append(Decoded(nfc(data.decode("cp1258")), "cp1258"))
    except UnicodeDecodeError:
        pass
    # A whole file is long enough to judge: the reading that leaves no stray symbols wins.
    best = min(candidates, key=lambda c: (len(strange_characters(c.text)),
                                          -vietnamese_score(c.text)))
    if strange_characters(best.text):
        return Decoded(latin, "unknown")
    return best


def strange_characters(text: str) -> list[str]:
    """Characters outside ASCII that are neither Vietnamese letters nor usual typography."""
    return [ch for ch in nfc(text) if ord(ch) > 0x7F and ch not in VIETNAMESE_LETTERS
            and ch not in COMMON_SYMBOLS]


@dataclass(frozen=True)
class Mojibake:
    """A line of a UTF-8 file holding text pasted from a legacy encoding."""

    encoding: str
    original: str
    fixed: str

    @property
    def label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)


def find_mojibake(line: str) -> Mojibake | None:
    """The legacy encoding `line` was pasted from, and the line converted; None if clean.

    Only lines holding characters that have no place in Vietnamese text are looked at, and a
    conversion counts only when it leaves none of them: correct Vietnamese is never touched.
    """
    if not strange_characters(line):
        return None
    candidates = {encoding: viparse.fix(line, encoding=encoding) for encoding in TABLES}
    if _DOUBLE_ENCODED.search(line):
        candidates["utf8-as-cp1252"] = _undo_double_encoding(line) or line
    readable = {encoding: fixed for encoding, fixed in candidates.items()
                if fixed != line and not strange_characters(fixed)}
    if not readable:
        return None
    encoding = max(readable, key=lambda e: vietnamese_score(readable[e]))
    if vietnamese_score(readable[encoding]) < vietnamese_score(line) + MIN_SCORE_GAIN:
        return None  # a foreign name ("Müller") reads no better once "converted"
    return Mojibake(encoding, line, readable[encoding])


def _undo_double_encoding(line: str) -> str | None:
    """UTF-8 bytes once read as Windows-1252 (its five unused bytes kept as Latin-1)."""
    data = bytearray()
    for ch in line:
        try:
            data += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            data.append(ord(ch))
    try:
        return nfc(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)
