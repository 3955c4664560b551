"""Register permissions per role (merged by portal.core.roles)."""

from portal.core.roles import (
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    COUNCIL_SECRETARY,
    CULTURE_STAFF,
    DISTRICT_ADMIN,
    GRID_WORKER,
    HALL_STAFF,
    HEALTH_STAFF,
    crud,
)

REGISTER = ("area", "building", "household", "resident")
PARTY = ("generalbranch", "branch", "partygroup", "partymember", "stationedunit")

# Family proxies (子女代办): set up and revoked at the counter with the resident's consent; never deleted.
PROXIES = ["residents.view_proxygrant", "residents.add_proxygrant", "residents.change_proxygrant"]

# Grid work (网格化管理): grids are set up by the director; visits and patrols are recorded by grid workers.
GRID_WORK = ("homevisit", "patrol", "patrolphoto")
GRID_VIEW = crud("residents", "grid", *GRID_WORK, view_only=True)

ROLE_PERMISSIONS = {
    HALL_STAFF: [*crud("residents", *REGISTER), *crud("residents", *PARTY, view_only=True), *PROXIES],
    HEALTH_STAFF: crud("residents", *REGISTER, view_only=True),
    CULTURE_STAFF: crud("residents", *REGISTER, view_only=True),
    COUNCIL_SECRETARY: crud("residents", *PARTY, view_only=True),
    BRANCH_SECRETARY: [*crud("residents", *REGISTER, view_only=True), *crud("residents", *PARTY)],
    COMMITTEE_DIRECTOR: [
        *crud("residents", *REGISTER),
        *crud("residents", *PARTY),
        *PROXIES,
        *crud("residents", "grid"),
        *GRID_VIEW,
    ],
    # Only their own grid's households and residents (portal.only_own_grid: portal.core.access narrows every query).
    GRID_WORKER: [
        "portal.only_own_grid",
        *crud("residents", "area", "building", "grid", view_only=True),
        *crud("residents", "household", "resident", view_only=True),
        "residents.change_household",
        "residents.change_resident",
        *GRID_VIEW,
        "residents.add_homevisit",
        "residents.add_patrol",
        "residents.add_patrolphoto",
    ],
    # Who sees personal fields in full: the disclosure table (portal/core/disclosure.py).
    DISTRICT_ADMIN: [*crud("residents", *REGISTER, *PARTY), "residents.view_proxygrant"],
}
