from services.models.hall import (  # noqa: F401
    Booking,
    Case,
    CaseAttachment,
    CaseEvent,
    ClosedDay,
    Counter,
    Mediation,
    MediationSession,
    OpeningHours,
    ServiceCategory,
    ServiceItem,
    Slot,
)
