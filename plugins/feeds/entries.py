"""What a feed says about one item, computed once and shared by every feed format."""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import lxml.html

from newsdesk.content import dates
from newsdesk.media.audio import AudioInfo
from newsdesk.site.templating import body_at, summary_text
from newsdesk.content.text import iri_to_uri, nfc
from newsdesk.content.vocabulary import Commune, ContentType

from .catalogue import Catalogue

mimetypes.add_type("image/webp", ".webp")


@dataclass(frozen=True)
class Enclosure:
    url: str
    mime_type: str
    length: int
    medium: str  # "image" or "audio"
    duration: AudioInfo | None = None


@dataclass(frozen=True)
class FeedItem:
    id: str  # tag: URI from the item's uid
    uid: str
    title: str
    url: str
    content_html: str
    summary: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    type: ContentType
    communes: tuple[Commune, ...]
    image: Enclosure | None
    image_alt: str
    audio: Enclosure | None
    script_url: str

    @property
    def enclosures(self) -> list[Enclosure]:
        return [e for e in (self.audio, self.image) if e]


def feed_item(article, catalogue: Catalogue, vocabulary, settings) -> FeedItem:
    """Turn a published Pelican article into what every feed format needs."""
    url = catalogue.url(article.url)
    published = dates.local(article.date)
    radio = getattr(article, "radio", None)
    return FeedItem(
        id=catalogue.item_id(article.uid),
        uid=article.uid,
        title=nfc(article.title),  # plain text, as typed: feedgen escapes it
        url=url,
        content_html=absolute_html(body_at(article, catalogue.base + "/"), url),
        summary=nfc(summary_text(article)),
        published=published,
        updated=item_updated(article),
        author=str(getattr(article, "author", "") or settings.get("PUBLISHER") or ""),
        type=vocabulary.types[article.type],
        communes=tuple(article.communes),
        image=_image(article, catalogue, settings),
        image_alt=getattr(article, "alt", "") or "",
        audio=_audio(radio, catalogue) if radio and radio.audio else None,
        script_url=catalogue.url(radio.script_url) if radio else "",
    )


def item_updated(article) -> dt.datetime:
    """When the item last changed: its date, or its `modified` date if later."""
    published = dates.local(article.date)
    modified = getattr(article, "modified", None)
    return max(published, dates.local(modified)) if modified else published


def absolute_html(markup: str, page_url: str) -> str:
    """Every href/src/srcset made absolute against the item's URL and percent-encoded."""
    if not markup.strip():
        return ""
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    root.rewrite_links(lambda link: iri_to_uri(urljoin(page_url, link.strip())),
                       resolve_base_href=False)
    for element in root.iter():
        if element.get("srcset"):
            element.set("srcset", _absolute_srcset(element.get("srcset"), page_url))
    html = lxml.html.tostring(root, encoding="unicode")
    return html[len("<div>"):-len("</div>")]


def _absolute_srcset(srcset: str, page_url: str) -> str:
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.strip().split(maxsplit=1)
        if parts:
            parts[0] = iri_to_uri(urljoin(page_url, parts[0]))
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def _audio(radio, catalogue: Catalogue) -> Enclosure:
    """A radio item's audio (RadioFiles, from plugins/radio)."""
    info = radio.audio_info
    return Enclosure(catalogue.url(radio.audio), info.mime_type, info.length, "audio", info)


def _image(article, catalogue: Catalogue, settings) -> Enclosure | None:
    relpath = getattr(article, "image", None)
    if not relpath:
        return None
    cover = getattr(article, "cover", None)
    if cover:  # plugins/media publishes light, metadata-free copies, never the original
        largest = cover.largest
        return Enclosure(catalogue.url(cover.path(largest)), largest.mime, largest.size, "image")
    source = Path(settings["PATH"]) / relpath
    mime_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    return Enclosure(catalogue.url(relpath), mime_type, source.stat().st_size, "image")
