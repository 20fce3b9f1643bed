"""Small, safe rewrites of generated HTML.

- `lazy_images` (the Markdown reader, on an item's sanitized body): pictures get
  loading="lazy" and decoding="async"; they sit below the title, facts and summary, so a
  reader on a small data plan downloads them only when scrolling there.
- `mark_external_links` (plugins/external_links, on every written page, so links made by
  templates are covered too): a link to another site gets rel="noopener", so the page it
  opens cannot reach back to ours.

nh3 and our templates write attributes double-quoted (`<a href="..." rel="...">`), so one
regular expression is reliable here; the security test checks every page regardless.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_ATTRIBUTE = re.compile(r'\s(?P<name>[\w-]+)="(?P<value>[^"]*)"')
_ABSOLUTE = re.compile(r"^(?:https?:)?//", re.I)


def _tags(name: str) -> re.Pattern:
    return re.compile(rf"<{name}\b(?P<attrs>[^>]*)>", re.I)


_LINK, _IMAGE = _tags("a"), _tags("img")


def _attributes(text: str) -> dict[str, str]:
    return {m["name"].lower(): m["value"] for m in _ATTRIBUTE.finditer(text)}


def _with(attrs: str, name: str, value: str) -> str:
    """`attrs` with attribute `name` set to `value` (replaced if present)."""
    pattern = re.compile(rf'\s{name}="[^"]*"')
    if pattern.search(attrs):
        return pattern.sub(f' {name}="{value}"', attrs, count=1)
    closing = "/" if attrs.rstrip().endswith("/") else ""
    return attrs.rstrip().rstrip("/") + f' {name}="{value}"' + closing


def lazy_images(markup: str) -> str:
    def rewrite(match: re.Match) -> str:
        attrs, values = match["attrs"], _attributes(match["attrs"])
        if "loading" not in values:
            attrs = _with(attrs, "loading", "lazy")
        if "decoding" not in values:
            attrs = _with(attrs, "decoding", "async")
        return f"<img{attrs}>"
    return _IMAGE.sub(rewrite, markup)


def is_external(href: str, own_host: str) -> bool:
    """An absolute http(s) or protocol-relative URL to a host other than the site's."""
    return bool(_ABSOLUTE.match(href)) and urlsplit(href).netloc.lower() != own_host.lower()


def mark_external_links(markup: str, siteurl: str = "") -> str:
    own_host = urlsplit(siteurl).netloc

    def rewrite(match: re.Match) -> str:
        attrs, values = match["attrs"], _attributes(match["attrs"])
        rel = values.get("rel", "").split()
        if is_external(values.get("href", ""), own_host) and "noopener" not in rel:
            attrs = _with(attrs, "rel", " ".join([*rel, "noopener"]))
        return f"<a{attrs}>"
    return _LINK.sub(rewrite, markup)
