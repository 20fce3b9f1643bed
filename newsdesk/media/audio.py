"""Audio files attached to radio items: what they are, how long they last, how big they are.

Read with mutagen from the file's bytes (never from its name), so the podcast feed states the
real MIME type, byte length and duration. Used by ItemChecker (the `audio` field kind) and by
plugins/radio (the podcast feed of plugins/feeds then reads what it found).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import mutagen
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

# The formats radio staff and podcast apps play everywhere, by what mutagen finds inside.
MIME_TYPES = {MP3: "audio/mpeg", MP4: "audio/mp4", OggVorbis: "audio/ogg", OggOpus: "audio/ogg"}


class AudioError(ValueError):
    """The file is not a usable audio file; the message (Vietnamese) says why."""


@dataclass(frozen=True)
class AudioInfo:
    mime_type: str
    length: int  # bytes
    duration: float  # seconds

    @property
    def duration_hms(self) -> str:
        """"H:MM:SS" (the iTunes form), rounded to the second."""
        minutes, seconds = divmod(round(self.duration), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}"

    @property
    def duration_label(self) -> str:
        """"1 phút 05 giây" for readers."""
        minutes, seconds = divmod(round(self.duration), 60)
        return f"{minutes} phút {seconds:02d} giây" if minutes else f"{seconds} giây"


def inspect(path: str | Path) -> AudioInfo:
    """Read the format, size and duration of an audio file; AudioError if it cannot be used."""
    path = Path(path)
    try:
        found = mutagen.File(path, options=list(MIME_TYPES))
    except (mutagen.MutagenError, OSError):
        raise AudioError("không đọc được: tệp hỏng hoặc không phải tệp âm thanh") from None
    if found is None:
        raise AudioError("không phải tệp âm thanh MP3, M4A hay OGG")
    duration = getattr(found.info, "length", 0) or 0
    if duration <= 0:
        raise AudioError("không có thời lượng (tệp âm thanh rỗng hoặc hỏng)")
    return AudioInfo(MIME_TYPES[type(found)], path.stat().st_size, float(duration))
