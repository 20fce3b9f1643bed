"""sitemap.xml and robots.txt behind plugins/sitemap."""

from __future__ import annotations

import datetime as dt
import fnmatch
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import lxml.html

from newsdesk.content import dates, handbooks, site_items
from newsdesk.site.context import context_of

DEFAULT_EXCLUDE = ("404.html",)


def remember_dates(generators) -> None:
    """URL of every published item and page -> when it last changed (None: no date); and the
    URLs of hidden ones (Status: hidden: written, but listed nowhere, so not here either)."""
    found: dict[str, dt.datetime | None] = {}
    hidden_ones = site_items.items(generators, [site_items.HIDDEN], pages=True)
    # A handbook's chapters are parts of one listed item, but public pages all the same.
    chapters = [c for c in hidden_ones if handbooks.in_handbook(c)]
    for content in site_items.items(generators, pages=True) + chapters:
        when = getattr(content, "modified", None) or getattr(content, "date", None)
        found[content.url] = when if isinstance(when, dt.datetime) else None
    hidden = {c.url for c in hidden_ones if not handbooks.in_handbook(c)}
    if generators:
        context = context_of(generators[0].settings)
        context.sitemap_dates, context.sitemap_hidden = found, hidden


def write_files(pelican) -> None:
    settings = pelican.settings
    output = Path(pelican.output_path)
    siteurl = settings.get("SITEURL", "").rstrip("/")
    if urlsplit(siteurl).scheme not in ("http", "https"):
        return  # a preview build: local only, and a sitemap needs absolute URLs
    entries = sitemap_entries(output, siteurl, settings)
    (output / "sitemap.xml").write_text(sitemap_xml(entries), encoding="utf-8")
    (output / "robots.txt").write_text(robots_txt(siteurl, settings), encoding="utf-8")


def _excluded(relative: str, settings) -> bool:
    patterns = list(settings.get("SITEMAP_EXCLUDE", DEFAULT_EXCLUDE))
    draft_folder = _draft_folder(settings)
    if draft_folder:
        patterns.append(draft_folder + "*")
    return any(fnmatch.fnmatch(relative, pattern) for pattern in patterns)


def _draft_folder(settings) -> str:
    """"ban-nhap/" (from DRAFT_URL) when the build writes drafts (DRAFT_SAVE_AS), else ""."""
    folder = site_items.drafts_folder(settings)
    return f"{folder}/" if folder and settings.get("DRAFT_SAVE_AS") else ""


def sitemap_entries(output: Path, siteurl: str, settings) -> list[tuple[str, dt.datetime | None]]:
    context = context_of(settings)
    content_dates = context.sitemap_dates
    newest = max(filter(None, content_dates.values()), default=None)
    prefix = siteurl + "/"
    entries = []
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        if _excluded(relative, settings):
            continue
        page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        if any("noindex" in value.lower()
               for value in page.xpath('//meta[@name="robots"]/@content')):
            continue
        url_path = relative[: -len("index.html")] if relative.endswith("index.html") else relative
        if url_path in context.sitemap_hidden:
            continue
        if url_path in content_dates:
            lastmod = content_dates[url_path]
        else:
            hrefs = (href.split("#")[0].split("?")[0] for href in page.xpath("//@href"))
            linked = [content_dates.get(href[len(prefix):]) for href in hrefs
                      if href.startswith(prefix)]
            lastmod = max(filter(None, linked), default=newest)
        entries.append((prefix + url_path, lastmod))
    return entries


def sitemap_xml(entries) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in entries:
        stamp = (f"<lastmod>{dates.local(lastmod).isoformat(timespec='seconds')}</lastmod>"
                 if lastmod else "")
        lines.append(f"  <url><loc>{escape(url)}</loc>{stamp}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(siteurl: str, settings) -> str:
    """Everything public may be indexed; drafts, if a build writes them, may not."""
    draft_folder = _draft_folder(settings)
    disallow = f"{urlsplit(siteurl).path}/{draft_folder}" if draft_folder else ""
    return f"User-agent: *\nDisallow: {disallow}\nSitemap: {siteurl}/sitemap.xml\n"
