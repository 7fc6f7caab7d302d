"""Restore a backup into an empty database, then rebuild what is derived."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from archive.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into the configured database, which "
        "must be empty (or --replace), then migrate and rebuild the search "
        "entries, tag arrays, counts and cache."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup made by `manage.py backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that is not empty.",
        )

    def handle(self, *args, file, replace, **options):
        try:
            backup_restore(path=file, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file}")
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        call_command(
            "rebuild_derived", verbosity=options["verbosity"], stdout=self.stdout
        )
