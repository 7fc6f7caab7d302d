"""Every account made before email verification was asked for counts as
confirmed: they were there before the rule."""

from django.db import migrations


def mark_verified(apps, schema_editor):
    apps.get_model("archive", "User").objects.update(email_verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0003_user_email_verified"),
    ]

    operations = [
        migrations.RunPython(mark_verified, migrations.RunPython.noop, elidable=True),
    ]
