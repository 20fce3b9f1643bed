"""Bar charts as geometry: what theme/templates/macros/bar-chart.html draws as SVG.

Units are the SVG's own (viewBox WIDTH wide); at a 360 px phone the chart is drawn about one
CSS pixel per unit, so the 14-unit text stays readable, and the longest label (an audience's
name, about 300 units) still fits on its line. Each bar is a label line above a
track; a bar with a target fills its track to the share done (full at or above the target),
one without is scaled to the largest count of its chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.content.progress import Row

WIDTH = 320
FONT_SIZE = 14
TRACK = 214          # the track's length; the value is written after it, from VALUE_X
VALUE_X = 222
ROW_HEIGHT = 44
LABEL_BASELINE = 16
BAR_TOP, BAR_HEIGHT = 23, 14


@dataclass(frozen=True)
class Bar:
    label: str
    value: str       # "12/20" against a target, else "12": the table's figures
    top: int
    length: float    # of the filled part, in units
    reached: bool    # the target is met


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    bars: tuple[Bar, ...]

    width, font_size, track, value_x = WIDTH, FONT_SIZE, TRACK, VALUE_X

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4


def chart(key: str, title: str, description: str, rows: list[Row]) -> Chart:
    """A chart of these table rows: against their targets when they have one."""
    largest = max((row.done for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        if row.target is not None:
            share = min(1.0, row.done / row.target) if row.target else 1.0
            value = f"{row.done}/{row.target}"
        else:
            share, value = row.done / largest, str(row.done)
        bars.append(Bar(label=row.label, value=value, top=index * ROW_HEIGHT,
                        length=round(TRACK * share, 1),
                        reached=row.target is not None and row.done >= row.target))
    return Chart(key, title, description, tuple(bars))
