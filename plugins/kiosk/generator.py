"""The generator behind plugins/kiosk: the kiosk home, a page per current commune (and the
district), a page per listed item, all under KIOSK_URL with relative links only."""

from __future__ import annotations

import hashlib
from pathlib import Path

from markupsafe import Markup
from pelican.generators import Generator

from newsdesk.content import site_items
from newsdesk.site import templating
from newsdesk.site.context import context_of
from newsdesk.media.qr import qr_svg

from .links import KioskBody, kiosk_html, relative
from .settings import count, seconds

SCRIPTS = {  # copied by Pelican from theme/static/js/
    "kiosk": "theme/js/kiosk.js",
    "search": "theme/js/search.js",  # shared with the main site's search page
    "keyboard": "theme/js/kiosk-keyboard.js",
}


class KioskLinks:
    """What a kiosk template needs to link from the page at `page_url`: relative URLs to the
    kiosk's pages and the site's files, markup rewritten for the kiosk, QR codes."""

    def __init__(self, settings, page_url: str, kiosk_pages: dict[str, str]):
        self.settings = settings
        self.page_url = page_url
        self._kiosk_pages = kiosk_pages

    def to(self, target: str) -> str:
        return relative(target, self.page_url)

    @property
    def home(self) -> str:
        return self.to(self.settings["KIOSK_URL"])

    @property
    def search(self) -> str:
        """The kiosk search page, or "" when there is none."""
        url = search_url(self.settings)
        return self.to(url) if url else ""

    def commune(self, place) -> str:
        return self.to(self.settings["KIOSK_COMMUNE_URL"].format(slug=place.slug))

    def item(self, article) -> str:
        return self.to(item_url(self.settings, article))

    def markup(self, html) -> Markup:
        return self.body_of(str(html or "")).html

    def body_of(self, html: str) -> KioskBody:
        return kiosk_html(html, self.page_url, self.settings.get("SITEURL", ""),
                          self.settings["PUBLIC_URL"], self._kiosk_pages)

    def body(self, article) -> KioskBody:
        return self.body_of(templating.body_at(article, self.settings.get("SITEURL", "")))

    def public_qr(self, path: str, title: str = "") -> Markup:
        """The QR code of a page of the public site (`path` like "tin-bai/x/")."""
        return qr_svg(f"{self.settings['PUBLIC_URL']}/{path}", title)


def search_url(settings) -> str:
    """KIOSK_SEARCH_URL, or "" when the kiosk has no search page (either setting empty)."""
    url = settings.get("KIOSK_SEARCH_URL") or ""
    return url if url and settings.get("KIOSK_SEARCH_SAVE_AS") else ""


def item_url(settings, article) -> str:
    return settings["KIOSK_ITEM_URL"].format(type=article.type, slug=article.slug)


def item_save_as(settings, article) -> str:
    return settings["KIOSK_ITEM_SAVE_AS"].format(type=article.type, slug=article.slug)


class KioskGenerator(Generator):
    """Writes KIOSK_SAVE_AS, KIOSK_COMMUNE_SAVE_AS and KIOSK_ITEM_SAVE_AS."""

    def generate_output(self, writer):
        settings = self.settings
        context = context_of(settings)
        vocab, today = context.vocabulary, context.today
        articles = sorted(site_items.items(self.context), key=templating.newest_first)
        places = [vocab.district_wide, *vocab.current_communes(today)]
        by_place = {p.slug: [a for a in articles if p in a.communes] for p in vocab.places}
        kiosk_pages = _kiosk_pages(settings, vocab, places, articles)
        common = {
            "vocabulary": vocab, "kiosk_places": places, "kiosk_items_by_place": by_place,
            "kiosk_newest": articles[0].date if articles else None,
            "kiosk_latest": articles[: count(settings, "KIOSK_ATTRACT_ITEMS")],
            "kiosk_scripts": {name: f"{path}?v={_script_version(settings, path)}"
                              for name, path in SCRIPTS.items()},
            "kiosk_idle_seconds": seconds(settings, "KIOSK_IDLE_SECONDS"),
            "kiosk_countdown_seconds": seconds(settings, "KIOSK_COUNTDOWN_SECONDS"),
        }

        def write(save_as, url, template, **extra):
            links = KioskLinks(settings, url, kiosk_pages)
            writer.write_file(save_as, self.get_template(template), self.context,
                              relative_urls=False, template_name=template, url=url,
                              K=links, kiosk_url=url, **common, **extra)

        write(settings["KIOSK_SAVE_AS"], settings["KIOSK_URL"], "kiosk/home",
              kiosk_upcoming=site_items.upcoming(articles, today)[
                  : count(settings, "KIOSK_UPCOMING_CONFERENCES")])
        if search_url(settings):
            write(settings["KIOSK_SEARCH_SAVE_AS"], settings["KIOSK_SEARCH_URL"], "kiosk/search")
        for place in places:
            write(settings["KIOSK_COMMUNE_SAVE_AS"].format(slug=place.slug),
                  settings["KIOSK_COMMUNE_URL"].format(slug=place.slug), "kiosk/commune",
                  commune=place, kiosk_sections=_sections(vocab, place, by_place))
        for article in articles:
            write(item_save_as(settings, article), item_url(settings, article), "kiosk/item",
                  article=article, kiosk_parent=_parent_of(article, places))


def _kiosk_pages(settings, vocab, places, articles) -> dict[str, str]:
    """Site URL -> kiosk URL, for every page of the site that has a kiosk copy."""
    pages = {"": settings["KIOSK_URL"], settings["COMMUNES_URL"]: settings["KIOSK_URL"]}
    for place in places:
        pages[place.url] = settings["KIOSK_COMMUNE_URL"].format(slug=place.slug)
    for article in articles:
        pages[article.url] = item_url(settings, article)
    return pages


def _sections(vocab, place, by_place) -> list[tuple[str, str, list]]:
    """(anchor, heading, items): the place's items by type, then the district's own."""
    own = by_place[place.slug]
    sections = [(ctype.key, ctype.plural, [a for a in own if a.type == ctype.key])
                for ctype in vocab.types.values()]
    sections = [s for s in sections if s[2]]
    if not place.district_wide:
        district = [a for a in by_place[vocab.district_wide.slug] if a not in own]
        if district:
            sections.append(("toan-huyen", "Tin chung của cả huyện", district))
    return sections


def _parent_of(article, places):
    """The kiosk page "Quay lại" leads to from an item: its first commune shown on the kiosk."""
    return next((p for p in article.communes if p in places), places[0])


def _script_version(settings, path: str) -> str:
    source = Path(settings["THEME"]) / "static" / "js" / Path(path).name
    return hashlib.sha256(source.read_bytes()).hexdigest()[:10] if source.is_file() else "0"
