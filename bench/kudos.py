"""Kudos and hits under load: how many a second, and what they cost the readers.

`make bench-kudos` runs this with make bench's settings (BENCH_WORKS,
BENCH_SECONDS, BENCH_CONNECTIONS, DATABASE_URL, ARCHIVE_CACHE_URL; see
bench/run.py, whose seeding, throw-away Redis, gunicorn and wrk it uses), and
BENCH_KUDOS_PER_SECOND (10) and BENCH_HITS_PER_SECOND (100) for the last part.
All of it goes to works that none of the reading pages loaded shows (as
bench-writes chooses them), through the site's addresses:

1. Kudos: wrk posts to the kudos address of those works, each request a new
   guest (a user agent of its own), with a form token in its cookie and
   header as a browser's form sends them. Then every work's kudos count must
   agree with its kudos.
2. Hits: wrk loads those works' first chapters (guests, served whole from
   the cache), each request a new visitor of its work, with a few hundred
   browsers' user agents as real readers have (the crawler check remembers
   them); then with a user agent never seen at each request (the crawler
   check's worst case); then as one visitor who was counted already (what
   every other view costs). After the first, the hits are written
   (`hits_flush`) and must be as many as the pages answered.
3. The reading pages of `make bench` (work, chapter with comments, tag page,
   home) are loaded alone, then while a pourer in this process leaves
   BENCH_KUDOS_PER_SECOND kudos and BENCH_HITS_PER_SECOND new visitors' hits
   a second on those works and writes the hits every BENCH_FLUSH_SECONDS (60,
   as the periodic job: a shorter run writes them after it); and while the
   same requests come from one guest who left kudos and was counted on all
   of them already (nothing is stored: what the requests cost as page views
   and refused kudos). In turn, ROUNDS times: requests a second over all
   rounds and the ratios with / alone and with / unstored.

The table also goes to bench-results/kudos-<database>-<works>.json. It fails
when a page or a kudos answers with an error or a count disagrees.
"""

import itertools
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.run import (
    REQUEST_TIMEOUT,
    RESULTS_DIR,
    NoRedirects,
    cache_name,
    check,
    configure,
    prepare_archive,
    serving,
    setup_django,
    stop_cleanly_when_terminated,
    throwaway_cache,
    worker_count,
)
from bench.writes import choose_targets, read

SCRIPT = Path(__file__).with_name("kudos.lua")
TARGET_WORKS = 200
# As the periodic job (stories/engagement/tasks.py); BENCH_FLUSH_SECONDS.
FLUSH_SECONDS = 60
ROUNDS = 2
MOST_AT_ONCE = 8
POURING_BROWSERS = 300
READING_PAGES = ("work", "chapter", "tag", "home")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
TOKEN_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass
class Rate:
    """One wrk run at kudos or hits: how fast, and whether the counts agree."""

    name: str
    requests_per_second: float = 0.0
    p95_ms: float = 0.0
    answered: int = 0
    errors: int = 0
    stored: int | None = None
    agrees: bool = True


@dataclass
class Reading:
    """A reading page alone and while kudos and hits pour in."""

    name: str
    path: str
    requests_per_second_without: float = 0.0
    requests_per_second_with: float = 0.0
    ratio: float | None = None
    # The same requests by a guest counted already: nothing stored.
    requests_per_second_unrecorded: float = 0.0
    ratio_to_unrecorded: float | None = None
    p95_ms_without: float = 0.0
    p95_ms_with: float = 0.0
    errors: int = 0
    kudos_per_second: float = 0.0
    hits_per_second: float = 0.0
    failed: int = 0


@dataclass
class KudosRun:
    database: str
    works: int
    seconds: int
    connections: int
    workers: int
    cache: str
    kudos_per_second_asked: float
    hits_per_second_asked: float
    flush_seconds: float
    flushed_hits: int = 0
    flushed_works: int = 0
    flush_ms: float = 0.0
    rates: list[Rate] = field(default_factory=list)
    pages: list[Reading] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Return what went wrong, if anything."""
        problems = []
        for rate in self.rates:
            if rate.errors:
                problems.append(f"{rate.name}: {rate.errors} error answers")
            if not rate.agrees:
                problems.append(f"{rate.name}: the counts disagree ({rate.stored})")
        for page in self.pages:
            if page.errors:
                problems.append(f"{page.name}: {page.errors} error answers")
            if page.failed:
                problems.append(f"{page.name}: {page.failed} kudos or hits failed")
        return problems


def main() -> int:
    stop_cleanly_when_terminated()
    works, seconds, connections = configure()
    kudos_rate = float(os.environ.get("BENCH_KUDOS_PER_SECOND", "10"))
    hits_rate = float(os.environ.get("BENCH_HITS_PER_SECOND", "100"))
    flush_seconds = float(os.environ.get("BENCH_FLUSH_SECONDS", str(FLUSH_SECONDS)))
    with throwaway_cache():
        run = measure(works, seconds, connections, kudos_rate, hits_rate, flush_seconds)
    print_table(run)
    path = write_results(run, RESULTS_DIR)
    sys.stdout.write(f"Results written to {path}\n")
    problems = run.problems()
    if problems:
        sys.stderr.write("bench-kudos failed:\n  " + "\n  ".join(problems) + "\n")
        return 1
    return 0


def measure(
    works: int,
    seconds: int,
    connections: int,
    kudos_rate: float,
    hits_rate: float,
    flush_seconds: float,
) -> KudosRun:
    setup_django()
    from django.conf import settings
    from django.db import connection

    database, works_found, pages = prepare_archive(works)
    reading = [page for page in pages if page.name.split(",")[0] in READING_PAGES]
    run = KudosRun(
        database,
        works_found,
        seconds,
        connections,
        worker_count(),
        cache_name(settings.CACHES["default"]["LOCATION"]),
        kudos_rate,
        hits_rate,
        flush_seconds,
    )
    with serving(run.workers) as (_, port):
        shown = {
            page.path: read(port, page.path) for page in reading if check(page, port)
        }
        targets = choose_targets(list(shown), list(shown.values()), TARGET_WORKS)
        kudos_paths = [f"/works/{target.work_id}/kudos/" for target in targets]
        chapter_paths = [target.chapter_paths[0] for target in targets]
        for path in chapter_paths:
            read(port, path)
        connection.close()
        run.rates.append(kudos_rate_of(port, kudos_paths, seconds, connections))
        run.rates += hit_rates_of(port, chapter_paths, seconds, connections, run)
        pourer = Pourer(
            port, kudos_paths, chapter_paths, kudos_rate, hits_rate, flush_seconds
        )
        views = Pourer(
            port,
            kudos_paths,
            chapter_paths,
            kudos_rate,
            hits_rate,
            flush_seconds,
            records=False,
        )
        views.counted_already()
        for page in reading:
            if page.path not in shown:
                continue
            row = Reading(page.name, page.path)
            withouts, withs, viewed, pours = [], [], [], []
            # Alone, poured on and viewed in turn, ROUNDS times: a machine
            # whose load changes from second to second weighs on each alike.
            for _round in range(ROUNDS):
                withouts.append(wrk(port, "same", [page.path], seconds, connections))
                with pourer.pouring() as poured:
                    withs.append(wrk(port, "same", [page.path], seconds, connections))
                pours.append(poured)
                # What the pouring left to render again is not the next run's.
                settle(port, chapter_paths)
                with views.pouring():
                    viewed.append(wrk(port, "same", [page.path], seconds, connections))
            compare(row, together(withouts), together(withs), together_poured(pours))
            row.requests_per_second_unrecorded = together(viewed)["requests_per_second"]
            if row.requests_per_second_unrecorded:
                row.ratio_to_unrecorded = (
                    row.requests_per_second_with / row.requests_per_second_unrecorded
                )
            run.pages.append(row)
    return run


def form_token() -> str:
    """Return a form token as Django's CSRF cookie holds one."""
    return "".join(random.choices(TOKEN_CHARACTERS, k=32))


def wrk(port, mode, paths, seconds, connections) -> dict:
    """Load these paths with wrk and kudos.lua in this mode; return its figures."""
    threads = max(1, min(connections, worker_count()))
    result = subprocess.run(
        [
            "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
            "--timeout", "10s", "-s", str(SCRIPT), f"http://127.0.0.1:{port}",
            "--", mode, form_token(), *paths,
        ],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def rate_from(name: str, report: dict) -> Rate:
    return Rate(
        name,
        requests_per_second=report["requests_per_second"],
        p95_ms=report["p95_ms"],
        answered=report["requests"] - report["http_errors"],
        errors=report["http_errors"] + report["socket_errors"],
    )


def kudos_rate_of(port, paths, seconds, connections) -> Rate:
    """Post kudos as new guests; check every work's count against its kudos."""
    from django.db import connection
    from django.db.models import Count, F

    from stories.engagement.models import Kudos
    from stories.models import Work

    before = Kudos.objects.count()
    rate = rate_from(
        "kudos POSTs, a new guest each", wrk(port, "kudos", paths, seconds, connections)
    )
    rate.stored = Kudos.objects.count() - before
    wrong = (
        Work.objects.annotate(kudos_stored=Count("kudos"))
        .exclude(kudos_count=F("kudos_stored"))
        .count()
    )
    # Requests wrk gave up on at the end may have been answered after it.
    rate.agrees = wrong == 0 and rate.stored >= rate.answered
    connection.close()
    return rate


def hit_rates_of(port, paths, seconds, connections, run) -> list[Rate]:
    """Load the chapters as new visitors, then as one; check the hits written."""
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from stories.engagement.services import hits_flush
    from stories.models import Work

    def hits():
        return Work.objects.aggregate(total=Sum("hit_count"))["total"] or 0

    hits_flush(until=timezone.now())
    before = hits()
    rates = [
        rate_from(
            "hit recordings, a new visitor each",
            wrk(port, "hits", paths, seconds, connections),
        )
    ]
    run.flushed_works = len(paths)
    started = time.perf_counter()
    hits_flush(until=timezone.now())
    run.flush_ms = (time.perf_counter() - started) * 1000
    rates[0].stored = run.flushed_hits = hits() - before
    rates[0].agrees = rates[0].stored >= rates[0].answered
    rates.append(
        rate_from(
            "hit recordings, new visitors of browsers never seen",
            wrk(port, "new-browsers", paths, seconds, connections),
        )
    )
    rates.append(
        rate_from(
            "the same pages, one visitor counted already",
            wrk(port, "same", paths, seconds, connections),
        )
    )
    hits_flush(until=timezone.now())
    connection.close()
    return rates


@dataclass
class Poured:
    seconds: float = 0.0
    kudos: int = 0
    hits: int = 0
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: str) -> None:
        with self.lock:
            setattr(self, outcome, getattr(self, outcome) + 1)


class Pourer:
    """Leave kudos and hits as new guests at steady rates, and write the hits.

    A pourer that does not record sends the same requests as one guest who
    left kudos on every work and was counted on every page already (by
    `counted_already`): the requests' cost without kudos or hits stored.
    """

    def __init__(
        self,
        port,
        kudos_paths,
        chapter_paths,
        kudos_rate,
        hits_rate,
        flush_seconds,
        *,
        records=True,
    ):
        self.records = records
        self.flush_seconds = flush_seconds
        self.base = f"http://127.0.0.1:{port}"
        self.kudos_paths = kudos_paths
        self.chapter_paths = chapter_paths
        self.rates = {"kudos": kudos_rate, "hits": hits_rate}
        self.opener = urllib.request.build_opener(NoRedirects)
        self.token = form_token()
        self.sent = itertools.count()
        self.random = random.Random(1)

    @contextmanager
    def pouring(self) -> Iterator[Poured]:
        poured = Poured()
        stopping = threading.Event()
        threads = [
            threading.Thread(target=self.schedule, args=(kind, poured, stopping))
            for kind, rate in self.rates.items()
            if rate > 0
        ]
        if self.records:
            threads.append(threading.Thread(target=self.flush, args=(stopping,)))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            yield poured
        finally:
            stopping.set()
            for thread in threads:
                thread.join(timeout=3 * REQUEST_TIMEOUT)
            poured.seconds = time.monotonic() - started

    def schedule(self, kind, poured, stopping) -> None:
        interval = 1 / self.rates[kind]
        with ThreadPoolExecutor(MOST_AT_ONCE) as pool:
            due = time.monotonic()
            while not stopping.wait(max(0.0, due - time.monotonic())):
                due += interval
                pool.submit(self.once, kind, poured)

    def counted_already(self) -> None:
        """Leave this pourer's one guest's kudos and hits on every work."""
        poured = Poured()
        for path in self.kudos_paths:
            self.once("kudos", poured, path)
        for path in self.chapter_paths:
            self.once("hits", poured, path)

    def agent(self) -> str:
        if not self.records:
            return f"{BROWSER} pour/{self.token[:8]}/counted"
        # As many browsers as the crawler check remembers: each hit is a new
        # visitor of its work, as most of the site's readers are.
        return f"{BROWSER} pour/{self.token[:8]}/{next(self.sent) % POURING_BROWSERS}"

    def once(self, kind, poured, path=None) -> None:
        agent = self.agent()
        if kind == "kudos":
            path = path or self.random.choice(self.kudos_paths)
            request = urllib.request.Request(
                f"{self.base}{path}",
                data=b"",
                headers={
                    "User-Agent": agent,
                    "Cookie": f"csrftoken={self.token}",
                    "X-CSRFToken": self.token,
                },
            )
            expected = 302
        else:
            path = path or self.random.choice(self.chapter_paths)
            request = urllib.request.Request(
                f"{self.base}{path}", headers={"User-Agent": agent}
            )
            expected = 200
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        poured.add(kind if status == expected else "failed")

    def flush(self, stopping) -> None:
        """Write the hits every flush_seconds, as the periodic job does each minute."""
        from django.db import connection
        from django.utils import timezone

        from stories.engagement.services import hits_flush

        try:
            while not stopping.wait(self.flush_seconds):
                hits_flush(until=timezone.now())
        finally:
            connection.close()


def settle(port, paths) -> None:
    """Write the hits still counted and render the poured-on pages again."""
    from django.db import connection
    from django.utils import timezone

    from stories.engagement.services import hits_flush

    hits_flush(until=timezone.now())
    connection.close()
    for path in paths:
        read(port, path)


def together(reports: list[dict]) -> dict:
    """Return wrk's figures over several runs: requests a second over all of
    them, the worst p95, every error."""
    seconds = sum(report["seconds"] for report in reports)
    return {
        "requests_per_second": sum(r["requests"] for r in reports) / seconds,
        "p95_ms": max(report["p95_ms"] for report in reports),
        "http_errors": sum(report["http_errors"] for report in reports),
        "socket_errors": sum(report["socket_errors"] for report in reports),
    }


def together_poured(pours: list[Poured]) -> Poured:
    return Poured(
        seconds=sum(poured.seconds for poured in pours),
        kudos=sum(poured.kudos for poured in pours),
        hits=sum(poured.hits for poured in pours),
        failed=sum(poured.failed for poured in pours),
    )


def compare(row: Reading, without: dict, with_pour: dict, poured: Poured) -> None:
    row.requests_per_second_without = without["requests_per_second"]
    row.requests_per_second_with = with_pour["requests_per_second"]
    if row.requests_per_second_without:
        row.ratio = row.requests_per_second_with / row.requests_per_second_without
    row.p95_ms_without = without["p95_ms"]
    row.p95_ms_with = with_pour["p95_ms"]
    row.errors = sum(
        report["http_errors"] + report["socket_errors"]
        for report in (without, with_pour)
    )
    if poured.seconds:
        row.kudos_per_second = poured.kudos / poured.seconds
        row.hits_per_second = poured.hits / poured.seconds
    row.failed = poured.failed


def print_table(run: KudosRun) -> None:
    out = sys.stdout
    out.write(
        f"\n{run.database}, {run.works:,} works, {run.cache} cache, "
        f"{run.workers} gunicorn workers, wrk {run.connections} connections "
        f"for {run.seconds} s a run\n\n"
    )
    width = max(len(rate.name) for rate in run.rates)
    header = ("req/s", "p95 ms", "answered", "stored")
    out.write(f"{'recorded':<{width}}  " + "  ".join(f"{h:>9}" for h in header) + "\n")
    for rate in run.rates:
        stored = "" if rate.stored is None else str(rate.stored)
        notes = "" if rate.agrees else "  counts disagree"
        notes += f"  {rate.errors} errors" if rate.errors else ""
        out.write(
            f"{rate.name:<{width}}  {rate.requests_per_second:>9.1f}  "
            f"{rate.p95_ms:>9.1f}  {rate.answered:>9}  {stored:>9}{notes}\n"
        )
    out.write(
        f"\nhits_flush wrote {run.flushed_hits:,} hits on {run.flushed_works:,} "
        f"works in {run.flush_ms:.0f} ms\n"
    )
    out.write(
        f"\nReading pages alone and while {run.kudos_per_second_asked:g} kudos/s "
        f"and {run.hits_per_second_asked:g} hits/s are asked for (hits written "
        f"every {run.flush_seconds:g} s); unstored: while the same requests come from "
        f"a guest whose kudos and hits were counted already, and the ratio "
        f"with / unstored:\n\n"
    )
    width = max([len(page.name) for page in run.pages] + [4])
    header = (
        "req/s", "with", "ratio", "unstored", "ratio", "p95 ms", "with", "kudos/s",
        "hits/s",
    )  # fmt: skip
    out.write(f"{'page':<{width}}  " + "  ".join(f"{h:>8}" for h in header) + "\n")
    for page in run.pages:
        notes = f"  {page.failed} failed" if page.failed else ""
        notes += f"  {page.errors} errors" if page.errors else ""
        out.write(
            f"{page.name:<{width}}  {page.requests_per_second_without:>8.1f}  "
            f"{page.requests_per_second_with:>8.1f}  {page.ratio or 0:>8.2f}  "
            f"{page.requests_per_second_unrecorded:>8.1f}  "
            f"{page.ratio_to_unrecorded or 0:>8.2f}  "
            f"{page.p95_ms_without:>8.1f}  {page.p95_ms_with:>8.1f}  "
            f"{page.kudos_per_second:>8.1f}  {page.hits_per_second:>8.1f}{notes}\n"
        )


def write_results(run: KudosRun, directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / f"kudos-{run.database}-{run.works}.json"
    path.write_text(json.dumps(asdict(run), indent=2) + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
