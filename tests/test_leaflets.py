"""Leaflets (`Type: to-roi`) become print-ready A4 PDFs at build time (plugins/print_products):
A4 (plus bleed when asked), one page unless folded, fonts embedded, the resident's file tagged
for screen readers in Vietnamese, the title and the office's contact line in its text, rendered
once and then reused from the post-build cache, and bad print fields refused by file and line."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from newsdesk.content.vocabulary import load

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


def _leaflet(site, **fields):
    site.item("dong-no/to-roi-bhyt.md", title=TITLE, type="to-roi", slug="to-roi-bhyt",
              body=BODY, **fields)


@pytest.fixture
def built_leaflet(site, tmp_path):
    _leaflet(site, bleed="3", copies="2000")
    return site.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"))


def test_a_leaflet_pdf_is_a4_with_its_bleed_one_page_and_fonts_embedded(built_leaflet):
    assert built_leaflet.result.ok, built_leaflet.result.report.summary()
    for name in ("to-roi.pdf", "to-roi-nha-in.pdf"):
        reader = PdfReader(built_leaflet.output / FOLDER / name)
        assert len(reader.pages) == 1
        page = reader.pages[0]
        assert _mm(page.mediabox) == (216, 303)
        assert _mm(page.trimbox) == (210, 297)
        fonts = _fonts(reader)
        assert fonts and all(embedded for _, embedded in fonts), fonts
        assert all("Noto-Sans-HQ" in name for name, _ in fonts), fonts  # the theme's, not the machine's


def test_the_downloadable_pdf_is_tagged_in_vietnamese_for_screen_readers(built_leaflet):
    root = PdfReader(built_leaflet.output / FOLDER / "to-roi.pdf").trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "vi"


def test_the_pdf_text_holds_the_title_with_diacritics_and_the_office_contact(built_leaflet):
    text = " ".join(PdfReader(built_leaflet.output / FOLDER / "to-roi.pdf").pages[0]
                    .extract_text().split())
    assert TITLE in text
    office = load().office
    assert office.name in text
    assert " ".join(office.address.split()) in text


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


def test_a_tri_fold_leaflet_is_a4_landscape_in_at_most_two_pages(site, tmp_path):
    _leaflet(site, fold="3")
    built = site.build(POSTSTEPS_CACHE_DIR=str(tmp_path / "cache"))
    reader = PdfReader(built.output / FOLDER / "to-roi.pdf")
    assert 1 <= len(reader.pages) <= 2
    assert all(_mm(page.mediabox) == (297, 210) for page in reader.pages)


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
