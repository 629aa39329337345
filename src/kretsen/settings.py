"""Kretsen settings: everything comes from the environment (see docs/operations.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kretsen.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env.string("KRETSEN_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env.boolean("DEBUG", default=False)

# A fixed, public key that only development may use. Production refuses it below.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret-kretsen-0123456789-abcdefghijklmnop"
DEVELOPMENT_SALT_KEY = "development-only-salt"

SECRET_KEY = env.string("SECRET_KEY", DEVELOPMENT_SECRET_KEY if DEBUG else "")
SECRET_KEY_FALLBACKS = env.strings("SECRET_KEY_FALLBACKS")
# Field encryption keys are derived from SECRET_KEY (and its fallbacks) and each salt here;
# the first salt encrypts, all of them decrypt, which is how a salt is rotated.
SALT_KEY = env.strings("SALT_KEY", [DEVELOPMENT_SALT_KEY] if DEBUG else [])

if not DEBUG:
    if (
        not SECRET_KEY
        or SECRET_KEY == DEVELOPMENT_SECRET_KEY
        or SECRET_KEY.startswith("django-insecure")
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value when DEBUG is off "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
    if not SALT_KEY or DEVELOPMENT_SALT_KEY in SALT_KEY:
        raise ImproperlyConfigured(
            "SALT_KEY must be set to a random value when DEBUG is off; it protects encrypted text."
        )

ALLOWED_HOSTS = env.strings("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.strings("CSRF_TRUSTED_ORIGINS")
SITE_URL = env.string("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_scopes",
    "django_tasks",
    "django_tasks_db",
    "kretsen.core",
    "kretsen.directory",
    "kretsen.intake",
    "kretsen.groups",
    "kretsen.matching",
    "kretsen.care",
    "kretsen.network",
    "kretsen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kretsen.core.logging.RequestLogMiddleware",
    "kretsen.core.middleware.HeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kretsen.core.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "kretsen.core.middleware.OrganisationMiddleware",
]

ROOT_URLCONF = "kretsen.urls"
WSGI_APPLICATION = "kretsen.wsgi.application"
ASGI_APPLICATION = "kretsen.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kretsen.core.context_processors.kretsen",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kretsen.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES: dict[str, dict[str, str]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if redis_url := env.optional_string("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
    }

# Cores the formation engine may use for one proposal: CP-SAT workers, and processes for the
# parts of a pool of more than 2,500 people (decision 0135). One keeps a small server's web
# process responsive while groups are formed.
FORMATION_WORKERS = env.integer("FORMATION_WORKERS", 1, minimum=1, maximum=16)

# The live meeting panel's messages between processes (decisions 0060, 0061). Without Redis
# the in-memory layer serves one process, which is what `make run` starts.
REDIS_SOCKET_TIMEOUT = 15
REDIS_MAX_CONNECTIONS = env.integer("REDIS_MAX_CONNECTIONS", 1000, minimum=10, maximum=10000)
CHANNEL_LAYERS: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
}
if redis_url:
    CHANNEL_LAYERS["default"] = {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # The layer waits up to 5 s in BZPOPMIN; redis-py 8 reads with a 5 s socket timeout by
        # default, which breaks that wait (redis/redis-py#4091). Read longer than the wait.
        # redis-py 8 also caps a pool at 100 connections and then refuses; every panel that
        # opens or changes takes one for a moment, so a busy process needs more.
        "CONFIG": {
            "hosts": [
                {
                    "address": redis_url,
                    "socket_timeout": REDIS_SOCKET_TIMEOUT,
                    "max_connections": REDIS_MAX_CONNECTIONS,
                }
            ]
        },
    }

# --- Sign-in -----------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "kretsen.core.auth.StaffBackend",
    "kretsen.core.auth.SignInLinkBackend",
]
LOGIN_URL = "core:staff-sign-in"
LOGIN_REDIRECT_URL = "core:staff-home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.integer("PASSWORD_RESET_TIMEOUT", 3600, minimum=300, maximum=86400)

# Guessing limits (decision 0106). django-axes locks a user name + IP pair after a few
# failures (a wrong password or, after the right one, a wrong code), so that knowing a
# leader's user name is not enough to lock them out from their own computer. The rate limiter
# caps failures per account from all addresses together (an attacker with many IPs) and per
# address across accounts (trying one password on many accounts); both are higher, because
# anyone can spend them.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
STAFF_SIGN_IN_ACCOUNT_FAILURES_PER_HOUR = env.integer(
    "STAFF_SIGN_IN_ACCOUNT_FAILURES_PER_HOUR", 30, minimum=5, maximum=1000
)
STAFF_SIGN_IN_IP_FAILURES_PER_HOUR = env.integer(
    "STAFF_SIGN_IN_IP_FAILURES_PER_HOUR", 60, minimum=10, maximum=10000
)
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5, minimum=3, maximum=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kretsen.core.views.staff_auth.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env.integer("PROXY_COUNT", 0, minimum=0, maximum=5)
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env.string("OTP_TOTP_ISSUER", "Kretsen")
# Kretsen throttles wrong codes itself, without refusing the right one (core.services.twofactor).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
RECOVERY_CODE_COUNT = 10

SIGN_IN_LINK_MINUTES = env.integer("SIGN_IN_LINK_MINUTES", 30, minimum=5, maximum=24 * 60)
INVITATION_DAYS = env.integer("INVITATION_DAYS", 7, minimum=1, maximum=30)
SIGN_IN_LINK_RATE_PER_HOUR = env.integer("SIGN_IN_LINK_RATE_PER_HOUR", 5, minimum=1)
# Mails that anyone can ask for (password reset, sign-in link): per address and per IP. Past
# either limit nothing is sent and the page answers the same.
PASSWORD_RESET_RATE_PER_HOUR = env.integer("PASSWORD_RESET_RATE_PER_HOUR", 3, minimum=1)
MAIL_REQUESTS_PER_IP_PER_HOUR = env.integer("MAIL_REQUESTS_PER_IP_PER_HOUR", 30, minimum=5)

# Sessions: an absolute lifetime and an idle timeout, both enforced server-side.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_MINUTES = env.integer("SESSION_IDLE_MINUTES", 30, minimum=5, maximum=24 * 60)
SESSION_ABSOLUTE_HOURS = env.integer("SESSION_ABSOLUTE_HOURS", 12, minimum=1, maximum=24 * 30)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "kretsen_session"

# --- HTTP security ------------------------------------------------------------------------
SECURE_COOKIES = env.boolean("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "kretsen.core.views.errors.csrf_failure"
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=not DEBUG)
# The service manager asks for /healthz over plain HTTP on loopback (docs/operations.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env.boolean("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "kretsen_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["kretsen.formats"]
USE_TZ = True
TIME_ZONE = env.time_zone("TIME_ZONE", "Europe/Stockholm")

# --- Static files and mail ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.string("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

_mail = env.email("EMAIL_URL", "console:" if DEBUG else "smtp://localhost:25")
EMAIL_BACKEND = _mail["EMAIL_BACKEND"]
EMAIL_HOST = _mail.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _mail.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _mail.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _mail.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _mail.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _mail.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _mail.get("EMAIL_TIMEOUT", 20)
SMS_BACKEND = env.choice(
    "SMS_BACKEND",
    ["kretsen.core.sms.LogBackend", "kretsen.core.sms.MemoryBackend"],
    "kretsen.core.sms.LogBackend",
)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Kretsen <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work ----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.choice(
            "TASKS_BACKEND",
            ["django_tasks_db.DatabaseBackend", "django_tasks.backends.immediate.ImmediateBackend"],
            "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}

# One JSON object per line on standard error (journald keeps it), with no personal data:
# see kretsen/core/logging.py and decision 0112. LOG_FORMAT=text gives plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "kretsen.core.logging.JsonLinesFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.choice("LOG_FORMAT", ["json", "text"], "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes names the user name (an e-mail address) in its warnings; keep it out.
        "axes": {"level": "ERROR"},
        "django.request": {"level": "ERROR"},
        # uvicorn's access log holds client addresses and paths; RequestLogMiddleware does it.
        "uvicorn.access": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The demo helpers (printing a demo TOTP code) only exist where this is on, never in production.
DEMO_TOOLS = DEBUG and env.boolean("DEMO_TOOLS", default=True)
