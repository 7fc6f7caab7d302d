"""Real-browser journeys: Debian's Chromium driven by Playwright against live_server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, so Django
# refuses ORM calls made there (test data, assertions on rows) as "async unsafe"
# unless told otherwise. `make pytest` sets this too; setdefault keeps a value
# given on the command line and lets `pytest tests/browser` run on its own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 10_000


def _skip_without_chromium():
    # Playwright cannot download its own browser here; without Debian's there is
    # nothing to drive, so say how to get it rather than fail every test.
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: run `make test-packages`")


@pytest.fixture(scope="session", autouse=True)
def _require_chromium():
    """Skip every browser journey when Debian's Chromium is missing."""
    _skip_without_chromium()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium, which Playwright cannot download for itself."""
    _skip_without_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def page(page):
    """Return pytest-playwright's page, failing fast instead of waiting 30 s."""
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return page


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """Start the live server once the test database exists: started before, it
    sees SQLite's name still as ":memory:" and shares the test thread's
    connection with its own threads (crashes when tests/browser runs alone)."""
    return live_server
