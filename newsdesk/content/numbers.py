"""Sizes and durations the Vietnamese way (decimal comma): "1,2 MB", "350 KB", "1,2 giây".

The one formatter of file sizes: pages (image and audio download links), `invoke check`
and `invoke publish` all say a size the same way.
"""

from __future__ import annotations

from babel.numbers import format_decimal

UNITS = (("GB", 10**9), ("MB", 10**6))


def size(count) -> str:
    """Bytes as a reader says them: "2,3 GB", "1,2 MB", "350 KB" (never less than 1 KB)."""
    if not isinstance(count, int):
        return "?"
    for unit, scale in UNITS:
        if count >= scale:
            return f"{format_decimal(count / scale, format='#,##0.0', locale='vi')} {unit}"
    return f"{format_decimal(max(1, round(count / 1000)), format='#,##0', locale='vi')} KB"


def seconds(value: float) -> str:
    return f"{format_decimal(value, format='#,##0.0', locale='vi')} giây"
