"""What a write empties from the cache: every change shows on the next view of
every page that shows it, and a page that does not show it is served from the
cache without being rendered again.

Black-box: writes go through the services, the admin and the site's views,
inside django_capture_on_commit_callbacks(execute=True) so that what runs on
commit runs as in production; pages are read as a guest and as a signed-in
reader, who are served different cached renderings.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from archive.models import User
from stories import services
from stories.models import Comment, Tag, TagKind, Work
from tests.factories import UserFactory, make_work
from tests.pages import admin_work_form, titles, words

pytestmark = pytest.mark.django_db

# The parts of listing and reading pages that are cached once rendered.
CACHED_PARTIALS = {
    "stories/_listing.html",
    "stories/_search_listing.html",
    "stories/_home.html",
    "stories/_reading.html",
    "stories/_work_blurb.html",
    "stories/_filters.html",
}
FILTERED = "?rating=general&complete=in-progress"


@dataclass
class Scene:
    """A small archive: the author's works in one fandom, another author's
    work in another, a reader's comment, and the clients that look at them."""

    author: User
    other: User
    reader: User
    lantern: Work
    tidewater: Work
    shorthand: Work
    far_shore: Work
    comment: Comment
    urls: dict
    guest: Client
    signed_in: Client
    staff: Client
    draft: Work | None = None

    def tag(self, name, kind=TagKind.FANDOM):
        return Tag.objects.get(kind=kind, name=name)

    def chapters(self):
        return list(self.lantern.chapters.order_by("position"))


@pytest.fixture
def scene(author, reader, staff):
    other = UserFactory(username="inkwell")
    lantern = make_work(
        owner=author,
        title="The Lantern Keeper",
        summary="Lamps along the water.",
        fandoms=["Harbour Lights"],
        characters=["Mara Quinn"],
        relationships=["Mara Quinn/Tobias Reed"],
        freeforms=["Slow Burn"],
        chapters=2,
    )
    tidewater = make_work(
        owner=author,
        title="Tidewater",
        fandoms=["Harbour Lights"],
        freeforms=["Found Family"],
    )
    shorthand = make_work(owner=author, title="Shorthand", fandoms=["HL"])
    # Nothing of it is shared with the author's works: no tag, no person.
    far_shore = make_work(
        owner=other,
        title="The Far Shore",
        fandoms=["Deep Waters"],
        characters=["Old Sal"],
        warnings=["Choose Not To Use Archive Warnings"],
        chapters=2,
    )
    services.tag_make_canonical(tag=Tag.objects.get(name="Harbour Lights"))
    first, second = lantern.chapters.order_by("position")
    comment = services.comment_post(chapter=first, user=reader, body="First words")
    far_first, far_second = far_shore.chapters.order_by("position")

    def tag_url(name, kind=TagKind.FANDOM):
        return Tag.objects.get(kind=kind, name=name).get_absolute_url()

    fandom = tag_url("Harbour Lights")
    urls = {
        "work": lantern.get_absolute_url(),
        "chapter": second.get_absolute_url(),
        "full": f"{lantern.get_absolute_url()}?view_full_work=true",
        "navigate": reverse("stories:work_navigate", args=[lantern.pk]),
        "fandom": fandom,
        "fandom filtered": f"{fandom}{FILTERED}",
        "fandom by comments": f"{fandom}?sort=comments",
        "slow burn": tag_url("Slow Burn", TagKind.FREEFORM),
        "found family": tag_url("Found Family", TagKind.FREEFORM),
        "hl": tag_url("HL"),
        "works": reverse("stories:work_list"),
        "home": reverse("stories:home"),
        "profile": author.get_absolute_url(),
        "feed": reverse("stories:tag_feed", args=["harbour-lights"]),
        "other work": far_shore.get_absolute_url(),
        "other chapter": far_second.get_absolute_url(),
        "other fandom": tag_url("Deep Waters"),
        "other fandom filtered": f"{tag_url('Deep Waters')}{FILTERED}",
        "other character": tag_url("Old Sal", TagKind.CHARACTER),
        "other profile": other.get_absolute_url(),
    }
    signed_in, staff_client = Client(), Client()
    signed_in.force_login(reader)
    staff_client.force_login(staff)
    return Scene(
        author=author,
        other=other,
        reader=reader,
        lantern=lantern,
        tidewater=tidewater,
        shorthand=shorthand,
        far_shore=far_shore,
        comment=comment,
        urls=urls,
        guest=Client(),
        signed_in=signed_in,
        staff=staff_client,
    )


def set_up(scene, change, django_capture_on_commit_callbacks):
    """Make what the change needs in place before it, as it would be committed."""
    if change.setup:
        with django_capture_on_commit_callbacks(execute=True):
            change.setup(scene)


def url_of(scene, page):
    """Return the address of a named page; "search:WORDS" is a search."""
    if page.startswith("search:"):
        return f"{reverse('stories:work_search')}?q={page.removeprefix('search:')}"
    return scene.urls[page]


# The changes, each through one public path.


def lantern_tags(**kinds):
    tags = {
        "fandom": ["Harbour Lights"],
        "character": ["Mara Quinn"],
        "relationship": ["Mara Quinn/Tobias Reed"],
        "freeform": ["Slow Burn"],
    }
    return {**tags, **kinds}


def update_lantern(scene, tags=None, **fields):
    services.work_update(
        work=scene.lantern,
        tags=tags or lantern_tags(),
        warnings=["No Archive Warnings Apply"],
        **fields,
    )


def make_draft(scene):
    scene.draft = make_work(
        owner=scene.author, title="Night Ferry", fandoms=["Harbour Lights"], post=False
    )
    scene.urls["draft"] = scene.draft.get_absolute_url()


def add_draft_chapter(scene):
    services.chapter_create(
        work=scene.lantern,
        text=services.ChapterText(body="<p>The tide went out.</p>", title="Low Tide"),
        post=False,
    )


def make_hl_a_synonym(scene):
    services.tag_make_synonym(
        tag=scene.tag("HL"), canonical=scene.tag("Harbour Lights")
    )


def put_mara_in_the_fandom(scene):
    services.tag_set_parents(
        tag=scene.tag("Mara Quinn", TagKind.CHARACTER),
        fandoms=[scene.tag("Harbour Lights")],
    )


def hide_slow_burn(scene):
    services.reader_hide(
        reader=scene.reader, tags=[scene.tag("Slow Burn", TagKind.FREEFORM)]
    )


def accepted(response):
    assert response.status_code == 302, "the change was refused"


def admin_action(scene, model, action, objects, **data):
    accepted(
        scene.staff.post(
            reverse(f"admin:stories_{model}_changelist"),
            {
                "action": action,
                "_selected_action": [item.pk for item in objects],
                **data,
            },
        )
    )


def admin_save_work(scene, **changes):
    work = scene.lantern
    accepted(
        scene.staff.post(
            reverse("admin:stories_work_change", args=[work.pk]),
            admin_work_form(work, **changes),
        )
    )


def admin_save_tag(scene, tag, **changes):
    data = {
        "name": tag.name,
        "kind": tag.kind,
        "canonical": "on" if tag.canonical else "",
        "merger": tag.merger_id or "",
        "parents": list(tag.parents.values_list("pk", flat=True)),
    }
    accepted(
        scene.staff.post(
            reverse("admin:stories_tag_change", args=[tag.pk]), {**data, **changes}
        )
    )


def admin_save_user(scene, user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "bio": user.bio,
    }
    accepted(
        scene.staff.post(
            reverse("admin:archive_user_change", args=[user.pk]), {**data, **changes}
        )
    )


@dataclass(frozen=True)
class Change:
    apply: Callable
    setup: Callable | None = None


CHANGES = {
    "work_create": Change(
        lambda s: make_work(
            owner=s.author, title="Night Ferry", fandoms=["Harbour Lights"]
        )
    ),
    "work_update title": Change(lambda s: update_lantern(s, title="The Ember Warden")),
    "work_update summary": Change(
        lambda s: update_lantern(s, summary="Ships pass in the night.")
    ),
    "work_update tags": Change(
        lambda s: update_lantern(s, tags=lantern_tags(freeform=["Found Family"]))
    ),
    "work_post": Change(lambda s: services.work_post(work=s.draft), setup=make_draft),
    "work_unpost": Change(lambda s: services.work_unpost(work=s.lantern)),
    "work_delete": Change(lambda s: services.work_delete(work=s.lantern)),
    "chapter_create": Change(
        lambda s: services.chapter_create(
            work=s.lantern,
            text=services.ChapterText(
                body="<p>The tide went out.</p>", title="Low Tide"
            ),
        )
    ),
    "chapter_update": Change(
        lambda s: services.chapter_update(
            chapter=s.chapters()[1],
            text=services.ChapterText(body="<p>The tide went out.</p>", title="Ebb"),
        )
    ),
    "chapter_post": Change(
        lambda s: services.chapter_post(chapter=s.chapters()[2]),
        setup=add_draft_chapter,
    ),
    "chapter_delete": Change(
        lambda s: services.chapter_delete(chapter=s.chapters()[1])
    ),
    "chapters_reorder": Change(
        lambda s: services.chapters_reorder(
            work=s.lantern, chapter_ids=[c.pk for c in reversed(s.chapters())]
        )
    ),
    "comment_post": Change(
        lambda s: services.comment_post(
            chapter=s.chapters()[0], user=s.reader, body="Second words"
        )
    ),
    "comment_edit": Change(
        lambda s: services.comment_edit(comment=s.comment, body="Changed words")
    ),
    "comment_delete": Change(lambda s: services.comment_delete(comment=s.comment)),
    "tag_rename": Change(
        lambda s: services.tag_rename(
            tag=s.tag("Slow Burn", TagKind.FREEFORM),
            name="Slowest Burn",
            kind=TagKind.FREEFORM,
        )
    ),
    "tag_make_canonical": Change(
        lambda s: services.tag_make_canonical(
            tag=s.tag("Mara Quinn", TagKind.CHARACTER)
        )
    ),
    "tag_make_noncanonical": Change(
        lambda s: services.tag_make_noncanonical(
            tag=s.tag("Mara Quinn", TagKind.CHARACTER)
        ),
        setup=lambda s: services.tag_make_canonical(
            tag=s.tag("Mara Quinn", TagKind.CHARACTER)
        ),
    ),
    "tags_make_synonyms": Change(
        lambda s: services.tags_make_synonyms(
            tags=[s.tag("HL")], canonical=s.tag("Harbour Lights")
        )
    ),
    "tag_make_synonym": Change(make_hl_a_synonym),
    "tag_remove_synonym": Change(
        lambda s: services.tag_remove_synonym(tag=s.tag("HL")),
        setup=make_hl_a_synonym,
    ),
    "tag_set_parents": Change(put_mara_in_the_fandom),
    "tag_set_parents to none": Change(
        lambda s: services.tag_set_parents(
            tag=s.tag("Mara Quinn", TagKind.CHARACTER), fandoms=[]
        ),
        setup=put_mara_in_the_fandom,
    ),
    "tags_add_parent": Change(
        lambda s: services.tags_add_parent(
            tags=[s.tag("Mara Quinn/Tobias Reed", TagKind.RELATIONSHIP)],
            fandom=s.tag("Harbour Lights"),
        )
    ),
    "tag_delete": Change(
        lambda s: services.tag_delete(tag=s.tag("Slow Burn", TagKind.FREEFORM))
    ),
    "reader_hide": Change(hide_slow_burn),
    "reader_unhide": Change(
        lambda s: services.reader_unhide(
            reader=s.reader,
            tag_ids=[s.tag("Slow Burn", TagKind.FREEFORM).pk],
        ),
        setup=hide_slow_burn,
    ),
    "admin: save work": Change(lambda s: admin_save_work(s, title="The Ember Warden")),
    "admin: post works": Change(
        lambda s: admin_action(s, "work", "post_works", [s.draft]), setup=make_draft
    ),
    "admin: mark works draft": Change(
        lambda s: admin_action(s, "work", "mark_works_draft", [s.lantern])
    ),
    "admin: delete work": Change(
        lambda s: accepted(
            s.staff.post(
                reverse("admin:stories_work_delete", args=[s.lantern.pk]),
                {"post": "yes"},
            )
        )
    ),
    "admin: rename tag": Change(
        lambda s: admin_save_tag(
            s, s.tag("Slow Burn", TagKind.FREEFORM), name="Slowest Burn"
        )
    ),
    "admin: make tag a synonym": Change(
        lambda s: admin_save_tag(s, s.tag("HL"), merger=s.tag("Harbour Lights").pk)
    ),
    "admin: set parents": Change(
        lambda s: admin_save_tag(
            s,
            s.tag("Mara Quinn", TagKind.CHARACTER),
            parents=[s.tag("Harbour Lights").pk],
        )
    ),
    "admin: make tags synonyms of": Change(
        lambda s: admin_action(
            s, "tag", "make_synonyms", [s.tag("HL")], apply="1", tag="Harbour Lights"
        )
    ),
    "admin: set parent fandom": Change(
        lambda s: admin_action(
            s,
            "tag",
            "set_parent_fandom",
            [s.tag("Mara Quinn", TagKind.CHARACTER)],
            apply="1",
            tag="Harbour Lights",
        )
    ),
    "admin: edit comment": Change(
        lambda s: accepted(
            s.staff.post(
                reverse("admin:stories_comment_change", args=[s.comment.pk]),
                {"body": "Changed words"},
            )
        )
    ),
    "admin: delete comment": Change(
        lambda s: accepted(
            s.staff.post(
                reverse("admin:stories_comment_delete", args=[s.comment.pk]),
                {"post": "yes"},
            )
        )
    ),
    "admin: rename author": Change(
        lambda s: admin_save_user(s, s.author, username="lamplighter")
    ),
    "admin: rename commenter": Change(
        lambda s: admin_save_user(s, s.reader, username="lamplighter")
    ),
    "admin: deactivate author": Change(
        lambda s: admin_save_user(s, s.author, is_active="")
    ),
    "site: comment": Change(
        lambda s: accepted(
            s.signed_in.post(
                reverse(
                    "stories:comment_create", args=[s.lantern.pk, s.chapters()[0].pk]
                ),
                {"body": "Second words"},
            )
        )
    ),
}


# What each change shows, and where.


@dataclass(frozen=True)
class Seen:
    """A page after the change: its status, the words it shows (in this
    order), and the words it no longer shows."""

    page: str
    shown: tuple = ()
    gone: tuple = ()
    status: int = 200


def shows(response, seen):
    """Return whether the page is as it should be after the change."""
    if response.status_code != seen.status:
        return False
    if seen.status != 200:
        return True
    page = words(response)
    at = 0
    for expected in seen.shown:
        at = page.find(expected, at)
        if at < 0:
            return False
        at += len(expected)
    return not any(old in page for old in seen.gone)


def on(pages, shown=(), gone=(), status=200):
    if isinstance(shown, str):
        shown = (shown,)
    if isinstance(gone, str):
        gone = (gone,)
    return [Seen(page, shown, gone, status) for page in pages.split(", ")]


LISTINGS = "fandom, fandom filtered, works, home, profile, feed"
READING = "work, chapter, full"

RETITLED = [
    *on(f"{READING}, navigate", "The Ember Warden", "The Lantern Keeper"),
    *on(LISTINGS, "The Ember Warden", "The Lantern Keeper"),
    *on("search:ember", "The Ember Warden"),
]
NEW_WORK = [*on(LISTINGS, "Night Ferry"), *on("search:ferry", "Night Ferry")]
POSTED_DRAFT = [*NEW_WORK, *on("draft", "Night Ferry")]
TAKEN_DOWN = [
    *on(LISTINGS, gone="The Lantern Keeper"),
    *on("search:lantern", gone="The Lantern Keeper"),
    *on(f"{READING}, navigate", status=404),
]
THIRD_CHAPTER = [
    *on("work, chapter", "3. Chapter 3: Low Tide"),
    *on("chapter", "Next Chapter"),
    *on("full, navigate", "Chapter 3: Low Tide"),
    *on("full", "The tide went out."),
    *on(f"{READING}, {LISTINGS}", "Chapters: 3/?"),
    *on(f"{READING}, fandom, fandom filtered, profile, feed", gone="Chapters: 2/?"),
]
RETAGGED = [
    *on(f"{READING}, {LISTINGS}", "Slowest Burn", "Slow Burn"),
    *on("slow burn", "Slowest Burn"),
    *on("search:slowest", "The Lantern Keeper"),
]
HL_MERGED = [
    *on("fandom, fandom filtered", "Shorthand"),
    *on("search:harbour", "Shorthand"),
    *on("hl", status=302),
]
MARA_IN_FANDOM = on("fandom, fandom filtered", "Characters in this fandom Mara Quinn")
EDITED_COMMENT = on("work", "Changed words", "First words")
DELETED_COMMENT = [
    *on("work", gone="First words"),
    *on(f"{READING}, fandom, works, home, profile", "Comments: 0", "Comments: 1"),
]
SECOND_COMMENT = [
    *on("work", ("First words", "Second words")),
    *on(f"{READING}, fandom, fandom filtered, works, home, profile", "Comments: 2"),
]


def shown(change, seen, marks=()):
    return pytest.param(change, seen, id=change, marks=marks)


SHOWN = [
    shown("work_create", NEW_WORK),
    shown("work_update title", RETITLED),
    shown(
        "work_update summary",
        [
            *on(f"{READING}, {LISTINGS}", "Ships pass in the night.", "Lamps along"),
            *on("search:ships", "The Lantern Keeper"),
        ],
    ),
    shown(
        "work_update tags",
        [
            *on(f"{READING}, {LISTINGS}", "Found Family", "Slow Burn"),
            *on("found family", ("The Lantern Keeper",)),
            *on("slow burn", gone="The Lantern Keeper"),
        ],
    ),
    shown("work_post", POSTED_DRAFT),
    shown("work_unpost", TAKEN_DOWN),
    shown("work_delete", TAKEN_DOWN),
    shown("chapter_create", THIRD_CHAPTER),
    shown(
        "chapter_update",
        [
            *on("work, chapter, navigate, full", "Chapter 2: Ebb", "Part 2"),
            *on("chapter, full", "The tide went out."),
            *on("chapter", gone="Somebody was humming"),
        ],
    ),
    shown("chapter_post", THIRD_CHAPTER),
    shown(
        "chapter_delete",
        [
            *on("work, full, navigate", gone="Part 2"),
            *on("work, full, fandom, works, home, profile", "1/? Comments: 1"),
            *on("chapter", status=404),
        ],
    ),
    shown(
        "chapters_reorder",
        [
            *on("work, chapter", "1. Chapter 2: Part 2 2. Chapter 1: Beginnings"),
            *on("chapter", "Next Chapter", "Previous Chapter"),
            *on("full, navigate", ("Part 2", "Beginnings")),
        ],
    ),
    shown("comment_post", SECOND_COMMENT),
    shown("comment_edit", EDITED_COMMENT),
    shown("comment_delete", DELETED_COMMENT),
    shown("tag_rename", RETAGGED),
    shown("tags_make_synonyms", HL_MERGED),
    shown("tag_make_synonym", HL_MERGED),
    shown(
        "tag_remove_synonym",
        [
            *on("fandom, fandom filtered", gone="Shorthand"),
            *on("search:harbour", gone="Shorthand"),
            *on("hl", "Shorthand"),
        ],
    ),
    shown("tag_set_parents", MARA_IN_FANDOM),
    shown(
        "tag_set_parents to none",
        on("fandom, fandom filtered", gone="Characters in this fandom"),
    ),
    shown(
        "tags_add_parent",
        on(
            "fandom, fandom filtered",
            "Relationships in this fandom Mara Quinn/Tobias Reed",
        ),
    ),
    shown(
        "tag_delete",
        [
            *on(f"{READING}, {LISTINGS}", gone="Slow Burn"),
            *on("slow burn", status=404),
        ],
    ),
    shown("admin: save work", RETITLED),
    shown("admin: post works", POSTED_DRAFT),
    shown("admin: mark works draft", TAKEN_DOWN),
    shown("admin: delete work", TAKEN_DOWN),
    shown("admin: rename tag", RETAGGED),
    shown("admin: make tag a synonym", HL_MERGED),
    shown("admin: set parents", MARA_IN_FANDOM),
    shown("admin: make tags synonyms of", HL_MERGED),
    shown("admin: set parent fandom", MARA_IN_FANDOM),
    shown("admin: edit comment", EDITED_COMMENT),
    shown("admin: delete comment", DELETED_COMMENT),
    shown(
        "admin: rename author",
        [
            *on(f"{READING}, navigate", "by lamplighter", "quillfeather"),
            *on(LISTINGS.replace("profile, ", ""), "lamplighter", "quillfeather"),
            *on("search:lantern", "lamplighter", "quillfeather"),
            *on("profile", status=404),
        ],
    ),
    shown("admin: rename commenter", on("work", "lamplighter", "pageturner")),
    shown("admin: deactivate author", on("profile", status=404)),
    shown("site: comment", SECOND_COMMENT),
]


@pytest.mark.parametrize(("change", "seen"), SHOWN)
def test_a_change_shows_on_the_next_view_of_every_page_that_shows_it(
    scene, change, seen, django_capture_on_commit_callbacks
):
    change = CHANGES[change]
    set_up(scene, change, django_capture_on_commit_callbacks)
    viewers = {"guest": scene.guest, "reader": scene.signed_in}
    for expected in seen:
        for name, viewer in viewers.items():
            before = viewer.get(url_of(scene, expected.page))
            assert not shows(before, expected), (
                f"{name} saw {expected.page} as changed before the change"
            )

    with django_capture_on_commit_callbacks(execute=True):
        change.apply(scene)

    for expected in seen:
        for name, viewer in viewers.items():
            after = viewer.get(url_of(scene, expected.page))
            assert shows(after, expected), (
                f"{name}'s next view of {expected.page} is stale: "
                f"{after.status_code} {words(after)[:2000]}"
            )


@pytest.mark.parametrize(
    ("change", "canonical"),
    [("tag_make_canonical", True), ("tag_make_noncanonical", False)],
)
def test_a_canonical_change_shows_in_the_next_tag_suggestions(
    scene, change, canonical, django_capture_on_commit_callbacks
):
    # No cached page shows whether a tag is canonical: the suggestions do.
    change = CHANGES[change]
    set_up(scene, change, django_capture_on_commit_callbacks)
    url = reverse("stories:tag_autocomplete")
    query = {"q": "mara", "kind": "character"}

    def suggested():
        rows = scene.guest.get(url, query).json()["results"]
        return {row["name"]: row["canonical"] for row in rows}

    assert suggested()["Mara Quinn"] is not canonical
    with django_capture_on_commit_callbacks(execute=True):
        change.apply(scene)
    assert suggested()["Mara Quinn"] is canonical


@pytest.mark.parametrize("change", ["reader_hide", "reader_unhide"])
def test_a_readers_hidden_tags_show_on_their_next_view_of_every_listing(
    scene, change, django_capture_on_commit_callbacks
):
    change = CHANGES[change]
    set_up(scene, change, django_capture_on_commit_callbacks)
    pages = ["fandom", "fandom filtered", "slow burn", "works", "home", "profile"]
    pages.append("search:lantern")
    hides = change.setup is None

    def listed(viewer, page):
        return "The Lantern Keeper" in words(viewer.get(url_of(scene, page)))

    for page in pages:
        assert listed(scene.guest, page), page
        assert listed(scene.signed_in, page) is hides, page

    with django_capture_on_commit_callbacks(execute=True):
        change.apply(scene)

    for page in pages:
        assert listed(scene.guest, page), page
        assert listed(scene.signed_in, page) is not hides, page


# Pages that do not show what changed.

# What a guest's repeat view of each reads from the database: nothing (a
# profile whose person is deactivated is filed anew, as their scope changed).
UNRELATED = {
    "other work": 0,
    "other chapter": 0,
    "other fandom": 0,
    "other fandom filtered": 0,
    "other character": 0,
    "other profile": 0,
}


@pytest.fixture
def assert_served_from_cache(django_assert_num_queries):
    """Return a check that a page comes from the cache: no listing or reading
    part rendered again, and no more queries than a repeat view makes."""

    def check(client, url, *, queries):
        rendered = []

        def record(sender, template, **kwargs):
            rendered.append(template.name)

        template_rendered.connect(record)
        try:
            with django_assert_num_queries(queries):
                response = client.get(url)
                assert response.status_code == 200
                again = sorted(CACHED_PARTIALS.intersection(rendered))
                assert not again, f"{url} rendered {again} again"
        finally:
            template_rendered.disconnect(record)
        return response

    return check


# Named so as not to stand for pytest-playwright's page fixture.
@pytest.mark.parametrize("unrelated", UNRELATED)
def test_a_guests_repeat_view_is_served_from_the_cache(
    scene, unrelated, assert_served_from_cache
):
    url = scene.urls[unrelated]
    first = scene.guest.get(url)
    assert first.status_code == 200

    again = assert_served_from_cache(scene.guest, url, queries=UNRELATED[unrelated])
    assert words(again) == words(first)


@pytest.mark.parametrize(
    "change",
    [
        "work_create",
        "work_update title",
        "work_update summary",
        "work_update tags",
        "work_post",
        "work_unpost",
        "work_delete",
        "chapter_create",
        "chapter_update",
        "chapter_post",
        "chapter_delete",
        "chapters_reorder",
        "comment_post",
        "comment_edit",
        "comment_delete",
        "tag_rename",
        "tag_make_canonical",
        "tag_make_noncanonical",
        "tags_make_synonyms",
        "tag_make_synonym",
        "tag_remove_synonym",
        "tag_set_parents",
        "tag_set_parents to none",
        "tags_add_parent",
        "tag_delete",
        "reader_hide",
        "reader_unhide",
        "admin: save work",
        "admin: post works",
        "admin: mark works draft",
        "admin: delete work",
        "admin: rename tag",
        "admin: make tag a synonym",
        "admin: set parents",
        "admin: make tags synonyms of",
        "admin: set parent fandom",
        "admin: edit comment",
        "admin: delete comment",
        "admin: rename author",
        "admin: rename commenter",
        "admin: deactivate author",
        "site: comment",
    ],
)
def test_a_change_leaves_the_pages_that_do_not_show_it_cached(
    scene, change, django_capture_on_commit_callbacks, assert_served_from_cache
):
    change = CHANGES[change]
    set_up(scene, change, django_capture_on_commit_callbacks)
    for page in UNRELATED:
        assert scene.guest.get(scene.urls[page]).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        change.apply(scene)

    for page, queries in UNRELATED.items():
        assert_served_from_cache(scene.guest, scene.urls[page], queries=queries)


def test_hiding_a_tag_leaves_everyone_elses_listings_cached(
    scene, django_capture_on_commit_callbacks, assert_served_from_cache
):
    pages = ["fandom", "fandom filtered", "slow burn", "works", "home"]
    for page in pages:
        scene.guest.get(scene.urls[page])

    with django_capture_on_commit_callbacks(execute=True):
        hide_slow_burn(scene)

    for page in pages:
        shown = assert_served_from_cache(scene.guest, scene.urls[page], queries=0)
        assert "The Lantern Keeper" in words(shown)


# Comments and the listings a work is on.


def test_a_comment_renders_again_only_its_works_blurb_on_a_tag_page(
    scene, django_capture_on_commit_callbacks
):
    url = scene.urls["fandom"]
    before = scene.guest.get(url)
    assert titles(before) == ["Tidewater", "The Lantern Keeper"]
    assert "Comments: 2" not in words(before)

    with django_capture_on_commit_callbacks(execute=True):
        CHANGES["comment_post"].apply(scene)

    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        after = scene.guest.get(url)
    finally:
        template_rendered.disconnect(record)
    assert rendered.count("stories/_work_blurb.html") == 1
    assert "Comments: 2" in words(after)
    assert titles(after) == titles(before)


def test_comments_resort_a_listing_sorted_by_comments_on_its_next_view(
    scene, django_capture_on_commit_callbacks
):
    url = scene.urls["fandom by comments"]
    for viewer in (scene.guest, scene.signed_in):
        assert titles(viewer.get(url)) == ["The Lantern Keeper", "Tidewater"]

    chapter = scene.tidewater.chapters.get()
    with django_capture_on_commit_callbacks(execute=True):
        for body in ("Lovely.", "More, please."):
            services.comment_post(chapter=chapter, user=scene.reader, body=body)

    for viewer in (scene.guest, scene.signed_in):
        assert titles(viewer.get(url)) == ["Tidewater", "The Lantern Keeper"]
