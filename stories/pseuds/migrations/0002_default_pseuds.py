"""Every account has a default pseud named after it, and every work credits
its creators' default pseuds."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 2000


def default_pseuds(apps, schema_editor):
    User = apps.get_model("archive", "User")
    Pseud = apps.get_model("pseuds", "Pseud")
    Creatorship = apps.get_model("stories", "Creatorship")
    users = User.objects.exclude(pseuds__is_default=True).values_list(
        "pk", "username"
    )
    batch = []
    for pk, username in users.iterator(chunk_size=BATCH):
        batch.append(Pseud(user_id=pk, name=username, is_default=True))
        if len(batch) >= BATCH:
            Pseud.objects.bulk_create(batch)
            batch = []
    Pseud.objects.bulk_create(batch)
    Creatorship.objects.filter(pseud=None, status="accepted").update(
        pseud=Subquery(
            Pseud.objects.filter(user=OuterRef("user"), is_default=True).values("pk")[
                :1
            ]
        )
    )


def no_pseuds(apps, schema_editor):
    Creatorship = apps.get_model("stories", "Creatorship")
    Creatorship.objects.update(pseud=None)


class Migration(migrations.Migration):
    dependencies = [
        ("pseuds", "0001_initial"),
        ("stories", "0016_creatorship_pseud"),
        ("archive", "0005_user_view_adult"),
    ]

    operations = [migrations.RunPython(default_pseuds, no_pseuds)]
