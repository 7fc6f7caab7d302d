"""The periodic job that posts scheduled works and chapters when they are due."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from stories.posting import services


# Every minute: a time chosen to the minute is posted within a minute of it.
@db_periodic_task(crontab(minute="*"))
def scheduled_post() -> int:
    """Post every scheduled work and chapter whose time has come."""
    return services.scheduled_post_due()
