"""Radio items (a type with `radio = true` in the vocabulary): their audio file and their
plain-text script.

The audio is copied like a cover image (a static link); the script is the article's title and
body as plain NFC text, one paragraph a line group, for the text-to-speech readers of commune
loudspeaker platforms.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from newsdesk.content import numbers, site_items
from newsdesk.media import audio
from newsdesk.site.context import context_of
from newsdesk.content.text import iri_to_uri

@dataclass(frozen=True)
class RadioFiles:
    """What a radio item's page and feeds link: its audio (if any) and its script."""

    audio: str  # path inside content/ and output/, "" when none
    audio_info: audio.AudioInfo | None
    script_url: str  # relative to the site

    @property
    def audio_url(self) -> str:
        """Relative URL, percent-encoded (file names may hold Vietnamese letters or spaces)."""
        return iri_to_uri(self.audio)

    @property
    def audio_file_name(self) -> str:
        return posixpath.basename(self.audio)

    @property
    def size_label(self) -> str:
        return numbers.size(self.audio_info.length if self.audio_info else 0)


def attach_radio_files(generator) -> None:
    """Give each radio item its RadioFiles and have its audio copied to the output."""
    content_root = Path(generator.settings["PATH"])
    vocab = context_of(generator.settings).vocabulary
    for article in site_items.items(generator, site_items.WITH_A_PAGE):
        if not vocab.is_radio(article) or not article.save_as:
            continue  # no page (a draft on the public site): nothing of it may be copied
        relpath = getattr(article, "audio", None) or ""
        info = audio.inspect(content_root / relpath) if relpath else None
        if relpath:
            generator.context["static_links"].add(relpath)
        script = posixpath.join(posixpath.dirname(article.save_as), f"{article.slug}.txt")
        article.radio = RadioFiles(relpath, info, script)
