"""Entering an assessment indicator by hand (填报): one action for the staff page and the seed; the admin saves
through AuditedAdmin with the same lock."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit import audit
from portal.core.locks import refuse_locked
from portal.site.models import FacilityItem, Indicator, IndicatorEntry, Rubric

# The most a community can plausibly have: a typo (3000 cadres) is refused with a message, not scored.
LIMITS = {
    Indicator.RESERVE_CADRES: Decimal(50),
    Indicator.GRADUATES: Decimal(200),
    Indicator.WORKERS_4050: Decimal(500),
    Indicator.OFFICE_AREA: Decimal(100_000),
    Indicator.FACILITIES: Decimal(len(FacilityItem.choices)),
}
COUNTS = {Indicator.RESERVE_CADRES, Indicator.GRADUATES, Indicator.WORKERS_4050}


def check_value(indicator: str, value: Decimal | None, items: list[str]) -> Decimal:
    """The value to store, or a ValidationError on the field that is wrong."""
    if indicator == Indicator.FACILITIES:
        unknown = set(items) - set(FacilityItem.values)
        if unknown:
            raise ValidationError({"items": _("Unknown item.")}, code="invalid")
        return Decimal(len(set(items)))
    if value is None:
        raise ValidationError({"value": _("Enter the figure.")}, code="required")
    if value < 0:
        raise ValidationError({"value": _("The value cannot be negative.")}, code="min_value")
    if value > LIMITS[Indicator(indicator)]:
        raise ValidationError(
            {"value": _("At most %(limit)s; check the figure.") % {"limit": LIMITS[Indicator(indicator)]}},
            code="max_value",
        )
    if indicator in COUNTS and value != value.to_integral_value():
        raise ValidationError({"value": _("A number of people is a whole number.")}, code="whole")
    return value


@transaction.atomic
def indicator_enter(
    *,
    rubric: Rubric,
    community_id: int,
    indicator: str,
    value: Decimal | None,
    note: str,
    by,
    items: list[str] | None = None,
    attachment=None,
) -> IndicatorEntry:
    """Enter (or correct) a community's value of a hand-entered indicator for the rubric's year; audited, and
    refused once the community's result for the year is frozen."""
    entry = (
        IndicatorEntry.objects.select_for_update()
        .filter(rubric=rubric, community_id=community_id, indicator=indicator)
        .first()
    )
    if entry is None:
        entry = IndicatorEntry(rubric=rubric, community_id=community_id, indicator=indicator)
    refuse_locked(entry)
    before = None if entry._state.adding else (entry.value, sorted(entry.items))
    items = sorted(set(items or [])) if indicator == Indicator.FACILITIES else []
    entry.value = check_value(indicator, value, items)
    entry.items = items
    entry.note = note.strip()
    if attachment is not None:
        entry.attachment = attachment
    entry.entered_by = by
    entry.entered_at = timezone.now()
    entry.full_clean()
    entry.save()
    summary = f"{rubric.year} {indicator} = {entry.value:g}"
    if before is not None:
        summary += f" (was {before[0]:g})"
    audit(actor=by, action="indicator_enter", obj=entry, summary=summary)
    return entry
