"""The stations' part of "download my data" (portal's account page reads `<app>.privacy.export_user_data`;
the lead merges this into services/privacy.py next to the hall's)."""

from __future__ import annotations

from portal.core.capacity import LIVE_STATUSES


def export_user_data(user) -> dict:
    """The signed-in resident's own health file and station records — nobody else's."""
    from services.views.health import health_data_of

    resident = getattr(user, "resident", None)
    if resident is None:
        return {}
    return {
        "health": health_data_of(resident),
        "room_bookings": list(resident.room_bookings.values("room__name", "starts_at", "ends_at", "purpose", "status")),
        "event_registrations": list(
            resident.event_registrations.filter(status__in=LIVE_STATUSES).values(
                "event__title", "event__starts_at", "status"
            )
        ),
        "class_enrolments": list(resident.class_enrolments.values("klass__name", "status", "created_at")),
        "checkup_bookings": list(resident.checkup_bookings.values("slot__starts_at", "status", "attended")),
    }
