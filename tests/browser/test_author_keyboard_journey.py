"""The author's journey with the keyboard alone: sign in, upload the seed chapter,
read it, fix what the first Post says is missing, post, and read the work.

Only Tab, Enter, Space and typing move through the pages; the file is given to
the focused file input with set_input_files, as no key can drive a file dialog.
Every control reached by Tab must show that it has the focus.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import SEED_CHAPTER, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-keyboard-password"
MAX_TABS = 200
# The seed's first words, and its byline's.
SEED_OPENING = "Kagome eventually drifted off into a peaceful sleep"

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    // The date picker's button inside a date-time input: focus is in the
    // browser's own part (the input itself no longer matches :focus), which
    // draws its ring there (archive.css styles it); nothing to read here.
    inBrowserPart: !el.matches(":focus"),
    id: el.id,
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    inMainForm: Boolean(el.closest("main form")),
    focusVisible: el.matches(":focus-visible"),
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
  };
}"""


def _focused(page: Page):
    return page.evaluate(FOCUSED)


def _assert_focus_visible(focused):
    if focused["inBrowserPart"]:
        return
    assert focused["focusVisible"], f"{focused} does not match :focus-visible"
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, (
        f"no visible focus ring on {focused}"
    )


def _tab_to(page: Page, matches, what):
    """Press Tab until the focused element matches, checking every stop shows focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused is None:
            continue
        _assert_focus_visible(focused)
        if matches(focused):
            return focused
    raise AssertionError(f"{MAX_TABS} Tab presses did not reach {what}")


def _tab_to_id(page: Page, element_id):
    return _tab_to(page, lambda f: f["id"] == element_id, f"#{element_id}")


def _tab_to_button(page: Page, text):
    return _tab_to(
        page,
        lambda f: f["tag"] in ("button", "a") and f["text"] == text,
        f"the {text!r} control",
    )


def test_author_posts_the_seed_chapter_with_the_keyboard_alone(
    page: Page, live_server, transactional_db
):
    if not SEED_CHAPTER.exists():
        pytest.skip(f"The seed chapter is missing: {SEED_CHAPTER}")
    UserFactory(username="keyboardist", password=PASSWORD)

    page.goto(live_server.url + reverse("login"))
    _tab_to_id(page, "id_username")
    page.keyboard.type("keyboardist")
    _tab_to_id(page, "id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Site")).to_contain_text("keyboardist")

    _tab_to_button(page, "Post a work")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a new work")

    # The file comes first in the form: reached before any other field.
    _tab_to(page, lambda f: f["inMainForm"], "the form")
    assert _focused(page)["id"] == "id_upload"
    page.locator("#id_upload:focus").set_input_files(SEED_CHAPTER)
    _tab_to_button(page, "Read file")
    page.keyboard.press("Enter")

    guesses = page.locator("section.import-guesses")
    expect(guesses.get_by_role("heading")).to_have_text(
        "Check what we read from your file"
    )
    expect(guesses.locator("ul.still-required")).to_contain_text("Archive warnings")
    expect(guesses.locator("ul.still-required")).to_contain_text("Fandoms")
    preview = page.locator("section.posting-preview")
    expect(preview.locator("div.userstuff")).to_contain_text(SEED_OPENING)
    expect(preview.locator("div.userstuff hr")).to_have_count(5)
    body_box = page.locator("#id_body")
    expect(body_box).to_have_value(re.compile(rf"^{SEED_OPENING}.*\* \* \*", re.S))
    assert "<p>" not in body_box.input_value()
    assert "<p>" not in page.locator("#id_chapter_notes").input_value()

    # Rating by typing its first letter, then Post with warnings and fandoms left out.
    _tab_to_id(page, "id_rating")
    page.keyboard.press("t")
    expect(page.locator("#id_rating")).to_have_value("teen")
    _tab_to_button(page, "Post")
    page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Archive warnings: Choose at least one archive warning.",
            "Fandoms: This field is required.",
        ]
    )
    # Nothing typed or read is lost.
    expect(page.locator("#id_rating")).to_have_value("teen")
    expect(page.locator("#id_title")).to_have_value("Through the Well")
    expect(body_box).to_have_value(re.compile(rf"^{SEED_OPENING}"))

    # The summary's link takes the focus to the field to fix.
    _tab_to(page, lambda f: f["text"].startswith("Archive warnings"), "the link")
    page.keyboard.press("Enter")
    expect(page.locator("#id_warnings_0")).to_be_focused()
    _tab_to_id(page, "id_warnings_3")
    page.keyboard.press("Space")
    expect(page.get_by_label("No Archive Warnings Apply")).to_be_checked()
    _tab_to_id(page, "id_fandoms")
    page.keyboard.type("InuYasha")
    _tab_to_button(page, "Post")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Work posted.")
    expect(page.locator("h2.work-title")).to_have_text("Through the Well")
    expect(page.locator("h3.chapter-title")).to_have_text(
        "Chapter 47: To say our final goodbyes"
    )
    expect(page.locator("div.userstuff.module")).to_contain_text(SEED_OPENING)
    expect(page.locator("div.userstuff.module hr")).to_have_count(5)


def test_a_failed_post_focuses_the_summary_without_javascript(
    browser, live_server, transactional_db
):
    UserFactory(username="noscript", password=PASSWORD)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + reverse("login"))
        page.locator("#id_username").fill("noscript")
        page.locator("#id_password").fill(PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("navigation", name="Site")).to_contain_text("noscript")
        page.goto(live_server.url + reverse("stories:work_create"))
        page.locator("#id_title").fill("Kept without scripts")
        # Enter in a text box posts (the form's first button), not "Read file".
        page.keyboard.press("Enter")

        expect(page.locator("#error-summary")).to_be_focused()
        expect(page.locator("#error-summary")).not_to_contain_text("file to read")
        expect(page.locator("#id_title")).to_have_value("Kept without scripts")
    finally:
        context.close()
