"""A reader's history and "marked for later" list: theirs alone to see and change."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stories import services as story_services
from stories.readings import services
from stories.readings.models import Reading
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def history_url(user, **query):
    url = reverse("readings:reading_list", args=[user.username])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def read(user, work, *, chapter=None, days_ago=0):
    chapter = chapter or work.chapters.order_by("position").first()
    services.reading_record(
        reader=user,
        work_id=work.pk,
        chapter_id=chapter.pk,
        chapters_posted=work.chapter_count,
    )
    Reading.objects.filter(user=user, work=work).update(
        last_read_at=timezone.now() - timedelta(days=days_ago)
    )


@pytest.fixture
def history(reader, author):
    """The reader read two works, the older one to its second chapter."""
    older = make_work(owner=author, title="Tidewater", chapters=3)
    newer = make_work(owner=author, title="The Lantern Keeper")
    read(reader, older, chapter=older.chapters.order_by("position")[1], days_ago=3)
    read(reader, newer, days_ago=1)
    return older, newer


def page_text(response):
    return " ".join(response.content.decode().split())


def test_the_history_lists_works_newest_first_with_the_chapter_read(
    reader_client, reader, history
):
    older, newer = history
    second = older.chapters.order_by("position")[1]

    page = page_text(reader_client.get(history_url(reader)))

    assert page.index("The Lantern Keeper") < page.index("Tidewater")
    assert f'href="{second.get_absolute_url()}">Chapter 2: Part 2</a>' in page
    assert "new chapter" not in page


def test_the_history_counts_the_chapters_posted_since(reader_client, reader, history):
    older, _newer = history
    for title in ("Four", "Five"):
        story_services.chapter_create(
            work=older, text=story_services.ChapterText(body="<p>On.</p>", title=title)
        )

    page = page_text(reader_client.get(history_url(reader)))

    assert "2 new chapters since" in page


def test_the_history_is_paginated(reader_client, reader, author):
    for number in range(23):
        read(reader, make_work(owner=author, title=f"Work {number}"), days_ago=number)

    first = page_text(reader_client.get(history_url(reader)))
    second = page_text(reader_client.get(history_url(reader, page=2)))

    assert ">Work 0</a>" in first and ">Work 19</a>" in first
    assert ">Work 20</a>" not in first
    assert ">Work 22</a>" in second and ">Work 0</a>" not in second


def test_a_work_no_longer_posted_shows_without_its_title(
    reader_client, reader, history
):
    older, _newer = history
    story_services.work_unpost(work=older)

    page = page_text(reader_client.get(history_url(reader)))

    assert "This work is no longer posted." in page
    assert "Tidewater" not in page


def test_a_guest_is_sent_to_log_in(client, reader, history):
    response = client.get(history_url(reader))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_another_reader_finds_no_history(client, reader, history):
    client.force_login(UserFactory())

    assert client.get(history_url(reader)).status_code == 404
    assert client.get(history_url(reader, show="later")).status_code == 404


def test_staff_find_no_history_of_others_either(staff_client, reader, history):
    assert staff_client.get(history_url(reader)).status_code == 404


def test_the_reader_sees_only_their_own(reader_client, reader, author):
    other = UserFactory()
    read(other, make_work(owner=author, title="Someone else's"))

    page = page_text(reader_client.get(history_url(reader)))

    assert "Someone else's" not in page
    assert "Your history is empty." in page


def test_clearing_asks_first_then_clears_all(reader_client, reader, history):
    clear = reverse("readings:history_clear", args=[reader.username])

    confirm = reader_client.get(clear)
    assert "Clear your history?" in confirm.content.decode()
    assert Reading.objects.filter(user=reader).count() == 2

    response = reader_client.post(clear, follow=True)

    assert not Reading.objects.filter(user=reader).exists()
    assert "Your history was cleared." in response.content.decode()


def test_clearing_keeps_works_marked_for_later(reader_client, reader, history):
    older, newer = history
    services.work_mark_for_later(reader=reader, work=older)

    reader_client.post(reverse("readings:history_clear", args=[reader.username]))

    kept = Reading.objects.get(user=reader)
    assert kept.work == older and kept.is_marked_for_later
    assert kept.last_read_at is None and kept.last_chapter is None
    assert "Tidewater" not in page_text(reader_client.get(history_url(reader)))
    assert "Tidewater" in page_text(
        reader_client.get(history_url(reader, show="later"))
    )


def test_removing_one_work(reader_client, reader, history):
    older, newer = history

    response = reader_client.post(
        reverse("readings:reading_forget", args=[reader.username, older.pk]),
        follow=True,
    )

    assert list(Reading.objects.filter(user=reader).values_list("work", flat=True)) == [
        newer.pk
    ]
    assert "The work was removed from your history." in response.content.decode()


def test_removing_one_work_is_a_post(reader_client, reader, history):
    older, _newer = history

    response = reader_client.get(
        reverse("readings:reading_forget", args=[reader.username, older.pk])
    )

    assert response.status_code == 405
    assert Reading.objects.filter(user=reader).count() == 2


@pytest.mark.parametrize("who", ["guest", "other"])
def test_no_one_else_changes_a_readers_history(client, reader, history, who):
    older, _newer = history
    services.work_mark_for_later(reader=reader, work=older)
    if who == "other":
        client.force_login(UserFactory())
    before = list(Reading.objects.order_by("pk").values())

    responses = [
        client.post(reverse("readings:history_clear", args=[reader.username])),
        client.post(
            reverse("readings:reading_forget", args=[reader.username, older.pk])
        ),
        client.post(reverse("readings:work_unmark_for_later", args=[older.pk])),
    ]

    assert list(Reading.objects.order_by("pk").values()) == before
    if who == "guest":
        assert all(response.status_code == 302 for response in responses)
        assert all("/login/" in response.url for response in responses)
    else:
        assert [response.status_code for response in responses[:2]] == [404, 404]


def test_mark_for_later_and_unmark_from_the_work_page(reader_client, reader, author):
    work = make_work(owner=author, title="Far Shore")
    page = reader_client.get(work.get_absolute_url()).content.decode()
    mark = reverse("readings:work_mark_for_later", args=[work.pk])
    assert f'action="{mark}"' in page

    response = reader_client.post(mark, {"next": work.get_absolute_url()}, follow=True)

    assert Reading.objects.get(user=reader, work=work).is_marked_for_later
    page = response.content.decode()
    assert "is marked for later" in page
    assert "Unmark for later" in page
    later = page_text(reader_client.get(history_url(reader, show="later")))
    assert ">Far Shore</a>" in later

    reader_client.post(reverse("readings:work_unmark_for_later", args=[work.pk]))

    assert not Reading.objects.get(user=reader, work=work).is_marked_for_later
    assert "Far Shore" not in page_text(
        reader_client.get(history_url(reader, show="later"))
    )


def test_marking_for_later_works_with_history_switched_off(client, author):
    reader = UserFactory(keep_history=False)
    client.force_login(reader)
    work = make_work(owner=author)

    client.post(reverse("readings:work_mark_for_later", args=[work.pk]))
    client.get(work.get_absolute_url())

    reading = Reading.objects.get(user=reader, work=work)
    assert reading.is_marked_for_later
    assert reading.last_read_at is None and reading.visits == 0


def test_unmarking_a_work_never_read_forgets_it(reader_client, reader, author):
    work = make_work(owner=author)
    services.work_mark_for_later(reader=reader, work=work)

    reader_client.post(reverse("readings:work_unmark_for_later", args=[work.pk]))

    assert not Reading.objects.filter(user=reader).exists()


def test_unmarking_keeps_the_history(reader_client, reader, history):
    older, _newer = history
    services.work_mark_for_later(reader=reader, work=older)

    reader_client.post(reverse("readings:work_unmark_for_later", args=[older.pk]))

    reading = Reading.objects.get(user=reader, work=older)
    assert not reading.is_marked_for_later and reading.last_read_at is not None


def test_a_draft_cannot_be_marked_for_later(reader_client, reader, author):
    draft = make_work(owner=author, post=False)

    response = reader_client.post(
        reverse("readings:work_mark_for_later", args=[draft.pk])
    )

    assert response.status_code == 404
    assert not Reading.objects.exists()


def test_marking_sends_a_guest_to_log_in(client, author):
    work = make_work(owner=author)

    response = client.post(reverse("readings:work_mark_for_later", args=[work.pk]))

    assert response.status_code == 302 and "/login/" in response.url
    assert not Reading.objects.exists()


def test_the_history_says_when_it_is_switched_off(client, author):
    reader = UserFactory(keep_history=False)
    client.force_login(reader)

    page = page_text(client.get(history_url(reader)))

    assert "Your history is switched off" in page


def test_the_preferences_link_to_the_history(reader_client, reader):
    page = reader_client.get("/preferences/").content.decode()

    assert f'href="{history_url(reader)}"' in page


def test_the_history_page_runs_few_queries(
    reader_client, reader, author, django_assert_max_num_queries
):
    for number in range(25):
        read(reader, make_work(owner=author, title=f"Work {number}"), days_ago=number)
    for query in ({}, {"show": "later"}, {"page": 2}):
        with django_assert_max_num_queries(8):
            reader_client.get(history_url(reader, **query))
