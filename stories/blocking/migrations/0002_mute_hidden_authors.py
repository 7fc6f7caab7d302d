"""Hiding an author became muting them: every hidden author becomes a mute.

A reader who hid more authors than one may mute keeps the first MOST_BLOCKED
they hid. Going back copies the mutes into hidden authors again.
"""

from django.db import migrations

# As stories.blocking.models.MOST_BLOCKED when this was written.
MOST_BLOCKED = 2000
BATCH = 1000


def hidden_authors_to_mutes(apps, schema_editor):
    HiddenCreator = apps.get_model("stories", "HiddenCreator")
    Mute = apps.get_model("blocking", "Mute")
    kept = {}
    mutes = []
    hidden = HiddenCreator.objects.order_by("created_at", "id").values_list(
        "reader_id", "creator_id"
    )
    for reader_id, creator_id in hidden.iterator(chunk_size=BATCH):
        if reader_id == creator_id or kept.get(reader_id, 0) >= MOST_BLOCKED:
            continue
        kept[reader_id] = kept.get(reader_id, 0) + 1
        mutes.append(Mute(muter_id=reader_id, muted_id=creator_id))
    Mute.objects.bulk_create(mutes, batch_size=BATCH, ignore_conflicts=True)


def mutes_to_hidden_authors(apps, schema_editor):
    HiddenCreator = apps.get_model("stories", "HiddenCreator")
    Mute = apps.get_model("blocking", "Mute")
    HiddenCreator.objects.bulk_create(
        [
            HiddenCreator(reader_id=muter_id, creator_id=muted_id)
            for muter_id, muted_id in Mute.objects.values_list("muter_id", "muted_id")
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("blocking", "0001_initial"),
        ("stories", "0009_work_reader_counts"),
    ]

    operations = [
        migrations.RunPython(hidden_authors_to_mutes, mutes_to_hidden_authors),
    ]
