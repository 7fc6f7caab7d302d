import pytest

from stories.series import services
from tests.factories import UserFactory, make_work


def make_series(owner, works=(), title="The Harbour Cycle", **fields):
    """Return a series made by series_create, holding these works in order."""
    return services.series_create(owner=owner, title=title, works=works, **fields)


@pytest.fixture
def other(db):
    return UserFactory(username="inkwell")


@pytest.fixture
def cycle(author):
    """A series of three posted works by the author."""
    works = [
        make_work(owner=author, title=title)
        for title in ("First Light", "High Water", "Low Tide")
    ]
    return make_series(author, works)
