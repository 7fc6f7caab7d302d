"""Load each page with wrk, alone and while a writer posts through the site's forms.

`make bench-writes` runs this with make bench's settings (BENCH_WORKS,
BENCH_SECONDS, BENCH_CONNECTIONS, DATABASE_URL, ARCHIVE_CACHE_URL; see
bench/run.py, whose seeding, throw-away Redis, gunicorn, wrk and pages it uses)
and BENCH_WRITES_PER_SECOND (10). Each page of `make bench` is loaded twice:
without writes, then while a writer thread in this process, signed in as a
staff account it makes, posts comments on random works through the chapter's
comment form and, one write in five, edits a chapter through its edit form
(CSRF token from the form page, cookies kept, as a browser does). The writes
start at fixed intervals, go only to works none of the loaded pages shows,
and stop with the wrk run. It prints one row a page: requests a second both
ways, their `ratio` (with writes / without), p95 both ways and the writes a
second that succeeded; the table also goes to
bench-results/writes-<database>-<works>.json. It fails when more than
MOST_FAILED_WRITES of a page's writes fail or a page answers with errors.
"""

import json
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from http.client import HTTPException
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urljoin

from bench.run import (
    REQUEST_TIMEOUT,
    RESULTS_DIR,
    NoRedirects,
    cache_name,
    check,
    configure,
    load,
    prepare_archive,
    serving,
    setup_django,
    stop_cleanly_when_terminated,
    throwaway_cache,
    worker_count,
)

EDIT_SHARE = 0.2
TARGET_WORKS = 200
MOST_FAILED_WRITES = 0.03
MOST_WRITES_AT_ONCE = 8
FORM = re.compile(r"<form\b.*?</form>", re.DOTALL)
WRITER_USERNAME = "bench-writer"
WRITER_PASSWORD = "bench-writer-password"
COMMENT_BODY = "Still thinking about the bridge scene. Thank you for this!"
WORK_LINK = re.compile(r"/works/(\d+)\b")
EDIT_MARK = re.compile(r"\s*<p>Revised by the bench writer \(\d+\)\.</p>\s*$")


@dataclass
class Target:
    """A work the writer may write to, with its posted chapters' addresses."""

    work_id: int
    chapter_ids: list[int]
    chapter_paths: list[str]
    edit_paths: list[str]


@dataclass
class Writes:
    """What the writer did during one wrk run; the write threads add to it."""

    seconds: float = 0.0
    comments: int = 0
    edits: int = 0
    failed: int = 0
    missed: int = 0
    in_flight: int = 0
    last_failure: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def succeeded(self) -> int:
        return self.comments + self.edits

    @property
    def per_second(self) -> float:
        return self.succeeded / self.seconds if self.seconds else 0.0

    def start_one(self) -> bool:
        """Count a write as started, or as missed when too many are still running."""
        with self.lock:
            if self.in_flight >= MOST_WRITES_AT_ONCE:
                self.missed += 1
                return False
            self.in_flight += 1
            return True

    def finish_one(self, outcome: str, failure: str = "") -> None:
        with self.lock:
            self.in_flight -= 1
            setattr(self, outcome, getattr(self, outcome) + 1)
            self.last_failure = failure or self.last_failure


@dataclass
class Row:
    name: str
    path: str
    status: int = 0
    missing: bool = False
    requests_per_second_without: float = 0.0
    requests_per_second_with: float = 0.0
    ratio: float | None = None
    p95_ms_without: float = 0.0
    p95_ms_with: float = 0.0
    http_errors: int = 0
    writes_per_second: float = 0.0
    comments: int = 0
    edits: int = 0
    failed_writes: int = 0
    missed_writes: int = 0
    last_write_failure: str = ""

    def problems(self) -> list[str]:
        """Return what went wrong with this page's runs, if anything."""
        if self.missing:
            return []
        if self.status != 200:
            return [f"{self.name}: answered {self.status}"]
        problems = []
        if self.http_errors:
            problems.append(f"{self.name}: {self.http_errors} error answers under wrk")
        attempted = self.comments + self.edits + self.failed_writes
        if not attempted or self.failed_writes > MOST_FAILED_WRITES * attempted:
            problems.append(
                f"{self.name}: {self.failed_writes} of {attempted} writes failed "
                f"({self.last_write_failure or 'none made'})"
            )
        return problems


@dataclass
class WritesRun:
    database: str
    works: int
    seconds: int
    connections: int
    workers: int
    cache: str
    writes_per_second: float
    pages: list[Row] = field(default_factory=list)


def main() -> int:
    stop_cleanly_when_terminated()
    works, seconds, connections = configure()
    per_second = float(os.environ.get("BENCH_WRITES_PER_SECOND", "10"))
    if per_second <= 0:
        raise SystemExit("BENCH_WRITES_PER_SECOND must be more than 0")
    with throwaway_cache():
        run = measure_with_writes(works, seconds, connections, per_second)
    print_table(run)
    path = write_results(run, RESULTS_DIR)
    sys.stdout.write(f"Results written to {path}\n")
    problems = [problem for row in run.pages for problem in row.problems()]
    if problems:
        sys.stderr.write("bench-writes failed:\n  " + "\n  ".join(problems) + "\n")
        return 1
    return 0


def measure_with_writes(
    works: int, seconds: int, connections: int, per_second: float
) -> WritesRun:
    """Load each page under gunicorn without writes, then with the writer running."""
    setup_django()
    from django.conf import settings
    from django.db import connection

    database, works_found, pages = prepare_archive(works)
    writer_account()
    workers = worker_count()
    run = WritesRun(
        database,
        works_found,
        seconds,
        connections,
        workers,
        cache_name(settings.CACHES["default"]["LOCATION"]),
        per_second,
    )
    with serving(workers) as (_, port):
        shown = {
            page.path: read(port, page.path) for page in pages if check(page, port)
        }
        targets = choose_targets(list(shown), list(shown.values()), TARGET_WORKS)
        connection.close()
        writer = Writer(port, targets, per_second)
        writer.sign_in()
        for page in pages:
            row = Row(page.name, page.path, page.status, page.missing)
            if page.path in shown:
                without = load(page.path, port, seconds, connections)
                with writer.writing() as writes:
                    with_writes = load(page.path, port, seconds, connections)
                compare(row, without, with_writes, writes)
            run.pages.append(row)
    return run


def writer_account():
    """Return the bench's staff account, which may edit any chapter and reads
    adult works without their notice; made once."""
    from django.contrib.auth import get_user_model

    # Kept up to date in an archive seeded before a preference existed.
    user, created = get_user_model().objects.update_or_create(
        username=WRITER_USERNAME,
        defaults={"is_staff": True, "view_adult": True},
        create_defaults={
            "email": f"{WRITER_USERNAME}@example.org",
            "is_staff": True,
            "view_adult": True,
        },
    )
    if created:
        user.set_password(WRITER_PASSWORD)
        user.save(update_fields=["password"])
    return user


def read(port: int, path: str) -> str:
    """Return a page's HTML as a guest (as wrk) sees it."""
    url = f"http://127.0.0.1:{port}{path}"
    with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
        return response.read().decode()


def choose_targets(
    paths: Sequence[str], contents: Sequence[str], count: int, seed: int = 1
) -> list[Target]:
    """Return up to count posted works, drawn at random, that none of these pages
    shows: not linked from their contents, not listed under a tag page's tag."""
    from django.db.models import Exists, Max, Min, OuterRef
    from django.urls import reverse

    from stories.models import Chapter, TaggedWork, Work

    linked = {int(pk) for content in contents for pk in WORK_LINK.findall(content)}
    listed_under = TaggedWork.objects.filter(
        content_object=OuterRef("pk"), filter_tag__in=tags_of_pages(paths)
    )
    candidates = (
        Work.objects.posted().exclude(pk__in=linked).exclude(Exists(listed_under))
    )
    bounds = candidates.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        raise SystemExit("Every work is shown by a loaded page: none left to write to")
    span = range(bounds["low"], bounds["high"] + 1)
    drawn = random.Random(seed).sample(span, min(len(span), 2 * count))
    work_ids = list(
        candidates.filter(pk__in=drawn).values_list("pk", flat=True)[:count]
    )
    if len(work_ids) < count:
        # Few works are left to draw from: take the first of the rest in order.
        rest = candidates.exclude(pk__in=work_ids).order_by("pk")
        work_ids += rest.values_list("pk", flat=True)[: count - len(work_ids)]
    targets = {pk: Target(pk, [], [], []) for pk in work_ids}
    chapters = (
        Chapter.objects.filter(work_id__in=work_ids).posted().order_by("position")
    )
    for work_id, pk in chapters.values_list("work_id", "pk"):
        target = targets[work_id]
        target.chapter_ids.append(pk)
        target.chapter_paths.append(
            reverse("stories:chapter_detail", args=[work_id, pk])
        )
        target.edit_paths.append(reverse("stories:chapter_edit", args=[work_id, pk]))
    return [target for target in targets.values() if target.chapter_ids]


def tags_of_pages(paths: Sequence[str]) -> list:
    """Return the tags whose works the tag pages among these addresses list."""
    from django.urls import Resolver404, resolve

    from stories.models import Tag

    slugs = []
    for path in paths:
        try:
            match = resolve(path.split("?", 1)[0])
        except Resolver404:
            continue
        if match.view_name == "stories:tag_works":
            slugs.append(match.kwargs["slug"])
    return [
        tag.merger or tag
        for tag in Tag.objects.select_related("merger").filter(slug__in=slugs)
    ]


class FormReader(HTMLParser):
    """Collect each form's action and the fields a browser would send with it."""

    UNSENT = {"file", "submit", "button", "image", "reset"}

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
            return
        name = attrs.get("name")
        if not self.forms or not name:
            return
        fields = self.forms[-1][1]
        kind = attrs.get("type", "text")
        if tag == "textarea":
            self._textarea = name
            fields[name] = ""
        elif tag == "input" and kind not in self.UNSENT and self._sent(kind, attrs):
            fields[name] = attrs.get("value") or ""

    @staticmethod
    def _sent(kind, attrs):
        return kind not in ("checkbox", "radio") or "checked" in attrs

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            fields = self.forms[-1][1]
            # As in a browser, the newline right after <textarea> is not the value's.
            fields[self._textarea] = fields[self._textarea].removeprefix("\n")
            self._textarea = None


def revised(text: str, revision: int) -> str:
    """Return a chapter's text with its revision mark, in place of an earlier one,
    so that edits change the text without making it grow."""
    return f"{EDIT_MARK.sub('', text)}<p>Revised by the bench writer ({revision}).</p>"


def form_on(page: str, path: str, action_ends: str) -> tuple[str, dict[str, str]]:
    """Return the address and fields of the page's first form (not a reply's)
    posting to an address that ends so; LookupError if there is none."""
    for form in FORM.findall(page):
        reader = FormReader()
        reader.feed(form[: form.index(">") + 1])
        action = urljoin(path, reader.forms[0][0])
        if not action.endswith(action_ends):
            continue
        reader.feed(form[form.index(">") + 1 :])
        reader.close()
        if "parent" not in reader.forms[0][1]:
            return action, reader.forms[0][1]
    raise LookupError(f"no form posting to …{action_ends} on {path}")


class Writer:
    """Post comments and chapter edits through the forms at a steady rate,
    signed in as the bench account, from threads of its own while writing."""

    def __init__(self, port: int, targets: list[Target], per_second: float):
        self.base = f"http://127.0.0.1:{port}"
        self.targets = targets
        self.interval = 1 / per_second
        self.random = random.Random(1)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirects
        )
        self.revision = 0

    def sign_in(self) -> None:
        from django.urls import reverse

        path = reverse("login")
        status, page = self.request(path)
        action, fields = form_on(page, path, path)
        fields.update(username=WRITER_USERNAME, password=WRITER_PASSWORD)
        status, _ = self.request(action, fields)
        if status != 302:
            raise SystemExit(f"The bench writer could not sign in: {status}")

    @contextmanager
    def writing(self) -> Iterator[Writes]:
        """Write until the block ends; the counts are final after it."""
        writes = Writes()
        stopping = threading.Event()
        scheduler = threading.Thread(
            target=self.schedule, args=(writes, stopping), daemon=True
        )
        started = time.monotonic()
        scheduler.start()
        try:
            yield writes
        finally:
            stopping.set()
            scheduler.join(timeout=3 * REQUEST_TIMEOUT)
            writes.seconds = time.monotonic() - started

    def schedule(self, writes: Writes, stopping: threading.Event) -> None:
        """Start one write at each tick, each in a thread of its own so that a
        slow answer does not hold the next one back; wait for the last ones."""
        with ThreadPoolExecutor(MOST_WRITES_AT_ONCE) as pool:
            due = time.monotonic()
            while not stopping.wait(max(0.0, due - time.monotonic())):
                due += self.interval
                if writes.start_one():
                    pool.submit(self.write_once, writes, *self.choose())

    def choose(self) -> tuple[str, bool, int]:
        """Return the chapter to write to, whether to edit it, and a revision."""
        target = self.random.choice(self.targets)
        chapter = self.random.randrange(len(target.chapter_ids))
        self.revision += 1
        if self.random.random() < EDIT_SHARE:
            return target.edit_paths[chapter], True, self.revision
        return target.chapter_paths[chapter], False, self.revision

    def write_once(self, writes: Writes, path: str, edit: bool, revision: int):
        try:
            if edit:
                self.edit(path, revision)
            else:
                self.comment(path)
        except (OSError, HTTPException, LookupError) as error:
            writes.finish_one("failed", str(error))
        else:
            writes.finish_one("edits" if edit else "comments")

    def comment(self, chapter_path: str) -> None:
        page = self.page(chapter_path)
        action, fields = form_on(page, chapter_path, "/comments/")
        fields["body"] = COMMENT_BODY
        self.post(action, fields)

    def edit(self, edit_path: str, revision: int) -> None:
        page = self.page(edit_path)
        action, fields = form_on(page, edit_path, edit_path)
        fields["body"] = revised(fields["body"], revision)
        fields["action"] = "save"
        self.post(action, fields)

    def page(self, path: str) -> str:
        status, page = self.request(path)
        if status != 200:
            raise LookupError(f"GET {path} answered {status}")
        return page

    def post(self, path: str, fields: dict[str, str]) -> None:
        status, _ = self.request(path, fields)
        if status != 302:
            raise LookupError(f"POST {path} answered {status}")

    def request(self, path: str, fields: dict[str, str] | None = None):
        """Return the status and text of a GET, or of a POST of these fields."""
        data = urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(f"{self.base}{path}", data=data)
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            error.read()
            return error.code, ""


def compare(row: Row, without: dict, with_writes: dict, writes: Writes) -> None:
    """Fill a row from wrk's reports without and with writes and the writer's counts."""
    row.requests_per_second_without = without["requests_per_second"]
    row.requests_per_second_with = with_writes["requests_per_second"]
    if row.requests_per_second_without:
        row.ratio = row.requests_per_second_with / row.requests_per_second_without
    row.p95_ms_without = without["p95_ms"]
    row.p95_ms_with = with_writes["p95_ms"]
    row.http_errors = without["http_errors"] + with_writes["http_errors"]
    row.writes_per_second = writes.per_second
    row.comments = writes.comments
    row.edits = writes.edits
    row.failed_writes = writes.failed
    row.missed_writes = writes.missed
    row.last_write_failure = writes.last_failure


def print_table(run: WritesRun) -> None:
    out = sys.stdout
    out.write(
        f"\n{run.database}, {run.works:,} works, {run.cache} cache, "
        f"{run.writes_per_second:g} writes/s asked (one in {1 / EDIT_SHARE:.0f} a "
        f"chapter edit), {run.workers} gunicorn workers, wrk {run.connections} "
        f"connections for {run.seconds} s a run\n\n"
    )
    width = max(len(row.name) for row in run.pages)
    header = ("req/s", "with writes", "ratio", "p95 ms", "with writes", "writes/s")
    out.write(f"{'page':<{width}}  " + "  ".join(f"{h:>11}" for h in header) + "\n")
    for row in run.pages:
        if row.missing:
            out.write(f"{row.name:<{width}}  missing (404)\n")
            continue
        if row.status != 200:
            out.write(f"{row.name:<{width}}  answered {row.status}\n")
            continue
        notes = [
            f"{row.failed_writes} writes failed" if row.failed_writes else "",
            f"{row.missed_writes} ticks missed, {MOST_WRITES_AT_ONCE} writes running"
            if row.missed_writes
            else "",
            f"{row.http_errors} errors" if row.http_errors else "",
        ]
        out.write(
            f"{row.name:<{width}}  {row.requests_per_second_without:>11.1f}  "
            f"{row.requests_per_second_with:>11.1f}  {row.ratio or 0:>11.2f}  "
            f"{row.p95_ms_without:>11.1f}  {row.p95_ms_with:>11.1f}  "
            f"{row.writes_per_second:>11.1f}"
            + "".join(f"  {note}" for note in notes if note)
            + "\n"
        )


def write_results(run: WritesRun, directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / f"writes-{run.database}-{run.works}.json"
    path.write_text(json.dumps(asdict(run), indent=2) + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
