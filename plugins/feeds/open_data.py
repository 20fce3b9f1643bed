"""Open data: a JSON Feed 1.1 of the items, and an OPML list of every feed.

The JSON Feed's `_hon_quan` extension objects carry what other systems need to file an item
without scraping HTML: the item's stable uid, its communes (slug, name, official code) and
its content type. See https://www.jsonfeed.org/version/1.1/ (extensions start with "_").
"""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime
from typing import Iterable

from lxml import etree

from .catalogue import Catalogue, FeedSpec
from .entries import FeedItem

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EXTENSION = "_hon_quan"


def write_json_feed(out, items: Iterable[FeedItem], updated: dt.datetime, catalogue: Catalogue,
                    site) -> None:
    """Write the JSON Feed into the text file `out` one item at a time (4,000 items' bodies
    at once would hold over 100 MB): the bytes json.dumps(document, indent=2) would give."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": site["name"],
        "home_page_url": catalogue.url(""),
        "feed_url": catalogue.url(catalogue.json_path),
        "description": catalogue.site.description,
        "language": "vi",
        "authors": [{"name": site["publisher"]}],
        EXTENSION: {"about": catalogue.url(catalogue.page_url),
                    "district": site["district"],
                    "updated": updated.isoformat()},
        "items": None,  # last: written below
    }
    head, _, tail = json.dumps(document, ensure_ascii=False, indent=2).rpartition('"items": null')
    out.write(head + '"items": [')
    separator = "\n    "
    for item in items:
        out.write(separator + json.dumps(_json_item(item), ensure_ascii=False,
                                         indent=2).replace("\n", "\n    "))
        separator = ",\n    "
    out.write(("]" if separator == "\n    " else "\n  ]") + tail + "\n")


def _json_item(item: FeedItem) -> dict:
    entry = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        "summary": item.summary,
        "date_published": item.published.isoformat(),
        "date_modified": item.updated.isoformat(),
        "authors": [{"name": item.author}],
        "tags": [place.name for place in item.communes] + [item.type.name],
    }
    if item.image:
        entry["image"] = item.image.url
    attachments = [_attachment(e) for e in item.enclosures]
    if attachments:
        entry["attachments"] = attachments
    entry[EXTENSION] = {
        "uid": item.uid,
        "communes": [{"slug": p.slug, "name": p.name, "full_name": p.full_name,
                      "code": p.code, "district_wide": p.district_wide}
                     for p in item.communes],
        "type": {"key": item.type.key, "name": item.type.name},
    }
    if item.script_url:
        entry[EXTENSION]["script_url"] = item.script_url
    return entry


def _attachment(enclosure) -> dict:
    attachment = {"url": enclosure.url, "mime_type": enclosure.mime_type,
                  "size_in_bytes": enclosure.length}
    if enclosure.duration:
        attachment["duration_in_seconds"] = round(enclosure.duration.duration, 3)
    return attachment


def opml(catalogue: Catalogue, updated: dt.datetime, site) -> bytes:
    """OPML 2.0: every RSS feed, grouped as on the "Nguồn tin RSS" page, to import at once."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = f"Nguồn tin RSS – {site['name']}"
    etree.SubElement(head, "dateModified").text = format_datetime(updated)
    etree.SubElement(head, "ownerName").text = site["publisher"]
    body = etree.SubElement(root, "body")
    groups = [("Toàn bộ", [catalogue.site, catalogue.podcast]),
              ("Theo loại nội dung", list(catalogue.types.values())),
              ("Theo xã, thị trấn", list(catalogue.communes.values()))]
    for label, specs in groups:
        group = etree.SubElement(body, "outline", text=label)
        for spec in specs:
            _outline(group, spec, catalogue)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _outline(parent, spec: FeedSpec, catalogue: Catalogue) -> None:
    etree.SubElement(parent, "outline", type="rss", text=spec.title, title=spec.title,
                     description=spec.description, xmlUrl=catalogue.url(catalogue.rss_path(spec)),
                     htmlUrl=catalogue.url(spec.page_url), language="vi")
