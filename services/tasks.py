"""The services app's Celery tasks, one module per station: Celery's autodiscovery imports `services.tasks`, and
each task is named after its own module (services.hall.tasks.generate_slots …)."""

from services.events import tasks as events_tasks  # noqa: F401
from services.hall import tasks as hall_tasks  # noqa: F401
from services.health import tasks as health_tasks  # noqa: F401
from services.property import tasks as property_tasks  # noqa: F401
