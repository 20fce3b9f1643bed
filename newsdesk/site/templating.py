"""Filters and helpers the theme's templates use (registered in pelicanconf.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup

from newsdesk import disk_cache, project
from newsdesk.content import dates
from newsdesk.media.qr import qr_svg
from newsdesk.content.text import slug

# Written by plugins/media in front of the URLs of its pictures and video players in bodies;
# body_at() puts the base URL of the page, feed or edition that shows the body in its place.
SITEURL_MARK = "@@HQ-SITEURL@@"


DEFAULT_TEMPLATE_CACHE_DIR = project.ROOT / ".cache" / "templates"


def keep_compiled_templates(settings: dict) -> None:
    """Give Jinja a bytecode cache in TEMPLATE_CACHE_DIR: a build loads the templates an
    earlier one compiled (compiling them is about a tenth of a build), and Jinja compiles a
    template again when its source changed. Its keys do not cover the environment's options,
    so each set of options has a folder of its own."""
    options = dict(settings.get("JINJA_ENVIRONMENT") or {})
    if "bytecode_cache" in options:
        return
    folder = (Path(settings.get("TEMPLATE_CACHE_DIR") or DEFAULT_TEMPLATE_CACHE_DIR)
              / disk_cache.key_of(disk_cache.stable(options)))
    folder.mkdir(parents=True, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {**options, "bytecode_cache": FileSystemBytecodeCache(
        str(folder))}


def newest_first(content):
    """Sort key for items: newest first, then by slug, so equal dates keep a fixed order."""
    when = getattr(content, "date", None)
    stamp = when.timestamp() if isinstance(when, dt.datetime) else 0
    return (-stamp, getattr(content, "slug", ""))


def iso(value: dt.datetime) -> str:
    """Machine-readable date for <time datetime> in +07:00."""
    return dates.local(value).isoformat()


def capitalize_first(text: str) -> str:
    """"xã Đồng Nơ" -> "Xã Đồng Nơ" (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def groupby_month(items) -> list[tuple[dt.date, list]]:
    """Items grouped by their month in Vietnam, in the order given."""
    groups: dict[dt.date, list] = {}
    for item in items:
        when = dates.local(item.date)
        groups.setdefault(dt.date(when.year, when.month, 1), []).append(item)
    return list(groups.items())


def month_anchor(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def period_date(period_num) -> dt.date:
    """Pelican's period archive (year, month) as the first day of that month."""
    return dt.date(period_num[0], period_num[1] if len(period_num) > 1 else 1, 1)


def body_at(item, base: str) -> str:
    """An item's or page's body HTML with every link to the site resolved against `base`.

    `base` is the address the reader's copy is read at: the page's SITEURL in templates ("" or
    the public address; a relative "../.." with RELATIVE_URLS), a feed's absolute address
    (ending in "/"), or a relative path for an edition read from disk (the kiosk; a relative
    base needs RELATIVE_URLS = True, as Pelican joins its own links by that setting). Pelican's
    {filename}/{static} links are resolved by its public `get_content(siteurl)`; the media
    plugin's pictures and players follow the same base through SITEURL_MARK.
    """
    body = item.get_content(base)
    return body.replace(SITEURL_MARK, base.rstrip("/")) if body else body


def body_html(item, base: str) -> Markup:
    """An item's or page's body at `base` (body_at), as markup: the one place the theme marks
    it safe.

    Safe because the reader sanitized it (newsdesk.content.sanitize) and only our plugins rewrote it
    since (pictures, video players). Every other field is printed escaped (autoescape).
    """
    return Markup(body_at(item, base) or "")


def summary_text(item) -> str:
    """An item's summary as plain text: the editor's Summary as typed, else its body's start
    with the tags taken out (autoescape then prints either as text)."""
    typed = item.metadata.get("summary")
    if typed:
        return typed
    return Markup(item.summary or "").striptags()


FILTERS = {
    "body_html": body_html,
    "summary_text": summary_text,
    "capitalize_first": capitalize_first,
    "groupby_month": groupby_month,
    "month_anchor": month_anchor,
    "period_date": period_date,
    "long_date": dates.long_date,
    "short_date": dates.short_date,
    "month_name": dates.month_name,
    "time_of_day": dates.time_of_day,
    "iso": iso,
    "slug": slug,
    "qr": qr_svg,
}
