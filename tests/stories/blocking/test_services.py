"""Blocking and muting through the services: each refusal changes nothing, and a
block stops comments and replies however they are posted."""

import pytest
from django.contrib.auth.hashers import make_password

from archive.models import User
from stories import services
from stories.blocking.models import MOST_BLOCKED, Block, Mute
from stories.blocking.services import (
    Refused,
    user_block,
    user_mute,
    user_unblock,
    user_unmute,
)
from stories.models import Comment
from stories.readers import reader_facts
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def many_users(count):
    password = make_password(None)
    return User.objects.bulk_create(
        [
            User(username=f"crowd{n}", email=f"crowd{n}@example.org", password=password)
            for n in range(count)
        ]
    )


def test_block_and_unblock(author, reader):
    user_block(blocker=author, blocked=reader)
    assert Block.objects.of(blocker=author, user=reader).exists()
    assert not Block.objects.of(blocker=reader, user=author).exists()
    user_unblock(blocker=author, blocked=reader)
    assert not Block.objects.exists()


def test_mute_and_unmute(author, reader):
    user_mute(muter=reader, muted=author)
    assert reader_facts(reader).muted_ids == {author.pk}
    assert reader_facts(author).muted_ids == frozenset()
    user_unmute(muter=reader, muted=author)
    assert not Mute.objects.exists()


@pytest.mark.parametrize(
    ("service", "message"),
    [
        (user_block, "You can't block yourself."),
        (user_mute, "You can't mute yourself."),
    ],
)
def test_oneself_is_refused(reader, service, message):
    with pytest.raises(Refused, match=message):
        service(**_args(service, reader, reader))
    assert not Block.objects.exists() and not Mute.objects.exists()


def _args(service, owner, target):
    if service in (user_block, user_unblock):
        return {"blocker": owner, "blocked": target}
    return {"muter": owner, "muted": target}


@pytest.mark.parametrize("service", [user_block, user_mute])
def test_twice_is_refused(author, reader, service):
    service(**_args(service, reader, author))
    with pytest.raises(Refused, match="You have already"):
        service(**_args(service, reader, author))
    assert Block.objects.count() + Mute.objects.count() == 1


@pytest.mark.parametrize("service", [user_block, user_mute])
def test_a_deactivated_user_is_refused(reader, service):
    gone = UserFactory(username="gone", is_active=False)
    with pytest.raises(Refused, match="There is no such user"):
        service(**_args(service, reader, gone))
    assert not Block.objects.exists() and not Mute.objects.exists()


@pytest.mark.parametrize(
    ("service", "undo", "message"),
    [
        (user_block, user_unblock, "You have not blocked quillfeather."),
        (user_mute, user_unmute, "You have not muted quillfeather."),
    ],
)
def test_undoing_what_was_never_done_is_refused(author, reader, service, undo, message):
    service(**_args(service, author, reader))
    with pytest.raises(Refused, match=message):
        undo(**_args(undo, reader, author))
    assert Block.objects.count() + Mute.objects.count() == 1


def test_staff_cannot_be_blocked_but_can_be_muted(reader, staff):
    with pytest.raises(Refused, match="staff can't be blocked"):
        user_block(blocker=reader, blocked=staff)
    assert not Block.objects.exists()
    user_mute(muter=reader, muted=staff)
    assert Mute.objects.filter(muter=reader, muted=staff).exists()


def test_staff_may_block_readers(reader, staff):
    user_block(blocker=staff, blocked=reader)
    assert Block.objects.of(blocker=staff, user=reader).exists()


@pytest.mark.parametrize(
    ("model", "service", "message"),
    [
        (Block, user_block, "You have blocked 2,000 users, the most anyone may"),
        (Mute, user_mute, "You have muted 2,000 users, the most anyone may"),
    ],
)
def test_at_most_2000_each(reader, model, service, message):
    crowd = many_users(MOST_BLOCKED)
    owner, target = ("blocker", "blocked") if model is Block else ("muter", "muted")
    model.objects.bulk_create(
        [model(**{owner: reader, target: user}) for user in crowd[:-1]]
    )
    service(**_args(service, reader, crowd[-1]))
    one_more = UserFactory(username="one-more")
    with pytest.raises(Refused, match=message):
        service(**_args(service, reader, one_more))
    assert model.objects.filter(**{owner: reader}).count() == MOST_BLOCKED
    # The other list has its own limit.
    other = user_mute if service is user_block else user_block
    other(**_args(other, reader, one_more))


# A block stops comments and replies in the service itself.


@pytest.fixture
def chapter(work):
    return work.chapters.get()


def test_a_blocked_user_cannot_comment_on_the_blockers_works(author, reader, chapter):
    user_block(blocker=author, blocked=reader)
    with pytest.raises(
        services.CommentBlocked,
        match="quillfeather has blocked you, so you can't comment on their works.",
    ):
        services.comment_post(chapter=chapter, user=reader, body="<p>Hi</p>")
    assert not Comment.objects.exists()
    chapter.work.refresh_from_db()
    assert chapter.work.comment_count == 0


def test_a_blocked_user_cannot_reply_to_the_blockers_comments(author, reader):
    elsewhere = make_work(owner=UserFactory(username="thirdparty"))
    chapter = elsewhere.chapters.get()
    comment = services.comment_post(chapter=chapter, user=author, body="<p>Mine</p>")
    user_block(blocker=author, blocked=reader)
    with pytest.raises(
        services.CommentBlocked,
        match="quillfeather has blocked you, so you can't reply to their comments.",
    ):
        services.comment_post(
            chapter=chapter, user=reader, body="<p>Re</p>", parent=comment
        )
    # They may still comment on that work, and reply to others there.
    own = services.comment_post(chapter=chapter, user=reader, body="<p>Top</p>")
    other = services.comment_post(
        chapter=chapter, user=UserFactory(), body="<p>Other</p>"
    )
    services.comment_post(chapter=chapter, user=reader, body="<p>Re</p>", parent=other)
    assert own in Comment.objects.filter(user=reader)
    assert Comment.objects.filter(user=reader).count() == 2


def test_a_block_stops_no_one_else(author, reader, chapter):
    user_block(blocker=author, blocked=reader)
    others = UserFactory(username="bystander")
    comment = services.comment_post(chapter=chapter, user=others, body="<p>Hi</p>")
    services.comment_post(
        chapter=chapter, user=author, body="<p>Th</p>", parent=comment
    )
    # And the blocker may still comment where the blocked user wrote.
    theirs = make_work(owner=reader, title="Theirs").chapters.get()
    services.comment_post(chapter=theirs, user=author, body="<p>Still here</p>")
    assert Comment.objects.count() == 3


def test_unblocking_lets_them_comment_again(author, reader, chapter):
    user_block(blocker=author, blocked=reader)
    user_unblock(blocker=author, blocked=reader)
    services.comment_post(chapter=chapter, user=reader, body="<p>Hello again</p>")
    assert Comment.objects.filter(user=reader).count() == 1
