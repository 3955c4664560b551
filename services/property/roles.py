"""Permissions of property management (merged into services.roles): community staff take reports, dispatch repairs,
keep the companies, cleaners and owners' committees and record inspections; a property company's staff see and
work their company's repairs; the district publishes the appraisal."""

from portal.core import roles
from portal.core.roles import crud

KEPT = ("propertycompany", "propertycoverage", "propertystaff", "cleaner", "ownerscommittee", "ownerscommitteemember")
REPAIR = ["services.view_repair", "services.add_repair", "services.dispatch_repair", "services.work_repair"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    roles.HALL_STAFF: [
        *crud("services", *KEPT, "propertyinspection"),
        *REPAIR,
        *crud("services", "propertyappraisal", "propertyscore", view_only=True),
    ],
    roles.COMMITTEE_DIRECTOR: [
        *crud("services", *KEPT, "propertyinspection"),
        *REPAIR,
        *crud("services", "propertyappraisal", "propertyscore", view_only=True),
    ],
    roles.PROPERTY_STAFF: [
        "services.view_repair",
        "services.work_repair",
        *crud("services", "propertycompany", "propertycoverage", "cleaner", view_only=True),
    ],
    roles.DISTRICT_ADMIN: [
        *crud("services", *KEPT, "propertyinspection", "repair", view_only=True),
        *crud("services", "propertyappraisal"),
        "services.view_propertyscore",
        "services.publish_propertyappraisal",
    ],
}
