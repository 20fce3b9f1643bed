"""Items read ahead on a second core: before Pelican reads the articles one by one, a forked
process starts reading every second file with the same reader (newsdesk's `read_item`) and
hands each reading back through a pipe, in the order Pelican asks for them. This process reads
the others and does Pelican's own work on every one meanwhile (with two files in three read
ahead, this process waited for them; at 4,000 items, reading half each ends about 0.3 s sooner).

Why a fork: the reader needs the vocabulary, the settings and today, which the fork shares as
they are. A reading is data (text, metadata, problems) and comes back pickled; its communes
are the vocabulary's own objects again. The reading of a file is the one this process would
make (`read_item` is a function of the file and the run's reading context), so the build is
the same either way (tests compare a build on one process with one on two). If the other
process fails, this one reads what is left itself.

Used when RENDER_PROCESSES allows more than one process and there are READ_AHEAD_MIN_FILES
(setting, default 60) files or more.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path

from newsdesk.content.item_reader import ItemReading, ReadContext, read_item
from newsdesk.content.paths import inside_content
from newsdesk.content.vocabulary import Commune

READ_AHEAD_MIN_FILES = 60  # fewer: the fork costs more than it saves


class ReadAhead:
    """Readings of `paths` made by a forked process (every second one: `theirs`)."""

    def __init__(self, paths: list[str], reading: ReadContext, content_root: str):
        theirs = [path for number, path in enumerate(paths) if number % 2]
        self.theirs, self.arrived = set(theirs), {}
        self.places = {place: place for place in reading.vocabulary.places}
        for shared in ("root", "checker", "cache", "body_shaping"):  # made once, for both
            getattr(reading, shared)
        readable, writable = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(readable)
            _read_into(writable, theirs, reading, content_root)
        os.close(writable)
        self.pipe = os.fdopen(readable, "rb")

    def take(self, path: str) -> ItemReading | None:
        """The reading of `path` if the other process makes it (waiting for it), else None:
        then this process reads the file itself."""
        if path not in self.theirs:
            return None
        while path not in self.arrived and self.pipe is not None:
            try:
                found, reading = pickle.load(self.pipe)
            except Exception:  # the other process ended early: read the rest here
                self.close()
                break
            self.arrived[found] = reading
        reading = self.arrived.pop(path, None)
        if reading is not None:
            reading.metadata = {key: self._own_places(value)
                                for key, value in reading.metadata.items()}
        return reading

    def _own_places(self, value):
        if isinstance(value, list):
            return [self._own_places(v) for v in value]
        return self.places.get(value, value) if isinstance(value, Commune) else value

    def __del__(self):  # a build that failed before the articles were all read
        self.close()

    def close(self) -> None:
        """Stop the other process (it may still be writing) and wait for it."""
        if self.pipe is not None:
            self.pipe.close()
            self.pipe = None
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)


def _read_into(writable: int, paths: list[str], reading: ReadContext, content_root: str):
    """In the forked process: read each path and write (path, reading) to the pipe, then end
    without running anything of the parent's (exit handlers, temporary folders, locks)."""
    status = 1
    try:
        with os.fdopen(writable, "wb") as pipe:
            for path in paths:
                if inside_content(path, content_root) is not None:  # else the reader refuses it
                    pickle.dump((path, read_item(Path(path), reading)), pipe,
                                protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    finally:
        os._exit(status)

