"""Writes that many people make at once to one work are all kept, and its counts
stay exact."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from stories import services
from stories.models import Chapter, Comment, Work
from tests.factories import UserFactory, make_work

THREADS = 8
EACH = 5


def run_at_once(write):
    """Run write(thread, i) EACH times in each of THREADS threads."""

    def worker(thread):
        try:
            for i in range(EACH):
                write(thread, i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(worker, range(THREADS)))


@pytest.mark.django_db(transaction=True)
def test_chapters_posted_at_once_to_one_work_are_all_kept_with_unique_numbers():
    work = make_work(owner=UserFactory(username="quillfeather"))

    def post_chapter(thread, i):
        services.chapter_create(
            work=Work.objects.get(pk=work.pk),
            text=services.ChapterText(body=f"<p>Chapter {thread}.{i}</p>"),
        )

    run_at_once(post_chapter)

    total = 1 + THREADS * EACH
    chapters = Chapter.objects.filter(work=work)
    assert sorted(chapters.values_list("number", flat=True)) == list(
        range(1, total + 1)
    )
    assert sorted(chapters.values_list("position", flat=True)) == list(
        range(1, total + 1)
    )
    assert Work.objects.get(pk=work.pk).chapter_count == total


@pytest.mark.django_db(transaction=True)
def test_comments_posted_at_once_to_one_work_are_all_counted():
    work = make_work(owner=UserFactory(username="quillfeather"), chapters=2)
    reader = UserFactory(username="pageturner")
    chapters = list(Chapter.objects.filter(work=work))

    def post_comment(thread, i):
        services.comment_post(
            chapter=chapters[thread % 2], body=f"Comment {thread}.{i}", user=reader
        )

    run_at_once(post_comment)

    assert Comment.objects.filter(work=work).count() == THREADS * EACH
    assert Work.objects.get(pk=work.pk).comment_count == THREADS * EACH


CLIENTS = 50
COMMENTS_EACH = 20


@pytest.mark.django_db(transaction=True)
def test_a_thousand_comments_from_fifty_readers_at_once_are_all_kept():
    """1,000 comments and replies from 50 readers, each on its own connection,
    to the two chapters of one work: every one saved, every count exact."""
    work = make_work(owner=UserFactory(username="quillfeather"), chapters=2)
    chapters = list(Chapter.objects.filter(work=work).order_by("position"))
    readers = [UserFactory(username=f"reader{n}") for n in range(CLIENTS)]
    opening = services.comment_post(chapter=chapters[0], body="First!", user=readers[0])

    def post_comments(client):
        try:
            for i in range(COMMENTS_EACH):
                services.comment_post(
                    chapter=chapters[(client + i) % 2],
                    body=f"Comment {client}.{i}",
                    user=readers[client],
                    parent=opening if i % 5 == 0 and (client + i) % 2 == 0 else None,
                )
        finally:
            connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(post_comments, range(CLIENTS)))
    print(f"{CLIENTS * COMMENTS_EACH} comments in {time.monotonic() - started:.1f} s")

    total = 1 + CLIENTS * COMMENTS_EACH
    comments = Comment.objects.filter(work=work)
    assert comments.count() == total
    bodies = set(comments.values_list("body", flat=True))
    assert len(bodies) == total
    assert Work.objects.get(pk=work.pk).comment_count == total
    assert comments.filter(parent=opening).count() == CLIENTS * COMMENTS_EACH // 10


@pytest.mark.django_db(transaction=True)
def test_two_hundred_chapters_from_fifty_clients_at_once_are_all_kept():
    """200 chapters posted to one work by 50 clients at once, each on its own
    connection: numbers and positions 1 to 201 with none lost or repeated."""
    work = make_work(owner=UserFactory(username="quillfeather"))

    def post_chapters(client):
        try:
            for i in range(4):
                services.chapter_create(
                    work=Work.objects.get(pk=work.pk),
                    text=services.ChapterText(body=f"<p>Chapter {client}.{i}</p>"),
                )
        finally:
            connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(post_chapters, range(CLIENTS)))
    print(f"200 chapters in {time.monotonic() - started:.1f} s")

    chapters = Chapter.objects.filter(work=work)
    assert sorted(chapters.values_list("number", flat=True)) == list(range(1, 202))
    assert sorted(chapters.values_list("position", flat=True)) == list(range(1, 202))
    assert Work.objects.get(pk=work.pk).chapter_count == 201
