import pytest

from stories import services
from stories.models import Chapter, Comment, Status, Tag, TaggedWork, TagKind, Work
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def tag_names(work, kind):
    return sorted(
        TaggedWork.objects.filter(content_object=work, tag__kind=kind).values_list(
            "tag__name", flat=True
        )
    )


def test_work_create_stores_tags_of_every_kind_and_counts_words(author):
    work = make_work(
        owner=author,
        fandoms=["Harbour Lights (TV)"],
        characters=["Mara Quinn", "Tobias Reed"],
        relationships=["Mara Quinn/Tobias Reed"],
        freeforms=["Slow Burn", "Lighthouses"],
        warnings=["Major Character Death"],
        body="<p>one two three four</p><hr><p>five six</p>",
    )
    assert tag_names(work, TagKind.FANDOM) == ["Harbour Lights (TV)"]
    assert tag_names(work, TagKind.CHARACTER) == ["Mara Quinn", "Tobias Reed"]
    assert tag_names(work, TagKind.RELATIONSHIP) == ["Mara Quinn/Tobias Reed"]
    assert tag_names(work, TagKind.FREEFORM) == ["Lighthouses", "Slow Burn"]
    assert tag_names(work, TagKind.WARNING) == ["Major Character Death"]
    assert work.word_count == 6
    assert work.chapter_count == 1
    assert work.is_posted and work.published_at is not None


def test_setting_one_kind_of_tags_leaves_the_other_kinds_alone(work):
    services.work_set_tags(work=work, kind=TagKind.CHARACTER, names=["Ada", "Bram"])
    services.work_set_tags(work=work, kind=TagKind.CHARACTER, names=["Bram"])
    assert tag_names(work, TagKind.CHARACTER) == ["Bram"]
    assert tag_names(work, TagKind.FANDOM) == ["Original Work"]
    assert tag_names(work, TagKind.WARNING) == ["No Archive Warnings Apply"]


def test_tags_match_existing_names_without_regard_to_case(author):
    first = make_work(owner=author, fandoms=["Harry Potter"])
    second = make_work(owner=author, fandoms=["harry potter"])
    assert (
        Tag.objects.filter(kind=TagKind.FANDOM, name__iexact="harry potter").count()
        == 1
    )
    assert tag_names(second, TagKind.FANDOM) == ["Harry Potter"]
    assert tag_names(first, TagKind.FANDOM) == ["Harry Potter"]


def test_same_name_in_two_kinds_makes_two_tags_with_distinct_slugs(author):
    make_work(owner=author, fandoms=["Sherlock"], characters=["Sherlock"])
    tags = Tag.objects.filter(name="Sherlock")
    assert sorted(tags.values_list("kind", flat=True)) == ["character", "fandom"]
    assert len(set(tags.values_list("slug", flat=True))) == 2


def test_unknown_warning_is_refused_and_nothing_is_stored(author):
    with pytest.raises(ValueError, match="Not an archive warning"):
        make_work(owner=author, warnings=["Spiders"])
    assert not Work.objects.exists()


def test_work_html_fields_are_sanitized(author):
    work = make_work(
        owner=author,
        summary='<p onclick="steal()">Hi<script>alert(1)</script></p>',
        body='<p>Text <img src="x" onerror="alert(1)"><a href="javascript:x">l</a></p>',
    )
    chapter = work.chapters.get()
    assert work.summary == "<p>Hi</p>"
    assert "onerror" not in chapter.body
    assert "javascript" not in chapter.body
    assert "<script" not in chapter.body


def test_draft_work_and_its_chapters_stay_drafts_until_posted(author):
    work = make_work(owner=author, post=False, chapters=2)
    assert work.status == Status.DRAFT
    assert work.published_at is None
    assert set(work.chapters.values_list("status", flat=True)) == {Status.DRAFT}
    assert work.chapter_count == 2, "a draft counts every chapter for its owner"

    services.work_post(work=work)
    work.refresh_from_db()
    assert work.status == Status.POSTED
    assert work.published_at is not None
    assert set(work.chapters.values_list("status", flat=True)) == {Status.POSTED}


def test_chapter_numbers_continue_and_may_have_gaps(work):
    imported = services.chapter_create(
        work=work, text=services.ChapterText(body="<p>Later on.</p>", number=47)
    )
    following = services.chapter_create(
        work=work, text=services.ChapterText(body="<p>After that.</p>")
    )
    assert imported.number == 47
    assert following.number == 48
    assert list(work.chapters.values_list("position", flat=True)) == [1, 2, 3]


def test_completion_follows_expected_chapter_count(author):
    work = make_work(owner=author, expected_chapters=2)
    assert not work.is_complete
    assert work.chapters_display == "1/2"
    services.chapter_create(work=work, text=services.ChapterText(body="<p>End.</p>"))
    work.refresh_from_db()
    assert work.is_complete
    assert work.chapters_display == "2/2"


def test_unknown_chapter_total_shows_a_question_mark(work):
    assert work.expected_chapters is None
    assert work.chapters_display == "1/?"


def test_draft_chapter_of_posted_work_is_not_counted_until_posted(work):
    draft = services.chapter_create(
        work=work, text=services.ChapterText(body="<p>Not yet.</p>"), post=False
    )
    work.refresh_from_db()
    assert work.chapter_count == 1
    services.chapter_post(chapter=draft)
    work.refresh_from_db()
    assert work.chapter_count == 2


def test_chapter_update_recounts_the_work(work):
    chapter = work.chapters.get()
    services.chapter_update(
        chapter=chapter, text=services.ChapterText(body="<p>Just three words.</p>")
    )
    work.refresh_from_db()
    assert work.word_count == 3


def test_reorder_sets_positions_and_refuses_foreign_chapters(author):
    work = make_work(owner=author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    services.chapters_reorder(work=work, chapter_ids=[third.pk, first.pk, second.pk])
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        third.pk,
        first.pk,
        second.pk,
    ]
    other = make_work(owner=author).chapters.get()
    with pytest.raises(ValueError):
        services.chapters_reorder(work=work, chapter_ids=[third.pk, first.pk, other.pk])


def test_deleting_a_chapter_renumbers_positions_and_keeps_the_last_one(author):
    work = make_work(owner=author, chapters=2)
    first, second = work.chapters.order_by("position")
    services.chapter_delete(chapter=first)
    second.refresh_from_db()
    work.refresh_from_db()
    assert second.position == 1
    assert work.chapter_count == 1
    with pytest.raises(ValueError):
        services.chapter_delete(chapter=second)
    assert Chapter.objects.filter(pk=second.pk).exists()


def test_comment_count_follows_posts_and_deletes(work, reader):
    chapter = work.chapters.get()
    comment = services.comment_post(chapter=chapter, user=reader, body="Lovely.")
    services.comment_post(
        chapter=chapter, guest_name="Wren", guest_email="wren@example.org", body="Hi!"
    )
    work.refresh_from_db()
    assert work.comment_count == 2
    services.comment_delete(comment=comment)
    work.refresh_from_db()
    assert work.comment_count == 1


def test_guest_comment_needs_name_and_email(work):
    with pytest.raises(ValueError):
        services.comment_post(chapter=work.chapters.get(), body="Hi", guest_name="Wren")
    assert not Comment.objects.exists()


def test_deleting_a_comment_with_replies_leaves_a_placeholder(work, reader):
    chapter = work.chapters.get()
    parent = services.comment_post(chapter=chapter, user=reader, body="First!")
    reply = services.comment_post(
        chapter=chapter, user=work.owner, body="Thank you!", parent=parent
    )
    services.comment_delete(comment=parent)
    parent.refresh_from_db()
    assert parent.is_deleted
    assert parent.body == "" and parent.user is None
    assert list(parent.replies.all()) == [reply]

    services.comment_delete(comment=reply)
    assert not Comment.objects.exists(), "an empty placeholder goes with its last reply"


def test_reply_must_be_on_the_same_chapter(author, reader):
    work = make_work(owner=author, chapters=2)
    first, second = work.chapters.order_by("position")
    parent = services.comment_post(chapter=first, user=reader, body="Hm.")
    with pytest.raises(ValueError):
        services.comment_post(chapter=second, user=reader, body="Hm?", parent=parent)


def test_comment_edit_marks_it_edited_and_sanitizes(work, reader):
    comment = services.comment_post(chapter=work.chapters.get(), user=reader, body="x")
    services.comment_edit(comment=comment, body="<p>Better <script>x()</script></p>")
    comment.refresh_from_db()
    assert comment.is_edited
    assert comment.body == "<p>Better </p>"


def test_work_update_changes_fields_and_tags(work):
    services.work_update(
        work=work,
        title="  A New Title ",
        summary="<p>New <b>summary</b></p>",
        tags={TagKind.FANDOM: ["Fandom Two"], TagKind.FREEFORM: ["Fluff"]},
        warnings=["Graphic Depictions Of Violence"],
    )
    work.refresh_from_db()
    assert work.title == "A New Title"
    assert work.summary == "<p>New <b>summary</b></p>"
    assert tag_names(work, TagKind.FANDOM) == ["Fandom Two"]
    assert tag_names(work, TagKind.FREEFORM) == ["Fluff"]
    assert tag_names(work, TagKind.WARNING) == ["Graphic Depictions Of Violence"]


def test_archived_work_credits_the_original_creator():
    owner = UserFactory(username="archivist")
    work = make_work(owner=owner, creator_credit="OldFicWriter")
    assert work.credit == "OldFicWriter"
    assert work.is_archived_for_someone
    assert not make_work(owner=owner).is_archived_for_someone


def test_unposting_hides_the_work_and_counts_every_chapter(author):
    work = make_work(owner=author, chapters=2)
    services.chapter_create(
        work=work, text=services.ChapterText(body="<p>Held back.</p>"), post=False
    )
    services.work_unpost(work=work)
    work.refresh_from_db()
    assert work.status == Status.DRAFT
    assert work.chapter_count == 3
    assert not Work.objects.posted().filter(pk=work.pk).exists()


def tag(name, kind=TagKind.FREEFORM):
    return Tag.objects.get(kind=kind, name=name)


def test_postings_follow_the_work_status_and_date(author):
    work = make_work(owner=author, freeforms=["Angst"], post=False)
    posting = TaggedWork.objects.get(content_object=work, tag=tag("Angst"))
    assert posting.filter_tag == posting.tag
    assert not posting.work_posted
    services.work_post(work=work)
    posting.refresh_from_db()
    work.refresh_from_db()
    assert posting.work_posted
    assert posting.work_updated_at == work.updated_at


def test_tag_work_counts_follow_posts_edits_and_deletes(author):
    draft = make_work(owner=author, freeforms=["Angst"], post=False)
    make_work(owner=author, freeforms=["Angst", "Fluff"])
    assert tag("Angst").work_count == 1
    services.work_post(work=draft)
    assert tag("Angst").work_count == 2
    services.work_set_tags(work=draft, kind=TagKind.FREEFORM, names=["Fluff"])
    assert tag("Angst").work_count == 1
    assert tag("Fluff").work_count == 2
    services.work_unpost(work=draft)
    assert tag("Fluff").work_count == 1
    services.work_delete(work=Work.objects.posted().get())
    assert tag("Fluff").work_count == 0
    assert tag("Angst").work_count == 0
