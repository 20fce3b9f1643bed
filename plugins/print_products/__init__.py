"""Print products: a print page and A4 PDFs for every leaflet (types with `print = true`).

Each leaflet gets a print page (PRINT_PRODUCTS_PAGE_SAVE_AS, template `leaflet_print.html`,
stylesheet bundle `leaflet`), designed for paper from the item's fields and body: one A4
portrait side, or with Fold 3 a letter-fold tri-fold (outside: cover, back, flap; inside: the
body through three panels); the title without "Tờ rơi:", the issuing office (`[office]`), the
item's communes, the plan it serves, a QR code to the item at PUBLIC_URL; no web furniture.
After Pelican, the post-build step `leaflets` (newsdesk/site/poststep.py) renders each print
page with WeasyPrint, in the largest type that fits, into the resident's tagged PDF/UA-1 file,
exactly A4 (PRINT_PRODUCTS_PDF_URL), and the print shop's PDF/X-4 file with bleed, crop marks
and a CMYK output intent (PRINT_PRODUCTS_PRESS_PDF_URL). Fields: Fold (1 or 3), Bleed (the
print shop's, 0 or 3 mm, 3 when not given), Copies.
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
