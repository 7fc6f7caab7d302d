"""Tag autocomplete in a real Chromium: suggestions for the name being typed."""

import pytest
from playwright.sync_api import Page, expect

from stories import services
from stories.models import Tag, TagKind
from tests.factories import make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_input_suggests_tags_for_the_name_after_the_last_comma(
    page: Page, live_server, transactional_db
):
    make_work(fandoms=["Harry Potter"], freeforms=["Angst"])
    make_work(fandoms=["HP"])
    potter = services.tag_make_canonical(
        tag=Tag.objects.get(kind=TagKind.FANDOM, name="Harry Potter")
    )
    services.tag_make_synonym(
        tag=Tag.objects.get(kind=TagKind.FANDOM, name="HP"), canonical=potter
    )

    page.goto(f"{live_server.url}/works/")
    include = page.locator("#id_include")
    include.press_sequentially("Angst, harr")

    options = page.locator(f"datalist#{include.get_attribute('list')} option")
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", "Angst, Harry Potter")
    expect(include).to_have_attribute("autocomplete", "off")
