"""Writes of the councils app that span several models (STYLE.md): views, admin, tasks and the seed call these.

The closed loop lives here: suggestion → agenda item → decision in the minutes → resolution → progress →
closed, and each step tells the proposer (and the proposers of suggestions merged into it).
"""

from councils.actions.common import (
    COUNCIL_DEFAULTS,
    STATION_ROLES,
)
from councils.actions.meetings import (
    agenda_item_add,
    attendance_record,
    meeting_cancel,
    meeting_create,
    meeting_plan_next_regular,
    meeting_schedule,
    meeting_send_notice,
    next_regular_start,
)
from councils.actions.membership import (
    councils_ensure,
    election_record,
    member_add,
    nomination_create,
    resource_pledge_add,
)
from councils.actions.minutes import (
    MINUTES_ITEM_FIELDS,
    minutes_add_addendum,
    minutes_approve,
    minutes_attach,
    minutes_check,
    minutes_publish,
    minutes_return,
    minutes_save_draft,
    minutes_start,
    minutes_submit,
    resolution_create,
)
from councils.actions.resolutions import (
    resolution_executors,
    resolution_may_report,
    resolution_progress_add,
    resolutions_remind_overdue,
)
from councils.actions.suggestions import (
    suggestion_close,
    suggestion_decline,
    suggestion_merge,
    suggestion_rate,
    suggestion_reply,
    suggestion_submit,
    suggestion_support,
    suggestions_remind_triage,
)
from councils.actions.surveys import (
    may_answer,
    question_add,
    question_delete,
    survey_answer,
    survey_close,
    survey_open,
    survey_publish,
    survey_save,
)

__all__ = [
    "COUNCIL_DEFAULTS",
    "MINUTES_ITEM_FIELDS",
    "STATION_ROLES",
    "agenda_item_add",
    "attendance_record",
    "councils_ensure",
    "election_record",
    "meeting_cancel",
    "meeting_create",
    "meeting_plan_next_regular",
    "meeting_schedule",
    "meeting_send_notice",
    "member_add",
    "minutes_add_addendum",
    "minutes_approve",
    "minutes_attach",
    "minutes_check",
    "minutes_publish",
    "minutes_return",
    "minutes_save_draft",
    "minutes_start",
    "minutes_submit",
    "next_regular_start",
    "nomination_create",
    "resolution_create",
    "resolution_executors",
    "resolution_may_report",
    "resolution_progress_add",
    "resolutions_remind_overdue",
    "resource_pledge_add",
    "suggestion_close",
    "suggestion_decline",
    "suggestion_merge",
    "suggestion_rate",
    "suggestion_reply",
    "suggestion_submit",
    "suggestion_support",
    "suggestions_remind_triage",
    "may_answer",
    "question_add",
    "question_delete",
    "survey_answer",
    "survey_close",
    "survey_open",
    "survey_publish",
    "survey_save",
]
