"""Councils and their members: the three councils, seats, nominations, elections, the joint council's pledges."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.actions.common import COUNCIL_DEFAULTS, require_meeting_staff, users_with_role
from councils.models import (
    Council,
    CouncilMember,
    Meeting,
    Nomination,
    ResourcePledge,
)
from portal.core import roles
from portal.core.audit import audit
from portal.core.locks import refuse_locked
from portal.core.models import Community

if TYPE_CHECKING:
    from portal.core.models import User


@transaction.atomic
def councils_ensure(*, community: Community) -> list[Council]:
    """The three councils of a community, created with their defaults and convenor where missing."""
    existing = {c.kind: c for c in Council.objects.filter(community=community)}
    for kind, defaults in COUNCIL_DEFAULTS.items():
        if kind in existing:
            continue
        convenor = users_with_role(community.pk, defaults["convenor_role"]).order_by("pk").first()
        secretary = users_with_role(community.pk, roles.COUNCIL_SECRETARY).order_by("pk").first()
        existing[kind] = Council.objects.create(
            community=community,
            kind=kind,
            name=defaults["name"],
            purpose=defaults["purpose"],
            meetings_per_year=defaults["meetings_per_year"],
            convenor=convenor,
            secretary=secretary,
        )
    return [existing[k] for k in COUNCIL_DEFAULTS]


def member_add(*, council: Council, by: User | None, **fields: Any) -> CouncilMember:
    """Seat someone on a council (fields as on CouncilMember)."""
    fields.setdefault("term_start", timezone.localdate())
    member = CouncilMember(council=council, **fields)
    member.full_clean()
    member.save()
    audit(actor=by, action="council_member_add", obj=member, community_id=council.community_id)
    return member


def nomination_create(*, council: Council, by: User | None, **fields: Any) -> Nomination:
    """Record a nomination (election candidate, joint nomination with co-signers, or party nomination)."""
    nomination = Nomination(council=council, **fields)
    nomination.full_clean()
    nomination.save()
    audit(actor=by, action="nomination_create", obj=nomination, community_id=council.community_id)
    return nomination


@transaction.atomic
def election_record(
    *, meeting: Meeting, votes: dict[int, int], seats: int, term_years: int = 3, by: User | None
) -> list[CouncilMember]:
    """Record the votes of an election at a meeting; the `seats` candidates with most votes take a seat."""
    council = meeting.council
    refuse_locked(meeting, _("The minutes are approved: the election can no longer be recorded."))
    candidates = list(Nomination.objects.select_for_update().filter(council=council, pk__in=votes, status="pending"))
    if len(candidates) != len(votes):
        raise ValidationError(_("Only pending nominations of this council can be voted on."))
    candidates.sort(key=lambda n: (-votes[n.pk], n.pk))
    day = timezone.localtime(meeting.starts_at).date()
    winners = []
    for rank, nomination in enumerate(candidates):
        nomination.votes = votes[nomination.pk]
        nomination.meeting = meeting
        if rank < seats:
            nomination.member = CouncilMember.objects.create(
                council=council,
                role=nomination.role,
                name=nomination.nominee,
                resident=nomination.resident,
                chosen_by=CouncilMember.Chosen.ELECTION,
                term_start=day,
                term_end=day.replace(year=day.year + term_years),
            )
            nomination.status = Nomination.Status.ELECTED
            winners.append(nomination.member)
        else:
            nomination.status = Nomination.Status.NOT_ELECTED
        nomination.save(update_fields=["votes", "meeting", "member", "status"])
    audit(actor=by, action="election_record", obj=meeting, community_id=council.community_id, summary=f"{seats} seats")
    return winners


def resource_pledge_add(*, council: Council, by: User, **fields: Any) -> ResourcePledge:
    """Record a stationed unit's (or a government department's) pledge, and what it delivered, to the joint council."""
    require_meeting_staff(council, by)
    if council.kind != Council.Kind.JOINT:
        raise ValidationError(_("Resources are pledged to the joint party-building council."))
    pledge = ResourcePledge(council=council, **fields)
    pledge.full_clean()
    if pledge.unit is not None and pledge.unit.community_id != council.community_id:
        raise ValidationError({"unit": _("This unit is stationed in another community.")})
    pledge.save()
    audit(actor=by, action="resource_pledge_add", obj=pledge, community_id=council.community_id)
    return pledge
