"""The Markdown reader behind plugins/editor_markdown: newsdesk.content.item_reader adapted
for Pelican."""

from __future__ import annotations

from pathlib import Path

from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag

from newsdesk.content import handbooks, paths, publish_set
from newsdesk.content.item_reader import DRAFT, PUBLISHED, SCHEDULED, WITHDRAWN, read_item
from newsdesk.content.items import CONTENT_SUFFIXES
from newsdesk.site.context import context_of
from newsdesk.content.problems import AlreadyReported
from newsdesk.content.text import slug

# Header fields naming a file of content/ (an image, audio, video, captions, a poster).
FILE_KINDS = ("file", "audio", "video")


def _wrapped(wrapper_class, name: str, settings):
    """A Pelican Category/Tag/Author whose slug comes from the project's one slug function."""
    wrapper = wrapper_class(name, settings)
    wrapper.slug = slug(name)
    return wrapper


class EditorMarkdownReader(BaseReader):
    enabled = True
    file_extensions = [suffix.lstrip(".") for suffix in CONTENT_SUFFIXES]

    def read(self, source_path):
        path = Path(source_path)
        context = context_of(self.settings)
        if paths.inside_resolved(path, context.reading.root) is None:
            # Reached through a symlink out of content/: content_checks reports that symlink.
            raise AlreadyReported(path)
        reading = read_item(path, context.reading)
        context.report.extend(reading.problems)
        public = publish_set.public_build(self.settings)
        if not reading.ok or (reading.state == DRAFT and (public or not reading.previewable)):
            raise AlreadyReported(path)  # nothing of a draft in a public build (notes only)
        metadata = self._pelican_metadata(reading)
        if reading.state == WITHDRAWN or (public and not publish_set.publishes(reading.state)):
            # Only its address is kept (a notice, or nothing until its day): no body, no
            # file of its own is copied, derived or listed.
            return "", self._without_files(metadata)
        return reading.body_html, metadata

    def _without_files(self, metadata: dict) -> dict:
        fields = context_of(self.settings).vocabulary.fields
        return {key: value for key, value in metadata.items()
                if key not in fields or fields[key].kind not in FILE_KINDS}

    def _pelican_metadata(self, reading) -> dict:
        """Turn checked metadata into what Pelican's content classes expect."""
        settings = self.settings
        out = dict(reading.metadata)
        if "category" in out:
            place = out["category"]
            out["commune"] = place
            out["communes"] = [place, *out.get("communes", [])]
            out["category"] = _wrapped(Category, place.name, settings)
        if "tags" in out:
            out["tags"] = [_wrapped(Tag, tag, settings) for tag in out["tags"]]
        if "author" in out:
            out["author"] = _wrapped(Author, out["author"], settings)
        out["uid"] = out.pop("id")
        part = reading.state != DRAFT and handbooks.part_of(
            reading.path, reading.metadata, reading.header, published=reading.state == PUBLISHED)
        if part:  # for the rules across a handbook's files (content_checks)
            out["handbook_part"] = part
        if out.get("status") == WITHDRAWN:
            # Still written at its URL (Pelican's "hidden": in no listing, feed or kiosk),
            # as a notice-only page: see theme/templates/withdrawn.html.
            out.update(status="hidden", withdrawn=True, template="withdrawn")
        if reading.state == SCHEDULED:
            out["status"] = "draft"  # written to drafts/, listed nowhere, until its day
            out["scheduled"] = True  # for the preview's notice
        return out
