"""The writing editor in a real Chromium: an author writes emphasis and a scene
break, previews, posts, and readers see them on the chapter page."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from stories.models import Chapter
from tests.browser.test_content_security_policy import REPORT_VIOLATIONS
from tests.factories import UserFactory, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password"


def _log_in(page: Page, live_server, user):
    page.goto(live_server.url + reverse("login"))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Site")).to_contain_text(user.username)


def test_author_writes_emphasis_and_a_scene_break_in_the_editor_and_posts(
    page: Page, live_server, transactional_db
):
    author = UserFactory(username="inkwellwright")
    author.set_password(PASSWORD)
    author.save(update_fields=["password"])
    work = make_work(owner=author, title="Salt and Lanterns")
    problems = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            message.type in {"error", "warning"}
            and not message.location.get("url", "").endswith("/favicon.ico")
            and problems.append(f"{page.url}: {message.type}: {message.text}")
        ),
    )
    _log_in(page, live_server, author)

    page.goto(
        live_server.url + reverse("stories:chapter_create", kwargs={"work_pk": work.pk})
    )
    # The editor replaced the chapter text's textarea, which stays in the form.
    editor = page.locator(".prose-editor:has(textarea[name=body]) .ProseMirror")
    expect(editor).to_be_visible()
    expect(editor).to_have_attribute("contenteditable", "true")
    expect(page.locator("textarea[name=body]")).to_be_hidden()

    editor.click()
    page.keyboard.type("She ran ")
    page.keyboard.press("Control+i")
    page.keyboard.type("fast")
    page.keyboard.press("Control+i")
    page.keyboard.type(" and ")
    page.keyboard.press("Control+b")
    page.keyboard.type("far")
    page.keyboard.press("Control+b")
    page.keyboard.type(".")
    page.keyboard.press("Enter")
    # A scene break, as typed: three hyphens at the start of a paragraph.
    page.keyboard.type("---")
    page.keyboard.type("Morning came to the harbour.")
    expect(editor.locator("hr")).to_have_count(1)
    expect(page.locator("textarea[name=body]")).to_have_value(
        "<p>She ran <em>fast</em> and <strong>far</strong>.</p><hr>"
        "<p>Morning came to the harbour.</p>"
    )

    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview.locator("div.userstuff.module em")).to_have_text("fast")
    expect(preview.locator("div.userstuff.module hr")).to_have_count(1)
    assert Chapter.objects.filter(work=work).count() == 1
    # The form below keeps the text in the editor, to post.
    expect(
        page.locator(".prose-editor:has(textarea[name=body]) .ProseMirror em")
    ).to_have_text("fast")

    page.get_by_role("button", name="Post chapter").click()
    expect(page.get_by_role("status")).to_contain_text("Chapter added.")
    text = page.locator("div.userstuff.module")
    expect(text.locator("em")).to_have_text("fast")
    expect(text.locator("strong")).to_have_text("far")
    expect(text.locator("hr")).to_have_count(1)
    expect(text.locator("p").nth(1)).to_have_text("Morning came to the harbour.")
    chapter = Chapter.objects.get(work=work, number=2)
    assert chapter.body == (
        "<p>She ran <em>fast</em> and <strong>far</strong>.</p><hr>"
        "<p>Morning came to the harbour.</p>"
    )
    assert problems == []


def test_without_javascript_the_plain_textarea_posts_the_same(
    browser, live_server, transactional_db
):
    author = UserFactory(username="candlewright")
    author.set_password(PASSWORD)
    author.save(update_fields=["password"])
    work = make_work(owner=author, title="No Script Harbour")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _log_in(page, live_server, author)
        page.goto(
            live_server.url
            + reverse("stories:chapter_create", kwargs={"work_pk": work.pk})
        )
        expect(page.locator(".ProseMirror")).to_have_count(0)
        page.get_by_label("Chapter text").fill(
            "She ran <em>fast</em>.\n\nMorning came."
        )
        page.get_by_role("button", name="Post chapter").click()
        expect(page.locator("div.userstuff.module em")).to_have_text("fast")
    finally:
        context.close()
    assert Chapter.objects.get(work=work, number=2).body == (
        "<p>She ran <em>fast</em>.</p><p>Morning came.</p>"
    )
