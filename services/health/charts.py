"""Server-side line charts for readings: geometry computed here, drawn as inline SVG by a template partial."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WIDTH, HEIGHT, PAD_X, PAD_Y = 320, 160, 36, 18


@dataclass
class Series:
    label: str
    points: str
    dots: list[tuple[float, float, str]] = field(default_factory=list)


@dataclass
class Chart:
    kind: str
    title: str
    series: list[Series]
    y_min: float
    y_max: float
    first: str
    last: str
    rows: list  # the readings, for the table that goes with the chart
    width: int = WIDTH
    height: int = HEIGHT


def reading_charts(readings) -> list[Chart]:
    """One chart per kind of reading (ordered by date): blood pressure has two lines, the rest one."""
    by_kind = defaultdict(list)
    for reading in readings:
        by_kind[reading.kind].append(reading)
    charts = []
    for kind, rows in by_kind.items():
        rows.sort(key=lambda r: (r.taken_on, r.pk or 0))
        values = [float(r.value) for r in rows] + [float(r.value2) for r in rows if r.value2 is not None]
        low, high = min(values), max(values)
        if high == low:
            low, high = low - 1, high + 1
        span_days = max((rows[-1].taken_on - rows[0].taken_on).days, 1)
        single = len(rows) == 1

        def xy(day, value, low=low, high=high, start=rows[0].taken_on, span_days=span_days, single=single):
            x = PAD_X + (WIDTH - 2 * PAD_X) * ((day - start).days / span_days if not single else 0.5)
            y = HEIGHT - PAD_Y - (HEIGHT - 2 * PAD_Y) * (value - low) / (high - low)
            return round(x, 1), round(y, 1)

        if kind == "bp":
            lines = [("value", _("systolic")), ("value2", _("diastolic"))]
        else:
            lines = [("value", rows[0].get_kind_display())]
        series = []
        for attr, label in lines:
            pts = [
                (xy(r.taken_on, float(getattr(r, attr))), str(getattr(r, attr)))
                for r in rows
                if getattr(r, attr) is not None
            ]
            series.append(
                Series(
                    label=label, points=" ".join(f"{x},{y}" for (x, y), _ in pts), dots=[(x, y, v) for (x, y), v in pts]
                )
            )
        charts.append(
            Chart(
                kind=kind,
                title=rows[0].get_kind_display(),
                series=series,
                y_min=low,
                y_max=high,
                first=rows[0].taken_on.isoformat(),
                last=rows[-1].taken_on.isoformat(),
                rows=rows,
            )
        )
    return charts
