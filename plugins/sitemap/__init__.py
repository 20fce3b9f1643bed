"""Writes sitemap.xml (every public HTML page, absolute URLs, lastmod in +07:00) and robots.txt.

The sitemap lists the HTML files actually written, so pages added by other plugins are
included without being named here. Left out: SITEMAP_EXCLUDE (default: 404.html), drafts
(the DRAFT_SAVE_AS folder), hidden items and pages (Status: hidden) and any page with
<meta name="robots" content="noindex"> (withdrawn items, redirects).
lastmod: an item's or page's Modified or Date; a listing page: its newest linked item
(else the newest item of the site, since listings show counts); unknown: left out.
A sitemap needs absolute URLs: without an absolute SITEURL (preview builds, local only)
neither file is written.
Settings: SITEMAP_EXCLUDE (paths relative to the output, fnmatch patterns).
Own code instead of pelican-plugins' sitemap, which is AGPL.
"""

from pelican import signals

from .sitemap import remember_dates, write_files


def register():
    signals.all_generators_finalized.connect(remember_dates)
    signals.finalized.connect(write_files)
