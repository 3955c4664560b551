"""Least privilege by field: which role sees which kind of personal field in full, which model field is of which
kind, and how a field is shown to everyone else (masked). The one table; admin lists, change pages, exports,
searches and staff pages all follow it (portal/core/admin_disclosure.py for the admin, `disclose` helpers here).

"Who" is a permission on a core model (`portal.see_<kind>`, on SensitiveAccessLog), given to roles by GRANTS below
and kept in step after every migrate (portal.core.roles); code asks `sees(user, kind)`, never a group name. A
community that needs otherwise changes a role's permissions in the admin.

Every model field whose name looks personal (phone, mobile, ID number, birth, address, …) is listed in FIELDS, with
its kind — or with None, with the reason it is not a person's (an office's phone, a public facility's address): a
test walks every model and fails on a personal-looking field missing here.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.role_names import (
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    GRID_WORKER,
    HALL_STAFF,
    HEALTH_STAFF,
    PROPERTY_STAFF,
)


class Kind(models.TextChoices):
    PHONE = "phone", pgettext_lazy("kind of personal data", "phone number")
    ID_NUMBER = "id_number", pgettext_lazy("kind of personal data", "ID number")
    BIRTH_DATE = "birth_date", pgettext_lazy("kind of personal data", "date of birth")
    ADDRESS = "address", pgettext_lazy("kind of personal data", "home address")
    HEALTH = "health", pgettext_lazy("kind of personal data", "health values")
    ALLOWANCE = "allowance", pgettext_lazy("kind of personal data", "allowance status")
    DISABILITY = "disability", pgettext_lazy("kind of personal data", "disability status")


# Sensitive personal information (PIPL art. 28): every staff read in full is logged with sensitive_read().
SENSITIVE = frozenset({Kind.ID_NUMBER, Kind.HEALTH, Kind.ALLOWANCE, Kind.DISABILITY})

# Who sees each kind in full, by the role's work. Culture staff, council secretaries, volunteers and the district
# (which works with figures) see none: they get names, ages and tags, and masked contact details.
GRANTS: dict[str, frozenset[Kind]] = {
    # Cases, bookings and the register: calls residents, checks identity at the counter, handles allowances.
    HALL_STAFF: frozenset({Kind.PHONE, Kind.ID_NUMBER, Kind.BIRTH_DATE, Kind.ADDRESS, Kind.ALLOWANCE, Kind.DISABILITY}),
    # Health files, follow-ups and home visits: calls and visits patients; nothing about allowances or identity.
    HEALTH_STAFF: frozenset({Kind.PHONE, Kind.BIRTH_DATE, Kind.ADDRESS, Kind.HEALTH}),
    # Party members, duty posts and the building network: calls and visits people.
    BRANCH_SECRETARY: frozenset({Kind.PHONE, Kind.ADDRESS}),
    # Answers for the register and its allowances; no health files (consent-first: health staff only).
    COMMITTEE_DIRECTOR: frozenset(
        {Kind.PHONE, Kind.ID_NUMBER, Kind.BIRTH_DATE, Kind.ADDRESS, Kind.ALLOWANCE, Kind.DISABILITY}
    ),
    # A property company's repairers: call the resident back and come to the flat (services/property).
    PROPERTY_STAFF: frozenset({Kind.PHONE, Kind.ADDRESS}),
    # Door-to-door visits of the households of their own grid (portal.core.access narrows them to it): calls and
    # visits people; nothing about identity, allowances or health.
    GRID_WORKER: frozenset({Kind.PHONE, Kind.ADDRESS}),
}

# "app_label.Model.field" → kind, or None for a field that is not a person's (the reason beside it).
FIELDS: dict[str, Kind | None] = {
    "portal.User.phone": Kind.PHONE,
    "portal.User.registered_address": Kind.ADDRESS,
    "portal.Delivery.address": Kind.PHONE,  # where a notification went: a mobile number
    "portal.PhoneCode.phone": Kind.PHONE,  # where an SMS code went
    "portal.Community.phone": None,  # the community office
    "portal.Community.address": None,  # the community office
    "residents.Resident.phone": Kind.PHONE,
    "residents.Resident.birth_date": Kind.BIRTH_DATE,
    "residents.Resident.id_number": Kind.ID_NUMBER,
    "residents.Resident.is_low_income": Kind.ALLOWANCE,
    "residents.Resident.is_disabled": Kind.DISABILITY,
    "residents.Household.phone": Kind.PHONE,
    "residents.Household.room": Kind.ADDRESS,  # building and unit are shown: the room makes it a home address
    "residents.PartyMember.phone": Kind.PHONE,
    "councils.CouncilMember.phone": Kind.PHONE,
    "volunteers.StationedReport.phone": Kind.PHONE,  # a stationed party member's mobile
    "residents.ProxyGrant.can_see_health": None,  # whether a proxy may read the file: a permission, no health value
    "residents.StationedUnit.address": None,  # an organisation's office
    "residents.StationedUnit.contact_name": None,  # the unit's appointed contact, a work role
    "residents.StationedUnit.contact_phone": None,  # the unit's work number
    "residents.GeneralBranch.contact_phone": None,  # published on the party network page
    "residents.Branch.contact_phone": None,  # published on the party network page
    "residents.PartyGroup.contact_phone": None,  # published on the party network page
    "site.ContactPerson.phone": None,  # published on the courtyard contact board on purpose
    "site.Facility.phone": None,  # a public facility
    "site.Facility.address": None,  # a public facility
    "services.HealthFile.birth_year": Kind.HEALTH,  # part of the health file
    "services.HealthFile.maternal_care": Kind.HEALTH,
    "services.HealthFile.chronic_conditions": Kind.HEALTH,
    "services.HealthFile.allergies": Kind.HEALTH,
    "services.HealthFile.medications": Kind.HEALTH,
    "services.Reading.value": Kind.HEALTH,
    "services.Reading.value2": Kind.HEALTH,
    "services.CheckupRecord.results": Kind.HEALTH,
    "services.FollowUpVisit.notes": Kind.HEALTH,
    "services.MaternalVisit.notes": Kind.HEALTH,
    "services.Repair.caller_phone": Kind.PHONE,  # who reported a fault, to call back
    "services.Cleaner.phone": Kind.PHONE,  # a cleaner's own mobile
    "services.PropertyCompany.hotline": None,  # the company's published repair number (专门电话)
}

# Names that make a field personal-looking (the test walks every model with it).
PERSONAL_NAME = r"phone|mobile|id_number|id_card|birth|address|disab|low_income|allowance|health|medic|allerg|chronic"


def permission(kind: Kind | str) -> str:
    """The permission that lets a role see `kind` in full."""
    return f"portal.see_{Kind(kind).value}"


# SensitiveAccessLog.Meta.permissions, one per kind.
PERMISSIONS = [
    ("see_phone", _("Can see phone numbers in full")),
    ("see_id_number", _("Can see ID numbers in full")),
    ("see_birth_date", _("Can see dates of birth in full")),
    ("see_address", _("Can see home addresses in full")),
    ("see_health", _("Can see health values")),
    ("see_allowance", _("Can see allowance status")),
    ("see_disability", _("Can see disability status")),
]


def role_permissions() -> dict[str, list[str]]:
    """GRANTS as role → permission names (merged into each role's group by portal.core.roles)."""
    return {role: sorted(permission(kind) for kind in kinds) for role, kinds in GRANTS.items()}


def sees(user, kind: Kind | str | None) -> bool:
    """Does `user` see a field of `kind` in full? A field of no kind is not personal: yes."""
    if kind is None:
        return True
    return bool(user is not None and user.is_authenticated and user.has_perm(permission(kind)))


def kind_of(model: type[models.Model], name: str) -> Kind | None:
    """The kind of `model`'s field `name` (a proxy model follows its concrete model)."""
    label = model._meta.concrete_model._meta.label
    return FIELDS.get(f"{label}.{name}")


def kind_of_path(model: type[models.Model], path: str) -> Kind | None:
    """The kind of the field a lookup path ends at ("household__phone", "resident__birth_date__year")."""
    for part in path.lstrip("=^@").split("__"):
        try:
            field = model._meta.get_field(part)
        except Exception:
            return None
        kind = kind_of(model, field.name)
        if kind is not None:
            return kind
        if not field.is_relation or field.related_model is None:
            return None
        model = field.related_model
    return None


def fields_of(model: type[models.Model]) -> dict[str, Kind]:
    """`model`'s personal fields and their kinds."""
    return {f.name: kind for f in model._meta.concrete_fields if (kind := kind_of(model, f.name)) is not None}


# --- masks --------------------------------------------------------------------------------------------------------
def mask_phone(phone: str) -> str:
    """138****5678; any other number keeps only its last four digits."""
    phone = phone or ""
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return f"{'*' * (len(phone) - 4)}{phone[-4:]}" if len(phone) > 7 else "*" * len(phone)


def mask_id_number(number: str) -> str:
    """Keep the region's first two and the last two characters: 13**************1X."""
    if not number:
        return ""
    return f"{number[:2]}{'*' * (len(number) - 4)}{number[-2:]}"


def mask_birth_date(value: dt.date | None) -> str:
    """The year only (enough for an age group): 1950-**-**."""
    return f"{value.year}-**-**" if value else ""


def mask_text(text: str) -> str:
    """An address: the first part of a long one (the road), nothing of a short one (a room number)."""
    text = text or ""
    return f"{text[:6]}****" if len(text) > 8 else "*" * len(text)


def mask(kind: Kind | str | None, value) -> str:
    """`value` as someone who may not see `kind` in full sees it."""
    if value is None or value == "":
        return ""
    kind = Kind(kind) if kind else None
    if kind == Kind.PHONE:
        return mask_phone(str(value))
    if kind == Kind.ID_NUMBER:
        return mask_id_number(str(value))
    if kind == Kind.BIRTH_DATE and isinstance(value, dt.date):
        return mask_birth_date(value)
    if kind == Kind.BIRTH_DATE and str(value)[:4].isdigit():
        return f"{str(value)[:4]}-**-**"  # as a spreadsheet cell: "1950-03-04"
    if kind == Kind.ADDRESS:
        return mask_text(str(value))
    return "***"


def shown(user, kind: Kind | str | None, value):
    """`value` as `user` may see it: in full, or masked."""
    return value if sees(user, kind) else mask(kind, value)


def subjects_of(obj) -> list:
    """The residents whose data `obj` holds, for sensitive_read(): the resident, a record's resident, a household's
    members (without a query for the objects that name no resident)."""
    if obj is None:
        return []
    label = obj._meta.concrete_model._meta.label
    if label == "residents.Resident":
        return [obj]
    if label == "residents.Household":
        return list(obj.members.all())
    resident_id = getattr(obj, "resident_id", None)
    if resident_id is None and label == "portal.User":
        resident_id = getattr(getattr(obj, "resident", None), "pk", None)  # a missing one is an AttributeError too
    return [resident_id] if resident_id is not None else []
