"""The post-build step `leaflets`: each print page rendered by WeasyPrint into two PDFs.

The resident's file is PDF/UA-1 (tagged, language from `<html lang="vi">`), exactly A4; the
print shop's PDF/X-4 with its bleed, crop marks and output intent. The renderer is shared with the handbooks (newsdesk/site/print_pdf.py): a print page
names its PDFs and its stylesheet in its head, WeasyPrint reads only files of the built tree,
and the cache key covers the print pages, every file they use (stylesheet, fonts, pictures),
WeasyPrint's version, PUBLIC_URL and the press profile.
"""

from __future__ import annotations

from newsdesk.site.poststep import PostStep, append_step
from newsdesk.site.print_pdf import PrintPages, tree_only_fetcher  # noqa: F401 (tests use it)

MARKER = "hq-leaflet-print"  # the print page's <meta name="generator-part"> content
LEAFLETS = PrintPages(MARKER, "tờ rơi")


def add_step(pelican):
    if pelican.settings.get("PRINT_PRODUCTS_PDF", True):
        append_step(pelican.settings, LEAFLET_STEP)
        LEAFLETS.note(pelican.settings)


LEAFLET_STEP = PostStep(name="leaflets", label="tệp PDF tờ rơi", inputs=LEAFLETS.inputs,
                        run=LEAFLETS.render_all, version="1")
