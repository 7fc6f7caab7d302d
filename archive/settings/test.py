"""Settings for the test suite: fast hashing, email kept in memory."""

import os

from .base import *  # noqa: F403
from .base import HUEY, cache_from_url, database_from_url

# The suite builds its own database; with no DATABASE_URL that is SQLite in memory.
DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL", "sqlite://:memory:"))
}

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
