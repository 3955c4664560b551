"""Volunteer-app permissions per role (merged by portal.core.roles).

The coordination roles are the residents'-committee director (居委会主任, who convenes the volunteer
coordination council) and volunteer team leaders (role 志愿者 plus leading an active team, see
volunteers.access). The district works with figures: it sees volunteers and activities, not people served.
"""

from portal.core.roles import BRANCH_SECRETARY, COMMITTEE_DIRECTOR, DISTRICT_ADMIN, HALL_STAFF, VOLUNTEER, crud

CORPS = ("volunteer", "team", "activity", "signup", "badge")
SERVED = ("personserved", "visitplan", "visitrecord")
PARTY = ("dutypost", "partytask")
STATIONED = ("stationedreport", "wish", "unitsummary")  # 在职党员报到, 微心愿, the units' yearly summaries

ROLE_PERMISSIONS = {
    COMMITTEE_DIRECTOR: [
        *crud("volunteers", *CORPS, *SERVED, *PARTY, *STATIONED),
        *crud("volunteers", "hourcorrection", view_only=True),
        "volunteers.approve_volunteer",
        "volunteers.coordinate",
    ],
    BRANCH_SECRETARY: [
        *crud("volunteers", *PARTY, *STATIONED),
        *crud("volunteers", "volunteer", "team", "activity", view_only=True),
    ],
    VOLUNTEER: ["volunteers.lead_team"],
    # The counter takes report-ins and wishes for the office to decide.
    HALL_STAFF: [
        *crud("volunteers", "stationedreport", "wish", view_only=True),
        "volunteers.add_stationedreport",
        "volunteers.add_wish",
    ],
    DISTRICT_ADMIN: crud("volunteers", *CORPS, "hourcorrection", *PARTY, *STATIONED, view_only=True),
}
