"""Settings for the test suite: the real settings, with PostgreSQL and Redis on this machine by default."""

import os

os.environ.setdefault("PORTAL_ENV", "test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")

from portal.settings import *  # noqa: E402,F403

# The suite sends tasks on commit; most tests run them in-process. The Celery round-trip test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
AXES_CACHE = "default"
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
