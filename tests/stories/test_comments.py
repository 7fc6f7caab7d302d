"""Readers talk about chapters: comments, threaded replies, guests, edits, deletes."""

import html

import pytest
from django.urls import reverse

from stories import services
from stories.models import Comment
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def comment_url(work, chapter=None):
    chapter = chapter or work.chapters.get()
    return reverse("stories:comment_create", args=[work.pk, chapter.pk])


def test_reader_comments_and_sees_it_under_the_chapter(reader_client, work, reader):
    response = reader_client.post(comment_url(work), {"body": "I loved the lanterns."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#comment-{comment.pk}")
    assert comment.user == reader
    assert comment.body == "<p>I loved the lanterns.</p>"
    page = reader_client.get(work.chapters.get().get_absolute_url()).content.decode()
    assert "I loved the lanterns." in page
    assert f'id="comment-{comment.pk}"' in page
    work.refresh_from_db()
    assert work.comment_count == 1


def test_reply_is_nested_under_its_parent(reader_client, work, author):
    chapter = work.chapters.get()
    parent = services.comment_post(chapter=chapter, user=author, body="Thanks all!")
    reader_client.post(
        comment_url(work), {"body": "You're welcome.", "parent": parent.pk}
    )
    reply = Comment.objects.get(parent=parent)
    page = reader_client.get(chapter.get_absolute_url()).content.decode()
    parent_block = page.split(f'id="comment-{parent.pk}"')[1]
    assert f'id="comment-{reply.pk}"' in parent_block.split('class="thread"')[1]


def test_reply_form_opens_under_the_comment_without_javascript(
    reader_client, work, author
):
    chapter = work.chapters.get()
    parent = services.comment_post(chapter=chapter, user=author, body="Thanks all!")
    page = reader_client.get(chapter.get_absolute_url(), {"reply_to": parent.pk})
    content = page.content.decode()
    assert f'name="parent" value="{parent.pk}"' in content
    assert "Reply to quillfeather" in content


def test_reply_to_a_comment_on_another_chapter_is_refused(reader_client, author):
    work = make_work(owner=author, chapters=2)
    first, second = work.chapters.order_by("position")
    parent = services.comment_post(chapter=first, user=author, body="On chapter one.")
    response = reader_client.post(
        comment_url(work, second), {"body": "Misplaced", "parent": parent.pk}
    )
    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_empty_comment_is_refused_and_the_page_explains(reader_client, work):
    response = reader_client.post(comment_url(work), {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_too_long_comment_keeps_the_text(reader_client, work):
    body = "word " * 2001
    response = reader_client.post(comment_url(work), {"body": body})
    assert response.status_code == 400
    content = response.content.decode()
    assert "a comment may have at most 10,000" in content
    assert body.strip()[:200] in content
    assert not Comment.objects.exists()


def test_comment_html_is_sanitized(reader_client, work):
    reader_client.post(
        comment_url(work),
        {"body": '<b>Great</b><script>steal()</script><img src=x onerror="x()">'},
    )
    body = Comment.objects.get().body
    assert "<b>Great</b>" in body
    assert "<script" not in body and "onerror" not in body


def test_guest_cannot_comment_unless_the_work_allows_it(client, work):
    response = client.post(
        comment_url(work),
        {"body": "Hello", "guest_name": "Wren", "guest_email": "wren@example.org"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Comment.objects.exists()
    page = client.get(work.chapters.get().get_absolute_url()).content.decode()
    assert "Log in</a> or" in page
    assert 'name="body"' not in page


def test_guest_comments_with_name_and_email_that_is_never_shown(client, author):
    work = make_work(owner=author, allow_guest_comments=True)
    response = client.post(
        comment_url(work),
        {"body": "Lovely!", "guest_name": "Wren", "guest_email": "wren@example.org"},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.user is None and comment.guest_name == "Wren"
    page = client.get(work.chapters.get().get_absolute_url()).content.decode()
    assert "Wren" in page and "Guest" in page
    assert "wren@example.org" not in page


def test_guest_comment_without_email_is_refused(client, author):
    work = make_work(owner=author, allow_guest_comments=True)
    response = client.post(comment_url(work), {"body": "Lovely!", "guest_name": "Wren"})
    assert response.status_code == 400
    assert "Lovely!" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_on_drafts_are_not_possible_for_others(reader_client, author):
    draft = make_work(owner=author, post=False)
    response = reader_client.post(comment_url(draft), {"body": "Sneaky"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_writer_edits_own_comment_and_it_shows_edited(reader_client, work, reader):
    comment = services.comment_post(
        chapter=work.chapters.get(), user=reader, body="Tpyo"
    )
    url = reverse("stories:comment_edit", args=[comment.pk])
    assert reader_client.get(url).status_code == 200
    reader_client.post(url, {"body": "Typo fixed"})
    comment.refresh_from_db()
    assert comment.body == "<p>Typo fixed</p>"
    page = reader_client.get(work.chapters.get().get_absolute_url()).content.decode()
    assert "(edited)" in page


@pytest.mark.parametrize("who", ["author", "stranger", "staff"])
def test_nobody_else_edits_a_comment(client, work, reader, author, staff, who):
    comment = services.comment_post(
        chapter=work.chapters.get(), user=reader, body="Mine"
    )
    user = {"author": author, "stranger": UserFactory(), "staff": staff}[who]
    client.force_login(user)
    url = reverse("stories:comment_edit", args=[comment.pk])
    assert client.post(url, {"body": "Changed"}).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Mine"


def test_guest_cannot_edit_or_delete_comments(client, work, reader):
    comment = services.comment_post(
        chapter=work.chapters.get(), user=reader, body="Mine"
    )
    for name in ("stories:comment_edit", "stories:comment_delete"):
        response = client.post(reverse(name, args=[comment.pk]), {"body": "x"})
        assert response.url.startswith(reverse("login"))
    assert Comment.objects.get().body == "Mine"


@pytest.mark.parametrize("who", ["writer", "work_owner", "staff"])
def test_writer_work_owner_and_staff_may_delete(client, work, reader, staff, who):
    comment = services.comment_post(
        chapter=work.chapters.get(), user=reader, body="Bye"
    )
    client.force_login(
        {"writer": reader, "work_owner": work.owner, "staff": staff}[who]
    )
    url = reverse("stories:comment_delete", args=[comment.pk])
    assert b"Delete this comment?" in client.get(url).content
    client.post(url)
    assert not Comment.objects.exists()


def test_other_reader_may_not_delete(client, work, reader):
    comment = services.comment_post(
        chapter=work.chapters.get(), user=reader, body="Stay"
    )
    client.force_login(UserFactory())
    response = client.post(reverse("stories:comment_delete", args=[comment.pk]))
    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_deleted_comment_with_replies_shows_a_placeholder(reader_client, work, reader):
    chapter = work.chapters.get()
    parent = services.comment_post(chapter=chapter, user=reader, body="Regrettable")
    services.comment_post(
        chapter=chapter, user=work.owner, body="Kind answer", parent=parent
    )
    reader_client.post(reverse("stories:comment_delete", args=[parent.pk]))
    page = reader_client.get(chapter.get_absolute_url()).content.decode()
    assert "(Previous comment deleted.)" in page
    assert "Regrettable" not in page
    assert "Kind answer" in page


def test_comments_address_opened_by_get_goes_to_the_chapter(client, work):
    chapter = work.chapters.get()
    response = client.get(comment_url(work), {"reply_to": "7"})
    assert response.status_code == 302
    assert response.url == f"{chapter.get_absolute_url()}?reply_to=7"


def test_reply_link_points_at_the_chapter_even_after_a_refused_comment(
    reader_client, work, author
):
    chapter = work.chapters.get()
    parent = services.comment_post(chapter=chapter, user=author, body="Thanks!")
    response = reader_client.post(comment_url(work), {"body": " "})
    assert response.status_code == 400
    expected = f'href="{chapter.get_absolute_url()}?reply_to={parent.pk}#comment-'
    assert expected in response.content.decode()


NOTHING_TO_READ = [
    "<script>alert(1)</script>",
    "<b></b>",
    "<img src=x>",
    "<style>p { color: red }</style>",
    "&nbsp;",
    "<p>&nbsp;</p><p> </p>",
    "<b> &nbsp; </b><br><hr>",
]
EMPTY_MESSAGE = "The comment has no text left once unsafe HTML is removed."


def assert_refused_with_text_kept(response, body):
    assert response.status_code in (200, 400)
    content = response.content.decode()
    assert EMPTY_MESSAGE in content
    assert html.escape(body) in content


@pytest.mark.parametrize("body", NOTHING_TO_READ)
def test_comment_with_nothing_to_read_is_refused_with_its_text_kept(
    reader_client, work, body
):
    response = reader_client.post(comment_url(work), {"body": body})
    assert_refused_with_text_kept(response, body)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", NOTHING_TO_READ)
def test_guest_comment_with_nothing_to_read_is_refused_with_its_text_kept(
    client, author, body
):
    work = make_work(owner=author, allow_guest_comments=True)
    response = client.post(
        comment_url(work),
        {"body": body, "guest_name": "Wren", "guest_email": "wren@example.org"},
    )
    assert_refused_with_text_kept(response, body)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", NOTHING_TO_READ)
def test_reply_with_nothing_to_read_is_refused_with_its_text_kept(
    reader_client, work, reader, body
):
    parent = services.comment_post(chapter=work.chapters.get(), user=reader, body="Hi")
    response = reader_client.post(
        comment_url(work), {"body": body, "parent": parent.pk}
    )
    assert_refused_with_text_kept(response, body)
    assert Comment.objects.get() == parent


@pytest.mark.parametrize("body", NOTHING_TO_READ)
def test_comment_edited_to_nothing_to_read_is_refused_with_its_text_kept(
    reader_client, work, reader, body
):
    comment = services.comment_post(
        chapter=work.chapters.get(), user=reader, body="Mine"
    )
    response = reader_client.post(
        reverse("stories:comment_edit", args=[comment.pk]), {"body": body}
    )
    assert_refused_with_text_kept(response, body)
    comment.refresh_from_db()
    assert comment.body == "Mine" and not comment.is_edited


def test_comment_of_an_image_from_the_web_is_kept(reader_client, work):
    body = '<img src="https://example.org/fanart.png" alt="Fan art">'
    reader_client.post(comment_url(work), {"body": body})
    assert 'src="https://example.org/fanart.png"' in Comment.objects.get().body
