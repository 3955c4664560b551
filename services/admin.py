from services import admin_culture, admin_health  # noqa: F401
