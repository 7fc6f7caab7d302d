"""Time building each download of a long work and of the demo's longest work.

`python bench/downloads.py` migrates a throw-away SQLite archive in a
temporary folder, loads the demo, writes a synthetic work of
BENCH_DOWNLOAD_CHAPTERS chapters (10) of BENCH_DOWNLOAD_WORDS words in all
(50,000), and prints, for each work and format, the time to build the file
(median of BENCH_DOWNLOAD_ROUNDS, 3) and its size. Building is what the
first download of a version of a work waits for; later ones send the kept file.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    chapters = int(os.environ.get("BENCH_DOWNLOAD_CHAPTERS", "10"))
    words = int(os.environ.get("BENCH_DOWNLOAD_WORDS", "50000"))
    rounds = int(os.environ.get("BENCH_DOWNLOAD_ROUNDS", "3"))
    folder = tempfile.mkdtemp(prefix="bench-downloads-")
    os.environ["ARCHIVE_VAR_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/archive.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings.local"
    os.environ.setdefault("ARCHIVE_HUEY_URL", "")
    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)

    from stories.downloads.books import book_of
    from stories.downloads.formats import BUILDERS
    from stories.models import Work

    long_work = synthetic_work(chapters=chapters, words=words)
    demo_work = (
        Work.objects.posted().exclude(pk=long_work.pk).order_by("-word_count").first()
    )
    print(f"{'work':<52} {'format':<6} {'build ms':>9} {'size KB':>9}")
    for work in (long_work, demo_work):
        name = (
            f"{work.title[:28]} ({work.word_count:,} words, {work.chapter_count} ch.)"
        )
        for ext, build in BUILDERS.items():
            times, size = [], 0
            for _ in range(rounds):
                started = time.perf_counter()
                # Reading the work is part of a build: a fresh book each time.
                size = len(build(book_of(work.pk)))
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"{name:<52} {ext:<6} {statistics.median(times):>9.0f} "
                f"{size / 1024:>9.0f}"
            )
    print_kept(long_work)
    return 0


def print_kept(work):
    """Print the time to send a kept download, as a guest's repeat request."""
    from django.test import Client

    from stories.downloads.addresses import download_url

    client = Client(HTTP_HOST="127.0.0.1")
    for ext in ("epub", "pdf"):
        address = download_url(work, ext)
        b"".join(client.get(address).streaming_content)
        times = []
        for _ in range(20):
            started = time.perf_counter()
            b"".join(client.get(address).streaming_content)
            times.append((time.perf_counter() - started) * 1000)
        print(f"kept {ext}, sent again: median {statistics.median(times):.1f} ms")


def synthetic_work(*, chapters, words):
    from stories import services
    from stories.models import Rating, TagKind
    from stories.synthetic_text import chapter_html
    from tests.factories import UserFactory

    rng = random.Random(9)
    owner = UserFactory(username="benchwriter")
    per_chapter = words // chapters
    work = services.work_create(
        owner=owner,
        title="A Long Night on the Canal",
        first_chapter=services.ChapterText(
            body=chapter_html(rng, per_chapter), title="One"
        ),
        rating=Rating.GENERAL,
        warnings=["No Archive Warnings Apply"],
        tags={TagKind.FANDOM: ["Original Work"], TagKind.FREEFORM: ["Long"]},
        summary="<p>A long work for the benchmark.</p>",
    )
    for number in range(2, chapters + 1):
        services.chapter_create(
            work=work,
            text=services.ChapterText(
                body=chapter_html(rng, per_chapter), title=f"Part {number}"
            ),
        )
    work.refresh_from_db()
    return work


if __name__ == "__main__":
    sys.exit(main())
