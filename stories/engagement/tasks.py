"""Background jobs of kudos and hits, run by Huey's consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from stories.engagement import services


# Every minute: what the reading pages counted in the cache goes to the works.
@db_periodic_task(crontab(minute="*"))
def hits_flush_periodically() -> None:
    """Write the hits counted in the cache to their works."""
    services.hits_flush()
