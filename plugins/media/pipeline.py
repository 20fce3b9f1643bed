"""The Pelican side of plugins/media: find every image and video, derive, rewrite, write.

1. `configure` (initialized): read and check the IMAGES_* settings.
2. `collect` (article generator finalized, then pages): list the images each item uses (cover or
   infographic `Image:`, video `Poster:`, `<img src="{static}...">` in bodies, a drawn poster
   for a video without one) and take them out of `static_links`, so no original file, with
   its EXIF and GPS, is ever copied to the site. Local video and caption files are added.
3. `render` (page generator finalized, once all content is read): derive every image
   (newsdesk.media.images, cached, on all cores), report bad files, then give each item `cover` (a Picture), `video_html`,
   `video_poster`, `has_video`, and rewrite its body's images and video lines.
4. `write` (the article writer finalized): link the derivatives that pages use into the output,
   with the pages (newsdesk.site.render_queue).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import lxml.etree
from markupsafe import escape

from newsdesk import project
from newsdesk.disk_cache import link_read_only
from newsdesk.content import paths, sanitize, site_items
from newsdesk.media import images, video as videos
from newsdesk.content.items import split_header
from newsdesk.site import cores, pelican_adapter, render_queue
from newsdesk.site.context import context_of
from newsdesk.content.problems import ERROR, NOTICE, WARNING
from newsdesk.site.templating import SITEURL_MARK

from .markup import Picture, video_markup

log = logging.getLogger(__name__)
DEFAULTS = {
    "IMAGES_CACHE_DIR": str(project.ROOT / ".cache" / "images"),
    "IMAGES_OUTPUT_DIR": "media",
    "IMAGES_WIDTHS": images.ImageSettings.widths,
    "IMAGES_WEBP_QUALITY": images.ImageSettings.webp_quality,
    "IMAGES_JPEG_QUALITY": images.ImageSettings.jpeg_quality,
    "IMAGES_FULL_QUALITY": images.ImageSettings.full_quality,
    "IMAGES_MAX_PIXELS": images.ImageSettings.max_pixels,
    "IMAGES_WORKERS": 0,  # 0: every core
}
POSTER_VERSION = 1
_STATIC = re.compile(r"^\{(?:static|attach)\}")
_STATIC_IMAGE = re.compile(r"^\{(?:static|attach)\}.+\.(?:jpe?g|png|webp)$", re.I | re.S)
# A paragraph holding only a link whose text starts with "Video:" embeds that video.
_VIDEO_TEXT = re.compile(r"^\s*[Vv]ideo\s*:\s*(?P<title>.*)$", re.S)



@dataclass
class Use:
    """One place an image is used: the item, and the text to find its line by."""

    content: object
    needle: str
    header_key: str = ""


@dataclass
class MediaState:
    """What one build found and made; kept in the build context (`context_of(settings).media`)."""

    image_settings: images.ImageSettings
    cache_dir: Path
    output_dir: str
    workers: int
    content_root: Path
    contents: list = field(default_factory=list)  # every article and page, once
    uses: dict[Path, list[Use]] = field(default_factory=dict)
    results: dict[Path, images.Derived | images.ImageFault] = field(default_factory=dict)
    published: dict[str, Path] = field(default_factory=dict)  # output name -> cached file
    rendered: bool = False
    derived: int = 0  # images derived (encoded or from the cache) by this build

    def want(self, source: Path, use: Use) -> None:
        self.uses.setdefault(source, []).append(use)


def state_of(settings) -> MediaState:
    return context_of(settings).media


# -- 1. settings ---------------------------------------------------------------------------
def configure(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    report = context_of(settings).report
    widths = settings["IMAGES_WIDTHS"]
    if not widths or not all(isinstance(w, int) and 16 <= w <= 10000 for w in widths):
        report.add("pelicanconf.py", 0, f"IMAGES_WIDTHS = {widths!r} không hợp lệ.",
                   "Ghi vài chiều rộng (điểm ảnh) từ 16 đến 10000, ví dụ (400, 800, 1600).")
        widths = DEFAULTS["IMAGES_WIDTHS"]
    image_settings = images.ImageSettings.from_settings(settings, widths)
    context_of(settings).media = MediaState(
        image_settings=image_settings, cache_dir=Path(settings["IMAGES_CACHE_DIR"]),
        output_dir=settings["IMAGES_OUTPUT_DIR"].strip("/"),
        workers=int(settings["IMAGES_WORKERS"]) or cores.cores(),
        content_root=Path(settings["PATH"]).resolve())


# -- 2. collect ----------------------------------------------------------------------------
def collect(generator) -> None:
    state = state_of(generator.settings)
    static_links = generator.context["static_links"]
    for content in site_items.items(generator, site_items.WITH_A_PAGE, pages=True,
                                         translations=True):
        state.contents.append(content)
        _collect_one(content, state, static_links)


def _collect_one(content, state: MediaState, static_links: set) -> None:
    root = state.content_root
    if getattr(content, "image", None):
        static_links.discard(content.image)
        state.want(root / content.image, Use(content, content.image, "image"))
    video = getattr(content, "video", None)
    if isinstance(video, videos.Video):
        _collect_video(content, video, _poster_of(content), content.title, state,
                       static_links, "video")
        if getattr(content, "captions", None):
            static_links.add(content.captions)
    body = _body_tree(content)
    if body is None:
        return
    for element in body.iter("img"):
        src = element.get("src", "")
        if _STATIC.match(src):
            path = _static_path(content, src, root)
            static_links.discard(_relative(path, root))
            state.want(path, Use(content, _needle(src)))
    for paragraph in body.iter("p"):
        line = _video_line(paragraph)
        video = _video_of_link(content, line[0], root) if line else None
        if video:
            poster = _sibling(root / video.file, (".jpg", ".jpeg", ".png", ".webp"), root) \
                if video.file else None
            _collect_video(content, video, _relative(poster, root) if poster else None,
                           line[1] or content.title, state, static_links, "")


def _poster_of(content) -> str | None:
    """A video item's poster: its Poster:, else its Image: (a frame of the video)."""
    return getattr(content, "poster", None) or getattr(content, "image", None)


def _collect_video(content, video, poster_relpath, title, state, static_links, key) -> None:
    root = state.content_root
    if video.file:
        static_links.add(video.file)
        captions = _sibling(root / video.file, (".vtt",), root)
        if captions:
            static_links.add(_relative(captions, root))
    if poster_relpath:
        static_links.discard(poster_relpath)
        state.want(root / poster_relpath, Use(content, poster_relpath, "poster" if key else ""))
    else:
        state.want(default_poster(title, state.cache_dir), Use(content, title))


def default_poster(title: str, cache_dir: Path) -> Path:
    """The drawn poster of a video without one, kept in the cache (drawn once per title)."""
    digest = hashlib.sha256(f"{POSTER_VERSION} {title}".encode()).hexdigest()[:16]
    path = cache_dir / "posters" / f"video-{digest}.png"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(suffix=".png", dir=path.parent)
        with os.fdopen(handle, "wb") as file:  # a unique name: builds may run side by side
            videos.draw_poster(title).save(file, "PNG")
        os.replace(temporary, path)
    return path


# -- 3. derive and rewrite -----------------------------------------------------------------
def collect_pages_and_render(generator) -> None:
    """Pages are read after articles (Pelican's fixed generator order), so every image is known
    here, before content_checks stops a build with errors: image problems are listed with the
    others. (Blinker calls receivers of one signal in no set order, hence one receiver.)"""
    collect(generator)
    render(generator.settings)


def render(settings) -> None:
    state = state_of(settings)
    if state.rendered:
        return
    state.rendered = True
    report = context_of(settings).report
    usable = [source for source in state.uses if _inside(source, state)]
    for source in state.uses:
        if source not in usable:
            state.results[source] = images.ImageFault(source, "outside")
    if usable:
        outcome = images.derive_all(usable, state.image_settings, state.cache_dir,
                                    state.workers, _progress(time.monotonic()))
        state.results.update(outcome.results)
        state.derived = outcome.encoded + outcome.cached
        report.add(settings["PATH"], 0,
                   images.derived_notice(outcome.encoded, outcome.cached, outcome.seconds), "",
                   NOTICE, code="images-encoded")
        log.info("%s ảnh cần mã hóa, %s ảnh có sẵn", outcome.encoded, outcome.cached)
    for source, result in state.results.items():
        if isinstance(result, images.ImageFault):
            _report_fault(result, state.uses[source], report)
    site = settings.get("SITEURL", "")
    for content in state.contents:
        _render_one(content, state, site)


def render_again(content) -> None:
    """Pictures and players in an item the live preview read again (newsdesk.site.body_edit),
    from what this build derived: an image new to the body stays a plain <img> until the full
    rebuild that follows."""
    state = state_of(content.settings)
    if state.rendered:
        _render_one(content, state, content.settings.get("SITEURL", ""))


def _inside(source: Path, state: MediaState) -> bool:
    """Inside content/ (or our own drawn poster in the cache), symlinks followed."""
    return bool(paths.inside_content(source, state.content_root)
                or paths.inside_content(source, state.cache_dir))


def _progress(started: float):
    """Progress on the terminal once encoding takes more than a moment."""
    def show(done: int, total: int) -> None:
        if time.monotonic() - started < 1.5:
            return
        log.info("Đang mã hóa ảnh: %d/%d", done, total)
        if sys.stderr.isatty():
            end = "\n" if done == total else ""
            sys.stderr.write(f"\rĐang mã hóa ảnh: {done}/{total}{end}")
            sys.stderr.flush()
    return show


def _report_fault(fault: images.ImageFault, uses: list[Use], report) -> None:
    for use in uses:
        name = use.needle if not use.header_key else use.content.metadata.get(use.header_key,
                                                                               use.needle)
        message, hint = images.fault_message(fault, name)
        report.add(use.content.source_path, _line_of(use), message, hint, ERROR,
                   field=use.header_key, code=f"image-{fault.code}")


def _line_of(use: Use) -> int:
    """The line of the item's file where the image is named (header line or body line)."""
    try:
        text = Path(use.content.source_path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 0
    header = split_header(text.replace("\r\n", "\n"))
    if use.header_key and use.header_key in header.lines:
        return header.lines[use.header_key]
    for index, line in enumerate(header.body.split("\n")):
        if use.needle in line:
            return header.body_line + index
    return 0


def picture_for(source: Path, state: MediaState, site: str) -> Picture | None:
    result = state.results.get(source)
    if not isinstance(result, images.Derived):
        return None
    for rendition in result.renditions:
        state.published[rendition.name] = result.directory / rendition.name
    return Picture(result, site, state.output_dir)


def _render_one(content, state: MediaState, site: str) -> None:
    root = state.content_root
    content.cover = (picture_for(root / content.image, state, site)
                     if getattr(content, "image", None) else None)
    content.has_video = False
    video = getattr(content, "video", None)
    if isinstance(video, videos.Video):
        poster = _poster_of(content)
        captions = getattr(content, "captions", None)
        content.video_html = _video_html(video, content.title, poster, captions, state, site)
        content.video_poster = _poster_picture(poster, content.title, state, site)
        content.has_video = True
    body = _body_tree(content)
    if body is not None:
        _rewrite_body(content, body, state)


def _body_tree(content):
    """The item's body as an lxml tree, the reader's sanitized HTML; None when it holds nothing
    to rewrite: no picture and no link (parsing is most of this step's time)."""
    body = pelican_adapter.body_of(content)
    if "<img" not in body and "href=" not in body:
        return None
    return sanitize.parse(body)


def _rewrite_body(content, body, state: MediaState) -> None:
    """Images to pictures, image links to the full-size copy, "Video:" lines to players: edits
    on one tree, written once; the body is left as it was when nothing changed."""
    site = SITEURL_MARK  # in bodies: the base of the page or feed showing it (body_at)
    inserts: list[str] = []

    def put(element, markup: str) -> None:
        _replace_with_text(element, sanitize.mark(len(inserts)))
        inserts.append(str(markup))

    changed = False
    for paragraph in list(body.iter("p")):
        line = _video_line(paragraph)
        markup = _body_video(content, *line, state, site) if line else None
        if markup is not None:
            put(paragraph, markup)
    for image in list(body.iter("img")):
        alone = _alone_in_paragraph(image)
        markup = _body_picture(content, image, state, site, alone is not None)
        if markup is not None:
            put(alone if alone is not None else image, markup)
    for element in body.iter(lxml.etree.Element):
        href = element.get("href")
        if href and _STATIC_IMAGE.match(href):
            picture = picture_for(_static_path(content, href, state.content_root), state, site)
            if picture:
                element.set("href", picture.full_url)
                changed = True
    if inserts or changed:
        pelican_adapter.set_body(content, sanitize.serialize(body, inserts))


def _alone_in_paragraph(image):
    """The <p> holding only this image (whitespace aside), else None."""
    paragraph = image.getparent()
    if (paragraph is None or paragraph.tag != "p" or paragraph.attrib or len(paragraph) != 1
            or (paragraph.text or "").strip() or (image.tail or "").strip()):
        return None
    return paragraph


def _video_line(paragraph) -> tuple[str, str] | None:
    """(href, title) of a paragraph holding only a link whose text starts with "Video:"."""
    if paragraph.attrib or len(paragraph) != 1 or (paragraph.text or "").strip():
        return None
    link = paragraph[0]
    if link.tag != "a" or link.get("href") is None or len(link) or (link.tail or "").strip():
        return None
    found = _VIDEO_TEXT.match(link.text or "")
    return (link.get("href"), found["title"].strip()) if found else None


def _replace_with_text(element, text: str) -> None:
    """Put `text` where `element` is (its tail kept), in the text of its neighbour or parent."""
    parent = element.getparent()
    text += element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(element)


def _video_html(video, title, poster_relpath, captions_relpath, state, site):
    file_url = f"{site}/{quote(video.file)}" if video.file else ""
    file_size = (state.content_root / video.file).stat().st_size if video.file else 0
    if video.file and not captions_relpath:
        found = _sibling(state.content_root / video.file, (".vtt",), state.content_root)
        captions_relpath = _relative(found, state.content_root) if found else None
    captions_url = f"{site}/{quote(captions_relpath)}" if captions_relpath else ""
    poster = _poster_picture(poster_relpath, title, state, site)
    return video_markup(video, title, poster, file_url, file_size, captions_url)


def _poster_picture(poster_relpath, title, state, site) -> Picture | None:
    source = (state.content_root / poster_relpath if poster_relpath
              else default_poster(title, state.cache_dir))
    return picture_for(source, state, site)


def _body_picture(content, image, state, site, alone: bool) -> str | None:
    """The markup to put in place of the image (or of its paragraph when alone); None: keep."""
    src = image.get("src", "")
    alt = image.get("alt", "")
    if src.startswith(("http://", "https://", "//")):
        return _external_image(content, src, alt, state)
    if not _STATIC.match(src):
        return None
    picture = picture_for(_static_path(content, src, state.content_root), state, site)
    if not picture:
        return None
    if alone:
        return picture.figure({"alt": alt})
    return picture.markup({"alt": alt})


def _external_image(content, src: str, alt: str, state) -> str:
    """An image from another site would tell that site who reads us: link to it instead."""
    report = context_of(content.settings).report
    report.add(content.source_path, _line_of(Use(content, src)),
               f"Ảnh \"{src}\" lấy từ trang web khác nên không được hiện "
               "(trang web đó sẽ biết ai đang đọc bài); đã thay bằng một liên kết.",
               "Tải ảnh về, đặt cạnh tệp bài viết rồi ghi ![mô tả ảnh](ten-anh.jpg).", WARNING)
    return f'<a href="{escape(src)}">{escape(alt or "Xem ảnh")}</a>'


def _body_video(content, href: str, title: str, state, site) -> str | None:
    video = _video_of_link(content, href, state.content_root)
    if not video:
        return None
    title = title or content.title
    poster = (_sibling(state.content_root / video.file, (".jpg", ".jpeg", ".png", ".webp"),
                       state.content_root)
              if video.file else None)
    content.has_video = True
    return str(_video_html(video, title, _relative(poster, state.content_root) if poster else None,
                           None, state, site))


def _video_of_link(content, href: str, root: Path) -> videos.Video | None:
    if _STATIC.match(href):
        path = _static_path(content, href, root)
        if path.suffix.lower() in (".mp4", ".webm") and path.is_file() \
                and paths.inside_content(path, root):
            return videos.Video(file=_relative(path, root))
        return None
    return videos.youtube(href)


# -- 4. write ------------------------------------------------------------------------------
def write(generator, writer) -> None:
    """Link the derivatives pages use into the output, in two shares rendered with the pages
    (newsdesk.site.render_queue: every core)."""
    state = state_of(generator.settings)
    target = Path(generator.output_path) / state.output_dir
    names = sorted(state.published)
    for share in (names[0::2], names[1::2]):
        render_queue.later(writer, _link_into, target,
                           [(name, state.published[name]) for name in share])


def _link_into(target: Path, files: list[tuple[str, Path]]) -> None:
    folders = set()
    for name, cached in files:
        destination = target / name
        if destination.parent not in folders:
            destination.parent.mkdir(parents=True, exist_ok=True)
            folders.add(destination.parent)
        with contextlib.suppress(FileExistsError):  # the cache's files are never changed
            link_read_only(cached, destination)


# -- helpers -------------------------------------------------------------------------------
def _needle(src: str) -> str:
    """What an editor wrote, to find its line: the link without {static} and the query."""
    return unquote(_STATIC.sub("", src).split("?")[0].split("#")[0]).lstrip("/")


def _static_path(content, src: str, root: Path) -> Path:
    """Where Pelican's {static} link points: from content/ with a leading "/", else from the
    item's folder. Not resolved: a path outside content/ is refused later, by name."""
    value = unquote(_STATIC.sub("", src))
    value = urlsplit(value).path
    if value.startswith("/"):
        return Path(os.path.normpath(root / value.lstrip("/")))
    folder = Path(content.source_path).resolve().parent
    return Path(os.path.normpath(folder / value))


def _relative(path: Path | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _sibling(path: Path, suffixes: tuple[str, ...], root: Path) -> Path | None:
    """A file next to `path` with the same name and one of `suffixes` (poster, captions),
    inside content/ (a symlink out of it is no sibling)."""
    for suffix in suffixes:
        candidate = path.with_suffix(suffix)
        if candidate.is_file() and paths.inside_content(candidate, root):
            return candidate
    return None

