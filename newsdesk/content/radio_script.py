"""A radio item's script: its title and body as plain NFC text, one paragraph a line group,
for the text-to-speech readers of commune loudspeaker platforms (plugins/radio writes it; the
sample audio script speaks it)."""

from __future__ import annotations

import lxml.html

from newsdesk.content.text import nfc

# Elements whose text is read as one paragraph.
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr", "figcaption",
          "blockquote", "pre", "caption"}


def script_text(title: str, body_html: str) -> str:
    """Title (plain text as typed: "<" in it is a letter, not a tag), then each paragraph of
    the body, as plain NFC text without any markup."""
    paragraphs = [_plain(title)] + _paragraphs(body_html)
    return nfc("\n\n".join(p for p in paragraphs if p) + "\n")


def _paragraphs(markup: str) -> list[str]:
    if not markup.strip():
        return []
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    for hidden in root.xpath("//script|//style|//template"):
        hidden.drop_tree()
    found = []
    for element in root.iter():
        if element.tag not in BLOCKS or _has_block_inside(element):
            continue
        if element.tag == "tr":
            text = ", ".join(_plain(cell.text_content()) for cell in element
                             if _plain(cell.text_content()))
        else:
            text = _plain(element.text_content())
        if text:
            found.append(text)
    return found


def _has_block_inside(element) -> bool:
    return any(child.tag in BLOCKS for child in element.iterdescendants())


def _plain(text: str) -> str:
    return " ".join(str(text).split())
