"""Council permissions per role (merged by portal.core.roles). Which council a secretary or convenor works on is
set on the council itself (Council.secretary / Council.convenor); these are what the role may do at all."""

from portal.core.roles import (
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    COUNCIL_SECRETARY,
    CULTURE_STAFF,
    DISTRICT_ADMIN,
    HALL_STAFF,
    HEALTH_STAFF,
    RESIDENT,
    crud,
)

APP = "councils"
MEETING_WORK = (
    "meeting",
    "agendaitem",
    "attendance",
    "minutes",
    "minutesitem",
    "minutesaddendum",
    "motion",
    "ballot",
    "speaker",
)
MEMBERSHIP = ("councilmember", "nomination")
JOINT = ("project", "resourcepledge")
SURVEYS = ("survey", "question", "option")
FOLLOW_UP = [
    f"{APP}.view_council",
    f"{APP}.view_resolution",
    f"{APP}.add_resolutionprogress",
    f"{APP}.view_resolutionprogress",
    f"{APP}.view_suggestion",
]
# Council staff moderate the residents' comments of their community.
MODERATION = [f"{APP}.view_comment", f"{APP}.view_commentreport", f"{APP}.hide_comment"]
CONVENOR = [
    *MODERATION,
    *crud(APP, *MEETING_WORK, *MEMBERSHIP, *JOINT),
    *crud(APP, "suggestion", "resolution", "resolutionprogress"),
    *crud(APP, *SURVEYS),
    f"{APP}.view_council",
    f"{APP}.change_council",
    f"{APP}.approve_minutes",
]

ROLE_PERMISSIONS = {
    RESIDENT: [
        f"{APP}.add_suggestion",
        f"{APP}.add_suggestionsupport",
        f"{APP}.add_comment",
        f"{APP}.add_commentreport",
        f"{APP}.add_response",
    ],
    COUNCIL_SECRETARY: [
        *MODERATION,
        *crud(APP, *MEETING_WORK, *MEMBERSHIP, *JOINT),
        *crud(APP, "suggestion", "resolution", "resolutionprogress"),
        *crud(APP, *SURVEYS),
        f"{APP}.view_council",
    ],
    BRANCH_SECRETARY: CONVENOR,
    COMMITTEE_DIRECTOR: CONVENOR,
    # Stations carry resolutions out: they read them and report progress.
    HALL_STAFF: FOLLOW_UP,
    HEALTH_STAFF: FOLLOW_UP,
    CULTURE_STAFF: FOLLOW_UP,
    DISTRICT_ADMIN: [
        *crud(APP, "council", "councilmember", "meeting", "minutes", "resolution", "suggestion", view_only=True),
        *crud(APP, "resolutionprogress", "project", "resourcepledge", "comment", "commentreport", view_only=True),
        *crud(APP, *SURVEYS, view_only=True),
    ],
}
