"""Settings for thidua, read from the environment (see `.env.example`)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from thidua.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("THIDUA_DEBUG", default=False)
# A development key is only acceptable with DEBUG on; production must set THIDUA_SECRET_KEY.
SECRET_KEY = env_str("THIDUA_SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env_list("THIDUA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("THIDUA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "ninja",
    "thidua.units",
    "thidua.criteria",
    "thidua.periods",
    "thidua.accounts",
    "thidua.assessments",
    "thidua.evidence",
    "thidua.reviews",
    "thidua.sources",
    "thidua.explanations",
    "thidua.inspections",
    "thidua.results",
    "thidua.awards",
    "thidua.api",
    "thidua.operations",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "thidua.operations.middleware.DatabaseUnavailableMiddleware",
    # Axes must be last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "thidua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "thidua.accounts.context_processors.membership",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'thidua.sqlite3'}"),
        conn_max_age=env_int("THIDUA_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a management command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and a statement run a few times on one connection
    # prepared: PostgreSQL plans the pages' joins once per connection instead of at every
    # request (planning, not executing, was most of their query time). A transaction-mode
    # connection pooler in front of PostgreSQL needs THIDUA_DB_PREPARE_THRESHOLD=0 (off).
    prepare_threshold = env_int("THIDUA_DB_PREPARE_THRESHOLD", 5)
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": prepare_threshold or None,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "thidua.accounts.backends.MembershipBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("THIDUA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("THIDUA_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "thidua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "thidua" / "static"]
MEDIA_ROOT = Path(env_str("THIDUA_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
# Evidence files: the local disk by default; S3-compatible object storage (django-storages)
# when several app servers share them (THIDUA_STORAGE=s3).
THIDUA_STORAGE = env_str("THIDUA_STORAGE", "local")
if THIDUA_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("THIDUA_S3_BUCKET", "thidua-evidence"),
            "endpoint_url": env_str("THIDUA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("THIDUA_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            # Never overwrite: evidence names are generated and unique; a clash is an error.
            "file_overwrite": False,
            "location": env_str("THIDUA_S3_PREFIX", ""),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Evidence uploads: stream to a temporary file above 2.5 MB, never hold a whole file in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
THIDUA_EVIDENCE_MAX_BYTES = env_int("THIDUA_EVIDENCE_MAX_MB", 25) * 1024 * 1024
THIDUA_EVIDENCE_MAX_VIDEO_BYTES = env_int("THIDUA_EVIDENCE_MAX_VIDEO_MB", 1024) * 1024 * 1024
# Excel files uploaded back for the offline round trip.
THIDUA_WORKBOOK_MAX_BYTES = env_int("THIDUA_WORKBOOK_MAX_MB", 5) * 1024 * 1024
# A source-data import changing more assessments than this leaves storing their fresh scores
# to `manage.py recompute_scores --stale` (deploy/thidua-recompute.timer) instead of the
# request; meanwhile they are scored from their inputs when read (~5 ms each).
THIDUA_INLINE_RECOMPUTE_LIMIT = env_int("THIDUA_INLINE_RECOMPUTE_LIMIT", 2000)

SESSION_ENGINE = "thidua.accounts.sessions"  # database sessions, read by a prepared statement
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("THIDUA_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("THIDUA_SESSION_HOURS", 10) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: redirect and HSTS in production (behind nginx, which terminates TLS).
SECURE_SSL_REDIRECT = env_bool("THIDUA_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("THIDUA_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("THIDUA_HSTS_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("THIDUA_HSTS_PRELOAD", default=not DEBUG)
# Content-Security-Policy (django-csp): everything from our own origin, no inline script or
# style anywhere (htmx's indicator styles are disabled through <meta name="htmx-config">),
# no plugins, no framing by other sites. Evidence downloads set their own `sandbox` policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if env_bool("THIDUA_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

EMAIL_BACKEND = env_str("THIDUA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("THIDUA_DEFAULT_FROM_EMAIL", "thidua@localhost")

# The criteria library loaded by `make run` and the demo.
THIDUA_DEFAULT_LIBRARY = BASE_DIR / "libraries" / "soc-trang-2435-2023.yaml"

# Structured logs (one JSON object per line) in production: THIDUA_LOG_FORMAT=json.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("THIDUA_LOG_FORMAT", "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("THIDUA_LOG_LEVEL", "INFO")},
    # django-axes logs every successful login at INFO; failures and lockouts are WARNING.
    # WeasyPrint and fontTools narrate every PDF at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
