"""Adds the section pages: one per commune (and the district-wide page), the commune index,
and one per content type, each paginated newest first.

Every commune of the registry gets its page even with no item; a merged commune's page
says where it went. Templates: commune.html, communes.html, content_type.html.
Settings: SECTION_PAGES_PER_PAGE (default: DEFAULT_PAGINATION).
"""

from pelican import signals

from .generator import SectionPagesGenerator


def get_generators(pelican):
    return SectionPagesGenerator


def register():
    signals.get_generators.connect(get_generators)
