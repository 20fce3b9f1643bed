"""Sizes and durations the Vietnamese way (decimal comma): "194,9 kB", "1,2 giây"."""

from __future__ import annotations

from babel.numbers import format_decimal


def size(count) -> str:
    if not isinstance(count, int):
        return "?"
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= scale:
            return f"{format_decimal(count / scale, format='#,##0.#', locale='vi')} {unit}"
    return f"{count} B"


def seconds(value: float) -> str:
    return f"{format_decimal(value, format='#,##0.0', locale='vi')} giây"
