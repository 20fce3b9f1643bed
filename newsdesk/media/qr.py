"""QR codes for print and kiosk pages: one helper, inline SVG that the site's CSP accepts.

`qr_svg(url)` returns an `<svg>` to put in a page as it is: no XML declaration, no `style`
attribute and no `<style>` element (the Content-Security-Policy forbids inline styles; colours
are presentation attributes), a `<title>` and `<desc>` for screen readers, a viewBox and no
fixed size (CSS sizes it through its class `hq-qr`). The same URL always gives the same bytes.
Templates: `{{ (PUBLIC_URL ~ "/" ~ article.url)|qr }}`.

Drawing a code is slow in pure Python (segno tries eight masks: about 40 ms a code, half of a
kiosk build), and every build draws the same codes again, so each SVG is kept by a hash of
what makes it (segno's version, CACHE_VERSION, the URL, title and class) in memory and in
`.cache/qr/` at the project root, as the image derivatives are kept. Bump CACHE_VERSION when
the drawing below changes.
"""

from __future__ import annotations

import functools
import io
from urllib.parse import urlsplit

import segno
from markupsafe import Markup

from newsdesk import disk_cache, project

ERROR_LEVEL = "m"  # 15 % of the code may be dirty or torn and it still reads
BORDER = 4  # the quiet zone the QR standard asks for, in modules
CACHE_DIR = project.ROOT / ".cache" / "qr"
CACHE_VERSION = "1"
KEPT_IN_MEMORY = 256  # codes a process keeps at hand (a page's and its neighbours'), not all


def qr_svg(url: str, title: str = "", css_class: str = "hq-qr") -> Markup:
    """An inline SVG QR code of the absolute http(s) `url`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"a QR code needs an absolute http(s) URL, not {url!r}")
    return Markup(_kept_svg(url, title, css_class))


@functools.lru_cache(maxsize=KEPT_IN_MEMORY)
def _kept_svg(url: str, title: str, css_class: str) -> str:
    key = disk_cache.key_of(CACHE_VERSION, segno.__version__, url, title, css_class)
    svg = disk_cache.load(CACHE_DIR, key, ".svg")
    if svg is None:
        svg = draw(url, title, css_class)
        disk_cache.store(CACHE_DIR, key, ".svg", svg)
    return svg


def draw(url: str, title: str, css_class: str) -> str:
    """The SVG text of one code, drawn now (qr_svg keeps what this returns)."""
    code = segno.make(url, error=ERROR_LEVEL, micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True,
              border=BORDER, dark="#000", light="#fff", svgclass=css_class,
              lineclass=f"{css_class}__dark", title=title or f"Mã QR: {url}",
              desc=f"Quét mã bằng điện thoại để mở {url}", encoding="utf-8")
    # role="img": read as one picture named by its <title>, not as a drawing of paths.
    return out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" ', 1)
