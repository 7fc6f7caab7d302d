"""Settings for `make bench`: production's choices, served plainly on 127.0.0.1.

Only here: a fixed secret key, /bench/baseline/ (a constant response through the
whole middleware stack, the floor every page is compared with) and a middleware
that reports each request's database queries in an X-Queries header.
"""

from .base import *  # noqa: F403
from .base import HUEY, MIDDLEWARE, RATE_LIMITS

DEBUG = False
SECRET_KEY = "bench-only-secret-key-never-used-for-anything-public"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "archive.bench"
MIDDLEWARE = ["archive.bench.QueryCountMiddleware", *MIDDLEWARE]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run at once, in the request that queues them, as they did before there
# were background jobs: the benchmarks start no consumer, and the pages they time
# never wait on a queue (none of them writes; seeding queues nothing).
HUEY = {**HUEY, "immediate": True}
# The limits are counted as in production (their cost is in every figure), but
# the load comes from one address, faster than any person: none refuses it.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "1000000000/m")
# Likewise the spam guard runs on every form the writers post, but their forms
# come back at once and say the same thing again: neither refuses them.
SPAM_MIN_FILL_SECONDS = 0
SPAM_DUPLICATE_SECONDS = 0
