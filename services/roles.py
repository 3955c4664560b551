"""Permissions of the roles that work in the stations (merged into the role groups after every migrate)."""

from portal.core import roles
from portal.core.roles import crud
from services.property.roles import ROLE_PERMISSIONS as PROPERTY_ROLE_PERMISSIONS

HALL_MODELS = ("serviceitem", "counter", "openinghours", "closedday", "mediation", "mediationsession")

ROLE_PERMISSIONS: dict[str, list[str]] = {
    roles.HALL_STAFF: [
        *crud("services", *HALL_MODELS),
        *crud("services", "servicecategory", "slot", view_only=True),
        "services.view_booking",
        "services.change_booking",
        "services.work_desk",
        "services.book_on_behalf",
        "services.view_case",
        "services.add_case",
        "services.change_case",
        "services.view_caseevent",
        "services.add_caseevent",
        "services.view_caseattachment",
        "services.add_caseattachment",
        # Residents, to find whom to act for.
        "residents.view_resident",
    ],
    roles.COMMITTEE_DIRECTOR: [
        *crud("services", *HALL_MODELS, "servicecategory", "slot", "booking", view_only=True),
        "services.view_case",
        "services.change_case",
        "services.view_caseevent",
        "services.add_caseevent",
        "services.view_caseattachment",
    ],
    roles.DISTRICT_ADMIN: [
        *crud("services", "servicecategory", *HALL_MODELS),
        *crud("services", "slot", "booking", "case", "caseevent", "caseattachment", view_only=True),
        "services.change_case",
    ],
}

HEALTH_MODELS = (
    "healthconsent",
    "healthfile",
    "reading",
    "checkuprecord",
    "followupplan",
    "followupvisit",
    "maternalvisit",
    "checkupcampaign",
    "campaigninvitation",
    "checkupslot",
    "checkupbooking",
)
CULTURE_MODELS = (
    "room",
    "roombooking",
    "team",
    "teammember",
    "cultureclass",
    "classenrolment",
    "classsession",
    "sessionattendance",
    "cultureplan",
)
EVENT_MODELS = ("stationevent", "eventregistration", "eventphoto")

# Health values are readable only with `portal.see_health`, which only health-station staff hold (the disclosure
# table, portal/core/disclosure.py).
# The district administrator works with figures (campaign reports), not with people's health files.
ROLE_PERMISSIONS[roles.HEALTH_STAFF] = [
    *crud("services", *HEALTH_MODELS),
    *crud("services", *EVENT_MODELS),
]
# Grid workers hand an issue found on a visit or patrol over as a case (services/grids/handover.py); they do not work
# the case queue.
ROLE_PERMISSIONS[roles.GRID_WORKER] = ["services.add_case"]
ROLE_PERMISSIONS[roles.CULTURE_STAFF] = [*crud("services", *CULTURE_MODELS), *crud("services", *EVENT_MODELS)]
ROLE_PERMISSIONS[roles.DISTRICT_ADMIN] += crud(
    "services", "checkupcampaign", "stationevent", "room", "team", "cultureclass", "cultureplan", view_only=True
)

# 物业进社区 (services/property)
for _role, _names in PROPERTY_ROLE_PERMISSIONS.items():
    ROLE_PERMISSIONS.setdefault(_role, []).extend(_names)
