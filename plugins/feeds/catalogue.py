"""Which feeds the site publishes, where, and what each carries.

One `Catalogue` per build, made from the vocabulary: the templates (autodiscovery links, the
"Nguồn tin RSS" page), the writers and the OPML file all read it, so a feed URL is written in
one place only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsdesk.content.text import iri_to_uri
from newsdesk.content.vocabulary import Vocabulary

DEFAULTS = {
    "FEEDS_PATH": "nguon-tin",
    "FEEDS_COMMUNE_PATH": "dia-ban/{slug}",  # under FEEDS_PATH, + ".rss.xml" / ".atom.xml"
    "FEEDS_TYPE_PATH": "loai/{key}",
    "FEEDS_CALENDAR_PATH": "lich-hoi-nghi.ics",  # under FEEDS_PATH: the conference calendar
    "FEEDS_MAX_ITEMS": 30,
    "FEEDS_JSON_MAX_ITEMS": None,  # None: every published item (open data)
    "FEEDS_ID_YEAR": 2023,
    "FEEDS_PREVIEW_SITEURL": "http://127.0.0.1:8000",
}
# A feed with no entry still needs an updated date that never moves: plan 288's date.
QUIET_FEED_DATE = "2023-10-26T00:00:00+07:00"


def setting(settings, name):
    value = settings.get(name)
    return DEFAULTS.get(name) if value is None else value


def absolute_base(settings) -> str:
    """The absolute site address feeds use: FEEDS_SITEURL, else SITEURL, else the preview's."""
    base = (settings.get("FEEDS_SITEURL") or settings.get("SITEURL")
            or setting(settings, "FEEDS_PREVIEW_SITEURL"))
    return base.rstrip("/")


@dataclass(frozen=True)
class FeedSpec:
    """One feed: its key (also its path under FEEDS_PATH), what it selects, and its words."""

    key: str
    title: str
    description: str
    page_url: str  # the HTML page the feed follows, relative to the site
    commune_slug: str = ""
    type_key: str = ""
    podcast: bool = False
    podcast_types: tuple[str, ...] = ()  # the radio types (vocabulary: radio = true)

    def includes(self, item) -> bool:
        if self.commune_slug:
            return any(place.slug == self.commune_slug for place in item.communes)
        if self.type_key:
            return item.type == self.type_key
        if self.podcast:
            return item.type in self.podcast_types and bool(getattr(item, "audio", None))
        return True


@dataclass(frozen=True)
class Catalogue:
    path: str  # "nguon-tin"
    base: str  # absolute site address, no trailing slash
    id_domain: str
    id_year: int
    site: FeedSpec
    podcast: FeedSpec
    communes: dict[str, FeedSpec]
    types: dict[str, FeedSpec]
    calendar_file: str = "lich-hoi-nghi.ics"

    # -- where things are ------------------------------------------------------------------
    def rss_path(self, spec: FeedSpec) -> str:
        return (f"{self.path}/{spec.key}.xml" if spec.podcast
                else f"{self.path}/{spec.key}.rss.xml")

    def atom_path(self, spec: FeedSpec) -> str | None:
        return None if spec.podcast else f"{self.path}/{spec.key}.atom.xml"

    @property
    def json_path(self) -> str:
        return f"{self.path}/feed.json"

    @property
    def opml_path(self) -> str:
        return f"{self.path}/nguon-tin.opml"

    @property
    def calendar_path(self) -> str:
        return f"{self.path}/{self.calendar_file}"

    @property
    def page_url(self) -> str:
        return f"{self.path}/"

    def url(self, relative: str) -> str:
        """Absolute, percent-encoded URL of a path of the built site."""
        return iri_to_uri(f"{self.base}/{relative}")

    def all_feeds(self) -> list[FeedSpec]:
        return [self.site, self.podcast, *self.types.values(), *self.communes.values()]

    # -- identity --------------------------------------------------------------------------
    def item_id(self, uid: str) -> str:
        """tag: URI (RFC 4151) of an item, from its `uid` only: never its title, slug or URL."""
        return f"tag:{self.id_domain},{self.id_year}:giam-ngheo/{uid}"

    def feed_id(self, spec: FeedSpec) -> str:
        return f"tag:{self.id_domain},{self.id_year}:giam-ngheo/nguon-tin/{spec.key}"


def make_catalogue(vocabulary: Vocabulary, settings) -> Catalogue:
    base = absolute_base(settings)
    domain = settings.get("FEEDS_ID_DOMAIN") or urlsplit(base).hostname or "localhost"
    site = FeedSpec("tat-ca", "Tất cả tin bài – Giảm nghèo Hớn Quản",
                    "Mọi tin bài, tài liệu tuyên truyền giảm nghèo của huyện Hớn Quản và các xã.",
                    "")
    radio = vocabulary.radio_types
    podcast = FeedSpec("podcast", "Bài truyền thanh giảm nghèo Hớn Quản (podcast)",
                       "Bài truyền thanh có tệp âm thanh, để đài truyền thanh xã và ứng dụng "
                       "podcast tải về phát.", radio[0].url if radio else "", podcast=True,
                       podcast_types=tuple(t.key for t in radio))
    communes = {
        place.slug: FeedSpec(
            setting(settings, "FEEDS_COMMUNE_PATH").format(slug=place.slug),
            f"Giảm nghèo – {_title_case(place.full_name)}",
            f"Tin bài giảm nghèo liên quan đến {place.full_name}"
            + (" (tin chung cho cả huyện Hớn Quản)." if place.district_wide
               else ", huyện Hớn Quản."),
            place.url, commune_slug=place.slug)
        for place in vocabulary.places}
    types = {
        ctype.key: FeedSpec(setting(settings, "FEEDS_TYPE_PATH").format(key=ctype.key),
                            f"{ctype.plural} – Giảm nghèo Hớn Quản",
                            ctype.description, ctype.url, type_key=ctype.key)
        for ctype in vocabulary.types.values()}
    return Catalogue(path=setting(settings, "FEEDS_PATH").strip("/"), base=base,
                     id_domain=domain, id_year=int(setting(settings, "FEEDS_ID_YEAR")),
                     site=site, podcast=podcast, communes=communes, types=types,
                     calendar_file=setting(settings, "FEEDS_CALENDAR_PATH").strip("/"))


def quiet_feed_date() -> dt.datetime:
    return dt.datetime.fromisoformat(QUIET_FEED_DATE)


def _title_case(text: str) -> str:
    return text[:1].upper() + text[1:]
