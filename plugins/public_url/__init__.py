"""Checks PUBLIC_URL, the site's public address, once at start.

Preview and public builds both know it: templates use it for `<link rel="canonical">`
(PUBLIC_URL + "/" + the page URL) and for QR codes (the `qr` filter, newsdesk/media/qr.py), so a
preview shows the addresses a reader will scan. A malformed value is an error in the build's
report, in Vietnamese, before anything is written.
Settings: PUBLIC_URL ("https://host/path", no trailing slash).
"""

from pelican import signals

from .check import check_public_url


def register():
    signals.initialized.connect(check_public_url)
