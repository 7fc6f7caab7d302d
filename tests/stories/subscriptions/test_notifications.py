"""Who hears of what: each kind once, to the right readers, never to the actor."""

import pytest

from stories import services
from stories.blocking.models import Mute
from stories.models import HiddenTag, Tag, TagKind
from stories.series.models import Series, SeriesWork
from stories.series.services import series_add_work, series_create
from stories.subscriptions.models import Kind, Notification
from tests.factories import UserFactory, make_work

from .conftest import subscribe

pytestmark = pytest.mark.django_db


def kinds_of(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_new_chapter_notifies_the_work_s_subscribers_once(work, reader, new_chapter):
    subscribe(reader, work=work)
    subscribe(reader, creator=work.owner)
    chapter = new_chapter(work)
    notification = Notification.objects.get(user=reader)
    assert notification.kind == Kind.WORK_CHAPTER
    assert notification.chapter == chapter
    assert notification.actor == work.owner
    assert notification.read_at is None
    assert f"New chapter 2 of “{work.title}”" in notification.summary


def test_a_new_chapter_notifies_the_creator_s_subscribers(work, reader, new_chapter):
    subscribe(reader, creator=work.owner)
    new_chapter(work)
    assert kinds_of(reader) == [Kind.CREATOR_CHAPTER]


def test_a_new_work_notifies_the_creator_s_subscribers(author, reader, post):
    subscribe(reader, creator=author)
    work = post(make_work, owner=author)
    notification = Notification.objects.get(user=reader)
    assert (notification.kind, notification.work) == (Kind.CREATOR_WORK, work)


def test_nobody_hears_of_a_draft_or_of_a_draft_work_s_chapters(
    author, reader, post, new_chapter
):
    subscribe(reader, creator=author)
    draft = post(make_work, owner=author, post=False)
    new_chapter(draft)
    posted = post(make_work, owner=author, title="Posted")
    Notification.objects.all().delete()
    new_chapter(posted, draft=True)
    subscribe(reader, work=posted)
    new_chapter(posted, draft=True)
    assert Notification.objects.count() == 0


def test_posting_a_draft_work_notifies_once_and_reposting_nobody(author, reader, post):
    subscribe(reader, creator=author)
    draft = make_work(owner=author, post=False, chapters=2)
    post(services.work_post, work=draft)
    assert kinds_of(reader) == [Kind.CREATOR_WORK]
    services.work_unpost(work=draft)
    post(services.work_post, work=draft)
    assert kinds_of(reader) == [Kind.CREATOR_WORK]


def test_posting_a_draft_chapter_notifies(work, reader, post, new_chapter):
    chapter = new_chapter(work, draft=True)
    subscribe(reader, work=work)
    post(services.chapter_post, chapter=chapter)
    assert kinds_of(reader) == [Kind.WORK_CHAPTER]
    post(services.chapter_post, chapter=chapter)
    assert kinds_of(reader) == [Kind.WORK_CHAPTER]


def test_nobody_is_told_of_their_own_posting(author, post, new_chapter):
    subscribe(author, creator=UserFactory())
    work = post(make_work, owner=author, freeforms=["Fluff"])
    subscribe(author, work=work)
    subscribe(author, tag=Tag.objects.get(name="Fluff"))
    new_chapter(work)
    assert Notification.objects.count() == 0


def test_a_work_in_a_series_notifies_its_subscribers_as_a_new_part(
    author, reader, post
):
    series = Series.objects.create(owner=author, title="Lanterns")
    subscribe(reader, series=series)
    subscribe(reader, creator=author)
    other = UserFactory()
    subscribe(other, creator=author)
    draft = make_work(owner=author, post=False)
    SeriesWork.objects.create(series=series, work=draft, position=1)
    post(services.work_post, work=draft)
    notification = Notification.objects.get(user=reader)
    assert (notification.kind, notification.series) == (Kind.SERIES_PART, series)
    assert "New part of the series “Lanterns”" in notification.summary
    assert kinds_of(other) == [Kind.CREATOR_WORK]


def test_adding_a_posted_work_to_a_series_notifies_its_subscribers(
    author, reader, work, django_capture_on_commit_callbacks
):
    from stories.subscriptions.tasks import series_part_added_on_commit

    series = Series.objects.create(owner=author, title="Lanterns")
    subscribe(reader, series=series)
    with django_capture_on_commit_callbacks(execute=True):
        SeriesWork.objects.create(series=series, work=work, position=1)
        series_part_added_on_commit(series_id=series.pk, work_id=work.pk)
    assert kinds_of(reader) == [Kind.SERIES_PART]


def test_a_tag_subscription_hears_of_works_with_the_tag_or_its_synonyms(author, post):
    canonical = services.tags_get_or_create(kind=TagKind.FREEFORM, names=["Angst"])[0]
    synonym = services.tags_get_or_create(kind=TagKind.FREEFORM, names=["angsty"])[0]
    services.tag_make_canonical(tag=canonical)
    services.tag_make_synonym(tag=synonym, canonical=canonical)
    to_canonical, to_synonym, elsewhere = UserFactory(), UserFactory(), UserFactory()
    subscribe(to_canonical, tag=canonical)
    subscribe(to_synonym, tag=synonym)
    fandom = services.tags_get_or_create(kind=TagKind.FANDOM, names=["Elsewhere"])
    subscribe(elsewhere, tag=fandom[0])
    Notification.objects.all().delete()
    work = post(make_work, owner=author, freeforms=["angsty"], fandoms=["Other"])
    assert kinds_of(to_canonical) == [Kind.TAG_WORK]
    assert kinds_of(to_synonym) == [Kind.TAG_WORK]
    assert kinds_of(elsewhere) == []
    post(make_work, owner=author, freeforms=["Angst"], fandoms=["Other"])
    assert len(kinds_of(to_canonical)) == 2
    assert len(kinds_of(to_synonym)) == 2
    notification = Notification.objects.filter(user=to_canonical).last()
    assert notification.work == work
    assert notification.tag == canonical


def test_a_tag_subscription_leaves_out_what_the_reader_hides_or_mutes(author, post):
    fluff = services.tags_get_or_create(kind=TagKind.FREEFORM, names=["Fluff"])[0]
    angst = services.tags_get_or_create(kind=TagKind.FREEFORM, names=["Angst"])[0]
    hides_tag, mutes, plain = (UserFactory() for _ in range(3))
    for reader in (hides_tag, mutes, plain):
        subscribe(reader, tag=fluff)
    HiddenTag.objects.create(reader=hides_tag, tag=angst)
    Mute.objects.create(muter=mutes, muted=author)
    post(make_work, owner=author, freeforms=["Fluff", "Angst"])
    assert list(Notification.objects.values_list("user", flat=True)) == [plain.pk]


def test_a_muted_creator_s_postings_reach_no_subscriber_who_muted_them(
    work, reader, new_chapter
):
    subscribe(reader, work=work)
    Mute.objects.create(muter=reader, muted=work.owner)
    new_chapter(work)
    assert Notification.objects.count() == 0


def test_a_comment_notifies_the_author_and_a_reply_the_commenter(work, reader, post):
    chapter = work.chapters.get()
    comment = post(services.comment_post, chapter=chapter, user=reader, body="Lovely")
    assert kinds_of(work.owner) == [Kind.COMMENT]
    assert Notification.objects.get(user=work.owner).comment == comment
    third = UserFactory()
    reply = post(
        services.comment_post, chapter=chapter, user=third, body="Yes!", parent=comment
    )
    assert Notification.objects.get(user=reader).comment == reply
    assert kinds_of(reader) == [Kind.REPLY]
    assert kinds_of(work.owner) == [Kind.COMMENT, Kind.COMMENT]
    assert kinds_of(third) == []


def test_the_author_replying_is_not_told_and_the_commenter_is_once(work, reader, post):
    chapter = work.chapters.get()
    comment = post(services.comment_post, chapter=chapter, user=work.owner, body="A")
    assert Notification.objects.count() == 0
    post(services.comment_post, chapter=chapter, user=reader, body="B", parent=comment)
    # The author hears of the reply once, as a reply to their comment.
    assert kinds_of(work.owner) == [Kind.REPLY]
    assert kinds_of(reader) == []


def test_a_guest_comment_notifies_the_author(work, post):
    post(
        services.comment_post,
        chapter=work.chapters.get(),
        body="Hi",
        guest_name="Wren",
        guest_email="wren@example.org",
    )
    notification = Notification.objects.get(user=work.owner)
    assert notification.actor is None
    assert notification.summary == f"Wren commented on “{work.title}”"


def test_comment_notifications_can_each_be_switched_off(work, reader, post):
    from stories.subscriptions.services import notification_preferences_set

    notification_preferences_set(user=work.owner, comments_on=False)
    notification_preferences_set(user=reader, replies_on=False)
    chapter = work.chapters.get()
    comment = post(services.comment_post, chapter=chapter, user=reader, body="A")
    post(services.comment_post, chapter=chapter, user=UserFactory(), body="B",
         parent=comment)  # fmt: skip
    assert Notification.objects.count() == 0
    notification_preferences_set(user=work.owner, comments_on=True)
    post(services.comment_post, chapter=chapter, user=reader, body="C")
    assert kinds_of(work.owner) == [Kind.COMMENT]


def test_a_comment_from_someone_the_author_muted_is_not_told(work, reader, post):
    Mute.objects.create(muter=work.owner, muted=reader)
    post(services.comment_post, chapter=work.chapters.get(), user=reader, body="A")
    assert Notification.objects.count() == 0


def test_inactive_readers_are_not_notified(work, reader, new_chapter):
    subscribe(reader, work=work)
    reader.is_active = False
    reader.save()
    new_chapter(work)
    assert Notification.objects.count() == 0


def test_a_posted_work_added_to_a_series_tells_the_series_followers(
    author, reader, django_capture_on_commit_callbacks
):
    first = make_work(owner=author, title="Part One")
    second = make_work(owner=author, title="Part Two")
    series = series_create(owner=author, title="Harbour Weather", works=[first])
    subscribe(reader, series=series)
    with django_capture_on_commit_callbacks(execute=True):
        series_add_work(series=series, work=second)
    notification = Notification.objects.get(user=reader)
    assert (notification.work, notification.series) == (second, series)
