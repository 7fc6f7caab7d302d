"""What the archive caches, keyed by the versions of what it shows.

A cached *part* is HTML or a small value that depends on some *scopes*: the
things a write can change. Each scope has a version in the cache; a part's key
names its own name, what else it differs by, and the versions of its scopes.
A write declares what it changed with `changed()`, once, in its service: the
versions of those scopes are bumped (at once, for reads later in the same
transaction, and again when it commits, for parts built meanwhile from the
data before it), so exactly the parts that show them are built again and
every other part is still served. This module is the only one that builds
cache keys.

The scopes:

- WORK(id): a work as its own pages and its blurb show it: details, chapters,
  comments and their authors' names.
- TAG(id): the works listed under a canonical tag (which, in what order) and
  what its page shows of the tag: its name, its characters and relationships.
- USER(id): a person's name and the works listed on their profile (every
  work they are an accepted creator of).
- SERIES(id): a series as its page shows it: its title, notes, and which of
  its works it lists, in what order (what they show is their works' scopes).
- ALL_WORKS: the listings of every work (/works/, the front page, search).
- TAG_NAMES: which tag a name stands for.
- TAGS_REFILED: which works a tag stands for besides its own, for filters that
  name tags (merging, splitting or deleting tags changes it).
- SORTED_BY(count): listings sorted by a count that changes often (comments),
  which other listings do not re-list for.
- READER(id): what one reader's own pages leave out or refuse: the users
  they muted and the users who blocked them (stories.blocking).
- INBOX(user id): a reader's notifications as the header counts them (unread).
- GUEST_COMMENTS: whether guests may comment anywhere (the site-wide switch,
  stories.moderation), for the comment forms chapter pages show guests.

Every page and part is kept once per interface language (the active one is in
its key), as addresses carry no language.

The cache backend (archive/cache.py) keeps this process's copies in front of
the shared cache. A cached page or part carries a mark where a form's token
goes, and one where the classes of the reader's preferences go
(`render_marked`); `MarksMiddleware` puts each reader's own in as the page is
sent, with a fresh stamp wherever the spam guard's forms left theirs.
`page_response` serves guests whole pages, kept like any other part.

Dates are shown in the reader's time zone: a part that shows them is made
with dated=True, and its key names the time zone it was rendered in (as a
guest's whole page's key does, with whether they see adult works without
asking). Every other part is the same in every zone and kept once.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache as once
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from archive.cache import VERSION_PREFIX
from archive.preferences import reader_preferences

PARTS_TIMEOUT = 60 * 60
# A release's code, templates and translations (locale/*.po).
RELEASE_FOLDERS = ("archive", "stories", "templates", "locale")
# What each mark a page may carry stands for in one response (response_mark).
_MARKS: dict[bytes, Callable] = {}


def response_mark(name: str, value_of: Callable) -> str:
    """Return a new mark for a value that differs with each response:
    value_of(request) gives it. Pages and parts kept for many readers carry
    the mark; MarksMiddleware puts each response's value in its place."""
    mark = f"\x00{name}\x00"
    _MARKS[mark.encode()] = value_of
    return mark


CSRF_MARK = response_mark("csrf-token", get_token)
READER_MARK = response_mark(
    "reader-classes", lambda request: reader_preferences(request).classes
)


@dataclass(frozen=True)
class Scope:
    """Something a write can change, which cached parts show."""

    kind: str
    id: Any = ""

    @property
    def key(self):
        return f"{VERSION_PREFIX}{self.kind}:{self.id}"


def WORK(pk):  # noqa: N802
    return Scope("work", pk)


def TAG(pk):  # noqa: N802
    return Scope("tag", pk)


def USER(pk):  # noqa: N802
    return Scope("user", pk)


def SERIES(pk):  # noqa: N802
    return Scope("series", pk)


def SORTED_BY(count):  # noqa: N802
    return Scope("sorted", count)


def READER(pk):  # noqa: N802
    return Scope("reader", pk)


def INBOX(pk):  # noqa: N802
    return Scope("inbox", pk)


ALL_WORKS = Scope("works")
TAG_NAMES = Scope("tag-names")
TAGS_REFILED = Scope("tags-refiled")
GUEST_COMMENTS = Scope("guest-comments")


@dataclass(frozen=True)
class Part:
    """A cached part: its name, what else it differs by, and what it shows."""

    name: str
    vary: tuple = ()
    scopes: frozenset[Scope] = field(default_factory=frozenset)
    # Whether it shows dates, which are in the reader's time zone.
    dated: bool = False

    def key(self, versions):
        named = sorted((scope.key, versions[scope.key]) for scope in self.scopes)
        zone = timezone.get_current_timezone_name() if self.dated else ""
        # Parts are rendered in the reader's language: one copy per language.
        shown = repr((release(), get_language(), self.vary, zone, named)).encode()
        return f"{self.name}:{hashlib.sha256(shown).hexdigest()[:40]}"


@once
def release():
    """Return a digest of the site's code and templates, read once per process.

    Every part's key names it, so a release that changes how a part is
    rendered, or what it holds, never serves one made by the code before it.
    """
    digest = hashlib.sha256()
    for folder in (settings.BASE_DIR / name for name in RELEASE_FOLDERS):
        for path in sorted(folder.rglob("*")):
            if (
                path.suffix in (".py", ".html", ".po")
                and "migrations" not in path.parts
            ):
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def part(name, *vary, scopes=(), dated=False):
    """Return a part named name, differing by vary, showing these scopes;
    dated=True when it shows dates (kept for each time zone)."""
    return Part(name, tuple(vary), frozenset(scopes), dated)


def _versions(scopes):
    """Return the current version of each scope by its key, starting missing ones."""
    keys = sorted({scope.key for scope in scopes})
    if not keys:
        return {}
    versions = cache.get_many(keys)
    for key in keys:
        if key not in versions:
            # A version the cache lost starts anew, so nothing filed under
            # an older one can come back.
            cache.add(key, _new_version(), timeout=None)
            versions[key] = cache.get(key)
    return versions


def _new_version():
    return secrets.token_hex(8)


def cached_many(
    parts: Sequence[Part],
    compute_missing: Callable[[list[Part]], dict[Part, Any]],
    *,
    timeout: int = PARTS_TIMEOUT,
) -> list:
    """Return the value of every part, computing the missing ones in one call.

    compute_missing takes the missing parts and returns a dict of their values.
    """
    versions = _versions([scope for item in parts for scope in item.scopes])
    keys = {item: item.key(versions) for item in parts}
    found = cache.get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in parts if item not in values]
    if missing:
        computed = compute_missing(missing)
        cache.set_many({keys[item]: computed[item] for item in missing}, timeout)
        values.update(computed)
    return [values[item] for item in parts]


def cached(item: Part, compute: Callable[[], Any], *, timeout=PARTS_TIMEOUT):
    """Return a part's value from the cache, computing it when it is missing."""
    return cached_many([item], lambda missing: {item: compute()}, timeout=timeout)[0]


def changed(
    *,
    works: Iterable[int] = (),
    listed: bool = False,
    tags: Iterable[int] = (),
    users: Iterable[int] = (),
    all_works: bool = False,
    tag_names: bool = False,
    tags_refiled: bool = False,
    sorted_by: Iterable[str] = (),
    readers: Iterable[int] = (),
    series: Iterable[int] = (),
    inboxes: Iterable[int] = (),
    guest_comments: bool = False,
) -> None:
    """Declare what a write changed: the parts that show it are built anew.

    works: works whose pages or blurbs show something new. listed=True says
    they may also list differently (dates, counts, status, tags): every
    listing they are on (under their tags, their authors' profiles, all
    works) is re-listed. tags: tags whose listings or pages changed; their
    synonyms and parent fandoms come along. users: people whose names or
    profiles changed. all_works: the listings of every work changed (a work
    left them). tags_refiled: tags were merged, split or deleted, so the works
    a tag stands for changed. tag_names: a tag was created, renamed, merged or
    deleted. sorted_by: counts that changed, for the listings sorted by them.
    readers: people whose mutes or hidden tags changed, or who were blocked or
    unblocked. series: series whose pages changed (their details, or which
    works they list); the works whose "Part N of" lines change are named in
    works.
    inboxes: readers whose notifications changed (new, read, deleted).
    guest_comments: the site-wide switch for guest comments was turned.
    """
    scopes = _expand(
        works=set(works),
        listed=listed,
        tags=set(tags),
        users=set(users),
    )
    if all_works:
        scopes.add(ALL_WORKS)
    if tag_names or tags_refiled:
        scopes.add(TAG_NAMES)
    if tags_refiled:
        scopes.add(TAGS_REFILED)
    scopes.update(SORTED_BY(count) for count in sorted_by)
    scopes.update(READER(pk) for pk in readers)
    scopes.update(SERIES(pk) for pk in series)
    scopes.update(INBOX(pk) for pk in inboxes)
    if guest_comments:
        scopes.add(GUEST_COMMENTS)
    if not scopes:
        return
    _bump(scopes)
    transaction.on_commit(lambda: _bump(scopes))


def _expand(*, works, listed, tags, users):
    from stories.models import Creatorship, CreatorshipStatus, Tag, TaggedWork, Work

    scopes = {WORK(pk) for pk in works}
    if listed and works:
        scopes.add(ALL_WORKS)
        tags |= set(
            TaggedWork.objects.filter(content_object_id__in=works)
            .exclude(filter_tag=None)
            .values_list("filter_tag_id", flat=True)
            .distinct()
        )
        # Every creator's profile lists the work (the owner's, too, for a
        # work written without its owner's creatorship).
        users |= set(
            Creatorship.objects.filter(
                work_id__in=works, status=CreatorshipStatus.ACCEPTED
            ).values_list("user_id", flat=True)
        )
        users |= set(
            Work.objects.filter(pk__in=works).values_list("owner_id", flat=True)
        )
    if tags:
        links = Tag.parents.through.objects.filter(from_tag_id__in=tags)
        tags |= set(links.values_list("to_tag_id", flat=True))
        tags |= set(Tag.objects.filter(merger_id__in=tags).values_list("pk", flat=True))
    scopes.update(TAG(pk) for pk in tags)
    scopes.update(USER(pk) for pk in users)
    return scopes


def _bump(scopes):
    cache.set_many({scope.key: _new_version() for scope in scopes}, timeout=None)


def render_marked(request, template_name, context):
    """Render a page or part with the token's mark where a form's token goes,
    and the reader's mark where the classes of their preferences go, so that
    it can be kept for readers who each have a token and preferences of their
    own."""
    return render_to_string(
        template_name,
        {**context, "csrf_token": CSRF_MARK, "reader_classes": READER_MARK},
        request=request,
    )


class MarksMiddleware:
    """Put into every HTML page what its marks stand for in this response: the
    reader's form token, the classes of their preferences, a fresh stamp for
    the spam guard (stories.moderation.guard), wherever a page or a part kept
    for many readers, or a page rendered for this one, left them.

    The one place values that differ with each response enter a page. It sits
    inside CsrfViewMiddleware (which sets the cookie of a token asked for here)
    and CommonMiddleware (which sets the length of the page it changes).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            return response
        content = response.content
        for mark, value_of in _MARKS.items():
            # A value is only made for a page that shows it: a token asked
            # for starts the reader's CSRF cookie.
            if mark in content:
                content = content.replace(mark, value_of(request).encode())
        response.content = content
        return response


def whole_for_guests(view):
    """Serve a view's pages whole to guests without a session or messages.

    Such a guest is served the page from the cache as long as everything it
    showed is unchanged (the versions of its scopes, kept with it), without
    running the view; the view files its pages with page_response.
    """

    @wraps(view)
    def served(request, *args, **kwargs):
        if _is_plain_guest(request):
            kept = cache.get(_page_key(request))
            if kept is not None:
                versions, html = kept
                if _versions_now(dict(versions)):
                    return HttpResponse(html)
        return view(request, *args, **kwargs)

    return served


def page_response(request, scopes, render, *, status=200):
    """Return a page; render() returns its HTML, rendered with render_marked.

    A guest's page is kept whole, with the versions of what it shows (read
    before it is rendered), for whole_for_guests to serve to the next guest.
    """
    # A page that starts a session (a notice accepted) is not kept: served
    # whole, it would skip what the session remembers.
    if _is_plain_guest(request) and status == 200 and not _session_started(request):
        versions = _versions(scopes)
        html = render()
        kept = (tuple(sorted(versions.items())), html)
        cache.set(_page_key(request), kept, timeout=PARTS_TIMEOUT)
    else:
        html = render()
    return HttpResponse(html, status=status)


def _page_key(request):
    # What a guest's page says besides its address: its language (addresses
    # carry none), dates in their time zone, and an adult work's text or the
    # notice before it.
    shown = (
        get_language(),
        timezone.get_current_timezone_name(),
        reader_preferences(request).view_adult,
    )
    path = repr((release(), request.get_full_path(), shown)).encode()
    return f"page:{hashlib.sha256(path).hexdigest()[:40]}"


def _versions_now(versions):
    """Return whether these versions are all current."""
    return cache.get_many(list(versions)) == versions


def _session_started(request):
    session = getattr(request, "session", None)
    return session is not None and session.modified


def _is_plain_guest(request):
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and not request.user.is_authenticated
    )


def forget_everything():
    """Empty the cache and this process's copies, as after a cold start."""
    cache.clear()
