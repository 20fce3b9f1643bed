"""Links of the kiosk edition: every URL relative to the page, none leaving the kiosk.

The kiosk's files must work wherever they are served (the web server's sub-folder, a copy on
127.0.0.1, a test's temporary server), so no URL in them names a host or starts at "/".
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html
from markupsafe import Markup

# Attributes holding one URL, and those holding a srcset list ("url 480w, url 960w").
_URL_ATTRIBUTES = ("href", "src", "poster", "data-src")
_SRCSET = "srcset"
_VOID_END_TAGS = re.compile(r"</(?:source|track|wbr)>")


@functools.lru_cache(maxsize=65536)  # every kiosk page links the same few files
def relative(target: str, page_url: str) -> str:
    """`target` ("media/a.jpg", "kiosk/") as seen from the page at `page_url` ("kiosk/x/")."""
    page_dir = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
    path = posixpath.relpath("/" + target, "/" + page_dir)
    if target.endswith("/") and path != ".":
        path += "/"
    return "./" if path == "." else path


def site_path(url: str, siteurl: str) -> str | None:
    """The path inside the site of a URL written for the site root ("/media/a.jpg" or
    "<SITEURL>/media/a.jpg"), else None (another site, a mail link, a fragment)."""
    base = siteurl.rstrip("/")
    if base and url.startswith(base + "/"):
        return url[len(base) + 1:]
    if url.startswith("/") and not url.startswith("//"):
        parts = urlsplit(base)
        prefix = parts.path.rstrip("/") + "/" if parts.path else "/"
        return url[len(prefix):] if url.startswith(prefix) else url.lstrip("/")
    return None


@dataclass
class KioskBody:
    """Markup made for the kiosk, and the links it had to the world outside the kiosk."""

    html: Markup
    outside: list[tuple[str, str]] = field(default_factory=list)  # (text, absolute URL)


def kiosk_html(html: str, page_url: str, siteurl: str, public_url: str,
               kiosk_pages: dict[str, str]) -> KioskBody:
    """Rewrite markup written for the site root (an item's body, a picture, a player) for the
    kiosk page at `page_url`: files of the site become relative; a link to a page that has a
    kiosk copy (`kiosk_pages`: site URL -> kiosk URL) goes there; any other link becomes plain
    text, listed in `outside` with its public address, so the page can show its QR code."""
    if not html or not html.strip():
        return KioskBody(Markup(html or ""))
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    outside: list[tuple[str, str]] = []
    for element in list(root.iter()):  # a list: links may be dropped on the way
        if not isinstance(element.tag, str):
            continue
        if element.tag == "a" and element.get("href") is not None:
            _rewrite_link(element, page_url, siteurl, public_url, kiosk_pages, outside)
            continue
        for name in _URL_ATTRIBUTES:
            value = element.get(name)
            path = site_path(value, siteurl) if value else None
            if path is not None:
                element.set(name, relative(path, page_url))
        if element.get(_SRCSET):
            element.set(_SRCSET, _relative_srcset(element.get(_SRCSET), page_url, siteurl))
    inner = (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root)
    # libxml2's HTML parser does not know <source> and <track> are void: it nests what follows
    # inside them and writes an end tag HTML forbids. Without it, browsers read the same tree.
    return KioskBody(Markup(_VOID_END_TAGS.sub("", inner)), outside)


def _rewrite_link(element, page_url, siteurl, public_url, kiosk_pages, outside) -> None:
    href = element.get("href")
    if href.startswith("#"):
        return
    if element.get("download") is not None:
        element.drop_tree()  # a download on a public screen goes nowhere; the player stays
        return
    path = site_path(href, siteurl)
    if path is not None:
        page, _, fragment = path.partition("#")
        if page in kiosk_pages:
            target = relative(kiosk_pages[page], page_url)
            element.set("href", target + ("#" + fragment if fragment else ""))
            return
        href = f"{public_url.rstrip('/')}/{path}"
    if urlsplit(href).scheme in ("http", "https"):
        text = element.text_content().strip() or href
        if (text, href) not in outside:
            outside.append((text, href))
    # Not a link any more: the kiosk has no way out; its QR code is shown below the text.
    for name in list(element.attrib):
        del element.attrib[name]
    element.tag = "span"
    element.set("class", "hq-kiosk-outside")


def _relative_srcset(value: str, page_url: str, siteurl: str) -> str:
    candidates = []
    for candidate in value.split(","):
        url, _, width = candidate.strip().partition(" ")
        path = site_path(url, siteurl)
        candidates.append(" ".join(filter(None, [relative(path, page_url) if path is not None
                                                 else url, width.strip()])))
    return ", ".join(candidates)
