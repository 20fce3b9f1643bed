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

import hashlib
import io
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import segno
from markupsafe import Markup

from newsdesk import project

ERROR_LEVEL = "m"  # 15 % of the code may be dirty or torn and it still reads
BORDER = 4  # the quiet zone the QR standard asks for, in modules
CACHE_DIR = project.ROOT / ".cache" / "qr"
CACHE_VERSION = "1"
_drawn: dict[str, str] = {}  # this process's codes, by key


def qr_svg(url: str, title: str = "", css_class: str = "hq-qr") -> Markup:
    """An inline SVG QR code of the absolute http(s) `url`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"a QR code needs an absolute http(s) URL, not {url!r}")
    key = hashlib.sha256("\0".join([CACHE_VERSION, segno.__version__, url, title,
                                     css_class]).encode("utf-8")).hexdigest()[:32]
    svg = _drawn.get(key)
    if svg is None:
        svg = _drawn[key] = _stored(key, Path(CACHE_DIR)) or _store(
            key, Path(CACHE_DIR), draw(url, title, css_class))
    return Markup(svg)


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


def _stored(key: str, cache: Path) -> str | None:
    try:
        return (cache / f"{key}.svg").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _store(key: str, cache: Path, svg: str) -> str:
    """Keep `svg` under `key`; written aside then renamed, so a file there is always whole.
    A cache that cannot be written only costs time."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache, prefix=".qr-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(svg)
        os.replace(temporary, cache / f"{key}.svg")
    except OSError:
        pass
    return svg
