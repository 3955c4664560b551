"""Settings for the community portal, read from the environment (12-factor).

With nothing set the portal runs on the embedded default (SQLite, eager Celery tasks, a local-memory
cache) so that `make run` works on a bare machine. Production (DEBUG off) refuses a missing or weak
SECRET_KEY.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.core.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

# PORTAL_ENV: "production" (strict), "development" (the embedded default) or "test". Unset, it is production as
# soon as a DATABASE_URL is given, and development on the embedded SQLite database when nothing is set at all.
PORTAL_ENV = env_str("PORTAL_ENV", "production" if env_str("DATABASE_URL") else "development")
if PORTAL_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"PORTAL_ENV={PORTAL_ENV!r} must be production, development or test")
PRODUCTION = PORTAL_ENV == "production"
TESTING = PORTAL_ENV == "test"
DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - refused in production below
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG is on in production. Unset DEBUG, or set PORTAL_ENV=development.")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY is not set. Production needs at least 50 random characters.")
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY is too weak: use at least 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "portal.core.apps.PortalAdminConfig",  # django.contrib.admin, with the portal's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "import_export",
    "simple_history",
    "django_celery_beat",
    "portal.core",
    "residents",
    "services",
    "volunteers",
    "councils",
    "portal.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.core.middleware.MalformedInputMiddleware",  # before anything reads the session, language or form
    "portal.core.replica.ReadYourWritesMiddleware",  # pins a person's reads to the primary after their writes
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.core.middleware.CsrfHoleMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.core.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.core.context_processors.site",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", {"sqlite", "postgres", "postgresql", "pgsql"}
)
DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A PostgreSQL streaming replica for read-only report work (portal/core/replica.py, docs/SCALE.md). Unset, every
# query goes to the one database, as always; the router then answers nothing.
DATABASE_REPLICA_URL = (
    env_url("DATABASE_REPLICA_URL", "", {"postgres", "postgresql", "pgsql"}) if env_str("DATABASE_REPLICA_URL") else ""
)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **environ.Env.db_url_config(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 2},  # a replica that does not answer sends the reports to the primary
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["portal.core.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5)  # a person's reads stay on the primary after a write
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 30)  # further behind, the reports read the primary

# --- cache, broker, Celery ------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", "", {"redis", "rediss"}) if env_str("REDIS_URL") else ""
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails soft: with Redis away the pages are served uncached (see portal.core.cache).
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# Entries whose key names all they are built from (pagecache.remember, the templates' {% cache %} fragments): a copy
# in each process's memory beside the shared cache (portal.core.cache.SettledCache).
CACHES["settled"] = {"BACKEND": "portal.core.cache.SettledCache", "OPTIONS": {"SHARED": "default", "MAX_ENTRIES": 2000}}
CACHES["template_fragments"] = CACHES["settled"]

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_ACKS_LATE = False  # only idempotent tasks opt in, task by task
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
# Tasks are fire-and-forget: nothing waits for their results (portal.core.tasks.ping opts back in). Publishing a task whose
# result is kept first subscribes to it in the result store (the same Redis); with Redis away that subscription sits
# in Celery's reconnection loop (20 tries a second apart) and holds the resident's request for ~20 s.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that died before acknowledging it (acks_late) goes back to the queue once it has been
# invisible this long; tasks are killed after CELERY_TASK_TIME_LIMIT, so ten minutes never re-runs a live one.
# Workers sweep for such tasks every RESTORE_INTERVAL × RESTORE_THROTTLE seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
    "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_RESTORE_THROTTLE", 6),
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Publishing a task must not hold a resident's request when the broker is away: try briefly, then give up (the
# deliveries stay pending and portal.core.tasks.retry_pending_deliveries sends them once the broker is back).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# --- auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.core.backends.PortalModelBackend",
    "django.contrib.auth.backends.ModelBackend",  # sessions opened before PortalModelBackend existed
]
PASSWORD_HASHERS = [
    "portal.core.hashers.SizedArgon2PasswordHasher",  # Argon2id sized to the machine; rehashes Django's on sign-in
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Measured by bench/argon2_params.py on the 2-core server (README, "Password hashing"); override per machine.
ARGON2_MEMORY_KIB = env_int("ARGON2_MEMORY_KIB", 19456)
ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 2)
ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 1)
if TESTING:
    # Argon2 is deliberately slow; tests create thousands of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:my"
LOGOUT_REDIRECT_URL = "portal:home"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CACHE = "default"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_ENGINE = "portal.core.sessions"
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)  # 等保 2.0: idle staff sessions end
# 等保 2.0: staff sign in with two factors (portal.core.second_factor); wrong second-step tries pause the account's
# second step for 15 minutes.
SECOND_FACTOR_MAX_TRIES = env_int("SECOND_FACTOR_MAX_TRIES", 5)
SECOND_FACTOR_LOCK_SECONDS = env_int("SECOND_FACTOR_LOCK_SECONDS", 15 * 60)

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))  # public files only; nginx may serve it
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(MEDIA_ROOT.parent / "private-media")))  # never served
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if not PRODUCTION
            else "portal.core.staticfiles.ManifestStaticStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- forms ------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- mail and SMS ---------------------------------------------------------------------------
if env_str("EMAIL_URL"):
    _email = environ.Env.email_url_config(
        env_url("EMAIL_URL", "", {"smtp", "smtps", "smtp+tls", "smtp+ssl", "consolemail"})
    )
    vars().update(_email)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@community.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env_str("SMS_BACKEND", "portal.core.sms.ConsoleBackend")
# The site's address as residents reach it (https://portal.example.cn): links in an SMS or e-mail need it whole.
SITE_URL = env_str("SITE_URL", "")
# Quiet hours (Asia/Shanghai) for whoever has not chosen their own (and for people without an account): an SMS due
# in them waits until they end. Residents change theirs under 我的 → 消息设置 (portal.core.notify).
SMS_QUIET_HOURS: tuple[str, str] | None = ("21:00", "08:00")

# --- security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: the forms carry the token
SESSION_COOKIE_SAMESITE = "Lax"
_secure = env_bool("SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=_secure)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=_secure)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "csp.constants.NONCE"],
        "style-src": ["'self'", "'unsafe-inline'"],  # admin widgets set style attributes; scripts stay strict
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# django-csp wants the sentinel object itself, not its name.
from csp.constants import NONCE  # noqa: E402

CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] = ["'self'", NONCE]

# --- logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"level": "WARNING"},
    },
}

ADMINS = [("Portal", a) for a in env_list("ADMIN_EMAILS", [])]
SITE_NAME = _("Community service portal")
CSRF_FAILURE_VIEW = "portal.site.views.csrf_failure"
