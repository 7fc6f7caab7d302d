"""Load each page of a seeded archive under gunicorn with wrk; print one table.

`make bench` runs this. Settings come from the environment:
BENCH_WORKS (default 10000), DATABASE_URL (default SQLite at
var/bench-<works>.sqlite3), BENCH_SECONDS per page (10), BENCH_CONNECTIONS (8),
and ARCHIVE_CACHE_URL.
Unless ARCHIVE_CACHE_URL is set, a throw-away redis-server on 127.0.0.1 is the
cache, as in production. The database is migrated, and seeded when it is empty;
gunicorn serves archive.settings.bench on 127.0.0.1 with one worker per core.
Redis and gunicorn are always stopped at the end. The table also goes to
bench-results/<database>-<works>.json.

A script rather than a management command: it drives processes around the app
(redis-server, gunicorn, wrk) and has no business in manage.py on a production
server.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urljoin

import django
import redis

ROOT = Path(__file__).resolve().parents[1]
REPORT_SCRIPT = Path(__file__).with_name("report.lua")
RESULTS_DIR = ROOT / "bench-results"
SETTINGS = "archive.settings.bench"
START_TIMEOUT = 60
REQUEST_TIMEOUT = 30
REDIS_START_TIMEOUT = 10
# Only the search page may be absent: it is being built separately.
OPTIONAL_PAGES = {"search"}


@dataclass
class Page:
    name: str
    path: str
    status: int = 0
    queries: int | None = None
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    socket_errors: int = 0
    http_errors: int = 0
    ratio: float | None = None
    missing: bool = False


@dataclass
class Run:
    database: str
    works: int
    seconds: int
    connections: int
    workers: int
    cache: str
    pages: list[Page] = field(default_factory=list)
    worker_rss_mb: list[float] = field(default_factory=list)


def main() -> int:
    stop_cleanly_when_terminated()
    works, seconds, connections = configure()
    with throwaway_cache():
        run = measure_pages(works, seconds, connections)
    baseline = run.pages[0].requests_per_second
    for page in run.pages:
        if baseline and not page.missing:
            page.ratio = page.requests_per_second / baseline
    print_table(run)
    write_results(run)
    failed = [p.name for p in run.pages if not p.missing and not page_ok(p)]
    if failed:
        sys.stderr.write(f"Pages that answered with errors: {', '.join(failed)}\n")
        return 1
    return 0


def stop_cleanly_when_terminated() -> None:
    """Make SIGTERM unwind like an error, so that the servers are stopped too."""

    def exit_now(signal_number, frame):
        raise SystemExit(128 + signal_number)

    signal.signal(signal.SIGTERM, exit_now)


def configure() -> tuple[int, int, int]:
    """Return the works, seconds a page and connections the environment asks for,
    and point Django at the bench settings and database."""
    works = int(os.environ.get("BENCH_WORKS", "10000"))
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "8"))
    default_database = ROOT / "var" / f"bench-{works}.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{default_database}")
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    default_database.parent.mkdir(exist_ok=True)
    return works, seconds, connections


@contextmanager
def throwaway_cache() -> Iterator[None]:
    """Run with a redis-server of its own as the cache, unless ARCHIVE_CACHE_URL
    names one; the server is stopped however the run ends."""
    if os.environ.get("ARCHIVE_CACHE_URL"):
        yield
        return
    server = start_redis()
    try:
        yield
    finally:
        stop(server)


def start_redis() -> subprocess.Popen:
    """Start an empty Redis that keeps nothing on disk and make it the cache."""
    port = free_port()
    command = [
        "redis-server", "--bind", "127.0.0.1", "--port", str(port),
        "--save", "", "--appendonly", "no",
    ]  # fmt: skip
    try:
        server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    except FileNotFoundError:
        raise SystemExit(
            "No redis-server: `make bench-packages` installs it,"
            " or set ARCHIVE_CACHE_URL"
        ) from None
    try:
        wait_until_answering(server, port)
    except BaseException:
        stop(server)
        raise
    os.environ["ARCHIVE_CACHE_URL"] = f"redis://127.0.0.1:{port}/0"
    return server


def wait_until_answering(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + REDIS_START_TIMEOUT
    with redis.Redis(port=port, socket_timeout=1) as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"redis-server exited with status {server.returncode}")
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
    raise SystemExit(f"redis-server did not answer within {REDIS_START_TIMEOUT} s")


def measure_pages(works: int, seconds: int, connections: int) -> Run:
    """Set Django up, prepare the archive and load each page under gunicorn."""
    setup_django()
    from django.conf import settings

    database, works_found, pages = prepare_archive(works)
    workers = worker_count()
    run = Run(
        database,
        works_found,
        seconds,
        connections,
        workers,
        cache_name(settings.CACHES["default"]["LOCATION"]),
    )
    with serving(workers) as (server, port):
        for page in pages:
            measure(page, port, seconds, connections)
            run.pages.append(page)
        run.worker_rss_mb = worker_rss_mb(server.pid)
    return run


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    django.setup()


def worker_count() -> int:
    return len(os.sched_getaffinity(0))


def cache_name(location: str) -> str:
    """Return what the shared cache behind this process's copies is."""
    return "redis" if location.startswith(("redis://", "rediss://")) else "files"


def prepare_archive(works: int) -> tuple[str, int, list[Page]]:
    """Migrate, seed an empty archive, and return the pages worth loading."""
    from django.core.management import call_command
    from django.db import connection

    from stories.models import Work
    from stories.seeding import archive_is_empty

    call_command("migrate", interactive=False, verbosity=0)
    if archive_is_empty():
        call_command("seed_archive", works=works)
    pages = find_pages()
    count = Work.objects.count()
    connection.close()
    return connection.vendor, count, pages


def find_pages() -> list[Page]:
    """Return the pages to load, found in whatever archive the database holds."""
    from django.db.models import Count
    from django.urls import reverse

    from stories.listing import Criteria, works_matching
    from stories.models import Chapter, Rating, Tag, TagKind, Work

    fandom = Tag.objects.filter(kind=TagKind.FANDOM).order_by("-work_count", "pk")[0]
    character = (
        Tag.objects.filter(kind=TagKind.CHARACTER, parents=fandom)
        .order_by("-work_count", "pk")
        .first()
    )
    freeforms = list(
        Tag.objects.filter(kind=TagKind.FREEFORM).order_by("-work_count", "pk")[:2]
    )
    included = [tag.name for tag in (character, freeforms[0]) if tag]
    filtered = urlencode(
        {
            "include": ",".join(included),
            "exclude": freeforms[1].name,
            "rating": Rating.TEEN,
            "sort": "words",
        }
    )
    # A work read at once, as most are: adult ratings first show a notice page.
    work = works_matching(
        Work.objects.posted().filter(rating__in=[Rating.GENERAL, Rating.TEEN]),
        Criteria(),
        base_tag=fandom,
    ).first()
    chapter = (
        Chapter.objects.filter(work=work)
        .posted()
        .annotate(comment_total=Count("comments"))
        .order_by("-comment_total", "position")
        .first()
    )
    return [
        Page("baseline", reverse("bench_baseline")),
        Page("home", reverse("stories:home")),
        Page("works", reverse("stories:work_list")),
        Page("tag", fandom.get_absolute_url()),
        Page("tag filtered", f"{fandom.get_absolute_url()}?{filtered}"),
        Page("search", f"/works/search?{urlencode({'q': common_title_word()})}"),
        Page("work", work.get_absolute_url()),
        Page(f"chapter, {chapter.comment_total} comments", chapter.get_absolute_url()),
    ]


def common_title_word() -> str:
    """Return the word of five letters or more that recent titles use most."""
    from stories.models import Work

    titles = Work.objects.posted().order_by("-id").values_list("title", flat=True)
    words = Counter(
        word
        for title in titles[:5000]
        for word in title.lower().split()
        if len(word) >= 5 and word.isalpha()
    )
    return words.most_common(1)[0][0] if words else "light"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "archive.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
    return subprocess.Popen(command, cwd=ROOT, env=env)


@contextmanager
def serving(workers: int) -> Iterator[tuple[subprocess.Popen, int]]:
    """Serve the bench settings with gunicorn on a free port until the block ends."""
    port = free_port()
    server = start_gunicorn(port, workers)
    try:
        wait_until_serving(server, port)
        yield server, port
    finally:
        stop(server)


def wait_until_serving(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            fetch(port, "/bench/baseline/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {START_TIMEOUT} s")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirects)


def fetch(port: int, path: str) -> tuple[int, dict]:
    """Return the status and headers of one GET; errors are answers too."""
    try:
        with _opener.open(
            f"http://127.0.0.1:{port}{path}", timeout=REQUEST_TIMEOUT
        ) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def measure(page: Page, port: int, seconds: int, connections: int) -> None:
    """Read the page's status and query count once, then load it with wrk."""
    if not check(page, port):
        return
    report = load(page.path, port, seconds, connections)
    for name in (
        "requests_per_second", "p50_ms", "p95_ms", "p99_ms", "socket_errors",
        "http_errors",
    ):  # fmt: skip
        setattr(page, name, report[name])


def check(page: Page, port: int) -> bool:
    """Read the page's status and query count, following one redirect; return
    whether it answered 200, worth loading."""
    page.status, headers = fetch(port, page.path)
    if page.status in (301, 302) and headers.get("Location"):
        page.path = urljoin(page.path, headers["Location"])
        page.status, headers = fetch(port, page.path)
    if page.status == 404 and page.name in OPTIONAL_PAGES:
        page.missing = True
        return False
    if "X-Queries" in headers:
        page.queries = int(headers["X-Queries"])
    return page.status == 200


def load(path: str, port: int, seconds: int, connections: int) -> dict:
    """Load one address with wrk; return report.lua's figures."""
    threads = max(1, min(connections, worker_count()))
    result = subprocess.run(
        [
            "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
            "--timeout", "10s", "-s", str(REPORT_SCRIPT),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def page_ok(page: Page) -> bool:
    return page.status == 200 and page.http_errors == 0


def worker_rss_mb(master_pid: int) -> list[float]:
    """Return the resident memory of each of gunicorn's workers, in MiB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines()
            )
        except (OSError, ValueError):
            continue
        if int(fields.get("PPid", "0").strip()) == master_pid:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def print_table(run: Run) -> None:
    out = sys.stdout
    out.write(
        f"\n{run.database}, {run.works:,} works, {run.workers} gunicorn workers, "
        f"wrk {run.connections} connections for {run.seconds} s a page, "
        f"{run.cache} cache\n\n"
    )
    width = max(len(page.name) for page in run.pages)
    out.write(
        f"{'page':<{width}}  {'req/s':>8}  {'p50 ms':>7}  {'p95 ms':>7}  "
        f"{'p99 ms':>7}  {'queries':>7}  {'vs baseline':>11}\n"
    )
    for page in run.pages:
        if page.missing:
            out.write(f"{page.name:<{width}}  missing (404)\n")
            continue
        if page.status != 200:
            out.write(f"{page.name:<{width}}  answered {page.status}\n")
            continue
        errors = f"  {page.http_errors} errors" if page.http_errors else ""
        out.write(
            f"{page.name:<{width}}  {page.requests_per_second:>8.1f}  "
            f"{page.p50_ms:>7.1f}  {page.p95_ms:>7.1f}  {page.p99_ms:>7.1f}  "
            f"{page.queries if page.queries is not None else '?':>7}  "
            f"{page.ratio or 0:>11.2f}{errors}\n"
        )
    sizes = ", ".join(f"{size:.0f}" for size in run.worker_rss_mb)
    out.write(f"\ngunicorn workers' resident memory after the run: {sizes} MiB\n")


def write_results(run: Run) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{run.database}-{run.works}.json"
    path.write_text(json.dumps(asdict(run), indent=2) + "\n")
    sys.stdout.write(f"Results written to {path.relative_to(ROOT)}\n")


if __name__ == "__main__":
    sys.exit(main())
