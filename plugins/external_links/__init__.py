"""Adds rel="noopener" to every link to another site, in every page Pelican writes (items'
bodies and templates alike: one place). Code: newsdesk.markup.mark_external_links.
No settings; the site's own host comes from SITEURL.
"""

from pathlib import Path

from pelican import signals

from newsdesk.markup import mark_external_links


def mark_written_page(path, context):
    if not str(path).endswith(".html"):
        return
    page = Path(path)
    html = page.read_text(encoding="utf-8")
    marked = mark_external_links(html, context.get("SITEURL", ""))
    if marked != html:
        page.write_text(marked, encoding="utf-8")


def register():
    signals.content_written.connect(mark_written_page)
