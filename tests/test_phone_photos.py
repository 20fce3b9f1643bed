"""Photos straight from a phone: an iPhone's HEIC, full size, goes on the page as WebP and JPEG.

The HEIC files are made here: drawn with Pillow and saved by pillow-heif, as a phone saves them.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw



def phone_photo(path: Path, size=(4032, 3024)) -> Path:
    """A 12-megapixel HEIC like an iPhone's, with a red corner to find again."""
    photo = Image.new("RGB", size, (40, 120, 60))
    draw = ImageDraw.Draw(photo)
    draw.rectangle([0, 0, size[0] // 10, size[1] // 10], fill=(255, 0, 0))
    draw.ellipse([size[0] // 3, size[1] // 3, size[0] // 2, size[1] // 2], fill=(240, 220, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    photo.save(path, format="HEIF", quality=60)
    return path


def test_a_heic_photo_from_a_phone_is_published_as_webp_and_jpeg(site, tmp_path):
    source = phone_photo(site.content / "dong-no" / "IMG_0420.HEIC")
    assert source.read_bytes()[4:12] == b"ftypheic"  # a real HEIC file
    site.item("dong-no/trao-bo.md", title="Trao bò giống", image="IMG_0420.HEIC",
              alt="Cán bộ xã trao bò giống",
              body="Trong bài:\n\n![Người dân nhận bò](IMG_0420.HEIC)")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    assert built.result.ok, built.result.report.format()
    page = built.html("tin-bai/trao-bo/")
    pictures = page.select("picture")
    assert len(pictures) == 2  # the cover and the photo in the body
    for picture in pictures:
        webp = picture.select_one("source[type='image/webp']")["srcset"]
        img = picture.select_one("img")
        assert ".heic" not in (webp + img["src"]).lower()
        assert img["src"].endswith(".jpg")
        for entry in webp.split(","):
            url = entry.strip().split(" ")[0]
            with Image.open(built.output / url.lstrip("/")) as derived:
                assert derived.format == "WEBP" and derived.width <= 1600
                assert derived.getpixel((2, 2))[0] > 200  # the red corner, still top-left
        with Image.open(built.output / img["src"].lstrip("/")) as fallback:
            assert fallback.format == "JPEG"
    assert not list(built.output.rglob("*.heic")) and not list(built.output.rglob("*.HEIC"))


def test_a_broken_heic_gets_a_clear_message_naming_it(site, tmp_path):
    source = phone_photo(site.content / "tin" / "anh.heic", size=(800, 600))
    source.write_bytes(source.read_bytes()[:300])  # a copy cut short
    site.item("tin/bai.md", title="Ảnh hỏng", image="anh.heic", alt="Ảnh")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    assert not built.result.ok
    problem = next(p for p in built.result.report.errors if Path(p.path).name == "bai.md")
    assert "anh.heic" in problem.message and problem.line == 4
    assert problem.hint

