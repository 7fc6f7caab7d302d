"""axe-core on every page type, signed out and signed in, at 1280 and 390 pixels.

One archive is built for the module and one browser context kept for each of
the four ways of looking (signed out/in x desktop/mobile); each test is one
page type, loaded and checked in each of those contexts that may see it. The
counts of checks are written to $ARCHIVE_VAR_DIR/axe-counts.txt for the note.
"""

import os
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from archive.models import User
from archive.preferences import COOKIE_NAME, ReaderPreferences, Theme
from stories.caching import forget_everything
from stories.demo.content import DEMO_AUTHOR
from stories.models import Comment, Rating, Status, TagKind, Work
from stories.pseuds.models import Pseud
from tests.browser.a11y import DESKTOP, MOBILE, axe_counts, axe_report, axe_run
from tests.factories import SEED_CHAPTER

pytestmark = [pytest.mark.browser]

SIGNED_OUT, SIGNED_IN = "signed out", "signed in"
LOOKS = [
    (SIGNED_OUT, "desktop", DESKTOP),
    (SIGNED_OUT, "mobile", MOBILE),
    (SIGNED_IN, "desktop", DESKTOP),
    (SIGNED_IN, "mobile", MOBILE),
]
COUNTS = {}


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """The demo archive of `make run` (every page type shows real content, and
    the screenshots show what a newcomer will see), kept for the module (the
    browser's server reads it), emptied afterwards as transactional tests leave
    the database. Signed in is the demo author."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        author = User.objects.get(username=DEMO_AUTHOR.username)
        work = (
            Work.objects.filter(
                owner=author, rating=Rating.GENERAL, status=Status.POSTED
            )
            .annotate(chapters_made=Count("chapters"))
            .filter(chapters_made__gte=2)
            .order_by("-chapters_made", "pk")
            .first()
        )
        comment = (
            Comment.objects.filter(chapter__work=work, parent=None, is_deleted=False)
            .order_by("-chapter__position", "pk")
            .first()
        )
        bookmarker = (
            User.objects.annotate(marks=Count("bookmarks"))
            .order_by("-marks", "pk")
            .first()
        )
        client = Client()
        client.force_login(author)
        data = {
            "author": author,
            "work": work,
            "chapter": comment.chapter,
            "comment": comment,
            "fandom": work.tags.filter(kind=TagKind.FANDOM).first(),
            "bookmarker": bookmarker,
            "pseud": Pseud.objects.filter(user=author).order_by("pk").first(),
            "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        }
        yield data
        call_command("flush", interactive=False, verbosity=0)
        forget_everything()


@pytest.fixture
def transactional_db(archive):
    """Keep the module's archive between its tests: pytest-django gives every
    test using live_server this fixture, whose own version empties the database
    after each test. The archive fixture empties it once, after the module."""


@pytest.fixture(scope="module")
def looks(browser, live_server, archive):
    """A browser context and page for each way of looking, kept for the module."""
    made = {}
    for signed, size, viewport in LOOKS:
        context = browser.new_context(
            viewport=viewport, is_mobile=size == "mobile", has_touch=size == "mobile"
        )
        if signed == SIGNED_IN:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": archive["session"],
                        "url": live_server.url,
                    }
                ]
            )
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        made[signed, size] = tab
    yield made
    for tab in made.values():
        tab.context.close()
    if COUNTS:
        _write_counts()


def _write_counts():
    lines = ["page type\tlook\taxe rules checked\tviolations\telements"]
    for (name, look), (checked, violations, nodes) in sorted(COUNTS.items()):
        lines.append(f"{name}\t{look}\t{checked}\t{violations}\t{nodes}")
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    (settings.VAR_DIR / "axe-counts.txt").write_text("\n".join(lines) + "\n")


# What each page type is: how to get there, and who may see it.
def _go(address):
    def visit(tab, base, archive):
        tab.goto(base + address(archive))

    return visit


def _post_form_with_errors(tab, base, archive):
    tab.goto(base + reverse("stories:work_create"))
    form = tab.locator("form.work-form")
    form.evaluate("f => { f.noValidate = true; }")
    form.get_by_role("button", name="Post", exact=True).click()
    tab.locator(".errorlist").first.wait_for()


def _edit_form_with_errors(tab, base, archive):
    tab.goto(base + reverse("stories:work_edit", args=[archive["work"].pk]))
    form = tab.locator("form.work-form")
    form.evaluate("f => { f.noValidate = true; }")
    tab.locator("#id_title").fill("")
    form.locator("button[type=submit]").first.click()
    tab.locator(".errorlist").first.wait_for()


def _guesses(tab, base, archive):
    if not SEED_CHAPTER.exists():
        pytest.skip(f"The seed chapter is missing: {SEED_CHAPTER}")
    tab.goto(base + reverse("stories:work_create"))
    form = tab.locator("form.work-form")
    form.evaluate("f => { f.noValidate = true; }")
    form.locator("input[type=file]").first.set_input_files(SEED_CHAPTER)
    form.get_by_role("button", name="Read file", exact=True).click()
    tab.locator("section.import-guesses").wait_for()


def _preview(tab, base, archive):
    """A new chapter, written in the editor, after Preview (saved nowhere)."""
    tab.goto(
        base + reverse("stories:chapter_create", kwargs={"work_pk": archive["work"].pk})
    )
    editor = tab.locator(".prose-editor:has(textarea[name=body]) .ProseMirror")
    editor.click()
    tab.keyboard.type("The lanterns went out one by one.")
    tab.get_by_role("button", name="Preview").first.click()
    tab.locator("#preview").wait_for()


def _comments_with_reply_form(tab, base, archive):
    chapter, comment = archive["chapter"], archive["comment"]
    tab.goto(f"{base}{chapter.get_absolute_url()}?reply_to={comment.pk}")
    if tab.locator(f"#comment-{comment.pk} form").count() == 0:
        # A guest sees the comments, and the form to comment if guests may.
        tab.locator("#comments").wait_for()


def _search_with_results(tab, base, archive):
    word = archive["work"].title.split()[-1]
    tab.goto(f"{base}{reverse('stories:work_search')}?q={word}")
    tab.locator("li.blurb").first.wait_for()


def _visitors(looks, signed):
    return [tab for (who, _size), tab in looks.items() if who == signed]


@contextmanager
def _reader_setting(looks, base, archive, *, field, value, cookie):
    """A guest's browser and the signed-in author's account both set so."""
    author = archive["author"]
    before = getattr(User.objects.get(pk=author.pk), field)
    User.objects.filter(pk=author.pk).update(**{field: value})
    for tab in _visitors(looks, SIGNED_OUT):
        tab.context.add_cookies([{**cookie, "url": base}])
    try:
        yield
    finally:
        User.objects.filter(pk=author.pk).update(**{field: before})
        # Every context: the site may have set the cookie for the account too.
        for tab in looks.values():
            tab.context.clear_cookies(name=cookie["name"])


def _dark(looks, base, archive):
    value = ReaderPreferences(theme=Theme.DARK).as_cookie()
    return _reader_setting(
        looks,
        base,
        archive,
        field="theme",
        value=Theme.DARK,
        cookie={"name": COOKIE_NAME, "value": value},
    )


def _french(looks, base, archive):
    return _reader_setting(
        looks,
        base,
        archive,
        field="language",
        value="fr",
        cookie={"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr"},
    )


# What a page in a setting must show that it is in it.
DARK_SHOWN = "document.documentElement.classList.contains('pref-theme-dark')"
FRENCH_SHOWN = "document.documentElement.lang === 'fr'"

BOTH = (SIGNED_OUT, SIGNED_IN)
PAGE_TYPES = {
    "home": (_go(lambda a: reverse("stories:home")), BOTH),
    "works": (_go(lambda a: reverse("stories:work_list")), BOTH),
    "works filtered": (
        _go(lambda a: reverse("stories:work_list") + "?rating=general&sort=title"),
        BOTH,
    ),
    "tag": (_go(lambda a: a["fandom"].get_absolute_url()), BOTH),
    "user's works": (
        _go(lambda a: a["author"].get_absolute_url() + "?sort=title"),
        BOTH,
    ),
    "bookmarks": (
        _go(
            lambda a: reverse(
                "bookmarks:user_bookmarks", args=[a["bookmarker"].username]
            )
        ),
        BOTH,
    ),
    "fandoms": (_go(lambda a: reverse("stories:fandom_list")), BOTH),
    "search": (_search_with_results, BOTH),
    "work": (_go(lambda a: a["work"].get_absolute_url()), BOTH),
    "chapter": (_go(lambda a: a["chapter"].get_absolute_url()), BOTH),
    "entire work": (
        _go(lambda a: a["work"].get_absolute_url() + "?view_full_work=true"),
        BOTH,
    ),
    "chapter index": (
        _go(lambda a: reverse("stories:work_navigate", args=[a["work"].pk])),
        BOTH,
    ),
    "comments with a reply form": (_comments_with_reply_form, BOTH),
    "post form with errors": (_post_form_with_errors, (SIGNED_IN,)),
    "edit form with errors": (_edit_form_with_errors, (SIGNED_IN,)),
    "guesses": (_guesses, (SIGNED_IN,)),
    "sign-up": (_go(lambda a: reverse("signup")), (SIGNED_OUT,)),
    "log-in": (_go(lambda a: reverse("login")), (SIGNED_OUT,)),
    "preferences": (_go(lambda a: reverse("preferences")), BOTH),
    "profile": (_go(lambda a: a["author"].get_absolute_url()), BOTH),
    "preview": (_preview, (SIGNED_IN,)),
    "reading preferences": (
        _go(lambda a: reverse("reading_preferences")),
        (SIGNED_OUT,),
    ),
    "pseud": (
        _go(
            lambda a: reverse(
                "stories:pseud_detail", args=[a["author"].username, a["pseud"].name]
            )
        ),
        BOTH,
    ),
    "pseuds": (
        _go(lambda a: reverse("pseuds:pseud_list", args=[a["author"].username])),
        (SIGNED_IN,),
    ),
    "statistics": (
        _go(
            lambda a: reverse(
                "statistics:author_statistics", args=[a["author"].username]
            )
        ),
        (SIGNED_IN,),
    ),
    "dark: work": (_go(lambda a: a["work"].get_absolute_url()), BOTH, _dark),
    "dark: chapter": (_go(lambda a: a["chapter"].get_absolute_url()), BOTH, _dark),
    "dark: works filtered": (
        _go(lambda a: reverse("stories:work_list") + "?rating=general&sort=title"),
        BOTH,
        _dark,
    ),
    "dark: preview": (_preview, (SIGNED_IN,), _dark),
    "dark: statistics": (
        _go(
            lambda a: reverse(
                "statistics:author_statistics", args=[a["author"].username]
            )
        ),
        (SIGNED_IN,),
        _dark,
    ),
    "French: chapter": (
        _go(lambda a: a["chapter"].get_absolute_url()),
        BOTH,
        _french,
    ),
}
SHOWN = {_dark: DARK_SHOWN, _french: FRENCH_SHOWN}


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_axe_finds_no_violations(page_type, looks, live_server, archive):
    visit, who, *setting = PAGE_TYPES[page_type]
    failures = []
    with setting[0](looks, live_server.url, archive) if setting else nullcontext():
        for signed, size, _viewport in LOOKS:
            if signed not in who:
                continue
            tab = looks[signed, size]
            visit(tab, live_server.url, archive)
            if setting:
                assert tab.evaluate(SHOWN[setting[0]]), (page_type, signed, size)
            results = axe_run(tab)
            COUNTS[page_type, f"{signed}, {size}"] = axe_counts(results)
            if results["violations"]:
                failures.append(axe_report(f"{page_type} ({signed}, {size})", results))
    assert not failures, "axe-core found violations:\n" + "\n".join(failures)


# The screenshots the README shows: the main pages at 1280 and 390 pixels, of
# the demo archive. `make screenshots` writes them into docs/screenshots/;
# otherwise (every `make test`) into $ARCHIVE_VAR_DIR/screenshots, not tracked.
SCREENSHOTS = [
    ("home", SIGNED_OUT, "home"),
    ("works", SIGNED_OUT, "works filtered"),
    ("chapter", SIGNED_OUT, "chapter"),
    ("search", SIGNED_OUT, "search"),
    ("post-form", SIGNED_IN, "post form with errors"),
    ("guesses", SIGNED_IN, "guesses"),
    ("statistics", SIGNED_IN, "statistics"),
    ("chapter-dark", SIGNED_OUT, "dark: chapter"),
]


def _screenshots_folder():
    folder = os.environ.get("ARCHIVE_SCREENSHOTS")
    return Path(folder) if folder else settings.VAR_DIR / "screenshots"


def test_screenshots_of_the_main_pages(looks, live_server, archive):
    folder = _screenshots_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for name, signed, page_type in SCREENSHOTS:
        visit, _who, *setting = PAGE_TYPES[page_type]
        with setting[0](looks, live_server.url, archive) if setting else nullcontext():
            for size in ("desktop", "mobile"):
                tab = looks[signed, size]
                visit(tab, live_server.url, archive)
                # The top of the page, as a newcomer sees it first; not the caret.
                tab.evaluate("document.activeElement && document.activeElement.blur()")
                path = folder / f"{name}-{size}.png"
                tab.screenshot(path=path, animations="disabled", caret="hide")
                assert path.stat().st_size > 5_000, path
