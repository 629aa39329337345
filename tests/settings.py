"""Settings for the test run: production-like (DEBUG off, real keys), but served over HTTP."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-for-the-kretsen-suite-0123456789-abcdefghij"
)
os.environ.setdefault("SALT_KEY", "test-only-salt")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("EMAIL_URL", "locmem:")
os.environ.setdefault("SMS_BACKEND", "kretsen.core.sms.MemoryBackend")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("KRETSEN_VAR_DIR", "/tmp/kretsen-test-var")
# No connection pool: its idle connections would keep the PostgreSQL test database open.
os.environ.setdefault("DATABASE_POOL_SIZE", "0")

from kretsen.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Connections opened by the browser tests' ASGI server threads close after each use, so that
# no session is left on the PostgreSQL test database when the suite drops it.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: the browser tests' server threads write
    # at the same time (the live panel, the read trail), and a shared in-memory database
    # refuses a second writer at once ("table is locked") where a file waits for it, as the
    # production database does (IMMEDIATE transactions with a time-out).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["KRETSEN_VAR_DIR"], f"test-{os.getpid()}.sqlite3")
    }
