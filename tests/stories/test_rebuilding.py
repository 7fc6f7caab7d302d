"""dumpdata then loaddata into an empty database, then rebuild_derived: the
archive's pages and searches are as they were, with or without natural keys."""

import pytest
from django.core.management import call_command
from django.db import connection

from stories.caching import forget_everything
from stories.models import TaggedWork, Work
from tests.restoring import archive_build, archive_pages, empty_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "options",
    [
        # By ids, content types are left out: a new database numbers its own.
        ["--exclude=contenttypes", "--exclude=auth.permission"],
        ["--natural-foreign", "--natural-primary"],
    ],
    ids=["ids", "natural-keys"],
)
def test_loaddata_then_rebuild_derived_shows_the_archive_as_it_was(tmp_path, options):
    archive_build()
    before = archive_pages()
    assert before["search titles"] == ["Lanterns on the Canal"]
    assert before["tag by title titles"] == [
        "Apples in Eden",
        "Lanterns on the Canal",
        "Tea at the Bookshop",
    ]
    fixture = tmp_path / "archive.json"
    call_command("dumpdata", *options, output=str(fixture), verbosity=0)
    rows = (Work.objects.count(), TaggedWork.objects.count())

    with empty_database():
        call_command("migrate", verbosity=0)
        # Rows the migrations wrote (the archive warnings) come from the fixture.
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(fixture), verbosity=0)
        assert (Work.objects.count(), TaggedWork.objects.count()) == rows
        call_command("rebuild_derived", verbosity=0)
        after = archive_pages()

    assert after == before


def test_rebuild_derived_brings_back_search_entries_lost_with_the_rows():
    archive_build()
    before = archive_pages()
    # What loaddata leaves: rows without their search entries (and, on
    # PostgreSQL, works without the array of their tags).
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM stories_worksearch_fts")
        else:
            cursor.execute(
                "UPDATE stories_work SET search_document = NULL, filter_tag_ids = '{}'"
            )
    forget_everything()
    assert archive_pages()["search titles"] == []

    call_command("rebuild_derived", verbosity=0)

    assert archive_pages() == before
