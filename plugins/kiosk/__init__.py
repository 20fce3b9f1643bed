"""The kiosk edition for public touch screens: a home asking "Bạn ở xã nào?", a page per
current commune and the district, a page per listed item, under KIOSK_URL (docs/duong-dan.md).

Relative links only (the same files work on the web server, on a kiosk's local copy served on
127.0.0.1, and in tests), no link out of the kiosk (a QR code of the public address instead),
`noindex` (so out of sitemap.xml), its own stylesheet bundle THEME_ASSETS["kiosk"] and script
theme/js/kiosk.js (text size, idle reset), and a search page with a large on-screen keyboard
(KIOSK_SEARCH_URL; its index is plugins/search's step `kiosk-search`).
Templates: theme/templates/kiosk/.
Settings: KIOSK_URL, KIOSK_SAVE_AS, KIOSK_COMMUNE_URL, KIOSK_COMMUNE_SAVE_AS, KIOSK_ITEM_URL,
KIOSK_ITEM_SAVE_AS, KIOSK_SEARCH_URL, KIOSK_SEARCH_SAVE_AS (empty: no kiosk search page),
KIOSK_IDLE_SECONDS (default 90), KIOSK_COUNTDOWN_SECONDS (default 15),
KIOSK_NETWORK_TIMEOUT_SECONDS (default 3: how long the service worker waits for a page from the
network before it shows the saved copy), KIOSK_UPCOMING_CONFERENCES (default 3, on the home),
KIOSK_ATTRACT_ITEMS (default 6), KIOSK_PRECACHE_BUDGET (bytes the service worker kiosk/sw.js may
save for offline use; default 200 MB; the build prints what it saves), KIOSK_PRECACHE_LISTS
(JSON lists of further files, relative to the kiosk home, that post-build steps write and the
service worker saves too when they exist; plugins/search adds its index's list).
"""

from pelican import signals

from .generator import KioskGenerator
from .offline import note_links, write_worker
from .settings import DEFAULTS


def set_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    note_links(pelican)  # here, once KIOSK_URL is set (receivers of one signal run in any order)


def get_generators(pelican):
    return KioskGenerator


def register():
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(write_worker)
