"""Rebuilding what the archive derives from its rows, after they were loaded.

`loaddata` and a restored backup bring back every row, but not always what is
kept beside them: the search entries (SQLite's FTS5 table is not a model, and
neither is PostgreSQL's tsvector column), PostgreSQL's arrays of the tags each
work is listed under (kept by triggers that fire in the order the fixture
loads, taggings before their works), the tags' counts of posted works, and the
cache, whose versions know nothing of a database put back in time. One
function rebuilds them all, from the rows alone, in batches.
"""

from django.db import connections, router, transaction

from stories.caching import forget_everything
from stories.models import Creatorship, Tag, TaggedWork, Work
from stories.search import FTS_TABLE, documents_for, documents_write

BATCH_SIZE = 500

FILTER_TAG_IDS = """
UPDATE stories_work AS work
SET filter_tag_ids = coalesce(
    (
        SELECT array_agg(tagging.filter_tag_id ORDER BY tagging.filter_tag_id)
        FROM stories_taggedwork AS tagging
        WHERE tagging.content_object_id = work.id
          AND tagging.filter_tag_id IS NOT NULL
    ),
    '{}'
)
WHERE work.id BETWEEN %s AND %s
"""


def _batches(ids):
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


def derived_rebuild() -> dict[str, int]:
    """Rebuild the search entries, tag arrays and tag counts; empty the cache.

    Returns how many works and tags were rebuilt. Each batch is its own
    transaction, so a large archive is rebuilt without one long lock. What it
    changed is everything, so it empties the cache once at the end rather
    than bumping scopes batch by batch as works_index and tags_refresh_counts
    would (with the file cache of make run that took half the time).
    """
    connection = connections[router.db_for_write(Work)]
    work_ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))
    tag_ids = list(Tag.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Entries of works that are no longer there (or never were here).
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} "
                "WHERE rowid NOT IN (SELECT id FROM stories_work)"
            )
    for batch in _batches(work_ids):
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(FILTER_TAG_IDS, [batch[0], batch[-1]])
            documents_write(
                connection=connection,
                work_ids=batch,
                documents=documents_for(
                    works=Work.objects,
                    taggings=TaggedWork.objects,
                    creatorships=Creatorship.objects,
                    work_ids=batch,
                ),
            )
    for batch in _batches(tag_ids):
        Tag.objects.filter(pk__in=batch).recount()
    # The versions in the cache name pages of the database as it was before.
    forget_everything()
    return {"works": len(work_ids), "tags": len(tag_ids)}
