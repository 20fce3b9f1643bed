"""Search (issue 17): Pagefind indexes of the main site's item pages and of the kiosk
edition's, built offline.

Each index is a post-build step (newsdesk/site/poststep.py), cached by content: an unchanged
build copies the stored index back instead of running Pagefind. Only pages marked
`data-pagefind-body` are indexed: article.html marks a published item's body, so withdrawn
(their own template), hidden and draft items and every list page stay out.
- `search`: the main site's pages into `pagefind/`; never the kiosk edition or drafts. The
  search page (`SEARCH_URL`, theme/templates/search.html) alone loads the search script
  (theme/static/js/search.js); every page's header has a form submitting to it.
- `kiosk-search`: the kiosk's item pages (theme/templates/kiosk/item.html) into
  `<KIOSK_URL>pagefind/`, seen from the kiosk's folder, so no result leads out of the kiosk;
  its files are saved for offline use by the kiosk's service worker (KIOSK_PRECACHE_LISTS).
  The kiosk's search page (`KIOSK_SEARCH_URL`, written by plugins/kiosk) loads the same
  search script and the on-screen keyboard (theme/static/js/kiosk-keyboard.js).
A large index comes in shards, merged by the search script (plugins/search/index.py).
đ is a letter of its own, which Pagefind does not fold: the index is made from a copy of the
pages with đ written d + U+0335 (newsdesk/content/text.py, stroked_d), which it folds to d, and
the search script folds each query alike (issue 31).
Settings: SEARCH_INDEX (default True; False builds no index, for tests of other steps);
SEARCH_SHARD_PAGES (default 800: pages a shard holds, about; Pagefind then stays near 200 MB).
"""

from pelican import signals

from .index import add_steps


def register():
    signals.initialized.connect(add_steps)
