"""Index tag names by trigrams for autocomplete, on PostgreSQL only.

The index is on UPPER(name), the expression Django's icontains compares, so
one GIN index serves both the substring match and trigram word similarity.
fastupdate is off because a long GIN pending list slows reads (SCALE-NOTES).
"""

from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS stories_tag_name_trgm ON stories_tag "
        "USING gin (UPPER(name) gin_trgm_ops) WITH (fastupdate = off)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS stories_tag_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0003_tag_wrangling_postings_exclusions"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
