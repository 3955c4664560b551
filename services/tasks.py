from services.tasks_stations import *  # noqa: F401,F403
