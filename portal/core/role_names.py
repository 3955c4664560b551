"""The names of the roles (groups). Code refers to the constants; the names are what staff see in the admin, so they
are Chinese. Apart from portal.core.roles so that the disclosure table (portal.core.disclosure) can name roles too."""

RESIDENT = "居民"
HALL_STAFF = "便民服务站工作人员"
HEALTH_STAFF = "健康服务站工作人员"
CULTURE_STAFF = "文化服务站工作人员"
COUNCIL_SECRETARY = "议事会秘书"
BRANCH_SECRETARY = "党总支书记"
COMMITTEE_DIRECTOR = "居委会主任"
VOLUNTEER = "志愿者"
DISTRICT_ADMIN = "区级管理员"
# Staff of a property company (物业公司) serving courtyards of the community: they see their company's repairs only.
PROPERTY_STAFF = "物业公司工作人员"
GRID_WORKER = "网格员"  # works the households of one grid (网格) of the community, on foot

ALL_ROLES = [
    RESIDENT,
    HALL_STAFF,
    HEALTH_STAFF,
    CULTURE_STAFF,
    COUNCIL_SECRETARY,
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    VOLUNTEER,
    DISTRICT_ADMIN,
    PROPERTY_STAFF,
    GRID_WORKER,
]
STAFF_ROLES = [
    HALL_STAFF,
    HEALTH_STAFF,
    CULTURE_STAFF,
    COUNCIL_SECRETARY,
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    DISTRICT_ADMIN,
    PROPERTY_STAFF,
    GRID_WORKER,
]
