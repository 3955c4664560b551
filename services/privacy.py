"""The stations' part of "download my data" (the site's 我的 page reads `<app>.privacy.export_user_data`): the
person's own hall bookings and cases, health file, and culture and event records — nobody else's."""

from __future__ import annotations

from portal.core.capacity import LIVE_STATUSES
from services.hall.models import Booking, Case
from services.health.records import health_data_of


def export_user_data(user) -> dict:
    resident = getattr(user, "resident", None)
    if resident is None:
        return {}
    return {
        "health": health_data_of(resident),
        "room_bookings": list(resident.room_bookings.values("room__name", "starts_at", "ends_at", "purpose", "status")),
        "event_registrations": list(
            resident.event_registrations.filter(status__in=LIVE_STATUSES).values(
                "event__title", "event__starts_at", "status", "created_at", "checked_in_at"
            )
        ),
        "class_enrolments": list(resident.class_enrolments.values("klass__name", "status", "created_at")),
        "checkup_bookings": list(resident.checkup_bookings.values("slot__starts_at", "status", "attended")),
        "hall_bookings": list(
            Booking.objects.filter(resident=resident).values(
                "code", "item__name", "slot__starts_at", "status", "desk", "checked_in_at", "note", "created_at"
            )
        ),
        "cases": list(
            Case.objects.filter(resident=resident).values("pk", "kind", "title", "status", "submitted_at", "closed_at")
        ),
    }
