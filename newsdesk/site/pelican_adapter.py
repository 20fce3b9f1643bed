"""Every use this project makes of Pelican's (4.12.0) private names and every Pelican method it
replaces, in one place: tests/test_build_layer.py checks each against the installed Pelican,
so an upgrade that changes one fails there, loudly, rather than in a build.

- `HookedPelican`: Pelican whose writer and generator classes a subclass chooses
  (`Pelican._get_writer`, `Pelican._get_generator_classes`).
- `SlotWriter`: a Writer that decides itself what "opening" an output file gives
  (`Writer._open_w`), with Pelican's rule for a file written twice (`_written_files`,
  `_overridden_files`). Pelican's `content_written` signal then fires when the page is queued,
  before its file exists (no plugin of ours listens to it).
- `update_context`: `Generator._update_context`, after a generator replaced its lists.
- `body_of` / `set_body`: a content's HTML before Pelican's link replacement (`_content`).
- `CONTENT_LINKS`: the attributes by which a content object reaches the whole site.
- `patched`: a method replaced for a block only, put back when the last block using it ends
  (the preview's builds may overlap in threads): `urls_worked_out_once` and `reads_recorded`.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading

from pelican import Pelican
from pelican.contents import Content
from pelican.generators import Generator
from pelican.writers import FileOverwriteFailedError, Writer

PELICAN_VERSION = "4.12.0"  # the version these uses are checked against (requirements.txt)
CONTENT_LINKS = ("_context", "settings")


class HookedPelican(Pelican):
    """Pelican whose `make_writer()` and `generator_classes(classes)` a subclass overrides."""

    def make_writer(self) -> Writer:
        return super()._get_writer()

    def generator_classes(self, classes: list) -> list:
        return classes

    def _get_writer(self):
        return self.make_writer()

    def _get_generator_classes(self):
        return self.generator_classes(list(super()._get_generator_classes()))


class SlotWriter(Writer):
    """A Writer whose `write_file` gives what `slot(path)` returns where Pelican opens the
    file (path None: a page an overriding page replaced, to drop), unless `direct` is set."""

    direct = False

    def slot(self, path: str | None):
        raise NotImplementedError

    def forget(self, path: str) -> None:
        """A page replaced by an overriding one (`override_output`), or written once more."""

    def _open_w(self, filename, encoding, override=False):
        if self.direct:
            self.forget(filename)
            return super()._open_w(filename, encoding, override)
        # Pelican's rule for a file written twice (Writer._open_w), without opening it.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            return self.slot(None)  # the overriding page stays
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it '
                "previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
            self.forget(filename)
        self._written_files.add(filename)
        return self.slot(filename)


def update_context(generator: Generator, names: tuple[str, ...]) -> None:
    generator._update_context(names)


def body_of(content: Content) -> str:
    return content._content or ""


def set_body(content: Content, html: str) -> None:
    content._content = html


_patches: dict[tuple[type, str], list] = {}  # (class, name): [blocks using it, Pelican's own]
_patches_lock = threading.Lock()


@contextlib.contextmanager
def patched(cls: type, name: str, replacement):
    """`cls.name` is `replacement` while any such block lasts, then Pelican's own again."""
    key = (cls, name)
    with _patches_lock:
        entry = _patches.setdefault(key, [0, cls.__dict__.get(name)])
        entry[0] += 1
        setattr(cls, name, replacement)
    try:
        yield
    finally:
        with _patches_lock:
            entry[0] -= 1
            if not entry[0]:
                del _patches[key]
                if entry[1] is None:
                    delattr(cls, name)
                else:
                    setattr(cls, name, entry[1])


# --- each content's URLs worked out once ----------------------------------------------------

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
    """While it lasts, each content's URLs are worked out once. Pelican formats them again at
    every `url` (a copy of the metadata, a relative path), and the pages ask ~20,000 times at
    1,000 items; nothing changes an item once every generator has run. The memo is a context
    variable (the preview's builds may overlap in threads); within another such block, that
    block's memo."""
    with patched(Content, "get_url_setting", _get_url_setting):
        if _worked_out.get() is not None:
            yield
            return
        token = _worked_out.set({})
        try:
            yield
        finally:
            _worked_out.reset(token)


# --- which content objects a render reads -------------------------------------------------------

_touching: contextvars.ContextVar[set | None] = contextvars.ContextVar("touching", default=None)


def _recording_getattribute(content, name):
    touched = _touching.get()
    if touched is not None:
        touched.add(content)
    return object.__getattribute__(content, name)


def reads_recorded():
    """While it lasts, content objects note the renders that read them (`touching`). Only
    then: every attribute read on a content object pays for it."""
    return patched(Content, "__getattribute__", _recording_getattribute)


@contextlib.contextmanager
def touching(touched: set):
    """Add to `touched` every content object read until the block ends (in reads_recorded)."""
    token = _touching.set(touched)
    try:
        yield touched
    finally:
        _touching.reset(token)


def own_values(content: Content) -> dict:
    """A content object's attributes, read without recording it."""
    return object.__getattribute__(content, "__dict__")
