"""Fill an empty archive with a realistic synthetic one, for benchmarks."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from stories import seeding


class Command(BaseCommand):
    help = (
        "Fill an empty archive with N synthetic works, their chapters, tags, "
        "comments and authors; the same --seed builds the same archive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--works", type=int, required=True, help="How many works to write."
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="The random seed (default 0)."
        )

    def handle(self, *args, works, seed, verbosity, **options):
        if works < 1:
            raise CommandError("--works must be at least 1.")
        started = time.monotonic()
        with tqdm(
            total=works,
            unit="works",
            file=sys.stderr,
            disable=verbosity < 1,
            mininterval=1,
        ) as bar:
            try:
                report = seeding.seed_archive(
                    works=works,
                    seed=seed,
                    progress=bar.update,
                    log=self.write_between_updates if verbosity > 0 else None,
                )
            except seeding.ArchiveNotEmptyError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            f"Seeded {report.works:,} works, {report.chapters:,} chapters, "
            f"{report.comments:,} comments, {report.taggings:,} taggings, "
            f"{report.tags:,} tags and {report.users:,} users "
            f"in {time.monotonic() - started:.1f} s."
        )

    def write_between_updates(self, message: str) -> None:
        """Write a line to stdout without breaking the progress bar on stderr."""
        with tqdm.external_write_mode(file=sys.stderr):
            self.stdout.write(message)
