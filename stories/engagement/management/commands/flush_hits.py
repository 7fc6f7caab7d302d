from django.core.management.base import BaseCommand
from django.utils import timezone

from stories.engagement.services import hits_flush


class Command(BaseCommand):
    help = (
        "Write the hits counted in the cache to their works, as the background "
        "job does every minute; --now takes the current minute too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="take the current minute too (when no page is being read)",
        )

    def handle(self, *args, now=False, **options):
        added = hits_flush(until=timezone.now() if now else None)
        self.stdout.write(f"{added} hits written.")
