"""Dates the Vietnamese way: read day-first or ISO in Asia/Ho_Chi_Minh, write with Babel."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY_ENV = "NEWSDESK_TODAY"

_VIETNAMESE = re.compile(
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2})(?:[:hg](?P<M>\d{2})?)?(?::(?P<S>\d{2}))?)?$")
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$")


# Years an item may carry: older is a typo (0001, 1023), further ahead is a typo too.
EARLIEST_YEAR = 2000
YEARS_AHEAD = 5


class DateError(ValueError):
    """A date an editor wrote that is not a real date; the message is Vietnamese."""


class TodayError(DateError):
    """The build's "today" (--today or NEWSDESK_TODAY) is written wrongly."""


TODAY_HINT = "Viết ngày dạng YYYY-MM-DD (năm-tháng-ngày), ví dụ: --today 2026-11-26."


def parse(text: str) -> dt.datetime:
    """Read `26/11/2023 08:00` (day first, never month first) or `2023-11-26 08:00`.

    A written offset is honoured; otherwise the time is Vietnam's. Returns an aware datetime.
    """
    text = " ".join(text.split())
    match = _VIETNAMESE.match(text) or _ISO.match(text)
    if not match:
        raise DateError(f"\"{text}\" không phải ngày giờ hợp lệ; hãy viết dạng "
                        "26/11/2023 08:00 hoặc 2023-11-26 08:00.")
    parts = match.groupdict()
    _check_time(text, parts)
    try:
        value = dt.datetime(int(parts["y"]), int(parts["m"]), int(parts["d"]),
                            int(parts["H"] or 0), int(parts["M"] or 0), int(parts["S"] or 0))
    except ValueError:
        raise DateError(f"\"{text}\" không có thật trên lịch (ngày {parts['d']}, "
                        f"tháng {parts['m']}, năm {parts['y']}); ngày viết trước tháng.") from None
    offset = parts.get("tz")
    if offset:
        try:
            return dt.datetime.fromisoformat(value.isoformat() + offset.replace("Z", "+00:00"))
        except ValueError:
            raise DateError(f"\"{text}\" có múi giờ \"{offset}\" không có thật (giờ lệch phải "
                            "nhỏ hơn 24:00).") from None
    return value.replace(tzinfo=TIMEZONE)


def _check_time(text: str, parts: dict) -> None:
    """An impossible hour or minute is the time's fault, not the day's or the month's."""
    hour, minute, second = (int(parts[key] or 0) for key in ("H", "M", "S"))
    if hour > 23 or minute > 59 or second > 59:
        written = f"{parts['H']}:{parts['M'] or '00'}" + (f":{parts['S']}" if parts["S"] else "")
        raise DateError(f"\"{text}\" có giờ \"{written}\" không có thật (giờ từ 0 đến 23, "
                        "phút từ 00 đến 59).")


def check_year(value: dt.datetime, today_: dt.date) -> None:
    """Refuse a year no item of this site can have: before 2000 or over 5 years ahead."""
    latest = today_.year + YEARS_AHEAD
    if not EARLIEST_YEAR <= value.year <= latest:
        raise DateError(f"Năm {value.year:04d} không hợp lý: ngày của bài phải từ năm "
                        f"{EARLIEST_YEAR} đến năm {latest} (hôm nay cộng {YEARS_AHEAD} năm).")


def today(setting: str | dt.date | None = None) -> dt.date:
    """The build's "today": a fixed date if given (setting or NEWSDESK_TODAY), else Vietnam's."""
    fixed = setting or os.environ.get(TODAY_ENV)
    if isinstance(fixed, dt.date):
        return fixed
    if fixed:
        try:
            return parse(fixed).date()
        except DateError:
            raise TodayError(f"Ngày \"{fixed}\" của tùy chọn --today (hoặc biến {TODAY_ENV}) "
                             "không đúng dạng.") from None
    return dt.datetime.now(TIMEZONE).date()


def end_of(day: dt.date) -> dt.datetime:
    """The last instant of `day` in Vietnam: items dated up to it are published."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=TIMEZONE)


def not_yet(when: dt.datetime | None, today_: dt.date) -> bool:
    """Future-dated means not yet published: dated after the last instant of today."""
    return bool(when) and when > end_of(today_)


# Babel formats slowly and each item's date is shown on many pages: keep each answer. Equal
# aware datetimes are one instant, and each is shown in Vietnam's time, so equal keys agree.
_kept = functools.lru_cache(maxsize=16384)


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(TIMEZONE) if value.tzinfo else value.replace(tzinfo=TIMEZONE)


@_kept
def long_date(value: dt.datetime | dt.date) -> str:
    """"Thứ Năm, 26/11/2026" (Babel's Vietnamese day names)."""
    if isinstance(value, dt.datetime):
        return format_datetime(local(value), "EEEE, dd/MM/yyyy", locale="vi",
                               tzinfo=TIMEZONE)
    return format_date(value, "EEEE, dd/MM/yyyy", locale="vi")


@_kept
def short_date(value: dt.datetime | dt.date) -> str:
    """"26/11/2026"."""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return format_date(value, "dd/MM/yyyy", locale="vi")


@_kept
def month_name(value: dt.datetime | dt.date) -> str:
    """"Tháng 11 năm 2026"."""
    return format_date(value, "'Tháng' M 'năm' yyyy", locale="vi")


@_kept
def time_of_day(value: dt.datetime) -> str:
    """"08:00"."""
    return format_datetime(local(value), "HH:mm", locale="vi", tzinfo=TIMEZONE)
