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
asked to learn from each page as it renders: `note_pages`) come back to this process; a worker
that fails stops the build with its traceback, as a failing page would. From the moment
Pelican asks for the writer, each item's URLs are worked out once (`urls_worked_out_once`).
Before the queue renders, the pages an earlier render already made from the same inputs are
linked from it instead (newsdesk/site/render_memo.py); the others are rendered with what they
read recorded. In each process's share the pages come before the tasks; once every page is
written, in every process, the post-build steps that read only pages start
(`poststep.start_early`: the search index), while the feeds are still being written.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
import pickle
import sys
import traceback
from pathlib import Path
from typing import Callable

from pelican import Pelican
from pelican.contents import Content
from pelican.generators import ArticlesGenerator
from pelican.writers import FileOverwriteFailedError, Writer

from newsdesk.site import poststep, render_memo
from newsdesk.site.context import context_of
from newsdesk.site.taxonomy import TaxonomyArticlesGenerator

MIN_SHARE = 40  # pages a worker must have to be worth its fork
OWN_VALUES = 40  # a page's values apart from the shared context's, before it is copied again
_MISSING = object()


def _differing(context: dict, base: dict) -> dict:
    return {key: value for key, value in context.items() if base.get(key, _MISSING) is not value}


class QueuingPelican(Pelican):
    """Pelican whose writer queues pages, rendered once every generator has run."""

    def run(self):
        with contextlib.ExitStack() as self._until_done:
            super().run()

    def _get_writer(self):
        # Asked for once every generator has made its context: from here on no item changes,
        # so its URLs are worked out once while the generators queue pages, the queue renders
        # and `finalized` runs.
        self._until_done.enter_context(urls_worked_out_once())
        return QueuingWriter(self.output_path, settings=self.settings)

    def _get_generator_classes(self):
        # After the StaticGenerator (Pelican's last): every page has been queued by then, and
        # `finalized` (the kiosk's offline list, the sitemap...) sees every page written.
        classes = [TaxonomyArticlesGenerator if c is ArticlesGenerator else c
                   for c in super()._get_generator_classes()]
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


def later(writer, function: Callable, *args, weight: int = Task.weight) -> None:
    """Run `function(*args)` with the queued pages; at once with any other writer. `weight`:
    about how many pages' rendering it takes, for sharing out the queue."""
    if isinstance(writer, QueuingWriter):
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


class QueuingWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.queue: list[Page | Task] = []
        self._bases: dict[int, dict] = {}  # id of a shared context: its latest copy

    def write_file(self, name, template, context, *args, **kwargs):
        super().write_file(name, _QueuedTemplate(template, context, self), context, *args,
                           **kwargs)

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

    def _open_w(self, filename, encoding, override=False):
        """Pelican's rule for a file written twice (Writer._open_w), without opening it."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            return _Slot(self, None)  # the overriding page stays
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it '
                "previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
            self.queue = [p for p in self.queue if not (isinstance(p, Page) and p.path == filename)]
        self._written_files.add(filename)
        return _Slot(self, filename)

    def render_queued(self, pages_done: Callable[[], None] = lambda: None) -> None:
        """Render the queue: every page, then the tasks; `pages_done()` is called in this
        process once every page is written, in every process, before any task runs."""
        with urls_worked_out_once():
            self._render_queued(pages_done)

    def _render_queued(self, pages_done) -> None:
        pages, self.queue = self.queue, []
        context = context_of(self.settings)
        shown = str(context.shown_tree) if context.shown_tree else None
        notes = context.page_notes
        memo = render_memo.Memo.open(self.settings, context.render_frame, context.report)
        if memo is not None:
            try:
                rest = memo.keep(pages, notes)
                context.counts["pages kept"], pages = len(pages) - len(rest), rest
            except render_memo.Unhashable:
                memo = None  # every page renders, none is kept
        with render_memo.recording() if memo is not None else contextlib.nullcontext():
            work = sum(page.weight if isinstance(page, Task) else 1 for page in pages)
            workers = max(1, min(processes(self.settings, work), len(pages)))
            self._render_shares(pages, workers, shown, notes, memo, pages_done)
        if memo is not None:
            memo.save()

    def _render_shares(self, pages, workers, shown, notes, memo, pages_done) -> None:
        shares = _shares(pages, workers)  # in each, its pages come before its tasks
        if workers == 1:
            render(shares[0], self.output_path, shown, notes, memo, pages_done)
            return
        report = context_of(self.settings).report
        sys.stdout.flush()
        sys.stderr.flush()
        children = [_fork(share, self.output_path, shown, report, notes, memo)
                    for share in shares[1:]]

        def every_page_done():  # the workers' pages too: each says so on its own pipe
            for child in children:
                with contextlib.suppress(OSError):
                    os.read(child[2], 1)  # b"" when it ended early: its failure is joined
            pages_done()

        try:
            render(shares[0], self.output_path, shown, notes, memo, every_page_done)
        finally:  # never leave a worker behind, even when this share failed
            failures = [f for child in children if (f := _join(child, report, notes, memo))]
        if failures:
            raise RuntimeError("a render worker failed:\n" + failures[0])


def _shares(queue: list, workers: int) -> list[list]:
    """The queue shared out: pages in turn, then each task, heaviest first, to the lightest
    share (the open-data feed alone may weigh as much as all the other feeds)."""
    shares, loads = [[] for _ in range(workers)], [0] * workers
    pages = [entry for entry in queue if not isinstance(entry, Task)]
    for number, page in enumerate(pages):
        shares[number % workers].append(page)
        loads[number % workers] += 1
    for task in sorted((e for e in queue if isinstance(e, Task)), key=lambda t: -t.weight):
        lightest = loads.index(min(loads))
        shares[lightest].append(task)
        loads[lightest] += task.weight
    return shares


_PELICAN_GET_URL_SETTING = Content.get_url_setting
_worked_out: contextvars.ContextVar[dict | None] = contextvars.ContextVar("urls", default=None)


def _get_url_setting(content, key: str) -> str:
    """Pelican's, memoized in the thread (and forked workers) rendering a queue."""
    worked_out = _worked_out.get()
    if worked_out is None:
        return _PELICAN_GET_URL_SETTING(content, key)
    found = worked_out.get((id(content), key))
    if found is None:  # the content is kept with its URL, so that its id is not reused
        found = worked_out[id(content), key] = (content, _PELICAN_GET_URL_SETTING(content, key))
    return found[1]


@contextlib.contextmanager
def urls_worked_out_once():
    """While the queue renders, each content's URLs are worked out once. Pelican formats them
    again at every `url` (a copy of the metadata, a relative path), and the pages ask ~20,000
    times at 1,000 items; nothing changes an item once every generator has run. A context
    variable rather than a swapped method: the preview's builds may overlap in threads.
    Within another such block (QueuingPelican's, from its writer on), that block's memo."""
    Content.get_url_setting = _get_url_setting  # Pelican's own wherever no queue renders
    if _worked_out.get() is not None:
        yield
        return
    token = _worked_out.set({})
    try:
        yield
    finally:
        _worked_out.reset(token)


def processes(settings: dict, pages: int) -> int:
    """RENDER_PROCESSES; with 0, one per core when the pages are enough to gain by it."""
    wanted = int(settings.get("RENDER_PROCESSES") or 0)
    if wanted > 0:
        return max(1, min(wanted, pages))
    return max(1, min(len(os.sched_getaffinity(0)), pages // MIN_SHARE))


def render(pages: list[Page | Task], output: str = "", shown: str | None = None,
           notes: dict[str, PageNotes] | None = None,
           memo: render_memo.Memo | None = None,
           pages_done: Callable[[], None] | None = None) -> None:
    """Render and write each page into `output`; a page whose bytes the tree shown now
    (`shown`) already has is hard-linked from it instead (the swap keeps it, unread). Each
    PageNotes of `notes` notes the pages it wants. With a memo, each page is stored in it
    with what it read (inside render_memo.recording()). `pages_done()` is called before the
    first task (or at the end): the pages come first in a share."""
    notes = notes or {}
    for page in pages:
        if isinstance(page, Task):
            if pages_done is not None:
                pages_done, done = None, pages_done
                done()
            page.function(*page.args)
            continue
        context = page.context
        if context["localsiteurl"]:  # as Pelican's _write_file does before rendering
            page.shared["localsiteurl"] = context["localsiteurl"]
        problems = len(memo.report.problems) if memo is not None else 0
        with render_memo.touching(set()) as touched:
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
    if pages_done is not None:
        pages_done()


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


def _fork(pages: list[Page | Task], output: str, shown: str | None, report,
          notes: dict[str, PageNotes], memo: render_memo.Memo | None) -> tuple[int, int, int]:
    """(pid, the pipe its answer comes on, the pipe a byte comes on once its pages are
    written) of a worker rendering `pages`."""
    reading, writing = os.pipe()
    done_reading, done_writing = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writing)
        os.close(done_writing)
        return pid, reading, done_reading
    os.close(reading)
    os.close(done_reading)
    status, answer, known = 1, {}, len(report.problems)
    kept = set(memo.new) if memo is not None else set()
    try:
        render(pages, output, shown, notes, memo, lambda: os.write(done_writing, b"."))
        answer = {"problems": report.problems[known:],
                  "notes": {name: kind.found for name, kind in notes.items()},
                  "memo": {path: record for path, record in (memo.new if memo else {}).items()
                           if path not in kept}}
        status = 0
    except BaseException:
        answer = {"failure": traceback.format_exc()}
    finally:
        try:
            with os.fdopen(writing, "wb") as pipe:
                pickle.dump(answer, pipe)
        finally:
            os._exit(status)  # never run the parent's exit handlers (temp folders, locks)


def _join(child: tuple[int, int, int], report, notes: dict[str, PageNotes],
          memo: render_memo.Memo | None) -> str | None:
    pid, reading, done = child
    os.close(done)
    with os.fdopen(reading, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    try:
        answer = pickle.loads(data)
    except Exception:
        answer = {}
    report.extend(answer.get("problems", []))
    for name, found in answer.get("notes", {}).items():
        notes[name].found.update(found)
    if memo is not None:
        memo.new.update(answer.get("memo", {}))
    if answer.get("failure"):
        return answer["failure"]
    return None if status == 0 else f"render worker {pid} ended with status {status}"
