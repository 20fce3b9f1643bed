"""The PUBLIC_URL check behind plugins/public_url."""

from __future__ import annotations

from newsdesk.site.context import context_of
# The rule lives with the site data (`invoke setup-site` applies it before writing).
from newsdesk.site_data import PUBLIC_URL_HINT as HINT
from newsdesk.site_data import is_domain, public_url_problem

__all__ = ["HINT", "check_public_url", "public_url_problem"]
ID_DOMAIN_HINT = ("Ghi một tên miền, chỉ gồm chữ không dấu, số, dấu chấm và gạch ngang, ví dụ "
                  "honquan.binhphuoc.gov.vn; nếu đã đăng trang, ghi đúng tên miền đã dùng.")


def check_public_url(pelican) -> None:
    unreadable = pelican.settings.get("SITE_DATA_PROBLEM")
    if unreadable:  # data/site.toml (newsdesk/site_data.py) holds PUBLIC_URL
        context_of(pelican.settings).report.add(
            pelican.settings.get("SITE_DATA_PATH", "data/site.toml"), 0, unreadable,
            "Chạy: invoke setup-site (ghi lại tệp đúng cách).")
    value = pelican.settings.get("PUBLIC_URL")
    problem = public_url_problem(value)
    if problem:
        context_of(pelican.settings).report.add(
            "pelicanconf.py", 0, f"PUBLIC_URL = {value!r} không hợp lệ: {problem}.", HINT)
    domain = pelican.settings.get("FEEDS_ID_DOMAIN")
    if not is_domain(domain):  # it is in every feed entry's id: a domain name and nothing else
        path = pelican.settings.get("SITE_DATA_PATH", "data/site.toml")
        context_of(pelican.settings).report.add(
            path, _line_of(path, "feeds_id_domain"),
            f"feeds_id_domain = {domain!r} không phải một tên miền.", ID_DOMAIN_HINT)


def _line_of(path: str, key: str) -> int:
    """The line where `key` is written in the TOML file at `path` (0 when not found)."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((n for n, line in enumerate(lines, 1) if line.lstrip().startswith(key)), 0)
