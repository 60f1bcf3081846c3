"""Settings for HCC Từ Sơn, read from environment variables only.

`PRODUCTION=1` turns on the hardened settings (secure cookies, HSTS, CSP)
and refuses to start without a real SECRET_KEY.
"""

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("PRODUCTION")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("PRODUCTION=1 cần biến môi trường SECRET_KEY (ít nhất 50 ký tự).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "django_q",
    # the shared core
    "tuson_hcc.accounts",
    "tuson_hcc.workdays",
    "tuson_hcc.core",
    "tuson_hcc.documents",
    "tuson_hcc.ledgers",
    "tuson_hcc.audit",
    "tuson_hcc.history",
    "tuson_hcc.jobs",
    "tuson_hcc.notifications",
    # the parts
    "procedures",
    "seals",
    "registrations",
]

MIDDLEWARE = [
    "tuson_hcc.core.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tuson_hcc.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "tuson_hcc.accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "tuson_hcc.urls"
WSGI_APPLICATION = "tuson_hcc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tuson_hcc.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Serialise writers instead of failing with "database is locked" under the dev server. A write-ahead
    # log (still synced at every commit, so no committed row is lost) instead of the rollback journal:
    # one fsync a commit, not three (9 -> 2.8 ms a commit here), and readers never wait for a writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: once a report's estimated cost passed 100,000, PostgreSQL spent 35-100 ms compiling a
    # query that then ran in 25 ms; no query of this application runs long enough to win it back.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Parameters bound by the server, and a statement prepared the fifth time a connection sends it:
    # a page's joins are then planned once per connection, not on every request. Measured on the
    # detail pages at volume: PostgreSQL's CPU per request 4.8 -> 1.7 ms (a seal), 6.3 -> 1.2 ms (a
    # stamping line), 8.6 -> 5.4 ms (the Director's dashboard) (issue 14).
    # Never prepared: a list that orders and cuts, a LIKE pattern, whose best plan depends on the values
    # (core/dbcursor.py).
    from tuson_hcc.core.dbcursor import PlannedForTheirValues

    DATABASES["default"]["OPTIONS"].update(
        server_side_binding=True, prepare_threshold=5, cursor_factory=PlannedForTheirValues
    )

# SQLite (the embedded default) builds an index without its INCLUDE columns (procedures'
# change_procedure_latest): the same keys and order, only not index-only; no need to warn on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else []

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tuson_hcc.accounts.backends.UserWithRolesBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+IP pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Failures are rows in the database, so every worker and every server counts the same ones.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The same client address as the access log and the /lookup/ limit (TRUSTED_PROXY_COUNT below).
AXES_CLIENT_IP_CALLABLE = "tuson_hcc.core.clientip.client_ip"

# How many reverse proxies in front of the app append to X-Forwarded-For (nginx of deploy/: 1).
# 0 trusts no header: the address is REMOTE_ADDR, which a client cannot forge.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Shared by every worker and server (throttles, lockouts): the database by default, Redis when given.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hcc_cache"}}

# Sessions end after 8 working hours or when the browser closes. Django's database sessions (accounts/sessions.py).
SESSION_ENGINE = "tuson_hcc.accounts.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates read and are typed dd/mm/yyyy in both languages (tuson_hcc/formats/).
FORMAT_MODULE_PATH = ["tuson_hcc.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Hashed names never change content: a year in browsers and proxies (whitenoise marks them immutable).
WHITENOISE_MAX_AGE = 365 * 24 * 3600 if PRODUCTION else 0
WHITENOISE_KEEP_ONLY_HASHED_FILES = PRODUCTION
# Uploaded scans and issued documents are private: never served under a public URL,
# only through views that check permissions.
# Static files come from the finders in development; the missing STATIC_ROOT is expected there.
warnings.filterwarnings("ignore", message="No directory at")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "private"))
# `manage.py backup` writes its archives here (README "Backup and restore"); keep it off the app's disk too.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
FILTERS_EMPTY_CHOICE_LABEL = _("Tất cả")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hcc-tuson@localhost")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # never let a dead mail server hang a worker

# Outbound messages (tuson_hcc.notifications): a failed attempt is retried after 1, 2, 4, 8 … minutes,
# and given up (status "failed", visible in the admin) after MESSAGE_MAX_ATTEMPTS attempts.
MESSAGE_MAX_ATTEMPTS = int(os.environ.get("MESSAGE_MAX_ATTEMPTS", "6"))
MESSAGE_RETRY_BASE_SECONDS = int(os.environ.get("MESSAGE_RETRY_BASE_SECONDS", "60"))
MESSAGE_SEND_LEASE_SECONDS = 300  # a worker that died mid-send frees its message after this
SMS_BACKEND = os.environ.get("SMS_BACKEND", "tuson_hcc.notifications.sms.ConsoleSmsBackend")
SMS_TIMEOUT_SECONDS = 20
ESMS_URL = os.environ.get("ESMS_URL", "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/")
ESMS_API_KEY = os.environ.get("ESMS_API_KEY", "")
ESMS_SECRET_KEY = os.environ.get("ESMS_SECRET_KEY", "")
ESMS_BRANDNAME = os.environ.get("ESMS_BRANDNAME", "")
ESMS_SMS_TYPE = os.environ.get("ESMS_SMS_TYPE", "2")  # 2: brand-name customer care
ESMS_UNICODE = env_bool("ESMS_UNICODE")

# Background jobs (django-q2, README "Background jobs"): the database is the broker, so the demo
# needs no other server. A job may run `Q_TIMEOUT` seconds; one whose worker died is handed out
# again after `Q_RETRY` seconds (must exceed the timeout, or a slow job would run twice).
Q_CLUSTER = {
    "name": "hcc",
    "orm": "default",
    "workers": int(os.environ.get("Q_WORKERS", "1")),
    "recycle": 200,
    "timeout": int(os.environ.get("Q_TIMEOUT", "600")),
    "retry": int(os.environ.get("Q_RETRY", "720")),
    "max_attempts": 2,
    # A failed job is acknowledged, not re-run blindly: outbound messages keep their own retries.
    "ack_failures": True,
    "catch_up": False,  # after downtime each schedule runs once, not once per missed minute
    "save_limit": 500,
    "poll": 1,
    "label": "Tác vụ nền",
}
if Q_CLUSTER["retry"] <= Q_CLUSTER["timeout"]:
    raise ImproperlyConfigured("Q_RETRY phải lớn hơn Q_TIMEOUT (giây).")
# /healthz/ reports the worker as failing when its heartbeat (every minute) is older than this.
WORKER_HEARTBEAT_MAX_AGE_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE_SECONDS", "300"))

# Off-site seals (Quy chế 157, Điều 7.2, 8.4): the worker looks for reminders to send every
# REMINDERS_EVERY_MINUTES; an overdue seal's carrier, Director(s) and Head are reminded again
# every OVERDUE_REMINDER_INTERVAL_MINUTES until it is back.
REMINDERS_EVERY_MINUTES = int(os.environ.get("REMINDERS_EVERY_MINUTES", "5"))
OVERDUE_REMINDER_INTERVAL_MINUTES = int(os.environ.get("OVERDUE_REMINDER_INTERVAL_MINUTES", "60"))

# The public origin printed in QR codes on issued documents.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The applicant's side (DESIGN.md section 10).
# "About to be late": the appointment is today or within this many working days (Mẫu 04 offered).
REGISTRATION_APOLOGY_WORKING_DAYS = int(os.environ.get("REGISTRATION_APOLOGY_WORKING_DAYS", "1"))
# After return, the applicant may rate the service through /lookup/ for this many days.
REGISTRATION_RATING_DAYS = int(os.environ.get("REGISTRATION_RATING_DAYS", "14"))
# PAdES signing of issued PDFs that leave electronically: the issuing body's certificate and key.
# Outside production they default to the demo CA and certificate that `seed_demo` makes under var/signing/.
_DEMO_SIGNING = (
    {}
    if PRODUCTION
    else {
        "SIGNING_CERT": BASE_DIR / "var" / "signing" / "demo-signer.pem",
        "SIGNING_KEY": BASE_DIR / "var" / "signing" / "demo-signer-key.pem",
        "SIGNING_CA_CERT": BASE_DIR / "var" / "signing" / "demo-ca.pem",
    }
)
SIGNING_CERT = os.environ.get("SIGNING_CERT", str(_DEMO_SIGNING.get("SIGNING_CERT", "")))
SIGNING_KEY = os.environ.get("SIGNING_KEY", str(_DEMO_SIGNING.get("SIGNING_KEY", "")))
SIGNING_KEY_PASSPHRASE = os.environ.get("SIGNING_KEY_PASSPHRASE", "")
# The trust root the verification page accepts for signatures.
SIGNING_CA_CERT = os.environ.get("SIGNING_CA_CERT", str(_DEMO_SIGNING.get("SIGNING_CA_CERT", "")))

# Content security policy: everything is vendored, so only our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Quy chế 157, Điều 7.2, 8.4: a permitted seal may leave at most this many minutes before its permitted "from".
OFFSITE_EARLY_CHECKOUT_MINUTES = int(os.environ.get("OFFSITE_EARLY_CHECKOUT_MINUTES", "15"))

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # nginx (deploy/) sets X-Forwarded-Proto itself, overwriting whatever the client sent.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# One line per event on stdout (journald or the container keeps it), each with its request and user.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "tuson_hcc.core.requestlog.RequestContextFilter"}},
    "formatters": {
        "line": {
            "format": (
                "%(asctime)s %(levelname)s %(name)s [pid=%(process)d req=%(request_id)s user=%(user_id)s] %(message)s"
            ),
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request (method, path, status, duration), from the request-id middleware.
        "tuson_hcc.requests": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
    },
}
