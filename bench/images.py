"""Benchmark of the image pipeline on large generated infographics.

Run: .venv/bin/python bench/images.py [--count 20]

Draws COUNT infographics of 3000x4500 (text, shapes, gradients, half PNG and half JPEG)
into a temp folder, then prints:
- time per image of the pipeline (newsdesk.media.images.derive_all, all cores) against a plain
  single-process Pillow loop doing the same work (decode, orient, sRGB, every width in WebP
  and JPEG, the full copy), measured in the same run;
- bytes a phone loads (the 800-pixel WebP its srcset picks for a 360-400 px wide screen at
  2x) against the source bytes (goal: at most 1/5);
- the time of a second run on the same cache (must encode nothing).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from newsdesk.media import images

SIZE = (3000, 4500)
FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
PHONE_WIDTH = 800


def draw(index: int, folder: Path) -> Path:
    """One infographic: a gradient, a title, twelve boxes of text, circles and bars."""
    image = Image.new("RGB", SIZE)
    draw_ = ImageDraw.Draw(image)
    for row in range(SIZE[1]):
        shade = 235 - row * 40 // SIZE[1]
        draw_.line([(0, row), (SIZE[0], row)], fill=(shade, shade - 10 + index % 10, 215))
    big = ImageFont.truetype(str(FONT), 120) if FONT.is_file() else ImageFont.load_default(120)
    small = ImageFont.truetype(str(FONT), 60) if FONT.is_file() else ImageFont.load_default(60)
    draw_.rectangle([0, 0, SIZE[0], 500], fill=(138, 28, 28))
    draw_.text((120, 160), f"Giảm nghèo bền vững – số {index + 1}", font=big, fill="white")
    for box in range(12):
        top = 650 + box * 310
        colour = ((40 + box * 17) % 255, 110, (160 + box * 9) % 255)
        draw_.rounded_rectangle([120, top, SIZE[0] - 120, top + 260], radius=40, fill=colour)
        draw_.ellipse([180, top + 40, 360, top + 220], fill=(255, 191, 71))
        draw_.text((420, top + 40), f"Bước {box + 1}: hộ nghèo đăng ký vay vốn ưu đãi",
                   font=small, fill="white")
        draw_.rectangle([420, top + 150, 420 + (box * 197 + index * 61) % 2300, top + 200],
                        fill=(255, 255, 255))
    path = folder / f"infographic-{index:02d}.{'png' if index % 2 == 0 else 'jpg'}"
    if path.suffix == ".png":
        image.save(path, optimize=False)
    else:
        image.save(path, quality=92)
    return path


def plain_loop(sources: list[Path], settings: images.ImageSettings) -> float:
    """The baseline: one process, the same decode and encodes, nothing cached."""
    started = time.perf_counter()
    for source in sources:
        with Image.open(source) as opened:
            image = images.to_srgb(opened)
        for width in images.widths_for(image.width, settings.widths):
            resized = image.resize((width, round(image.height * width / image.width)),
                                   Image.Resampling.LANCZOS, reducing_gap=3.0)
            resized.save(io.BytesIO(), "WEBP", quality=settings.webp_quality, method=4)
            resized.save(io.BytesIO(), "JPEG", quality=settings.jpeg_quality, optimize=True,
                         progressive=True)
        image.save(io.BytesIO(), "JPEG", quality=settings.full_quality, optimize=True,
                   progressive=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    settings = images.ImageSettings()
    with tempfile.TemporaryDirectory(prefix="bench-images-") as temp:
        folder = Path(temp)
        print(f"Vẽ {args.count} infographic {SIZE[0]}x{SIZE[1]}...", file=sys.stderr)
        sources = [draw(i, folder) for i in range(args.count)]
        baseline = plain_loop(sources, settings)
        first = images.derive_all(sources, settings, folder / "cache")
        second = images.derive_all(sources, settings, folder / "cache")
        source_bytes = sum(p.stat().st_size for p in sources)
        phone_bytes = sum(next(r.size for r in d.webp if r.width == PHONE_WIDTH)
                          for d in first.results.values())
        all_bytes = sum(r.size for d in first.results.values() for r in d.renditions)
    n = args.count
    rows = [
        ("Pillow, 1 tiến trình (mốc so sánh)", f"{baseline / n:.2f} s/ảnh", f"{baseline:.1f} s"),
        ("Pipeline, mọi lõi, chưa có cache", f"{first.seconds / n:.2f} s/ảnh",
         f"{first.seconds:.1f} s ({baseline / first.seconds:.2f}x nhanh hơn)"),
        ("Pipeline, lần 2 (cache)", f"{second.seconds / n * 1000:.1f} ms/ảnh",
         f"{second.seconds:.2f} s, {second.encoded} ảnh mã hóa"),
    ]
    print(f"{'Lần chạy':<38}{'Mỗi ảnh':<16}Tổng")
    for row in rows:
        print(f"{row[0]:<38}{row[1]:<16}{row[2]}")
    print()
    print(f"Ảnh gốc: {source_bytes / 1e6:.1f} MB; điện thoại tải (WebP {PHONE_WIDTH} px): "
          f"{phone_bytes / 1e6:.2f} MB = 1/{source_bytes / phone_bytes:.0f} "
          f"({'đạt' if phone_bytes * 5 <= source_bytes else 'CHƯA đạt'} mục tiêu ≤ 1/5); "
          f"mọi bản dẫn xuất: {all_bytes / 1e6:.1f} MB")
    print(f"Lần 2: {second.encoded} ảnh cần mã hóa, {second.cached} ảnh từ cache "
          f"({'đạt' if second.encoded == 0 else 'CHƯA đạt'}).")


if __name__ == "__main__":
    main()
