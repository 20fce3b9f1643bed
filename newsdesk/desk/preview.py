"""The desk's preview: an item drawn as its page on the site draws it.

The item is read by the build's reader (newsdesk.content.item_reader: checks, sanitizer, links,
images) from a hidden copy beside it, then drawn by the theme's own item partial
(theme/templates/partials/item.html, the one article.html includes) in a Jinja environment with
the site's options and filters (JINJA_ENVIRONMENT, JINJA_FILTERS), inside a small page that
links the site's stylesheet (the theme's "web" bundle, served by the desk). The desk shows that
page in a sandboxed <iframe srcdoc>: no script runs in it, the desk's CSP applies to it, and
its only requests are the stylesheet and the item's photo, both from the desk.

Not drawn: what only a full build adds (listings' links, video players, radio audio, the
handbook's contents); links to the site's pages point nowhere in the preview.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from newsdesk.content.item_reader import ReadContext, read_item
from plugins.theme_assets.bundle import DEFAULT_BUNDLES, bundle_files, css_text

_PAGE = jinja2.Template(
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
    '<link rel="stylesheet" href="{{ css }}"></head>'
    '<body class="hq-page hq-page--item"><main class="hq-main">{{ item }}</main></body></html>',
    autoescape=True)


class Picture:
    """The item's photo as the theme's `article.cover` draws it, served by the desk."""

    def __init__(self, url: str):
        self.full_url = url

    def markup(self, options: dict) -> Markup:
        return Markup('<img src="{}" alt="{}"{}>').format(
            self.full_url, options.get("alt") or "",
            Markup(' class="{}"').format(options["class"]) if options.get("class") else "")


class PreviewItem:
    """What the item partial reads of a Pelican article, from the reader's metadata."""

    def __init__(self, metadata: dict, body_html: str, photo_url: str):
        self.metadata = metadata
        self._body = body_html
        place = metadata.get("category")
        self.communes = [p for p in [place, *metadata.get("communes", [])] if p]
        self.tags = metadata.get("tags", [])  # as text: their pages exist only in a build
        self.cover = Picture(photo_url) if metadata.get("image") and photo_url else None

    def __getattr__(self, name: str):
        try:  # a field the item lacks, or one only a build adds, is undefined for Jinja
            return self.__dict__["metadata"][name]
        except KeyError:
            raise AttributeError(name) from None

    def get_content(self, siteurl: str) -> str:
        return self._body


def environment(settings: dict) -> jinja2.Environment:
    """The theme's templates with the site's Jinja options and filters."""
    options = {key: value for key, value in (settings.get("JINJA_ENVIRONMENT") or {}).items()
               if key != "bytecode_cache"}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(
        str(Path(settings["THEME"]) / "templates")), **options)
    env.filters.update(settings.get("JINJA_FILTERS") or {})
    return env


def stylesheet(settings: dict) -> str:
    """The site's "web" stylesheet bundle, as plugins/theme_assets joins it."""
    directory = Path(settings.get("THEME_ASSETS_CSS_DIR") or Path(settings["THEME"]) / "css")
    bundles = settings.get("THEME_ASSETS_BUNDLES") or DEFAULT_BUNDLES
    return css_text(bundle_files(directory, bundles["web"]))


def page(folder: Path, text: str, settings: dict, vocab, photo_url: str, css_url: str) -> str:
    """The item `text` (to be saved in `folder`) as a page of the site, from a hidden copy
    beside the item that no build or check reads."""
    folder.mkdir(parents=True, exist_ok=True)
    draft = folder / f".#xem-truoc-{secrets.token_hex(8)}.md"
    try:
        draft.write_text(text, encoding="utf-8")
        reading = read_item(draft, ReadContext.from_settings(settings))
    finally:
        draft.unlink(missing_ok=True)
    metadata = dict(reading.metadata)
    if not isinstance(metadata.get("date"), dt.datetime) or metadata.get("type") not in vocab.types:
        # The check lists what is missing beside its field; the body is still worth seeing.
        item = Markup('<div class="hq-item__body hq-prose">{}</div>').format(
            Markup(reading.body_html))
    else:
        item = environment(settings).get_template("partials/item.html").render(
            article=PreviewItem(metadata, reading.body_html, photo_url), vocabulary=vocab,
            SITEURL="")
    return _PAGE.render(css=css_url, item=Markup(item))


def frame(page_html: str) -> Markup:
    """The page in an iframe that runs no script (sandbox without allow-scripts); same origin,
    so it may load the desk's stylesheet and the item's photo with the session."""
    return Markup('<iframe class="preview-frame" sandbox="allow-same-origin" '
                  'title="Xem trước bài như trên trang" srcdoc="{}"></iframe>').format(
                      escape(page_html))
