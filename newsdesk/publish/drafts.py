"""The last guard before shipping: no draft, and nothing under the drafts' folder, in the tree.

publishconf.py already keeps Pelican from writing drafts (DRAFT_SAVE_AS = ""), and in such a
public build the reader gives Pelican nothing of an editor's draft and only the address of a
future-dated item (newsdesk/content/publish_set.py). This checks the result, so a settings
mistake or a template listing drafts cannot leak one: while the publish build runs, the drafts
Pelican read are noted; afterwards no file may sit at a draft's public address and no page or
feed may link it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pelican import signals

from newsdesk.content import site_items

SEEN = "PUBLISH_DRAFTS_SEEN"  # a list in the build overrides; receivers fill it
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".js", ".webmanifest", ".opml"}


@dataclass(frozen=True)
class Draft:
    source: str
    title: str
    public_path: str  # where the item would be saved if it were published
    url: str          # its address relative to the site root
    published: bool = False  # a published item, noted so a shared address is not flagged


def _note(generator, drafts, published, save_as_setting: str, url_setting: str) -> None:
    seen = generator.settings.get(SEEN)
    if not isinstance(seen, list):
        return
    settings = generator.settings
    for item, is_published in [(d, False) for d in drafts] + [(p, True) for p in published]:
        fields = item.url_format
        seen.append(Draft(source=str(item.source_path), title=str(getattr(item, "title", "")),
                          public_path=settings[save_as_setting].format(**fields),
                          url=settings[url_setting].format(**fields), published=is_published))


def note_articles(generator) -> None:
    _note(generator, site_items.items(generator, [site_items.DRAFT], translations=True),
          site_items.items(generator, [site_items.LISTED, site_items.HIDDEN]),
          "ARTICLE_SAVE_AS", "ARTICLE_URL")


def note_pages(generator) -> None:
    _note(generator, site_items.items(generator, [site_items.DRAFT], pages=True),
          site_items.items(generator, [site_items.LISTED, site_items.HIDDEN], pages=True),
          "PAGE_SAVE_AS", "PAGE_URL")


signals.article_generator_finalized.connect(note_articles)
signals.page_generator_finalized.connect(note_pages)


def leaks(tree: Path, noted: list[Draft], settings) -> list[str]:
    """Vietnamese descriptions of every draft that made it into the tree (empty: none)."""
    found = []
    folder = site_items.drafts_folder(settings)
    if folder and (tree / folder).exists():
        found.append(f"thư mục {folder}/ (bản nháp) có trong trang sẽ đăng")
    public = {d.public_path for d in noted if d.published} | {d.url for d in noted if d.published}
    drafts = [d for d in noted if not d.published and d.public_path not in public
              and d.url not in public]
    for draft in drafts:
        if (tree / draft.public_path).exists():
            found.append(f"bài nháp {draft.source} (\"{draft.title}\") được ghi ra {draft.public_path}")
    links = {draft: re.compile(rf"[\"'/>]{re.escape(draft.url)}[\"'<#?]")
             for draft in drafts if draft.url}
    for path in sorted(p for p in tree.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        for draft, link in links.items():
            if link.search(text):
                found.append(f"{path.relative_to(tree).as_posix()} có liên kết tới bài nháp "
                             f"{draft.source} (\"{draft.title}\")")
    return found
