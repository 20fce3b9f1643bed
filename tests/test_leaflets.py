"""Leaflets (`Type: to-roi`) become print-ready A4 PDFs at build time (plugins/print_products):
the resident's file exactly A4, one page unless folded, fonts embedded, tagged for screen
readers in Vietnamese; the print shop's file with its bleed coloured, crop marks beyond it,
TrimBox and BleedBox, and a CMYK output intent; a tri-fold's two sides with no empty panel;
the title and the office's contact line in the text, rendered once and then reused from the
post-build cache, and bad print fields refused by file and line. Pages are read back with
pypdf and drawn with pdftoppm."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import BuiltSite
from devtools import ROOT
from newsdesk.content.vocabulary import load
from newsdesk.site.print_pdf import DEFAULT_PRESS_PROFILE
from print_products.resolution import COLUMN_MM
from scripts import make_leaflet_pictures

POINTS_PER_MM = 72 / 25.4
TITLE = "Tờ rơi: Nhận thẻ bảo hiểm y tế cho hộ cận nghèo ở Đồng Nơ"
BODY = ("**Thẻ bảo hiểm y tế – quyền lợi của bạn**\n\n"
        "- Người thuộc hộ cận nghèo được hỗ trợ tiền đóng bảo hiểm y tế.\n"
        "- Hỏi thêm tại UBND xã Đồng Nơ hoặc trạm y tế xã.\n")
FOLDER = "to-roi/to-roi-bhyt/"


def _mm(box) -> tuple[float, float]:
    return (round(float(box.width) / POINTS_PER_MM), round(float(box.height) / POINTS_PER_MM))


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(name, embedded) of every font the pages use."""
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            descriptor = descriptor.get_object()
            found.append((str(font["/BaseFont"]), any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))))
    return found


def _drawn(pdf, page: int, dpi: int = 30) -> Image.Image:
    """One page of a PDF drawn by poppler's pdftoppm (its whole MediaBox)."""
    ppm = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page),
                          "-singlefile", str(pdf)], check=True, capture_output=True).stdout
    return Image.open(io.BytesIO(ppm)).convert("RGB")


def _ink(image: Image.Image, box_mm, dpi: int = 30) -> float:
    """The share of pixels in `box_mm` (left, top, right, bottom, from the page's top left)
    that are not white."""
    values = _crop(image, box_mm, dpi).convert("L").tobytes()
    return sum(v < 200 for v in values) / max(len(values), 1)


def _red(image: Image.Image, box_mm, dpi: int = 30) -> float:
    """The share of pixels in `box_mm` in the leaflets' red (#8a1c1c)."""
    data = _crop(image, box_mm, dpi).tobytes()
    pixels = [data[i:i + 3] for i in range(0, len(data), 3)]
    return sum(r > 100 and g < 60 and b < 60 for r, g, b in pixels) / max(len(pixels), 1)


def _crop(image: Image.Image, box_mm, dpi: int) -> Image.Image:
    return image.crop([round(v / 25.4 * dpi) for v in box_mm])


def _leaflet(site, **fields):
    site.item("dong-no/to-roi-bhyt.md", title=TITLE, type="to-roi", slug="to-roi-bhyt",
              body=BODY, **fields)


@pytest.fixture
def built_leaflet(site, tmp_path):
    _leaflet(site, bleed="3", copies="2000")
    return site.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"))


def test_the_residents_pdf_is_exactly_a4_one_page_and_fonts_embedded(built_leaflet):
    assert built_leaflet.result.ok, built_leaflet.result.report.summary()
    for name in ("to-roi.pdf", "to-roi-nha-in.pdf"):
        reader = PdfReader(built_leaflet.output / FOLDER / name)
        assert len(reader.pages) == 1
        assert _mm(reader.pages[0].trimbox) == (210, 297)
        fonts = _fonts(reader)
        assert fonts and all(embedded for _, embedded in fonts), fonts
        assert all("Noto-Sans-HQ" in name for name, _ in fonts), fonts  # the theme's, not the machine's
    page = PdfReader(built_leaflet.output / FOLDER / "to-roi.pdf").pages[0]
    assert _mm(page.mediabox) == _mm(page.bleedbox) == (210, 297)  # no bleed, no marks


def test_the_print_shops_pdf_has_bleed_crop_marks_boxes_and_a_cmyk_output_intent(built_leaflet):
    reader = PdfReader(built_leaflet.output / FOLDER / "to-roi-nha-in.pdf")
    page = reader.pages[0]
    assert _mm(page.trimbox) == (210, 297)
    assert _mm(page.bleedbox) == (216, 303)  # the leaflet's Bleed: 3
    assert _mm(page.mediabox) == (230, 317)  # and room for the crop marks beyond it
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"]
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    assert profile.get_data() == Path(DEFAULT_PRESS_PROFILE).read_bytes()  # libgs-common
    drawn = _drawn(built_leaflet.output / FOLDER / "to-roi-nha-in.pdf", 1)
    # Page coordinates in mm from the media's top left: trim at 10..220 x 10..307.
    assert _red(drawn, (30, 8, 200, 10)) > 0.9, "the top band does not reach into the bleed"
    assert _ink(drawn, (0, 0, 5, 5)) == 0  # the corner beyond the marks stays white
    assert _ink(drawn, (0, 9.5, 6, 10.5)) > 0.1, "no crop mark at the top left"
    assert _ink(drawn, (9.5, 0, 10.5, 6)) > 0.1, "no crop mark at the top left"


def test_a_leaflet_asking_for_no_bleed_gets_a_press_file_at_the_trim(site, tmp_path):
    _leaflet(site, bleed="0")
    built = site.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"))
    page = PdfReader(built.output / FOLDER / "to-roi-nha-in.pdf").pages[0]
    assert _mm(page.mediabox) == _mm(page.trimbox) == (210, 297)


def test_the_downloadable_pdf_is_tagged_in_vietnamese_for_screen_readers(built_leaflet):
    root = PdfReader(built_leaflet.output / FOLDER / "to-roi.pdf").trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "vi"


def test_the_pdf_text_holds_the_title_with_diacritics_and_the_office_contact(built_leaflet):
    text = " ".join(PdfReader(built_leaflet.output / FOLDER / "to-roi.pdf").pages[0]
                    .extract_text().split())
    assert TITLE.removeprefix("Tờ rơi: ") in text
    assert "Tờ rơi:" not in text  # paper need not say it is a leaflet
    office = load().office
    assert office.name in text
    assert " ".join(office.address.split()) in text
    assert "Kế hoạch số 288/KH-UBND" in text
    assert "UBND xã Đồng Nơ" in text  # who to call, from the item's commune
    assert "https://" not in text  # the address short: the QR code carries the long one


def test_the_leaflet_page_links_its_pdfs_and_the_print_page_has_no_web_furniture(built_leaflet):
    links = [a["href"] for a in built_leaflet.html(FOLDER).select(".hq-item__downloads a")]
    assert [link.rsplit("/", 1)[1] for link in links] == ["to-roi.pdf", "to-roi-nha-in.pdf"]
    sheet = built_leaflet.html(FOLDER + "ban-in/")
    assert not sheet.select("time, nav, .hq-item__facts, .hq-item__tags, .hq-header")
    assert sheet.select_one("svg.hq-qr") is not None
    web = built_leaflet.html(FOLDER).select("link[rel=stylesheet]")
    assert all("leaflet." not in link["href"] for link in web)  # the print bundle stays off the web


def test_a_second_build_reuses_the_rendered_pdf(site, tmp_path):
    _leaflet(site)
    cache = str(tmp_path / "cache")
    first = site.build(POSTSTEPS_CACHE_DIR=cache)
    second = site.build(POSTSTEPS_CACHE_DIR=cache)
    outcome = {o.name: o.reused for o in first.result.poststeps}
    assert outcome["leaflets"] is False
    assert {o.name: o.reused for o in second.result.poststeps}["leaflets"] is True
    assert "tệp PDF tờ rơi — dùng lại bản lưu" in second.result.summary()
    site.item("dong-no/to-roi-bhyt.md", title=TITLE + " (sửa)", type="to-roi",
              slug="to-roi-bhyt", body=BODY)
    third = site.build(POSTSTEPS_CACHE_DIR=cache)
    assert {o.name: o.reused for o in third.result.poststeps}["leaflets"] is False


def test_editing_one_leaflet_renders_only_that_leaflet_again(site, tmp_path):
    """Each print page's PDFs are kept by that page's own inputs (newsdesk/site/print_pdf.py):
    the step runs again for the edited leaflet, the other one's PDFs come from the cache."""
    _leaflet(site)
    site.item("tan-hung/to-roi-vay-von.md", title="Tờ rơi: Vay vốn ưu đãi", type="to-roi",
              category="Tân Hưng", slug="to-roi-vay-von", body=BODY)
    cache = tmp_path / "cache"
    assert site.build(POSTSTEPS_CACHE_DIR=str(cache)).result.ok
    kept = sorted((cache / "print-pages").iterdir())
    assert len(kept) == 2
    other = next(p for entry in kept for p in entry.rglob("to-roi.pdf")
                 if "to-roi-vay-von" in p.parts)
    marked = other.with_name(".marked")  # replaced, not changed in place: it is hard-linked
    marked.write_bytes(other.read_bytes() + b"%kept\n")
    marked.replace(other)

    site.item("dong-no/to-roi-bhyt.md", title=TITLE + " (sửa)", type="to-roi",
              slug="to-roi-bhyt", body=BODY)
    again = site.build(POSTSTEPS_CACHE_DIR=str(cache))
    assert again.result.ok
    assert {o.name: o.reused for o in again.result.poststeps}["leaflets"] is False
    assert len(list((cache / "print-pages").iterdir())) == 3  # one page rendered anew
    assert (again.output / "to-roi/to-roi-vay-von/to-roi.pdf").read_bytes().endswith(b"%kept\n")
    text = " ".join(PdfReader(again.output / FOLDER / "to-roi.pdf").pages[0].extract_text().split())
    assert "Đồng Nơ (sửa)" in text


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    """The two sample leaflets of content/ (a tri-fold, a portrait sheet), built once, as
    scripts/make_leaflet_pictures.py builds them."""
    root = tmp_path_factory.mktemp("leaflets")
    result = make_leaflet_pictures.build_samples(root)
    assert result.ok, result.report.format()
    return BuiltSite(result, root / "output", root / "content")


def test_the_guides_pictures_of_the_sample_leaflets_are_current(samples, tmp_path):
    drawn = make_leaflet_pictures.draw(samples.output, tmp_path)
    stale = [path.name for path in drawn
             if not make_leaflet_pictures.same_picture(path, make_leaflet_pictures.OUT / path.name)]
    assert not stale, f"run: .venv/bin/python scripts/make_leaflet_pictures.py ({stale})"


def test_a_tri_fold_has_an_outside_and_an_inside_with_no_empty_panel(samples):
    folder = samples.output / "to-roi/to-roi-chung-tay-vi-nguoi-ngheo"
    for name in ("to-roi.pdf", "to-roi-nha-in.pdf"):
        reader = PdfReader(folder / name)
        assert len(reader.pages) == 2
        assert all(_mm(page.trimbox) == (297, 210) for page in reader.pages)
    reader = PdfReader(folder / "to-roi.pdf")
    outside = " ".join(reader.pages[0].extract_text().split())
    assert "Chung tay vì người nghèo" in outside and "Tờ rơi:" not in outside  # the cover
    assert "Kế hoạch số 288/KH-UBND" in outside and load().office.name in outside  # the back
    assert "Mở tờ rơi để đọc đầy đủ" in outside  # the flap
    assert "Vì sao cần chung tay?" in reader.pages[1].extract_text()  # the body, inside
    assert min(_points(reader.pages[1], "Giảm nghèo bền vững")) >= 11
    inside = _drawn(folder / "to-roi.pdf", 2)
    panels = [(0, 100), (100, 200), (200, 297)]  # the flap, folded in, is the third
    for left, right in panels:
        assert _ink(inside, (left + 8, 10, right - 8, 200)) > 0.02, (left, right, "empty panel")
    outside_drawn = _drawn(folder / "to-roi-nha-in.pdf", 1)  # trim at 10..307 x 10..220
    assert _red(outside_drawn, (307, 30, 310, 200)) > 0.9, "the cover's colour stops at the trim"
    for left, right in [(10, 108), (108, 208), (208, 307)]:
        assert _ink(outside_drawn, (left + 8, 20, right - 8, 200)) > 0.02, (left, right)


def test_the_resolution_warning_measures_the_columns_the_stylesheet_sets():
    css = (ROOT / "theme/css/leaflet/leaflet.css").read_text(encoding="utf-8")
    mm = {name: float(value) for name, value in re.findall(r"--hq-([a-z]+): ([\d.]+)mm;", css)}
    assert COLUMN_MM == {1: 210 - 2 * mm["margin"], 3: mm["panel"] - mm["gutter"]}


def _points(page, words: str) -> list[float]:
    """The size in points of each run of text holding `words` (WeasyPrint writes CSS pixels,
    scaled by the current matrix)."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if words in text:
            sizes.append(round(size * tm[0] * cm[0], 1))

    page.extract_text(visitor_text=visit)
    return sizes


def test_a_portrait_leaflet_fills_its_page_in_large_type(samples):
    reader = PdfReader(samples.output / "to-roi/to-roi-bao-hiem-y-te/to-roi.pdf")
    assert len(reader.pages) == 1
    body = _points(reader.pages[0], "Nhà nước cấp thẻ")
    assert body and min(body) >= 13, body  # a short leaflet in larger type than 11 pt
    assert min(_points(reader.pages[0], "Cần hỏi thêm")) > min(body)  # headings larger
    drawn = _drawn(samples.output / "to-roi/to-roi-bao-hiem-y-te/to-roi.pdf", 1)
    bands = [_ink(drawn, (15, top, 195, top + 30)) for top in range(0, 297 - 30, 30)]
    assert all(band > 0.01 for band in bands), bands  # no empty stretch of 3 cm


def test_leaflets_too_long_for_their_paper_fail_naming_every_file_at_once(site, tmp_path):
    """Rendered side by side in other processes (newsdesk/site/print_pdf.py), every leaflet
    that does not fit is named in the one failed build."""
    long_body = "\n\n".join(BODY for _ in range(25))
    site.item("dong-no/to-roi-bhyt.md", title=TITLE, type="to-roi", slug="to-roi-bhyt",
              body=long_body)
    site.item("tan-hung/to-roi-vay-von.md", title="Tờ rơi: Vay vốn ưu đãi", type="to-roi",
              category="Tân Hưng", slug="to-roi-vay-von", body=long_body)
    built = site.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"))
    assert not built.result.ok
    messages = [p.message for p in built.result.report.errors]
    for source in ("content/dong-no/to-roi-bhyt.md", "content/tan-hung/to-roi-vay-von.md"):
        assert any(f"{source}: tờ rơi dài quá 1 mặt giấy" in m for m in messages), messages
    assert not (built.output / FOLDER / "to-roi.pdf").exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("fold", "5", 'Kiểu gấp "5" không dùng được.'),
    ("bleed", "x", 'Lề xén "x" không phải một số.'),
    ("copies", "-3", 'Số bản in "-3" không phải một số.'),
])
def test_bad_print_fields_fail_the_build_by_file_and_line(site, tmp_path, field, value, message):
    _leaflet(site, **{field: value})
    built = site.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"))
    assert not built.result.ok
    problems = [(p.line, p.message) for p in built.result.report.errors]
    assert (6, message) in problems, problems  # Title, Date, Category, Type, Slug, then it


def test_a_remote_picture_in_a_leaflet_fails_the_build_by_file_and_line(site, tmp_path):
    _leaflet(site)
    path = site.content / "dong-no/to-roi-bhyt.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n![Ảnh](https://example.com/a.jpg)\n",
                    encoding="utf-8")
    built = site.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"))
    assert not built.result.ok
    lines = [p.line for p in built.result.report.errors if "địa chỉ web" in p.message]
    picture_line = path.read_text(encoding="utf-8").split("\n").index(
        "![Ảnh](https://example.com/a.jpg)") + 1
    assert lines == [picture_line], built.result.report.errors
    assert not (built.output / FOLDER / "to-roi.pdf").exists()


def test_weasyprint_may_read_only_files_of_the_built_tree(tmp_path):
    from print_products.pdf import tree_only_fetcher

    tree = tmp_path / "site"
    (tree / "anh").mkdir(parents=True)
    (tree / "anh" / "a.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = tree_only_fetcher(tree, ["https://example.gov.vn/giam-ngheo"])
    assert fetcher.fetch((tree / "anh" / "a.png").as_uri()).read() == b"png"
    assert fetcher.fetch("https://example.gov.vn/giam-ngheo/anh/a.png").read() == b"png"
    for refused in ("https://example.com/a.png", (tmp_path / "secret.txt").as_uri(),
                    (tree / "anh" / ".." / ".." / "secret.txt").as_uri(), "ftp://x/y"):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)
    assert len(fetcher.refused) == 4


def test_a_picture_too_small_for_300_dpi_gets_a_warning_naming_the_file(site, tmp_path):
    from PIL import Image

    folder = site.content / "dong-no"
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 400), "#8a1c1c").save(folder / "nho.jpg", quality=90)
    Image.new("RGB", (2200, 1400), "#1c4f8a").save(folder / "lon.jpg", quality=90)
    site.item("dong-no/to-roi-bhyt.md", title=TITLE, type="to-roi", slug="to-roi-bhyt",
              body=BODY + "\n![Ảnh nhỏ](nho.jpg)\n\n![Ảnh lớn](lon.jpg)\n")
    built = site.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"),
                       IMAGES_CACHE_DIR=str(tmp_path / "images"))
    assert built.result.ok, built.result.report.format()
    warned = [p for p in built.result.report.warnings if "dpi" in p.message]
    assert [p.message.split('"')[1] for p in warned] == ["nho.jpg"]
    assert "84 dpi" in warned[0].message  # 600 px across 180 mm
    reader = PdfReader(built.output / FOLDER / "to-roi.pdf")
    images = [obj.get_object() for page in reader.pages
              for obj in page["/Resources"].get("/XObject", {}).values()]
    assert max(int(image["/Width"]) for image in images) >= 1600  # not the web's 800 px one


def test_a_missing_press_profile_fails_the_build_saying_which_package(site, tmp_path):
    _leaflet(site)
    built = site.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"),
                       PRINT_PDF_PRESS_PROFILE=str(tmp_path / "khong-co.icc"))
    assert not built.result.ok
    messages = " ".join(p.message for p in built.result.report.errors)
    assert "khong-co.icc" in messages and "libgs-common" in messages, messages
    assert not (built.output / FOLDER / "to-roi-nha-in.pdf").exists()
