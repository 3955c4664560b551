"""Demo accounts: the 13 workers of every community, the resident and volunteer demo accounts linked to people in
the register, and the district administrator. Runs right after the register (residents/seed.py MORE_SEEDERS)."""

from __future__ import annotations

import random

from django.utils import timezone

from portal.core import roles
from portal.core.models import User
from portal.core.seeding import create_users, demo_phone, person_name, staff_phone, years_before
from residents.models import GeneralBranch, Resident

# 13 community workers (工作人员); in the demo community the first of each role is that role's demo account.
STAFF_PLAN = (
    roles.BRANCH_SECRETARY,
    roles.COMMITTEE_DIRECTOR,
    roles.COUNCIL_SECRETARY,
    *[roles.HALL_STAFF] * 5,
    *[roles.HEALTH_STAFF] * 3,
    *[roles.CULTURE_STAFF] * 2,
)


def link_resident_account(community, role: str, rng: random.Random, **resident_filter) -> None:
    """Give the demo account of `role` to a resident of the community (get or create; linked only when new)."""
    phone = demo_phone(role)
    if User.objects.filter(phone=phone).exists():
        return
    resident = (
        Resident.objects.filter(community=community, user__isnull=True, moved_out_on__isnull=True, **resident_filter)
        .select_related("household__building__area")
        .order_by("household__number", "pk")
        .first()
    )
    if resident is None:
        create_users([(phone, person_name(rng, "F", 1980), role, community)])
        return
    create_users([(phone, resident.name, role, community)])
    user = User.objects.get(phone=phone)
    household = resident.household
    user.registered_address = f"{community.name}{household.building.area.name}{household.building.name}" + (
        f"{household.unit}单元{household.room}室" if household.unit else f"{household.room}号"
    )
    user.save(update_fields=["registered_address"])
    resident.user = user
    resident.phone = phone
    resident.save(update_fields=["user", "phone"])


def seed_staff(community, *, rng: random.Random, scale_index: int) -> None:
    """13 workers for every community; in the demo community also the resident and volunteer demo accounts."""
    secretary = GeneralBranch.objects.filter(community=community).values_list("secretary", flat=True).first()
    today = timezone.localdate()
    planned = []
    demo_roles_done: set[str] = set()
    for number, role in enumerate(STAFF_PLAN, start=1):
        sex = rng.choice("MF")
        name = person_name(rng, sex, today.year - rng.randint(26, 55))
        if role == roles.BRANCH_SECRETARY and secretary:
            name = secretary  # the general branch's secretary is this worker
        if scale_index == 0 and role not in demo_roles_done:
            demo_roles_done.add(role)
            phone = demo_phone(role)
        else:
            phone = staff_phone(scale_index, number)
        planned.append((phone, name, role, community))
    create_users(planned)
    if scale_index == 0:
        born_between = {
            roles.RESIDENT: (30, 50),
            roles.VOLUNTEER: (60, 68),
        }
        for role, (youngest, oldest) in born_between.items():
            link_resident_account(
                community,
                role,
                rng,
                birth_date__lte=years_before(today, youngest),
                birth_date__gt=years_before(today, oldest + 1),
                is_floating=False,
                **({"is_retiree": True} if role == roles.VOLUNTEER else {"relation": "head"}),
            )


def seed_district_admin(communities, *, rng: random.Random) -> None:
    """The district administrator's demo account: no community, sees all of them."""
    year = timezone.localdate().year - rng.randint(35, 55)
    create_users(
        [(demo_phone(roles.DISTRICT_ADMIN), person_name(rng, rng.choice("MF"), year), roles.DISTRICT_ADMIN, None)]
    )


def user_counts() -> dict[str, int]:
    users = User.objects
    return {
        "users": users.count(),
        "staff": users.filter(is_staff=True, community__isnull=False).count(),
        "district_admins": users.filter(groups__name=roles.DISTRICT_ADMIN).count(),
        "demo_accounts": users.filter(phone__in=[demo_phone(r) for r in roles.ALL_ROLES]).count(),
    }
