import shutil
import socket
import subprocess
import time
from importlib import import_module

import pytest
import redis
from django.apps import apps
from django.db import connection
from django.utils import translation

from stories.caching import forget_everything
from tests.factories import UserFactory, make_work

# The rows the data migrations make (the archive warnings, the categories), as
# (migration module, its function).
MIGRATIONS_ROWS = [
    ("stories.migrations.0002_archive_warnings", "create_warnings"),
    ("stories.migrations.0015_tag_kind_category", "create_categories"),
]


# What makes pytest-django run a test in a TransactionTestCase.
FLUSHING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _ends_with_a_flush(item):
    marker = item.get_closest_marker("django_db")
    if marker and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool(FLUSHING_FIXTURES & set(item.fixturenames))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Make the data migrations' rows again once a transactional test's flush
    has emptied the database.

    In one process pytest-django runs those tests last; pytest-xdist hands each
    process whole files in any order, so other tests may follow one.
    """
    blocker = (item.funcargs or {}).get("django_db_blocker")
    result = yield
    if blocker is not None and _ends_with_a_flush(item):
        with blocker.unblock():
            for module, function in MIGRATIONS_ROWS:
                getattr(import_module(module), function)(apps, None)
    return result


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


@pytest.fixture(autouse=True)
def site_language():
    """End every test in the site's language: a request in another leaves it
    on in the thread, for the messages of the tests that follow."""
    yield
    translation.deactivate()


# A throw-away Redis server, for the tests of what must work with Redis too.
@pytest.fixture(scope="module")
def redis_url():
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server here (make test-packages installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("redis-server did not answer")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait()


@pytest.fixture
def clock(monkeypatch):
    """Freeze the rate limits' clock (archive/ratelimits.py), so no window ends in
    the middle of a test; a test moves it on by changing clock[0]."""
    now = [1_800_000_000.0]
    monkeypatch.setattr("django_ratelimit.core.time.time", lambda: now[0])
    return now


@pytest.fixture
def rates(settings, clock):
    """Set some limits' rates, the others staying as high as tests have them."""

    def set_rates(**rates):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, **rates}

    return set_rates
