"""Background jobs: what wrangling a tag leaves to them, and when they are queued.

The test settings run Huey in immediate mode: a job runs as it is queued, in
the on-commit callback that queues it. The last test runs a real consumer.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from huey.signals import SIGNAL_ENQUEUED
from huey.storage import SqliteStorage

from stories import services, tasks
from stories.models import Tag, TagKind
from stories.search import FTS_TABLE
from tests.factories import make_work
from tests.pages import titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued():
    """Return the list of jobs queued from now on, as (task name, arguments)."""
    jobs = []

    def record(signal, task):
        jobs.append((task.name, task.kwargs))

    HUEY.signal(SIGNAL_ENQUEUED)(record)
    yield jobs
    HUEY.disconnect_signal(record, SIGNAL_ENQUEUED)


def tag(name, kind=TagKind.FREEFORM):
    return Tag.objects.get(kind=kind, name=name)


def canonical(name, kind=TagKind.FREEFORM):
    """Return a canonical tag of this kind and name, creating it if need be."""
    (made,) = services.tags_get_or_create(kind=kind, names=[name])
    return services.tag_make_canonical(tag=made)


def searched(client, q):
    return sorted(titles(client.get(reverse("stories:work_search"), {"q": q})))


def blurb(client, work):
    """Return the HTML of a work's blurb on the list of every work."""
    page = client.get(reverse("stories:work_list")).content.decode()
    start = page.index(f'id="work-{work.pk}"')
    return page[start : page.index("</dl>", start)]


def test_search_and_blurbs_show_a_renamed_tag_once_its_job_ran(
    client, author, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, title="Lanterns", freeforms=["Slow Burn"])
    make_work(owner=author, title="Elsewhere", freeforms=["Fluff"])

    with django_capture_on_commit_callbacks(execute=True):
        services.tag_rename(
            tag=tag("Slow Burn"), name="Glacial Romance", kind=TagKind.FREEFORM
        )

    assert searched(client, '"glacial romance"') == ["Lanterns"]
    assert searched(client, '"slow burn"') == []
    assert "Glacial Romance" in blurb(client, work)
    assert "Slow Burn" not in blurb(client, work)


def test_a_synonyms_works_are_found_by_the_canonical_name_once_its_job_ran(
    client, author, django_capture_on_commit_callbacks
):
    make_work(owner=author, title="Lanterns", freeforms=["slowburn"])
    make_work(owner=author, title="Embers", freeforms=["Slow Burn"])
    slow_burn = canonical("Slow Burn")

    with django_capture_on_commit_callbacks(execute=True):
        services.tag_make_synonym(tag=tag("slowburn"), canonical=slow_burn)

    assert searched(client, '"slow burn"') == ["Embers", "Lanterns"]


def test_a_former_synonyms_works_leave_the_canonical_name_once_its_job_ran(
    client, author, django_capture_on_commit_callbacks
):
    make_work(owner=author, title="Lanterns", freeforms=["slowburn"])
    slow_burn = canonical("Slow Burn")
    with django_capture_on_commit_callbacks(execute=True):
        services.tag_make_synonym(tag=tag("slowburn"), canonical=slow_burn)
    assert searched(client, '"slow burn"') == ["Lanterns"]

    with django_capture_on_commit_callbacks(execute=True):
        services.tag_remove_synonym(tag=tag("slowburn"))

    assert searched(client, '"slow burn"') == []
    assert searched(client, "slowburn") == ["Lanterns"]


def test_search_and_blurbs_forget_a_deleted_tag_once_its_job_ran(
    client, author, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, title="Lanterns", freeforms=["Slow Burn"])

    with django_capture_on_commit_callbacks(execute=True):
        services.tag_delete(tag=tag("Slow Burn"))

    assert searched(client, '"slow burn"') == []
    assert searched(client, "lanterns") == ["Lanterns"]
    assert "Slow Burn" not in blurb(client, work)


def test_a_rename_queues_its_job_only_when_it_commits(
    author, queued, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, freeforms=["Slow Burn"])

    with django_capture_on_commit_callbacks() as callbacks:
        services.tag_rename(tag=tag("Slow Burn"), name="Glacial", kind="freeform")
        assert queued == []
    assert queued == []
    for callback in callbacks:
        callback()

    assert queued == [("works_update", {"work_ids": [work.pk], "blurbs": True})]


def test_a_rolled_back_rename_queues_nothing(
    client, author, queued, django_capture_on_commit_callbacks
):
    make_work(owner=author, title="Lanterns", freeforms=["Slow Burn"])

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.tag_rename(tag=tag("Slow Burn"), name="Glacial", kind="freeform")
        raise RuntimeError

    assert queued == []
    assert searched(client, '"slow burn"') == ["Lanterns"]


def test_a_tag_on_no_work_queues_nothing(queued, django_capture_on_commit_callbacks):
    (lonely,) = services.tags_get_or_create(kind=TagKind.FREEFORM, names=["Lonely"])

    with django_capture_on_commit_callbacks(execute=True):
        services.tag_rename(tag=lonely, name="Alone", kind=TagKind.FREEFORM)
        services.tag_delete(tag=lonely)

    assert queued == []


def test_work_ids_go_to_jobs_a_thousand_at_a_time(
    queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = tasks.works_update_on_commit(
            work_ids=[*range(2500, 0, -1), 7], blurbs=False
        )

    assert count == 2500
    batches = [arguments["work_ids"] for _, arguments in queued]
    assert [len(batch) for batch in batches] == [1000, 1000, 500]
    assert [work_id for batch in batches for work_id in batch] == list(range(1, 2501))


def test_a_merge_updates_every_work_in_batches(
    client, author, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks, "WORKS_PER_TASK", 2)
    works = [
        make_work(owner=author, title=f"Work {number}", freeforms=["slowburn"])
        for number in range(5)
    ]
    slow_burn = canonical("Slow Burn")

    with django_capture_on_commit_callbacks(execute=True):
        services.tag_make_synonym(tag=tag("slowburn"), canonical=slow_burn)

    ids = [work.pk for work in works]
    assert [arguments for _, arguments in queued] == [
        {"work_ids": ids[0:2], "blurbs": False},
        {"work_ids": ids[2:4], "blurbs": False},
        {"work_ids": ids[4:5], "blurbs": False},
    ]
    assert searched(client, '"slow burn"') == [f"Work {n}" for n in range(5)]


def test_a_listing_shown_before_the_job_ran_shows_its_changes_after_it(
    client, author, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, title="Lanterns", freeforms=["Slow Burn"])
    assert "Slow Burn" in blurb(client, work)
    with django_capture_on_commit_callbacks() as callbacks:
        services.tag_rename(tag=tag("Slow Burn"), name="Glacial", kind="freeform")
    jobs = [
        job for job in callbacks if getattr(job, "func", None) is tasks.works_update
    ]
    assert jobs
    for commit_callback in callbacks:
        if commit_callback not in jobs:
            commit_callback()
    # Committed, its job not run yet: the tag's page has the new name, the
    # work's kept blurb the old one.
    assert "Glacial" in client.get(tag("Glacial").get_absolute_url()).content.decode()
    assert "Slow Burn" in blurb(client, work)

    for job in jobs:
        job()

    assert "Glacial" in blurb(client, work)
    assert "Slow Burn" not in blurb(client, work)


CONSUMER_WAIT_SECONDS = 30

# Run in a `manage.py shell` of the consumer's archive: a work tagged "Slow
# Burn", then the tag renamed, which queues the rename's job when it commits.
RENAME_IN_THE_ARCHIVE = """
from stories import services
from stories.models import Tag
from tests.factories import make_work

work = make_work(title="Lanterns", freeforms=["Slow Burn"])
tag = Tag.objects.get(name="Slow Burn")
services.tag_rename(tag=tag, name="Glacial Romance", kind=tag.kind)
print(work.pk)
"""


def test_a_consumer_process_runs_the_job_a_rename_queued(tmp_path):
    database = tmp_path / "archive.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings.local",
        "ARCHIVE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{database}",
    }
    for shared in ("ARCHIVE_HUEY_URL", "ARCHIVE_CACHE_URL"):
        env.pop(shared, None)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout

    def found(words):
        with closing(sqlite3.connect(database)) as connection:
            return [
                work_id
                for (work_id,) in connection.execute(
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
                    [f'"{words}"'],
                )
            ]

    manage("migrate", "--no-input")
    work_id = int(manage("shell", "-c", RENAME_IN_THE_ARCHIVE).split()[-1])
    # The consumer's queue: the settings' SQLite file under its ARCHIVE_VAR_DIR.
    queue = SqliteStorage(
        name=settings.HUEY["name"], filename=str(tmp_path / "huey.sqlite3")
    )
    # Posting the work queued its followers' notifications; the rename its job.
    queued = set(queue.enqueued_items())
    assert len(queued) == 2
    assert found("slow burn") == [work_id]

    log = tmp_path / "consumer.log"
    with log.open("w") as output:
        consumer = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + CONSUMER_WAIT_SECONDS
        while not found("glacial romance") and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        consumer.send_signal(signal.SIGINT)
        try:
            consumer.wait(timeout=10)
        except subprocess.TimeoutExpired:
            consumer.kill()
            consumer.wait()

    assert found("glacial romance") == [work_id], log.read_text()
    assert found("slow burn") == []
    # Both jobs were taken. The consumer's clock may have queued the jobs due
    # every minute (scheduled posts, hits) since: those stay for the next run.
    assert not queued & set(queue.enqueued_items())
