from django.core.management.base import BaseCommand

from stories.subscriptions.tasks import digests_send


class Command(BaseCommand):
    help = "Send the daily digest email now to every reader with notifications waiting."

    def handle(self, *args, **options):
        sent = digests_send()
        self.stdout.write(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
