"""Reading a work records it in the reader's history, and a returning reader
is told where they stopped and what is new."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stories import services
from stories.caching import forget_everything
from stories.readings.models import Reading
from tests.factories import UserFactory, make_work
from tests.stories.test_query_counts import READING_QUERY_LIMIT

pytestmark = pytest.mark.django_db


def chapters_of(work):
    return list(work.chapters.order_by("position"))


def add_chapter(work, title="Later"):
    return services.chapter_create(
        work=work, text=services.ChapterText(body="<p>More.</p>", title=title)
    )


def reading_of(user, work):
    return Reading.objects.get(user=user, work=work)


def test_opening_a_work_records_its_first_chapter(reader_client, reader, author):
    work = make_work(owner=author, chapters=3)
    first = chapters_of(work)[0]

    reader_client.get(work.get_absolute_url())

    reading = reading_of(reader, work)
    assert reading.last_chapter == first
    assert reading.chapters_seen == 3
    assert reading.visits == 1
    assert timezone.now() - reading.last_read_at < timedelta(minutes=1)


def test_opening_a_chapter_records_it_and_counts_visits(reader_client, reader, author):
    work = make_work(owner=author, chapters=3)
    _first, second, third = chapters_of(work)

    reader_client.get(second.get_absolute_url())
    reader_client.get(third.get_absolute_url())

    reading = reading_of(reader, work)
    assert reading.last_chapter == third
    assert reading.visits == 2
    assert Reading.objects.count() == 1


def test_the_work_page_keeps_the_place_of_a_reader_who_read_further(
    reader_client, reader, author
):
    work = make_work(owner=author, chapters=3)
    third = chapters_of(work)[2]
    reader_client.get(third.get_absolute_url())
    add_chapter(work)

    reader_client.get(work.get_absolute_url())

    reading = reading_of(reader, work)
    assert reading.last_chapter == third
    assert reading.chapters_seen == 3
    assert reading.visits == 2


def test_guests_are_not_recorded(client, author):
    work = make_work(owner=author, chapters=2)

    client.get(work.get_absolute_url())
    client.get(chapters_of(work)[1].get_absolute_url())

    assert not Reading.objects.exists()


def test_nothing_is_recorded_for_a_reader_who_switched_history_off(
    reader_client, reader, author
):
    work = make_work(owner=author, chapters=2)
    old = make_work(owner=author, title="Read long ago")
    reader_client.get(old.get_absolute_url())
    reader_client.post("/preferences/", {})  # the box unticked
    reader.refresh_from_db()
    assert not reader.keep_history

    reader_client.get(work.get_absolute_url())
    reader_client.get(chapters_of(work)[1].get_absolute_url())

    assert not Reading.objects.filter(work=work).exists()
    # What the history held stays until it is cleared.
    assert reading_of(reader, old).visits == 1


def test_the_preferences_say_what_switching_history_off_does(reader_client):
    response = reader_client.get("/preferences/")

    assert "stays until you clear it" in response.content.decode()


def test_reading_a_draft_records_nothing(author_client, author):
    draft = make_work(owner=author, post=False)

    response = author_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert not Reading.objects.exists()


def test_each_reader_has_their_own_history(client, author):
    work = make_work(owner=author, chapters=2)
    first, second = chapters_of(work)
    one, two = UserFactory(), UserFactory()
    client.force_login(one)
    client.get(second.get_absolute_url())
    client.force_login(two)
    client.get(work.get_absolute_url())

    assert reading_of(one, work).last_chapter == second
    assert reading_of(two, work).last_chapter == first


def test_a_returning_reader_is_told_where_they_stopped_and_what_is_new(
    reader_client, reader, author
):
    work = make_work(owner=author, chapters=4)
    fourth = chapters_of(work)[3]
    reader_client.get(fourth.get_absolute_url())
    Reading.objects.filter(user=reader).update(
        last_read_at=timezone.now().replace(month=5, day=2)
    )
    fifth = add_chapter(work, title="Fifth")
    add_chapter(work, title="Sixth")

    page = reader_client.get(work.get_absolute_url()).content.decode()

    assert "You last read" in page
    assert "Chapter 4: Part 4" in page
    assert "2 May" in page
    assert "2 new chapters" in page
    assert f'href="{fifth.get_absolute_url()}"' in page
    assert "Continue with Chapter 5: Fifth" in page


def test_the_line_shows_on_chapter_pages_too(reader_client, reader, author):
    work = make_work(owner=author, chapters=3)
    first, second, third = chapters_of(work)
    reader_client.get(second.get_absolute_url())

    page = reader_client.get(first.get_absolute_url()).content.decode()

    assert "You last read" in page and "Chapter 2: Part 2" in page
    assert "new chapter" not in page
    assert f'href="{third.get_absolute_url()}"' in page


def test_continuing_after_the_last_chapter_goes_back_to_it(
    reader_client, reader, author
):
    work = make_work(owner=author, chapters=2)
    second = chapters_of(work)[1]
    reader_client.get(second.get_absolute_url())

    page = reader_client.get(work.get_absolute_url()).content.decode()

    assert "Back to Chapter 2: Part 2" in page
    assert f'class="continue-reading" href="{second.get_absolute_url()}"' in page


def test_a_first_time_reader_sees_no_last_read_line(reader_client, author):
    work = make_work(owner=author, chapters=2)

    page = reader_client.get(work.get_absolute_url()).content.decode()

    assert "You last read" not in page
    assert "Mark for later" in page


def test_guests_see_neither_the_line_nor_the_mark(client, author):
    work = make_work(owner=author)

    page = client.get(work.get_absolute_url()).content.decode()

    assert "You last read" not in page
    assert "Mark for later" not in page


def test_one_readers_place_is_not_served_to_another(client, author):
    work = make_work(owner=author, chapters=3)
    third = chapters_of(work)[2]
    one, two = UserFactory(), UserFactory()
    client.force_login(one)
    client.get(third.get_absolute_url())
    assert "You last read" in client.get(work.get_absolute_url()).content.decode()

    client.force_login(two)
    page = client.get(work.get_absolute_url()).content.decode()

    assert "You last read" not in page


@pytest.mark.parametrize("chapters", [1, 50])
def test_a_returning_reader_costs_two_queries_more_than_the_page(
    client, author, chapters
):
    work = make_work(owner=author, chapters=chapters)
    last = chapters_of(work)[-1]
    client.force_login(UserFactory(keep_history=False))
    client.get(last.get_absolute_url())
    with CaptureQueriesContext(connection) as without_history:
        client.get(last.get_absolute_url())
    client.force_login(UserFactory())
    client.get(last.get_absolute_url())
    with CaptureQueriesContext(connection) as with_history:
        response = client.get(last.get_absolute_url())

    assert "You last read" in response.content.decode()
    # Session and user, the reading read, and its one update.
    assert len(with_history) == 4
    assert len(without_history) == 3


def test_reading_the_entire_work_reads_to_its_last_chapter(
    reader_client, reader, author
):
    work = make_work(owner=author, chapters=3)
    third = chapters_of(work)[2]
    reader_client.get(chapters_of(work)[0].get_absolute_url())

    page = reader_client.get(work.get_absolute_url() + "?view_full_work=true")

    assert "Mark for later" in page.content.decode()
    reading = reading_of(reader, work)
    assert reading.last_chapter == third and reading.visits == 2


def test_a_reply_form_page_records_nothing(reader_client, reader, author):
    work = make_work(owner=author)
    chapter = chapters_of(work)[0]
    comment = services.comment_post(chapter=chapter, user=author, body="Hello")

    reader_client.get(chapter.get_absolute_url() + f"?reply_to={comment.pk}")

    assert not Reading.objects.exists()


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("returning", [False, True])
def test_reading_pages_with_history_stay_within_the_query_limit(
    client, author, django_assert_max_num_queries, count, returning
):
    work = make_work(owner=author, chapters=count)
    chapter = chapters_of(work)[-1]
    for number in range(count):
        services.comment_post(chapter=chapter, user=author, body=f"Comment {number}")
    reader = UserFactory()
    client.force_login(reader)
    if returning:
        client.get(chapters_of(work)[0].get_absolute_url())
    forget_everything()
    for url in (
        work.get_absolute_url(),
        chapter.get_absolute_url(),
        work.get_absolute_url() + "?view_full_work=true",
    ):
        with django_assert_max_num_queries(READING_QUERY_LIMIT):
            response = client.get(url)
        assert response.status_code == 200
    assert reading_of(reader, work).visits == 3 + returning
