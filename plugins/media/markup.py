"""HTML for pictures and videos: one renderer, used by the body rewriter and the templates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from newsdesk.content import numbers
from newsdesk.media.images import Derived, Rendition
from newsdesk.media.video import Video

# Phones load the layout width (one column, 100vw); wider screens the reading measure.
DEFAULT_SIZES = "(min-width: 48rem) 42rem, 100vw"
FORMAT_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}


@dataclass(frozen=True)
class Picture:
    """The derivatives of one image, with the URLs they are published at."""

    derived: Derived
    siteurl: str
    directory: str  # IMAGES_OUTPUT_DIR

    def path(self, rendition: Rendition) -> str:
        """Where a rendition is in the site, as templates write `{{ SITEURL }}/{{ path }}`."""
        return f"{self.directory}/{rendition.name}"

    def url(self, rendition: Rendition) -> str:
        return f"{self.siteurl}/{self.path(rendition)}"

    @property
    def og_path(self) -> str:
        """The image a link shared on Zalo or Facebook shows: the largest JPEG/PNG."""
        return self.path(self.largest)

    @property
    def default(self) -> Rendition:
        """The `src` for browsers without srcset: the fallback closest to 800 pixels wide."""
        return min(self.derived.fallback, key=lambda r: abs(r.width - 800))

    @property
    def largest(self) -> Rendition:
        return self.derived.fallback[-1]

    @property
    def full_url(self) -> str:
        return self.url(self.derived.full)

    def srcset(self, renditions) -> str:
        return ", ".join(f"{self.url(r)} {r.width}w" for r in renditions)

    def markup(self, params: dict | None = None) -> Markup:
        """<picture> with WebP and fallback srcsets. params: alt, sizes, eager, class."""
        params = params or {}
        sizes = params.get("sizes") or DEFAULT_SIZES
        default = self.default
        loading = 'fetchpriority="high"' if params.get("eager") else 'loading="lazy"'
        css_class = f' class="{escape(params["class"])}"' if params.get("class") else ""
        return Markup(
            f'<picture{css_class}>'
            f'<source type="image/webp" srcset="{self.srcset(self.derived.webp)}" sizes="{sizes}">'
            f'<img src="{self.url(default)}" srcset="{self.srcset(self.derived.fallback)}" '
            f'sizes="{sizes}" width="{default.width}" height="{default.height}" '
            f'alt="{escape(params.get("alt") or "")}" {loading} decoding="async">'
            f'</picture>')

    def download_link(self, params: dict | None = None) -> Markup:
        """A link to the full-resolution copy (metadata stripped), for printing."""
        params = params or {}
        full = self.derived.full
        label = params.get("label") or "Tải ảnh khổ lớn để in"
        kind = FORMAT_NAMES.get(full.mime, "")
        return Markup(
            f'<a class="hq-media__download" href="{self.full_url}" download>{escape(label)} '
            f'<span class="hq-media__download-facts">({kind}, {full.width} × {full.height} '
            f'điểm ảnh, {numbers.size(full.size)})</span></a>')

    def figure(self, params: dict | None = None) -> Markup:
        """The picture with its download link under it, as a block of an article body."""
        params = params or {}
        extra = f' {escape(params["figure_class"])}' if params.get("figure_class") else ""
        return Markup(f'<figure class="hq-media{extra}">{self.markup(params)}'
                      f'<figcaption class="hq-media__caption">{self.download_link(params)}'
                      f'</figcaption></figure>')

    def poster_url(self) -> str:
        """One JPEG/PNG for a <video poster>: the fallback closest to 800 pixels wide."""
        return self.url(self.default)


def video_markup(video: Video, title: str, poster: Picture | None, file_url: str = "",
                 file_size: int = 0, captions_url: str = "") -> Markup:
    """A YouTube facade (no third-party request before a click) or a local <video>."""
    if video.is_youtube:
        return _youtube(video, title, poster)
    return _local(video, title, poster, file_url, file_size, captions_url)


def _youtube(video: Video, title: str, poster: Picture | None) -> Markup:
    image = poster.markup({"alt": "", "class": "hq-video__poster",
                           "sizes": DEFAULT_SIZES}) if poster else ""
    return Markup(
        f'<div class="hq-video hq-video--youtube" data-hq-video="{escape(video.embed_url)}" '
        f'data-hq-video-title="{escape(title)}">'
        f'<a class="hq-video__facade" href="{escape(video.watch_url)}" rel="noopener">'
        f'<span class="hq-video__screen">{image}'
        f'<span class="hq-video__play" aria-hidden="true"></span></span>'
        f'<span class="hq-video__label">Xem video: {escape(_without_prefix(title))}</span></a>'
        f'<p class="hq-video__note">Video phát từ YouTube (chế độ không cookie); '
        f'chỉ tải khi bạn bấm xem.</p></div>')


def _without_prefix(title: str) -> str:
    """"Video: Sinh kế..." -> "Sinh kế...", so the button does not say "video" twice."""
    return re.sub(r"^\s*video\s*[:–-]\s*", "", title, flags=re.I) or title


def _local(video: Video, title: str, poster: Picture | None, file_url: str, file_size: int,
           captions_url: str) -> Markup:
    poster_attrs = ""
    if poster:
        shown = poster.default
        poster_attrs = (f' poster="{poster.poster_url()}" width="{shown.width}" '
                        f'height="{shown.height}"')
    track = (f'<track kind="captions" srclang="vi" label="Tiếng Việt" src="{escape(captions_url)}" '
             f'default>' if captions_url else "")
    kind = "WebM" if video.mime_type == "video/webm" else "MP4"
    size = f", {numbers.size(file_size)}" if file_size else ""
    return Markup(
        f'<div class="hq-video hq-video--file">'
        f'<video class="hq-video__player" controls preload="none"{poster_attrs} '
        f'aria-label="{escape(title)}">'
        f'<source src="{escape(file_url)}" type="{video.mime_type}">{track}</video>'
        f'<p class="hq-video__note"><a href="{escape(file_url)}" download>Tải video về máy '
        f'({kind}{size})</a></p></div>')
