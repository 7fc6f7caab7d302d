import pytest
from django.db import connection

from stories.caching import forget_everything
from tests.factories import UserFactory, make_work


@pytest.fixture(scope="session")
def django_db_createdb(request):
    """Build SQLite's file afresh each run, as it was in memory: tests of writes
    at once empty it (as transactional tests do), and --reuse-db would keep it so."""
    return request.config.getvalue("create_db") or connection.vendor == "sqlite"


@pytest.fixture
def author(db):
    return UserFactory(username="quillfeather")


@pytest.fixture
def reader(db):
    return UserFactory(username="pageturner")


@pytest.fixture
def staff(db):
    return UserFactory(username="moderator", is_staff=True, is_superuser=True)


@pytest.fixture
def work(author):
    return make_work(owner=author)


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with nothing cached: the database starts empty too."""
    forget_everything()
