"""Pages kept from earlier renders: a queued page whose inputs are those of a page rendered
before is hard-linked from that render's bytes instead of rendered again.

A page's bytes are a function of (1) the frame: settings, templates, theme, plugins, code,
vocabulary, libraries and "today" (`unchanged.frame_parts`, everything but the content);
(2) its context: the values Pelican and the plugins hand the template, where each content
object (an item, a page, a static file) stands for itself by name only, so a list of items is
its names in order; (3) the state of every content object the render touched. A build records
(3) as it renders: while a page renders, every attribute read on any content object, by a
template, a filter or Python code it calls, marks that object touched. The page's key hashes
(1), (2), the names and states of what it touched last time, its template and its path. When
the key is the one stored for that path, the stored bytes are the bytes a render would give:
the render reads nothing else. So an edited body re-renders the pages that read that item
(its page, its kiosk copy, the listings that show it, its neighbours), not the ~2,800 others
at 1,000 items; an added, removed or re-dated item changes the lists in every context, and
every page renders again.

What it relies on, and what a change must keep true: nothing a page shows comes from outside
its context, the content objects and the frame (a filter reading a file of the content at
render time would have to be added to the frame); content objects are not changed once the
queue renders; and files of a built tree are never rewritten in place (trees share inodes with
the memo, as they do with each other: newsdesk/site/build.py).

Kept in RENDER_MEMO_DIR (default .cache/pages): `<frame>.pickle`, the records of one frame
(path -> names touched, key, size and mtime of the stored bytes, the page's notes), and
`bytes/<key>`, the stored bytes (hard links: a tree and the memo share them). A stored file
whose size or mtime changed is not used. The records of the KEEP_FRAMES newest frames are
kept, with their bytes. RENDER_MEMO = False renders every page. A value the context holds
that cannot be hashed (an unknown kind of object, a cycle, two content objects of one name)
turns the memo off for that build: pages are then rendered as usual. A page whose render
reported a problem is not kept, so that the next build reports it again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import hashlib
import os
import pickle
import re
import secrets
import tempfile
import types
from pathlib import Path, PurePath

from markupsafe import Markup
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from newsdesk import project
from newsdesk.disk_cache import link_read_only
from newsdesk.site.pelican_adapter import CONTENT_LINKS, own_values

DEFAULT_DIR = project.ROOT / ".cache" / "pages"
# Context values that change with every build and that no page shows: the staging folder and
# the build's own state. Kept out of a page's key when they are the settings' own values.
PER_BUILD = ("OUTPUT_PATH", "NEWSDESK_CONTEXT")
# Pelican's tables of content, filled in the order the files were read (which reading on two
# cores does not fix): pages look things up in them and never list them, so their order is
# not hashed.
UNORDERED = ("generated_content", "static_content", "staticfiles")
KEEP_FRAMES = 4
VERSION = b"render-memo 1"


class Unhashable(Exception):
    """A value of a kind the memo does not know how to hash."""


# --- hashing a context -------------------------------------------------------------------------

_ATOMS = (str, int, float, bool, bytes, type(None), dt.date, dt.time, dt.timedelta,
          dt.tzinfo, PurePath, enum.Enum, complex, range)


class Digests:
    """Stable hashes of one build's values, each container hashed once (the context is not
    changed while the queue renders, and it keeps every object alive, so ids stay valid)."""

    def __init__(self, settings: dict):
        self.settings = settings
        self._of: dict[int, bytes] = {}  # id -> part, for containers, objects and contents
        self._names: dict[int, str] = {}
        self._by_name: dict[str, object] = {}
        self._states: dict[int, bytes] = {}
        self._open: set[int] = set()
        self._alive: list = []  # what was hashed by id, kept so that no id is reused

    def of(self, value) -> bytes:
        """16 bytes standing for `value`: equal for equal values in any process."""
        return hashlib.blake2b(self._part(value), digest_size=16).digest()

    def of_fresh(self, container) -> bytes:
        """`of` a container made for this call, not kept (one a page, 20 MB at 4,000 items):
        the same 16 bytes, though its id may be another's once it is gone."""
        part = b"#" + hashlib.blake2b(b"".join(self._parts(container)), digest_size=16).digest()
        return hashlib.blake2b(part, digest_size=16).digest()

    def name(self, content) -> str:
        """A content object's name: its kind and source (and URL, for objects made from one
        source, such as a handbook's whole page). Two live objects of one name: Unhashable."""
        found = self._names.get(id(content))
        if found is None:
            data = own_values(content)
            found = "\0".join([type(content).__qualname__, str(data.get("source_path", "")),
                               str(data.get("override_save_as") or ""),
                               str(data.get("metadata", {}).get("slug", ""))])
            other = self._by_name.setdefault(found, content)
            if other is not content:
                raise Unhashable(f"two content objects named {found!r}")
            self._names[id(content)] = found
        return found

    def state(self, content) -> bytes:
        """A content object's own values (other content objects in them by name)."""
        found = self._states.get(id(content))
        if found is None:
            data = own_values(content)
            own = {k: v for k, v in data.items() if k not in CONTENT_LINKS}
            found = self._states[id(content)] = self.of_fresh(own)
        return found

    def states_of_met(self) -> None:
        """Hash the state of every content object met so far, and of those their states name
        (neighbours, translations): now, before any render could add to them."""
        done = 0
        while done < len(self._by_name):
            for content in list(self._by_name.values())[done:]:
                self.state(content)
                done += 1

    def known_state(self, content) -> bytes | None:
        return self._states.get(id(content))

    def state_by_name(self, name: str) -> bytes | None:
        content = self._by_name.get(name)
        return None if content is None else self._states.get(id(content))

    def _part(self, value) -> bytes:
        kind = type(value)
        if kind is str:
            return b"s" + value.encode("utf-8", "surrogatepass")
        key = id(value)
        found = self._of.get(key)  # what it holds is kept alive: no id is reused
        if found is not None:
            return found
        if kind is Markup:  # an item's body, kept for every item: its hash, not its bytes
            found = b"m" + hashlib.blake2b(value.encode("utf-8", "surrogatepass"),
                                           digest_size=16).digest()
        elif isinstance(value, _ATOMS):
            return b"a" + f"{kind.__module__}.{kind.__qualname__}:{value!r}".encode(
                "utf-8", "surrogatepass")
        elif isinstance(value, Content):
            found = b"c" + self.name(value).encode("utf-8", "surrogatepass")
        elif value is self.settings:
            found = b"S"
        else:
            if key in self._open:
                raise Unhashable(f"a cycle through a {kind.__qualname__}")
            self._open.add(key)
            try:
                found = b"#" + hashlib.blake2b(b"".join(self._parts(value)),
                                               digest_size=16).digest()
            finally:
                self._open.discard(key)
        self._of[key] = found
        self._alive.append(value)
        return found

    def _parts(self, value) -> list[bytes]:
        kind = type(value)
        parts = [f"{kind.__module__}.{kind.__qualname__}(".encode()]
        # dicts, lists and tuples make most of a context: framed inline, with no call a part
        if isinstance(value, dict):
            part = self._part
            for k, v in value.items():  # in order: a template iterating a dict sees it
                k, v = part(k), part(v)
                parts += (len(k).to_bytes(4, "big"), k, len(v).to_bytes(4, "big"), v)
        elif isinstance(value, (list, tuple)):
            part = self._part
            for element in value:
                element = part(element)
                parts += (len(element).to_bytes(4, "big"), element)
        elif isinstance(value, (set, frozenset)):
            parts += [_framed(part) for part in sorted(self._part(e) for e in value)]
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
            parts.append(f"{getattr(value, '__module__', '')}.{value.__qualname__}".encode())
            for cell in getattr(value, "__closure__", None) or ():
                parts.append(_framed(self._part(cell.cell_contents)))
            for default in getattr(value, "__defaults__", None) or ():
                parts.append(_framed(self._part(default)))
        elif isinstance(value, types.MethodType):
            parts += (_framed(self._part(value.__func__)), _framed(self._part(value.__self__)))
        elif isinstance(value, re.Pattern):
            parts += (_framed(self._part(value.pattern)), str(value.flags).encode())
        elif isinstance(value, URLWrapper):
            parts += (_framed(self._part(value.name)), _framed(self._part(value.slug)))
        elif dataclasses.is_dataclass(value) or hasattr(value, "__dict__") or hasattr(
                kind, "__slots__"):
            parts += self._object_parts(value)
        else:
            raise Unhashable(f"a value of kind {kind.__module__}.{kind.__qualname__}")
        parts.append(b")")
        return parts

    def _object_parts(self, value) -> list[bytes]:
        fields = dict(getattr(value, "__dict__", {}))
        for klass in type(value).__mro__:
            for slot in getattr(klass, "__slots__", ()):
                if slot not in ("__dict__", "__weakref__") and hasattr(value, slot):
                    fields[slot] = getattr(value, slot)
        if not fields and not dataclasses.is_dataclass(value):
            raise Unhashable(f"an object of kind {type(value).__qualname__} with no fields")
        return [_framed(k.encode()) + _framed(self._part(fields[k])) for k in sorted(fields)]


def _framed(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


# --- the memo ------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Record:
    """What the last render of a path read and gave."""

    touched: tuple[str, ...]  # names of the content objects it read
    key: str
    size: int
    mtime_ns: int
    notes: dict  # PageNotes name -> its note of these bytes


class Memo:
    """One build's use of the memo: pages kept (`keep`), then pages rendered (`note_render`,
    in whichever process rendered them), then the records saved (`save`)."""

    def __init__(self, folder: Path, frame: str, settings: dict, report):
        self.folder, self.frame, self.report = folder, frame, report
        self.output = os.path.normpath(settings["OUTPUT_PATH"])
        self.digests = Digests(settings)
        self.records = _load(folder / f"{frame}.pickle")
        self.new: dict[str, Record] = {}
        self._context_keys: dict[str, bytes] = {}
        self._bases: dict[int, bytes] = {}
        self._tables: dict[int, tuple] = {}  # id -> (table, its entries in order)

    @classmethod
    def open(cls, settings: dict, frame: str | None, report) -> Memo | None:
        """The memo of this frame, or None when RENDER_MEMO is off or the build has no frame
        (Pelican run outside newsdesk.site.build)."""
        if not frame or not settings.get("RENDER_MEMO", True):
            return None
        return cls(Path(settings.get("RENDER_MEMO_DIR") or DEFAULT_DIR), frame, settings, report)

    def keep(self, pages: list, notes: dict) -> list:
        """Link each page whose record still holds from its stored bytes; returns the rest of
        the queue (pages to render, tasks). Raises Unhashable when the context cannot be
        hashed (the caller then renders everything, unrecorded)."""
        keys = {page.path: self._context_key(page) for page in pages if hasattr(page, "own")}
        self.digests.states_of_met()
        rest = []
        for page in pages:
            key = keys.get(getattr(page, "path", None))
            if key is None or not self._link_kept(page.path, key, notes):
                rest.append(page)
        return rest

    def _place(self, path: str) -> str:
        """A page's path in the tree (records outlive the tree they were made in)."""
        return path[len(self.output) + 1:] if path.startswith(self.output + os.sep) else path

    def _context_key(self, page) -> bytes:
        found = self._context_keys[page.path] = hashlib.blake2b(
            VERSION + self.frame.encode() + _framed(self._place(page.path).encode())
            + _framed(str(getattr(page.template, "name", "")).encode())
            + self._shared_part(page.base)
            + self.digests.of_fresh(self._hashed_values(page.own)),
            digest_size=16).digest()
        return found

    def _shared_part(self, base: dict) -> bytes:
        found = self._bases.get(id(base))
        if found is None:
            found = self._bases[id(base)] = self.digests.of_fresh(self._hashed_values(base))
        return found

    def _hashed_values(self, context: dict) -> dict:
        """The context as its key hashes it: without PER_BUILD, the UNORDERED tables sorted."""
        settings = self.digests.settings
        kept = {k: v for k, v in context.items()
                if not (k in PER_BUILD and v is settings.get(k))}
        for name in UNORDERED:
            if isinstance(kept.get(name), (dict, list)):
                kept[name] = self._sorted(kept[name])
        return kept

    def _sorted(self, table: dict | list) -> list:
        found = self._tables.get(id(table))
        if found is None:
            entries = (sorted(table.items()) if isinstance(table, dict)  # keys: source paths
                       else sorted(table, key=self.digests.name))
            found = self._tables[id(table)] = (table, entries)  # the table kept: its id too
        return found[1]

    def _key(self, context_key: bytes, touched: tuple[str, ...]) -> str | None:
        """The page's key from the states of what it touched, or None when one is gone or was
        not hashed before the render."""
        hashed = hashlib.blake2b(context_key, digest_size=16)
        for name in touched:
            state = self.digests.state_by_name(name)
            if state is None:
                return None
            hashed.update(_framed(name.encode("utf-8", "surrogatepass")) + state)
        return hashed.hexdigest()

    def _link_kept(self, path: str, context_key: bytes, notes: dict) -> bool:
        record = self.records.get(self._place(path))
        if record is None or self._key(context_key, record.touched) != record.key:
            return False
        wanting = {name for name, kind in notes.items() if kind.wants(path)}
        if wanting != set(record.notes):
            return False
        stored = self.folder / "bytes" / record.key
        try:
            info = os.stat(stored)
            if (info.st_size, info.st_mtime_ns) != (record.size, record.mtime_ns):
                return False
            os.link(stored, path)
        except OSError:
            return False
        for name in wanting:
            notes[name].found[path] = record.notes[name]
        self.new[self._place(path)] = record
        return True

    def note_render(self, path: str, touched: set, notes: dict) -> None:
        """Store the page just rendered at `path` (bytes and record), unless it read a content
        object not hashed before the render."""
        names = []
        for content in touched:
            if self.digests.known_state(content) is None:
                return
            names.append(self.digests.name(content))
        touched_names = tuple(sorted(names))
        key = self._key(self._context_keys[path], touched_names)
        if key is None:
            return
        stored = self.folder / "bytes" / key
        fresh = stored.with_name(f".{key}.{secrets.token_hex(4)}")
        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            link_read_only(path, fresh)
            os.replace(fresh, stored)  # over a stored file changed since: these are the bytes
            info = os.stat(stored)
        except OSError:  # another file system: the page is simply not kept
            with contextlib.suppress(OSError):
                os.unlink(fresh)
            return
        self.new[self._place(path)] = Record(touched_names, key, info.st_size, info.st_mtime_ns,
                                {name: kind.found[path] for name, kind in notes.items()
                                 if path in kind.found})

    def save(self) -> None:
        """Write this frame's records (pages kept or rendered now); drop the stored bytes no
        record names any more, and the frames beyond the RENDER_MEMO_FRAMES newest."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.folder / f"{self.frame}.pickle",
                              pickle.dumps(self.new, protocol=pickle.HIGHEST_PROTOCOL))
            dropped = {r.key for r in self.records.values()} - {r.key for r in self.new.values()}
            frames = sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns,
                            reverse=True)
            for old in frames[KEEP_FRAMES:]:
                dropped |= {r.key for r in _load(old).values()}
                old.unlink()
            for key in dropped:
                with contextlib.suppress(OSError):
                    (self.folder / "bytes" / key).unlink()


def _load(path: Path) -> dict[str, Record]:
    try:
        with open(path, "rb") as file:
            records = pickle.load(file)
        return records if isinstance(records, dict) else {}
    except Exception:  # none yet, or unreadable: every page renders
        return {}


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
