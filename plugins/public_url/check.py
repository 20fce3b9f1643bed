"""The PUBLIC_URL check behind plugins/public_url."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsdesk.site.context import context_of

_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*", re.I)
_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)*")
HINT = ("Ghi địa chỉ công khai của chuyên mục dạng https://tên-miền/đường-dẫn, không có dấu / ở "
        "cuối, ví dụ PUBLIC_URL = \"https://honquan.binhphuoc.gov.vn/giam-ngheo\".")


def public_url_problem(value) -> str:
    """Why `value` is not a usable public address, or "" when it is."""
    if not isinstance(value, str) or not value:
        return "chưa ghi địa chỉ công khai"
    if value != value.strip() or any(ch.isspace() for ch in value):
        return "có khoảng trắng"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return "phải bắt đầu bằng https:// hoặc http://"
    if parts.username or parts.password or "@" in parts.netloc:
        return "không được chứa tên người dùng hay mật khẩu"
    try:
        port = parts.port
    except ValueError:
        return "số cổng không hợp lệ"
    host = parts.hostname or ""
    if not _HOST.fullmatch(host) or (port is None and parts.netloc.endswith(":")):
        return "tên miền không hợp lệ"
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        return "không được có phần ? hay # ở cuối"
    if value.endswith("/"):
        return "không được có dấu / ở cuối"
    if not _PATH.fullmatch(parts.path):
        return "đường dẫn chỉ được gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới và /"
    return ""


def check_public_url(pelican) -> None:
    value = pelican.settings.get("PUBLIC_URL")
    problem = public_url_problem(value)
    if problem:
        context_of(pelican.settings).report.add(
            "pelicanconf.py", 0, f"PUBLIC_URL = {value!r} không hợp lệ: {problem}.", HINT)
