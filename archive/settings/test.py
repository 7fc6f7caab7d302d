"""Settings for the test suite: fast hashing, email kept in memory."""

import os

from .base import *  # noqa: F403
from .base import HUEY, RATE_LIMITS, VAR_DIR, cache_from_url, database_from_url

# The suite builds its own database; with no DATABASE_URL that is SQLite in a file
# under var/: SQLite in memory is shared between threads with table locks that fail
# at once, where a file waits its turn as production does (tests of writes at once).
DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL", "sqlite://:memory:"))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": cache_from_url("locmem")}
# Tasks run at once, inside the on-commit callback that queues them.
HUEY = {**HUEY, "immediate": True}
# No test is slowed by a limit it does not test: the tests of the limits
# (tests/archive/test_rate_limits.py) set the rates they count to.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "100000/m")
# Browsers and test clients send forms at once: the fill-time check is off but
# in the tests that turn it on (tests/stories/moderation).
SPAM_MIN_FILL_SECONDS = 0
