"""The readings services, on their own."""

import pytest

from stories.readings import services
from stories.readings.models import Reading
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def record(reader, work, chapter, **options):
    return services.reading_record(
        reader=reader,
        work_id=work.pk,
        chapter_id=chapter.pk,
        chapters_posted=work.chapter_count,
        **options,
    )


def test_a_reading_found_missing_but_recorded_meanwhile_is_updated(reader, author):
    work = make_work(owner=author, chapters=2)
    first, second = work.chapters.order_by("position")
    record(reader, work, first)

    # Another tab inserted it after this page found none.
    assert record(reader, work, second, is_new=True)

    reading = Reading.objects.get(user=reader, work=work)
    assert reading.last_chapter == second


def test_a_reading_cleared_meanwhile_is_inserted_again(reader, author):
    work = make_work(owner=author)
    chapter = work.chapters.get()

    assert record(reader, work, chapter, is_new=False)

    assert Reading.objects.get(user=reader, work=work).visits == 1


def test_the_work_page_places_a_reader_who_had_only_marked_it(reader, author):
    work = make_work(owner=author, chapters=2)
    first = work.chapters.order_by("position").first()
    services.work_mark_for_later(reader=reader, work=work)

    record(reader, work, first, keep_place=True)

    reading = Reading.objects.get(user=reader, work=work)
    assert reading.last_chapter == first and reading.chapters_seen == 2
    assert reading.is_marked_for_later and reading.visits == 1


def test_nothing_is_recorded_without_history(author):
    reader = UserFactory(keep_history=False)
    work = make_work(owner=author)

    assert not record(reader, work, work.chapters.get())

    assert not Reading.objects.exists()


def test_forgetting_touches_only_the_readers_own(reader, author):
    work = make_work(owner=author)
    other = UserFactory()
    for user in (reader, other):
        record(user, work, work.chapters.get())

    services.reading_forget(reader=reader, work_id=work.pk)
    services.history_clear(reader=reader)

    assert list(Reading.objects.values_list("user", flat=True)) == [other.pk]
