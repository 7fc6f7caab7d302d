"""Bookmarks made, changed and deleted at once keep their work's count exact."""

import pytest

from stories.bookmarks import services
from stories.bookmarks.models import Bookmark
from stories.models import Work
from tests.factories import UserFactory, make_work
from tests.stories.test_concurrency import EACH, THREADS, run_at_once


@pytest.mark.django_db(transaction=True)
def test_bookmarks_made_and_toggled_at_once_are_counted_exactly():
    work = make_work(owner=UserFactory(username="quillfeather"))
    readers = [[UserFactory() for _ in range(EACH)] for _ in range(THREADS)]

    def bookmark_then_toggle(thread, i):
        bookmark = services.bookmark_create(
            owner=readers[thread][i], work=Work.objects.get(pk=work.pk)
        )
        if i % 2:
            services.bookmark_update(
                bookmark=bookmark,
                notes="",
                tag_names=[],
                is_private=True,
                is_rec=False,
                folder=None,
            )
        if i % 3 == 0:
            services.bookmark_delete(bookmark=bookmark)

    run_at_once(bookmark_then_toggle)

    public = Bookmark.objects.filter(work=work, is_private=False).count()
    assert Work.objects.get(pk=work.pk).bookmark_count == public
    assert public == THREADS * sum(1 for i in range(EACH) if not i % 2 and i % 3)


@pytest.mark.django_db(transaction=True)
def test_one_reader_bookmarking_a_work_many_times_at_once_gets_one_bookmark():
    work = make_work(owner=UserFactory(username="quillfeather"))
    reader = UserFactory(username="pageturner")
    refused = []

    def bookmark(thread, i):
        try:
            services.bookmark_create(owner=reader, work=Work.objects.get(pk=work.pk))
        except services.BookmarkRefused:
            refused.append((thread, i))

    run_at_once(bookmark)

    assert Bookmark.objects.filter(owner=reader, work=work).count() == 1
    assert len(refused) == THREADS * EACH - 1
    assert Work.objects.get(pk=work.pk).bookmark_count == 1
