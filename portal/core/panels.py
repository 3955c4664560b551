"""Dashboard panels, contributed by every app's `dashboard.py` as `panels(community_id, today) -> list[Panel]`.

A panel is computed with one or two grouped queries whatever the community's size. The site draws every chart
server-side as SVG (no script) and always prints the same figures as a table, for screen readers and for copying
into reports.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from portal.core.plugins import app_modules

# The chart's box (SVG user units) and the plot inside it: room on the left for the value axis, below for the labels.
CHART_WIDTH, CHART_HEIGHT = 360, 210
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 40, 8, 24, 168
BAR_GAP = 6
FONT = 10  # the labels' size in user units; a CJK character is about this wide, a digit about 0.6 of it


@dataclass
class Bar:
    label: str
    value: float
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    show_label: bool = True

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def value_y(self) -> float:
        return self.y - 3

    @property
    def value_text(self) -> str:
        return f"{float(self.value):g}"


@dataclass
class Tick:
    value: float
    y: float

    @property
    def label(self) -> str:
        return f"{self.value:g}"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at least `value`: a value axis people read at a glance."""
    if value <= 0:
        return 1
    scale = 10 ** math.floor(math.log10(value))
    return next(m * scale for m in (1, 2, 2.5, 5, 10) if value <= m * scale)


def text_width(text: str) -> float:
    return sum(FONT if ord(ch) > 0x2E80 else FONT * 0.6 for ch in str(text))


@dataclass
class Panel:
    title: str
    columns: list[str]
    rows: list[list]  # first cell: the row's label
    chart: list[tuple[str, float]] | None = None  # (label, value) bars, usually one per row
    note: str = ""
    value_label: str = ""  # what a bar's height measures, with its unit: "预约（人次）"
    category_label: str = ""  # what the bars are; the first column's heading unless said
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    max_value: float = 0

    def __post_init__(self) -> None:
        if not self.chart:
            return
        self.category_label = self.category_label or str(self.columns[0])
        values = [float(v) for _, v in self.chart]
        # Four steps of a round size (1, 2, 2.5, 5 × 10ⁿ; whole numbers for counts) up to at least the largest bar.
        step = nice_ceiling(max(values, default=0) / 4)
        if all(v.is_integer() for v in values):
            step = max(step, 1)
        self.max_value = step * 4
        height = PLOT_BOTTOM - PLOT_TOP
        self.ticks = [Tick(step * i, PLOT_BOTTOM - height * i / 4) for i in range(5)]
        slot = (CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT) / len(self.chart)
        # Label every bar when the labels fit side by side, else every second, third … bar.
        widest = max(text_width(label) for label, _ in self.chart)
        every = max(1, math.ceil((widest + 4) / slot))
        for i, (label, value) in enumerate(self.chart):
            h = height * float(value) / self.max_value
            self.bars.append(
                Bar(
                    str(label),
                    value,
                    x=PLOT_LEFT + i * slot + BAR_GAP / 2,
                    y=PLOT_BOTTOM - h,
                    width=slot - BAR_GAP,
                    height=h,
                    show_label=i % every == 0,
                )
            )

    @property
    def geometry(self) -> dict:
        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "left": PLOT_LEFT,
            "tick_x": PLOT_LEFT - 4,
            "right": CHART_WIDTH - PLOT_RIGHT,
            "top": PLOT_TOP,
            "bottom": PLOT_BOTTOM,
            "label_y": PLOT_BOTTOM + 14,
            "title_y": CHART_HEIGHT - 6,
            "middle": (PLOT_LEFT + CHART_WIDTH - PLOT_RIGHT) / 2,
        }


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for _ in range(months):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def community_panels(community_id: int, today: dt.date) -> list[Panel]:
    """Every app's panels for one community, in INSTALLED_APPS order."""
    found: list[Panel] = []
    for _app, module in app_modules("dashboard"):
        found.extend(module.panels(community_id, today))
    return found
