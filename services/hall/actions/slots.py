"""Slots of the hall's counters: cut from the opening hours, none on closed days."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.core.models import Community
from services.hall.models import ClosedDay, Counter, Slot

DEFAULT_DAYS_AHEAD = 14


def slots_generate(
    *, community: Community | None = None, days_ahead: int = DEFAULT_DAYS_AHEAD, today: dt.date | None = None
) -> int:
    """Cut slots from every active counter's opening hours for the next `days_ahead` days; returns how many are new.

    Idempotent: existing slots are kept (one slot per counter and start time, by constraint). Closed days get none.
    """
    today = today or timezone.localdate()
    last = today + dt.timedelta(days=days_ahead)
    counters = Counter.objects.active().prefetch_related("hours")
    closures = ClosedDay.objects.filter(date__gte=today, date__lte=last)
    if community is not None:
        counters = counters.filter(community=community)
        closures = closures.filter(community=community)
    closed_hall: set[tuple[int, dt.date]] = set()
    closed_counter: set[tuple[int, dt.date]] = set()
    for closure in closures:
        if closure.counter_id is None:
            closed_hall.add((closure.community_id, closure.date))
        else:
            closed_counter.add((closure.counter_id, closure.date))
    tz = timezone.get_current_timezone()
    slots = []
    for counter in counters:
        length = dt.timedelta(minutes=counter.slot_minutes)
        for offset in range(days_ahead + 1):
            day = today + dt.timedelta(days=offset)
            if (counter.community_id, day) in closed_hall or (counter.pk, day) in closed_counter:
                continue
            for hours in counter.hours.all():
                if hours.weekday != day.weekday():
                    continue
                start = dt.datetime.combine(day, hours.opens, tzinfo=tz)
                end_of_period = dt.datetime.combine(day, hours.closes, tzinfo=tz)
                while start + length <= end_of_period:
                    slots.append(
                        Slot(
                            community_id=counter.community_id,
                            counter=counter,
                            date=day,
                            starts_at=start,
                            ends_at=start + length,
                            capacity=counter.seats_per_slot,
                        )
                    )
                    start += length
    window = Slot.objects.filter(date__gte=today, date__lte=last)
    if community is not None:
        window = window.filter(community=community)
    before = window.count()
    Slot.objects.bulk_create(slots, batch_size=1000, ignore_conflicts=True)
    return window.count() - before


def is_closed(*, counter_id: int, community_id: int, day: dt.date) -> ClosedDay | None:
    """The closure that shuts this counter on `day`, if any."""
    return ClosedDay.objects.filter(community_id=community_id, date=day).affecting(counter_id).first()


def slots_nearest_free(*, slot: Slot, limit: int = 4) -> list[Slot]:
    """The bookable slots of the same counter closest in time to `slot` (for "this one is full")."""
    base = Slot.objects.filter(counter_id=slot.counter_id).bookable().exclude(pk=slot.pk)
    later = list(base.filter(starts_at__gte=slot.starts_at).order_by("starts_at")[:limit])
    earlier = list(base.filter(starts_at__lt=slot.starts_at).order_by("-starts_at")[:limit])
    nearest = sorted(later + earlier, key=lambda s: abs((s.starts_at - slot.starts_at).total_seconds()))
    return sorted(nearest[:limit], key=lambda s: s.starts_at)
