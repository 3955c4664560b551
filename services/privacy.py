"""The stations' part of "download my data": the person's own bookings, cases, health file and station records."""

from __future__ import annotations

from services.privacy_stations import export_user_data as stations_data


def export_user_data(user) -> dict:
    resident = getattr(user, "resident", None)
    if resident is None:
        return {}
    from services.models import Booking, Case

    data = stations_data(user)
    data["hall_bookings"] = list(
        Booking.objects.filter(resident=resident).values(
            "code", "item__name", "slot__starts_at", "status", "created_at"
        )
    )
    data["cases"] = list(
        Case.objects.filter(resident=resident).values("pk", "kind", "title", "status", "submitted_at", "closed_at")
    )
    return data
