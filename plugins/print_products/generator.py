"""The leaflets' print pages, and the PDF links the item page shows."""

from __future__ import annotations

from pelican.generators import Generator

from newsdesk import site_items, vocabulary

DEFAULTS = {
    "PRINT_PRODUCTS_PAGE_URL": "{url}ban-in/",
    "PRINT_PRODUCTS_PAGE_SAVE_AS": "{url}ban-in/index.html",
    "PRINT_PRODUCTS_PDF_URL": "{url}to-roi.pdf",
    "PRINT_PRODUCTS_PRESS_PDF_URL": "{url}to-roi-nha-in.pdf",
    "PRINT_PRODUCTS_MIN_DPI": 300,
}


def add_settings(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def leaflet_urls(article, settings) -> dict[str, str]:
    """The print page's and the PDFs' URLs of one leaflet."""
    return {name: settings[f"PRINT_PRODUCTS_{name}"].format(url=article.url, slug=article.slug)
            for name in ("PAGE_URL", "PAGE_SAVE_AS", "PDF_URL", "PRESS_PDF_URL")}


def is_leaflet(article, vocab) -> bool:
    ctype = vocab.types.get(getattr(article, "type", ""))
    return bool(ctype and ctype.printed)


class LeafletPrintGenerator(Generator):
    """Writes a print page per leaflet (PRINT_PRODUCTS_PAGE_SAVE_AS) and gives every leaflet
    its `print_urls` (the item page links the PDFs)."""

    def generate_context(self):
        vocab = vocabulary.for_settings(self.settings)
        self.leaflets = [a for a in site_items.items(self.context) if is_leaflet(a, vocab)]
        for article in self.leaflets:
            article.print_urls = leaflet_urls(article, self.settings)

    def generate_output(self, writer):
        template = self.get_template("leaflet_print")
        for article in self.leaflets:
            urls = article.print_urls
            writer.write_file(urls["PAGE_SAVE_AS"], template, self.context,
                              relative_urls=self.settings["RELATIVE_URLS"],
                              url=urls["PAGE_URL"], template_name="leaflet_print",
                              article=article, print_urls=urls,
                              fold=article.metadata.get("fold") or 1,
                              bleed=article.metadata.get("bleed") or 0)
