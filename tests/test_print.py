"""Items, handbooks and leaflets print cleanly on A4: content only, external link targets
written out, images inside the page (theme/css/print.css), and Chromium makes the PDF."""

import re

import pytest
from bs4 import BeautifulSoup

from devtools.quality import SCROLL_AND_LOAD_IMAGES

# A4 less the print stylesheet's margins (16 mm each side) in CSS pixels (96 per inch).
A4_CONTENT_WIDTH = round((210 - 2 * 16) / 25.4 * 96)
HIDDEN_IN_PRINT = [".hq-header", ".hq-nav", ".hq-footer", ".hq-skip-link", ".hq-breadcrumbs"]
PRINTED_TYPES = ["item/cam-nang", "item/to-roi", "item/tin-bai"]


def _first_page_with(sample_site, selector: str):
    """The first item page whose HTML has `selector` (so a check is never vacuous)."""
    for path in sample_site.html_files():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if "hq-page--item" in soup.body["class"] and soup.select(selector):
            return path
    raise AssertionError(f"no item page of the sample site has {selector}")


@pytest.fixture
def print_page(chromium):
    context = chromium.new_context(viewport={"width": A4_CONTENT_WIDTH, "height": 1000})
    page = context.new_page()
    page.emulate_media(media="print")
    yield page
    context.close()


def _check_printed_layout(page) -> None:
    for selector in HIDDEN_IN_PRINT:
        shown = page.eval_on_selector_all(
            selector, "els => els.filter(e => getComputedStyle(e).display !== 'none').length")
        assert shown == 0, f"{selector} is printed"
    assert page.locator("h1").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT_WIDTH
    images = page.eval_on_selector_all(
        "main img", "els => els.map(e => e.getBoundingClientRect().right)")
    assert all(right <= A4_CONTENT_WIDTH for right in images), images


@pytest.mark.parametrize("key", PRINTED_TYPES)
def test_item_types_print_content_only_within_a4(sample_site, print_page, key):
    print_page.goto(sample_site.url_of(sample_site.representatives()[key]))
    _check_printed_layout(print_page)


def test_printed_external_links_show_their_address_and_own_links_do_not(sample_site, print_page):
    page = print_page
    page.goto(sample_site.url_of(_first_page_with(sample_site, ".hq-prose a[rel~=noopener]")))
    _check_printed_layout(page)
    links = page.eval_on_selector_all(".hq-prose a", """els => els.map(e => [e.href,
        e.getAttribute('rel'), getComputedStyle(e, '::after').content])""")
    assert any(rel for _, rel, _ in links)
    for href, rel, content in links:
        if rel and "noopener" in rel:
            assert href in content, (href, content)
        else:
            assert content == "none", (href, content)  # our own links stay clean


@pytest.mark.parametrize("key", ["item/cam-nang", "item/to-roi"])
def test_handbooks_and_leaflets_become_a4_pdfs(sample_site, chromium, key):
    page = chromium.new_page()
    page.goto(sample_site.url_of(sample_site.representatives()[key]))
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    page.close()
    assert pdf.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # A4 is 595.28 x 841.89 points
        assert abs(float(width) - 595.28) < 1 and abs(float(height) - 841.89) < 1


def test_pictures_of_an_item_body_are_printed(sample_site, chromium):
    """Once a reader has scrolled to them (lazy pictures load on the way), they are printed.
    Chromium does not wait for lazy pictures far below when printing at once."""
    page = chromium.new_page()
    page.goto(sample_site.url_of(_first_page_with(sample_site, ".hq-prose img[loading=lazy]")))
    page.evaluate(SCROLL_AND_LOAD_IMAGES)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    page.close()
    assert b"/Subtype /Image" in pdf, "the body's picture is missing from the PDF"


def test_an_infographic_prints_on_one_a4_page_followed_by_its_text_version(sample_site, chromium):
    """Page 1: the infographic alone (no link text meaningless on paper); then the text version,
    unfolded. Read back with pypdf."""
    from io import BytesIO

    from pypdf import PdfReader

    page = chromium.new_page()
    page.goto(sample_site.url_of(sample_site.representatives()["item/infographic"]))
    page.evaluate(SCROLL_AND_LOAD_IMAGES)
    body_text = page.text_content(".hq-infographic__text .hq-prose")
    reader = PdfReader(BytesIO(page.pdf(format="A4")))
    page.close()
    assert len(reader.pages) >= 2
    for pdf_page in reader.pages:
        assert abs(float(pdf_page.mediabox.width) - 595.28) < 1
        assert abs(float(pdf_page.mediabox.height) - 841.89) < 1
    first = reader.pages[0]
    images = [name for name, obj in first["/Resources"].get("/XObject", {}).items()
              if obj.get_object().get("/Subtype") == "/Image"]
    assert images, "the infographic is not on page 1"
    first_text = first.extract_text()
    assert "Tải ảnh" not in first_text and "Đọc bản chữ" not in first_text
    rest = " ".join(" ".join(p.extract_text().split()) for p in reader.pages[1:])
    words = body_text.split()
    assert words and " ".join(words[:6]) in rest
    assert " ".join(body_text.split())[-40:] in rest  # the whole text version is printed


@pytest.mark.parametrize("key", ["item/tin-bai", "item/to-roi"])
def test_a_printed_page_carries_the_site_name_and_its_public_address(sample_site, chromium, key):
    """On paper only: the screen does not show it; the printout ends with the site's name
    and the page's canonical address."""
    from io import BytesIO

    from pypdf import PdfReader

    page = chromium.new_page()
    page.goto(sample_site.url_of(sample_site.representatives()[key]))
    canonical = page.get_attribute("link[rel=canonical]", "href")
    site_name = page.get_attribute("meta[property='og:site_name']", "content")
    assert not page.locator(".hq-print-origin").is_visible()
    reader = PdfReader(BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    page.close()
    printed = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "".join(f"{site_name} – {canonical}".split()) in printed
