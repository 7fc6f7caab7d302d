"""Production settings: refuse to start when misconfigured."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("ARCHIVE_DEBUG must be off in production.")
if len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured(
        "Set ARCHIVE_SECRET_KEY to a long random value (at least 50 characters): "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# Background jobs' SQLite queue and backups live here: a fresh machine has none.
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
STATIC_ROOT = VAR_DIR / "staticfiles"  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("ARCHIVE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# Strict-Transport-Security: browsers keep to HTTPS for this long (a year by
# default; 0 sends no header). Subdomains too unless switched off; preload
# (asking browsers to ship the site in their HTTPS-only list) only on request,
# as leaving that list takes months.
SECURE_HSTS_SECONDS = int(
    os.environ.get("ARCHIVE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "ARCHIVE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env_bool("ARCHIVE_HSTS_PRELOAD")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("ARCHIVE_EMAIL_HOST", "localhost")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Background jobs: with ARCHIVE_HUEY_URL=redis://... they queue in Redis, for
# consumers (`manage.py run_huey`) on as many machines as needed; without it, in
# a SQLite file under ARCHIVE_VAR_DIR, for consumers on this machine only.
