"""Sanitize the HTML made from editors' Markdown with nh3, and say what was removed.

Editors may paste raw HTML (from Word, Zalo, other sites). Nothing that runs code or loads
from a third party survives: no <script>, <iframe>, <style>, event handlers, style attributes
or javascript: URLs. The video feature emits its own markup after this step.
"""

from __future__ import annotations

import html.parser
from dataclasses import dataclass

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
