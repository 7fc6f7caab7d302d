"""On PostgreSQL, every work's filter tags as an array on its own row.

stories_work.filter_tag_ids holds the ids of the tags a work is listed under
(TaggedWork.filter_tag), with a GIN index, so that "all of these tags and none
of those" is one index lookup (SCALE-NOTES, design B) rather than a check per
candidate work. Triggers on stories_taggedwork keep it current whatever writes
the taggings (services, wrangling, bulk COPY in seed_archive): after each
statement the works it touched get their array again. The column is not in the
models (Django never writes it); SQLite has none and filters relationally.
"""

from django.db import migrations

REFRESH_FUNCTION = """
CREATE FUNCTION stories_work_refresh_filter_tag_ids() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
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
    WHERE work.id IN (SELECT DISTINCT content_object_id FROM changed_taggings);
    RETURN NULL;
END
$$
"""

TRIGGERS = {
    "insert": "INSERT",
    "update": "UPDATE",
    "delete": "DELETE",
}

BACKFILL = """
UPDATE stories_work AS work
SET filter_tag_ids = filed.ids
FROM (
    SELECT content_object_id, array_agg(filter_tag_id ORDER BY filter_tag_id) AS ids
    FROM stories_taggedwork
    WHERE filter_tag_id IS NOT NULL
    GROUP BY content_object_id
) AS filed
WHERE filed.content_object_id = work.id
"""


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE stories_work "
        "ADD COLUMN filter_tag_ids integer[] NOT NULL DEFAULT '{}'"
    )
    schema_editor.execute(REFRESH_FUNCTION)
    for name, event in TRIGGERS.items():
        rows = "OLD TABLE" if event == "DELETE" else "NEW TABLE"
        schema_editor.execute(
            f"CREATE TRIGGER stories_taggedwork_{name}_refiles_work "
            f"AFTER {event} ON stories_taggedwork "
            f"REFERENCING {rows} AS changed_taggings "
            "FOR EACH STATEMENT "
            "EXECUTE FUNCTION stories_work_refresh_filter_tag_ids()"
        )
    schema_editor.execute(BACKFILL)
    # fastupdate off: SCALE-NOTES saw GIN's pending list slow queries fivefold.
    schema_editor.execute(
        "CREATE INDEX stories_work_filter_tag_ids ON stories_work "
        "USING gin (filter_tag_ids) WITH (fastupdate = off)"
    )
    schema_editor.execute(
        "ALTER TABLE stories_work ALTER COLUMN filter_tag_ids SET STATISTICS 1000"
    )


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGGERS:
        schema_editor.execute(
            f"DROP TRIGGER stories_taggedwork_{name}_refiles_work ON stories_taggedwork"
        )
    schema_editor.execute("DROP FUNCTION stories_work_refresh_filter_tag_ids()")
    schema_editor.execute("ALTER TABLE stories_work DROP COLUMN filter_tag_ids")


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0007_tag_name_lookup_index"),
    ]

    operations = [
        migrations.RunPython(add_column, drop_column),
    ]
