"""The PUBLIC_URL check behind plugins/public_url."""

from __future__ import annotations

from newsdesk.site.context import context_of
# The rule lives with the site data (`invoke setup-site` applies it before writing).
from newsdesk.site_data import PUBLIC_URL_HINT as HINT
from newsdesk.site_data import public_url_problem

__all__ = ["HINT", "check_public_url", "public_url_problem"]


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
