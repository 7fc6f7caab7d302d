"""Rebuild what the archive derives from its rows: after loaddata or a restore."""

from django.core.management.base import BaseCommand

from stories.rebuilding import derived_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search entries, PostgreSQL's tag arrays and the tags' counts "
        "from the rows, and empty the cache: run it after loaddata or a restore."
    )

    def handle(self, *args, **options):
        rebuilt = derived_rebuild()
        self.stdout.write(
            f"Rebuilt the search entries of {rebuilt['works']} works and the counts "
            f"of {rebuilt['tags']} tags; emptied the cache."
        )
