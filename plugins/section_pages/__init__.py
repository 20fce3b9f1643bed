"""Adds the section pages: one per commune (and the district-wide page), the commune index,
and one per content type, each paginated newest first.

Every commune of the registry gets its page even with no item; a merged commune's page
says where it went. Templates: commune.html, communes.html, content_type.html.
Settings: COMMUNE_URL, COMMUNE_SAVE_AS, COMMUNES_URL, COMMUNES_SAVE_AS, CONTENT_TYPE_URL,
CONTENT_TYPE_SAVE_AS (pelicanconf.py; docs/duong-dan.md). Pages hold DEFAULT_PAGINATION items.
"""

from pelican import signals

from .generator import SectionPagesGenerator


def get_generators(pelican):
    return SectionPagesGenerator


def register():
    signals.get_generators.connect(get_generators)
