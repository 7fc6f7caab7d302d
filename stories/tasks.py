"""Background jobs, run by Huey's consumer (`manage.py run_huey`).

Wrangling a tag changes its row, refiles its postings and recounts in the
request: that is all listings and counts read, so they are right at once. What
grows with the number of works it is on (their search entries, their blurbs)
follows here, a batch of works a job, queued once the change is committed.
"""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from huey.contrib.djhuey import db_task

from stories import services
from stories.search import works_index

WORKS_PER_TASK = 1000


# A job may run again with no harm: retried, it outlasts a database that was busy.
@db_task(retries=3, retry_delay=10)
@transaction.atomic
def works_update(*, work_ids: list[int], blurbs: bool) -> None:
    """Rebuild these works' search entries, and with blurbs mark them changed."""
    if blurbs:
        services.works_shown_changed(work_ids=work_ids)
    # Both declare what they changed: the works' pages and listings, searches.
    works_index(work_ids=work_ids)


def works_update_on_commit(*, work_ids: Iterable[int], blurbs: bool) -> int:
    """Queue works_update for these works, a batch a job, once this commits.

    Return how many works will be updated.
    """
    work_ids = sorted(set(work_ids))
    for start in range(0, len(work_ids), WORKS_PER_TASK):
        batch = work_ids[start : start + WORKS_PER_TASK]
        transaction.on_commit(partial(works_update, work_ids=batch, blurbs=blurbs))
    return len(work_ids)
