"""One build's context: the state a build (or an `invoke check`) shares, made once per run.

What it holds: the report every step adds to (`newsdesk.content.problems.Report`), "today" in
Asia/Ho_Chi_Minh (`--today` / NEWSDESK_TODAY, else Vietnam's clock: read once, by
`newsdesk.content.dates.today`), the vocabulary, the one reading context of the item reader,
and what plugins find for later steps: the counts of items and pages, the media state (plugins/media), the sitemap's dates and hidden URLs, the URL
history's current URLs. Nothing of this travels as its own key in Pelican's settings.

The one way in: `context_of(settings)`. Pelican hands plugins only its settings dict, its
generators and content objects, each of which carries the same settings (`pelican.settings`,
`generator.settings`, `content.settings`, `reader.settings`), so the context sits in that dict
under one key, CONTEXT_KEY. `newsdesk/site/build.py` and `newsdesk/editors/check.py` create it
before any plugin runs (`BuildContext.from_settings`) and put it there (`attach`); a Pelican run started
some other way (a test, a tool) gets one created on first use.

Worker processes (parallel builds) never receive the live context, which holds content objects
and a report: they receive `context.inputs`, a small picklable value (today, the vocabulary's
file and URL patterns), and call `BuildContext.create(inputs)` to get the same today and
vocabulary, with a fresh report of their own to send back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any

from newsdesk.content import dates, vocabulary
from newsdesk.content.item_reader import ReadContext
from newsdesk.content.problems import Report

CONTEXT_KEY = "NEWSDESK_CONTEXT"


@dataclass(frozen=True)
class ContextInputs:
    """Everything a context is made from: plain, picklable values (no live object)."""

    today: dt.date
    vocabulary_path: str
    urls: tuple[tuple[str, str], ...]

    @classmethod
    def from_settings(cls, settings) -> ContextInputs:
        """Read from Pelican's settings; raises dates.TodayError for a mistyped --today."""
        path, urls = vocabulary.source_of(settings)
        return cls(today=dates.today(settings.get("NEWSDESK_TODAY")), vocabulary_path=path,
                   urls=urls)


@dataclass
class BuildContext:
    """The state of one build; see the module docstring for how plugins reach it."""

    inputs: ContextInputs
    vocabulary: vocabulary.Vocabulary
    report: Report = field(default_factory=Report)
    counts: dict[str, int] = field(default_factory=dict)   # "items", "pages" (content_checks)
    media: Any = None                                      # plugins/media's MediaState
    sitemap_dates: dict[str, dt.datetime | None] = field(default_factory=dict)
    sitemap_hidden: set[str] = field(default_factory=set)
    current_urls: dict[str, str] = field(default_factory=dict)  # uid -> URL (url_history)
    reading: ReadContext | None = field(default=None, repr=False)  # set by attach()
    page_notes: dict[str, Any] = field(default_factory=dict)  # render_queue.note_pages
    shown_tree: Path | None = None  # the tree `output` shows: a page with its bytes is shared
    render_frame: str | None = None  # hash of all inputs but the content (render_memo)
    early_steps: Any = None  # poststep.EarlySteps of a build that runs its post-build steps

    @property
    def today(self) -> dt.date:
        return self.inputs.today

    @classmethod
    def create(cls, inputs: ContextInputs, report: Report | None = None) -> BuildContext:
        """A context from its inputs (in the build, or again in a worker process); raises
        vocabulary.VocabularyError when the vocabulary file is wrong."""
        return cls(inputs=inputs, report=report if report is not None else Report(),
                   vocabulary=vocabulary.load(inputs.vocabulary_path, inputs.urls))

    @classmethod
    def from_settings(cls, settings, report: Report | None = None) -> BuildContext:
        """A context for a run with these settings; raises dates.TodayError or
        vocabulary.VocabularyError (the caller turns them into report lines)."""
        return cls.create(ContextInputs.from_settings(settings), report)

    def attach(self, settings: MutableMapping) -> BuildContext:
        """Make this the context of the Pelican run that uses `settings`."""
        settings[CONTEXT_KEY] = self
        # One reading context per run: its checker and image settings are made once, not per file.
        self.reading = ReadContext(settings, self.vocabulary, self.today)
        return self


def context_of(settings: MutableMapping) -> BuildContext:
    """The context of the build these settings belong to: the one way plugins reach it."""
    context = settings.get(CONTEXT_KEY)
    if context is None:
        context = BuildContext.from_settings(settings).attach(settings)
    return context
