"""A plan's progress: published items counted against its targets ([[plans]] of the vocabulary).

`count(plan, entries, vocabulary, today)` is the one counting function: the progress page
(plugins/plan_progress), its CSV file and `invoke report` (newsdesk/editors/report.py) all show
its `Progress`, so their figures cannot differ. Its rules:

- only items of the publish set count (newsdesk/content/publish_set.publishes: published and
  hidden ones, hidden being published, just unlisted); drafts, withdrawn items and items dated
  after the build's today never do;
- an item counts on its counting day: a conference's Start when it has one, else its Date; a
  day outside the plan's period, or after today (a conference not yet held), does not count;
- an item with a `Handbook:` line (a chapter of a handbook made of several files) counts once
  per handbook, not once per file (`unit_key`);
- by commune, an item counts once in each commune it names; in the totals, once;
- handbooks count per audience; leaflets count as designs, and their Copies are summed against
  the plan's printed copies.

Entries come from either reading of an item: Pelican's articles in the build
(`entry_from_article`) or `read_item` in `invoke report` (`entry_from_reading`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from newsdesk import csv_file
from newsdesk.content import dates, publish_set
from newsdesk.content.item_reader import DRAFT, PUBLISHED, WITHDRAWN
from newsdesk.content.vocabulary import Plan, Vocabulary

# The table's sections, in the order the page, the CSV and the terminal show them.
BY_TYPE, BY_AUDIENCE, BY_COMMUNE, BY_QUARTER = ("Loại nội dung", "Cẩm nang theo đối tượng",
                                                "Địa bàn", "Quý")
COLUMNS = ("Bảng", "Mục", "Đã thực hiện", "Chỉ tiêu", "Tỷ lệ (%)")
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Entry:
    """What counting needs of one item file."""

    uid: str
    type: str
    places: tuple[str, ...]          # commune slugs, the Category first
    date: dt.datetime
    state: str
    start: dt.datetime | None = None
    copies: int | None = None
    audience: str = ""
    handbook: str = ""               # the handbook a chapter file belongs to

    @property
    def counting_day(self) -> dt.date:
        return dates.local(self.start or self.date).date()


@dataclass
class Row:
    """One line of the table: done against target (None: the plan sets no target)."""

    section: str
    key: str
    label: str
    done: int
    target: int | None = None

    @property
    def percent(self) -> int | None:
        """Whole percent reached, rounded down (90 % is not yet 100 %); None without a target."""
        if not self.target:
            return None
        return self.done * 100 // self.target

    def cells(self) -> list[str]:
        return [self.section, self.label, str(self.done),
                "" if self.target is None else str(self.target),
                "" if self.percent is None else str(self.percent)]


@dataclass
class Progress:
    plan: Plan
    today: dt.date
    rows: list[Row] = field(default_factory=list)

    def section(self, name: str) -> list[Row]:
        return [row for row in self.rows if row.section == name]

    def table(self) -> list[list[str]]:
        """The table as text cells, header first: what the CSV, JSON and terminal hold."""
        return [list(COLUMNS), *(row.cells() for row in self.rows)]


# -- entries -------------------------------------------------------------------------------------
def entry_from_reading(reading) -> Entry:
    """An item as `read_item` gives it (invoke report)."""
    meta = reading.metadata
    places = [meta.get("category"), *meta.get("communes", [])]
    return _entry(meta, meta.get("id", str(reading.path)), places, reading.state)


def entry_from_article(article) -> Entry:
    """An item as the build's reader gave it to Pelican (plugins/editor_markdown)."""
    meta = article.metadata
    if meta.get("withdrawn"):
        state = WITHDRAWN
    elif meta.get("status") == "draft":
        state = DRAFT  # Status: draft, or dated after today (the reader's "scheduled")
    else:
        state = meta.get("status", PUBLISHED)
    return _entry(meta, meta.get("uid", article.source_path), meta.get("communes", []), state)


def _entry(meta: dict, uid: str, places, state: str) -> Entry:
    return Entry(uid=str(uid), type=meta.get("type", ""),
                 places=tuple(dict.fromkeys(p.slug for p in places if p)),
                 date=meta["date"], state=state, start=meta.get("start"),
                 copies=meta.get("copies"), audience=meta.get("audience") or "",
                 handbook=str(meta.get("handbook") or ""))


# -- counting ------------------------------------------------------------------------------------
def unit_key(entry: Entry) -> str:
    """What counts once: a handbook (all its chapter files), else the item itself."""
    return f"handbook:{entry.handbook}" if entry.handbook else f"item:{entry.uid}"


def counts(entry: Entry, plan: Plan, today: dt.date) -> bool:
    """Whether the item is a published result of the plan by `today`."""
    if not publish_set.publishes(entry.state):  # drafts, withdrawn and scheduled items
        return False
    day = entry.counting_day
    return (dates.local(entry.date).date() <= today and day <= today
            and plan.start <= day <= plan.end)


@dataclass
class _Unit:
    """One counted result: an item, or a handbook gathered from its chapter files."""

    type: str
    places: dict[str, None]
    day: dt.date
    audience: str
    copies: int


def units(entries, plan: Plan, today: dt.date) -> list[_Unit]:
    found: dict[str, _Unit] = {}
    for entry in sorted(entries, key=lambda e: (e.counting_day, e.uid)):
        if not counts(entry, plan, today):
            continue
        unit = found.get(unit_key(entry))
        if unit is None:  # the first chapter published dates the handbook
            found[unit_key(entry)] = _Unit(entry.type, dict.fromkeys(entry.places),
                                          entry.counting_day, entry.audience,
                                          entry.copies or 0)
            continue
        unit.places.update(dict.fromkeys(entry.places))
        unit.audience = unit.audience or entry.audience
        unit.copies += entry.copies or 0
    return list(found.values())


def count(plan: Plan, entries, vocabulary: Vocabulary, today: dt.date) -> Progress:
    """The plan's progress on `today` from these item entries (see the module docstring)."""
    done = units(entries, plan, today)
    progress = Progress(plan, today)
    rows = progress.rows
    for ctype in vocabulary.types.values():
        of_type = [u for u in done if u.type == ctype.key]
        rows.append(Row(BY_TYPE, ctype.key, ctype.plural, len(of_type), plan.target_of(ctype.key)))
        if ctype.key in plan.copies:
            rows.append(Row(BY_TYPE, f"{ctype.key}:copies", f"{ctype.plural}: số bản in",
                            sum(u.copies for u in of_type), plan.copies[ctype.key]))
    handbooks = [u for u in done if u.type == vocabulary.audience_type]
    for key, name in vocabulary.audiences.items():
        rows.append(Row(BY_AUDIENCE, key, name, sum(1 for u in handbooks if u.audience == key),
                        plan.audience_targets.get(key)))
    for place in _places(vocabulary, plan, done):
        rows.append(Row(BY_COMMUNE, place.slug, place.full_name,
                        sum(1 for u in done if place.slug in u.places)))
    for year, quarter in quarters(plan.start, plan.end):
        rows.append(Row(BY_QUARTER, f"{year}-Q{quarter}", f"Quý {ROMAN[quarter - 1]}/{year}",
                        sum(1 for u in done if quarter_of(u.day) == (year, quarter))))
    return progress


def _places(vocabulary: Vocabulary, plan: Plan, done: list[_Unit]):
    """The district-wide line and every commune that existed during the plan or has a result."""
    named = {slug for unit in done for slug in unit.places}
    return [place for place in vocabulary.places
            if place.district_wide or place.slug in named
            or place.is_current(plan.start) or place.is_current(plan.end)]


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarters(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """Every quarter the period touches, in order."""
    found, (year, quarter) = [], quarter_of(start)
    while (year, quarter) <= quarter_of(end):
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


# -- the same table, written out ----------------------------------------------------------------
def to_csv(progress: Progress) -> bytes:
    return csv_file.to_csv(progress.table())


def to_json(progress: Progress) -> str:
    """The plan and the table's rows as JSON (for a machine; the same cells as the CSV)."""
    plan = progress.plan
    header, *rows = progress.table()
    return json.dumps({"plan": {"number": plan.number, "title": plan.title,
                                "date": plan.issued.isoformat(), "start": plan.start.isoformat(),
                                "end": plan.end.isoformat()},
                       "today": progress.today.isoformat(),
                       "columns": header, "rows": rows}, ensure_ascii=False, indent=2)
