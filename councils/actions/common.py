"""What the councils actions share: council defaults, the stations' roles, role look-ups, the meeting-staff check,
and telling a suggestion's proposers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import Promise

from councils.models import Council, Suggestion
from portal.core import roles
from portal.core.models import Kind
from portal.core.notify import notify
from portal.core.stations import Station

if TYPE_CHECKING:
    from portal.core.models import User

COUNCIL_DEFAULTS: dict[str, dict[str, Any]] = {
    Council.Kind.JOINT: {
        "name": "党建联席会",
        "purpose": "驻区单位党组织共商社区重大事项，共驻共建，共享资源。",
        "meetings_per_year": 4,
        "convenor_role": roles.BRANCH_SECRETARY,
    },
    Council.Kind.DELIBERATION: {
        "name": "党居议事会",
        "purpose": "议定涉及居民切身利益的公共事务和公益事业，形成决议交居委会执行。",
        "meetings_per_year": 4,
        "convenor_role": roles.BRANCH_SECRETARY,
    },
    Council.Kind.COORDINATION: {
        "name": "志愿者协调会",
        "purpose": "通报服务对象信息，研究志愿服务队伍、方式和内容。",
        "meetings_per_year": 6,
        "convenor_role": roles.COMMITTEE_DIRECTOR,
    },
}


STATION_ROLES = {
    Station.PARTY: roles.BRANCH_SECRETARY,
    Station.HALL: roles.HALL_STAFF,
    Station.HEALTH: roles.HEALTH_STAFF,
    Station.CULTURE: roles.CULTURE_STAFF,
}


def users_with_role(community_id: int, role: str):
    """The active accounts of a community holding `role`."""
    return get_user_model().objects.filter(community_id=community_id, groups__name=role, is_active=True)


def require_meeting_staff(council: Council, by: User) -> None:
    """403 unless `by` is the council's secretary or convenor (who prepare its meetings)."""
    if not council.may_run_meetings(by):
        raise PermissionDenied


def suggestion_url(suggestion: Suggestion) -> str:
    return reverse("councils:suggestion", args=[suggestion.tracking_number])


def tell_proposers(suggestion: Suggestion, title: Promise, body: Promise | str = "") -> None:
    """Notify the proposer, and the proposers of suggestions merged into this one (lazy texts: see notify(kind=Kind.COUNCILS, ))."""
    targets = [suggestion, *Suggestion.objects.filter(merged_into=suggestion).select_related("proposer")]
    told = set()
    for s in targets:
        if s.proposer_id in told:
            continue
        told.add(s.proposer_id)
        notify(kind=Kind.COUNCILS, recipient=s.proposer, title=title, body=body, url=suggestion_url(s))
