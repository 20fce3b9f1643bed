"""Radio items for commune loudspeakers: each item of a radio type (`radio = true` in
data/vocabulary.toml) gets its audio file copied and a plain-text script written beside its
page, `<item folder>/<slug>.txt`, for text-to-speech readers (docs/nguon-tin.md).

Items get `radio` (radio_files.RadioFiles): the page's player and links and the podcast feed
(plugins/feeds) read it. Template: partials/radio-audio.html. No settings.
"""

from pelican import signals

from .generator import RadioScriptsGenerator
from .radio_files import attach_radio_files


def get_generators(pelican):
    return RadioScriptsGenerator


def register():
    signals.article_generator_finalized.connect(attach_radio_files)
    signals.get_generators.connect(get_generators)
