"""Pages rendered on every core: Pelican's writer queues each page instead of rendering it at
once, and after the last generator the queue is shared out between this process and forked
workers (RENDER_PROCESSES, 0 for one per core), which render their share into the same tree.
A plugin queues other work the same way (`later`: the feeds, the image derivatives).

Why a fork and a queue rather than a pool: the templates' context is the whole site in memory
(items, their neighbours, the vocabulary), which a fork shares as it is, where a pool would
pickle it for every page. Everything a page needs is fixed before the queue is rendered: the
generators have all run, and the writer keeps each page's context as Pelican builds it
(its `localsiteurl`, which Pelican sets just before rendering, is kept with it and set again).
The bytes are those of the serial build (RENDER_PROCESSES = 1; a test compares the two).

A page whose bytes the tree `output` shows already has is hard-linked from that tree rather
than written: the swap then keeps it without reading it again (newsdesk.site.build).

A worker's problems (a template reporting to the build's report) and its notes (what a plugin
asked to learn from each page as it renders: `note_pages`; `note_marked`, the digest of each
page holding a marker, from which the post-build steps take their keys without reading the
pages again) come back to this process; a page written again later loses its notes; a worker
that fails in any way stops the build with its message (newsdesk/site/cores.py). Work queued
once the queue has rendered is done at once. From the moment Pelican asks for the writer, each
item's URLs are worked out once (`pelican_adapter.urls_worked_out_once`). Before the queue
renders, the pages an earlier render already made from the same inputs are linked from it
instead (newsdesk/site/render_memo.py); the others are rendered with what they read recorded.
Every page is written, in every process, before any task runs: then the post-build steps that
read only pages start (`poststep.start_early`: the search index), while the feeds are written.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
from pathlib import Path
from typing import Callable

from pelican.generators import ArticlesGenerator

from newsdesk.site import cores, pelican_adapter, poststep, render_memo
from newsdesk.site.context import context_of
from newsdesk.site.taxonomy import TaxonomyArticlesGenerator

MIN_SHARE = 40  # pages a worker must have to be worth its fork
OWN_VALUES = 40  # a page's values apart from the shared context's, before it is copied again
_MISSING = object()


def _differing(context: dict, base: dict) -> dict:
    return {key: value for key, value in context.items() if base.get(key, _MISSING) is not value}


class QueuingPelican(pelican_adapter.HookedPelican):
    """Pelican whose writer queues pages, rendered once every generator has run."""

    def run(self):
        with contextlib.ExitStack() as self._until_done:
            super().run()

    def make_writer(self):
        # Asked for once every generator has made its context: from here on no item changes,
        # so its URLs are worked out once while the generators queue pages, the queue renders
        # and `finalized` runs.
        self._until_done.enter_context(pelican_adapter.urls_worked_out_once())
        return QueuingWriter(self.output_path, settings=self.settings)

    def generator_classes(self, classes):
        # After the StaticGenerator (Pelican's last): every page has been queued by then, and
        # `finalized` (the kiosk's offline list, the sitemap...) sees every page written.
        classes = [TaxonomyArticlesGenerator if c is ArticlesGenerator else c for c in classes]
        return [*classes, RenderQueue]


class RenderQueue:
    """The last generator: renders what the writer queued."""

    def __init__(self, settings, output_path, **_):
        self.settings, self.output_path = settings, output_path

    def generate_output(self, writer):
        # The search index starts as soon as every page is written, before the feeds.
        if isinstance(writer, QueuingWriter):
            writer.render_queued(pages_done=self._start_early)
        else:
            self._start_early()

    def _start_early(self) -> None:
        poststep.start_early(Path(self.output_path), self.settings)


@dataclasses.dataclass(slots=True)
class Page:
    """A queued page. Its context (Pelican's localcontext, a copy of the shared context with
    the page's own values) is kept as `base`, a copy of the shared context that many pages
    share, and `own`, what differs: a full copy per page would hold about 6.5 KB, 70 MB for
    the 10,872 pages queued at 4,000 items."""

    template: object
    base: dict
    own: dict
    shared: dict  # the generators' shared context, whose `localsiteurl` Pelican sets
    path: str = ""

    @property
    def context(self) -> dict:
        return {**self.base, **self.own}


@dataclasses.dataclass
class Task:
    """Work queued with the pages, run by whichever process gets it."""

    function: Callable
    args: tuple
    weight: int = 10  # about how many pages' rendering it takes (a feed: 15-30 ms)


@dataclasses.dataclass
class PageNotes:
    """What a plugin learns from pages as they are rendered, in whichever process renders
    them, by page path: `note(data)` of each page whose path `wants` (the bytes are in memory
    then; reading the pages again after would be this process's work alone)."""

    wants: Callable[[str], bool]
    note: Callable[[bytes], object]
    found: dict = dataclasses.field(default_factory=dict)


def note_pages(settings, name: str, wants: Callable[[str], bool],
               note: Callable[[bytes], object]) -> PageNotes:
    """Have the queue note the pages `wants` (by their path in the output) as it renders them;
    the notes are in the returned PageNotes' `found` once the queue is rendered."""
    context_of(settings).page_notes[name] = notes = PageNotes(wants, note)
    return notes


def note_marked(settings, name: str, marker: bytes, within: int | None = None) -> None:
    """Have the queue note, for each HTML page, the digest of its bytes if they hold `marker`
    (in their first `within` bytes): what poststep.marked_pages(name) gives a step."""
    note_pages(settings, name, lambda path: path.endswith(".html"),
               functools.partial(poststep.marked_digest, marker=marker, within=within))


def later(writer, function: Callable, *args, weight: int = Task.weight) -> None:
    """Run `function(*args)` with the queued pages; at once with any other writer. `weight`:
    about how many pages' rendering it takes, for sharing out the queue."""
    if isinstance(writer, QueuingWriter) and not writer.direct:
        writer.queue.append(Task(function, args, weight))
    else:
        function(*args)


class _QueuedTemplate:
    """Stands for a template in Pelican's write_file: "rendering" makes a queued Page."""

    def __init__(self, template, shared: dict, writer: "QueuingWriter"):
        self.template, self.shared, self.writer = template, shared, writer

    def render(self, context: dict) -> Page:
        return Page(self.template, *self.writer.split(context, self.shared), self.shared)


class _Slot:
    """Stands for the file Pelican opens: "writing" a Page puts it in the queue."""

    def __init__(self, writer: "QueuingWriter", path: str | None):
        self.writer, self.path = writer, path

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False

    def write(self, page: Page) -> None:
        if self.path is not None:
            page.path = self.path
            self.writer.queue.append(page)


class QueuingWriter(pelican_adapter.SlotWriter):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.queue: list[Page | Task] = []
        self._bases: dict[int, dict] = {}  # id of a shared context: its latest copy

    def write_file(self, name, template, context, *args, **kwargs):
        if not self.direct:  # once the queue is rendered, pages are written at once
            template = _QueuedTemplate(template, context, self)
        super().write_file(name, template, context, *args, **kwargs)

    def slot(self, path: str | None) -> _Slot:
        return _Slot(self, path)

    def forget(self, path: str) -> None:
        """A page replaced by another (or written again once the queue has rendered): neither
        it nor what was noted of it stands."""
        self.queue = [p for p in self.queue if not (isinstance(p, Page) and p.path == path)]
        for kind in context_of(self.settings).page_notes.values():
            kind.found.pop(path, None)

    def split(self, context: dict, shared: dict) -> tuple[dict, dict]:
        """(base, own) with {**base, **own} == context: base the latest copy of `shared`,
        copied again when the page's context no longer derives from it in a few values."""
        base = self._bases.get(id(shared))
        if base is not None:
            own = _differing(context, base)
            kept = len(context) - sum(1 for key in own if key not in base)
            if kept == len(base) and len(own) <= OWN_VALUES:  # no key of base was dropped
                return base, own
        base = self._bases[id(shared)] = dict(shared)  # what `context` was copied from
        return base, _differing(context, base)

    def render_queued(self, pages_done: Callable[[], None] = lambda: None) -> None:
        """Render the queue: every page, then the tasks; `pages_done()` is called in this
        process once every page is written, in every process, before any task runs. From
        then on this writer writes at once, as Pelican's does: nothing queued late is lost."""
        self.direct = True  # from now on, as Pelican's writer
        with pelican_adapter.urls_worked_out_once():
            self._render_queued(pages_done)

    def _render_queued(self, pages_done) -> None:
        queue, self.queue = self.queue, []
        context = context_of(self.settings)
        shown = str(context.shown_tree) if context.shown_tree else None
        notes = context.page_notes
        memo = render_memo.Memo.open(self.settings, context.render_frame, context.report)
        if memo is not None:
            try:
                rest = memo.keep(queue, notes)
                context.counts["pages kept"], queue = len(queue) - len(rest), rest
            except render_memo.Unhashable:
                memo = None  # every page renders, none is kept
        pages = [entry for entry in queue if isinstance(entry, Page)]
        tasks = [entry for entry in queue if isinstance(entry, Task)]
        with pelican_adapter.reads_recorded() if memo is not None else contextlib.nullcontext():
            work = len(pages) + sum(task.weight for task in tasks)
            workers = max(1, min(processes(self.settings, work), len(queue)))
            self._in_shares(_shares(pages, workers), shown, notes, memo)
        pages_done()
        self._in_shares(_shares(tasks, workers), shown, notes, None)
        if memo is not None:
            memo.save()

    def _in_shares(self, shares: list[list], shown, notes, memo) -> None:
        """Render each share in its own process (the first here), and take back what the
        others found: the build's problems, the pages' notes, the memo's records."""
        report = context_of(self.settings).report

        def rendered(share: list) -> dict:
            known = len(report.problems)
            kept = set(memo.new) if memo is not None else set()
            render(share, self.output_path, shown, notes, memo)
            return {"problems": report.problems[known:],
                    "notes": {name: kind.found for name, kind in notes.items()},
                    "memo": {path: record for path, record in (memo.new if memo else {}).items()
                             if path not in kept}}

        shares = [share for share in shares if share]
        if not shares:
            return
        for answer in cores.share([functools.partial(rendered, share)
                                   for share in shares])[1:]:
            report.extend(answer["problems"])
            for name, found in answer["notes"].items():
                notes[name].found.update(found)
            if memo is not None:
                memo.new.update(answer["memo"])


def _shares(queue: list, workers: int) -> list[list]:
    """The queue shared out: pages in turn, then each task, heaviest first, to the lightest
    share (the open-data feed alone may weigh as much as all the other feeds)."""
    shares, loads = [[] for _ in range(workers)], [0] * workers
    for entry in sorted(queue, key=lambda e: -e.weight if isinstance(e, Task) else 0):
        lightest = loads.index(min(loads))
        shares[lightest].append(entry)
        loads[lightest] += entry.weight if isinstance(entry, Task) else 1
    return shares


def processes(settings: dict, work: int) -> int:
    """RENDER_PROCESSES; with 0, one per core when the work is enough to gain by it."""
    return cores.processes(int(settings.get("RENDER_PROCESSES") or 0), work, MIN_SHARE)


def render(pages: list[Page | Task], output: str = "", shown: str | None = None,
           notes: dict[str, PageNotes] | None = None,
           memo: render_memo.Memo | None = None) -> None:
    """Render and write each page into `output`, and run each task; a page whose bytes the
    tree shown now (`shown`) already has is hard-linked from it instead (the swap keeps it,
    unread). Each PageNotes of `notes` notes the pages it wants. With a memo, each page is
    stored in it with what it read (inside pelican_adapter.reads_recorded())."""
    notes = notes or {}
    for page in pages:
        if isinstance(page, Task):
            page.function(*page.args)
            continue
        context = page.context
        if context["localsiteurl"]:  # as Pelican's _write_file does before rendering
            page.shared["localsiteurl"] = context["localsiteurl"]
        problems = len(memo.report.problems) if memo is not None else 0
        with pelican_adapter.touching(set()) as touched:
            data = page.template.render(context).encode("utf-8")
        for kind in notes.values():
            if kind.wants(page.path):
                kind.found[page.path] = kind.note(data)
        if not (shown and _share(data, os.path.join(shown, os.path.relpath(page.path, output)),
                                 page.path)):
            with open(page.path, "wb") as file:
                file.write(data)
        if memo is not None and len(memo.report.problems) == problems:  # else: said again
            memo.note_render(page.path, touched, notes)


def _share(data: bytes, old: str, path: str) -> bool:
    """Hard-link `path` to `old`, the shown tree's file of the same place, if it holds `data`."""
    try:
        if os.stat(old).st_size != len(data):
            return False
        with open(old, "rb") as file:
            if file.read() != data:
                return False
        os.link(old, path)
        return True
    except OSError:  # no such page shown, or another file system: write it
        return False
