"""The one place where an issue found on a home visit or a patrol is handed over, in one step, to whoever deals with
it: a case of the hall (services.hall: the existing `case_file`) or a repair by the property company serving the
household's courtyard (services.property: `repair_report`), each with the source "home visit" or "grid patrol".
A destination is a key in DESTINATIONS and its function; the form and pages offer whatever DESTINATIONS holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit
from portal.core.models import User
from residents.models import HomeVisit, Patrol, Resident
from services.hall.actions import case_file
from services.hall.models import Case
from services.property.actions import repair_report
from services.property.models import Repair

Finding = HomeVisit | Patrol


@dataclass(frozen=True)
class Destination:
    label: str
    hand_over: Callable[..., models.Model]  # (finding, by, resident, kind) -> the record it became


def source_of(finding: Finding) -> str:
    return Case.Source.VISIT if isinstance(finding, HomeVisit) else Case.Source.PATROL


def place_of(finding: Finding) -> str:
    """Where the issue is, as the case's "where": the patrol's place, or the household's building and unit."""
    if isinstance(finding, Patrol):
        return finding.location
    household = finding.household
    return household.address_with("")[:100]


def _to_case(*, finding: Finding, by: User, resident: Resident, kind: str) -> Case:
    issue = finding.issue.strip()
    title = issue.splitlines()[0][:100] if issue else str(_("Issue found"))
    return case_file(
        resident=resident,
        kind=kind,
        title=title,
        description=issue,
        filed_by=by,
        location=place_of(finding)[:100],
        source=source_of(finding),
    )


def _to_repair(*, finding: Finding, by: User, resident: Resident, kind: str) -> Repair:
    """A fault of the household's building (water, electricity, gas…: `kind`), sent to its property company."""
    kind = kind if kind in Repair.Kind.values else Repair.Kind.OTHER
    return repair_report(
        finding.community,
        resident.household.building,
        kind,
        finding.issue.strip(),
        source_of(finding),
        by,
        resident,
        location=place_of(finding)[:100],
        origin=f"{finding._meta.verbose_name} #{finding.pk}",
    )


DESTINATIONS: dict[str, Destination] = {
    "case": Destination(_("a case of the service hall (办件)"), _to_case),
    "repair": Destination(_("a repair by the property company (物业报修)"), _to_repair),
}


def destination_choices() -> list[tuple[str, str]]:
    return [(key, d.label) for key, d in DESTINATIONS.items()]


def finding_hand_over(*, finding: Finding, by: User, resident: Resident, kind: str, destination: str = "case"):
    """Hand the issue found on `finding` over to `destination` for `resident` (the household concerned) and keep on
    the finding what it became. Once only: a second hand-over of the same finding is refused."""
    if destination not in DESTINATIONS:
        raise ValidationError({"destination": _("Choose where the issue goes.")})
    if resident.community_id != finding.community_id:
        raise ValidationError({"resident": _("This resident belongs to another community.")})
    with transaction.atomic():
        locked = type(finding).objects.select_for_update().get(pk=finding.pk)
        if not locked.issue.strip():
            raise ValidationError({"destination": _("No issue was found: there is nothing to hand over.")})
        if locked.handed_over_at is not None:
            raise ValidationError({"destination": _("This issue has already been handed over.")})
        made = DESTINATIONS[destination].hand_over(finding=locked, by=by, resident=resident, kind=kind)
        locked.handed_over_type = ContentType.objects.get_for_model(made)
        locked.handed_over_id = made.pk
        locked.handed_over_at = timezone.now()
        locked.save(update_fields=["handed_over_type", "handed_over_id", "handed_over_at"])
        audit(actor=by, action="finding_hand_over", obj=locked, summary=f"{destination} #{made.pk}")
    finding.__dict__.update(
        handed_over_type_id=locked.handed_over_type_id,
        handed_over_id=locked.handed_over_id,
        handed_over_at=locked.handed_over_at,
    )
    return made
