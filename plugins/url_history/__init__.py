"""Keeps published URLs working: when an item's URL changes (new slug, new type, file moved
with its `ID:`), its old URL becomes a redirect page to the new one.

A ledger (JSON, one entry per item identity) records every URL each item has had; it is
updated after each successful build. Settings: URL_HISTORY_PATH (default: data/url-history.json
beside the content folder; empty string turns the plugin off).
"""

from pelican import signals

from .history import record_urls, write_redirects


def register():
    signals.article_writer_finalized.connect(write_redirects)
    signals.finalized.connect(record_urls)
