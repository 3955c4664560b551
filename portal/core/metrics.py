"""Metrics of the 1000-point assessment (千分考核), contributed by every app's `assessment_metrics.py`.

A metric is `func(community_ids, year) -> {community_id: value}`: one grouped query for all communities, so the
district page costs the same for 1 community as for 29. Apps list theirs as METRICS = {"key": Metric(label, func)};
the site scores them (portal/site/assessment.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from portal.core.plugins import app_modules


@dataclass(frozen=True)
class Metric:
    label: str
    compute: Callable[[list[int], int], dict[int, float]]


def year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def all_metrics() -> dict[str, Metric]:
    found: dict[str, Metric] = {}
    for _app, module in app_modules("assessment_metrics"):
        found.update(getattr(module, "METRICS", {}))
    return found
