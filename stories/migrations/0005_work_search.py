"""Add the full-text search index of works, in the form each database needs.

PostgreSQL: a tsvector column on stories_work with a GIN index (fastupdate off:
SCALE-NOTES saw its pending list slow queries fivefold). It sits on the work's
own row rather than in a table of its own so that it goes with the row, and so
that no foreign key the models do not know about stops the test suite's
TRUNCATE of stories_work. SQLite: an FTS5 table keyed by the work's id.

The backfill reads the works through this migration's historical models and
hands them to stories.search, so that a backfilled document is exactly what
work_index writes and what queries expect: two copies of the folding and
weighting could drift apart and silently lose works from search.
"""

from django.conf import settings
from django.db import migrations

BATCH_SIZE = 500


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE stories_work ADD COLUMN search_document tsvector"
        )
        schema_editor.execute(
            "CREATE INDEX stories_work_search_document ON stories_work "
            "USING gin (search_document) WITH (fastupdate = off)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE stories_worksearch_fts "
            "USING fts5(title, people, tags, text, tokenize = 'ascii')"
        )


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX stories_work_search_document")
        schema_editor.execute("ALTER TABLE stories_work DROP COLUMN search_document")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE stories_worksearch_fts")


def index_posted_works(apps, schema_editor):
    from stories.search import documents_for, documents_write

    Work = apps.get_model("stories", "Work")
    TaggedWork = apps.get_model("stories", "TaggedWork")
    work_ids = list(
        Work.objects.filter(status="posted").order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(work_ids), BATCH_SIZE):
        batch = work_ids[start : start + BATCH_SIZE]
        documents_write(
            connection=schema_editor.connection,
            work_ids=batch,
            documents=documents_for(
                works=Work.objects, taggings=TaggedWork.objects, work_ids=batch
            ),
        )


class Migration(migrations.Migration):

    dependencies = [
        ("stories", "0004_tag_trigram"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(index_posted_works, migrations.RunPython.noop),
    ]
