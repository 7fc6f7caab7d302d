"""A guest comments through the spam defences in a real browser; the author approves."""

import time

import pytest
from playwright.sync_api import Page, expect

from stories.models import Comment
from tests.factories import UserFactory, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password"


def test_guest_comment_passes_the_defences_and_waits_for_the_author(
    page: Page, live_server, transactional_db, settings
):
    settings.SPAM_MIN_FILL_SECONDS = 3
    author = UserFactory(username="lamplighter", password=PASSWORD)
    work = make_work(
        owner=author,
        title="Held Lanterns",
        allow_guest_comments=True,
        hold_guest_comments=True,
    )
    page.goto(live_server.url + work.chapters.get().get_absolute_url())

    # The honeypot is in the form but off the page, out of the tab order and
    # out of the accessibility tree; the stylesheet hides it, not an attribute.
    honeypot = page.locator("#comment-form input[name=website]")
    expect(honeypot).to_have_count(1)
    box = honeypot.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    expect(page.get_by_role("textbox", name="Leave this empty")).to_have_count(0)

    page.locator("#id_guest_name").fill("Wren")
    page.locator("#id_guest_email").fill("wren@example.org")
    body = page.get_by_role("textbox", name="Comment")
    body.fill("The lanterns were lovely.")
    page.get_by_role("button", name="Comment").click()
    expect(page.locator(".form-error")).to_contain_text("please take a moment")
    expect(body).to_have_value("The lanterns were lovely.")
    time.sleep(3.2)
    page.get_by_role("button", name="Comment").click()
    expect(page.locator(".messages")).to_contain_text(
        "once a creator of the work approves it"
    )
    expect(page.locator(".comment-body")).to_have_count(0)
    assert Comment.objects.get().is_held

    page.goto(live_server.url + "/login/")
    page.locator("#id_username").fill("lamplighter")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.goto(live_server.url + work.chapters.get().get_absolute_url())
    page.get_by_role("link", name="Comments awaiting approval (1)").click()
    expect(page.get_by_text("The lanterns were lovely.")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("No comments are waiting.")).to_be_visible()
    page.goto(live_server.url + work.chapters.get().get_absolute_url())
    expect(page.locator(".comment-body")).to_contain_text("The lanterns were lovely.")
