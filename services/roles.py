"""Permissions of the health and culture stations per role (merged by portal.roles).

Health values are readable only through `services.view_health_values`, which only health-station staff hold.
The district administrator works with figures (campaign reports), not with people's health files.
"""

from portal.roles import CULTURE_STAFF, DISTRICT_ADMIN, HEALTH_STAFF, crud

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
)
EVENT_MODELS = ("stationevent", "eventregistration", "eventphoto")

ROLE_PERMISSIONS = {
    HEALTH_STAFF: [*crud("services", *HEALTH_MODELS), *crud("services", *EVENT_MODELS), "services.view_health_values"],
    CULTURE_STAFF: [*crud("services", *CULTURE_MODELS), *crud("services", *EVENT_MODELS)],
    DISTRICT_ADMIN: crud("services", "checkupcampaign", "stationevent", "room", "team", "cultureclass", view_only=True),
}
