"""The pages of blocked and muted users, the buttons on a profile, and what a
blocked reader is told where they would comment: as a guest, another user
and the owner; every refusal changes nothing."""

import pytest
from django.urls import reverse

from stories import services
from stories.blocking.models import Block, Mute
from stories.blocking.services import user_block, user_mute
from stories.models import Comment
from tests.factories import UserFactory, make_work
from tests.pages import titles, words

pytestmark = pytest.mark.django_db

LISTS = ["blocking:blocked_list", "blocking:muted_list"]
MODELS = {"blocking:blocked_list": Block, "blocking:muted_list": Mute}


def nothing_changed():
    return not Block.objects.exists() and not Mute.objects.exists()


# The lists.


@pytest.mark.parametrize("name", LISTS)
def test_a_guest_is_asked_to_log_in(client, reader, name):
    url = reverse(name, args=[reader.username])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    response = client.post(url, {"username": "quillfeather"})
    assert response.url.startswith(reverse("login"))
    assert nothing_changed()


@pytest.mark.parametrize("name", LISTS)
def test_another_users_list_is_not_found(client, reader, author, name):
    user_block(blocker=reader, blocked=author)
    user_mute(muter=reader, muted=author)
    client.force_login(UserFactory(username="nosy"))
    url = reverse(name, args=[reader.username])
    assert client.get(url).status_code == 404
    assert client.post(url, {"username": "quillfeather"}).status_code == 404
    assert Block.objects.count() == 1 and Mute.objects.count() == 1
    assert not Block.objects.filter(blocker__username="nosy").exists()
    assert not Mute.objects.filter(muter__username="nosy").exists()


@pytest.mark.parametrize("name", LISTS)
def test_staff_are_not_shown_anothers_list_either(staff_client, reader, name):
    assert staff_client.get(reverse(name, args=[reader.username])).status_code == 404


@pytest.mark.parametrize(
    ("name", "added", "button"),
    [
        ("blocking:blocked_list", "You blocked quillfeather.", "Unblock"),
        ("blocking:muted_list", "You muted quillfeather.", "Unmute"),
    ],
)
def test_the_owner_adds_by_name_and_sees_the_list(
    reader_client, reader, author, name, added, button
):
    url = reverse(name, args=[reader.username])
    empty = words(reader_client.get(url))
    assert "quillfeather" not in empty
    response = reader_client.post(url, {"username": "quillfeather"}, follow=True)
    page = words(response)
    assert added in page
    assert f"quillfeather {button}" in page
    assert MODELS[name].objects.count() == 1


@pytest.mark.parametrize(
    ("name", "remove", "removed"),
    [
        (
            "blocking:blocked_list",
            "blocking:user_unblock",
            "You unblocked quillfeather.",
        ),
        ("blocking:muted_list", "blocking:user_unmute", "You unmuted quillfeather."),
    ],
)
def test_the_owner_removes_with_the_button(
    reader_client, reader, author, name, remove, removed
):
    user_block(blocker=reader, blocked=author)
    user_mute(muter=reader, muted=author)
    url = reverse(name, args=[reader.username])
    assert (
        reverse(remove, args=["quillfeather"])
        in reader_client.get(url).content.decode()
    )
    response = reader_client.post(
        reverse(remove, args=["quillfeather"]), {"next": url}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert removed in words(response)
    assert not MODELS[name].objects.exists()
    assert Block.objects.count() + Mute.objects.count() == 1


@pytest.mark.parametrize("remove", ["blocking:user_unblock", "blocking:user_unmute"])
def test_removing_needs_a_post_by_the_one_who_added(client, reader, author, remove):
    user_block(blocker=reader, blocked=author)
    user_mute(muter=reader, muted=author)
    url = reverse(remove, args=["quillfeather"])
    assert client.post(url).url.startswith(reverse("login"))
    client.force_login(reader)
    assert client.get(url).status_code == 405
    # Someone else lifting "their" block lifts nothing of the reader's.
    client.force_login(UserFactory(username="nosy"))
    response = client.post(url, follow=True)
    assert "You have not" in words(response)
    assert Block.objects.count() == 1 and Mute.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "username", "error"),
    [
        ("blocking:blocked_list", "pageturner", "You can't block yourself."),
        ("blocking:muted_list", "pageturner", "You can't mute yourself."),
        ("blocking:blocked_list", "nobody", "No user is named “nobody”."),
        ("blocking:muted_list", "nobody", "No user is named “nobody”."),
        ("blocking:blocked_list", "moderator", "staff can't be blocked"),
    ],
)
def test_refusals_are_explained_and_change_nothing(
    reader_client, reader, staff, name, username, error
):
    response = reader_client.post(
        reverse(name, args=[reader.username]), {"username": username}
    )
    assert response.status_code == 400
    assert error in words(response)
    assert f'value="{username}"' in response.content.decode()
    assert nothing_changed()


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("blocking:blocked_list", "You have already blocked quillfeather."),
        ("blocking:muted_list", "You have already muted quillfeather."),
    ],
)
def test_twice_is_refused(reader_client, reader, author, name, error):
    url = reverse(name, args=[reader.username])
    reader_client.post(url, {"username": "quillfeather"})
    response = reader_client.post(url, {"username": "quillfeather"})
    assert response.status_code == 400
    assert error in words(response)
    assert MODELS[name].objects.count() == 1


# The buttons on a profile and their confirming pages.


def test_a_profile_offers_block_and_mute_to_other_signed_in_readers(
    client, reader, author
):
    profile = reverse("stories:user_detail", args=["quillfeather"])
    block = reverse("blocking:user_block", args=["quillfeather"])
    mute = reverse("blocking:user_mute", args=["quillfeather"])
    shown = client.get(profile).content.decode()
    assert block not in shown and mute not in shown
    client.force_login(author)
    own = client.get(profile).content.decode()
    assert block not in own and mute not in own
    assert reverse("blocking:blocked_list", args=["quillfeather"]) in own
    assert reverse("blocking:muted_list", args=["quillfeather"]) in own
    client.force_login(reader)
    theirs = client.get(profile).content.decode()
    assert block in theirs and mute in theirs
    # The buttons are the reader's own: a guest after them is not shown them.
    client.logout()
    assert block not in client.get(profile).content.decode()


def test_a_staff_profile_offers_mute_but_not_block(reader_client, staff):
    page = reader_client.get(reverse("stories:user_detail", args=["moderator"]))
    content = page.content.decode()
    assert reverse("blocking:user_mute", args=["moderator"]) in content
    assert reverse("blocking:user_block", args=["moderator"]) not in content


@pytest.mark.parametrize(
    ("name", "explains", "done", "then"),
    [
        (
            "blocking:user_block",
            "can't comment on your works or reply to your comments",
            "You blocked quillfeather.",
            "Unblock",
        ),
        (
            "blocking:user_mute",
            "left out of everything you see",
            "You muted quillfeather.",
            "Unmute",
        ),
    ],
)
def test_block_or_mute_from_a_profile_through_a_confirming_page(
    reader_client, author, name, explains, done, then
):
    profile = reverse("stories:user_detail", args=["quillfeather"])
    url = reverse(name, args=["quillfeather"])
    confirm = reader_client.get(url, {"next": profile})
    assert confirm.status_code == 200
    assert explains in words(confirm)
    assert nothing_changed()
    response = reader_client.post(url, {"next": profile}, follow=True)
    assert response.redirect_chain[-1][0] == profile
    page = words(response)
    assert done in page
    assert then in page


def test_the_confirming_page_needs_a_signed_in_reader_and_a_real_user(
    client, reader, author
):
    url = reverse("blocking:user_block", args=["quillfeather"])
    assert client.get(url).url.startswith(reverse("login"))
    assert client.post(url).url.startswith(reverse("login"))
    client.force_login(reader)
    missing = reverse("blocking:user_block", args=["nobody"])
    assert client.get(missing).status_code == 404
    assert client.post(missing).status_code == 404
    assert nothing_changed()


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("blocking:user_block", "You can't block yourself."),
        ("blocking:user_mute", "You can't mute yourself."),
    ],
)
def test_blocking_or_muting_oneself_from_the_address_is_refused(
    reader_client, reader, name, refusal
):
    url = reverse(name, args=["pageturner"])
    assert refusal in words(reader_client.get(url))
    response = reader_client.post(url, follow=True)
    assert refusal in words(response)
    assert nothing_changed()


def test_the_confirming_page_refuses_an_outside_next(reader_client, author):
    response = reader_client.post(
        reverse("blocking:user_mute", args=["quillfeather"]),
        {"next": "https://evil.example/"},
    )
    assert response.url == reverse("stories:user_detail", args=["quillfeather"])


def test_a_muted_users_profile_lists_none_of_their_works_for_the_muter(
    client, reader, author
):
    make_work(owner=author, title="Muted Work")
    user_mute(muter=reader, muted=author)
    profile = reverse("stories:user_detail", args=["quillfeather"])
    client.force_login(reader)
    response = client.get(profile)
    assert titles(response) == []
    assert "0 Works" in words(response)
    assert "You muted quillfeather" in words(response)
    client.force_login(UserFactory())
    assert titles(client.get(profile)) == ["Muted Work"]


# A blocked reader, where they would comment.


def test_a_blocked_reader_is_told_instead_of_the_comment_form(
    client, author, reader, work, django_capture_on_commit_callbacks
):
    chapter = work.chapters.get()
    client.force_login(reader)
    # Seen before the block, this reader's page is cached with the form.
    assert "Post a comment" in words(client.get(chapter.get_absolute_url()))
    with django_capture_on_commit_callbacks(execute=True):
        user_block(blocker=author, blocked=reader)
    page = words(client.get(chapter.get_absolute_url()))
    assert "quillfeather has blocked you, so you can't comment on their works." in page
    assert "Post a comment" not in page
    # Others still see the form, and the blocked reader's page is not theirs.
    client.force_login(UserFactory(username="bystander"))
    page = words(client.get(chapter.get_absolute_url()))
    assert "Post a comment" in page
    assert "has blocked you" not in page


def test_a_blocked_readers_comment_is_refused_with_a_message(
    reader_client, author, reader, work
):
    chapter = work.chapters.get()
    user_block(blocker=author, blocked=reader)
    response = reader_client.post(
        reverse("stories:comment_create", args=[work.pk, chapter.pk]),
        {"body": "Let me in"},
        follow=True,
    )
    assert (
        "quillfeather has blocked you, so you can't comment on their works."
        in words(response)
    )
    assert not Comment.objects.exists()


def test_a_blocked_reader_cannot_reply_to_the_blockers_comments(
    client, author, reader, django_capture_on_commit_callbacks
):
    work = make_work(owner=UserFactory(username="host"), title="Elsewhere")
    chapter = work.chapters.get()
    theirs = services.comment_post(chapter=chapter, user=author, body="<p>Mine</p>")
    other = services.comment_post(
        chapter=chapter, user=UserFactory(username="bystander"), body="<p>Hi</p>"
    )
    client.force_login(reader)
    reply_link = f"?reply_to={theirs.pk}"
    assert reply_link in client.get(chapter.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        user_block(blocker=author, blocked=reader)
    response = client.get(chapter.get_absolute_url())
    content = response.content.decode()
    assert reply_link not in content
    assert f"?reply_to={other.pk}" in content
    assert "quillfeather has blocked you, so you can't reply to their comments." in (
        words(response)
    )
    # The work's own comment form stays: the host did not block them.
    assert "Post a comment" in words(response)
    # A reply form asked for by address does not open under the blocker's comment.
    opened = client.get(chapter.get_absolute_url(), {"reply_to": theirs.pk})
    assert f'name="parent" value="{theirs.pk}"' not in opened.content.decode()
    url = reverse("stories:comment_create", args=[work.pk, chapter.pk])
    response = client.post(url, {"body": "Re", "parent": theirs.pk}, follow=True)
    assert "quillfeather has blocked you, so you can't reply to their comments." in (
        words(response)
    )
    assert not Comment.objects.filter(user=reader).exists()
    client.post(url, {"body": "Re to other", "parent": other.pk})
    assert Comment.objects.filter(user=reader, parent=other).count() == 1


# Hiding an author from a work's hide page mutes them.


def test_hiding_an_author_from_a_work_mutes_them(reader_client, reader, work):
    response = reader_client.post(
        reverse("stories:work_hide", args=[work.pk]),
        {"creator_id": work.owner_id},
        follow=True,
    )
    assert Mute.objects.filter(muter=reader, muted=work.owner).exists()
    assert "Hidden from every listing and feed." in words(response)
    page = reader_client.get(reverse("blocking:muted_list", args=["pageturner"]))
    assert "quillfeather" in words(page)


def test_hiding_oneself_from_ones_own_work_is_refused(author_client, author, work):
    response = author_client.post(
        reverse("stories:work_hide", args=[work.pk]),
        {"creator_id": author.pk},
        follow=True,
    )
    assert "You can't mute yourself." in words(response)
    assert not Mute.objects.exists()


def test_preferences_link_to_the_lists(reader_client):
    page = reader_client.get(reverse("preferences")).content.decode()
    assert reverse("blocking:muted_list", args=["pageturner"]) in page
    assert reverse("blocking:blocked_list", args=["pageturner"]) in page


# The admin: staff look at blocks and mutes and may lift them.


@pytest.mark.parametrize(("model", "name"), [(Block, "block"), (Mute, "mute")])
def test_staff_list_and_lift_blocks_and_mutes_in_the_admin(
    staff_client, author, reader, model, name
):
    user_block(blocker=reader, blocked=author)
    user_mute(muter=reader, muted=author)
    changelist = reverse(f"admin:blocking_{name}_changelist")
    listed = staff_client.get(changelist)
    assert listed.status_code == 200
    assert "pageturner" in words(listed) and "quillfeather" in words(listed)
    assert staff_client.get(reverse(f"admin:blocking_{name}_add")).status_code == 403
    row = model.objects.get()
    response = staff_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not model.objects.exists()
    assert Block.objects.count() + Mute.objects.count() == 1
