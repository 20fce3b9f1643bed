"""Small, safe rewrites of the sanitized HTML of an item's body (after newsdesk.sanitize).

nh3 serializes every tag the same way (`<a href="..." rel="...">`, attributes double-quoted,
`"` escaped), so one regular expression over its output is reliable here.
- External links get rel="noopener": the page they open cannot reach back to ours.
- Images get loading="lazy" and decoding="async": an item's pictures sit below its title,
  facts and summary, so a reader on a small data plan downloads them only when scrolling there.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<(?P<name>a|img)\b(?P<attrs>[^>]*)>")
_ATTRIBUTE = re.compile(r'\s(?P<name>[\w-]+)="(?P<value>[^"]*)"')
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)


def _attributes(text: str) -> dict[str, str]:
    return {m["name"].lower(): m["value"] for m in _ATTRIBUTE.finditer(text)}


def _with(attrs: str, name: str, value: str) -> str:
    """`attrs` with attribute `name` set to `value` (replaced if present)."""
    pattern = re.compile(rf'\s{name}="[^"]*"')
    if pattern.search(attrs):
        return pattern.sub(f' {name}="{value}"', attrs, count=1)
    closing = "/" if attrs.rstrip().endswith("/") else ""
    return attrs.rstrip().rstrip("/") + f' {name}="{value}"' + closing


def _rewrite(match: re.Match) -> str:
    name, attrs = match["name"], match["attrs"]
    values = _attributes(attrs)
    if name == "a" and _EXTERNAL.match(values.get("href", "")):
        rel = values.get("rel", "").split()
        if "noopener" not in rel:
            attrs = _with(attrs, "rel", " ".join([*rel, "noopener"]))
    elif name == "img":
        if "loading" not in values:
            attrs = _with(attrs, "loading", "lazy")
        if "decoding" not in values:
            attrs = _with(attrs, "decoding", "async")
    return f"<{name}{attrs}>"


def tidy_body(markup: str) -> str:
    """rel="noopener" on external links, lazy images; everything else untouched."""
    return _TAG.sub(_rewrite, markup)
