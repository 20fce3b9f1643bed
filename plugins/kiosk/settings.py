"""The kiosk's settings: their defaults, and the checks of the numbers."""

from newsdesk.content.problems import ERROR
from newsdesk.site.context import context_of

DEFAULTS = {
    "KIOSK_URL": "kiosk/",
    "KIOSK_SAVE_AS": "kiosk/index.html",
    "KIOSK_COMMUNE_URL": "kiosk/dia-ban/{slug}/",
    "KIOSK_COMMUNE_SAVE_AS": "kiosk/dia-ban/{slug}/index.html",
    "KIOSK_ITEM_URL": "kiosk/{type}/{slug}/",
    "KIOSK_ITEM_SAVE_AS": "kiosk/{type}/{slug}/index.html",
    "KIOSK_SEARCH_URL": "kiosk/tim-kiem/",
    "KIOSK_SEARCH_SAVE_AS": "kiosk/tim-kiem/index.html",
    "KIOSK_IDLE_SECONDS": 90,
    "KIOSK_COUNTDOWN_SECONDS": 15,
    "KIOSK_NETWORK_TIMEOUT_SECONDS": 3,
    "KIOSK_UPCOMING_CONFERENCES": 3,
    "KIOSK_ATTRACT_ITEMS": 6,
    "KIOSK_PRECACHE_BUDGET": 200_000_000,
    "KIOSK_PRECACHE_LISTS": [],
}


def seconds(settings, name: str) -> float:
    """A duration setting (KIOSK_*_SECONDS), checked: a wrong one is a build error, and the
    default stands in meanwhile so every other problem is still found."""
    return _checked(settings, name, lambda v: isinstance(v, (int, float)) and 0 < v <= 86400,
                    "một số giây lớn hơn 0")


def count(settings, name: str) -> int:
    """A number of items to show (KIOSK_ATTRACT_ITEMS...), checked like `seconds`."""
    return _checked(settings, name, lambda v: isinstance(v, int) and v >= 0,
                    "một số nguyên từ 0 trở lên")


def _checked(settings, name: str, good, what: str):
    value = settings[name]
    if not isinstance(value, bool) and good(value):
        return value
    context_of(settings).report.add(
        "pelicanconf.py", 0, f"{name} phải là {what} (đang là {value!r}).",
        f"Sửa {name} trong pelicanconf.py, ví dụ {name} = {DEFAULTS[name]}.", ERROR,
        code="kiosk-setting")
    return DEFAULTS[name]
