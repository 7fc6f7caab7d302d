"""Page links: the first and last pages, and the ones around the reader's."""

import pytest

from stories.pagination import NumberedPaginator


@pytest.mark.parametrize("number", [1, 15, 30])
def test_page_links_show_the_pages_around_the_current_one(number):
    page = NumberedPaginator(range(300), 10).page(number)
    numbers = list(page.nearby_numbers)
    assert number in numbers
    assert numbers[:2] == [1, 2]
    assert numbers[-2:] == [29, 30]
    if number == 15:
        assert numbers == [1, 2, "…", 12, 13, 14, 15, 16, 17, 18, "…", 29, 30]
