"""Journeys done with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing.

Every element that takes focus on the way must show it: an outline (or a
box-shadow ring) at 3:1 or more against the background it is drawn on,
computed here from the browser's computed colours (tests/browser/a11y.py),
in the light theme and in the dark one (the reader's preference, on <html>).
"""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from archive.preferences import COOKIE_NAME, ReaderPreferences
from stories import services
from tests.browser.a11y import focus_problem
from tests.factories import UserFactory, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_TABS = 150
THEMES = ["light", "dark"]


class Keyboard:
    """Move focus with the keyboard only, checking every focus indicator."""

    def __init__(self, page: Page):
        self.page = page
        self.problems = []
        self.presses = 0

    def _check(self):
        problem = focus_problem(self.page)
        if problem and problem not in self.problems:
            self.problems.append(f"{self.page.url}: {problem}")

    def press(self, key):
        self.page.keyboard.press(key)
        self.presses += 1
        try:
            self._check()
        except PlaywrightError:
            # The key followed a link or sent a form: check the new page.
            self.page.wait_for_load_state()
            self._check()

    def tab_to(self, locator, *, backwards=False):
        """Press Tab (Shift+Tab backwards) until the locator's element has focus."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(MOST_TABS):
            self.press(key)
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"{MOST_TABS} presses of {key} never reached {locator}")

    def assert_focus_visible(self):
        assert not self.problems, "Focus not visible at 3:1:\n" + "\n".join(
            self.problems
        )


def _signed_in(page: Page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _guest_theme(page: Page, live_server, theme):
    """Give the guest's browser the cookie the preferences form sets."""
    page.context.add_cookies(
        [
            {
                "name": COOKIE_NAME,
                "value": ReaderPreferences(theme=theme).as_cookie(),
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize("theme", THEMES)
def test_reader_goes_from_home_to_a_tag_to_a_work_to_its_next_chapter(
    page: Page, live_server, theme
):
    work = make_work(title="Lanterns on the Canal", fandoms=("Good Omens",), chapters=2)
    make_work(title="Tea at the Burrow", fandoms=("Harry Potter",))
    _guest_theme(page, live_server, theme)
    keys = Keyboard(page)

    page.goto(live_server.url)
    assert page.evaluate(
        f"document.documentElement.classList.contains('pref-theme-{theme}')"
    )
    # The skip link comes first and takes the reader past the header.
    keys.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    keys.press("Enter")
    blurb = page.locator(f"#work-{work.pk}")
    keys.tab_to(blurb.get_by_role("link", name="Good Omens"))
    keys.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("in Good Omens")
    title = page.locator(f"#work-{work.pk}").get_by_role(
        "link", name="Lanterns on the Canal"
    )
    keys.tab_to(title)
    # One too far and back: Shift+Tab returns to the title.
    keys.press("Tab")
    keys.tab_to(title, backwards=True)
    keys.press("Enter")

    expect(page.locator(".work-title")).to_have_text("Lanterns on the Canal")
    chapters = page.get_by_role("navigation", name="Chapters", exact=True)
    keys.tab_to(chapters.get_by_role("link", name="Next Chapter →"))
    keys.press("Enter")

    expect(page.locator(".chapter-title")).to_have_text("Chapter 2: Part 2")
    expect(page.locator("div.userstuff.module")).to_contain_text(
        "lanterns along the canal"
    )
    keys.assert_focus_visible()


@pytest.mark.parametrize("theme", THEMES)
def test_commenter_reaches_the_form_posts_and_lands_on_the_new_comment(
    page: Page, live_server, theme
):
    work = make_work(title="Lanterns on the Canal", chapters=2)
    chapter = work.chapters.order_by("position")[1]
    services.comment_post(
        chapter=chapter,
        user=UserFactory(username="canalwatcher"),
        body="<p>Who was humming?</p>",
    )
    _signed_in(page, live_server, UserFactory(username="nightreader", theme=theme))
    keys = Keyboard(page)

    page.goto(live_server.url + chapter.get_absolute_url())
    comments = page.locator("#comments")
    box = comments.get_by_label("Comment", exact=True)
    button = comments.get_by_role("button", name="Comment", exact=True)
    # Tab down to the button, back to the text box, write, Tab on, post with Space.
    keys.tab_to(button)
    keys.tab_to(box, backwards=True)
    page.keyboard.type("The lanterns going out one by one gave me chills.")
    keys.tab_to(button)
    keys.press("Space")

    expect(page.get_by_role("status")).to_contain_text("Comment posted.")
    mine = comments.locator("li.comment", has_text="gave me chills")
    expect(mine).to_have_count(1)
    # Focus is on the new comment, so reading and Tab go on from there.
    expect(mine).to_be_focused()
    assert focus_problem(page) is None, focus_problem(page)
    keys.press("Tab")
    expect(mine.get_by_role("link", name="nightreader")).to_be_focused()
    keys.assert_focus_visible()
