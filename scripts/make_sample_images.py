"""Draw the sample site's images with Pillow (covers and infographics); the output is committed.

Run: .venv/bin/python scripts/make_sample_images.py   (needs Debian's fonts-noto-core)
Every picture is made here from shapes and text: nothing is downloaded.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CONTENT = Path(__file__).resolve().parent.parent / "content"
FONTS = Path("/usr/share/fonts/truetype/noto")
PALETTE = {"red": (138, 28, 28), "green": (46, 110, 58), "blue": (11, 79, 138),
           "gold": (230, 170, 40), "cream": (250, 244, 230), "ink": (27, 27, 27)}


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / f"NotoSans-{'Bold' if bold else 'Regular'}.ttf"), size)


def write_lines(draw, xy, text, size, width, fill, bold=False, spacing=1.3) -> int:
    """Wrap `text` to `width` characters at `xy`; return the y below the last line."""
    x, y = xy
    face = font(size, bold)
    for line in textwrap.wrap(text, width):
        draw.text((x, y), line, font=face, fill=fill)
        y += int(size * spacing)
    return y


def house(draw, x, y, scale, colour):
    draw.polygon([(x, y), (x + 60 * scale, y - 50 * scale), (x + 120 * scale, y)], fill=colour)
    draw.rectangle([x + 12 * scale, y, x + 108 * scale, y + 80 * scale], fill=colour)
    draw.rectangle([x + 48 * scale, y + 35 * scale, x + 72 * scale, y + 80 * scale],
                   fill=PALETTE["cream"])


def cover(path: str, title: str, colour: str, motif: str) -> None:
    """A 1600x900 cover photo stand-in: sky, fields, a motif, and the title band."""
    image = Image.new("RGB", (1600, 900), PALETTE["cream"])
    draw = ImageDraw.Draw(image)
    for row in range(520):
        shade = 255 - row // 6
        draw.line([(0, row), (1600, row)], fill=(shade - 60, shade - 20, 255))
    draw.rectangle([0, 520, 1600, 900], fill=PALETTE["green"])
    for lane in range(8):
        draw.line([(0, 560 + lane * 45), (1600, 540 + lane * 52)], fill=(70, 140, 80), width=6)
    draw.ellipse([1300, 80, 1440, 220], fill=PALETTE["gold"])
    if motif == "houses":
        for index in range(5):
            house(draw, 150 + index * 260, 470, 1.4, PALETTE[("red", "blue")[index % 2]])
    elif motif == "cattle":
        for index in range(4):
            x = 220 + index * 300
            draw.ellipse([x, 560, x + 200, 680], fill=(120, 80, 50))
            draw.ellipse([x + 170, 540, x + 250, 610], fill=(120, 80, 50))
            for leg in (20, 60, 130, 170):
                draw.rectangle([x + leg, 660, x + leg + 18, 740], fill=(90, 60, 40))
    elif motif == "trees":
        for index in range(9):
            x = 90 + index * 170
            draw.rectangle([x + 35, 420, x + 55, 560], fill=(100, 70, 40))
            draw.ellipse([x, 300, x + 90, 450], fill=(30, 90, 45))
    elif motif == "meeting":
        draw.rectangle([300, 260, 1300, 520], fill=PALETTE["red"])
        write_lines(draw, (360, 330), "HỘI NGHỊ", 90, 30, PALETTE["gold"], bold=True)
        for index in range(10):
            x = 170 + index * 130
            draw.ellipse([x, 600, x + 70, 670], fill=PALETTE["ink"])
            draw.rectangle([x - 10, 670, x + 80, 800], fill=PALETTE["blue"])
    elif motif == "radio":
        draw.rectangle([760, 200, 780, 560], fill=(90, 90, 90))
        for side in (-1, 1):
            draw.polygon([(770, 230), (770 + side * 180, 170), (770 + side * 180, 300)],
                         fill=(200, 200, 200))
        for ring in range(3):
            r = 60 + ring * 50
            draw.arc([770 - r, 240 - r, 770 + r, 240 + r], 300, 60, fill=PALETTE["gold"], width=8)
    draw.rectangle([0, 760, 1600, 900], fill=(0, 0, 0))
    write_lines(draw, (50, 785), title, 46, 62, (255, 255, 255), bold=True)
    target = CONTENT / path
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, "JPEG", quality=82, optimize=True, progressive=True)


def infographic(path: str, title: str, blocks: list[tuple[str, str]], footer: str) -> None:
    """A tall 1200x1800 infographic: a title, numbered blocks of text, a footer."""
    image = Image.new("RGB", (1200, 1800), PALETTE["cream"])
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 1200, 300], fill=PALETTE["red"])
    write_lines(draw, (60, 60), title, 64, 30, (255, 255, 255), bold=True)
    y = 340
    height = (1800 - 340 - 170) // len(blocks)
    colours = ("blue", "green", "gold", "red", "blue", "green")
    for index, (heading, text) in enumerate(blocks):
        colour = PALETTE[colours[index % len(colours)]]
        draw.ellipse([60, y + 10, 160, y + 110], fill=colour)
        draw.text((110, y + 60), str(index + 1), font=font(56, True), fill=(255, 255, 255),
                  anchor="mm")
        bottom = write_lines(draw, (200, y), heading, 40, 40, PALETTE["ink"], bold=True)
        write_lines(draw, (200, bottom + 4), text, 30, 55, PALETTE["ink"])
        y += height
    draw.rectangle([0, 1650, 1200, 1800], fill=PALETTE["green"])
    write_lines(draw, (60, 1680), footer, 32, 60, (255, 255, 255))
    target = CONTENT / path
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, "PNG", optimize=True)


def steps_card(path: str, heading: str, steps: list[str]) -> None:
    """A small flat picture for a handbook body: a heading and numbered steps in boxes."""
    image = Image.new("RGB", (800, 450), "#fdf6e3")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 90), fill="#8a1c1c")
    draw.text((40, 22), heading, font=font(40, True), fill="#ffffff")
    for index, step in enumerate(steps):
        top = 130 + index * 100
        draw.rounded_rectangle((40, top, 760, top + 76), radius=12, outline="#0b4f8a", width=4)
        draw.text((64, top + 14), step, font=font(36, True), fill="#1b1b1b")
    image.quantize(colors=16).save(CONTENT / path, optimize=True)  # flat colours: a small PNG


COVERS = [
    ("toan-huyen/anh/ke-hoach-288.jpg", "Triển khai Kế hoạch 288/KH-UBND", "red", "meeting"),
    ("tan-khai/anh/tap-huan-thong-tin-co-so.jpg", "Tập huấn cán bộ thông tin cơ sở", "blue",
     "meeting"),
    ("dong-no/anh/nuoi-bo-sinh-san.jpg", "Mô hình nuôi bò sinh sản", "green", "cattle"),
    ("minh-duc/anh/vuon-cay-an-trai.jpg", "Vươn lên thoát nghèo từ vườn cây ăn trái", "green",
     "trees"),
    ("tan-loi/anh/dai-truyen-thanh.jpg", "Nâng cấp đài truyền thanh xã", "blue", "radio"),
    ("an-phu/anh/nha-o-ho-ngheo.jpg", "Hỗ trợ nhà ở cho hộ nghèo", "red", "houses"),
    ("tan-hung/anh/video-sinh-ke.jpg", "Video: sinh kế bền vững", "green", "cattle"),
    ("thanh-an/anh/video-tiep-can-thong-tin.jpg", "Video: tiếp cận thông tin", "blue", "radio"),
]

INFOGRAPHICS = [
    ("toan-huyen/anh/giam-ngheo-da-chieu.png", "Giảm nghèo đa chiều: 6 dịch vụ xã hội cơ bản",
     [("Việc làm", "Có việc làm ổn định, được học nghề, được hỗ trợ tìm việc."),
      ("Y tế", "Có thẻ bảo hiểm y tế, được khám chữa bệnh khi ốm đau."),
      ("Giáo dục", "Trẻ em đến trường đúng tuổi, người lớn biết đọc biết viết."),
      ("Nhà ở", "Có nhà ở an toàn, diện tích đủ cho gia đình sinh hoạt."),
      ("Nước sạch và vệ sinh", "Dùng nước sạch, có nhà tiêu hợp vệ sinh."),
      ("Thông tin", "Nghe, xem, đọc được tin tức; có điện thoại hoặc internet.")],
     "UBND huyện Hớn Quản – Chương trình MTQG giảm nghèo bền vững"),
    ("toan-huyen/anh/chinh-sach-ho-ngheo.png", "Hộ nghèo được hỗ trợ những gì?",
     [("Bảo hiểm y tế", "Nhà nước cấp thẻ bảo hiểm y tế miễn phí cho người thuộc hộ nghèo."),
      ("Vay vốn ưu đãi", "Vay vốn Ngân hàng Chính sách xã hội với lãi suất thấp để làm ăn."),
      ("Học phí", "Học sinh thuộc hộ nghèo được miễn, giảm học phí và hỗ trợ chi phí học tập."),
      ("Tiền điện", "Hộ nghèo được hỗ trợ tiền điện hằng tháng theo quy định."),
      ("Trợ giúp pháp lý", "Được tư vấn, trợ giúp pháp lý miễn phí khi cần.")],
     "Hỏi cán bộ giảm nghèo xã hoặc trưởng ấp để được hướng dẫn"),
    ("tan-quan/anh/tiep-can-thong-tin.png", "Tiếp cận thông tin ở điểm bưu điện văn hóa xã",
     [("Đọc tin miễn phí", "Màn hình cảm ứng tại điểm bưu điện văn hóa xã mở cửa cho mọi người."),
      ("Tra cứu chính sách", "Xem chính sách giảm nghèo, thủ tục hành chính, giá nông sản."),
      ("Nghe đài truyền thanh", "Các bài truyền thanh được phát lại và đăng trên trang."),
      ("Hỏi cán bộ", "Nhân viên bưu điện và cán bộ văn hóa xã hướng dẫn cách dùng.")],
     "Cụm thông tin điện tử công cộng – huyện Hớn Quản"),
]


STEPS_CARDS = [
    ("toan-huyen/anh/ba-viec-khi-di-kham-benh.png", "KHI ĐI KHÁM BỆNH",
     ["1. Mang thẻ bảo hiểm y tế", "2. Mang căn cước công dân", "3. Đến trạm y tế xã trước"]),
]


def main() -> None:
    for path, title, colour, motif in COVERS:
        cover(path, title, colour, motif)
        print(path)
    for path, title, blocks, footer in INFOGRAPHICS:
        infographic(path, title, blocks, footer)
        print(path)
    for path, heading, steps in STEPS_CARDS:
        steps_card(path, heading, steps)
        print(path)


if __name__ == "__main__":
    main()
