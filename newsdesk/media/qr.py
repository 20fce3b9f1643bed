"""QR codes for print and kiosk pages: one helper, inline SVG that the site's CSP accepts.

`qr_svg(url)` returns an `<svg>` to put in a page as it is: no XML declaration, no `style`
attribute and no `<style>` element (the Content-Security-Policy forbids inline styles; colours
are presentation attributes), a `<title>` and `<desc>` for screen readers, a viewBox and no
fixed size (CSS sizes it through its class `hq-qr`). The same URL always gives the same bytes.
Templates: `{{ (PUBLIC_URL ~ "/" ~ article.url)|qr }}`.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno
from markupsafe import Markup

ERROR_LEVEL = "m"  # 15 % of the code may be dirty or torn and it still reads
BORDER = 4  # the quiet zone the QR standard asks for, in modules


def qr_svg(url: str, title: str = "", css_class: str = "hq-qr") -> Markup:
    """An inline SVG QR code of the absolute http(s) `url`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"a QR code needs an absolute http(s) URL, not {url!r}")
    code = segno.make(url, error=ERROR_LEVEL, micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True,
              border=BORDER, dark="#000", light="#fff", svgclass=css_class,
              lineclass=f"{css_class}__dark", title=title or f"Mã QR: {url}",
              desc=f"Quét mã bằng điện thoại để mở {url}", encoding="utf-8")
    # role="img": read as one picture named by its <title>, not as a drawing of paths.
    return Markup(out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" ', 1))
