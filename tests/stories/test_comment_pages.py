"""A chapter's comments come a page of threads at a time: a top-level comment
and all its replies stay together, and every link to a comment finds its page."""

import pytest
from django.test import Client
from django.urls import reverse

from stories import services
from stories.models import Comment
from stories.reading import COMMENT_THREADS_PER_PAGE
from tests.factories import UserFactory, make_work
from tests.pages import text

pytestmark = pytest.mark.django_db

THREADS = 2 * COMMENT_THREADS_PER_PAGE + 5


@pytest.fixture
def chapter(author, reader):
    """A chapter with THREADS top-level comments, each with one reply."""
    work = make_work(owner=author, allow_guest_comments=True)
    chapter = work.chapters.get()
    for number in range(1, THREADS + 1):
        parent = services.comment_post(
            chapter=chapter, user=reader, body=f"Thread {number} opens."
        )
        services.comment_post(
            chapter=chapter, user=author, parent=parent, body=f"Thread {number} reply."
        )
    return chapter


def thread(number):
    return Comment.objects.get(body__contains=f"Thread {number} opens.")


def shown_threads(html):
    """Return the numbers of the threads whose opening comment the page shows."""
    return [
        number for number in range(1, THREADS + 1) if f"Thread {number} opens." in html
    ]


def test_each_page_shows_its_threads_with_their_replies(client, chapter):
    url = chapter.get_absolute_url()
    response = client.get(url)
    first = response.content.decode()
    assert shown_threads(first) == list(range(1, COMMENT_THREADS_PER_PAGE + 1))
    assert f"Thread {COMMENT_THREADS_PER_PAGE} reply." in first
    assert f"Thread {COMMENT_THREADS_PER_PAGE + 1} reply." not in first
    assert f"Threads 1 to {COMMENT_THREADS_PER_PAGE} of {THREADS}" in text(response)
    assert f'href="{url}?page=2#comments"' in first

    last = client.get(url, {"page": 3}).content.decode()
    assert shown_threads(last) == list(
        range(2 * COMMENT_THREADS_PER_PAGE + 1, THREADS + 1)
    )
    assert f"Thread {THREADS} reply." in last
    assert f'href="{url}?page=2#comments"' in last


@pytest.mark.parametrize(
    ("asked", "shown_page"), [("99", 3), ("0", 1), ("two", 1), ("-1", 1)]
)
def test_a_page_past_the_end_or_not_a_number_shows_the_nearest(
    client, chapter, asked, shown_page
):
    html = client.get(chapter.get_absolute_url(), {"page": asked}).content.decode()
    first_thread = (shown_page - 1) * COMMENT_THREADS_PER_PAGE + 1
    assert shown_threads(html)[0] == first_thread


def test_a_comment_address_goes_to_the_page_that_shows_it(client, chapter):
    comment = thread(THREADS)
    response = client.get(comment.get_absolute_url())
    assert response.status_code == 302
    assert response.url == f"{chapter.get_absolute_url()}?page=3#comment-{comment.pk}"
    first = thread(1)
    assert client.get(first.get_absolute_url()).url == (
        f"{chapter.get_absolute_url()}#comment-{first.pk}"
    )


def test_a_comment_on_a_draft_has_no_address_for_others(author, reader):
    work = make_work(owner=author, post=False)
    comment = services.comment_post(
        chapter=work.chapters.get(), user=author, body="Note to self."
    )
    other = Client()
    other.force_login(reader)
    assert other.get(comment.get_absolute_url()).status_code == 404
    assert Client().get(comment.get_absolute_url()).status_code == 404
    owner = Client()
    owner.force_login(author)
    assert owner.get(comment.get_absolute_url()).status_code == 302


def test_reply_link_opens_the_form_on_the_comments_page(reader_client, chapter):
    comment = thread(2 * COMMENT_THREADS_PER_PAGE + 2)
    html = reader_client.get(
        chapter.get_absolute_url(), {"reply_to": comment.pk}
    ).content.decode()
    assert f'id="comment-form-{comment.pk}"' in html
    assert shown_threads(html)[0] == 2 * COMMENT_THREADS_PER_PAGE + 1
    assert f'{chapter.get_absolute_url()}?page=3#comment-{comment.pk}">Cancel' in html


def test_a_reply_lands_on_the_page_of_its_thread(reader_client, chapter):
    parent = thread(COMMENT_THREADS_PER_PAGE + 3)
    response = reader_client.post(
        reverse("stories:comment_create", args=[chapter.work_id, chapter.pk]),
        {"body": "Late to this thread.", "parent": parent.pk},
    )
    reply = Comment.objects.get(body__contains="Late to this thread.")
    assert response.url == f"{chapter.get_absolute_url()}?page=2#comment-{reply.pk}"
    assert "Late to this thread." in reader_client.get(response.url).content.decode()


def test_a_refused_reply_keeps_its_text_on_the_page_of_its_thread(
    reader_client, chapter
):
    parent = thread(COMMENT_THREADS_PER_PAGE + 3)
    response = reader_client.post(
        reverse("stories:comment_create", args=[chapter.work_id, chapter.pk]),
        {"body": "x" * 20_000, "parent": parent.pk},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "x" * 20_000 in html
    assert shown_threads(html)[0] == COMMENT_THREADS_PER_PAGE + 1
    assert not Comment.objects.filter(parent=parent, user__username="pageturner")


def test_an_edited_comment_goes_back_to_its_page(reader_client, chapter):
    comment = thread(THREADS)
    response = reader_client.post(
        reverse("stories:comment_edit", args=[comment.pk]), {"body": "Rethought."}
    )
    assert response.url == f"{chapter.get_absolute_url()}?page=3#comment-{comment.pk}"


def test_guests_see_each_works_own_first_chapter(author):
    first = make_work(owner=author, title="Lanterns", body="<p>Lantern text.</p>")
    second = make_work(owner=author, title="Harbours", body="<p>Harbour text.</p>")
    guest = Client()
    for _ in range(2):
        assert "Lantern text." in guest.get(first.get_absolute_url()).content.decode()
        shown = guest.get(second.get_absolute_url()).content.decode()
        assert "Harbour text." in shown
        assert "Lantern text." not in shown


def test_another_readers_comment_page_never_carries_my_name(chapter, reader):
    me = Client()
    me.force_login(reader)
    other = Client()
    other.force_login(UserFactory(username="someoneelse"))
    url = chapter.get_absolute_url()
    for _ in range(2):
        assert "Commenting as <strong>pageturner</strong>" in text(me.get(url))
        seen_by_other = text(other.get(url))
        assert "Commenting as <strong>someoneelse</strong>" in seen_by_other
        assert "Commenting as <strong>pageturner</strong>" not in seen_by_other
