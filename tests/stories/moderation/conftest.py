import re
import time

import pytest

from stories.moderation.guard import STAMP_FIELD, form_stamp

STAMP_RE = re.compile(rf'name="{STAMP_FIELD}" value="([^"]+)"')


@pytest.fixture
def fill_time(settings):
    """Turn the fill-time check on (the test settings turn it off): 3 seconds."""
    settings.SPAM_MIN_FILL_SECONDS = 3
    return settings


def stamp_from(response):
    """Return the fill-time stamp a page's form carries, as a browser sends it."""
    found = STAMP_RE.findall(response.content.decode())
    assert found, "the page has no form with a fill-time stamp"
    return found[-1]


def stamp_ago(seconds):
    """Return a stamp of a form shown this many seconds ago."""
    return form_stamp(at=time.time() - seconds)
