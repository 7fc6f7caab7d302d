"""Settings shared by every environment; environment variables start with ARCHIVE_."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("ARCHIVE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    """Return an ARCHIVE_ boolean variable: 1, true, yes or on mean true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    """Return a comma-separated ARCHIVE_ variable as a list."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("ARCHIVE_SECRET_KEY", "")
DEBUG = env_bool("ARCHIVE_DEBUG")
ALLOWED_HOSTS = env_list("ARCHIVE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "taggit",
    "axes",
    "huey.contrib.djhuey",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "django_prose_editor",
    "archive",
    "stories",
    "stories.engagement",
    "stories.bookmarks",
    "stories.subscriptions",
    "stories.readings",
    "stories.series",
    "stories.blocking",
    "stories.downloads",
    "stories.opds",
    "stories.api",
    "stories.moderation",
    "stories.statistics",
    "stories.posting",
    "stories.pseuds",
]

MIDDLEWARE = [
    # First, so it compresses what every other middleware made of the page, and
    # weakens its ETag ("W/"), which conditional GETs compare weakly (Django's
    # get_conditional_response). BREACH (guessing a secret in a compressed page
    # by its size): the one secret in pages is the form token, which Django masks
    # afresh for every response (a new random mask, so never the same bytes
    # twice), and Django pads each compressed response with random bytes too.
    "archive.middleware.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "archive.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the language cookie, else the browser's
    # Accept-Language (after the session, before CommonMiddleware).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The reader's preferences, and their time zone on for the request.
    "archive.preferences.ReaderPreferencesMiddleware",
    # A signed-in reader's saved language, over the cookie's (archive/languages.py).
    "archive.languages.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Each IP address's budget of requests (archive/ratelimits.py).
    "archive.ratelimits.RequestBudgetMiddleware",
    # Each response's own values where a page's marks are (stories/caching.py):
    # inside CommonMiddleware, which sets the length of the page it changes.
    "stories.caching.MarksMiddleware",
    # Late, so the page it answers with has the reader's session and messages; it
    # still runs before any view or the CSRF check reads the body.
    "archive.middleware.RequestSizeLimitMiddleware",
    # Answers a log-in refused by the lock-out with its page (AXES_* below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
                "archive.context_processors.site_links",
                "archive.context_processors.reader",
                "stories.subscriptions.context_processors.inbox",
            ],
        },
    },
]


def database_from_url(url):
    """Return a DATABASES entry; SQLite gets WAL mode and a busy timeout.

    Connections are kept for a minute on both databases: opening SQLite's and
    setting its pragmas cost a tag page a fifth of its throughput.
    """
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Parallel workers slow short page queries down on a small machine.
        config["OPTIONS"] = {"options": "-c max_parallel_workers_per_gather=0"}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON;"
            ),
        }
    return config


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'archive.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "archive.User"
# Axes first: it refuses a locked-out log-in before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "stories:home"
LOGOUT_REDIRECT_URL = "stories:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# How long the link that confirms an account's email address works, in seconds
# (as PASSWORD_RESET_TIMEOUT): ARCHIVE_VERIFY_DAYS days.
EMAIL_VERIFICATION_TIMEOUT = (
    int(os.environ.get("ARCHIVE_VERIFY_DAYS", "7")) * 24 * 60 * 60
)

LANGUAGE_CODE = "en"
# The interface's languages, each named in its own language (the switcher shows
# them so). Addresses carry no language prefix: AO3's addresses stay as they are.
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language chosen with the switcher is kept for a year, not the session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]


def cache_from_url(url):
    """Return a CACHES entry: this process's copies in front of a shared cache,
    Redis for redis:// URLs, else files under var/ (stories/caching.py)."""
    return {
        "BACKEND": "archive.cache.TwoLevelCache",
        "LOCATION": url or str(VAR_DIR / "cache"),
        "OPTIONS": {
            # Each process keeps the cached parts it used lately, up to this size.
            "KEPT_BYTES": int(
                os.environ.get("ARCHIVE_KEPT_IN_PROCESS_BYTES", str(32 * 1024 * 1024))
            ),
        },
    }


# Shared by every worker process, so one write is seen by all at once.
CACHES = {"default": cache_from_url(os.environ.get("ARCHIVE_CACHE_URL", ""))}


def huey_from_url(url):
    """Return the HUEY setting: Redis storage for redis:// URLs, else a SQLite file.

    The SQLite file needs nothing installed and serves consumers on one machine;
    Redis serves consumers on as many machines as needed.
    """
    if url.startswith(("redis://", "rediss://")):
        storage = {"huey_class": "huey.RedisHuey", "url": url}
    else:
        storage = {
            "huey_class": "huey.SqliteHuey",
            "filename": str(VAR_DIR / "huey.sqlite3"),
        }
    # Immediate mode is chosen here, not from DEBUG as djhuey would: make run
    # queues jobs for its consumer as production does. The tasks return nothing.
    return {"name": "archive", "immediate": False, "results": False, **storage}


# Background jobs (stories/tasks.py), run by `manage.py run_huey`.
HUEY = huey_from_url(os.environ.get("ARCHIVE_HUEY_URL", ""))

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("ARCHIVE_FROM_EMAIL", "archive@localhost")
# Where emails sent by background jobs (no request to ask) link to.
SITE_URL = os.environ.get("ARCHIVE_SITE_URL", "http://127.0.0.1:8000")

# A whole chapter (AO3 allows 510,000 characters) in any encoding fits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# A request's whole body: a chapter file (up to 4 MB) beside a typed chapter
# form-encoded; larger ones are refused before they are read.
REQUEST_MAX_BYTES = 12 * 1024 * 1024

# What a page may load and run: its own scripts, styles and images only, never
# inline ones (templates have no <script> body, style="" or on*= handler).
# Images in chapters point at the open web: ARCHIVE_CSP_IMG_SOURCES=https:
# lets readers see them (with the third-party requests that brings).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env_list("ARCHIVE_CSP_IMG_SOURCES")],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# archive.middleware.PermissionsPolicyMiddleware: features no page uses, refused.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SECURE_REFERRER_POLICY = os.environ.get("ARCHIVE_REFERRER_POLICY", "same-origin")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

TAGGIT_TAGS_FROM_STRING = "stories.tagging.parse_tag_names"
TAGGIT_STRING_FROM_TAGS = "stories.tagging.join_tag_names"

ARCHIVE_NAME = os.environ.get("ARCHIVE_NAME", "Fan Archive")
WORK_LANGUAGES = [
    ("en", _("English")),
    ("es", _("Español")),
    ("fr", _("Français")),
    ("de", _("Deutsch")),
    ("it", _("Italiano")),
    ("pt", _("Português")),
    ("ru", _("Русский")),
    ("pl", _("Polski")),
    ("ja", _("日本語")),
    ("zh", _("中文")),
    ("ko", _("한국어")),
    ("id", _("Bahasa Indonesia")),
    ("vi", _("Tiếng Việt")),
    ("tl", _("Filipino")),
    ("nl", _("Nederlands")),
    ("sv", _("Svenska")),
    ("tr", _("Türkçe")),
    ("uk", _("Українська")),
    ("ar", _("العربية")),
    ("he", _("עברית")),
]

# The read API (stories/api/) is for guests: every client sees what a guest sees,
# JSON only, at most RATE_LIMITS["api"] requests per client address (counted as
# every limit is, in archive/ratelimits.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["stories.api.throttling.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNICODE_JSON": True,
}
# How long browsers and proxies may keep an API answer without asking again
# (then they ask with its ETag and get 304 Not Modified while it is the same).
API_MAX_AGE = int(os.environ.get("ARCHIVE_API_MAX_AGE", "60"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Fan Archive read API",
    "DESCRIPTION": (
        "Read-only JSON for tools: works with every listing filter and sort, "
        "chapters, tags, series, people's works and public bookmarks, as a guest "
        "sees them."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # In the order of the addresses and of the filter forms' fields.
    "SORT_OPERATIONS": False,
    "SORT_OPERATION_PARAMETERS": False,
    "ENUM_NAME_OVERRIDES": {
        "RatingEnum": "stories.models.Rating",
        "TagKindEnum": "stories.models.TagKind",
    },
}

# Every line once, through the root's handler. Django's own logging config,
# applied before this one, gives the "django" logger a console handler of its
# own (under DEBUG), and its lines went on to the root's too: each one twice
# (tests/archive/test_logging.py). Here "django" has none and passes its lines
# (INFO and up, as Django's config has it) to the root. runserver's request
# lines keep their own handler and format ("django.server", which stops there),
# named again here: configuring "django" resets the loggers under it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
        },
        # The consumer says what it runs; with a handler here it adds no second one.
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def rate_limits_from(text, defaults):
    """Return defaults changed by ARCHIVE_RATE_LIMITS, "name=rate,..." (rate:
    "10/m", "5/h", "100/10m"; "off" for none)."""
    rates = dict(defaults)
    for item in text.split(","):
        if not item.strip():
            continue
        name, _equals, rate = item.partition("=")
        rate = rate.strip()
        rates[name.strip()] = None if rate.lower() in {"", "off", "none"} else rate
    return rates


# How often one client may do each thing (archive/ratelimits.py says what each
# counts by). Counted in the shared cache, so they hold across processes and
# machines; over a limit, the client gets a 429 page with Retry-After.
RATE_LIMITS = rate_limits_from(
    os.environ.get("ARCHIVE_RATE_LIMITS", ""),
    {
        "requests": "300/m",  # every request from one IP address, static files aside
        "login": "20/m",  # log-in forms posted, per IP address
        "signup": "5/h",  # accounts made, per IP address
        "password_reset": "5/h",  # reset emails asked for, per IP address
        "password_reset_email": "3/h",  # reset emails asked for, per address
        "comment_guest": "3/10m",  # comments by guests, per IP address
        "comment_new_account": "5/10m",  # by accounts younger than below, per account
        "comment": "20/10m",  # by other accounts, per account
        "kudos": "30/m",  # kudos left, per account (guests: per IP address)
        "api": "120/m",  # read API requests, per IP address
        "verify_resend": "3/h",  # verification emails asked for again, per account
    },
)
# Accounts younger than this many days comment under "comment_new_account".
RATE_LIMIT_NEW_ACCOUNT_DAYS = int(os.environ.get("ARCHIVE_NEW_ACCOUNT_DAYS", "7"))
# The request header that holds the client's address, set by the proxy in front
# (e.g. HTTP_X_REAL_IP); without one, the connection's address (REMOTE_ADDR).
# Behind a proxy that is the proxy's: everyone would share one budget.
CLIENT_IP_HEADER = os.environ.get("ARCHIVE_CLIENT_IP_HEADER", "REMOTE_ADDR")
RATELIMIT_USE_CACHE = "default"
# Counters change under one name: never kept in a process (archive/cache.py).
RATELIMIT_CACHE_PREFIX = "s:rl:"
RATELIMIT_IP_META_KEY = "archive.ratelimits.client_ip"
# A request the cache could not count passes (archive/ratelimits.py `check`).
RATELIMIT_FAIL_OPEN = True

# Log-in lock-out (django-axes): after AXES_FAILURE_LIMIT failed log-ins for one
# account (from any address), or from one address (for any accounts), log-ins
# for it are refused until AXES_COOLOFF_TIME has passed since the last failure.
# The attempts are rows in the database (axes' own tables, listed in the admin,
# where staff can lift a lock-out): every process and machine sees them.
AXES_FAILURE_LIMIT = int(os.environ.get("ARCHIVE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("ARCHIVE_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Tries while locked out do not push the end of the lock-out further: the time
# the lock-out page gives is the time it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# No row for every successful log-in: only failures are kept.
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "archive.ratelimits.client_ip"
AXES_LOCKOUT_CALLABLE = "archive.ratelimits.login_locked_out"

# Spam defences (stories.moderation): a form a guest may send is refused when it
# comes back sooner than this many seconds after it was shown (0: no check), or
# later than SPAM_MAX_FORM_AGE; the same comment again within
# SPAM_DUPLICATE_SECONDS is refused.
SPAM_MIN_FILL_SECONDS = int(os.environ.get("ARCHIVE_SPAM_MIN_FILL_SECONDS", "3"))
SPAM_MAX_FORM_AGE = 24 * 60 * 60
SPAM_DUPLICATE_SECONDS = 10 * 60
