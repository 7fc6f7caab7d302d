"""Settings for `make run` on a laptop: debug on, SQLite, console email."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("ARCHIVE_DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "local-only-not-secret-key-change-me-for-anything-public"  # noqa: F405

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
