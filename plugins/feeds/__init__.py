"""Feeds for information clusters, kiosks and commune radio, written with feedgen.

RSS 2.0 and Atom for the whole site, each commune (and the district-wide items), each content
type; a podcast feed of radio items with audio (attached by plugins/radio); a JSON Feed 1.1
an OPML file; an iCalendar file of conferences (calendar.py); the "Nguồn tin RSS" page. Pelican's own feeds stay off.
Entry ids come from the item's `uid` only (see catalogue.Catalogue.item_id, docs/nguon-tin.md).

Settings (defaults in catalogue.DEFAULTS):
  FEEDS_SITEURL      absolute site address for feeds (default SITEURL, else the preview's)
  FEEDS_ID_DOMAIN    domain in tag: ids (default: the host of FEEDS_SITEURL)
  FEEDS_ID_YEAR      year in tag: ids (2023; never change it once published)
  FEEDS_PATH         folder of the feeds ("nguon-tin")
  FEEDS_COMMUNE_PATH a commune's feeds under FEEDS_PATH, without suffix ("dia-ban/{slug}")
  FEEDS_TYPE_PATH    a content type's feeds under FEEDS_PATH, without suffix ("loai/{key}")
  FEEDS_CALENDAR_PATH the conference calendar (.ics) under FEEDS_PATH ("lich-hoi-nghi.ics")
  FEEDS_MAX_ITEMS    entries per RSS/Atom/podcast feed (30)
  FEEDS_JSON_MAX_ITEMS  entries in feed.json (None: all)
  FEEDS_OWNER_EMAIL  iTunes owner e-mail of the podcast (optional)
  FEEDS_PODCAST_IMAGE  path in the output of the podcast's square JPG/PNG cover (optional)
Templates: feeds.html (the page), partials/feed-links.html (autodiscovery).
"""

from pelican import signals

from .generator import FeedsGenerator


def get_generators(pelican):
    return FeedsGenerator


def register():
    signals.get_generators.connect(get_generators)
