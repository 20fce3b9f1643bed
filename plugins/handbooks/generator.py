"""The generator behind plugins/handbooks, and its post-build step."""

from __future__ import annotations

from pelican.generators import Generator

from newsdesk.content import handbooks, site_items
from newsdesk.site.context import context_of
from newsdesk.site.poststep import PostStep, append_step
from newsdesk.site.print_pdf import PrintPages

HANDBOOK_TYPE = "cam-nang"
MARKER = "hq-handbook-print"  # the print page's <meta name="generator-part"> content
DEFAULTS = {
    **handbooks.DEFAULTS,
    "HANDBOOK_WHOLE_URL": "{url}toan-van/",
    "HANDBOOK_WHOLE_SAVE_AS": "{url}toan-van/index.html",
    "HANDBOOK_PRINT_URL": "{url}ban-in/",
    "HANDBOOK_PRINT_SAVE_AS": "{url}ban-in/index.html",
    "HANDBOOK_PDF_URL": "{url}{slug}.pdf",
    "AUDIENCE_URL": "danh-cho/{audience}/",
    "AUDIENCE_SAVE_AS": "danh-cho/{audience}/index.html",
}
HANDBOOK_PAGES = PrintPages(MARKER, "cẩm nang")
HANDBOOK_STEP = PostStep(name="handbooks", label="tệp PDF cẩm nang",
                         inputs=HANDBOOK_PAGES.inputs, run=HANDBOOK_PAGES.render_all, version="1")


def add_settings(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    pelican.settings["JINJA_FILTERS"] = {**pelican.settings.get("JINJA_FILTERS", {}),
                                         "handbook_toc": handbooks.toc}


def add_step(pelican):
    if pelican.settings.get("HANDBOOK_PDF", True):
        append_step(pelican.settings, HANDBOOK_STEP)
        HANDBOOK_PAGES.note(pelican.settings)


def handbook_urls(item, settings) -> dict[str, str]:
    """The whole page's (handbooks in chapters only), the print page's and the PDF's URLs."""
    names = ["PRINT_URL", "PRINT_SAVE_AS", "PDF_URL"]
    if isinstance(item, handbooks.Handbook):
        names += ["WHOLE_URL", "WHOLE_SAVE_AS"]
    return {name: settings[f"HANDBOOK_{name}"].format(url=item.url, slug=item.slug)
            for name in names}


def audience_url(key: str, settings, save_as: bool = False) -> str:
    return settings["AUDIENCE_SAVE_AS" if save_as else "AUDIENCE_URL"].format(audience=key)


class HandbookPagesGenerator(Generator):
    """Writes each handbook's whole page and print page, and the audience pages; gives every
    handbook (and chapter) its `handbook_urls`."""

    def generate_context(self):
        vocab = context_of(self.settings).vocabulary
        listed_or_hidden = (site_items.LISTED, site_items.HIDDEN)  # each has its page
        self.handbooks = [a for a in site_items.items(self.context, listed_or_hidden)
                          if a.type == HANDBOOK_TYPE and not getattr(a, "withdrawn", False)
                          and not handbooks.is_chapter(a)]
        for item in self.handbooks:
            item.handbook_urls = handbook_urls(item, self.settings)
            for chapter in getattr(item, "chapters", []):
                chapter.handbook_urls = item.handbook_urls
        listed = [a for a in site_items.items(self.context) if a.type == HANDBOOK_TYPE]
        self.by_audience = {key: [a for a in listed if getattr(a, "audience", "") == key]
                            for key in vocab.audiences}
        self.context["audience_urls"] = {key: audience_url(key, self.settings)
                                         for key in vocab.audiences}

    def generate_output(self, writer):
        for item in self.handbooks:
            urls = item.handbook_urls
            if "WHOLE_SAVE_AS" in urls:
                self._write(writer, urls["WHOLE_SAVE_AS"], urls["WHOLE_URL"], "handbook_whole",
                            article=item)
            self._write(writer, urls["PRINT_SAVE_AS"], urls["PRINT_URL"], "handbook_print",
                        article=item)
        vocab = context_of(self.settings).vocabulary
        for key, name in vocab.audiences.items():
            self._write(writer, audience_url(key, self.settings, save_as=True),
                        audience_url(key, self.settings), "audience", audience=key,
                        audience_name=name, handbooks=self.by_audience[key])

    def _write(self, writer, save_as, url, template, **extra):
        writer.write_file(save_as, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], url=url,
                          template_name=template, **extra)
