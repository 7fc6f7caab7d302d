"""Scheduled posting: a draft until its time, then posted by the periodic job
through the Post button's services, followers told then and not before."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from stories import services
from stories.models import Chapter, Status, Work
from stories.posting import services as posting
from stories.posting.forms import LOCAL_INPUT_FORMAT
from stories.posting.tasks import scheduled_post
from stories.subscriptions.models import Notification, Subscription
from tests.factories import make_work
from tests.stories.test_authoring import work_form_data

pytestmark = pytest.mark.django_db


def local_input(when):
    """Return a time as the author's datetime-local input sends it."""
    return timezone.localtime(when).strftime(LOCAL_INPUT_FORMAT)


def in_an_hour():
    return (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)


@pytest.fixture
def run_due(django_capture_on_commit_callbacks):
    """Run the periodic job as its consumer would, at a time after now."""

    def run(*, at):
        with django_capture_on_commit_callbacks(execute=True):
            return posting.scheduled_post_due(now=at)

    return run


def test_a_scheduled_work_is_a_draft_nobody_else_sees_until_the_job_posts_it(
    author_client, client, author, reader, run_due, django_capture_on_commit_callbacks
):
    Subscription.objects.create(user=reader, creator=author)
    post_at = in_an_hour()
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            reverse("stories:work_create"),
            work_form_data(**{"schedule-post_at": local_input(post_at)}),
        )
    work = Work.objects.get()
    assert response.status_code == 302
    assert work.status == Status.DRAFT
    assert work.scheduled_for == post_at
    assert work.chapters.get().status == Status.DRAFT
    assert not Notification.objects.exists()
    page = author_client.get(work.get_absolute_url()).content.decode()
    assert "Scheduled for" in page
    assert "Cancel the schedule" in page

    client.force_login(reader)
    assert client.get(work.get_absolute_url()).status_code == 404
    assert not Work.objects.visible_to(reader).exists()
    client.logout()
    assert client.get(work.get_absolute_url()).status_code == 404

    # Not yet due: nothing posts.
    assert run_due(at=post_at - timedelta(minutes=1)) == 0
    work.refresh_from_db()
    assert work.status == Status.DRAFT
    assert not Notification.objects.exists()

    assert run_due(at=post_at + timedelta(seconds=30)) == 1
    work.refresh_from_db()
    assert work.status == Status.POSTED
    assert work.scheduled_for is None
    assert work.published_at is not None
    assert work.chapters.get().status == Status.POSTED
    assert Notification.objects.filter(user=reader, work=work).count() == 1
    page = client.get(work.get_absolute_url()).content.decode()
    assert work.title in page
    assert work.title in client.get(reverse("stories:work_list")).content.decode()
    # Run again, it posts nothing twice and tells nobody twice.
    assert run_due(at=post_at + timedelta(minutes=5)) == 0
    assert Notification.objects.filter(user=reader).count() == 1


def test_the_periodic_task_posts_what_is_due(author, reader, monkeypatch):
    work = make_work(owner=author, post=False)
    Work.objects.filter(pk=work.pk).update(
        scheduled_for=timezone.now() - timedelta(minutes=1)
    )
    # The consumer calls the task as Huey's scheduler does.
    assert scheduled_post.call_local() == 1
    work.refresh_from_db()
    assert work.is_posted
    assert Work.objects.visible_to(reader).filter(pk=work.pk).exists()


def test_a_scheduled_chapter_waits_and_notifies_the_work_s_subscribers_then(
    author_client, work, reader, run_due, django_capture_on_commit_callbacks
):
    Subscription.objects.create(user=reader, work=work)
    post_at = in_an_hour()
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            reverse("stories:chapter_create", kwargs={"work_pk": work.pk}),
            {
                "body": "<p>The tide came in at dawn.</p>",
                "action": "post",
                "schedule-post_at": local_input(post_at),
            },
        )
    assert response.status_code == 302
    chapter = work.chapters.get(number=2)
    assert chapter.status == Status.DRAFT
    assert chapter.scheduled_for == post_at
    assert not Notification.objects.exists()
    assert not Chapter.objects.filter(pk=chapter.pk).visible_to(reader).exists()

    assert run_due(at=post_at) == 1
    chapter.refresh_from_db()
    assert chapter.is_posted
    assert Notification.objects.filter(user=reader, chapter=chapter).count() == 1
    work.refresh_from_db()
    assert work.chapter_count == 2


def test_a_time_in_the_past_is_refused_with_a_clear_message(author_client, work):
    past = timezone.now() - timedelta(hours=2)
    response = author_client.post(
        reverse("stories:work_create"),
        work_form_data(**{"schedule-post_at": local_input(past)}),
    )
    assert response.status_code == 200
    assert "that time has already passed" in response.content.decode()
    assert Work.objects.count() == 1
    response = author_client.post(
        reverse("stories:chapter_create", kwargs={"work_pk": work.pk}),
        {
            "body": "<p>Late.</p>",
            "action": "post",
            "schedule-post_at": local_input(past),
        },
    )
    assert response.status_code == 200
    assert "that time has already passed" in response.content.decode()
    assert work.chapters.count() == 1


def test_the_author_changes_and_cancels_the_schedule(author_client, author):
    work = make_work(owner=author, post=False)
    first, later = in_an_hour(), in_an_hour() + timedelta(days=1)
    edit = reverse("stories:work_edit", kwargs={"pk": work.pk})
    data = work_form_data(action="save", **{"schedule-post_at": local_input(first)})
    assert author_client.post(edit, data).status_code == 302
    work.refresh_from_db()
    assert work.scheduled_for == first
    assert "Scheduled for" in author_client.get(edit).content.decode()

    data["schedule-post_at"] = local_input(later)
    author_client.post(edit, data)
    work.refresh_from_db()
    assert work.scheduled_for == later

    data["schedule-post_at"] = ""
    author_client.post(edit, data)
    work.refresh_from_db()
    assert work.scheduled_for is None
    assert work.status == Status.DRAFT

    posting.work_schedule(work=work, post_at=first)
    response = author_client.post(
        reverse("posting:work_unschedule", kwargs={"pk": work.pk})
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.scheduled_for is None
    assert work.status == Status.DRAFT


def test_only_the_work_s_creators_may_cancel_a_schedule(client, author, reader):
    work = make_work(owner=author, post=False)
    chapter = work.chapters.get()
    posting.work_schedule(work=work, post_at=in_an_hour())
    work_cancel = reverse("posting:work_unschedule", kwargs={"pk": work.pk})
    chapter_cancel = reverse(
        "posting:chapter_unschedule", kwargs={"work_pk": work.pk, "pk": chapter.pk}
    )
    for address in (work_cancel, chapter_cancel):
        response = client.post(address)
        assert response.status_code == 302
        assert reverse("login") in response.url
    client.force_login(reader)
    assert client.post(work_cancel).status_code == 404
    assert client.post(chapter_cancel).status_code == 404
    assert client.get(work_cancel).status_code == 405
    work.refresh_from_db()
    assert work.scheduled_for is not None


def test_a_draft_work_s_chapter_is_not_scheduled_on_its_own(author):
    work = make_work(owner=author, post=False)
    with pytest.raises(posting.SchedulingRefused):
        posting.chapter_schedule(chapter=work.chapters.get(), post_at=in_an_hour())
    posted = make_work(owner=author)
    with pytest.raises(posting.SchedulingRefused):
        posting.work_schedule(work=posted, post_at=in_an_hour())


def test_posting_a_scheduled_work_now_clears_its_schedule(author_client, author):
    work = make_work(owner=author, post=False)
    posting.work_schedule(work=work, post_at=in_an_hour())
    author_client.post(reverse("stories:work_post", kwargs={"pk": work.pk}))
    work.refresh_from_db()
    assert work.is_posted
    assert work.scheduled_for is None


def test_a_work_taken_back_to_draft_is_not_posted_again_by_the_job(author, run_due):
    work = make_work(owner=author, post=False)
    posting.work_schedule(work=work, post_at=in_an_hour())
    run_due(at=in_an_hour() + timedelta(hours=1))
    work.refresh_from_db()
    services.work_unpost(work=work)
    assert run_due(at=in_an_hour() + timedelta(hours=2)) == 0
    work.refresh_from_db()
    assert work.status == Status.DRAFT


def test_a_draft_chapter_is_scheduled_from_its_edit_form_or_posted_now(
    author_client, work, run_due
):
    chapter = work.chapters.create(
        number=2, position=2, body="<p>Waiting.</p>", status=Status.DRAFT
    )
    edit = reverse(
        "stories:chapter_edit", kwargs={"work_pk": work.pk, "pk": chapter.pk}
    )
    post_at = in_an_hour()
    data = {
        "body": "<p>Waiting still.</p>",
        "action": "save",
        "schedule-post_at": local_input(post_at),
    }
    assert author_client.post(edit, data).status_code == 302
    chapter.refresh_from_db()
    assert chapter.scheduled_for == post_at
    assert chapter.status == Status.DRAFT
    page = author_client.get(chapter.get_absolute_url()).content.decode()
    assert "Scheduled for" in page
    assert (
        reverse(
            "posting:chapter_unschedule", kwargs={"work_pk": work.pk, "pk": chapter.pk}
        )
        in page
    )

    # "Save and post" posts it now, and the job has nothing left to post.
    data["action"] = "post"
    author_client.post(edit, data)
    chapter.refresh_from_db()
    assert chapter.is_posted
    assert chapter.scheduled_for is None
    assert run_due(at=post_at) == 0


def test_the_guesses_page_keeps_the_time_typed(author_client):
    post_at = local_input(in_an_hour())
    upload = SimpleUploadedFile(
        "chapter.txt", b"The lamp turned.\n\nThe sea answered.", "text/plain"
    )
    data = work_form_data(body="", upload=upload, **{"schedule-post_at": post_at})
    response = author_client.post(reverse("stories:work_create"), data)
    assert response.status_code == 200
    assert f'value="{post_at}"' in response.content.decode()
    assert not Work.objects.exists()


def test_the_consumer_finds_the_job_and_runs_it_every_minute():
    # As `manage.py run_huey` finds every app's tasks.
    autodiscover_modules("tasks")
    assert "scheduled_post" in [task.name for task in HUEY._registry.periodic_tasks]
    periodic = scheduled_post.task_class()
    assert all(
        periodic.validate_datetime(timezone.now().replace(hour=hour, minute=minute))
        for hour in (0, 13)
        for minute in (0, 1, 37, 59)
    )
