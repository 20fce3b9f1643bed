"""The generator behind plugins/section_pages."""

from __future__ import annotations

from pelican.generators import Generator

from newsdesk.content import site_items
from newsdesk.site.context import context_of


class SectionPagesGenerator(Generator):
    """Writes the commune pages, the commune index and the type pages (COMMUNE_SAVE_AS,
    COMMUNES_SAVE_AS, CONTENT_TYPE_SAVE_AS)."""

    def generate_context(self):
        context = context_of(self.settings)
        vocab, today = context.vocabulary, context.today
        articles = site_items.items(self.context)
        self.context.update(
            vocabulary=vocab,
            today=today,
            current_communes=vocab.current_communes(today),
            items_by_place={place.slug: [a for a in articles if place in a.communes]
                            for place in vocab.places},
            items_by_type={key: [a for a in articles if a.type == key] for key in vocab.types},
        )

    def generate_output(self, writer):
        vocab = self.context["vocabulary"]
        for place in vocab.places:
            self._write_listing(
                writer, place.url, self.settings["COMMUNE_SAVE_AS"].format(slug=place.slug),
                "commune", self.context["items_by_place"][place.slug],
                commune=place, successor=vocab.successor_of(place),
                predecessors=[c for c in vocab.communes if c.successor == place.slug])
        today = self.context["today"]
        url, save_as = self.settings["COMMUNES_URL"], self.settings["COMMUNES_SAVE_AS"]
        writer.write_file(
            save_as, self.get_template("communes"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], url=url,
            template_name="communes", page_name=_page_name(save_as),
            former_communes=[c for c in vocab.communes if c.merged_on and c.merged_on <= today])
        for ctype in vocab.types.values():
            self._write_listing(writer, ctype.url,
                                self.settings["CONTENT_TYPE_SAVE_AS"].format(key=ctype.key),
                                "content_type",
                                upcoming_first(self.context["items_by_type"][ctype.key], today),
                                content_type=ctype)

    def _write_listing(self, writer, url, save_as, template, items, **extra):
        writer.write_file(
            save_as, self.get_template(template), self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            paginated={"articles": items}, template_name=template, url=url,
            page_name=_page_name(save_as), **extra)


def upcoming_first(items: list, today) -> list:
    """Items with a Start (conferences) on or after the build's today come first, soonest
    first; the rest keep their order (newest first). Today, not the clock: same output."""
    soon = site_items.upcoming(items, today)
    return soon + [a for a in items if a not in soon]


def _page_name(save_as: str) -> str:
    """"dia-ban/index.html" -> "dia-ban/index": what pagination builds the next pages from."""
    return save_as.rsplit(".", 1)[0]
