"""Time posting a chapter with 0 and BENCH_SUBSCRIBERS subscribers, and its jobs.

`make bench-notify` runs this. It builds a fresh archive (SQLite under var/, or
the empty database DATABASE_URL names), with one work and its author, then for
each number of subscribers posts BENCH_ROUNDS chapters through the chapter form
(Django's test client, in this process) and times:

- the posting request alone: its jobs are queued in a throw-away Huey queue
  (a SQLite file, as `make run` queues them), not run;
- the fan-out job that files every subscriber's notification;
- the jobs that email the notifications to send at once (every subscriber's,
  by default), to a mailbox in memory.

It prints the median of each in ms (and the fastest posting), the request's
queries and the
notifications filed per chapter. The cache is memory in this process unless
ARCHIVE_CACHE_URL is set (a redis:// URL, as in production).
"""

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    subscribers = int(os.environ.get("BENCH_SUBSCRIBERS", "10000"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    if "DATABASE_URL" not in os.environ:
        database = ROOT / "var" / "bench-notify.sqlite3"
        database.parent.mkdir(exist_ok=True)
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("ARCHIVE_CACHE_URL", "locmem")
    os.environ["ARCHIVE_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-notify-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings.bench"
    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from huey.contrib.djhuey import HUEY

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    HUEY.immediate = False
    call_command("migrate", "--no-input", verbosity=0)

    from archive.models import User
    from stories.subscriptions.models import Subscription
    from tests.factories import make_work

    author = User.objects.create_user("bench_author", "author@example.org", "x")
    work = make_work(owner=author, title="The Benchmark")
    rows = []
    for count in (0, subscribers):
        added = count - Subscription.objects.filter(work=work).count()
        if added:
            _add_subscribers(work, added)
        rows.append((count, _time_postings(author, work, rounds)))
    _print_table(rows)
    return 0


def _add_subscribers(work, count):
    from archive.models import User
    from stories.subscriptions.models import Subscription

    start = User.objects.count()
    users = User.objects.bulk_create(
        User(
            username=f"follower{n}",
            email=f"follower{n}@example.org",
            password="!",  # noqa: S106
        )
        for n in range(start, start + count)
    )
    Subscription.objects.bulk_create(
        (Subscription(user=user, work=work) for user in users), batch_size=1000
    )


def _time_postings(author, work, rounds):
    from django.core import mail
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from huey.contrib.djhuey import HUEY

    from stories.subscriptions.models import Notification

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(author)
    url = reverse("stories:chapter_create", args=[work.pk])
    posting, fan_out, emails, queries, filed = [], [], [], 0, []
    for number in range(rounds):
        before = Notification.objects.count()
        mail.outbox = []
        gc.collect()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                url,
                {
                    "chapter_title": f"Part {number}",
                    "body": "More of the story.",
                    "action": "post",
                },
            )
        posting.append(time.perf_counter() - started)
        assert response.status_code == 302, response.content.decode()[-3000:]
        queries = len(captured)
        timings = {"fan-out": 0.0, "emails": 0.0}
        while (task := HUEY.dequeue()) is not None:
            started = time.perf_counter()
            HUEY.execute(task)
            kind = "emails" if task.name.endswith("notifications_email") else "fan-out"
            timings[kind] += time.perf_counter() - started
        fan_out.append(timings["fan-out"])
        emails.append(timings["emails"])
        filed.append(Notification.objects.count() - before)
        assert len(mail.outbox) == filed[-1], (len(mail.outbox), filed[-1])
    return {
        "posting": statistics.median(posting) * 1000,
        "fastest": min(posting) * 1000,
        "queries": queries,
        "fan-out": statistics.median(fan_out) * 1000,
        "emails": statistics.median(emails) * 1000,
        "filed": statistics.median(filed),
    }


def _print_table(rows):
    from django.db import connection

    print(f"Posting a chapter ({connection.vendor}), median of each, in ms")
    print(
        f"{'subscribers':>11} | {'posting request':>15} | {'fastest':>7} | "
        f"{'its queries':>11} | "
        f"{'fan-out job':>11} | {'email jobs':>10} | notifications"
    )
    for count, row in rows:
        print(
            f"{count:>11,} | {row['posting']:>15.1f} | {row['fastest']:>7.1f} | "
            f"{row['queries']:>11} | "
            f"{row['fan-out']:>11.1f} | {row['emails']:>10.1f} | {row['filed']:,.0f}"
        )


if __name__ == "__main__":
    sys.exit(main())
