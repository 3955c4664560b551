from services.models.culture import *  # noqa: F401,F403
from services.models.events import *  # noqa: F401,F403
from services.models.health import *  # noqa: F401,F403
