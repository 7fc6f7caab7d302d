"""The inbox: newest first, paginated, unread marked, read/unread/delete."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stories import services
from stories.subscriptions.models import Delivery, Kind, Notification
from tests.factories import UserFactory, make_work

from .conftest import subscribe

pytestmark = pytest.mark.django_db


def notify(user, work, count=1, **fields):
    return Notification.objects.bulk_create(
        Notification(
            **{
                "user": user,
                "kind": Kind.CREATOR_WORK,
                "actor": work.owner,
                "work": work,
                "delivery": Delivery.INBOX,
                **fields,
            }
        )
        for _ in range(count)
    )


def inbox_url(user):
    return reverse("subscriptions:inbox", args=[user.username])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_inbox_lists_notifications_newest_first_unread_marked(
    reader_client, reader, work
):
    older = Notification.objects.create(
        user=reader, kind=Kind.COMMENT, work=work, actor=work.owner,
        delivery=Delivery.INBOX, created_at=timezone.now() - timezone.timedelta(days=1),
        read_at=timezone.now(),
    )  # fmt: skip
    newer = notify(reader, work)[0]
    page = reader_client.get(inbox_url(reader)).content.decode()
    assert page.index(f'value="{newer.pk}"') < page.index(f'value="{older.pk}"')
    assert page.count("Unread:") == 1
    assert f"New work by {work.owner.username}: “{work.title}”" in page
    assert f'href="{work.get_absolute_url()}"' in page
    assert f'value="unread:{older.pk}"' in page
    assert f'value="read:{newer.pk}"' in page


def test_the_inbox_is_paginated(reader_client, reader, work):
    notify(reader, work, count=45)
    first = reader_client.get(inbox_url(reader)).content.decode()
    assert first.count('name="notification"') == 20
    assert 'rel="next"' in first
    last = reader_client.get(inbox_url(reader) + "?page=3").content.decode()
    assert last.count('name="notification"') == 5


def test_the_inbox_is_its_owner_s_alone(client, reader, work):
    notification = notify(reader, work)[0]
    delete = {"single": f"delete:{notification.pk}"}
    for response in (
        client.get(inbox_url(reader)),
        client.post(inbox_url(reader), delete),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(inbox_url(reader)).status_code == 404
    assert client.post(inbox_url(reader), delete).status_code == 404
    assert Notification.objects.filter(user=reader).count() == 1
    client.force_login(reader)
    assert client.get(inbox_url(reader)).status_code == 200


def test_one_notification_is_marked_read_then_unread_then_deleted(
    reader_client, reader, work
):
    notification, other = notify(reader, work, count=2)
    url = inbox_url(reader)
    response = reader_client.post(
        url, {"single": f"read:{notification.pk}", "next": url}, follow=True
    )
    assert messages_of(response) == ["Marked 1 notification read."]
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None and other.read_at is None
    response = reader_client.post(
        url, {"single": f"unread:{notification.pk}"}, follow=True
    )
    assert messages_of(response) == ["Marked 1 notification unread."]
    notification.refresh_from_db()
    assert notification.read_at is None
    response = reader_client.post(
        url, {"single": f"delete:{notification.pk}"}, follow=True
    )
    assert messages_of(response) == ["Deleted 1 notification."]
    assert list(Notification.objects.all()) == [other]


def test_ticked_notifications_are_changed_together(reader_client, reader, work):
    first, second, third = notify(reader, work, count=3)
    url = inbox_url(reader)
    ticked = {"notification": [first.pk, second.pk]}
    response = reader_client.post(url, {**ticked, "action": "read"}, follow=True)
    assert messages_of(response) == ["Marked 2 notifications read."]
    assert Notification.objects.filter(read_at=None).get() == third
    reader_client.post(url, {**ticked, "action": "unread"})
    assert Notification.objects.filter(read_at=None).count() == 3
    reader_client.post(url, {**ticked, "action": "delete"})
    assert list(Notification.objects.all()) == [third]


def test_an_action_needs_ticked_notifications(reader_client, reader, work):
    notify(reader, work)
    url = inbox_url(reader)
    response = reader_client.post(url, {"action": "read"}, follow=True)
    assert messages_of(response) == ["Tick at least one notification."]
    response = reader_client.post(url, {"single": "explode:1"}, follow=True)
    assert messages_of(response) == ["Choose an action."]
    assert Notification.objects.filter(read_at=None).count() == 1


def test_someone_else_s_notification_id_changes_nothing(reader_client, reader, work):
    theirs = notify(UserFactory(), work)[0]
    url = inbox_url(reader)
    for action in ("read", "delete"):
        response = reader_client.post(url, {"single": f"{action}:{theirs.pk}"})
        assert response.status_code == 302
        response = reader_client.post(
            url, {"notification": [theirs.pk], "action": action}
        )
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_header_counts_unread_notifications(reader_client, reader, work):
    home = reverse("stories:home")
    assert "unread" not in reader_client.get(home).content.decode()
    first, _second = notify(reader, work, count=2)
    notify(UserFactory(), work)
    # The count is kept until the services say the inbox changed: notify()
    # wrote behind their back, so a service marks one read to declare it.
    reader_client.post(inbox_url(reader), {"single": f"read:{first.pk}"})
    assert "(1 unread)" in reader_client.get(home).content.decode()
    reader_client.post(inbox_url(reader), {"single": f"unread:{first.pk}"})
    assert "(2 unread)" in reader_client.get(home).content.decode()
    assert f'href="{inbox_url(reader)}"' in reader_client.get(home).content.decode()


def test_a_new_notification_shows_in_the_header_at_once(
    reader_client, reader, work, new_chapter
):
    work_url = work.get_absolute_url()
    assert "unread" not in reader_client.get(work_url).content.decode()
    subscribe(reader, work=work)
    new_chapter(work)
    assert "(1 unread)" in reader_client.get(work_url).content.decode()


def test_the_header_count_costs_no_query_once_kept(reader_client, reader, work):
    home = reverse("stories:home")
    reader_client.get(home)
    with CaptureQueriesContext(connection) as queries:
        reader_client.get(home)
    assert not any("subscriptions_notification" in q["sql"] for q in queries)


def test_guests_have_no_inbox_link(client, work):
    assert b"Inbox" not in client.get(reverse("stories:home")).content


@pytest.mark.parametrize("count", [1, 20])
def test_the_inbox_runs_the_same_few_queries_for_1_or_20(
    reader_client, reader, work, count, django_assert_max_num_queries
):
    from stories.series.models import Series

    series = Series.objects.create(owner=work.owner, title="Lanterns")
    chapter = work.chapters.get()
    kinds = [
        {"kind": Kind.WORK_CHAPTER, "chapter": chapter},
        {"kind": Kind.SERIES_PART, "series": series},
        {"kind": Kind.TAG_WORK, "tag": work.tags.first()},
    ]
    for number in range(count):
        notify(reader, work, **kinds[number % len(kinds)])
    reader_client.get(reverse("stories:home"))  # the header's count kept
    with django_assert_max_num_queries(6):
        page = reader_client.get(inbox_url(reader))
    assert page.content.decode().count('name="notification"') == count


def test_staff_find_subscriptions_and_notifications_in_the_admin(
    staff_client, reader, work
):
    notify(reader, work)
    for model in ("subscription", "notification", "notificationpreferences"):
        url = reverse(f"admin:subscriptions_{model}_changelist")
        assert staff_client.get(url).status_code == 200
    notification = Notification.objects.get()
    url = reverse("admin:subscriptions_notification_change", args=[notification.pk])
    assert staff_client.get(url).status_code == 200


def test_deleting_what_notifications_are_about_empties_the_header_at_once(
    reader_client, reader, work, new_chapter
):
    other = make_work(owner=work.owner, title="Other")
    subscribe(reader, work=work)
    subscribe(reader, work=other)
    new_chapter(work)
    new_chapter(other)
    home = reverse("stories:home")
    assert "(2 unread)" in reader_client.get(home).content.decode()

    services.chapter_delete(chapter=other.chapters.order_by("position").last())
    assert "(1 unread)" in reader_client.get(home).content.decode()
    services.work_delete(work=work)
    assert "unread" not in reader_client.get(home).content.decode()
