"""Sanitize the HTML made from editors' Markdown with nh3, and say what was removed.

Editors may paste raw HTML (from Word, Zalo, other sites). Nothing that runs code or loads
from a third party survives: no <script>, <iframe>, <style>, event handlers, style attributes
or javascript: URLs. The video feature emits its own markup after this step.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
import nh3

ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"map", "area", "center", "acronym", "tt"}) | {"picture",
                                                                                 "source"}
GENERIC_ATTRIBUTES = {"id", "title", "lang", "dir", "class"}
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "type", "media", "sizes"},
    "th": {"scope", "colspan", "rowspan", "headers"},
    "td": {"colspan", "rowspan", "headers"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "data": {"value"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "cite"}


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer removed, in words an editor understands."""

    what: str

    def __str__(self) -> str:
        return self.what


def clean(markup: str) -> tuple[str, list[Removal]]:
    """Return safe HTML and the list of what was removed from it."""
    finder = _RemovalFinder()
    finder.feed(markup)
    finder.close()
    cleaned = nh3.clean(markup, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        url_schemes=URL_SCHEMES, link_rel=None,
                        clean_content_tags={"script", "style"})
    return cleaned, finder.removals


def parse(markup: str):
    """A fragment of HTML as an lxml tree, under one <div>, to edit and give to serialize."""
    return lxml.html.fragment_fromstring(markup, create_parent="div")


# Stands in the tree for markup we make after sanitizing (pictures, players), which nh3 would
# strip: private-use characters, kept by nh3 and never written by an editor's Markdown.
_MARK = "\ue000{}\ue001"
_MARKED = re.compile("\ue000([0-9]+)\ue001")


def mark(index: int) -> str:
    """The text to put in the tree where serialize is to write `inserts[index]`."""
    return _MARK.format(index)


def serialize(body, inserts: list[str] = ()) -> str:
    """The fragment's HTML, written as the sanitizer writes it (lxml's HTML writer would
    percent-encode URLs, {static} included): XML out, then nh3 again to normalize. Each
    mark(i) in the tree becomes inserts[i], written as is."""
    for element in body.iter(lxml.etree.Element):
        if element.text is None and element.tag not in lxml.html.defs.empty_tags:
            element.text = ""  # <a></a>, never <a/>
    inner = (body.text or "") + "".join(lxml.etree.tostring(child, encoding="unicode")
                                        for child in body)
    cleaned = clean(inner)[0]
    return _MARKED.sub(lambda found: inserts[int(found[1])], cleaned) if inserts else cleaned


class _RemovalFinder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.removals: list[Removal] = []

    def _note(self, what: str) -> None:
        removal = Removal(what)
        if removal not in self.removals:
            self.removals.append(removal)

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self._note(f"thẻ <{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES
        for name, value in attrs:
            if name not in allowed:
                self._note(f"thuộc tính {name}=\"…\" của thẻ <{tag}>")
            elif name in URL_ATTRIBUTES and value and ":" in value.split("/")[0]:
                scheme = value.split(":", 1)[0].strip().lower()
                if scheme not in URL_SCHEMES:
                    self._note(f"địa chỉ \"{scheme}:\" trong thẻ <{tag}>")
