"""Shared pieces of the councils actions: council defaults, lazy messages, role look-ups, the meeting-staff check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.functional import lazy

from councils.models import (
    Council,
    MinutesItem,
)
from portal.core import roles

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
    MinutesItem.Station.PARTY: roles.BRANCH_SECRETARY,
    MinutesItem.Station.HALL: roles.HALL_STAFF,
    MinutesItem.Station.HEALTH: roles.HEALTH_STAFF,
    MinutesItem.Station.CULTURE: roles.CULTURE_STAFF,
}


def _msg(text, values: dict | None = None):
    """A message that stays lazy until notify() renders it in the portal's language (not the sender's)."""
    return lazy(lambda: str(text) % values if values else str(text), str)()


def _users_with_role(community_id: int, role: str):
    return get_user_model().objects.filter(community_id=community_id, groups__name=role, is_active=True)


def _require_meeting_staff(council: Council, by: User) -> None:
    if not council.may_run_meetings(by):
        raise PermissionDenied
