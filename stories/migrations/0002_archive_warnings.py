from django.db import migrations
from django.utils.text import slugify

# The fixed list at the time of this migration; later changes get their own.
WARNINGS = (
    "Choose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage Sex",
)


def create_warnings(apps, schema_editor):
    Tag = apps.get_model("stories", "Tag")
    for name in WARNINGS:
        Tag.objects.get_or_create(
            kind="warning", name=name, defaults={"slug": slugify(name)}
        )


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]

    operations = [migrations.RunPython(create_warnings, migrations.RunPython.noop)]
