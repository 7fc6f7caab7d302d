"""Posts to one series at once keep its parts numbered 1, 2, 3... with no two
parts in one place."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from stories.series import services
from stories.series.models import Series
from tests.factories import UserFactory, make_work
from tests.stories.series.conftest import make_series

THREADS = 6
EACH = 4


def run_at_once(write):
    """Run write(thread, i) EACH times in each of THREADS threads."""

    def worker(thread):
        try:
            for i in range(EACH):
                write(thread, i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(worker, range(THREADS)))


def positions(series):
    return list(series.parts.order_by("position").values_list("position", flat=True))


@pytest.mark.django_db(transaction=True)
def test_works_added_at_once_to_one_series_each_get_a_place_of_their_own():
    author = UserFactory(username="quillfeather")
    series = make_series(author)
    works = [
        [make_work(owner=author, title=f"Part {t}.{i}") for i in range(EACH)]
        for t in range(THREADS)
    ]

    def add(thread, i):
        services.series_add_work(
            series=Series.objects.get(pk=series.pk), work=works[thread][i]
        )

    run_at_once(add)

    assert positions(series) == list(range(1, THREADS * EACH + 1))


@pytest.mark.django_db(transaction=True)
def test_works_moved_and_removed_at_once_keep_the_series_numbered():
    author = UserFactory(username="quillfeather")
    works = [make_work(owner=author, title=f"Part {n}") for n in range(THREADS * 3)]
    series = make_series(author, works)

    def move_or_remove(thread, i):
        work = works[thread * 3 + i % 3]
        current = Series.objects.get(pk=series.pk)
        if i == EACH - 1 and thread % 2:
            services.series_remove_work(series=current, work=work)
        else:
            services.series_move_work(series=current, work=work, by=-1 if i % 2 else 1)

    run_at_once(move_or_remove)

    remaining = len(works) - THREADS // 2
    assert positions(series) == list(range(1, remaining + 1))
