"""Reader preferences in a real browser: the device's dark mode followed by
default, and a guest's choices, made with the form, applied to the text."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.factories import make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIGHT_PAPER = "rgb(253, 252, 249)"
DARK_PAPER = "rgb(23, 23, 27)"


def style(page, selector, name):
    return page.eval_on_selector(
        selector, f"element => getComputedStyle(element).{name}"
    )


def test_the_theme_follows_the_device_until_the_reader_chooses(
    page: Page, live_server, transactional_db
):
    work = make_work(title="Lanterns at Dusk", notes="<p>For a friend.</p>")
    address = live_server.url + work.get_absolute_url()

    page.emulate_media(color_scheme="light")
    page.goto(address)
    assert style(page, "body", "backgroundColor") == LIGHT_PAPER
    page.emulate_media(color_scheme="dark")
    assert style(page, "body", "backgroundColor") == DARK_PAPER
    assert page.locator(".notes").first.is_visible()
    serif_size = float(
        style(page, "div.userstuff.module", "fontSize").removesuffix("px")
    )

    # The header's link, the form, back to the work: no JavaScript needed.
    page.get_by_role("link", name="Preferences").click()
    page.get_by_label("Light", exact=True).check()
    page.get_by_label("Sans-serif").check()
    page.get_by_label("Size of works' text").select_option("larger")
    page.get_by_label("Wide", exact=True).check()
    page.get_by_label("Hide creators' notes").check()
    page.get_by_role("button", name="Save preferences").click()
    assert page.url == address

    assert style(page, "body", "backgroundColor") == LIGHT_PAPER
    assert "sans-serif" in style(page, "div.userstuff.module", "fontFamily")
    assert float(style(page, "div.userstuff.module", "fontSize").removesuffix("px")) > (
        serif_size * 1.25
    )
    assert style(page, ".chapter", "maxWidth") == "896px"
    assert not page.locator(".notes").first.is_visible()
    assert reverse("reading_preferences") in page.content()
