"""The leaflets' print pages, and the PDF links the item page shows."""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import html as lxml_html
from markupsafe import Markup
from pelican.generators import Generator

from newsdesk.content import site_items
from newsdesk.content.text import fold as fold_text
from newsdesk.site.context import context_of

from .resolution import warn_low_resolution

DEFAULTS = {
    "PRINT_PRODUCTS_PAGE_URL": "{url}ban-in/",
    "PRINT_PRODUCTS_PAGE_SAVE_AS": "{url}ban-in/index.html",
    "PRINT_PRODUCTS_PDF_URL": "{url}to-roi.pdf",
    "PRINT_PRODUCTS_PRESS_PDF_URL": "{url}to-roi-nha-in.pdf",
    "PRINT_PRODUCTS_MIN_DPI": 300,
}
PRESS_BLEED_MM = 3  # the print shop's bleed when the leaflet's Bleed field says nothing


def add_settings(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    pelican.settings["JINJA_FILTERS"] = {**pelican.settings.get("JINJA_FILTERS", {}),
                                         "print_pictures": print_pictures,
                                         "leaflet_title": leaflet_title,
                                         "bare_address": bare_address}


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
        context = context_of(self.settings)
        listed_or_hidden = (site_items.LISTED, site_items.HIDDEN)  # each has its page
        self.leaflets = [a for a in site_items.items(self.context, listed_or_hidden)
                         if is_leaflet(a, context.vocabulary)]
        report = context.report
        for article in self.leaflets:
            article.print_urls = leaflet_urls(article, self.settings)
            warn_low_resolution(article, article.metadata.get("fold") or 1,
                                self.settings["PRINT_PRODUCTS_MIN_DPI"], report)

    def generate_output(self, writer):
        template = self.get_template("leaflet_print")
        for article in self.leaflets:
            urls = article.print_urls
            writer.write_file(urls["PAGE_SAVE_AS"], template, self.context,
                              relative_urls=self.settings["RELATIVE_URLS"],
                              url=urls["PAGE_URL"], template_name="leaflet_print",
                              article=article, print_urls=urls,
                              fold=article.metadata.get("fold") or 1,
                              bleed=press_bleed(article),
                              plan=plan_of(article, context_of(self.settings).vocabulary))


def press_bleed(article) -> int:
    bleed = article.metadata.get("bleed")
    return PRESS_BLEED_MM if bleed is None else bleed


def plan_of(article, vocab):
    """The plan ([[plans]]) whose period holds the leaflet's date, else the newest one."""
    day = article.date.date()
    within = [plan for plan in vocab.plans if plan.start <= day <= plan.end]
    return (within or vocab.plans or [None])[-1]


def leaflet_title(title: str) -> str:
    """The title without a leading "Tờ rơi:" (on paper, a leaflet need not say it is one)."""
    for mark in (":", "–", "-"):
        head, found, rest = title.partition(mark)
        if found and fold_text(head) == "to roi" and rest.strip():
            return rest.strip()
    return title


def bare_address(url: str) -> Markup:
    """The site's address as a reader types it (no scheme, no trailing slash), a line
    break allowed after each "/" only."""
    parts = urlsplit(url)
    return Markup("/<wbr>").join((parts.netloc + parts.path).rstrip("/").split("/"))


def print_pictures(markup) -> Markup:
    """A body for WeasyPrint, which ignores srcset: each picture's largest candidate as its src."""
    if not markup or "<img" not in str(markup):
        return Markup(markup or "")
    wrapper = lxml_html.fragment_fromstring(str(markup), create_parent="div")
    for source in wrapper.xpath("//picture//source"):
        source.drop_tag()  # libxml2 does not know <source> is empty: it may hold the <img>
    for figure in wrapper.xpath("//figure[.//a[contains(@class, 'hq-media__download')]]"):
        full = figure.xpath(".//a[contains(@class, 'hq-media__download')]/@href")[0]
        for img in figure.xpath(".//img"):
            img.set("src", full)
            for name in ("srcset", "sizes", "loading"):
                img.attrib.pop(name, None)
        for caption in figure.xpath("figcaption"):  # "Tải ảnh khổ lớn để in": not on paper
            figure.remove(caption)
    for img in wrapper.xpath("//img[@srcset]"):
        candidates = [c.split() for c in img.get("srcset").split(",") if c.strip()]
        widest = max(candidates, key=lambda c: int(c[1].rstrip("w")) if len(c) > 1 else 0)
        img.set("src", widest[0])
        del img.attrib["srcset"]
        img.attrib.pop("sizes", None)
        img.attrib.pop("loading", None)
    inner = (wrapper.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in wrapper)
    return Markup(inner)
