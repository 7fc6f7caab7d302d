"""Hits: one a visitor a work a day, counted in the cache, written by a job.

A reading page counts a hit when it answers (`hits_counted` wraps the work and
chapter views outside `whole_for_guests`, so guests served whole pages from the
cache count too), unless the user agent is a crawler's (crawlerdetect's list;
no user agent at all counts as one), this visitor was counted on this work
today, or they are one of its creators (as on AO3: authors rereading their own
work are not its readers; the page has read that already, see
`work_reader_state_of`). A visitor is a signed-in reader's id, else a keyed
digest of the guest's address and browser: never the address itself.

Nothing is written to the database on the way. The shared cache holds, under
SHARED_ONLY_PREFIX (never kept in a process, so every process sees one value):

- `s:hit-seen:<day>:<work>:<visitor>`, added once, for a day and a bit;
- per minute (a "bucket"), `s:hits:<bucket>:work:<work>`, the work's hits,
  and the list of the works hit that minute: `s:hits:<bucket>:n` and
  `s:hits:<bucket>:<1..n>`.

`take_hits` (called by the service `hits_flush`, which a periodic job runs
every minute) takes the minutes that ended at least a minute ago, each by one
flush only (`s:hits:<bucket>:taken` is added by the first to come), and
returns their hits by work. These keys are counters, not the versioned parts
of stories/caching.py, so they are built here, beside their only users.

A cache that evicts keys loses at most the hits it held (Redis with a memory
limit, `make run`'s files past FILES_KEPT): hits are a reader's gauge, kudos
are the exact count.
"""

import datetime
import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from functools import wraps

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from archive.cache import SHARED_ONLY_PREFIX
from stories.reader_state import work_reader_state_of

BUCKET_SECONDS = 60
# A minute is taken once it ended this many minutes ago: a hit counted at its
# last instant has long reached the cache.
BUCKETS_WAITED = 1
# How far back a flush looks: a consumer stopped for up to this many minutes
# loses nothing.
BUCKETS_LOOKED_AT = 60
COUNTED_SECONDS = 2 * 60 * 60
TAKEN_SECONDS = 3 * 60 * 60
SEEN_SECONDS = 26 * 60 * 60
SEEN = f"{SHARED_ONLY_PREFIX}hit-seen:"
HITS = f"{SHARED_ONLY_PREFIX}hits:"


class _CrawlerDetect(CrawlerDetect):
    # Its answer for a user agent it has not seen takes most of a millisecond
    # (some 1,500 patterns): keep more answers than its 1,024.
    CACHE_SIZE = 8192


_crawlers = _CrawlerDetect()


def is_crawler(user_agent: str) -> bool:
    """Return whether a user agent is a known crawler's (or there is none)."""
    user_agent = user_agent.strip()
    return not user_agent or _crawlers.is_crawler(user_agent)


def guest_digest(request, purpose: str, day=None) -> str:
    """Return a keyed digest of a guest's address and browser (and the day)."""
    message = "\n".join(
        (
            purpose,
            day.isoformat() if day else "",
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_USER_AGENT", ""),
        )
    )
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def visitor_of(request) -> str:
    """Return who is reading: a signed-in reader's id, else a guest's digest."""
    if request.user.is_authenticated:
        return f"user-{request.user.pk}"
    return f"guest-{guest_digest(request, 'hits')[:32]}"


def hits_counted(work_argument: str):
    """Count a hit on the work the view's work_argument names when it answers 200.

    Put it outside whole_for_guests, so a guest's page served whole counts too.
    """

    def decorate(view):
        @wraps(view)
        def counted(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.method == "GET" and response.status_code == 200:
                hit_record(request, work_pk=kwargs[work_argument])
            return response

        return counted

    return decorate


def hit_record(request, *, work_pk: int) -> bool:
    """Count this visitor's hit on a work unless already counted today or they
    are its creator; return whether it was counted. Writes to the cache only."""
    if is_crawler(request.META.get("HTTP_USER_AGENT", "")):
        return False
    now = timezone.now()
    seen = f"{SEEN}{now.date().isoformat()}:{work_pk}:{visitor_of(request)}"
    if not cache.add(seen, 1, timeout=SEEN_SECONDS):
        return False
    if request.user.is_authenticated:
        state = work_reader_state_of(request, work_pk)
        if state is not None and state.is_creator:
            return False
    _count(work_pk, bucket_of(now))
    return True


def bucket_of(moment) -> int:
    return int(moment.timestamp() // BUCKET_SECONDS)


def hour_of(bucket: int) -> datetime.datetime:
    """Return the start of the hour a minute's bucket falls in (UTC)."""
    seconds = bucket * BUCKET_SECONDS
    return datetime.datetime.fromtimestamp(seconds - seconds % 3600, tz=datetime.UTC)


def _count(work_pk, bucket):
    counter = f"{HITS}{bucket}:work:{work_pk}"
    if _incr(counter):
        return
    if cache.add(counter, 1, timeout=COUNTED_SECONDS):
        # The first hit of this work this minute lists it.
        number = _incr(f"{HITS}{bucket}:n") or _start(f"{HITS}{bucket}:n")
        cache.set(f"{HITS}{bucket}:{number}", work_pk, timeout=COUNTED_SECONDS)
    else:
        # Another request listed it between our two calls.
        _incr(counter)


def _incr(key):
    """Add one to a counter; return its new value, or None when it is missing."""
    try:
        return cache.incr(key)
    except ValueError:
        return None


def _start(key):
    if cache.add(key, 1, timeout=COUNTED_SECONDS):
        return 1
    return _incr(key)


@dataclass
class TakenHits:
    """Hits taken from the cache by one flush: by work, and the minutes taken."""

    by_work: Counter = field(default_factory=Counter)
    # The same hits by work and by the hour they were counted in.
    by_hour: Counter = field(default_factory=Counter)
    buckets: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    # Minutes taken before they were over (until=now): hits may still come.
    open_buckets: list[int] = field(default_factory=list)

    def give_back(self):
        """Let a later flush take these minutes again (this one wrote nothing)."""
        cache.delete_many([f"{HITS}{bucket}:taken" for bucket in self.buckets])

    def forget(self):
        """Drop the counted hits, written now. Minutes that are over stay
        taken; a minute still going starts over, for its next hits."""
        taken = [f"{HITS}{bucket}:taken" for bucket in self.open_buckets]
        cache.delete_many([*self.keys, *taken])


def take_hits(*, until=None) -> TakenHits:
    """Take the hits of every minute up to until that no flush took yet.

    By default, until the minutes that ended at least BUCKETS_WAITED minutes
    ago. A later until (now, for tests and the bench) takes minutes still
    going as well: only when no page is being read, or their hits counted
    while they are taken are lost.
    """
    closed = bucket_of(timezone.now()) - BUCKETS_WAITED - 1
    last = closed if until is None else bucket_of(until)
    buckets = range(last - BUCKETS_LOOKED_AT + 1, last + 1)
    lengths = cache.get_many([f"{HITS}{bucket}:n" for bucket in buckets])
    taken = TakenHits()
    for bucket in buckets:
        length = lengths.get(f"{HITS}{bucket}:n")
        if not length or not cache.add(
            f"{HITS}{bucket}:taken", 1, timeout=TAKEN_SECONDS
        ):
            continue
        taken.buckets.append(bucket)
        if bucket > closed:
            taken.open_buckets.append(bucket)
        listed = [f"{HITS}{bucket}:{number}" for number in range(1, length + 1)]
        work_pks = set(cache.get_many(listed).values())
        counters = {f"{HITS}{bucket}:work:{pk}": pk for pk in work_pks}
        for key, hits in cache.get_many(list(counters)).items():
            taken.by_work[counters[key]] += hits
            taken.by_hour[counters[key], hour_of(bucket)] += hits
        taken.keys += [f"{HITS}{bucket}:n", *listed, *counters]
    return taken
