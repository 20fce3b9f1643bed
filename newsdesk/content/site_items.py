"""The items and pages of a build, taken from Pelican's lists in one way.

Pelican keeps what it read in one list per state and language: `articles`, `hidden_articles`,
`drafts` (and their `*_translations`) on the articles generator, `pages`, `hidden_pages`,
`draft_pages` (and theirs) on the pages generator; the shared context holds the
default-language lists only. Plugins ask here instead of naming those lists.

A handbook in chapters is one listed item here: newsdesk/content/handbooks.assemble puts one
`Handbook` in the listed items in place of its chapters (which keep their pages, as hidden
items do) before any listing, feed or count reads these lists.
"""

from __future__ import annotations

from collections.abc import Iterable

from pelican.generators import ArticlesGenerator, PagesGenerator

from newsdesk.content import dates

LISTED = "listed"  # Status: published: on its page and in every list
HIDDEN = "hidden"  # Status: hidden: on its page, in no list
DRAFT = "draft"    # Status: draft or future-dated: a page in preview builds only
WITH_A_PAGE = (LISTED, HIDDEN, DRAFT)

_ITEM_LISTS = {LISTED: ("articles", "translations"),
               HIDDEN: ("hidden_articles", "hidden_translations"),
               DRAFT: ("drafts", "drafts_translations")}
_PAGE_LISTS = {LISTED: ("pages", "translations"),
               HIDDEN: ("hidden_pages", "hidden_translations"),
               DRAFT: ("draft_pages", "draft_translations")}


def items(source, states: Iterable[str] = (LISTED,), *, pages: bool = False,
          translations: bool = False) -> list:
    """Items (and, with `pages`, standalone pages) in the given states, each once, in
    Pelican's order: state by state, default language first.

    `source` is a generator, a list of generators, or the context shared by the generators
    (which holds no translations).
    """
    if isinstance(source, dict):
        lists = [source.get(name, []) for name in _names(_ITEM_LISTS, states, False)]
        if pages:
            lists += [source.get(name, []) for name in _names(_PAGE_LISTS, states, False)]
    else:
        generators = source if isinstance(source, (list, tuple)) else [source]
        lists = [getattr(generator, name, []) for generator in generators
                 for name in _names(_lists_of(generator, pages), states, translations)]
    seen, found = set(), []
    for content in (c for listed in lists for c in listed or []):
        if id(content) not in seen:
            seen.add(id(content))
            found.append(content)
    return found


def _lists_of(generator, pages: bool) -> dict:
    if isinstance(generator, ArticlesGenerator):
        return _ITEM_LISTS
    if pages and isinstance(generator, PagesGenerator):
        return _PAGE_LISTS
    return {}


def _names(lists: dict, states: Iterable[str], translations: bool) -> list[str]:
    return [name for state in states for name in lists.get(state, ())[:2 if translations else 1]]


def drafts_folder(settings) -> str:
    """"ban-nhap" from DRAFT_URL = "ban-nhap/{slug}/": where preview builds put drafts."""
    return (settings.get("DRAFT_URL") or "").split("{", 1)[0].strip("/")


def upcoming(items: Iterable, today) -> list:
    """The items with a Start (conferences) on or after the build's `today`, soonest first."""
    return sorted((a for a in items if getattr(a, "start", None)
                   and dates.local(a.start).date() >= today), key=lambda a: (a.start, a.uid))
