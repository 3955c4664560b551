"""便民服务站, the one-stop service hall: the catalogue (`catalogue`), bookable slots and appointments (`booking`),
and cases with their timeline, attachments and mediation records (`cases`)."""

from services.hall.models.booking import CODE_ALPHABET, Booking, Slot, new_booking_code
from services.hall.models.cases import (
    Case,
    CaseAttachment,
    CaseEvent,
    Mediation,
    MediationSession,
    add_working_days,
    attachment_path,
    private_storage,
)
from services.hall.models.catalogue import ClosedDay, Counter, OpeningHours, ServiceCategory, ServiceItem

__all__ = [
    "CODE_ALPHABET",
    "Booking",
    "Case",
    "CaseAttachment",
    "CaseEvent",
    "ClosedDay",
    "Counter",
    "Mediation",
    "MediationSession",
    "OpeningHours",
    "ServiceCategory",
    "ServiceItem",
    "Slot",
    "add_working_days",
    "attachment_path",
    "new_booking_code",
    "private_storage",
]
