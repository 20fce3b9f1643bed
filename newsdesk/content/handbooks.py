"""Handbooks (`Type: cam-nang`): what a handbook is, and the one rule that lists it once.

A handbook is either one Markdown file whose `##` headings are its chapters, or several files
sharing a `Handbook:` line (the handbook's name; its slug is the handbook's key), each with a
`Chapter:` number. Chapters are ordered by that number, never by file name.

The listing rule, in one place: a handbook in chapters is ONE item. `assemble(generator)`
runs at Pelican's `article_generator_pretaxonomy`, before tags, archives and every plugin look
at the lists: the published chapters leave the listed items (their pages are still written,
as a hidden item's are) and one `Handbook` item per key takes their place. So every listing
that asks `newsdesk.content.site_items` (type, commune and audience pages, feeds, sitemap,
kiosk, counts) and Pelican's own (home, archives, tags) shows it once. Counting items: an
item with `Handbook:` counts once per Handbook key (`key_of`).

The rules across files, shared by the build (plugins/content_checks) and `invoke check`:
two files of one handbook with the same Chapter number, and chapters of one handbook naming
different audiences (`problems`). The rules of one file (a Chapter with no Handbook, a
Handbook with no Chapter) are in newsdesk/content/items.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html
from pelican.contents import Article

from newsdesk.content.problems import ERROR, Problem, display_path

UID_PREFIX = "cn-"  # a handbook's own identity: "cn-" + its key (feeds, URL ledger)
# Fields of the first chapter that describe only that chapter: the handbook does not take them.
_CHAPTER_ONLY = ("handbook_part", "chapter", "image", "alt", "correction", "corrected",
                 "template", "save_as", "url", "modified")
DEFAULTS = {
    # A chapter's page, under its handbook's page ({url}: the handbook's URL).
    "HANDBOOK_CHAPTER_URL": "{url}{slug}/",
    "HANDBOOK_CHAPTER_SAVE_AS": "{url}{slug}/index.html",
}


def key_of(item) -> str:
    """The Handbook key of an item written as a chapter; "" for any other item."""
    return getattr(item, "handbook", "") or ""


def is_chapter(item) -> bool:
    """A file of a handbook in chapters (a part of an item, never an item of its own)."""
    return bool(key_of(item)) and not isinstance(item, Handbook)


def in_handbook(item) -> bool:
    """A chapter that is part of a listed handbook (`assemble` linked it to it): a public page,
    though never an item of the lists."""
    return getattr(item, "handbook_item", None) is not None


@dataclass(frozen=True)
class Part:
    """One chapter file, as the rules across files see it."""

    path: str
    key: str
    title: str  # the handbook's name as written
    chapter: int | None
    audience: str
    chapter_line: int
    audience_line: int
    type: str = ""
    slug: str = ""
    published: bool = False  # in the handbook (a draft, hidden or scheduled chapter is not)


def part_of(path, metadata: dict, header, published: bool = False) -> Part | None:
    """The chapter a read file is, or None (not a chapter, or its lines are wrong)."""
    if not metadata.get("handbook") or metadata.get("chapter") is None:
        return None
    return Part(str(path), metadata["handbook"], metadata.get("handbook_title", ""),
                metadata["chapter"], metadata.get("audience", ""), header.line("chapter"),
                header.line("audience") if "audience" in header.values
                else header.line("handbook"), metadata.get("type", ""),
                metadata.get("slug", ""), published)


def handbook_url(settings, type_key: str, key: str, save_as: bool = False) -> str:
    """A handbook in chapters' own address: an item's (ARTICLE_URL) with its key as slug."""
    pattern = settings["ARTICLE_SAVE_AS" if save_as else "ARTICLE_URL"]
    return pattern.format(type=type_key, slug=key, lang=settings.get("DEFAULT_LANG", "vi"))


def chapter_url(settings, part: Part, save_as: bool = False) -> str:
    name = "HANDBOOK_CHAPTER_SAVE_AS" if save_as else "HANDBOOK_CHAPTER_URL"
    pattern = settings.get(name) or DEFAULTS[name]
    return pattern.format(url=handbook_url(settings, part.type, part.key), slug=part.slug)


def entries(parts, settings, root) -> list:
    """The identity and address a build gives each published handbook in chapters (at its
    first chapter's file), for the rule of unique ones: `invoke check` sees files only."""
    from newsdesk.content.unique import Entry

    first = {}
    for part in sorted(filter(None, parts), key=lambda p: (p.chapter, p.path)):
        if part.published:
            first.setdefault(part.key, part)
    return [Entry(part.path, _relative(part.path, root), UID_PREFIX + key,
                  handbook_url(settings, part.type, key, save_as=True))
            for key, part in first.items()]


def _relative(path: str, root) -> str:
    try:
        return Path(path).relative_to(Path(root)).as_posix()
    except ValueError:
        return path


def problems(parts) -> list[Problem]:
    """Duplicate chapter numbers and differing audiences within each handbook."""
    found = []
    by_key: dict[str, list[Part]] = defaultdict(list)
    for part in filter(None, parts):
        by_key[part.key].append(part)
    for chapters in by_key.values():
        chapters.sort(key=lambda p: (p.chapter, p.path))
        found += _duplicate_chapters(chapters)
        found += _differing_audiences(chapters)
    return found


def _duplicate_chapters(chapters: list[Part]) -> list[Problem]:
    found = []
    by_number: dict[int, list[Part]] = defaultdict(list)
    for part in chapters:
        by_number[part.chapter].append(part)
    for number, sharing in by_number.items():
        if len(sharing) < 2:
            continue
        names = ", ".join(sorted(Path(p.path).name for p in sharing))
        for part in sharing:
            found.append(Problem(
                display_path(part.path), part.chapter_line,
                f"Chương {number} của cẩm nang \"{part.title}\" trùng nhau giữa các tệp: "
                f"{names}.",
                "Mỗi chương một số riêng: sửa dòng Chapter của một tệp (1, 2, 3... theo thứ tự "
                "đọc).", ERROR, "chapter"))
    return found


def _differing_audiences(chapters: list[Part]) -> list[Problem]:
    first = chapters[0]
    return [Problem(display_path(part.path), part.audience_line,
                    f"Chương {part.chapter} của cẩm nang \"{part.title}\" ghi đối tượng đọc "
                    f"\"{part.audience or '(không ghi)'}\", khác chương {first.chapter} "
                    f"(\"{first.audience or '(không ghi)'}\").",
                    "Mọi chương của một cẩm nang ghi cùng một dòng Audience: sửa cho giống "
                    "chương đầu.", ERROR, "audience")
            for part in chapters[1:] if part.audience != first.audience]


class Handbook(Article):
    """A handbook written in chapters, as one item: its body is its chapters' in order."""

    chapters: list = []

    def get_content(self, siteurl: str) -> str:
        return "\n".join(
            f'<section id="{chapter_anchor(c)}"><h2>{_escape(chapter_heading(c))}</h2>\n'
            f"{c.get_content(siteurl) or ''}</section>" for c in self.chapters)

    @property
    def content(self) -> str:
        return self.get_content(self.get_siteurl())


def chapter_anchor(chapter) -> str:
    return f"chuong-{chapter.chapter}"


def chapter_heading(chapter) -> str:
    return f"Chương {chapter.chapter}. {chapter.title}"


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def assemble(generator) -> None:
    """Make each handbook in chapters one listed item (see the module's docstring)."""
    settings = generator.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    groups: dict[str, list] = defaultdict(list)
    for article in generator.articles:
        if is_chapter(article):
            groups[key_of(article)].append(article)
    if not groups:
        return
    chapters_of = {key: sorted(chapters, key=lambda c: (c.chapter, c.source_path))
                   for key, chapters in groups.items()}
    moved = {id(c) for chapters in chapters_of.values() for c in chapters}
    handbooks = [_handbook(chapters, generator) for chapters in chapters_of.values()]
    generator.articles = sorted(
        [a for a in generator.articles if id(a) not in moved] + handbooks,
        key=settings["ARTICLE_ORDER_BY"])
    generator.hidden_articles = [*generator.hidden_articles,
                                 *(c for chapters in chapters_of.values() for c in chapters)]
    generator.context["articles"] = generator.articles
    generator.context["hidden_articles"] = generator.hidden_articles


def _handbook(chapters: list, generator) -> Handbook:
    first = chapters[0]
    metadata = {k: v for k, v in first.metadata.items() if k not in _CHAPTER_ONLY}
    dates = [c.date for c in chapters]
    changed = max([getattr(c, "modified", None) or c.date for c in chapters])
    metadata.update(title=first.handbook_title, slug=first.handbook,
                    uid=UID_PREFIX + first.handbook, date=min(dates),
                    status="published")
    if changed > min(dates):
        metadata["modified"] = changed
    places = [p for c in chapters for p in getattr(c, "communes", [])]
    metadata["communes"] = list(dict.fromkeys(places))
    tags = {t.slug: t for c in chapters for t in getattr(c, "tags", [])}
    if tags:
        metadata["tags"] = list(tags.values())
    handbook = Handbook("", metadata=metadata, settings=generator.settings,
                        source_path=first.source_path, context=generator.context)
    handbook.chapters = chapters
    for index, chapter in enumerate(chapters):
        chapter.handbook_item = handbook
        chapter.previous_chapter = chapters[index - 1] if index else None
        chapter.next_chapter = chapters[index + 1] if index + 1 < len(chapters) else None
        part = chapter.handbook_part
        chapter.override_url = chapter_url(generator.settings, part)
        chapter.override_save_as = chapter_url(generator.settings, part, save_as=True)
    return handbook


def body_chapters(body: str) -> list[tuple[str, str]]:
    """(anchor, text) of each `##` heading of a one-file handbook's body: its chapters."""
    if not body or "<h2" not in body:
        return []
    wrapper = lxml_html.fragment_fromstring(body, create_parent="div")
    return [(h.get("id", ""), h.text_content().strip()) for h in wrapper.iter("h2")
            if h.get("id")]


def toc(item, current=None, anchors: bool = False) -> list[tuple[str, str]]:
    """A handbook's table of contents, (label, link) per chapter: a chapter's URL (""
    for `current`, the page being read), or, with `anchors` and for a one-file handbook,
    "#" and the chapter's anchor on the same page."""
    chapters = getattr(item, "chapters", None)
    if isinstance(item, Handbook) and chapters:
        return [(chapter_heading(c), "#" + chapter_anchor(c) if anchors
                 else "" if c is current else c.url) for c in chapters]
    return [(label, "#" + anchor)
            for anchor, label in body_chapters(item.get_content(item.get_siteurl()))]
