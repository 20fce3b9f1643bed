"""Pictures of a leaflet at print resolution: each printed across its column, so a source
narrower than the column at PRINT_PRODUCTS_MIN_DPI gets a warning naming the file."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from newsdesk.content.items import split_header
from newsdesk.content.problems import WARNING

MM_PER_INCH = 25.4
# The printed column of each fold (theme/css/leaflet/leaflet.css): A4 less its margins, or a
# panel less its gutter.
COLUMN_MM = {1: 210 - 2 * 15, 3: 100 - 18}  # --hq-margin; --hq-panel less --hq-gutter
_LOCAL_PICTURE = re.compile(r"!\[[^\]]*\]\(\s*<?([^\s)>]+)")


def pictures(article) -> list[tuple[str, int]]:
    """(relative name, line) of the pictures a leaflet names: its Image: line and its body."""
    text = Path(article.source_path).read_text(encoding="utf-8")
    header = split_header(text)
    found = []
    if header.values.get("image"):
        found.append((header.values["image"], header.line("image")))
    for index, line in enumerate(header.body.split("\n")):
        found += [(m[1], header.body_line + index) for m in _LOCAL_PICTURE.finditer(line)
                  if "//" not in m[1]]
    return found


def low_resolution(article, fold: int, min_dpi: int) -> list[tuple[str, int, int]]:
    """(name, line, dpi) of each picture that prints below `min_dpi` across its column."""
    folder = Path(article.source_path).parent
    column_inches = COLUMN_MM[fold] / MM_PER_INCH
    low = []
    for name, line in pictures(article):
        try:
            with Image.open(folder / name) as image:
                width = image.width
        except (OSError, UnidentifiedImageError, ValueError):
            continue  # the media step reports files that are not pictures
        dpi = int(width / column_inches)
        if dpi < min_dpi:
            low.append((name, line, dpi))
    return low


def warn_low_resolution(article, fold: int, min_dpi: int, report) -> None:
    for name, line, dpi in low_resolution(article, fold, min_dpi):
        needed = round(COLUMN_MM[fold] / MM_PER_INCH * min_dpi)
        report.add(article.source_path, line,
                   f"Ảnh \"{name}\" chỉ đủ {dpi} dpi khi in tờ rơi (cần {min_dpi} dpi): "
                   "bản in sẽ bị mờ.",
                   f"Dùng ảnh gốc rộng ít nhất {needed} điểm ảnh (ảnh chụp hoặc tệp thiết kế, "
                   "không dùng ảnh tải từ Zalo, Facebook).", severity=WARNING, field="image")
