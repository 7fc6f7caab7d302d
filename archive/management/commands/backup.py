"""Back up the configured database into var/backups/ (make backup)."""

from django.core.management.base import BaseCommand, CommandError

from archive.backups import BackupError, backup_make


class Command(BaseCommand):
    help = (
        "Back up the database: SQLite by its online backup API, PostgreSQL with "
        "pg_dump's custom format; safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="Where to write it (default var/backups/archive-<time>)."
        )

    def handle(self, *args, output=None, **options):
        try:
            path = backup_make(path=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the archive to {path}")
