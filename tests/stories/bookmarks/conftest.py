import pytest

from stories.bookmarks import services
from stories.series.models import Series
from tests.factories import UserFactory


@pytest.fixture
def other(db):
    return UserFactory(username="inkwell")


@pytest.fixture
def series(author):
    return Series.objects.create(owner=author, title="Harbour Tales")


@pytest.fixture
def bookmark(reader, work):
    return services.bookmark_create(
        owner=reader, work=work, notes="<p>Loved the lamps.</p>", tag_names=["cozy"]
    )
