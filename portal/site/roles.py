"""Permissions of the site's records: notices, contact boards, facilities, civility appraisals, the assessment."""

from portal.core.roles import (
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    CULTURE_STAFF,
    DISTRICT_ADMIN,
    HALL_STAFF,
    HEALTH_STAFF,
    crud,
)

SITE_CONTENT = ("notice", "contactperson", "appraisal", "nomination", "facility")

ROLE_PERMISSIONS: dict[str, list[str]] = {
    HALL_STAFF: crud("site", *SITE_CONTENT),
    HEALTH_STAFF: crud("site", "notice"),
    CULTURE_STAFF: crud("site", "notice"),
    BRANCH_SECRETARY: crud("site", "notice"),
    # The director enters the community's hand-entered assessment indicators (填报); deleting one is the district's.
    COMMITTEE_DIRECTOR: [
        *crud("site", *SITE_CONTENT),
        "site.view_indicatorentry",
        "site.add_indicatorentry",
        "site.change_indicatorentry",
    ],
    DISTRICT_ADMIN: [
        *crud("site", *SITE_CONTENT),
        *crud("site", "rubric", "criterion", "manualscore", "indicatorentry"),
        "site.view_assessmentsnapshot",
    ],
}
