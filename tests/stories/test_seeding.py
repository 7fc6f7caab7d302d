"""The synthetic archive: its shape, its stored counters, and its refusals."""

import statistics
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Sum

from archive.models import User
from stories import search
from stories.models import (
    ARCHIVE_WARNINGS,
    Chapter,
    Comment,
    Creatorship,
    Status,
    Tag,
    TaggedWork,
    TagKind,
    Work,
)
from stories.seeding import SHOWCASE_COMMENTS, seed_archive
from stories.text import count_words
from tests.factories import make_work

pytestmark = pytest.mark.django_db

WORKS = 200


def seed(works=WORKS, seed=7):
    out = StringIO()
    call_command("seed_archive", works=works, seed=seed, verbosity=0, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    seed()


def snapshot():
    """Return the archive's content without ids, which may differ between runs."""
    tags = {
        pk: (kind, name)
        for pk, kind, name in Tag.objects.values_list("pk", "kind", "name")
    }
    tagged = defaultdict(set)
    for work_id, tag_id in TaggedWork.objects.values_list("content_object", "tag"):
        tagged[work_id].add(tags[tag_id])
    works = Work.objects.order_by("pk").values_list(
        "pk", "owner__username", "title", "summary", "rating", "language", "status",
        "expected_chapters", "word_count", "chapter_count", "comment_count",
        "published_at", "updated_at",
    )  # fmt: skip
    chapters = Chapter.objects.order_by("pk").values_list(
        "position", "title", "body", "word_count", "published_at"
    )
    comments = Comment.objects.order_by("pk").values_list(
        "user__username", "guest_name", "body", "parent__body", "created_at"
    )
    return (
        [(*row[1:], frozenset(tagged[row[0]])) for row in works],
        list(chapters),
        list(comments),
        sorted(User.objects.values_list("username", "email", "date_joined")),
    )


def test_seeding_reports_what_it_wrote():
    output = seed()
    assert f"Seeded {WORKS} works" in output
    assert f"and {WORKS // 5} users" in output


def test_archive_has_the_asked_works_with_a_user_per_five(seeded):
    assert Work.objects.count() == WORKS
    assert User.objects.count() == WORKS // 5
    assert Work.objects.values("owner").distinct().count() > WORKS // 20


def test_about_one_fandom_per_500_works_and_at_least_three(seeded):
    assert Tag.objects.filter(kind=TagKind.FANDOM).count() == 3


def test_more_fandoms_for_more_works():
    seed(works=1500)
    assert Tag.objects.filter(kind=TagKind.FANDOM).count() == 3
    fandoms = list(Tag.objects.filter(kind=TagKind.FANDOM).order_by("pk"))
    assert fandoms[0].work_count > 1500 // 3


def test_popularity_follows_zipf(seeded):
    fandoms = list(
        Tag.objects.filter(kind=TagKind.FANDOM)
        .order_by("pk")
        .values_list("work_count", flat=True)
    )
    assert fandoms[0] == max(fandoms)
    assert fandoms[0] > 2 * fandoms[-1]
    freeforms = Tag.objects.filter(kind=TagKind.FREEFORM).order_by("-work_count")
    assert freeforms[0].name in {"Angst", "Fluff", "Hurt/Comfort"}
    assert freeforms[0].work_count > 5 * statistics.median(
        freeforms.values_list("work_count", flat=True)
    )
    owners = Counter(Work.objects.values_list("owner", flat=True))
    assert owners.most_common(1)[0][1] > 3 * statistics.median(owners.values())


def test_each_work_has_3_to_15_tags_with_a_fandom_and_a_warning(seeded):
    kinds = defaultdict(Counter)
    for work_id, kind in TaggedWork.objects.values_list("content_object", "tag__kind"):
        kinds[work_id][kind] += 1
    assert len(kinds) == WORKS
    for counts in kinds.values():
        assert 3 <= counts.total() <= 15
        assert 1 <= counts[TagKind.FANDOM] <= 2
        assert counts[TagKind.WARNING] >= 1
        assert counts[TagKind.CATEGORY] <= 2
    assert Tag.objects.filter(kind=TagKind.WARNING).count() == len(ARCHIVE_WARNINGS)
    # Most works have a category, as on AO3.
    categorised = sum(1 for counts in kinds.values() if counts[TagKind.CATEGORY])
    assert categorised > len(kinds) / 2


def test_characters_and_relationships_belong_to_their_fandom(seeded):
    people = Tag.objects.filter(kind__in=[TagKind.CHARACTER, TagKind.RELATIONSHIP])
    assert people.exists()
    for tag in people.prefetch_related("parents"):
        assert [parent.kind for parent in tag.parents.all()] == [TagKind.FANDOM]
    for item in TaggedWork.objects.filter(tag__in=people).select_related("tag"):
        fandoms = TaggedWork.objects.filter(
            content_object=item.content_object_id, tag__kind=TagKind.FANDOM
        ).values_list("tag", flat=True)
        assert set(item.tag.parents.values_list("pk", flat=True)) & set(fandoms)


def test_chapters_lengths_ratings_languages_and_states_are_mixed(seeded):
    works = list(Work.objects.all())
    chapters = [work.chapter_count for work in works]
    assert min(chapters) == 1
    assert max(chapters) <= 60
    assert 1 <= statistics.median(chapters) <= 3
    assert 2500 <= statistics.median(work.word_count for work in works) <= 10_000
    assert len({work.rating for work in works}) == 5
    languages = Counter(work.language for work in works)
    assert languages.most_common(1)[0][0] == "en"
    assert languages["en"] < WORKS
    drafts = sum(work.status == Status.DRAFT for work in works)
    assert 0 < drafts < WORKS // 10
    in_progress = [work for work in works if work.expected_chapters is None]
    assert in_progress
    assert not any(work.is_complete for work in in_progress)


def test_dates_span_years_and_follow_each_other(seeded):
    posted = list(Work.objects.posted())
    assert all(work.updated_at >= work.published_at for work in posted)
    assert len({work.published_at.year for work in posted}) >= 5
    assert not Chapter.objects.filter(published_at__lt=F("work__published_at")).exists()
    assert not Comment.objects.filter(
        created_at__lt=F("chapter__published_at")
    ).exists()


def test_stored_counters_agree_with_the_rows(seeded):
    chapters = {
        row["work"]: row
        for row in Chapter.objects.values("work").annotate(
            words=Sum("word_count"), total=Count("pk"), latest=Max("published_at")
        )
    }
    comments = dict(
        Comment.objects.shown()
        .values("work")
        .annotate(total=Count("pk"))
        .values_list("work", "total")
    )
    for work in Work.objects.all():
        assert work.word_count == chapters[work.pk]["words"]
        assert work.chapter_count == chapters[work.pk]["total"]
        assert work.comment_count == comments.get(work.pk, 0)
        assert work.is_complete == (
            work.expected_chapters is not None
            and work.chapter_count >= work.expected_chapters
        )
        if work.is_posted:
            assert work.updated_at == chapters[work.pk]["latest"]
    assert not Chapter.objects.exclude(status=F("work__status")).exists()


def test_each_work_is_credited_to_its_owner_from_its_creation(seeded):
    firsts = {
        creatorship.work_id: creatorship
        for creatorship in Creatorship.objects.filter(position=0)
    }
    for work in Work.objects.all():
        first = firsts[work.pk]
        assert (first.user_id, first.status) == (work.owner_id, "accepted")
        assert first.created_at == work.created_at
        assert work.creators == [work.owner]


def test_tag_counts_are_the_posted_works_listed_under_each_tag(seeded):
    listed = dict(
        TaggedWork.objects.filter(content_object__status=Status.POSTED)
        .values("filter_tag")
        .annotate(works=Count("content_object", distinct=True))
        .values_list("filter_tag", "works")
    )
    for tag in Tag.objects.all():
        assert tag.work_count == listed.get(tag.pk, 0), tag.name
    assert Tag.objects.filter(kind=TagKind.FANDOM, work_count__gt=0).exists()


def test_postings_carry_the_tag_and_the_works_state(seeded):
    postings = TaggedWork.objects.all()
    assert postings.count() > 3 * WORKS
    assert not postings.exclude(filter_tag=F("tag")).exists()
    assert not postings.filter(work_posted=True, content_object__status=Status.DRAFT)
    assert not postings.filter(work_posted=False, content_object__status=Status.POSTED)
    assert not postings.exclude(work_updated_at=F("content_object__updated_at"))


def test_chapters_are_numbered_and_placed_in_order(seeded):
    places = defaultdict(list)
    for work_id, position, number in Chapter.objects.order_by("pk").values_list(
        "work", "position", "number"
    ):
        places[work_id].append((position, number))
    for found in places.values():
        expected = list(range(1, len(found) + 1))
        assert found == list(zip(expected, expected, strict=True))


def test_some_comments_are_replies_within_their_chapter(seeded):
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.exists()
    assert not replies.exclude(chapter=F("parent__chapter")).exists()
    assert not replies.filter(created_at__lt=F("parent__created_at")).exists()
    assert Comment.objects.filter(user__isnull=True).exclude(guest_name="").exists()


def test_newest_work_of_the_top_fandom_is_written_out_with_a_busy_chapter(seeded):
    fandom = Tag.objects.filter(kind=TagKind.FANDOM).order_by("-work_count")[0]
    newest = Work.objects.posted().order_by("-updated_at", "-id")[0]
    assert newest.tagged_items.filter(tag=fandom).exists()
    chapters = list(
        newest.chapters.annotate(comment_total=Count("comments")).order_by("position")
    )
    assert SHOWCASE_COMMENTS in [chapter.comment_total for chapter in chapters]
    for chapter in chapters:
        assert chapter.word_count == count_words(chapter.body) > 1000


def test_seeded_works_can_be_searched(seeded):
    newest = Work.objects.posted().order_by("-updated_at", "-id")[0]
    word = max(newest.title.split(), key=len)
    found = search.search_works(Work.objects.posted(), search.parse_query(word))
    assert newest in found


def test_the_archive_keeps_working_after_seeding(seeded):
    work = make_work(title="Written After The Seed", chapters=2)
    assert work.chapter_count == 2
    assert Tag.objects.get(kind=TagKind.FANDOM, name="Original Work").work_count == 1


def test_the_same_seed_builds_the_same_archive():
    seed(seed=11)
    first = snapshot()
    Work.objects.all().delete()
    Tag.objects.exclude(kind=TagKind.WARNING).delete()
    User.objects.all().delete()
    seed(seed=11)
    assert snapshot() == first
    Work.objects.all().delete()
    Tag.objects.exclude(kind=TagKind.WARNING).delete()
    User.objects.all().delete()
    seed(seed=12)
    assert snapshot() != first


def test_puts_back_a_missing_archive_warning():
    Tag.objects.get(kind=TagKind.WARNING, name="Underage Sex").delete()
    seed()
    assert set(
        Tag.objects.filter(kind=TagKind.WARNING).values_list("name", flat=True)
    ) == set(ARCHIVE_WARNINGS)


def test_refuses_an_archive_that_has_works():
    make_work()
    with pytest.raises(CommandError, match="already has works or tags"):
        seed()
    assert Work.objects.count() == 1


def test_refuses_to_seed_nothing():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_archive", works=0, verbosity=0)
    with pytest.raises(ValueError, match="at least one"):
        seed_archive(works=0)
