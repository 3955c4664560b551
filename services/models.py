"""Every model of the services app, found here by Django: one module per station, the app label `services` for all.

The stations: the one-stop service hall (`services.hall`), the health station (`services.health`), the culture
station (`services.culture`) and the events both stations run (`services.events`)."""

from services.culture.models import *  # noqa: F401,F403
from services.events.models import *  # noqa: F401,F403
from services.hall.models import *  # noqa: F401,F403
from services.health.models import *  # noqa: F401,F403
from services.property.models import *  # noqa: F401,F403
