"""The live preview's fast path: an item whose body, summary or title alone was edited, rendered
again from the last full build kept in memory (its generator, Jinja environment and context).

Only the item's web page is rendered; the full rebuild that follows writes every other page
that shows the item (listings, kiosk, search index, PDFs). Anything else returns None and the
preview rebuilds in full: a file that is not a published item of the last build, a change of
any other header field (date, status, communes, type, slug... which move the item in listings
and URLs; its URL comes from the file's name, never its title), a handbook part (its handbook
page is assembled from several files), or any problem the reader finds (the full build then
reports it on the problems page).

Plugins that change a body after reading (plugins/media: pictures and video players) connect to
`body_reread`, sent with the re-read item, so the page shows the body as the build would.
"""

from __future__ import annotations

import copy
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from blinker import signal
from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from newsdesk.content.problems import Report
from newsdesk.site.context import context_of

# Sent with (item) once the fast path re-read an item, before its page is rendered.
body_reread = signal("newsdesk-body-reread")
# Header fields whose change the fast path renders (they show on the item's own page only
# until the full rebuild has updated the listings). A title is the one-word fix editors make
# most; plugins that derive from it (the media plugin's players) run again at `body_reread`.
PAGE_FIELDS = {"summary", "title"}

_finished_generators: list = []  # those of the last Pelican run in this process


def _remember_generators(generators) -> None:
    _finished_generators[:] = list(generators)


def start_keeping() -> None:
    """Keep each Pelican run's generators (call once in the preview's process)."""
    signals.all_generators_finalized.connect(_remember_generators, weak=False)


@dataclass
class KeptBuild:
    """The articles generator of the last successful full build (context, templates, items)."""

    generator: object
    sources: dict = field(default_factory=dict)  # resolved source path -> published item

    def __post_init__(self):
        self.sources = {str(Path(a.source_path).resolve()): a for a in self.generator.articles}

    @classmethod
    def take(cls) -> KeptBuild | None:
        """The generators the last Pelican run left, or None when Pelican did not run."""
        found = [g for g in _finished_generators if isinstance(g, ArticlesGenerator)]
        _finished_generators.clear()
        return cls(found[0]) if found else None

    def item_of(self, path: Path):
        """The published item read from `path` in the last build, or None."""
        return self.sources.get(str(Path(path).resolve()))


def render_body_edit(kept: KeptBuild, path: Path) -> dict[str, bytes] | None:
    """{output path: page bytes} of the item read again from `path`, or None (full rebuild)."""
    old = kept.item_of(path)
    if old is None or "handbook_part" in old.metadata:
        return None
    new = _read_again(kept.generator, path)
    if new is None or _header(new.metadata) != _header(old.metadata):
        return None
    item = copy.copy(old)  # keeps what plugins added to it (radio files, cover, ...)
    item.__dict__.update(new.__dict__)
    body_reread.send(item)
    return {old.save_as: _render(kept.generator, item)}


def _header(metadata: dict) -> dict:
    return {key: value for key, value in metadata.items() if key not in PAGE_FIELDS}


def _read_again(generator, path: Path):
    """The item as the build reads it, or None when the reader found any problem."""
    context = context_of(generator.settings)
    kept_report, context.report = context.report, Report()
    try:
        item = generator.readers.read_file(
            base_path=generator.path, path=str(Path(path).resolve()), content_class=Article,
            context=generator.context)
    except Exception:  # the reader's AlreadyReported, or anything: the full build says why
        return None
    finally:
        problems, context.report = context.report.problems, kept_report
    return None if problems else item


def _render(generator, item) -> bytes:
    """The item's page as ArticlesGenerator.generate_articles writes it, read back from a
    scratch folder (never the output)."""
    settings = generator.settings
    with tempfile.TemporaryDirectory(prefix="newsdesk-preview-") as scratch:
        Writer(scratch, settings=settings).write_file(
            item.save_as, generator.get_template(item.template), generator.context,
            relative_urls=settings["RELATIVE_URLS"],
            override_output=hasattr(item, "override_save_as"), url=item.url,
            article=item, category=getattr(item, "category", None), blog=True)
        return (Path(scratch) / item.save_as).read_bytes()
