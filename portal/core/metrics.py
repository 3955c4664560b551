"""Metrics of the 1000-point assessment (千分考核), contributed by every app's `assessment_metrics.py`.

A metric is `func(community_ids, year) -> {community_id: value}`: one grouped query for all communities, so the
district page costs the same for 1 community as for 29. Apps list theirs as
METRICS = {"key": Metric(label, func, section=Section.…)}, and the models they read as DEPENDS; the site scores them
(portal/site/assessment.py) and keeps the computed values until one of those models changes.

This is the one way an indicator reaches the 1000 points, whether the portal computes it from its records or staff
enter it by hand where no record exists (`entered=True`: the site's 填报 values, portal/site/assessment_metrics.py):

- `section` says under which part of the 1000 points the indicator is shown (the district's programme names them:
  队伍建设, 设施保障, 党建 … see `Section`); a metric that names none is shown under "other indicators";
- a community missing from the returned dict has no value: "no data yet" for a computed metric, "not entered" for
  an entered one. Neither is silently a zero: the page says which, and the criterion earns no points until it has
  a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.plugins import app_modules, modules_depend


class Section(models.TextChoices):
    """The parts of the 1000 points, in the order the assessment page shows them (新华区千分考核星级分类实施方案:
    the three guarantees — staff, premises — and the work brought into the community)."""

    STAFFING = "staffing", _("Staffing (队伍建设)")
    PREMISES = "premises", _("Premises and facilities (设施保障)")
    PARTY = "party", _("Party building and the three councils (党建与三会)")
    SERVICES = "services", _("Services in the community (服务进社区)")
    PROPERTY = "property", _("Property management and environment (物业管理)")
    GOVERNANCE = "governance", _("Social management and openness (社会管理)")
    CIVILITY = "civility", _("Civility and participation (文明创建)")
    OTHER = "other", _("Other indicators")


@dataclass(frozen=True)
class Metric:
    label: str
    compute: Callable[[list[int], int], dict[int, float]]
    section: str = Section.OTHER
    entered: bool = False  # values entered by hand (填报), not computed from the portal's records


def year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def metric_depends() -> tuple[str, ...] | None:
    """Every model the metrics read (each module's DEPENDS), or None while a module does not say."""
    return modules_depend("assessment_metrics")


def all_metrics() -> dict[str, Metric]:
    found: dict[str, Metric] = {}
    for _app, module in app_modules("assessment_metrics"):
        found.update(getattr(module, "METRICS", {}))
    return found
