"""Draw the picture of the sample handbook content/toan-huyen/cam-nang-tiep-can-dich-vu-xa-hoi.md
with Pillow (never downloaded).

Run: .venv/bin/python scripts/draw_sample_picture.py  (the PNG is committed).
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "content" / "toan-huyen" / "anh" / "ba-viec-khi-di-kham-benh.png"
FONT = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"
STEPS = ["1. Mang thẻ bảo hiểm y tế", "2. Mang căn cước công dân", "3. Đến trạm y tế xã trước"]


def main() -> None:
    image = Image.new("RGB", (800, 450), "#fdf6e3")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 90), fill="#8a1c1c")
    draw.text((40, 22), "KHI ĐI KHÁM BỆNH", font=ImageFont.truetype(FONT, 40), fill="#ffffff")
    body = ImageFont.truetype(FONT, 36)
    for index, step in enumerate(STEPS):
        top = 130 + index * 100
        draw.rounded_rectangle((40, top, 760, top + 76), radius=12, outline="#0b4f8a", width=4)
        draw.text((64, top + 14), step, font=body, fill="#1b1b1b")
    image.quantize(colors=16).save(TARGET, optimize=True)  # flat colours: a small PNG
    print(TARGET.relative_to(ROOT), TARGET.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
