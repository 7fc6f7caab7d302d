"""Page links: the first and last pages, and the ones around the reader's."""

import pytest

from stories.models import Work
from stories.pagination import CountedWithPagePaginator, NumberedPaginator
from tests.factories import make_work


@pytest.mark.parametrize("number", [1, 15, 30])
def test_page_links_show_the_pages_around_the_current_one(number):
    page = NumberedPaginator(range(300), 10).page(number)
    numbers = list(page.nearby_numbers)
    assert number in numbers
    assert numbers[:2] == [1, 2]
    assert numbers[-2:] == [29, 30]
    if number == 15:
        assert numbers == [1, 2, "…", 12, 13, 14, 15, 16, 17, 18, "…", 29, 30]


@pytest.mark.django_db
def test_a_page_counted_with_its_rows_costs_one_query(django_assert_num_queries):
    for number in range(45):
        make_work(title=f"Work {number:02}")
    works = Work.objects.order_by("title")
    paginator = CountedWithPagePaginator(works, 20)
    with django_assert_num_queries(1):
        page = paginator.get_page("2")
        assert [work.title for work in page] == [f"Work {n:02}" for n in range(20, 40)]
        assert (paginator.count, paginator.num_pages, page.has_next()) == (45, 3, True)
    # Past the end, or not a number: the last page, or the first, as Django's.
    assert CountedWithPagePaginator(works, 20).get_page("9").number == 3
    assert CountedWithPagePaginator(works, 20).get_page("x").number == 1
    assert list(CountedWithPagePaginator(works.none(), 20).get_page("1")) == []
