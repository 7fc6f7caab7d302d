import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from archive.models import User
from stories.models import (
    ARCHIVE_CATEGORIES,
    ARCHIVE_WARNINGS,
    Chapter,
    Comment,
    Rating,
    Status,
    Tag,
    TaggedWork,
    TagKind,
    Work,
)
from stories.series.models import Series
from stories.subscriptions.models import Notification
from tests.factories import make_work

pytestmark = pytest.mark.django_db

LOG_IN_RE = re.compile(
    r'^(?P<label>[^:]+): username "(?P<username>[^"]+)", '
    r'password "(?P<password>[^"]+)"$',
    re.MULTILINE,
)


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(django_capture_on_commit_callbacks):
    # The jobs that tell followers run once the demo is committed.
    with django_capture_on_commit_callbacks(execute=True):
        return load_demo()


def log_ins(output):
    return {match["label"]: match for match in LOG_IN_RE.finditer(output)}


def test_demo_has_posted_and_draft_works_across_fandoms(demo_output):
    assert Work.objects.count() >= 8
    assert Work.objects.filter(status=Status.POSTED).exists()
    assert Work.objects.filter(status=Status.DRAFT).exists()
    fandoms = Tag.objects.filter(kind=TagKind.FANDOM)
    assert fandoms.filter(work_count__gt=0).count() >= 3


def test_demo_has_complete_and_in_progress_multi_chapter_works(demo_output):
    multi_chapter = Work.objects.filter(chapter_count__gte=3)
    assert multi_chapter.filter(is_complete=True).exists()
    assert multi_chapter.filter(is_complete=False).exists()
    posted = Work.objects.filter(status=Status.POSTED)
    assert posted.filter(expected_chapters__isnull=True).exists()


def test_demo_uses_every_tag_kind(demo_output):
    used = set(TaggedWork.objects.values_list("tag__kind", flat=True))
    assert used == set(TagKind.values)
    relationships = Tag.objects.filter(kind=TagKind.RELATIONSHIP)
    assert relationships.filter(name__contains="/").exists()
    assert relationships.filter(name__contains=" & ").exists()


def test_demo_warnings_come_from_the_archive_list(demo_output):
    warnings = Tag.objects.filter(kind=TagKind.WARNING).values_list("name", flat=True)
    assert set(warnings) <= set(ARCHIVE_WARNINGS)


def test_every_demo_work_has_a_category_from_the_archive_list(demo_output):
    for work in Work.objects.all():
        names = {tag.name for tag in work.tags_by_kind[TagKind.CATEGORY]}
        assert names, work.title
        assert names <= set(ARCHIVE_CATEGORIES)


def test_demo_rates_works_at_every_rating(demo_output):
    ratings = set(Work.objects.values_list("rating", flat=True))
    assert ratings == set(Rating.values)


def test_demo_draft_is_hidden_from_guests(demo_output):
    draft = Work.objects.get(status=Status.DRAFT)
    assert draft.published_at is None
    assert not Work.objects.visible_to(AnonymousUser()).filter(pk=draft.pk).exists()


def test_demo_archives_a_work_on_someones_behalf(demo_output):
    archived = [work for work in Work.objects.all() if work.is_archived_for_someone]
    assert len(archived) == 1
    assert archived[0].creator_credit != archived[0].owner.username


def test_demo_has_a_guest_comment_on_a_work_open_to_guests(demo_output):
    guest_comment = Comment.objects.get(user=None)
    assert guest_comment.guest_name
    assert guest_comment.guest_email.endswith("@example.org")
    assert guest_comment.work.allow_guest_comments


def test_demo_has_threaded_replies_by_the_works_author(demo_output):
    replies = Comment.objects.filter(parent__isnull=False).select_related("work")
    assert replies.filter(parent__parent__isnull=False).exists()
    assert any(reply.user_id == reply.work.owner_id for reply in replies)


def test_demo_comments_follow_their_chapters(demo_output):
    for comment in Comment.objects.select_related("chapter", "parent"):
        assert comment.created_at > comment.chapter.created_at
        if comment.parent:
            assert comment.created_at > comment.parent.created_at


def test_demo_comment_counts_match_stored_comments(demo_output):
    assert Comment.objects.count() > 0
    for work in Work.objects.all():
        assert work.comment_count == work.comments.count()


def test_demo_word_counts_are_the_sum_of_chapters(demo_output):
    for work in Work.objects.all():
        words = work.chapters.aggregate(words=Sum("word_count"))["words"]
        assert words > 0
        assert work.word_count == words
        assert work.chapter_count == work.chapters.count()


def test_demo_chapters_have_paragraphs_a_scene_break_and_emphasis(demo_output):
    bodies = list(Chapter.objects.values_list("body", flat=True))
    assert all(body.startswith("<p>") for body in bodies)
    assert any("<hr>" in body for body in bodies)
    assert any("<em>" in body for body in bodies)


def test_demo_spreads_updated_dates_over_past_months(demo_output):
    updated = list(Work.objects.values_list("updated_at", flat=True))
    assert len(set(updated)) == len(updated)
    assert max(updated) < timezone.now()
    assert max(updated) - min(updated) > timedelta(days=90)


def test_second_run_creates_nothing(demo_output):
    counts = (User.objects.count(), Work.objects.count(), Comment.objects.count())

    output = load_demo()

    assert "already loaded" in output
    assert counts == (
        User.objects.count(),
        Work.objects.count(),
        Comment.objects.count(),
    )


def test_demo_is_not_loaded_into_an_archive_with_works():
    make_work()

    output = load_demo()

    assert "not loaded" in output
    assert Work.objects.count() == 1
    assert not User.objects.filter(username="demo_author").exists()


def test_output_has_a_line_per_work_and_the_log_ins(demo_output):
    for title in Work.objects.values_list("title", flat=True):
        assert f'"{title}"' in demo_output
    assert {"Demo author", "Staff", "Reader"} <= set(log_ins(demo_output))


def test_demo_staff_is_a_superuser(demo_output):
    staff = User.objects.get(username=log_ins(demo_output)["Staff"]["username"])
    assert staff.is_staff
    assert staff.is_superuser


@pytest.mark.parametrize("label", ["Demo author", "Staff", "Reader"])
def test_printed_log_ins_work(client, demo_output, label):
    log_in = log_ins(demo_output)[label]
    assert User.objects.get(username=log_in["username"]).email.endswith("@example.org")
    response = client.post(
        reverse("login"),
        {"username": log_in["username"], "password": log_in["password"]},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.parametrize("url_name", ["stories:home", "stories:work_list"])
def test_listings_show_demo_works(client, demo_output, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert "A Key for Every Lock" in response.content.decode()
    assert "Untitled Treasury Heist" not in response.content.decode()


def test_demo_chapter_page_renders_with_comments(client, demo_output):
    chapter = Chapter.objects.get(title="Perseids")

    response = client.get(chapter.get_absolute_url())

    assert response.status_code == 200
    assert "Wandering Comet" in response.content.decode()


# The reader loop: what a newcomer logging in as the demo reader finds.


@pytest.fixture
def reader_client(client, demo_output):
    client.force_login(User.objects.get(username="inkwell"))
    return client


def test_demo_work_shows_kudos_names_and_guests(client, demo_output):
    work = Work.objects.get(title="The Observatory Keeps Late Hours")
    page = re.sub(r"\s+", " ", client.get(work.get_absolute_url()).content.decode())
    assert work.kudos_count == 7
    assert "tea_before_canon" in page and "moth_and_lamp" in page
    assert "4 guests" in page


def test_demo_reader_has_bookmarks_in_folders(reader_client):
    page = reader_client.get(reverse("bookmarks:user_bookmarks", args=["inkwell"]))
    text = page.content.decode()
    assert "Comfort reads" in text and "Saving for a rainy day" in text
    assert "rooftop" in text
    assert "Waiting for it to finish" in text  # their private one, to them


def test_demo_series_lists_its_parts_in_order(client, demo_output):
    series = Series.objects.get(title="Penmarrow Weather")
    text = client.get(series.get_absolute_url()).content.decode()
    assert text.index("Low Tide at Penmarrow") < text.index("Foghorn")


def test_demo_reader_has_subscriptions_and_an_inbox_with_news(reader_client):
    subscriptions = reader_client.get(
        reverse("subscriptions:subscription_list", args=["inkwell"])
    ).content.decode()
    assert "demo_author" in subscriptions and "Penmarrow Weather" in subscriptions
    inbox = reader_client.get(reverse("subscriptions:inbox", args=["inkwell"]))
    assert inbox.status_code == 200
    reader = User.objects.get(username="inkwell")
    assert Notification.objects.filter(user=reader, read_at=None).count() >= 3
    assert "unread" in inbox.content.decode()


def test_demo_reader_is_told_where_they_stopped(reader_client):
    work = Work.objects.get(title="The Observatory Keeps Late Hours")
    text = re.sub(
        r"\s+", " ", reader_client.get(work.get_absolute_url()).content.decode()
    )
    assert "You last read" in text
    assert "new chapter" in text
