"""Videos an editor gives: a YouTube address in any of its usual forms, or a local file.

`youtube()` reads watch?v=, youtu.be/, shorts/, embed/, live/ and youtube-nocookie.com
addresses (extra parameters ignored, a start time kept). `draw_poster()` draws the default
poster of a video that has none, so no image is ever fetched from YouTube.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from PIL import Image, ImageDraw, ImageFont

NOCOOKIE_EMBED = "https://www.youtube-nocookie.com/embed/"
WATCH = "https://www.youtube.com/watch?v="
_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}
_PATH_FORMS = ("embed", "shorts", "live", "v", "e")
_DURATION = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s?)?$")
# What a video file starts with, whatever its name says: WebM (Matroska) opens with the EBML
# header; MP4 with a box whose type, at offset 4, is "ftyp".
_WEBM_MAGIC = b"\x1a\x45\xdf\xa3"
_MP4_BOX = b"ftyp"
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/noto"))


@dataclass(frozen=True)
class Video:
    """A YouTube video (`youtube_id`, `start` in seconds) or a file inside content/ (`file`)."""

    youtube_id: str = ""
    start: int = 0
    file: str = ""

    @property
    def is_youtube(self) -> bool:
        return bool(self.youtube_id)

    @property
    def watch_url(self) -> str:
        """The address a reader without JavaScript follows (YouTube's own page)."""
        return WATCH + self.youtube_id + (f"&t={self.start}s" if self.start else "")

    @property
    def embed_url(self) -> str:
        """The privacy-enhanced player, loaded only after the reader presses play."""
        query = "autoplay=1&rel=0" + (f"&start={self.start}" if self.start else "")
        return f"{NOCOOKIE_EMBED}{self.youtube_id}?{query}"

    @property
    def mime_type(self) -> str:
        return "video/webm" if self.file.lower().endswith(".webm") else "video/mp4"


def file_problem(path: Path) -> str | None:
    """Why a local video (.mp4/.webm) or captions (.vtt) file cannot be published, read from its
    bytes, never from its name; None when it can."""
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return "không đọc được"
    if suffix == ".webm" and not head.startswith(_WEBM_MAGIC):
        return "không phải video WebM (nội dung tệp không khớp với đuôi .webm)"
    if suffix == ".mp4" and head[4:8] != _MP4_BOX:
        return "không phải video MP4 (nội dung tệp không khớp với đuôi .mp4)"
    if suffix == ".vtt" and not re.match(rb"WEBVTT(?:[ \t\r\n]|$)",
                                          head.removeprefix(b"\xef\xbb\xbf")):
        return "không phải phụ đề WebVTT (dòng đầu của tệp phải là WEBVTT)"
    return None


def youtube(url: str) -> Video | None:
    """The video a YouTube address points at, or None when it is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    candidate = ""
    if host == "youtu.be" and segments:
        candidate = segments[0]
    elif host in _YOUTUBE_HOSTS:
        if segments[:1] == ["watch"]:
            candidate = (query.get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in _PATH_FORMS:
            candidate = segments[1]
    if not _ID.match(candidate):
        return None
    start = _seconds((query.get("t") or query.get("start") or [""])[0])
    return Video(youtube_id=candidate, start=start)


def _seconds(value: str) -> int:
    match = _DURATION.match(value.strip()) if value else None
    if not match or not value:
        return 0
    hours, minutes, seconds = (int(match[k] or 0) for k in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Noto Sans (full Vietnamese) from fonts-noto-core; Pillow's own font otherwise."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    for directory in FONT_DIRS:
        if (directory / name).is_file():
            return ImageFont.truetype(str(directory / name), size)
    return ImageFont.load_default(size)


def draw_poster(title: str, size: tuple[int, int] = (1280, 720)) -> Image.Image:
    """A 16:9 poster: the site's dark red and the video's title, large (the page draws the
    play sign over it)."""
    width, height = size
    image = Image.new("RGB", size, (94, 18, 18))
    draw = ImageDraw.Draw(image)
    for row in range(height):  # a gentle vertical gradient, so the poster is not flat
        shade = int(40 * row / height)
        draw.line([(0, row), (width, row)], fill=(138 - shade, 28 - shade // 3, 28 - shade // 3))
    font = _font(height // 14)
    lines = textwrap.wrap(title, width=34)[:3] or ["Video"]
    top = height // 10  # above the play sign the page draws in the middle
    for line in lines:
        box = draw.textbbox((0, 0), line, font=font)
        draw.text(((width - (box[2] - box[0])) // 2, top), line, font=font, fill=(255, 255, 255))
        top += int((box[3] - box[1]) * 1.5)
    small = _font(height // 28, bold=False)
    draw.text((height // 20, height - height // 10), "Giảm nghèo Hớn Quản", font=small,
              fill=(255, 230, 200))
    return image
