"""Items, handbooks and leaflets print cleanly on A4: content only, external link targets
written out, images inside the page (theme/css/print.css), and Chromium makes the PDF."""

import re

import pytest

# A4 less the print stylesheet's margins (16 mm each side) in CSS pixels (96 per inch).
A4_CONTENT_WIDTH = round((210 - 2 * 16) / 25.4 * 96)
HIDDEN_IN_PRINT = [".hq-header", ".hq-nav", ".hq-footer", ".hq-skip-link", ".hq-breadcrumbs"]
PRINTED_TYPES = ["item/cam-nang", "item/to-roi", "item/tin-bai"]


@pytest.fixture
def print_page(chromium):
    context = chromium.new_context(viewport={"width": A4_CONTENT_WIDTH, "height": 1000})
    page = context.new_page()
    page.emulate_media(media="print")
    yield page
    context.close()


@pytest.mark.parametrize("key", PRINTED_TYPES)
def test_item_prints_content_only_with_link_targets(sample_site, print_page, key):
    page = print_page
    page.goto(sample_site.url_of(sample_site.representatives()[key]))
    for selector in HIDDEN_IN_PRINT:
        shown = page.eval_on_selector_all(
            selector, "els => els.filter(e => getComputedStyle(e).display !== 'none').length")
        assert shown == 0, f"{selector} is printed"
    assert page.locator("h1").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT_WIDTH
    images = page.eval_on_selector_all(
        "main img", "els => els.map(e => e.getBoundingClientRect().right)")
    assert all(right <= A4_CONTENT_WIDTH for right in images), images
    after = page.eval_on_selector_all(".hq-prose a", """els => els.map(e => [e.href,
        e.getAttribute('rel'), getComputedStyle(e, '::after').content])""")
    for href, rel, content in after:
        if rel and "noopener" in rel:
            assert href in content, (href, content)
        else:
            assert content == "none", (href, content)  # our own links stay clean


@pytest.mark.parametrize("key", ["item/cam-nang", "item/to-roi"])
def test_handbooks_and_leaflets_become_a4_pdfs_with_their_pictures(sample_site, chromium, key):
    page = chromium.new_page()
    page.goto(sample_site.url_of(sample_site.representatives()[key]))
    pictures = page.locator("main img").count()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    page.close()
    assert pdf.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # A4 is 595.28 x 841.89 points
        assert abs(float(width) - 595.28) < 1 and abs(float(height) - 841.89) < 1
    # Pictures lower in the body are loading="lazy": they must still be printed.
    assert pdf.count(b"/Subtype /Image") >= min(pictures, 1), f"{pictures} pictures not printed"
