"""The generator behind plugins/feeds: puts the catalogue in the templates' context, then
writes every feed and the "Nguồn tin RSS" page."""

from __future__ import annotations

from pathlib import Path

from pelican.generators import Generator

from newsdesk.content import site_items
from newsdesk.site import render_queue
from newsdesk.site.context import context_of
from newsdesk.site.templating import newest_first

from . import open_data, render
from .calendar import conference_calendar, conferences
from .catalogue import make_catalogue, setting
from .entries import feed_item


class FeedsGenerator(Generator):
    def generate_context(self):
        vocab = context_of(self.settings).vocabulary
        self.catalogue = make_catalogue(vocab, self.settings)
        self.context["feed_catalogue"] = self.catalogue

    def generate_output(self, writer):
        # Content is read here, not in generate_context: links to static files resolve only
        # once the StaticGenerator (always last) has listed them.
        vocab = context_of(self.settings).vocabulary
        site = {"name": self.settings["SITENAME"],
                # Commune names repeat across Vietnam: say whose communes these are.
                "district": {"name": vocab.district.get("name", ""),
                             "kind": vocab.district.get("kind", ""),
                             "province": vocab.district.get("province", "")},
                "publisher": self.settings.get("PUBLISHER") or self.settings["SITENAME"],
                "owner_email": self.settings.get("FEEDS_OWNER_EMAIL", ""),
                "podcast_image": (self.catalogue.url(self.settings["FEEDS_PODCAST_IMAGE"])
                                  if self.settings.get("FEEDS_PODCAST_IMAGE") else "")}
        articles = sorted(site_items.items(self.context), key=newest_first)
        limit = setting(self.settings, "FEEDS_MAX_ITEMS")
        # Written with the pages, on every core (newsdesk.site.render_queue); each process
        # computes what a feed says of an item once.
        known: dict[str, object] = {}

        def item_of(article, keep: bool = True):
            """The article's feed item, kept for the other feeds (not by the open data,
            which has every item)."""
            item = known.get(article.uid) or feed_item(article, self.catalogue, vocab,
                                                        self.settings)
            if keep:
                known[article.uid] = item
            return item

        for spec in self.catalogue.all_feeds():
            render_queue.later(writer, self._write_feed, spec,
                               [a for a in articles if spec.includes(a)][:limit], item_of, site)
        # Every item's feed entry, one at a time: about a fifth of a page's rendering each.
        render_queue.later(writer, self._write_open_data, articles, item_of, site,
                           weight=max(10, len(articles) // 5))
        writer.write_file(
            f"{self.catalogue.page_url}index.html", self.get_template("feeds"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], url=self.catalogue.page_url,
            template_name="feeds", page_name=f"{self.catalogue.page_url}index",
            feeds_max_items=limit)

    def _write_feed(self, spec, articles, item_of, site) -> None:
        chosen = [item_of(a) for a in articles]
        self._write(self.catalogue.rss_path(spec),
                    render.rss_document(spec, chosen, self.catalogue, site))
        if self.catalogue.atom_path(spec):
            self._write(self.catalogue.atom_path(spec),
                        render.atom_document(spec, chosen, self.catalogue, site))

    def _write_open_data(self, articles, item_of, site) -> None:
        chosen = articles[:setting(self.settings, "FEEDS_JSON_MAX_ITEMS")]
        with self._path(self.catalogue.json_path).open("w", encoding="utf-8", newline="\n") as out:
            open_data.write_json_feed(out, (item_of(a, keep=False) for a in chosen),
                                      render.articles_updated(chosen), self.catalogue, site)
        self._write(self.catalogue.opml_path, open_data.opml(
            self.catalogue, render.articles_updated(articles), site))
        self._write(self.catalogue.calendar_path, conference_calendar(
            articles, {a.uid: item_of(a) for a in conferences(articles)},
            self.catalogue.id_domain, site))

    def _write(self, relative: str, data: bytes) -> None:
        self._path(relative).write_bytes(data)

    def _path(self, relative: str) -> Path:
        path = Path(self.output_path) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
