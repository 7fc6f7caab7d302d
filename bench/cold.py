"""Time each page as a repeat view, as the first request after a write, and with
every cache empty.

`make bench-cold` runs this against an archive `make bench` has seeded (the same
BENCH_WORKS and DATABASE_URL). wrk in `make bench` repeats one address, so
after its first request a page comes from its cached parts. Here each page is
timed three times over: as a repeat view (cached); as the first request after a
write to a work the page does not show (a comment posted through the services on
a work neither linked from the page nor listed under its tag, which should leave
the page cached); and as the first request with every cache empty (after a
restart, or a write to every work shown). Besides the pages of `make bench`, it
opens the pages of BENCH_COLD_TAGS (30) tags drawn at random, each plain and with
the busiest other tag of its works excluded. It prints the median and the 95th
percentile in ms of each, and the queries of the last request with the caches
empty.

Requests go through Django's test client in this process: no HTTP server, so
the figures are the application's and the database's time alone.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import django

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "archive.settings.bench"
ROUNDS = 5


def main() -> int:
    works = int(os.environ.get("BENCH_WORKS", "10000"))
    tags = int(os.environ.get("BENCH_COLD_TAGS", "30"))
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{ROOT / 'var' / f'bench-{works}.sqlite3'}"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.db import connection
    from django.test import Client

    from bench.run import find_pages
    from stories.models import Work

    if not Work.objects.exists():
        sys.stderr.write("The archive is empty: `make bench` seeds it first.\n")
        return 1
    client = Client(HTTP_HOST="127.0.0.1")
    plain, excluding = random_tag_pages(tags)
    rows = [(page.name, [page.path] * ROUNDS) for page in find_pages()[1:]]
    rows += [("random tags", plain), ("random tags, one excluded", excluding)]
    results = []
    for name, paths in rows:
        cached, _ = time_cold(client, paths, before="nothing")
        after_write, _ = time_cold(client, paths, before="write")
        empty, queries = time_cold(client, paths, before="empty")
        results.append((name, cached, after_write, empty, queries))
    print_table(connection.vendor, Work.objects.count(), results)
    return 0


def time_cold(client, paths: list[str], *, before: str) -> tuple[list[float], int]:
    """Return each path's time in ms, and the last one's queries: shown once
    before, then shown again with nothing in between, or after a write to a
    work it does not show, or with every cache emptied."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stories.caching import forget_everything

    timings = []
    for path in paths:
        if before == "empty":
            forget_everything()
        else:
            content = client.get(path).content.decode()
            if before == "write":
                write_elsewhere(path, content)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return timings, len(queries)


def write_elsewhere(path: str, content: str) -> None:
    """Post a comment on a work the page at path, showing content, does not show."""
    from bench.writes import COMMENT_BODY, choose_targets, writer_account
    from stories.models import Chapter
    from stories.services import comment_post

    targets = choose_targets([path], [content], 1)
    comment_post(
        chapter=Chapter.objects.get(pk=targets[0].chapter_ids[0]),
        user=writer_account(),
        body=COMMENT_BODY,
    )


def random_tag_pages(count: int) -> tuple[list[str], list[str]]:
    """Return the pages of tags drawn at random, plain and with an exclusion."""
    from django.db.models import Count

    from stories.models import Tag, TaggedWork, TagKind

    candidates = list(
        Tag.objects.filter(
            kind__in=[TagKind.FANDOM, TagKind.CHARACTER, TagKind.RELATIONSHIP],
            merger__isnull=True,
            work_count__gt=0,
        ).values_list("pk", flat=True)
    )
    chosen = random.Random(1).sample(candidates, min(count, len(candidates)))
    plain, excluding = [], []
    for tag in Tag.objects.filter(pk__in=chosen):
        busiest = (
            TaggedWork.objects.filter(
                content_object__tagged_items__filter_tag=tag,
                filter_tag__kind=TagKind.FREEFORM,
            )
            .values("filter_tag__name")
            .annotate(works=Count("pk"))
            .order_by("-works")
            .first()
        )
        plain.append(tag.get_absolute_url())
        if busiest:
            query = urlencode({"exclude": busiest["filter_tag__name"]})
            excluding.append(f"{tag.get_absolute_url()}?{query}")
    return plain, excluding


def print_table(database: str, works: int, rows) -> None:
    out = sys.stdout
    out.write(
        f"\n{database}, {works:,} works, ms: a repeat view (cached), the first"
        " view after a write to a work the page does not show, and the first"
        " with every cache empty\n\n"
    )
    width = max(len(name) for name, *_ in rows)
    header = (
        "requests", "cached p50", "cached p95", "write p50", "write p95",
        "empty p50", "empty p95", "queries",
    )  # fmt: skip
    out.write(f"{'page':<{width}}  " + "  ".join(f"{h:>10}" for h in header) + "\n")
    for name, cached, after_write, empty, queries in rows:
        figures = [*_median_p95(cached), *_median_p95(after_write), *_median_p95(empty)]
        out.write(
            f"{name:<{width}}  {len(after_write):>10}  "
            + "  ".join(f"{figure:>10.1f}" for figure in figures)
            + f"  {queries:>10}\n"
        )


def _median_p95(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(timings), p95


if __name__ == "__main__":
    sys.exit(main())
