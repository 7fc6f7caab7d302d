"""Background jobs of downloads, run by Huey's consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from stories.downloads import services


# Every five minutes: the works changed since are built ahead of their readers.
@db_periodic_task(crontab(minute="*/5"))
def downloads_prebuild_periodically() -> None:
    """Build the slow downloads of the works changed in the last minutes."""
    services.downloads_prebuild_changed()


# Every night: files of works that are gone, or no longer posted, go too.
@db_periodic_task(crontab(hour="4", minute="30"))
def downloads_prune_periodically() -> None:
    """Remove the downloads no work has any more."""
    services.downloads_prune()
