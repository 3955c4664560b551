"""What the stations' demo data share (services/seed.py runs each station's seed): local times, ages, and the
community's current residents as plain rows."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.core.models import Community
from residents.models import Resident

BATCH = 1000


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """`time` on `day`, local (Asia/Shanghai)."""
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def age_on(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def current_people(community: Community) -> list[dict]:
    """The community's current residents, with what the stations' seeds draw on."""
    return list(
        Resident.objects.current()
        .filter(community=community)
        .values("pk", "household_id", "name", "sex", "birth_date", "is_retiree", "is_veteran", "is_disabled", "user_id")
        .order_by("pk")
    )
