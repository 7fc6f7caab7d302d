"""Production settings: refuse to start when misconfigured."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("ARCHIVE_DEBUG must be off in production.")
if len(SECRET_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "Set ARCHIVE_SECRET_KEY to a long random value (at least 32 characters)."
    )

STATIC_ROOT = VAR_DIR / "staticfiles"  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("ARCHIVE_SSL_REDIRECT", default=True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
SECURE_CONTENT_TYPE_NOSNIFF = True
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("ARCHIVE_EMAIL_HOST", "localhost")  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Background jobs: with ARCHIVE_HUEY_URL=redis://... they queue in Redis, for
# consumers (`manage.py run_huey`) on as many machines as needed; without it, in
# a SQLite file under ARCHIVE_VAR_DIR, for consumers on this machine only.
