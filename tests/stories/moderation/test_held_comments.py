"""Who may comment on a work, guests' comments held for approval, the queue."""

import re

import pytest
from django.urls import reverse

from stories import services
from stories.models import Comment, CommentStatus
from stories.moderation.services import guest_comments_switch
from stories.subscriptions.models import Notification
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

GUEST = {"guest_name": "Wren", "guest_email": "wren@example.org"}
ANYONE = {"allow_guest_comments": True}
USERS_ONLY = {"allow_guest_comments": False}
HELD = {"allow_guest_comments": True, "hold_guest_comments": True}
CHECKED = re.compile(r'name="who_may_comment" value="(\w+)"[^>]*checked')


def comment_url(work):
    return reverse("stories:comment_create", args=[work.pk, work.chapters.get().pk])


def queue_url(work):
    return reverse("moderation:held_comments", args=[work.pk])


def moderate_url(comment):
    return reverse("moderation:held_comment_moderate", args=[comment.pk])


def chapter_page(client, work):
    return client.get(work.chapters.get().get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("setting", "guest_result"),
    [(ANYONE, "posted"), (USERS_ONLY, "login"), (HELD, "held")],
    ids=["anyone", "users-only", "held"],
)
def test_who_may_comment_as_a_guest(client, author, setting, guest_result):
    work = make_work(owner=author, **setting)
    response = client.post(comment_url(work), {"body": "From a guest", **GUEST})
    assert response.status_code == 302
    if guest_result == "login":
        assert response.url.startswith(reverse("login"))
        assert not Comment.objects.exists()
        return
    comment = Comment.objects.get()
    assert comment.status == guest_result
    work.refresh_from_db()
    shown = "From a guest" in chapter_page(client, work)
    assert shown == (guest_result == "posted")
    assert work.comment_count == (1 if guest_result == "posted" else 0)


@pytest.mark.parametrize(
    "setting", [ANYONE, USERS_ONLY, HELD], ids=["anyone", "users-only", "held"]
)
def test_who_may_comment_as_a_user_is_always_posted_at_once(
    reader_client, author, setting
):
    work = make_work(owner=author, **setting)
    response = reader_client.post(comment_url(work), {"body": "From a reader"})
    assert response.status_code == 302
    assert Comment.objects.get().status == CommentStatus.POSTED
    assert "From a reader" in chapter_page(reader_client, work)


def test_a_guest_is_told_their_comment_waits(client, author):
    work = make_work(owner=author, **HELD)
    assert "approves guests' comments before they are shown" in chapter_page(
        client, work
    )
    response = client.post(comment_url(work), {"body": "Waiting", **GUEST}, follow=True)
    assert "once a creator of the work approves it" in response.content.decode()


def test_a_held_comment_tells_nobody_until_approved(
    client, author, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, **HELD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_url(work), {"body": "Waiting", **GUEST})
    assert not Notification.objects.filter(user=author).exists()


def test_the_creator_sees_the_queue_linked_and_approves(
    client, author, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, **HELD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_url(work), {"body": "Please approve me", **GUEST})
    comment = Comment.objects.get()
    client.force_login(author)
    assert "Comments awaiting approval (1)" in chapter_page(client, work)
    queue = client.get(queue_url(work)).content.decode()
    assert "Please approve me" in queue and "Wren" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(moderate_url(comment), {"action": "approve"})
    assert response.status_code == 302
    comment.refresh_from_db()
    work.refresh_from_db()
    assert comment.status == CommentStatus.POSTED
    assert work.comment_count == 1
    assert Notification.objects.filter(user=author).count() == 1
    client.logout()
    assert "Please approve me" in chapter_page(client, work)


def test_the_creator_deletes_a_held_comment(client, author):
    work = make_work(owner=author, **HELD)
    comment = services.comment_post(
        chapter=work.chapters.get(), body="Spam spam", **GUEST
    )
    client.force_login(author)
    client.post(moderate_url(comment), {"action": "delete"})
    assert not Comment.objects.exists()
    assert "No comments are waiting" in client.get(queue_url(work)).content.decode()
    assert "awaiting approval" not in chapter_page(client, work)


def test_other_users_and_guests_cannot_see_or_moderate_the_queue(
    client, reader_client, author
):
    work = make_work(owner=author, **HELD)
    comment = services.comment_post(chapter=work.chapters.get(), body="Held", **GUEST)
    assert reader_client.get(queue_url(work)).status_code == 404
    assert (
        reader_client.post(moderate_url(comment), {"action": "approve"}).status_code
        == 404
    )
    reader_client.logout()
    response = client.post(moderate_url(comment), {"action": "approve"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    assert "awaiting approval" not in chapter_page(client, work)


def test_a_co_creator_may_moderate(client, author):
    from stories import creators

    cowriter = UserFactory(username="cowriter")
    work = make_work(owner=author, **HELD)
    invitation = creators.work_invite_creator(
        work=work, user=cowriter, invited_by=author
    )
    creators.creatorship_accept(creatorship=invitation, user=cowriter)
    comment = services.comment_post(chapter=work.chapters.get(), body="Held", **GUEST)
    client.force_login(cowriter)
    assert "Held" in client.get(queue_url(work)).content.decode()
    client.post(moderate_url(comment), {"action": "approve"})
    comment.refresh_from_db()
    assert not comment.is_held


def test_only_the_moderate_address_accepts_post(author_client, author):
    work = make_work(owner=author, **HELD)
    comment = services.comment_post(chapter=work.chapters.get(), body="Held", **GUEST)
    assert author_client.get(moderate_url(comment)).status_code == 405
    response = author_client.post(moderate_url(comment), {"action": "nonsense"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_held


def test_the_site_wide_switch_turns_guest_comments_off_everywhere(client, author):
    work = make_work(owner=author, **ANYONE)
    assert 'name="guest_name"' in chapter_page(client, work)
    guest_comments_switch(allowed=False)
    page = chapter_page(client, work)
    assert 'name="guest_name"' not in page
    assert "Guest comments are turned off across the archive" in page
    assert reverse("login") in page
    response = client.post(comment_url(work), {"body": "Let me in", **GUEST})
    assert response.url.startswith(reverse("login"))
    assert not Comment.objects.exists()
    guest_comments_switch(allowed=True)
    assert 'name="guest_name"' in chapter_page(client, work)


def test_the_switch_leaves_signed_in_readers_be(reader_client, author):
    work = make_work(owner=author, **ANYONE)
    guest_comments_switch(allowed=False)
    response = reader_client.post(comment_url(work), {"body": "Still here"})
    assert response.status_code == 302
    assert Comment.objects.get().status == CommentStatus.POSTED


def test_staff_turn_the_switch_in_the_admin(staff_client, client, author):
    from stories.moderation.models import GuestCommentSwitch

    work = make_work(owner=author, **ANYONE)
    chapter_page(client, work)
    add = reverse("admin:moderation_guestcommentswitch_add")
    response = staff_client.post(add, {})  # an unticked box: off
    assert response.status_code == 302
    assert GuestCommentSwitch.objects.get().allowed is False
    staff_client.logout()
    assert "turned off across the archive" in chapter_page(client, work)


@pytest.mark.parametrize(
    ("choice", "allowed", "held"),
    [("anyone", True, False), ("users", False, False), ("held", True, True)],
)
def test_the_author_chooses_who_may_comment_on_the_work_form(
    author_client, author, choice, allowed, held
):
    from tests.stories.test_authoring import work_form_data

    work = make_work(owner=author)
    edit = reverse("stories:work_edit", args=[work.pk])
    page = author_client.get(edit).content.decode()
    assert "Who may comment" in page
    assert CHECKED.findall(page) == ["users"]
    response = author_client.post(edit, work_form_data(who_may_comment=choice))
    assert response.status_code == 302
    work.refresh_from_db()
    assert (work.allow_guest_comments, work.hold_guest_comments) == (allowed, held)
    assert CHECKED.findall(author_client.get(edit).content.decode()) == [choice]
