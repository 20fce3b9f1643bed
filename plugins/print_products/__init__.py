"""Print products: a print page and A4 PDFs for every leaflet (types with `print = true`).

Each leaflet gets a print page (PRINT_PRODUCTS_PAGE_SAVE_AS, template `leaflet_print.html`,
stylesheet bundle `leaflet`): title, body, the issuing office (`[office]`) and a QR code to
the item at PUBLIC_URL, no web furniture. After Pelican, the post-build step `leaflets`
(newsdesk/site/poststep.py) renders each print page with WeasyPrint into the resident's tagged
PDF/UA-1 file (PRINT_PRODUCTS_PDF_URL) and the print shop's PDF/X-4 file
(PRINT_PRODUCTS_PRESS_PDF_URL). Fields: Fold (1 or 3), Bleed (0 or 3 mm), Copies.
Settings (pelicanconf.py, docs/duong-dan.md): the four URL patterns, where `{url}` is the
item's URL; PRINT_PRODUCTS_MIN_DPI (below it, a picture printed across its column gets a
warning naming the file: resolution.py); PRINT_PRODUCTS_PDF = False leaves the PDF step out.
"""

from pelican import signals

from .generator import LeafletPrintGenerator, add_settings
from .pdf import add_step


def get_generators(pelican):
    return LeafletPrintGenerator


def register():
    signals.initialized.connect(add_settings)
    signals.initialized.connect(add_step)
    signals.get_generators.connect(get_generators)
