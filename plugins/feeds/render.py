"""RSS 2.0, Atom and podcast documents, written with feedgen and then corrected.

feedgen 1.0.0 (no release since 2023) has faults this module works around; each fix has a
test in tests/test_feeds.py:
- the RSS channel <link> is the *last* link added (often the self link): `fix_rss_channel_link`;
- add_entry() prepends, reversing the order: entries are always added with order="append";
- an enclosure without a length is written length="None": `fix_unknown_lengths`;
- Atom entry links lose rel/type/length (lkiesow/python-feedgen#135), so enclosures become
  plain alternate links: `fix_atom_links` rewrites each entry's links from our own data;
- updated/lastBuildDate default to now: they are always set to the newest entry's date.
"""

from __future__ import annotations

import datetime as dt
import html

from feedgen.feed import FeedGenerator
from lxml import etree

from .catalogue import Catalogue, FeedSpec, quiet_feed_date
from .entries import FeedItem, item_updated

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
GENERATOR = "Chuyên mục Giảm nghèo Hớn Quản (feedgen)"
PODCAST_CATEGORY = ("Government & Organizations", "Local")


def feed_updated(items: list[FeedItem]) -> dt.datetime:
    """The newest entry's date: two builds of the same content give the same feed."""
    return max((item.updated for item in items), default=quiet_feed_date())


def articles_updated(articles) -> dt.datetime:
    """feed_updated of the articles' items, without making the items."""
    return max((item_updated(a) for a in articles), default=quiet_feed_date())


def rss_document(spec: FeedSpec, items: list[FeedItem], catalogue: Catalogue, site) -> bytes:
    generator = _feed(spec, items, catalogue, site, catalogue.rss_path(spec))
    raw = generator.rss_str(pretty=True)
    return _rewrite(raw, lambda root: (fix_rss_channel_link(root, catalogue.url(spec.page_url)),
                                       fix_unknown_lengths(root),
                                       _add_rss_media(root, items),
                                       etree.cleanup_namespaces(
                                           root, top_nsmap={"media": MEDIA_NS})))


def atom_document(spec: FeedSpec, items: list[FeedItem], catalogue: Catalogue, site) -> bytes:
    generator = _feed(spec, items, catalogue, site, catalogue.atom_path(spec))
    raw = generator.atom_str(pretty=True, extensions=False)
    return _rewrite(raw, lambda root: (fix_atom_links(root, {i.id: i for i in items}),
                                       fix_unknown_lengths(root)))


def _feed(spec, items, catalogue, site, self_path) -> FeedGenerator:
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    if spec.podcast:
        generator.load_extension("podcast")
        _podcast_channel(generator, spec, site)
    generator.id(catalogue.feed_id(spec))
    generator.title(spec.title)
    generator.subtitle(spec.description)
    generator.description(spec.description)
    generator.language("vi")
    generator.author({"name": site["publisher"]})
    generator.generator(GENERATOR)
    generator.link(href=catalogue.url(spec.page_url), rel="alternate", type="text/html")
    generator.link(href=catalogue.url(self_path), rel="self",
                   type="application/atom+xml" if self_path.endswith(".atom.xml")
                   else "application/rss+xml")
    generator.updated(feed_updated(items))
    for item in items:
        _entry(generator.add_entry(order="append"), item, catalogue, spec.podcast)
    return generator


def _entry(entry, item: FeedItem, catalogue: Catalogue, podcast: bool) -> None:
    entry.id(item.id)
    entry.guid(item.id, permalink=False)
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate", type="text/html")
    entry.published(item.published)
    entry.updated(item.updated)
    if item.summary:
        entry.summary(item.summary)  # Atom: plain text
        # RSS readers take <description> as HTML: the plain-text Summary goes in escaped.
        # (feedgen also makes it the Atom content; the body replaces it just below.)
        entry.description(html.escape(item.summary, quote=False))
    if item.content_html or item.summary:
        entry.content(item.content_html or html.escape(item.summary, quote=False), type="html")
    entry.author({"name": item.author})
    entry.dc.dc_creator(item.author)
    for place in item.communes:
        entry.category(term=place.slug, label=place.name,
                       scheme=catalogue.url(place.url))
    entry.category(term=item.type.key, label=item.type.name, scheme=catalogue.url(item.type.url))
    enclosure = item.audio if podcast or item.audio else item.image
    for extra in item.enclosures:
        entry.link(href=extra.url, rel="enclosure", type=extra.mime_type,
                   length=str(extra.length))
    if enclosure:  # RSS holds one enclosure: the audio of a radio article, else the cover
        entry.enclosure(enclosure.url, str(enclosure.length), enclosure.mime_type)
    if podcast and item.audio:
        entry.podcast.itunes_duration(item.audio.duration.duration_hms)
        entry.podcast.itunes_author(item.author)
        entry.podcast.itunes_explicit("no")
        if item.summary:
            entry.podcast.itunes_summary(item.summary)


def _podcast_channel(generator, spec: FeedSpec, site) -> None:
    generator.podcast.itunes_author(site["publisher"])
    generator.podcast.itunes_category(*PODCAST_CATEGORY)
    generator.podcast.itunes_explicit("no")
    generator.podcast.itunes_summary(spec.description)
    generator.podcast.itunes_type("episodic")
    if site.get("podcast_image"):  # square JPG/PNG, at least 1400 px, as Apple asks
        generator.podcast.itunes_image(site["podcast_image"])
    if site.get("owner_email"):
        generator.podcast.itunes_owner(name=site["publisher"], email=site["owner_email"])


# -- corrections -----------------------------------------------------------------------------
def _rewrite(raw: bytes, fix) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(raw, parser)
    fix(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def fix_rss_channel_link(root, page_url: str) -> None:
    """The channel's <link> is the HTML page the feed follows, not the feed's own address."""
    link = root.find("channel/link")
    if link is None:
        link = etree.SubElement(root.find("channel"), "link")
    link.text = page_url


def fix_unknown_lengths(root) -> None:
    """length="None": RSS requires a length (0 means unknown); Atom's is optional."""
    for element in root.iter("enclosure", f"{{{ATOM_NS}}}link"):
        if element.get("length") in ("None", ""):
            if element.tag == "enclosure":
                element.set("length", "0")
            else:
                del element.attrib["length"]


def fix_atom_links(root, items: dict[str, FeedItem]) -> None:
    """Write each entry's alternate and enclosure links with rel, type and length."""
    for entry in root.iter(f"{{{ATOM_NS}}}entry"):
        item = items[entry.findtext(f"{{{ATOM_NS}}}id")]
        old = entry.findall(f"{{{ATOM_NS}}}link")
        position = entry.index(old[0]) if old else len(entry)
        for link in old:
            entry.remove(link)
        links = [{"rel": "alternate", "type": "text/html", "href": item.url}]
        links += [{"rel": "enclosure", "type": e.mime_type, "length": str(e.length),
                   "href": e.url} for e in item.enclosures]
        for offset, attributes in enumerate(links):
            link = etree.Element(f"{{{ATOM_NS}}}link")
            for name, value in attributes.items():
                link.set(name, value)
            entry.insert(position + offset, link)


def _add_rss_media(root, items: list[FeedItem]) -> None:
    """The cover image as media:content too, since RSS's one enclosure may be the audio."""
    by_id = {item.id: item for item in items}
    for entry in root.iter("item"):
        item = by_id[entry.findtext("guid")]
        if not item.image:
            continue
        content = etree.SubElement(entry, f"{{{MEDIA_NS}}}content")
        content.set("url", item.image.url)
        content.set("type", item.image.mime_type)
        content.set("fileSize", str(item.image.length))
        content.set("medium", "image")
        if item.image_alt:
            description = etree.SubElement(content, f"{{{MEDIA_NS}}}description")
            description.set("type", "plain")  # the Alt as typed, never HTML (readers guess)
            description.text = item.image_alt
