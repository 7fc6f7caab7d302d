from django.db import migrations, models
from django.utils.text import slugify

# The fixed list at the time of this migration; later changes get their own.
CATEGORIES = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")


def create_categories(apps, schema_editor):
    Tag = apps.get_model("stories", "Tag")
    for name in CATEGORIES:
        if Tag.objects.filter(kind="category", name__iexact=name).exists():
            continue
        # Slugs are unique site-wide: a typed tag may already hold "gen".
        slug = slugify(name)
        if Tag.objects.filter(slug=slug).exists():
            slug = f"{slug}-category"
        Tag.objects.create(kind="category", name=name, slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0014_scheduled_posting"),
    ]

    operations = [
        migrations.AlterField(
            model_name="tag",
            name="kind",
            field=models.CharField(
                choices=[
                    ("fandom", "Fandom"),
                    ("character", "Character"),
                    ("relationship", "Relationship"),
                    ("freeform", "Additional Tags"),
                    ("warning", "Archive Warning"),
                    ("category", "Category"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(create_categories, migrations.RunPython.noop),
    ]
