#!/usr/bin/env python3
"""Speak sample radio articles with espeak-ng (Vietnamese voice) into small OGG files.

Usage: scripts/make_sample_audio.py [MARKDOWN ...]
Without arguments: every item under content/ of a radio type (`radio = true` in
data/vocabulary.toml). For each item the
audio is `<file name>.ogg` next to the Markdown file, and an `Audio:` line is added to its
header when missing. The words spoken are the item's plain-text script (the same text as the
.txt the site publishes), cut to MAX_CHARACTERS so each file stays well under 300 KB.
Needs espeak-ng and sox (both in scripts/system-packages.sh). Sample media only: real radio
audio is recorded by the commune's radio staff.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from markdown import Markdown

from devtools import ROOT
from newsdesk.content import vocabulary
from newsdesk.content.items import split_header
from newsdesk.content.radio_script import script_text
from newsdesk.content.text import nfc

MAX_CHARACTERS = 700
VOICE = ["-v", "vi", "-s", "150"]
# Mono, 16 kHz, lowest Vorbis quality: speech stays clear at about 4 KB a second.
OGG = ["-r", "16000", "-c", "1", "-C", "-1"]


def radio_items(content: Path) -> list[Path]:
    radio_keys = {t.key for t in vocabulary.load().radio_types}
    return sorted(p for p in content.rglob("*.md")
                  if split_header(p.read_text(encoding="utf-8")).values.get("type", "")
                  .strip().lower() in radio_keys)


def spoken_text(path: Path) -> str:
    header = split_header(nfc(path.read_text(encoding="utf-8")))
    body = Markdown(extensions=["extra"]).convert(header.body)
    text = script_text(header.values.get("title", ""), body)
    return text[:MAX_CHARACTERS].rsplit(" ", 1)[0] if len(text) > MAX_CHARACTERS else text


def speak(text: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "speech.wav"
        subprocess.run(["espeak-ng", *VOICE, "-w", str(wav), text], check=True)
        subprocess.run(["sox", str(wav), *OGG, str(target), "gain", "-n", "-1"], check=True)


def add_audio_line(path: Path, audio_name: str) -> None:
    text = path.read_text(encoding="utf-8")
    header = split_header(text)
    if "audio" in header.values:
        return
    lines = text.split("\n")
    lines.insert(max(header.lines.values()), f"Audio: {audio_name}")
    path.write_text("\n".join(lines), encoding="utf-8")


def main(arguments: list[str]) -> int:
    items = [Path(a) for a in arguments] or radio_items(ROOT / "content")
    for item in items:
        target = item.with_suffix(".ogg")
        speak(spoken_text(item), target)
        add_audio_line(item, target.name)
        print(f"{target}: {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
