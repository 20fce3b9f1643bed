"""Images are light on a slow phone, carry no hidden metadata, and bad files never crash a build.

Fixture images are drawn here with Pillow; every assertion reads the real output files back.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw

from newsdesk.media import images

INFOGRAPHIC_TEXT = "Hộ nghèo được vay vốn tối đa 100 triệu đồng, lãi suất 6,6% một năm."


def draw_infographic(path: Path, size=(2400, 3600), mode="RGB") -> Path:
    """A tall graphic with shapes, its file name and a red marker in its top-left corner."""
    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    draw.text((250, 220), path.stem, fill="black")
    for index in range(12):
        top = 300 + index * 250
        draw.rectangle([150, top, size[0] - 150, top + 180], fill=(30 + index * 15, 90, 160))
        draw.text((200, top + 40), f"Bước {index + 1}: đăng ký vay vốn", fill="white")
    draw.rectangle([0, 0, 199, 199], fill=(255, 0, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def output_file(built, url: str) -> Path:
    return built.output / url.lstrip("/")


def srcset_files(built, srcset: str) -> list[tuple[Path, int]]:
    entries = [part.strip().rsplit(" ", 1) for part in srcset.split(",")]
    return [(output_file(built, url), int(width.rstrip("w"))) for url, width in entries]


def encoded_notice(built) -> str:
    return next(p.message for p in built.result.report.problems if p.code == "images-encoded")


def infographic(site, name="thoat-ngheo", **fields):
    draw_infographic(site.content / "infographic" / f"{name}.png")
    return site.item(f"infographic/{name}.md", title="Các bước vay vốn hộ nghèo",
                     type="infographic", image=f"{name}.png", alt="Sơ đồ 12 bước vay vốn",
                     summary="Cách vay vốn ưu đãi.", body=INFOGRAPHIC_TEXT, **fields)


# -- infographics -------------------------------------------------------------------------
def test_infographic_page_shows_responsive_picture_with_its_text_version(site, tmp_path):
    infographic(site)
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    assert built.result.ok, built.result.report.format()
    page = built.html("infographic/thoat-ngheo/")
    figure = page.select_one("figure.hq-infographic")
    webp = figure.select_one("picture source[type='image/webp']")
    img = figure.select_one("picture img")
    assert img["alt"] == "Sơ đồ 12 bước vay vốn"
    assert img.get("loading") != "lazy" and img["fetchpriority"] == "high"  # at the top
    assert img["sizes"] and webp["sizes"]
    for (path, width) in srcset_files(built, webp["srcset"]):
        with Image.open(path) as derived:
            assert derived.format == "WEBP" and derived.size == (width, width * 3 // 2)
    assert [w for _, w in srcset_files(built, webp["srcset"])] == [400, 800, 1600]
    for (path, width) in srcset_files(built, img["srcset"]):
        with Image.open(path) as derived:
            assert derived.format == "JPEG" and derived.width == width
    with Image.open(output_file(built, img["src"])) as default:
        assert (str(default.width), str(default.height)) == (img["width"], img["height"])
    download = figure.select_one("a.hq-media__download[download]")
    with Image.open(output_file(built, download["href"])) as full:
        assert full.size == (2400, 3600)
    assert "2400 × 3600" in download.get_text()
    details = page.select_one("details.hq-infographic__text")
    assert details.summary.get_text(strip=True) == "Đọc bản chữ của infographic"
    assert INFOGRAPHIC_TEXT in details.get_text()


def test_infographic_needs_image_alt_and_text_version(site):
    site.item("infographic/thieu.md", title="Thiếu đủ thứ", type="infographic", body="")
    built = site.build()
    assert not built.result.ok
    messages = {p.field: p for p in built.result.report.errors if p.field}
    assert set(messages) == {"image", "alt", "body"}
    assert all(p.path.endswith("infographic/thieu.md") for p in messages.values())
    assert "nội dung bằng chữ" in messages["body"].message


def test_infographic_gallery_is_a_grid_of_thumbnails(site, tmp_path):
    infographic(site, "mot")
    infographic(site, "hai")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    grid = built.html("infographic/").select("ul.hq-gallery--infographic > li")
    assert len(grid) == 2
    for item in grid:
        img = item.select_one("picture img")
        assert img["width"] and img["height"] and "400w" in img["srcset"]
        assert item.select_one("a")["href"].startswith("/infographic/")


def test_derivatives_a_phone_loads_are_a_fraction_of_the_source(site, tmp_path):
    infographic(site)
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    source = (site.content / "infographic" / "thoat-ngheo.png").stat().st_size
    webp = built.html("infographic/thoat-ngheo/").select_one("figure source[type='image/webp']")
    phone = dict((w, p) for p, w in srcset_files(built, webp["srcset"]))[800]
    assert phone.stat().st_size * 5 <= source


# -- what is stripped and converted --------------------------------------------------------
def test_exif_orientation_is_applied_and_gps_and_exif_are_gone(site, tmp_path):
    photo = Image.new("RGB", (1200, 800), (0, 120, 0))
    ImageDraw.Draw(photo).rectangle([0, 0, 99, 99], fill=(255, 0, 0))  # stored top-left
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    exif[0x010F] = "Điện thoại của phóng viên"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (11.0, 36.0, 12.5), 3: "E", 4: (106.0, 36.0, 3.0)})
    (site.content / "tin").mkdir()
    photo.save(site.content / "tin" / "anh.jpg", exif=exif, quality=95)
    with Image.open(site.content / "tin" / "anh.jpg") as check:
        assert check.getexif().get_ifd(0x8825)  # the fixture really carries GPS
    site.item("tin/bai.md", title="Có ảnh chụp", image="anh.jpg", alt="Ảnh họp dân")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    assert built.result.ok, built.result.report.format()
    img = built.html("tin-bai/bai/").select_one(".hq-item__cover picture img")
    assert (img["width"], img["height"]) == ("800", "1200")  # portrait once turned
    files = list((built.output / "media").iterdir())
    assert len(files) == 5  # 400 and 800 wide in WebP and JPEG, and the full copy
    for path in files:
        data = path.read_bytes()
        assert b"Exif" not in data and b"GPS" not in data
        with Image.open(path) as derived:
            assert not derived.getexif() and "icc_profile" not in derived.info
            assert derived.height > derived.width
            red = derived.convert("RGB").getpixel((derived.width - 5, 5))
            assert red[0] > 200 and red[1] < 60  # the marker is now top-right
    assert not (built.output / "tin" / "anh.jpg").exists()  # the original is never published


def test_cmyk_with_a_profile_becomes_an_srgb_jpeg_without_profile(site, tmp_path):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    (site.content / "tin").mkdir()
    Image.new("CMYK", (900, 600), (0, 255, 255, 0)).save(site.content / "tin" / "in.jpg",
                                                         icc_profile=profile)
    Image.new("RGB", (900, 600), (0, 0, 200)).save(site.content / "tin" / "rgb.jpg",
                                                   icc_profile=profile)
    site.item("tin/bai.md", image="in.jpg", alt="Khung đỏ", body="![Khung xanh](rgb.jpg)")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    assert built.result.ok, built.result.report.format()
    for path in (built.output / "media").iterdir():
        with Image.open(path) as derived:
            assert derived.mode == "RGB" and "icc_profile" not in derived.info
            pixel = derived.getpixel((10, 10))
            if path.name.startswith("in"):
                assert pixel[0] > 200 and pixel[1] < 80 and pixel[2] < 80
            else:
                assert pixel[2] > 150 and pixel[0] < 60


def test_png_with_transparency_falls_back_to_png_and_keeps_alpha(site, tmp_path):
    logo = Image.new("RGBA", (1000, 1000), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse([100, 100, 900, 900], fill=(138, 28, 28, 255))
    (site.content / "tin").mkdir()
    logo.save(site.content / "tin" / "logo.png")
    site.item("tin/bai.md", body="Biểu trưng:\n\n![Biểu trưng chương trình](logo.png)")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    figure = built.html("tin-bai/bai/").select_one(".hq-item__body figure.hq-media")
    img = figure.select_one("img")
    assert img["loading"] == "lazy" and img["alt"] == "Biểu trưng chương trình"
    assert [w for _, w in srcset_files(built, img["srcset"])] == [400, 800, 1000]
    for path, _ in srcset_files(built, img["srcset"]):
        with Image.open(path) as derived:
            assert derived.format == "PNG" and derived.mode == "RGBA"
            assert derived.getpixel((0, 0))[3] == 0
    webp = figure.select_one("source")["srcset"].split(" ")[0]
    with Image.open(output_file(built, webp)) as derived:
        assert derived.mode == "RGBA"


def test_images_in_bodies_get_pictures_and_inline_ones_stay_inline(site, tmp_path):
    (site.content / "tin").mkdir()
    Image.new("RGB", (300, 200), (10, 10, 10)).save(site.content / "tin" / "nho.jpg")
    site.item("tin/bai.md", body="Biểu tượng ![nhỏ](nho.jpg) giữa câu. [Tải ảnh](nho.jpg)")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    body = built.html("tin-bai/bai/").select_one(".hq-item__body")
    img = body.select_one("p picture img")
    assert img["src"].startswith("/media/nho-300.") and "300w" in img["srcset"]  # not upscaled
    assert img["width"] == "300" and img["height"] == "200"
    link = body.select_one("a[href^='/media/']")
    assert link is not None and link.get_text() == "Tải ảnh"
    assert not (built.output / "tin" / "nho.jpg").exists()


# -- bad files ------------------------------------------------------------------------------
def test_bad_images_are_reported_by_name_and_never_crash(site, tmp_path):
    folder = site.content / "tin"
    draw_infographic(folder / "cut.jpg", size=(800, 1200))
    data = (folder / "cut.jpg").read_bytes()
    (folder / "cut.jpg").write_bytes(data[: len(data) // 2])
    (folder / "chu.png").write_text("đây là chữ, không phải ảnh", encoding="utf-8")
    Image.new("RGB", (40, 40), "red").save(folder / "dong.gif")
    Image.new("1", (2000, 1600)).save(folder / "bom.png")  # 3.2 M pixels, tiny file
    Image.new("1", (1300, 1000)).save(folder / "hoi-lon.png")  # 1.3 M: above the limit
    draw_infographic(tmp_path / "ngoai.png", size=(300, 300))
    site.item("tin/a.md", title="Ảnh cắt cụt", image="cut.jpg", alt="Ảnh")
    site.item("tin/b.md", title="Không phải ảnh", body="Xem:\n\n![Biểu đồ](chu.png)")
    site.item("tin/c.md", title="Ảnh GIF", body="![Động](dong.gif)")
    site.item("tin/d.md", title="Ảnh bom", image="bom.png", alt="Bom")
    site.item("tin/e.md", title="Ảnh lớn", body="![Lớn](hoi-lon.png)")
    site.item("tin/f.md", title="Ảnh ngoài", body="![Ngoài](../../ngoai.png)")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"), IMAGES_MAX_PIXELS=1_000_000)
    assert not built.result.ok
    assert not (tmp_path / "output").exists()  # nothing published from a failed build
    by_file = {Path(p.path).name: p for p in built.result.report.errors}
    assert "cut.jpg" in by_file["a.md"].message and "cắt cụt" in by_file["a.md"].message
    assert by_file["a.md"].line == 4  # the Image: line
    assert "chu.png" in by_file["b.md"].message and "không phải là ảnh" in by_file["b.md"].message
    assert by_file["b.md"].line == 7  # the body line holding the image
    assert "dong.gif" in by_file["c.md"].message and "GIF" in by_file["c.md"].message
    assert "bom.png" in by_file["d.md"].message and "quá lớn" in by_file["d.md"].message
    assert "hoi-lon.png" in by_file["e.md"].message and "quá lớn" in by_file["e.md"].message
    assert "ngoai.png" in by_file["f.md"].message and "ngoài thư mục content" in \
        by_file["f.md"].message
    for problem in by_file.values():
        assert problem.hint and "Traceback" not in problem.message


def test_open_safely_refuses_bombs_before_decoding(tmp_path):
    Image.new("1", (4000, 4000)).save(tmp_path / "bom.png")
    outcome = images.derive_all([tmp_path / "bom.png"], images.ImageSettings(max_pixels=1_000_000),
                                tmp_path / "cache")
    fault = outcome.results[tmp_path / "bom.png"]
    assert isinstance(fault, images.ImageFault) and fault.code == "too-large"
    assert images.pixels_of_fault(fault) == (16_000_000, 2_000_000)
    assert outcome.encoded == 0


# -- the cache -----------------------------------------------------------------------------
def test_second_build_encodes_nothing_and_changed_settings_reencode(site, tmp_path):
    cache = str(tmp_path / "cache")
    infographic(site, "mot")
    infographic(site, "hai")
    first = site.build(IMAGES_CACHE_DIR=cache)
    assert re.match(r"Ảnh: 2 ảnh cần mã hóa, 0 ảnh", encoded_notice(first))
    media = sorted(p.name for p in (first.output / "media").iterdir())
    second = site.build(IMAGES_CACHE_DIR=cache)
    assert encoded_notice(second).startswith("Ảnh: 0 ảnh cần mã hóa, 2 ảnh lấy lại")
    assert sorted(p.name for p in (second.output / "media").iterdir()) == media
    assert second.result.sync.written == []  # nothing changed on disk either
    third = site.build(IMAGES_CACHE_DIR=cache, IMAGES_WEBP_QUALITY=40)
    assert encoded_notice(third).startswith("Ảnh: 2 ảnh cần mã hóa")
    webp = {p.name for p in (third.output / "media").glob("*.webp")}
    assert webp.isdisjoint(media)  # new bytes, new fingerprinted names
    fourth = site.build(IMAGES_CACHE_DIR=cache, IMAGES_WIDTHS=(300, 600))
    img = fourth.html("infographic/mot/").select_one("figure img")
    assert [w for _, w in srcset_files(fourth, img["srcset"])] == [300, 600]


def test_changed_image_is_reencoded_under_a_new_name(site, tmp_path):
    cache = str(tmp_path / "cache")
    infographic(site)
    first = site.build(IMAGES_CACHE_DIR=cache)
    before = first.html("infographic/thoat-ngheo/").select_one("figure img")["src"]
    source = site.content / "infographic" / "thoat-ngheo.png"
    with Image.open(source) as image:
        changed = image.copy()
    ImageDraw.Draw(changed).rectangle([0, 1000, 2400, 1400], fill="black")
    changed.save(source)
    second = site.build(IMAGES_CACHE_DIR=cache)
    assert encoded_notice(second).startswith("Ảnh: 1 ảnh cần mã hóa")
    after = second.html("infographic/thoat-ngheo/").select_one("figure img")["src"]
    assert after != before and not output_file(second, before).exists()


def test_widths_are_never_upscaled():
    assert images.widths_for(3000, (400, 800, 1600)) == [400, 800, 1600]
    assert images.widths_for(1000, (400, 800, 1600)) == [400, 800, 1000]
    assert images.widths_for(300, (400, 800, 1600)) == [300]
    assert images.widths_for(800, (400, 800, 1600)) == [400, 800]


# -- editors' raw HTML ---------------------------------------------------------------------
@pytest.mark.parametrize("raw, removed", [
    ('<script>alert("x")</script>', "thẻ <script>"),
    ('<img src="x.png" onerror="alert(1)" alt="a">', "onerror"),
    ('<iframe src="https://quangcao.example/"></iframe>', "Thẻ HTML <iframe>"),
    ('<a href="javascript:alert(1)">bấm</a>', "javascript:"),
    ('<p onclick="steal()">Đoạn</p>', "onclick"),
])
def test_raw_html_is_sanitized_and_the_editor_is_told(site, raw, removed):
    Image.new("RGB", (50, 50)).save(site.content / "x.png")
    site.item("bai.md", body=f"Đoạn đầu.\n\n{raw}\n\nĐoạn cuối.")
    built = site.build()
    assert built.result.ok, built.result.report.format()
    html = str(built.html("tin-bai/bai/").select_one(".hq-item__body"))
    assert "<script" not in html and "<iframe" not in html and "javascript:" not in html
    assert not re.search(r"\son[a-z]+=", html)
    warnings = [p for p in built.result.report.warnings if p.path.endswith("bai.md")]
    assert warnings and removed in warnings[0].message
    assert warnings[0].line == 7  # the line of the raw HTML (title, date, category, blank, 2)


def test_text_in_angle_brackets_is_shown_as_typed_and_code_never_takes_what_follows(site):
    site.item("bai.md", body="Tiêu chí <thu nhập bình quân> mới ở Đồng Nơ.\n\n"
                             "Ô <textarea> nhập tên.\n\n"
                             "<style>p { color: red }</style>\n\nĐoạn sau kiểu.\n\n"
                             "Trước <script> giữa dòng.\n\nĐoạn cuối.")
    built = site.build()
    body = built.html("tin-bai/bai/").select_one(".hq-item__body")
    assert [p.get_text() for p in body.select("p")] == [
        "Tiêu chí <thu nhập bình quân> mới ở Đồng Nơ.", "Ô <textarea> nhập tên.",
        "Đoạn sau kiểu.", "Trước  giữa dòng.", "Đoạn cuối."]
    assert body.select("style, script, textarea, thu") == []
    assert [(p.line, p.message) for p in built.result.report.warnings
            if p.path.endswith("bai.md")] == [
        (7, "Thẻ HTML <textarea> không được dùng trong bài: trang hiện nó nguyên văn, như chữ."),
        (9, "HTML không an toàn bị xóa khỏi bài khi dựng trang: thẻ <style> cùng nội dung "
            "\"p { color: red }\"."),
        (13, "HTML không an toàn bị xóa khỏi bài khi dựng trang: thẻ <script>.")]


def test_an_image_from_another_site_becomes_a_link(site):
    site.item("bai.md", body="![Ảnh mạng](https://anh.example/a.jpg)")
    built = site.build()
    body = built.html("tin-bai/bai/").select_one(".hq-item__body")
    assert body.select_one("img") is None
    assert body.select_one("a[href='https://anh.example/a.jpg']").get_text() == "Ảnh mạng"
    assert any("trang web khác" in p.message for p in built.result.report.warnings)


def test_body_rewrite_reads_the_html_not_its_text(site, tmp_path):
    """Markup shown as text (a code span) stays as written; a URL with "&" keeps its query."""
    (site.content / "tin").mkdir()
    Image.new("RGB", (300, 200), (10, 10, 10)).save(site.content / "tin" / "nho.jpg")
    site.item("tin/bai.md", body='![nhỏ](nho.jpg)\n\nViết `href="{static}nho.jpg"` như thế.\n\n'
                                 "![Ảnh mạng](https://anh.example/a.jpg?w=1&h=2)")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    body = built.html("tin-bai/bai/").select_one(".hq-item__body")
    assert body.select_one("figure picture img")["src"].startswith("/media/nho-300.")
    assert body.select_one("code").get_text() == 'href="{static}nho.jpg"'
    assert body.select_one("a[href='https://anh.example/a.jpg?w=1&h=2']") is not None


def test_metadata_free_reencode_of_the_pipeline_itself(tmp_path):
    """encode() on a JPEG with EXIF writes files without it (no build around it)."""
    exif = Image.Exif()
    exif[0x0131] = "Phần mềm thiết kế"
    buffer = io.BytesIO()
    Image.new("RGB", (500, 500), "white").save(buffer, "JPEG", exif=exif)
    (tmp_path / "a.jpg").write_bytes(buffer.getvalue())
    outcome = images.derive_all([tmp_path / "a.jpg"], images.ImageSettings(), tmp_path / "c")
    derived = outcome.results[tmp_path / "a.jpg"]
    for rendition in derived.renditions:
        assert b"Exif" not in (derived.directory / rendition.name).read_bytes()


def test_image_problems_are_listed_with_the_other_errors_of_the_build(site, tmp_path):
    (site.content / "tin").mkdir()
    (site.content / "tin" / "hong.png").write_bytes(b"not an image at all")
    site.item("tin/a.md", category="Xã Không Có")
    site.item("tin/b.md", body="![Hỏng](hong.png)")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"))
    files = {Path(p.path).name for p in built.result.report.errors}
    assert {"a.md", "b.md"} <= files


def test_pictures_follow_the_site_url_in_pages_and_body(site, tmp_path):
    infographic(site, "mot")
    draw_infographic(site.content / "infographic" / "nho.png", size=(600, 400))
    site.item("infographic/hai.md", title="Có ảnh trong bài", body="![Ảnh](nho.png)")
    built = site.build(IMAGES_CACHE_DIR=str(tmp_path / "cache"),
                       SITEURL="https://honquan.example.gov.vn/giam-ngheo")
    base = "https://honquan.example.gov.vn/giam-ngheo/media/"
    cover = built.html("infographic/mot/").select_one("figure.hq-infographic img")
    body = built.html("tin-bai/hai/").select_one(".hq-item__body img")
    for img in (cover, body):
        assert img["src"].startswith(base)
        assert all(c.strip().startswith(base) for c in img["srcset"].split(","))
    og = built.html("infographic/mot/").select_one("meta[property='og:image']")["content"]
    assert og.startswith(base) and "@@" not in str(built.html("tin-bai/hai/"))
