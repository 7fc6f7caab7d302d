"""The catalogue's feeds run no more queries than the listings they are, for 1
or 50 works, for guests and for readers signed in with HTTP Basic."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.stories.opds.conftest import basic
from tests.stories.test_query_counts import LISTING_QUERY_LIMIT, make_works

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_feeds_run_few_queries(
    client, author, django_assert_max_num_queries, count, signed_in
):
    make_works(count, author)
    headers = {}
    if signed_in:
        reader = UserFactory(username="nightreader")
        headers = basic(reader.username, "a-long-test-password")
    urls = [
        reverse("opds:root"),
        reverse("opds:work_list"),
        reverse("opds:work_list") + "?include=Angst,Mara+Quinn&exclude=Trope+1",
        reverse("opds:fandom_list"),
        reverse("opds:tag_works", args=["harbour-lights-tv"]),
        reverse("opds:user_works", args=[author.username]),
        reverse("opds:search") + "?q=work",
    ]
    for url in urls:
        with django_assert_max_num_queries(LISTING_QUERY_LIMIT):
            response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert b"<entry>" in response.content, url
