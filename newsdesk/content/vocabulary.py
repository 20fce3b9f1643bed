"""The one loader of data/vocabulary.toml: communes, the district, fields, content types and
the plans whose targets the progress pages count against ([[plans]]).

Everything that needs a commune or a content type (plugins, templates, checks, `invoke new`,
tests) asks a `Vocabulary` for it; nothing keeps a second list.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk import project
from newsdesk.content import dates
from newsdesk import site_data
from newsdesk.content.text import fold, nfc, slug

DEFAULT_PATH = project.VOCABULARY
# URL patterns of the section and plan progress pages (settings of the same names;
# pelicanconf.py states them, docs/duong-dan.md lists them): used when a vocabulary is loaded
# without settings.
URL_DEFAULTS = {"COMMUNE_URL": "dia-ban/{slug}/", "CONTENT_TYPE_URL": "{key}/",
                "PLAN_PROGRESS_URL": "tien-do/{slug}/"}
FIELD_KINDS = {"text", "date", "commune", "communes", "type", "list", "status", "id", "slug",
               "file", "url", "video", "audio", "number", "audience", "handbook", "choice"}


class VocabularyError(Exception):
    """The vocabulary file itself is wrong; the message (Vietnamese) lists every problem, one
    a line ("file:line: message"); `problems` holds them as (line, message), 0 for no line."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]):
        self.path, self.problems = path, problems
        super().__init__("\n".join(f"{path}:{line}: {message}" if line else f"{path}: {message}"
                                   for line, message in problems))

    def add_to(self, report, hint: str) -> None:
        """Each problem a line of a build's or check's report."""
        for line, message in self.problems:
            report.add(self.path, line, message, hint)


@dataclass(frozen=True)
class Commune:
    """A commune-level unit (or the district-wide pseudo-commune) as the registry states it."""

    name: str
    kind: str
    slug: str
    code: str = ""
    flags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    successor: str = ""
    merged_on: dt.date | None = None
    established_on: dt.date | None = None  # a unit formed by a merge may reuse an old name
    district_wide: bool = False
    url_pattern: str = field(default=URL_DEFAULTS["COMMUNE_URL"], compare=False, repr=False)

    @property
    def full_name(self) -> str:
        """Name with its kind, as a reader says it: "xã Đồng Nơ", "thị trấn Tân Khai"."""
        return self.name if self.district_wide else f"{self.kind} {self.name}"

    @property
    def url(self) -> str:
        """The commune's page, relative to the site (setting COMMUNE_URL)."""
        return self.url_pattern.format(slug=self.slug)

    def is_current(self, on: dt.date) -> bool:
        """True while the unit exists: from its establishment until its merge, if any."""
        return ((self.established_on is None or on >= self.established_on)
                and (self.merged_on is None or on < self.merged_on))

    def overlaps(self, other: Commune) -> bool:
        """Whether the two units ever existed on the same day."""
        start = max(self.established_on or dt.date.min, other.established_on or dt.date.min)
        end = min(self.merged_on or dt.date.max, other.merged_on or dt.date.max)
        return start < end

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Field:
    """One metadata line an editor may write (`Title:`, `Image:`...)."""

    key: str
    label: str
    kind: str
    help: str = ""
    extensions: tuple[str, ...] = ()
    # The only values allowed: a number field's (Fold: 1 or 3), a choice field's (Lang: vi).
    choices: tuple[int | str, ...] = ()


@dataclass(frozen=True)
class ContentType:
    """A kind of item (tin-bai, infographic...) with the fields it requires and allows."""

    key: str
    name: str
    plural: str
    description: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    body_required: bool = False  # the body is part of the item (an infographic's text version)
    radio: bool = False  # for commune radio: a player and a script; with audio, in the podcast
    printed: bool = False  # a leaflet: an A4 PDF is made of it, so its pictures must be local
    default: bool = False  # the type of an item without a Type: line
    url_pattern: str = field(default=URL_DEFAULTS["CONTENT_TYPE_URL"], compare=False, repr=False)

    @property
    def url(self) -> str:
        """The type's listing page, relative to the site (setting CONTENT_TYPE_URL)."""
        return self.url_pattern.format(key=self.key)

    @property
    def allowed(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True)
class Office:
    """The office that issues the column ([office]): the contact lines of the contact page,
    leaflets and the kiosk. An empty value is a line left out, never a placeholder."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    hours: str = ""

    @property
    def phone_uri(self) -> str:
        """"tel:" link of the phone number ("(0271) 3.xxx" -> "tel:0271xxx"), "" without one."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""


@dataclass(frozen=True)
class Plan:
    """A plan ([[plans]]): its number, date, period and targets by content type.

    `audience_targets` are the handbooks due per audience (one each unless the file says
    otherwise); `copies` the printed copies due per type (leaflets: summed from Copies:)."""

    number: str
    title: str
    issued: dt.date
    start: dt.date
    end: dt.date
    targets: dict[str, int]
    audience_targets: dict[str, int] = field(default_factory=dict)
    copies: dict[str, int] = field(default_factory=dict)
    url_pattern: str = field(default=URL_DEFAULTS["PLAN_PROGRESS_URL"], compare=False,
                             repr=False)

    @property
    def short(self) -> str:
        """"288" of "288/KH-UBND": what `invoke report --plan` takes."""
        return self.number.split("/")[0].strip()

    @property
    def slug(self) -> str:
        """"288-kh-ubnd-2023": numbers restart every year, so the year is part of it."""
        return f"{slug(self.number)}-{self.issued.year}"

    @property
    def url(self) -> str:
        """The plan's progress page, relative to the site (setting PLAN_PROGRESS_URL)."""
        return self.url_pattern.format(slug=self.slug)

    def target_of(self, type_key: str) -> int | None:
        return self.targets.get(type_key)


@dataclass
class Vocabulary:
    district: dict
    district_wide: Commune
    communes: list[Commune]
    fields: dict[str, Field]
    types: dict[str, ContentType]
    flags: dict[str, str]
    office: Office
    _by_key: dict[str, list[Commune]] = field(default_factory=dict, repr=False)
    audiences: dict[str, str] = field(default_factory=dict)  # handbook readers: key -> name
    plans: list[Plan] = field(default_factory=list)  # [[plans]], in the file's order

    @property
    def places(self) -> list[Commune]:
        """The district-wide pseudo-commune first, then every commune of the registry."""
        return [self.district_wide, *self.communes]

    @property
    def default_type(self) -> str:
        return next((t.key for t in self.types.values() if t.default), "")

    @property
    def radio_types(self) -> list[ContentType]:
        """The types that go out to commune radio (radio = true), in the file's order."""
        return [t for t in self.types.values() if t.radio]

    def is_radio(self, item) -> bool:
        ctype = self.types.get(getattr(item, "type", None) or "")
        return bool(ctype and ctype.radio)

    def current_communes(self, on: dt.date) -> list[Commune]:
        """The communes a reader may pick on `on` (merged ones left out)."""
        return [c for c in self.communes if c.is_current(on)]

    def commune_by_slug(self, slug_: str) -> Commune | None:
        return next((c for c in self.places if c.slug == slug_), None)

    def find_place(self, name: str, on: dt.date | None = None) -> Commune | None:
        """The commune an editor means, whatever the case, diacritics or Unicode form.

        Names are no key on their own: after a merge a new unit may take an old unit's name,
        so the unit that existed `on` the item's date is the one meant (default: today).
        """
        candidates = self._by_key.get(_match_key(name), [])
        if len(candidates) < 2:
            return candidates[0] if candidates else None
        on = on or dates.today()
        return next((c for c in candidates if c.is_current(on)), candidates[-1])

    def suggest_place(self, name: str) -> str | None:
        """The registry name closest to a misspelt one, for the error message."""
        return _closest(_match_key(name), {fold(c.name): c.name for c in self.places})

    def suggest_type(self, key: str) -> str | None:
        return _closest(fold(key), {fold(k): k for k in self.types}, cutoff=0.5)

    def suggest_field(self, key: str) -> str | None:
        """The field `key` misspells: one or two letters added, left out or changed."""
        return _within_two_letters(key.lower(), self.fields)

    @property
    def audience_type(self) -> str:
        """The type counted per audience (handbooks): the one whose fields hold an audience."""
        return next((t.key for t in self.types.values()
                     if any(self.fields.get(f) and self.fields[f].kind == "audience"
                            for f in t.allowed)), "")

    def find_plan(self, wanted: str) -> list[Plan]:
        """The plans `wanted` names: "288", "288/KH-UBND" or a slug; "" names the newest."""
        if not wanted:
            return sorted(self.plans, key=lambda p: p.issued)[-1:]
        key = fold(wanted.strip())
        return [p for p in self.plans if key in (fold(p.short), fold(p.number), p.slug)]

    def successor_of(self, commune: Commune) -> Commune | None:
        return self.commune_by_slug(commune.successor) if commune.successor else None

    def type_fields(self, type_key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(required, allowed) field keys of a content type, the common ones included."""
        ctype = self.types[type_key]
        required = self.common_required + ctype.required
        return required, required + self.common_optional + ctype.optional

    common_required: tuple[str, ...] = ()
    common_optional: tuple[str, ...] = ()
    page_required: tuple[str, ...] = ()
    page_optional: tuple[str, ...] = ()

    def page_fields(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(required, allowed) field keys of a standalone page in content/pages/."""
        return self.page_required, self.page_required + self.page_optional


KIND_PREFIXES = ("thi tran ", "xa ", "huyen ")


def _match_key(name: str) -> str:
    key = fold(name)
    for prefix in KIND_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def _closest(key: str, candidates: dict[str, str], cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(key, list(candidates), n=1, cutoff=cutoff)
    return candidates[found[0]] if found else None


def _within_two_letters(word: str, candidates) -> str | None:
    """The candidate nearest `word`, when at most two letters apart (difflib's longest matching
    blocks stand in for an edit distance) and sharing at least three."""
    def edits(candidate: str) -> tuple[int, int]:
        blocks = difflib.SequenceMatcher(None, word, candidate).get_matching_blocks()
        shared = sum(block.size for block in blocks)
        return max(len(word), len(candidate)) - shared, -shared
    near = sorted((edits(c), c) for c in candidates if c != word)
    return next((c for (apart, shared), c in near if apart <= 2 and -shared >= 3), None)


def for_settings(settings) -> Vocabulary:
    """The vocabulary a Pelican build uses (setting VOCABULARY_PATH, else data/vocabulary.toml),
    its pages at the build's COMMUNE_URL and CONTENT_TYPE_URL."""
    return load(*source_of(settings))


def source_of(settings) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(file, the settings it depends on) of the vocabulary these settings name: plain values
    to load it by. Those settings are the URL patterns of its pages and SITE_FOLDERS, the
    folders the site itself writes (a type, commune or audience may not take one's name)."""
    urls = tuple((name, settings.get(name) or default) for name, default in URL_DEFAULTS.items())
    return (str(settings.get("VOCABULARY_PATH") or DEFAULT_PATH),
            (*urls, (SITE_FOLDERS, " ".join(sorted(site_folders(settings))))))


SITE_FOLDERS = "SITE_FOLDERS"
# Settings whose values are paths of the site: each of their fixed folder names is the site's.
_PATH_SETTING = re.compile(r"(_URL|_SAVE_AS|_OUTPUT_DIR|^THEME_STATIC_DIR|^FEEDS_PATH)$")
# Folders no setting names: the search index (plugins/search BUNDLE_DIR; the theme's scripts
# load it by this name).
UNSET_FOLDERS = ("pagefind",)


def site_folders(settings) -> frozenset[str]:
    """Every fixed folder name in the site's own paths ("kiosk", "nguon-tin", "dia-ban",
    "tim-kiem"...): a page, type, commune or audience named so would write into one of them."""
    names = set(UNSET_FOLDERS)
    for key, value in settings.items():
        if isinstance(value, str) and _PATH_SETTING.search(key) and "://" not in value:
            names.update(part for part in value.split("/")
                         if part and "{" not in part and "." not in part)
    return frozenset(names)


def _site_folder_problems(vocabulary: Vocabulary, folders: list[str],
                          lines: _KeyLines) -> list[tuple[int, str]]:
    """A type, commune or audience key written where the site keeps its own folder would mix
    its pages with that folder's (or overwrite them)."""
    named = [*((f"loại nội dung (key) \"{k}\"", k, lines.line("types", i, "key"))
               for i, k in enumerate(vocabulary.types)),
             (f"slug \"{vocabulary.district_wide.slug}\" của {vocabulary.district_wide.name}",
              vocabulary.district_wide.slug, lines.line("district", 0, "wide_slug")),
             *((f"slug \"{c.slug}\" của {c.full_name}", c.slug, lines.line("communes", i, "slug"))
               for i, c in enumerate(vocabulary.communes)),
             *((f"đối tượng đọc \"{k}\" trong [audiences]", k, lines.line("audiences", 0, k))
               for k in vocabulary.audiences)]
    return [(line, f"{said} trùng tên thư mục riêng của trang web (/{key}/); hãy đặt tên khác. "
                   "Các tên đã dùng: " + ", ".join(folders) + ".")
            for said, key, line in named if key in folders]


def load(path: str | Path = DEFAULT_PATH,
         urls: tuple[tuple[str, str], ...] = tuple(URL_DEFAULTS.items())) -> Vocabulary:
    """Read and check the vocabulary file; raise VocabularyError listing every problem."""
    path = Path(path).resolve()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as error:
        raise VocabularyError(path, [(0, f"không đọc được tệp từ vựng ({error}).")]) from None
    site = site_data.default_path()
    try:
        site_stamp = site.stat().st_mtime_ns
    except OSError:
        site_stamp = 0
    return _load(path, stamp, urls, site, site_stamp)


@functools.lru_cache(maxsize=8)
def _load(path: Path, stamp: int, urls: tuple[tuple[str, str], ...], site: Path,
          site_stamp: int) -> Vocabulary:
    """Parse once per version of the files (a preview server sees edits at once); the office's
    contact lines written by `invoke setup-site` (data/site.toml) fill in [office]."""
    try:  # utf-8-sig: Windows Notepad starts the file with a byte-order mark
        text = nfc(path.read_text(encoding="utf-8-sig"))
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise VocabularyError(path, [(0, f"không đọc được tệp từ vựng ({error}).")]) from None
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column \d+\)", str(error))
        raise VocabularyError(path, [(
            int(where[1]) if where else 0,
            f"sai cú pháp TOML ({str(error)}): xem lại dòng này, mỗi dòng dạng "
            "khóa = \"giá trị\" và chữ trong ngoặc kép.")]) from None
    lines = _KeyLines(text)
    shape = _shape_problems(raw, _FILE, lines)
    if shape:
        raise VocabularyError(path, shape)
    if isinstance(raw.get("office"), dict):
        raw["office"] = {**raw["office"], **site_data.office_overlay(site_data.load(site))}
    problems: list[str] = []
    settings = dict(urls)
    vocabulary = _build(raw, problems, settings)
    clashes = _site_folder_problems(vocabulary, settings.get(SITE_FOLDERS, "").split(), lines)
    if problems or clashes:
        raise VocabularyError(path, [(0, p) for p in problems] + clashes)
    return vocabulary


# -- the file's shape: every table and key with the type of its value --------------------------
@dataclass(frozen=True)
class Shape:
    """What one value of the file must be: its TOML types, said in Vietnamese; a list's items or
    a table's values (`each`); a table's known keys and those it must have."""

    types: tuple[type, ...]
    said: str
    each: Shape | None = None
    keys: dict[str, Shape] | None = None
    required: tuple[str, ...] = ()

    def fits(self, value) -> bool:
        return type(value) in self.types  # exactly: true is no number, a date-time no date


TEXT = Shape((str,), "một dòng chữ trong ngoặc kép")
TEXTS = Shape((list,), "một danh sách chữ trong ngoặc vuông, ví dụ [\"a\", \"b\"]", TEXT)
CHOICES = Shape((list,), "một danh sách trong ngoặc vuông, ví dụ [1, 3] hoặc [\"vi\"]",
                Shape((int, str), "một số hoặc một dòng chữ"))
YES_NO = Shape((bool,), "true hoặc false")
DAY = Shape((dt.date, str), "một ngày dạng YYYY-MM-DD")


def _table(keys: dict[str, Shape], required: tuple[str, ...] = ()) -> Shape:
    return Shape((dict,), "một bảng (khối [tên] với các dòng khóa = giá trị)", keys=keys,
                 required=required)


def _blocks(name: str, keys: dict[str, Shape], required: tuple[str, ...] = ()) -> Shape:
    return Shape((list,), f"các khối [[{name}]], mỗi mục một khối",
                 Shape((dict,), f"một khối [[{name}]]", keys=keys, required=required))


_FILE = _table({
    "district": _table({"name": TEXT, "kind": TEXT, "province": TEXT, "wide_name": TEXT,
                        "wide_slug": TEXT, "aliases": TEXTS}),
    "communes": _blocks("communes", {
        "name": TEXT, "kind": TEXT, "slug": TEXT, "code": Shape((str, int), "mã số hoặc chữ"),
        "flags": TEXTS, "aliases": TEXTS, "successor": TEXT, "merged_on": DAY,
        "established_on": DAY}, required=("name",)),
    "flags": Shape((dict,), "một bảng [flags] (khóa = \"tên nhãn\")", TEXT),
    "audiences": Shape((dict,), "một bảng [audiences] (khóa = \"tên đối tượng\")", TEXT),
    "fields": Shape((dict,), "các bảng [fields.<tên trường>]", _table({
        "label": TEXT, "kind": TEXT, "help": TEXT, "extensions": TEXTS, "choices": CHOICES},
        required=("kind",))),
    "common": _table({"required": TEXTS, "optional": TEXTS}),
    "pages": _table({"required": TEXTS, "optional": TEXTS}),
    "types": _blocks("types", {
        "key": TEXT, "name": TEXT, "plural": TEXT, "description": TEXT, "required": TEXTS,
        "optional": TEXTS, "body_required": YES_NO, "radio": YES_NO, "print": YES_NO,
        "default": YES_NO}, required=("key",)),
    # [office] and [[plans]] say more than their types: _office and _plans check them.
})
_BLOCKS = tuple(name for name, shape in _FILE.keys.items() if shape.each and shape.each.keys)
_KIND_OF = {str: "một dòng chữ", int: "một số", float: "một số", bool: "true/false",
            list: "một danh sách", dict: "một bảng", dt.date: "một ngày",
            dt.datetime: "một ngày giờ", dt.time: "một giờ"}


def _shape_problems(value, shape: Shape, lines: _KeyLines, table: str = "", index: int = 0,
                    key: str = "") -> list[tuple[int, str]]:
    """Every value that is not of its shape, as (line, message naming the key): `value` is
    written at `key` of the table `table` (the `index`-th block of an array of tables)."""
    if not shape.fits(value):
        return [(lines.line(table, index, key),
                 f"{_where(table, index, key)}: phải là {shape.said}, đang là "
                 f"{_KIND_OF.get(type(value), type(value).__name__)} ({_shown(value)}).")]
    problems = []
    if isinstance(value, list) and shape.each and shape.each.keys is not None:
        for number, block in enumerate(value):  # [[key]]: blocks, each a table of its own
            problems += _shape_problems(block, shape.each, lines, key, number)
    elif isinstance(value, list) and shape.each:
        problems += [(lines.line(table, index, key), f"{_where(table, index, key)}: mục "
                      f"{_shown(item)} phải là {shape.each.said}.")
                     for item in value if not shape.each.fits(item)]
    elif isinstance(value, dict):
        inside = ".".join(filter(None, [table, key]))
        problems += [(lines.line(inside, index, ""), f"{_where(inside, index, '')}: thiếu khóa "
                      f"{name} ({shape.keys[name].said}).")
                     for name in shape.required if name not in value]
        for name, item in value.items():
            inner = shape.each if shape.keys is None else shape.keys.get(name)
            if inner:
                problems += _shape_problems(item, inner, lines, inside, index, name)
    return problems


def _where(table: str, index: int, key: str) -> str:
    """"[[communes]] thứ 3, khóa aliases", "[district], khóa aliases", "khóa district"."""
    block = f"[[{table}]] thứ {index + 1}" if table in _BLOCKS else f"[{table}]" if table else ""
    return ", ".join(filter(None, [block, f"khóa {key}" if key else ""])) or "tệp"


def _shown(value) -> str:
    text = repr(value) if not isinstance(value, str) else f"\"{value}\""
    return text if len(text) <= 40 else text[:39] + "…"


class _KeyLines:
    """The line each key of a TOML text is written on, by its table and its block's number
    (tomllib keeps no positions); 0 when a key is written some other way (inline, dotted)."""

    _HEADER = re.compile(r"\s*\[(\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]")
    _KEY = re.compile(r"\s*[\"']?([A-Za-z0-9_-]+)[\"']?\s*=")

    def __init__(self, text: str):
        self._lines: dict[tuple[str, int, str], int] = {}
        table, index, blocks = "", 0, {}
        for number, line in enumerate(text.split("\n"), 1):
            header = self._HEADER.match(line)
            if header:
                table = header[2].replace(" ", "")
                index = blocks[table] = blocks.get(table, -1) + 1 if header[1] else 0
                self._lines.setdefault((table, index, ""), number)
                continue
            key = self._KEY.match(line)
            if key:
                self._lines.setdefault((table, index, key[1]), number)

    def line(self, table: str, index: int, key: str) -> int:
        return (self._lines.get((table, index, key)) or self._lines.get((table, index, ""))
                or self._lines.get(("", 0, table.split(".")[0]), 0))


def _build(raw: dict, problems: list[str], urls: dict[str, str]) -> Vocabulary:
    district = raw.get("district", {})
    district_wide = Commune(
        name=district.get("wide_name", "Toàn huyện"), kind="huyện",
        slug=district.get("wide_slug", "toan-huyen"),
        aliases=tuple(district.get("aliases", [])), district_wide=True,
        url_pattern=urls["COMMUNE_URL"])
    flags = dict(raw.get("flags", {}))
    communes = [_commune(entry, flags, problems, urls["COMMUNE_URL"])
                for entry in raw.get("communes", [])]
    fields = {key: _field(key, entry, problems) for key, entry in raw.get("fields", {}).items()}
    types = {entry["key"]: _type(entry, urls["CONTENT_TYPE_URL"])
             for entry in raw.get("types", [])}
    common, pages = raw.get("common", {}), raw.get("pages", {})
    vocabulary = Vocabulary(
        district=district, district_wide=district_wide, communes=communes, fields=fields,
        types=types, flags=flags, office=_office(raw.get("office"), problems),
        common_required=tuple(common.get("required", [])),
        common_optional=tuple(common.get("optional", [])),
        page_required=tuple(pages.get("required", [])),
        page_optional=tuple(pages.get("optional", [])),
        audiences={str(k): str(v) for k, v in raw.get("audiences", {}).items()})
    _index_names(vocabulary, problems)
    _check_references(vocabulary, problems)
    vocabulary.plans = _plans(raw.get("plans", []), vocabulary, problems,
                              urls["PLAN_PROGRESS_URL"])
    return vocabulary


def _date(entry: dict, key: str, problems: list[str]) -> dt.date | None:
    value = entry.get(key)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            problems.append(f"xã {entry.get('name', '')}: {key} phải là ngày dạng YYYY-MM-DD.")
            return None
    return value


def _commune(entry: dict, flags: dict, problems: list[str], url_pattern: str) -> Commune:
    name = entry.get("name", "")
    commune = Commune(
        name=name, kind=entry.get("kind", "xã"), slug=entry.get("slug") or slug(name),
        code=str(entry.get("code", "")), flags=tuple(entry.get("flags", [])),
        aliases=tuple(entry.get("aliases", [])), successor=entry.get("successor", ""),
        merged_on=_date(entry, "merged_on", problems),
        established_on=_date(entry, "established_on", problems), url_pattern=url_pattern)
    if not name:
        problems.append("một khối [[communes]] thiếu tên (name).")
    if commune.slug != slug(commune.slug):
        problems.append(f"xã {name}: slug \"{commune.slug}\" chỉ được gồm chữ không dấu, "
                        f"số và dấu gạch ngang (gợi ý: \"{slug(commune.slug)}\").")
    for flag in commune.flags:
        if flag not in flags:
            problems.append(f"xã {name}: nhãn \"{flag}\" không có trong [flags].")
    if bool(commune.successor) != bool(commune.merged_on):
        problems.append(f"xã {name}: cần ghi cả successor và merged_on khi xã được sáp nhập.")
    return commune


def _field(key: str, entry: dict, problems: list[str]) -> Field:
    if entry.get("kind") not in FIELD_KINDS:
        problems.append(f"trường {key}: kind \"{entry.get('kind')}\" không hợp lệ.")
    return Field(key=key, label=entry.get("label", key), kind=entry.get("kind", "text"),
                 help=entry.get("help", ""), extensions=tuple(entry.get("extensions", [])),
                 choices=tuple(entry.get("choices", [])))


OFFICE_KEYS = {"name": "tên cơ quan", "address": "địa chỉ", "phone": "số điện thoại",
               "email": "thư điện tử", "hours": "giờ làm việc"}
# The part after @ is a domain name by the same rule as every host the site names.
_EMAIL = re.compile(rf"[A-Za-z0-9._%+-]+@(?=[^.]+\.){site_data.HOST_NAME.pattern}", re.I)
_PHONE = re.compile(r"\+?[0-9(][0-9 .()-]{6,}[0-9]")


def office_problems(values: dict) -> list[str]:
    """What the build would say about these [office] values (`invoke setup-site` asks again)."""
    problems: list[str] = []
    _office(values, problems)
    return problems


def _office(entry, problems: list[str]) -> Office:
    """[office]: every value a one-line text; name required; phone and email well formed."""
    if not isinstance(entry, dict):
        problems.append("thiếu khối [office] (cơ quan thực hiện chuyên mục: name, address, "
                        "phone, email, hours).")
        return Office(name="")
    values = {}
    for key, value in entry.items():
        if key not in OFFICE_KEYS:
            problems.append(f"[office]: khóa \"{key}\" không có; chỉ dùng "
                            f"{', '.join(OFFICE_KEYS)}.")
        elif not isinstance(value, str) or "\n" in value:
            problems.append(f"[office]: {key} ({OFFICE_KEYS[key]}) phải là một dòng chữ "
                            "trong ngoặc kép.")
        else:
            values[key] = " ".join(value.split())
    if not values.get("name"):
        problems.append("[office]: thiếu name (tên cơ quan thực hiện chuyên mục).")
    if values.get("email") and not _EMAIL.fullmatch(values["email"]):
        problems.append(f"[office]: email \"{values['email']}\" không phải địa chỉ thư điện tử "
                        "(dạng ten@co-quan.gov.vn); để trống nếu chưa có.")
    if values.get("phone") and not _PHONE.fullmatch(values["phone"]):
        problems.append(f"[office]: phone \"{values['phone']}\" không phải số điện thoại (chỉ "
                        "gồm chữ số, khoảng trắng, dấu chấm, gạch ngang, ngoặc, dấu + ở đầu); "
                        "để trống nếu chưa có.")
    return Office(**{"name": "", **values})


def _type(entry: dict, url_pattern: str) -> ContentType:
    return ContentType(
        key=entry["key"], name=entry.get("name", entry["key"]),
        plural=entry.get("plural", entry.get("name", entry["key"])),
        description=entry.get("description", ""), required=tuple(entry.get("required", [])),
        optional=tuple(entry.get("optional", [])),
        body_required=bool(entry.get("body_required", False)),
        radio=bool(entry.get("radio", False)), printed=bool(entry.get("print", False)), default=bool(entry.get("default", False)),
        url_pattern=url_pattern)


def _index_names(vocabulary: Vocabulary, problems: list[str]) -> None:
    """Map every spelling to its units. Two units may share a name only if they never existed
    at the same time (a unit formed by a merge taking an old name); slugs are always unique."""
    owners: dict[str, list[Commune]] = {}
    slugs: dict[str, Commune] = {}
    for place in vocabulary.places:
        other = slugs.setdefault(place.slug, place)
        if other is not place:
            problems.append(f"\"{place.name}\" và \"{other.name}\" cùng slug \"{place.slug}\"; "
                            "hãy đặt slug khác cho một trong hai.")
        for key in dict.fromkeys(_match_key(spelling) for spelling in
                                 (place.name, place.slug, place.full_name, *place.aliases)):
            same = owners.setdefault(key, [])
            for other in same:
                if other.overlaps(place):
                    problems.append(
                        f"\"{place.name}\" và \"{other.name}\" trùng nhau khi bỏ dấu (\"{key}\"): "
                        "hai địa bàn cùng tồn tại không được có cùng tên không dấu; hãy đặt tên "
                        "khác, hoặc ghi ngày sáp nhập (merged_on) và ngày thành lập "
                        "(established_on) nếu đơn vị mới lấy lại tên cũ.")
            same.append(place)
    vocabulary._by_key = owners


def _check_references(vocabulary: Vocabulary, problems: list[str]) -> None:
    slugs = {c.slug for c in vocabulary.communes}
    for commune in vocabulary.communes:
        if commune.successor and commune.successor not in slugs:
            problems.append(f"xã {commune.name}: successor \"{commune.successor}\" "
                            "không phải slug của xã nào trong danh sách.")
    declared = [(f"loại {t.key}", t.allowed) for t in vocabulary.types.values()]
    declared += [("[common]", vocabulary.common_required + vocabulary.common_optional),
                 ("[pages]", vocabulary.page_fields()[1])]
    for owner, keys in declared:
        for key in keys:
            if key not in vocabulary.fields:
                problems.append(f"{owner}: trường \"{key}\" chưa khai báo trong [fields].")
    defaults = [t.key for t in vocabulary.types.values() if t.default]
    if len(defaults) != 1:
        problems.append("cần đúng một loại nội dung mặc định (default = true), đang có "
                        f"{len(defaults)}: {', '.join(defaults) or 'không có'}.")


# -- plans ------------------------------------------------------------------------------------
PLAN_KEYS = {"number", "title", "date", "start", "end", "targets", "audiences", "copies"}


def _plans(entries, vocabulary: Vocabulary, problems: list[str], url_pattern: str) -> list[Plan]:
    if not isinstance(entries, list):
        problems.append("plans phải là các khối [[plans]] (mỗi kế hoạch một khối).")
        return []
    plans = [_plan(entry, vocabulary, problems, url_pattern) for entry in entries]
    plans = [plan for plan in plans if plan]
    seen: dict[str, Plan] = {}
    for plan in plans:
        if seen.setdefault(plan.slug, plan) is not plan:
            problems.append(f"kế hoạch {plan.number}: có hai khối [[plans]] cùng số và cùng năm; "
                            "xóa một khối.")
    return plans


def _plan(entry, vocabulary: Vocabulary, problems: list[str], url_pattern: str) -> Plan | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("number"), str) \
            or not entry["number"].strip():
        problems.append("một khối [[plans]] thiếu number (số kế hoạch, ví dụ \"288/KH-UBND\").")
        return None
    number = " ".join(entry["number"].split())
    said = f"kế hoạch {number}"
    for key in entry:
        if key not in PLAN_KEYS:
            problems.append(f"{said}: khóa \"{key}\" không dùng được; chỉ dùng "
                            f"{', '.join(sorted(PLAN_KEYS))}.")
    days = {key: _plan_date(entry, key, said, problems) for key in ("date", "start", "end")}
    if days["start"] and days["end"] and days["end"] < days["start"]:
        problems.append(f"{said}: end ({days['end']:%d/%m/%Y}) trước start "
                        f"({days['start']:%d/%m/%Y}): thời gian thực hiện phải kết thúc sau "
                        "khi bắt đầu.")
    audience_type = vocabulary.audience_type
    targets = _counts(entry, "targets", said, problems, _known_type(vocabulary, audience_type))
    audiences = _counts(entry, "audiences", said, problems, _known_audience(vocabulary))
    copies = _counts(entry, "copies", said, problems, _printed_type(vocabulary))
    if None in days.values():
        return None
    if audience_type:  # one handbook per audience unless the file says otherwise
        audiences = {key: audiences.get(key, 1) for key in vocabulary.audiences}
    return Plan(number=number, title=str(entry.get("title", "")), issued=days["date"],
                start=days["start"], end=days["end"], targets=targets,
                audience_targets=audiences, copies=copies, url_pattern=url_pattern)


def _plan_date(entry: dict, key: str, said: str, problems: list[str]) -> dt.date | None:
    value = entry.get(key)
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        problems.append(f"{said}: {key} phải là một ngày dạng YYYY-MM-DD (ví dụ 2023-10-26).")
        return None
    return value


def _counts(entry: dict, table: str, said: str, problems: list[str], known) -> dict[str, int]:
    """[plans.<table>]: key = a whole number >= 0, each key checked by `known`."""
    raw = entry.get(table, {})
    if not isinstance(raw, dict):
        problems.append(f"{said}: {table} phải là một bảng [plans.{table}] (khóa = số).")
        return {}
    counts = {}
    for key, value in raw.items():
        unknown = known(key)
        if unknown:
            problems.append(f"{said}: [plans.{table}] {key}: {unknown}")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"{said}: [plans.{table}] {key} = {value!r} phải là một số "
                            "nguyên từ 0 trở lên (ví dụ 20).")
        else:
            counts[key] = value
    return counts


def _known_type(vocabulary: Vocabulary, audience_type: str):
    def check(key: str) -> str:
        if key == audience_type:
            return (f"loại {key} được tính theo đối tượng đọc: ghi số cho từng đối tượng "
                    "trong [plans.audiences] (mặc định mỗi đối tượng một cuốn).")
        if key in vocabulary.types:
            return ""
        hint = vocabulary.suggest_type(key)
        return ("loại nội dung không có trong [[types]]"
                + (f" (có phải \"{hint}\"?)." if hint else "."))
    return check


def _known_audience(vocabulary: Vocabulary):
    def check(key: str) -> str:
        return "" if key in vocabulary.audiences else "đối tượng đọc không có trong [audiences]."
    return check


def _printed_type(vocabulary: Vocabulary):
    def check(key: str) -> str:
        ctype = vocabulary.types.get(key)
        if ctype is None:
            return "loại nội dung không có trong [[types]]."
        return "" if "copies" in ctype.allowed else "loại này không có trường copies (số bản in)."
    return check
