"""Writes of the one-stop service hall. Views, admin actions and tasks call these; nobody repeats them.

Every function is keyword-only, atomic, and raises ValidationError (with a `code`) carrying a translated message.
Every staff write goes into the audit log (portal.core.audit); every notification is lazy text, rendered in the
recipient's language. By topic: `slots`, `booking` (and the closure of a day), `desk`, `cases`, `intake` (channels,
duplicates, figures by channel).
"""

from services.hall.actions.booking import (
    booking_cancel,
    booking_cancel_by_link,
    booking_create,
    booking_reminders_due,
    booking_reschedule,
    booking_wait,
    bookings_send_reminders,
    closed_day_add,
)
from services.hall.actions.cases import (
    DEFAULT_TIME_LIMIT,
    case_accept,
    case_add_attachment,
    case_add_note,
    case_assign,
    case_complete,
    case_deadline,
    case_file,
    case_rate,
    case_reject,
    case_start,
    cases_escalate_overdue,
    mediations_remind_follow_up,
)
from services.hall.actions.desk import booking_call_next, booking_check_in, booking_finish
from services.hall.actions.intake import case_add_report, figures_by_channel, likely_duplicates
from services.hall.actions.slots import DEFAULT_DAYS_AHEAD, is_closed, slots_generate, slots_nearest_free

__all__ = [
    "DEFAULT_DAYS_AHEAD",
    "DEFAULT_TIME_LIMIT",
    "booking_call_next",
    "booking_cancel",
    "booking_cancel_by_link",
    "booking_check_in",
    "booking_create",
    "booking_finish",
    "booking_reschedule",
    "booking_reminders_due",
    "booking_wait",
    "bookings_send_reminders",
    "case_accept",
    "case_add_report",
    "case_add_attachment",
    "case_add_note",
    "case_assign",
    "case_complete",
    "case_deadline",
    "case_file",
    "case_rate",
    "case_reject",
    "case_start",
    "cases_escalate_overdue",
    "figures_by_channel",
    "likely_duplicates",
    "closed_day_add",
    "is_closed",
    "mediations_remind_follow_up",
    "slots_generate",
    "slots_nearest_free",
]
