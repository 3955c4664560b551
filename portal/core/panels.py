"""Dashboard panels, contributed by every app's `dashboard.py` as `panels(community_id, today) -> list[Panel]`.

A panel is computed with one or two grouped queries whatever the community's size. The site draws every chart
server-side as SVG (no script) and always prints the same figures as a table, for screen readers and for copying
into reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portal.core.plugins import app_modules

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 320, 120, 4


@dataclass
class Bar:
    label: str
    value: float
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


@dataclass
class Panel:
    title: str
    columns: list[str]
    rows: list[list]  # first cell: the row's label
    chart: list[tuple[str, float]] | None = None  # (label, value) bars, usually one per row
    note: str = ""
    bars: list[Bar] = field(default_factory=list)
    max_value: float = 0

    def __post_init__(self) -> None:
        if not self.chart:
            return
        self.max_value = max((v for _, v in self.chart), default=0) or 1
        width = (CHART_WIDTH - BAR_GAP * (len(self.chart) - 1)) / len(self.chart)
        for i, (label, value) in enumerate(self.chart):
            height = (CHART_HEIGHT - 14) * value / self.max_value
            self.bars.append(
                Bar(label, value, x=i * (width + BAR_GAP), y=CHART_HEIGHT - 14 - height, width=width, height=height)
            )


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
