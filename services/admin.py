"""The services app's admin, one module per station (each registers its own models)."""

from services.culture import admin as culture_admin  # noqa: F401
from services.events import admin as events_admin  # noqa: F401
from services.hall import admin as hall_admin  # noqa: F401
from services.health import admin as health_admin  # noqa: F401
from services.property import admin as property_admin  # noqa: F401
