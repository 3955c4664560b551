"""Every station's periodic tasks, as the core finds them (portal.core.schedules): each station declares its own in
its `schedules.py`; services 0008 creates them."""

from services.events.schedules import SCHEDULES as EVENTS
from services.hall.schedules import SCHEDULES as HALL
from services.health.schedules import SCHEDULES as HEALTH
from services.property.schedules import SCHEDULES as PROPERTY

SCHEDULES = {**HALL, **HEALTH, **EVENTS, **PROPERTY}
