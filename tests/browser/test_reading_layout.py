"""Listings and blurbs on a 390-pixel phone, in a real Chromium."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import UserFactory, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def works(transactional_db):
    author = UserFactory(username="a_rather_long_author_name")
    make_work(
        owner=author,
        title="The Lighthouse Keeper's Daughter Counts the Ships",
        fandoms=("Harbour Lights (TV)",),
        freeforms=("Angst", "Slow Burn"),
        categories=["F/F"],
        rating="teen",
    )
    make_work(
        owner=author,
        title="Fog",
        fandoms=("Harbour Lights (TV)",),
        freeforms=("Fluff",),
        categories=["Gen"],
    )


def test_a_phone_gives_the_blurb_title_its_own_line_and_the_filters_a_toggle(
    page: Page, live_server, works
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("stories:work_list"))
    blurb = page.locator("li.blurb", has_text="Lighthouse Keeper")
    title = blurb.locator(".blurb-title")
    expect(title).to_contain_text("The Lighthouse Keeper's Daughter")
    assert title.bounding_box()["width"] > 250
    # The symbols and the date share a line above it, squeezing nothing.
    symbols = blurb.locator(".required-tags").bounding_box()
    date = blurb.locator(".blurb-date").bounding_box()
    assert symbols["y"] + symbols["height"] <= title.bounding_box()["y"] + 1
    assert date["y"] < title.bounding_box()["y"]
    assert symbols["width"] < 60 and symbols["height"] < 60
    rating = blurb.locator(".required-tags .rating")
    expect(rating).to_have_attribute("title", "Teen And Up Audiences")
    # Each symbol is drawn by its image (no badge colour painted over it).
    for symbol in blurb.locator(".required-tags .symbol").all():
        image = symbol.evaluate("e => getComputedStyle(e).backgroundImage")
        assert "/img/symbols/" in image, (symbol.get_attribute("class"), image)

    # On a phone the filters wait behind their toggle, which opens them.
    toggle = page.locator("aside.filters details.filters-toggle")
    sort = page.locator("#id_sort")
    expect(toggle).not_to_have_attribute("open", "")
    expect(sort).to_be_hidden()
    toggle.locator("> summary").click()
    expect(sort).to_be_visible()
    # Form controls at 16px, so that iOS does not zoom in on them.
    assert sort.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16

    # A facet keeps the box ticked but not applied yet.
    page.get_by_label("General Audiences").check()
    page.locator("button[name='facet_include'][value='Angst']").click()
    expect(page.locator("section.active-filters")).to_contain_text(
        "Include tags: Angst"
    )
    expect(page.locator("section.active-filters")).to_contain_text(
        "Ratings: General Audiences"
    )
    expect(page.locator("li.blurb")).to_have_count(0)
    # Each remove mark is at least 24 by 24 pixels, and takes its filter away.
    remove = page.get_by_role("link", name="Remove Ratings: General Audiences")
    box = remove.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    remove.click()
    expect(page.locator("li.blurb")).to_have_count(1)


def test_without_javascript_the_filters_are_open_on_a_phone(
    browser, live_server, works
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("stories:work_list"))
        expect(page.locator("#id_sort")).to_be_visible()
        # The filters come before the results.
        order = page.evaluate(
            "() => [...document.querySelectorAll('aside.filters, ol.work-index')]"
            ".map(e => e.tagName)"
        )
        assert order == ["ASIDE", "OL"]
        exclude = page.locator("button.facet-exclude").first.bounding_box()
        assert exclude["width"] >= 24 and exclude["height"] >= 24
    finally:
        context.close()
