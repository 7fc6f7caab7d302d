"""Every kind of page in a real browser with the Content-Security-Policy on: no
violation, no console error and no failed request, signed out and signed in."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from stories import services
from stories.bookmarks import services as bookmarks
from stories.models import Tag, TagKind
from stories.series import services as series_services
from tests.factories import UserFactory, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password"
# A policy violation fires this event in the page; Chromium also logs one.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
    + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def test_every_page_type_runs_under_the_policy_without_a_violation(
    page: Page, live_server, transactional_db
):
    staff = UserFactory(username="lanternstaff", is_staff=True, is_superuser=True)
    staff.set_password(PASSWORD)
    staff.save(update_fields=["password"])
    reader = UserFactory(username="canalwatcher")
    work = make_work(
        owner=staff,
        title="Lanterns on the Canal",
        fandoms=("Good Omens",),
        characters=("Crowley",),
        chapters=2,
    )
    chapter = work.chapters.get(number=1)
    comment = services.comment_post(
        chapter=chapter, user=reader, body="<p>Who was humming?</p>"
    )
    bookmarks.bookmark_create(owner=staff, work=work, notes="<p>Again.</p>")
    series = series_services.series_create(
        owner=staff, title="Canal Nights", works=[work]
    )
    # Something in the inbox: the reader's comment on the staff's work.
    assert staff.notifications.exists()
    services.tag_make_canonical(
        tag=Tag.objects.get(kind=TagKind.FANDOM, name="Good Omens")
    )

    problems = []
    page.add_init_script(REPORT_VIOLATIONS)

    def console(message):
        # The archive has no favicon; Chromium asks for one all the same.
        where = message.location.get("url", "")
        if message.type in {"error", "warning"} and not where.endswith("/favicon.ico"):
            problems.append(f"{page.url}: console {message.type}: {message.text}")

    page.on("console", console)
    page.on(
        "requestfailed",
        # Aborted: cancelled by the next visit (the favicon, asked for late),
        # not refused; the policy's refusals are net::ERR_BLOCKED_BY_CSP.
        lambda request: (
            request.failure != "net::ERR_ABORTED"
            and problems.append(f"{page.url}: {request.url} failed: {request.failure}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and problems.append(
                f"{page.url}: {response.url} answered {response.status}"
            )
        ),
    )

    def visit(path, **query):
        address = live_server.url + path + (f"?{urlencode(query)}" if query else "")
        response = page.goto(address)
        assert response.status == 200, address
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        page.wait_for_load_state("load")

    work_pk = {"pk": work.pk}
    chapter_pk = {"work_pk": work.pk, "pk": chapter.pk}
    signed_out = [
        (reverse("stories:home"), {}),
        (
            reverse("stories:work_list"),
            {"include": "Good Omens", "rating": "general", "sort": "kudos"},
        ),
        (reverse("stories:tag_works", kwargs={"slug": "good-omens"}), {}),
        (reverse("stories:work_search"), {"q": "lanterns"}),
        (reverse("stories:work_detail", kwargs=work_pk), {}),
        (reverse("stories:chapter_detail", kwargs=chapter_pk), {}),
        (reverse("stories:work_detail", kwargs=work_pk), {"view_full_work": "true"}),
        (reverse("stories:comment_detail", kwargs={"pk": comment.pk}), {}),
        (reverse("signup"), {}),
    ]
    for path, query in signed_out:
        visit(path, **query)

    visit(reverse("login"))
    page.locator("#id_username").fill(staff.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Site")).to_contain_text(staff.username)

    name = {"username": staff.username}
    signed_in = [
        (reverse("stories:work_create"), {}),
        (reverse("stories:work_edit", kwargs=work_pk), {}),
        (reverse("stories:chapter_create", kwargs={"work_pk": work.pk}), {}),
        (reverse("stories:chapter_edit", kwargs=chapter_pk), {}),
        (reverse("preferences"), {}),
        (reverse("stories:user_detail", kwargs=name), {}),
        (reverse("bookmarks:user_bookmarks", kwargs=name), {}),
        (reverse("series:series_detail", kwargs={"pk": series.pk}), {}),
        (reverse("subscriptions:inbox", kwargs=name), {}),
        (reverse("admin:stories_work_changelist"), {}),
        (reverse("admin:stories_work_change", args=[work.pk]), {}),
    ]
    for path, query in signed_in:
        visit(path, **query)

    # The writing editor's module ran on the posting pages and added no
    # <style> element of its own (style-src 'self').
    visit(reverse("stories:chapter_create", kwargs={"work_pk": work.pk}))
    expect(page.locator(".prose-editor .ProseMirror")).to_have_count(3)
    expect(page.locator("style")).to_have_count(0)

    # The tag autocomplete's script ran (script-src 'self') and its request
    # went through (connect-src falls back to default-src 'self').
    visit(reverse("stories:work_create"))
    fandom = page.locator("input[data-tag-autocomplete]").first
    expect(fandom).to_have_attribute("autocomplete", "off")
    fandom.press_sequentially("Good O")
    options = page.locator(f"datalist#{fandom.get_attribute('list')} option")
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", "Good Omens")

    assert problems == []
