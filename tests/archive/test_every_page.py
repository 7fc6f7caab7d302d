"""Every address in the URLconf, walked: filled with real ids and with hostile
values, asked with random query strings and sent random forms, as a guest, a
reader, the owner and staff. Nothing answers with a server error.

The test lists the patterns itself, so a new page is walked without anyone
adding it; a pattern with a parameter it cannot fill fails the test until
FILL_BY_NAME / OBJECT_BY_SEGMENT below learn it.
"""

import html
import random
import re
import traceback
from urllib.parse import unquote

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from stories import services
from stories.bookmarks.services import bookmark_create, folder_create
from stories.caching import forget_everything
from stories.creators import work_invite_creator
from stories.downloads.addresses import download_url
from stories.models import Tag, TagKind
from stories.moderation.services import report_file
from stories.series.services import series_create
from stories.subscriptions.services import subscription_create
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

# Patterns not walked, each with its reason. Everything else is.
NOT_WALKED = {
    "admin/taggit/tag/merge-tags/": "django-taggit's own merge view, over its "
    "Tag model that the archive does not use (stories.Tag is its own): it "
    "raises ValueError on a posted tag id that is not a number",
}
# The admin is walked in a test of its own, as staff only (anyone else is sent
# to its log-in page), without hostile path values (Django's own converters).
ADMIN = "admin/"

# What random queries and forms hold, besides the fields a page's forms name.
HOSTILE_VALUES = [
    "", " ", "0", "1", "-1", "2147483648", "9223372036854775808",
    "99999999999999999999999999", "1e309", "nan", "-0", "1.5", "0x10",
    "\x00", "a\x00b", "\x1b[31m", "\u202eevil", "ü✓漢字", "😀", "\ud7ff",
    "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd",
    "javascript:alert(1)", "//evil.example", "\\\\evil.example", "x" * 5000,
    "true", "false", "on", "2026-13-45", "{{ 7|add:7 }}", "%s%n", "null",
    "General Audiences", "Original Work", "kudos", "-kudos", "words",
]  # fmt: skip
QUERY_KEYS = [
    "page", "sort", "order", "q", "query", "next", "tag", "tags", "fandom",
    "rating", "warning", "complete", "per_page", "view_adult", "view_full_work",
    "format", "since", "before", "after", "lang", "words_from", "words_to",
    "crossover", "exclude", "show", "folder", "status", "id", "work", "user",
]  # fmt: skip
# Hostile fillings of a path parameter, by the regex its converter allows.
HOSTILE_INTS = ["0", "2147483648", "9223372036854775808", "9" * 40]
HOSTILE_TEXTS = [
    "%00", "a%00b", "..", "..%2F..%2Fetc%2Fpasswd", "%2E%2E",
    "%E2%9C%93%C3%BC%F0%9F%98%80", "x" * 300, "%FF%FE",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%0A", "%20", "%25",
]  # fmt: skip

# "next" addresses elsewhere: every request carries one (or a hostile value),
# and no page links to it, no form posts to it and no redirect follows it.
ELSEWHERE = [
    "javascript:alert(1)", "data:text/html,x", "//evil.example", "\\\\evil.example",
    "/\\evil.example", "https://evil.example/", " //evil.example", "http:evil.example",
]  # fmt: skip
ADDRESS_ATTRIBUTE_RE = re.compile(r"\b(?:href|action|formaction|src)=\"([^\"]*)\"")
FORM_FIELD_RE = re.compile(
    r"<(input|select|textarea)\b[^>]*?\bname=\"([^\"]+)\"[^>]*>", re.IGNORECASE
)
FILE_FIELD_RE = re.compile(r"\btype=\"file\"", re.IGNORECASE)
PARAMETER_RE = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
GROUP_RE = re.compile(r"\(\?P<(?P<name>\w+)>[^()]*\)")


def every_pattern(resolver=None, prefix=""):
    """Yield the full pattern string of every URLPattern, through includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from every_pattern(entry, prefix + pattern)
        elif isinstance(entry, URLPattern):
            yield prefix + pattern


def walked_patterns(*, admin=False):
    return [
        pattern
        for pattern in dict.fromkeys(every_pattern())
        if not any(pattern.startswith(skipped) for skipped in NOT_WALKED)
        and pattern.startswith(ADMIN) == admin
    ]


@pytest.fixture
def world(db):
    """One of everything a page can be about, owned by `owner`."""
    owner = UserFactory(username="quillfeather")
    reader = UserFactory(username="pageturner")
    staff = UserFactory(username="moderator", is_staff=True, is_superuser=True)
    work = make_work(
        owner=owner,
        chapters=2,
        characters=("Lantern Keeper",),
        freeforms=("Canals",),
        hold_guest_comments=True,
    )
    other = make_work(owner=reader, title="Bridges")
    chapter = work.chapters.order_by("position").last()
    comment = services.comment_post(chapter=chapter, body="Lovely.", user=reader)
    services.comment_post(
        chapter=chapter, body="Thank you!", user=owner, parent=comment
    )
    services.comment_post(
        chapter=chapter, body="A guest's word.", guest_name="Wanderer",
        guest_email="wanderer@example.org",
    )  # fmt: skip
    folder = folder_create(owner=owner, name="Favourites")
    bookmark = bookmark_create(
        owner=owner, work=other, notes="<p>Yes</p>", folder=folder
    )
    series = series_create(owner=owner, title="Canal Tales", works=[work])
    subscription, _ = subscription_create(user=owner, target="work", obj=other)
    invitation = work_invite_creator(work=work, user=reader, invited_by=owner)
    report_file(work=work, reason="spam", details="?", reporter=reader)
    fandom = Tag.objects.get(kind=TagKind.FANDOM, name="Original Work")
    name, ext = download_url(work, "html").rsplit("/", 1)[-1].rsplit(".", 1)
    objects = {
        "works": work.pk, "chapters": chapter.pk, "comments": comment.pk,
        "bookmarks": bookmark.pk, "folders": folder.pk, "series": series.pk,
        "subscriptions": subscription.pk, "invitations": invitation.pk,
        "downloads": work.pk, "readings": work.pk,
    }  # fmt: skip
    by_name = {
        "work_pk": work.pk, "series_pk": series.pk, "folder_pk": folder.pk,
        "user_pk": reader.pk, "username": owner.username, "pseud": owner.username,
        "slug": fandom.slug, "name": name, "ext": ext, "chart": "kudos",
        "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
        "token": default_token_generator.make_token(owner),
    }  # fmt: skip
    return {
        "users": {"guest": None, "reader": reader, "owner": owner, "staff": staff},
        "objects": objects,
        "by_name": by_name,
        "ids": list(objects.values()) + [reader.pk, owner.pk],
        "admin_ids": {
            "work": work.pk,
            "chapter": chapter.pk,
            "comment": comment.pk,
            "tag": fandom.pk,
            "user": owner.pk,
            "bookmark": bookmark.pk,
            "bookmarkfolder": folder.pk,
            "series": series.pk,
            "subscription": subscription.pk,
        },  # fmt: skip
        "work_type": ContentType.objects.get_for_model(work).pk,
    }


def parameters(pattern):
    """Return (name, is_int, span) for each parameter of a pattern string."""
    groups = [
        (m["name"], m.group(0).endswith("[0-9]+)"), m.span())
        for m in GROUP_RE.finditer(pattern)
    ]
    masked = GROUP_RE.sub(lambda m: "_" * len(m.group(0)), pattern)
    routes = [
        (m["name"], m["converter"] == "int", m.span())
        for m in PARAMETER_RE.finditer(masked)
    ]
    return sorted(groups + routes, key=lambda item: item[2])


def real_value(pattern, name, span, world):
    """The value of a parameter that names an existing object, or None."""
    if name in world["by_name"]:
        return str(world["by_name"][name])
    if name == "pk":
        segment = pattern[: span[0]].rstrip("/").rsplit("/", 1)[-1]
        if segment in world["objects"]:
            return str(world["objects"][segment])
    if pattern.startswith(ADMIN) and name in ADMIN_VALUES:
        return ADMIN_VALUES[name](pattern[: span[0]], world)
    return None


def _admin_object_id(before, world):
    """The id of an object of the admin page's model: one the world made."""
    model = before.rstrip("/").rsplit("/", 1)[-1]
    return str(world["admin_ids"].get(model, 1))


ADMIN_VALUES = {
    "object_id": _admin_object_id,
    "id": _admin_object_id,
    "app_label": lambda before, world: "stories",
    "content_type_id": lambda before, world: str(world["work_type"]),
    "url": lambda before, world: "nowhere/",
}


def address(pattern, values):
    """Return the path of a pattern with its parameters replaced by values."""
    path = _replaced(pattern, dict.fromkeys(values, "x"))
    leftover = re.search(r"[\\()\[\]?*+|{}]", path)
    assert leftover is None, f"cannot make an address of {pattern!r}: {path!r}"
    return "/" + _replaced(pattern, values)


def _replaced(pattern, values):
    path = pattern
    for (_, _, span), value in sorted(
        values.items(), key=lambda item: item[0][2], reverse=True
    ):
        path = path[: span[0]] + value + path[span[1] :]
    return path.replace("^", "").replace("$", "")


def fillings(pattern, world):
    """Yield addresses of a pattern: all real, then each parameter hostile."""
    params = parameters(pattern)
    real = {}
    unknown = []
    for param in params:
        value = real_value(pattern, param[0], param[2], world)
        if value is None:
            unknown.append(param[0])
        real[param] = value
    assert not unknown, (
        f"{pattern!r}: teach tests/archive/test_every_page.py to fill {unknown}"
    )
    yield address(pattern, real), True
    for param in params:
        if param[0] == "ext":  # its converter takes only the known formats
            continue
        for hostile in HOSTILE_INTS if param[1] else HOSTILE_TEXTS:
            yield address(pattern, {**real, param: hostile}), False


def random_value(rng, world):
    if rng.random() < 0.2:
        return str(rng.choice(world["ids"]))
    return rng.choice(HOSTILE_VALUES)


def random_next(rng, world):
    return rng.choice(ELSEWHERE) if rng.random() < 0.7 else random_value(rng, world)


def random_query(rng, world, names):
    keys = rng.sample(QUERY_KEYS, 3) + rng.sample(sorted(names), min(3, len(names)))
    return {
        **{key: random_value(rng, world) for key in keys},
        "next": random_next(rng, world),
    }


def random_form(rng, world, names, file_names):
    form = {}
    for key in sorted(names | set(rng.sample(QUERY_KEYS, 2))):
        if rng.random() < 0.15:
            form[key] = [random_value(rng, world), random_value(rng, world)]
        elif rng.random() < 0.1:
            continue
        else:
            form[key] = random_value(rng, world)
    form["next"] = random_next(rng, world)
    for key in sorted(file_names):
        name = rng.choice(["a.txt", "a.html", "a.docx", "a.odt", "x", "..\\a.md"])
        data = rng.choice(
            [b"", b"\x00" * 50, b"PK\x03\x04", "ü Chapter 1\n\nText".encode()]
        )
        form[key] = SimpleUploadedFile(name, data)
    return form


FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
ACTION_RE = re.compile(r"\baction=\"([^\"]*)\"")


def forms_by_action(response, path):
    """{address a form posts to: (field names, file field names)} of a page."""
    found = {}
    if (
        response.status_code != 200
        or getattr(response, "streaming", False)
        or "html" not in response.get("Content-Type", "")
    ):
        return found
    page = response.content.decode(errors="replace")
    for form in FORM_RE.finditer(page):
        action = ACTION_RE.search(form[1])
        target = html.unescape(action[1]).split("?", 1)[0] if action else path
        names, files = found.setdefault(target or path, (set(), set()))
        for match in FORM_FIELD_RE.finditer(form[2]):
            if match[2] != "csrfmiddlewaretoken":
                kind = files if FILE_FIELD_RE.search(match.group(0)) else names
                kind.add(match[2])
    return found


def form_fields(response):
    """The names of the fields of a page's forms, and which take files."""
    if (
        response.status_code != 200
        or getattr(response, "streaming", False)
        or "html" not in response.get("Content-Type", "")
    ):
        return set(), set()
    page = response.content.decode(errors="replace")
    names, files = set(), set()
    for match in FORM_FIELD_RE.finditer(page):
        if match[2] == "csrfmiddlewaretoken":
            continue
        (files if FILE_FIELD_RE.search(match.group(0)) else names).add(match[2])
    return names, files


class Walk:
    def __init__(self, world):
        self.world = world
        self.failures = []
        self.requests = 0
        self.clients = {}
        self.forms = {}

    def gather_forms(self, patterns):
        """Read every page once as the owner and a reader, to learn the fields
        of the forms that post to each address."""
        with transaction.atomic():
            self.sign_in_everyone()
            for pattern in patterns:
                path, _ = next(fillings(pattern, self.world))
                for role in ("owner", "reader", "staff"):
                    response = self.ask(role, "get", path) or _NONE
                    for target, (names, files) in forms_by_action(
                        response, path
                    ).items():
                        known = self.forms.setdefault(target, (set(), set()))
                        known[0].update(names)
                        known[1].update(files)
            transaction.set_rollback(True)
        forget_everything()

    def sign_in_everyone(self):
        for role, user in self.world["users"].items():
            client = Client(raise_request_exception=True)
            if user is not None:
                client.force_login(user)
            self.clients[role] = client

    def ask(self, role, method, path, data=None, headers=None):
        self.requests += 1
        client = self.clients[role]
        try:
            with transaction.atomic():
                response = getattr(client, method)(path, data or {}, headers=headers)
        except Exception as error:  # noqa: BLE001 - every crash is a failure to report
            frames = traceback.extract_tb(error.__traceback__)
            ours = [
                f"{frame.filename.rsplit('/', 2)[-2:]}:{frame.lineno} {frame.name}"
                for frame in frames
                if "site-packages" not in frame.filename
                and "test_every_page" not in frame.filename
            ] + [f"{frames[-1].filename}:{frames[-1].lineno} {frames[-1].name}"]
            self.failures.append(
                f"{role} {method.upper()} {path!r} {data!r}\n  "
                f"{type(error).__name__}: {str(error)[:200]}\n  at {ours[-2:]}"
            )
            return None
        if getattr(response, "streaming", False):
            # Not response.close(): it sends request_finished, which would close
            # the test's database connection.
            b"".join(response.streaming_content)
            if getattr(response, "file_to_stream", None) is not None:
                response.file_to_stream.close()
        if data and "next" in data:
            self.check_addresses(role, method, path, data, response)
        if response.status_code >= 500:
            self.failures.append(
                f"{role} {method.upper()} {path!r} {data!r}: {response.status_code}"
            )
        return response

    def check_addresses(self, role, method, path, data, response):
        """Neither a redirect nor a link or form of the page leads elsewhere."""
        if response.status_code in (301, 302, 303, 307, 308):
            shown = [response["Location"]]
        elif getattr(response, "streaming", False) or "html" not in response.get(
            "Content-Type", ""
        ):
            return
        else:
            page = response.content.decode(errors="replace")
            shown = ADDRESS_ATTRIBUTE_RE.findall(page)
        for value in shown:
            value = unquote(html.unescape(value)).strip().lower()
            # What the address leads to, not what its query carries along (the
            # log-in link takes the whole current address as its own "next").
            head = value.split("?", 1)[0].split("#", 1)[0]
            if "evil.example" in head or value.startswith(("javascript:", "data:")):
                self.failures.append(
                    f"{role} {method.upper()} {path!r} {data!r}\n  leads to {value!r}"
                )

    def elsewhere(self, pattern):
        """Ask a pattern with every "next" (and Referer) elsewhere, as a guest
        and as the owner; whatever it writes is undone afterwards."""
        with transaction.atomic():
            self.sign_in_everyone()
            path, _ = next(fillings(pattern, self.world))
            for role in ("guest", "owner"):
                for address in ELSEWHERE:
                    data = {"next": address}
                    self.ask(role, "get", path, data, headers={"referer": address})
                    self.ask(role, "post", path, data, headers={"referer": address})
            transaction.set_rollback(True)
        forget_everything()

    def admin_pattern(self, pattern, rng):
        """Walk one admin pattern as staff; whatever it writes is undone."""
        with transaction.atomic():
            self.sign_in_everyone()
            path, _ = next(fillings(pattern, self.world))
            names, files = form_fields(self.ask("staff", "get", path) or _NONE)
            self.ask("staff", "get", path, random_query(rng, self.world, names))
            self.ask("staff", "post", path, random_form(rng, self.world, names, files))
            transaction.set_rollback(True)
        forget_everything()

    def pattern(self, pattern, rng):
        """Walk one pattern; whatever it writes is undone afterwards."""
        with transaction.atomic():
            self.sign_in_everyone()
            for path, real in fillings(pattern, self.world):
                roles = self.clients if real else ("guest", "owner")
                for role in roles:
                    names, files = form_fields(self.ask(role, "get", path) or _NONE)
                    names = names | self.forms.get(path, (set(), set()))[0]
                    files = files | self.forms.get(path, (set(), set()))[1]
                    if not real:
                        self.ask(
                            role,
                            "post",
                            path,
                            random_form(rng, self.world, names, files),
                        )
                        continue
                    for _ in range(2):
                        self.ask(
                            role, "get", path, random_query(rng, self.world, names)
                        )
                    for _ in range(2):
                        self.ask(
                            role,
                            "post",
                            path,
                            random_form(rng, self.world, names, files),
                        )
            transaction.set_rollback(True)
        forget_everything()


class _None:
    status_code = 0

    def get(self, key, default=None):
        return default


_NONE = _None()


def test_every_pattern_can_be_filled():
    """Every pattern not walked has its reason; every other one names only
    parameters this test knows how to fill (checked again in the walk)."""
    patterns = walked_patterns()
    assert len(patterns) > 50
    for pattern in patterns:
        assert ")" not in re.sub(GROUP_RE, "", pattern), pattern


def test_no_page_answers_with_a_server_error_nor_leads_elsewhere(world):
    rng = random.Random(2026)
    walk = Walk(world)
    patterns = walked_patterns()
    walk.gather_forms(patterns)
    print(f"forms posting to {len(walk.forms)} addresses")
    for pattern in patterns:
        walk.pattern(pattern, rng)
    print(f"walked {len(patterns)} patterns with {walk.requests} requests")
    assert not walk.failures, (
        f"{len(walk.failures)} of {walk.requests} requests failed:\n\n"
        + "\n\n".join(walk.failures[:30])
    )


def test_no_page_takes_a_next_address_elsewhere(world):
    """Every pattern, not only those known to take a "next": asked with each
    address elsewhere as "next" and as Referer, by GET and by POST."""
    walk = Walk(world)
    patterns = walked_patterns()
    for pattern in patterns:
        walk.elsewhere(pattern)
    print(f"asked {len(patterns)} patterns {walk.requests} times with 'next' elsewhere")
    assert not walk.failures, (
        f"{len(walk.failures)} of {walk.requests} requests failed:\n\n"
        + "\n\n".join(walk.failures[:30])
    )


def test_no_admin_page_answers_with_a_server_error(world):
    rng = random.Random(2026)
    walk = Walk(world)
    patterns = walked_patterns(admin=True)
    for pattern in patterns:
        walk.admin_pattern(pattern, rng)
    print(f"walked {len(patterns)} admin patterns with {walk.requests} requests")
    assert not walk.failures, (
        f"{len(walk.failures)} of {walk.requests} requests failed:\n\n"
        + "\n\n".join(walk.failures[:30])
    )
