"""Register permissions per role (merged by portal.core.roles)."""

from portal.core.roles import (
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    COUNCIL_SECRETARY,
    CULTURE_STAFF,
    DISTRICT_ADMIN,
    HALL_STAFF,
    HEALTH_STAFF,
    crud,
)

REGISTER = ("area", "building", "household", "resident")
PARTY = ("generalbranch", "branch", "partygroup", "partymember", "stationedunit")

# Family proxies (子女代办): set up and revoked at the counter with the resident's consent; never deleted.
PROXIES = ["residents.view_proxygrant", "residents.add_proxygrant", "residents.change_proxygrant"]

ROLE_PERMISSIONS = {
    HALL_STAFF: [*crud("residents", *REGISTER), *crud("residents", *PARTY, view_only=True), *PROXIES],
    HEALTH_STAFF: crud("residents", *REGISTER, view_only=True),
    CULTURE_STAFF: crud("residents", *REGISTER, view_only=True),
    COUNCIL_SECRETARY: crud("residents", *PARTY, view_only=True),
    BRANCH_SECRETARY: [*crud("residents", *REGISTER, view_only=True), *crud("residents", *PARTY)],
    COMMITTEE_DIRECTOR: [*crud("residents", *REGISTER), *crud("residents", *PARTY), *PROXIES],
    # Who sees personal fields in full: the disclosure table (portal/core/disclosure.py).
    DISTRICT_ADMIN: [*crud("residents", *REGISTER, *PARTY), "residents.view_proxygrant"],
}
