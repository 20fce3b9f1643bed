"""The Markdown reader behind plugins/editor_markdown: newsdesk.content.item_reader adapted
for Pelican."""

from __future__ import annotations

from pathlib import Path

from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag

from newsdesk.content import handbooks, paths
from newsdesk.content.item_reader import PUBLISHED, SCHEDULED, WITHDRAWN, read_item
from newsdesk.content.items import CONTENT_SUFFIXES
from newsdesk.site.context import context_of
from newsdesk.content.problems import AlreadyReported
from newsdesk.content.text import slug


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
        if not reading.ok:
            raise AlreadyReported(path)
        return reading.body_html, self._pelican_metadata(reading)

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
        part = handbooks.part_of(reading.path, reading.metadata, reading.header,
                                 published=reading.state == PUBLISHED)
        if part:  # for the rules across a handbook's files (content_checks)
            out["handbook_part"] = part
        if out.get("status") == WITHDRAWN:
            # Still written at its URL (Pelican's "hidden": in no listing, feed or kiosk),
            # as a notice-only page: see theme/templates/withdrawn.html.
            out.update(status="hidden", withdrawn=True, template="withdrawn")
        if reading.state == SCHEDULED:
            out["status"] = "draft"  # written to drafts/, listed nowhere, until its day
        return out
