"""Journeys readers and authors take, in a real Chromium against the live server."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from stories import services
from tests.factories import SEED_CHAPTER, UserFactory, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password"


def _site_nav(page: Page):
    return page.get_by_role("navigation", name="Site")


def _sign_up(page: Page, live_server, username: str):
    page.goto(live_server.url)
    _site_nav(page).get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_email").fill(f"{username}@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(_site_nav(page).get_by_role("link", name=username)).to_be_visible()
    expect(_site_nav(page).get_by_role("button", name="Log out")).to_be_visible()
    # Posting waits for the address to be confirmed: follow the emailed link.
    notice = page.locator(".verify-notice")
    expect(notice).to_contain_text("Confirm your email address to post.")
    (email,) = [m for m in mail.outbox if m.to == [f"{username}@example.org"]]
    (link,) = re.findall(r"https?://\S+/accounts/verify/\S+/", email.body)
    page.goto(live_server.url + urlsplit(link).path)
    expect(page.get_by_text("Your email address is confirmed.")).to_be_visible()
    expect(notice).to_have_count(0)


def test_reader_browses_a_fandom_and_reads_chapter_by_chapter(
    page: Page, live_server, transactional_db
):
    work = make_work(title="Lanterns on the Canal", fandoms=("Good Omens",))
    for number, text in (
        (2, "<p>The second night the bridge was empty and the song had stopped.</p>"),
        (3, "<p>On the third night the lanterns went out all at once.</p>"),
    ):
        services.chapter_create(
            work=work, text=services.ChapterText(body=text, title=f"Night {number}")
        )
    make_work(title="Tea at the Burrow", fandoms=("Harry Potter",))

    page.goto(live_server.url)
    _site_nav(page).get_by_role("link", name="Fandoms").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fandoms")
    page.get_by_role("link", name="Good Omens", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"1 – 1 of 1 Works\s+in Good Omens")
    )
    blurbs = page.locator("li.blurb")
    expect(blurbs).to_have_count(1)
    expect(blurbs.get_by_role("link", name="Lanterns on the Canal")).to_be_visible()
    expect(blurbs).to_contain_text("3/?")
    expect(page.get_by_text("Tea at the Burrow")).to_have_count(0)

    blurbs.get_by_role("link", name="Lanterns on the Canal").click()
    expect(page.get_by_role("heading", name="Lanterns on the Canal")).to_be_visible()
    chapter_title = page.locator("h3.chapter-title")
    expect(chapter_title).to_have_text("Chapter 1: Beginnings")
    expect(page.locator("div.userstuff.module")).to_contain_text(
        "lanterns along the canal"
    )

    top_nav = page.get_by_role("navigation", name="Chapters", exact=True)
    top_nav.get_by_role("link", name="Next Chapter →").click()
    expect(chapter_title).to_have_text("Chapter 2: Night 2")
    expect(page.locator("div.userstuff.module")).to_have_text(
        "The second night the bridge was empty and the song had stopped."
    )
    expect(top_nav.get_by_role("link", name="← Previous Chapter")).to_be_visible()

    top_nav.get_by_role("link", name="Chapter Index").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Chapter Index for Lanterns on the Canal")
    )
    index = page.locator("ol.chapter-index > li")
    expect(index).to_have_count(3)
    page.get_by_role("link", name="Chapter 3: Night 3").click()
    expect(chapter_title).to_have_text("Chapter 3: Night 3")
    expect(top_nav.get_by_role("link", name="Next Chapter →")).to_have_count(0)

    top_nav.get_by_role("link", name="Entire Work").click()
    expect(page.locator("#chapters h3.chapter-title")).to_have_text(
        ["Chapter 1: Beginnings", "Chapter 2: Night 2", "Chapter 3: Night 3"]
    )
    expect(page.locator("div.userstuff.module").nth(2)).to_contain_text(
        "the lanterns went out all at once"
    )


def test_reader_signs_up_comments_and_replies(
    page: Page, live_server, transactional_db
):
    work = make_work(title="Lanterns on the Canal", fandoms=("Good Omens",))
    chapter = work.chapters.get()
    other = UserFactory(username="canalwatcher")
    earlier = services.comment_post(
        chapter=chapter, user=other, body="<p>Who was humming under the bridge?</p>"
    )

    _sign_up(page, live_server, "nightreader")
    page.goto(live_server.url + chapter.get_absolute_url())
    comments = page.locator("#comments")
    expect(comments.get_by_role("heading", level=2)).to_have_text(
        "Comments on Chapter 1: Beginnings"
    )
    expect(comments).to_contain_text("Commenting as nightreader")

    comment_box = comments.get_by_label("Comment", exact=True)
    comment_box.fill("   \n  ")
    comments.get_by_role("button", name="Comment", exact=True).click()
    expect(comments.locator(".errorlist")).to_contain_text("This field is required.")

    # A comment over the limit is refused, and the reader's text is still there.
    too_long = "I could not stop reading. " * 400
    comment_box.fill(too_long)
    comments.get_by_role("button", name="Comment", exact=True).click()
    expect(comments.locator(".errorlist")).to_contain_text("at most 10,000")
    expect(comment_box).to_have_value(too_long)

    comment_box.fill("The lanterns going out one by one gave me chills.")
    comments.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Comment posted.")
    mine = comments.locator("ol.thread > li.comment", has_text="gave me chills")
    expect(mine).to_have_count(1)
    expect(mine.locator(".comment-byline")).to_contain_text("nightreader")

    parent = page.locator(f"#comment-{earlier.pk}")
    parent.locator(":scope > .comment-actions").get_by_role(
        "link", name="Reply"
    ).click()
    reply_form = page.locator(f"#comment-form-{earlier.pk}")
    expect(reply_form.get_by_role("heading")).to_have_text("Reply to canalwatcher")
    reply_form.get_by_label("Comment", exact=True).fill("I think it was the keeper.")
    reply_form.get_by_role("button", name="Post reply").click()

    expect(page.get_by_role("status")).to_contain_text("Comment posted.")
    reply = parent.locator(":scope > ol.thread > li.comment")
    expect(reply).to_have_count(1)
    expect(reply.locator(".comment-body")).to_have_text("I think it was the keeper.")
    expect(reply.locator(".comment-byline")).to_contain_text("nightreader")
    # Top level holds the two comments; the reply lives only in its parent's thread.
    expect(comments.locator(":scope > ol.thread > li.comment")).to_have_count(2)


def test_author_posts_a_work_from_an_uploaded_chapter_file(
    page: Page, live_server, transactional_db
):
    if not SEED_CHAPTER.exists():
        pytest.skip(f"The seed chapter is missing: {SEED_CHAPTER}")

    _sign_up(page, live_server, "wellkeeper")
    _site_nav(page).get_by_role("link", name="Post a work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a new work")

    page.get_by_label("Rating").select_option(label="Teen And Up Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("InuYasha")
    page.get_by_label("Upload the chapter from a file").set_input_files(SEED_CHAPTER)
    page.get_by_role("button", name="Post", exact=True).click()

    guesses = page.locator("section.import-guesses")
    expect(
        guesses.get_by_role("heading", name="Check what we read from your file")
    ).to_be_visible()
    expect(guesses.locator("li").first).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Through the Well")
    expect(page.locator("#id_creator_credit")).to_have_value("Miztikal-Dragon")
    expect(page.locator("#id_number")).to_have_value("47")
    expect(page.locator("#id_chapter_title")).to_have_value("To say our final goodbyes")
    expect(page.get_by_label("Rating")).to_have_value("teen")
    expect(page.get_by_label("No Archive Warnings Apply")).to_be_checked()
    expect(page.get_by_label("Fandoms")).to_have_value("InuYasha")
    page.get_by_role("button", name="Post", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Work posted.")
    expect(page.locator("h2.work-title")).to_have_text("Through the Well")
    expect(page.locator(".preface .byline")).to_have_text(
        "by Miztikal-Dragon (archived by wellkeeper)"
    )
    expect(page.locator("h3.chapter-title")).to_have_text(
        "Chapter 47: To say our final goodbyes"
    )
    expect(page.locator("div.userstuff.module hr")).to_have_count(5)

    _site_nav(page).get_by_role("link", name="Fandoms").click()
    page.get_by_role("link", name="InuYasha", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"1 of 1 Works\s+in InuYasha")
    )
    expect(
        page.locator("li.blurb").get_by_role("link", name="Through the Well")
    ).to_be_visible()


def test_reader_can_reply_after_a_refused_comment(
    page: Page, live_server, transactional_db
):
    work = make_work(title="Lanterns on the Canal", fandoms=("Good Omens",))
    chapter = work.chapters.get()
    earlier = services.comment_post(
        chapter=chapter,
        user=UserFactory(username="canalwatcher"),
        body="<p>Who was humming under the bridge?</p>",
    )

    _sign_up(page, live_server, "nightreader")
    page.goto(live_server.url + chapter.get_absolute_url())
    comments = page.locator("#comments")
    comments.get_by_label("Comment", exact=True).fill("   ")
    comments.get_by_role("button", name="Comment", exact=True).click()
    expect(comments.locator(".errorlist")).to_contain_text("This field is required.")

    reply_link = page.locator(f"#comment-{earlier.pk} > .comment-actions").get_by_role(
        "link", name="Reply"
    )
    with page.expect_response(lambda response: "reply_to=" in response.url) as reply:
        reply_link.click()
    assert reply.value.status == 200, f"{reply.value.url} answered {reply.value.status}"
    expect(page.locator(f"#comment-form-{earlier.pk}")).to_be_visible()


def test_reader_leaves_kudos_bookmarks_subscribes_and_comes_back(
    page: Page, live_server, transactional_db
):
    work = make_work(title="Lanterns on the Canal", fandoms=("Good Omens",))
    services.chapter_create(
        work=work,
        text=services.ChapterText(body="<p>The second night.</p>", title="Night 2"),
    )
    _sign_up(page, live_server, "returning_reader")
    page.goto(f"{live_server.url}{work.get_absolute_url()}")

    page.get_by_role("button", name="Kudos ♥").click()
    expect(page.get_by_text("Thank you for leaving kudos!")).to_be_visible()
    expect(page.get_by_role("link", name="returning_reader")).to_have_count(2)

    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()

    page.get_by_role("link", name="Bookmark", exact=True).click()
    page.get_by_label("Notes").fill("Read it for the bridge.")
    page.get_by_label("Your tags").fill("canals, night walks")
    page.get_by_role("button", name="Create bookmark").click()
    expect(page.get_by_text("Read it for the bridge.")).to_be_visible()

    page.goto(f"{live_server.url}{work.get_absolute_url()}")
    expect(page.get_by_text(re.compile(r"You last read\s+Chapter 1"))).to_be_visible()
    expect(page.get_by_role("link", name="Edit bookmark")).to_be_visible()

    page.goto(f"{live_server.url}/users/returning_reader/bookmarks/")
    expect(page.locator("body")).to_contain_text("Read it for the bridge.")
    expect(page.locator("body")).to_contain_text("night walks")
