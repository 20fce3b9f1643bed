"""Sanitize the HTML made from editors' Markdown with nh3, and say what was removed.

Editors may paste raw HTML (from Word, Zalo, other sites). Nothing that runs code or loads
from a third party survives: no <script>, <iframe>, <style>, event handlers, style attributes
or javascript: URLs. The video feature emits its own markup after this step.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html
import lxml.html.defs
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


# Elements whose content is code, not text: removed with it, up to their end tag (without
# one, the tag alone: an HTML parser would take everything after it).
CODE_ELEMENTS = ("script", "style")
# A start or end tag as Python-Markdown passes an editor's raw HTML through (a code span's
# markup is escaped by then). Any other "<" is text already.
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_UNCLOSED_COMMENT = re.compile(r"<!--(?!.*-->)", re.DOTALL)
_SNIPPET = 40


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer removed (or showed as text), in words an editor understands;
    `needle`: text of the Markdown that finds its line."""

    what: str
    needle: str = field(default="<", compare=False)
    as_text: bool = False  # not removed: a tag that is not allowed is shown as typed

    def __str__(self) -> str:
        return self.what


def clean(markup: str) -> tuple[str, list[Removal]]:
    """Return safe HTML and the list of what was removed from it."""
    markup, removals = _tags_as_text(markup)
    finder = _RemovalFinder()
    finder.feed(markup)
    finder.close()
    cleaned = nh3.clean(markup, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        url_schemes=URL_SCHEMES, link_rel=None,
                        clean_content_tags=set(CODE_ELEMENTS))
    return cleaned, removals + [r for r in finder.removals if r not in removals]


def _tags_as_text(markup: str) -> tuple[str, list[Removal]]:
    """Text in angle brackets that is not an allowed tag is text (`<thu nhập bình quân>`,
    `<textarea>`): escaped, shown as typed. <script> and <style> go with their content, never
    with the paragraphs after them. An unclosed comment would hide the rest: text too."""
    pieces, removals, position = [], [], 0
    while found := _TAG.search(markup, position):
        pieces.append(markup[position:found.start()])
        position, name = found.end(), found[2].lower()
        if name in CODE_ELEMENTS:
            end = None if found[1] else re.compile(rf"</{name}\s*>", re.I).search(markup, position)
            inner = " ".join(markup[position:end.start()].split()) if end else ""
            inner = inner if len(inner) <= _SNIPPET else inner[:_SNIPPET] + "…"
            removal = Removal(f"thẻ <{found[1]}{name}>" + (f" cùng nội dung \"{inner}\""
                                                           if inner else ""), found[0])
            position = end.end() if end else position
        elif name in ALLOWED_TAGS:
            pieces.append(found[0])
            continue
        else:
            pieces.append("&lt;" + found[0][1:-1] + "&gt;")
            if found[1] or name not in lxml.html.defs.tags:
                continue  # `<thu nhập bình quân>` is meant as text: nothing to say
            removal = Removal(f"<{name}>", found[0], as_text=True)
        if removal not in removals:
            removals.append(removal)
    pieces.append(markup[position:])
    return _UNCLOSED_COMMENT.sub("&lt;!--", "".join(pieces)), removals


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

    def _note(self, what: str, needle: str) -> None:
        removal = Removal(what, needle)
        if removal not in self.removals:
            self.removals.append(removal)

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:  # only what _tags_as_text lets through
            self._note(f"thẻ <{tag}>", f"<{tag}")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES
        for name, value in attrs:
            if name not in allowed:
                self._note(f"thuộc tính {name}=\"…\" của thẻ <{tag}>", f"{name}=")
            elif name in URL_ATTRIBUTES and value and ":" in value.split("/")[0]:
                scheme = value.split(":", 1)[0].strip().lower()
                if scheme not in URL_SCHEMES:
                    self._note(f"địa chỉ \"{scheme}:\" trong thẻ <{tag}>", f"{scheme}:")
