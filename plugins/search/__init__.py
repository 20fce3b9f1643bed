"""Search (issue 17): a Pagefind index of the main site's item pages, built offline.

The index is the post-build step `search` (newsdesk/site/poststep.py), cached by content:
an unchanged build copies the stored index back instead of running Pagefind. Only pages
marked `data-pagefind-body` are indexed: article.html marks a published item's body, so
withdrawn (their own template), hidden and draft items, the kiosk edition and every list
page stay out. The search page (`SEARCH_URL`, theme/templates/search.html) alone loads the
search script (theme/static/js/search.js); every page's header has a form submitting to it.
"""

from pelican import signals

from .index import add_step


def register():
    signals.initialized.connect(add_step)
