from services.models.culture import *  # noqa: F401,F403
from services.models.events import *  # noqa: F401,F403
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
from services.models.health import *  # noqa: F401,F403
