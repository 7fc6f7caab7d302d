"""The interface's languages: the switcher, a reader's saved language, pages and
cached parts in each language, emails in the reader's, and the translation whole."""

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from archive.models import User
from stories import caching
from stories.bookmarks import services as bookmark_services
from stories.bookmarks.models import Bookmark
from stories.engagement import services as engagement_services
from stories.series import services as series_services
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

PO_FILE = settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
COOKIE = settings.LANGUAGE_COOKIE_NAME
# A placeholder in a msgid: %(name)s, %s, %d (Python and templates alike).
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdi]|%[sdi]")


@pytest.fixture(scope="module", autouse=True)
def compiled_messages():
    """Compile the French catalogue when make has not (pytest run alone)."""
    mo_file = PO_FILE.with_suffix(".mo")
    if not mo_file.exists() or mo_file.stat().st_mtime < PO_FILE.stat().st_mtime:
        if shutil.which("msgfmt") is None:
            pytest.skip("No msgfmt (Debian's gettext) to compile the translations")
        call_command("compilemessages", locale=["fr"], verbosity=0)
        translation.trans_real._translations = {}
        translation.trans_real._active = translation.trans_real.Local()


@pytest.fixture
def long_work(author):
    return make_work(owner=author, body="<p>" + "word " * 3964 + "</p>")


@pytest.fixture
def series(author, long_work):
    return series_services.series_create(
        owner=author, title="The Harbour Cycle", works=[long_work]
    )


def untokened(page):
    """Return a page's HTML without its form tokens, masked anew each time."""
    html = page if isinstance(page, str) else page.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


def switch(client, language, next_address):
    return client.post(
        reverse("set_language"), {"language": language, "next": next_address}
    )


# --- The switcher ------------------------------------------------------------


def test_every_page_has_the_switcher_each_language_named_in_its_own(client):
    page = client.get(reverse("stories:work_list")).content.decode()
    assert '<html lang="en" ' in page
    assert f'action="{reverse("set_language")}"' in page
    assert '<label for="language-switcher-language">Language</label>' in page
    assert re.search(
        r'<option value="en"\s+lang="en"\s+selected>English</option>', page
    )
    assert re.search(r'<option value="fr"\s+lang="fr"\s*>Français</option>', page)
    assert re.search(rf'name="next"\s+value="{reverse("stories:work_list")}"', page)


def test_a_guest_switches_to_french_and_back(client):
    works = reverse("stories:work_list")
    response = switch(client, "fr", works)
    assert response.status_code == 302
    assert response["Location"] == works
    cookie = response.cookies[COOKIE]
    assert cookie.value == "fr"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    page = client.get(works)
    assert page["Content-Language"] == "fr"
    html = page.content.decode()
    assert '<html lang="fr" ' in html
    assert "Changer de langue" in html
    assert re.search(
        r'<option value="fr"\s+lang="fr"\s+selected>Français</option>', html
    )
    switch(client, "en", works)
    html = client.get(works).content.decode()
    assert '<html lang="en" ' in html
    assert "Change language" in html


def test_a_guest_switch_saves_nothing_in_the_database(client, reader):
    switch(client, "fr", "/")
    assert User.objects.get(pk=reader.pk).language == ""


def test_a_signed_in_reader_choice_is_saved_and_applied_on_log_in(
    client, reader, settings
):
    client.force_login(reader)
    switch(client, "fr", reverse("preferences"))
    reader.refresh_from_db()
    assert reader.language == "fr"
    # Another browser, without the cookie, in English until they log in.
    other = type(client)()
    assert "Change language" in other.get(reverse("login")).content.decode()
    other.force_login(reader)
    response = other.get(reverse("preferences"))
    html = response.content.decode()
    assert '<html lang="fr" ' in html
    assert "<h1>Préférences</h1>" in html
    # The cookie follows, so the browser keeps French after logging out.
    assert response.cookies[COOKIE].value == "fr"
    other.post(reverse("logout"))
    assert '<html lang="fr" ' in other.get(reverse("login")).content.decode()


def test_a_reader_saved_language_wins_over_the_browser(client, reader):
    reader.language = "fr"
    reader.save(update_fields=["language"])
    client.force_login(reader)
    client.cookies[COOKIE] = "en"
    html = client.get(reverse("preferences"), HTTP_ACCEPT_LANGUAGE="en").content
    assert b'<html lang="fr" ' in html


def test_a_reader_switching_back_to_english_is_saved(client, reader):
    reader.language = "fr"
    reader.save(update_fields=["language"])
    client.force_login(reader)
    response = switch(client, "en", reverse("preferences"))
    assert response.cookies[COOKIE].value == "en"
    reader.refresh_from_db()
    assert reader.language == "en"
    assert b"<h1>Preferences</h1>" in client.get(reverse("preferences")).content


def test_a_browser_asking_for_french_gets_french(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content
    assert b'<html lang="fr" ' in html
    assert "Mot de passe oublié ?".encode() in html


def test_the_switcher_never_echoes_a_page_own_next(client):
    page = client.get(reverse("login") + "?next=/works/%3Fpage%3D2").content.decode()
    assert re.search(rf'name="next"\s+value="{reverse("login")}"', page)


@pytest.mark.parametrize(
    "next_address",
    ["https://evil.example/", "//evil.example/works", "works", "javascript:alert(1)"],
)
def test_the_switcher_follows_next_only_within_the_archive(client, next_address):
    response = switch(client, "fr", next_address)
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:home")
    assert response.cookies[COOKIE].value == "fr"


def test_the_switcher_refuses_a_language_it_does_not_offer(client, reader):
    client.force_login(reader)
    response = switch(client, "xx", "/works/")
    assert response.status_code == 302
    assert COOKIE not in response.cookies
    reader.refresh_from_db()
    assert reader.language == ""


def test_the_switcher_takes_only_posts(client):
    assert client.get(reverse("set_language")).status_code == 405


def test_the_switcher_needs_the_form_token(reader):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    assert switch(strict, "fr", "/").status_code == 403
    reader.refresh_from_db()
    assert reader.language == ""


def test_a_guest_switches_without_a_form_token_and_pages_carry_none(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(reverse("stories:work_list"))
    assert b"csrfmiddlewaretoken" not in page.content
    assert settings.CSRF_COOKIE_NAME not in page.cookies
    response = switch(strict, "fr", reverse("stories:work_list"))
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "fr"


# --- Pages in French -----------------------------------------------------------


def test_a_page_in_french_shows_french_strings_dates_and_numbers(
    client, series, long_work, reader
):
    bookmark = bookmark_services.bookmark_create(owner=reader, work=long_work)
    Bookmark.objects.filter(pk=bookmark.pk).update(
        created_at=datetime(2026, 2, 7, 12, tzinfo=UTC)
    )
    client.cookies[COOKIE] = "fr"
    html = client.get(series.get_absolute_url()).content.decode()
    assert "Œuvres de cette série" in html
    assert "Une série de" in html
    # 3,964 words in English, with French grouping here.
    assert re.search(r"3[\u202f\u00a0 ]964", html)
    html = client.get(bookmark.get_absolute_url()).content.decode()
    assert "Mis en favori par" in html
    assert "7 Fév 2026" in html
    client.cookies[COOKIE] = "en"
    html = client.get(bookmark.get_absolute_url()).content.decode()
    assert "7 Feb 2026" in html
    assert "3,964" in client.get(series.get_absolute_url()).content.decode()


def test_a_form_error_is_in_french(client):
    client.cookies[COOKIE] = "fr"
    response = client.post(
        reverse("signup"),
        {"username": "", "email": "not an address", "password1": "", "password2": ""},
    )
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert "Créer un compte" in html


def test_a_message_is_in_french(client, reader):
    reader.language = "fr"
    reader.save(update_fields=["language"])
    client.force_login(reader)
    response = client.post(reverse("preferences"), {"keep_history": "on"}, follow=True)
    assert "Vos préférences ont été enregistrées." in response.content.decode()


def test_emails_are_written_in_the_reader_saved_language(
    django_capture_on_commit_callbacks,
):
    french = UserFactory(username="lectrice", unverified=True, language="fr")
    english = UserFactory(username="reader-en", unverified=True)
    from archive import verification

    verification.verification_email_send(user=french)
    verification.verification_email_send(user=english)
    assert mail.outbox[0].subject == "Confirmez votre adresse e-mail pour Fan Archive"
    assert "Bonjour lectrice," in mail.outbox[0].body
    assert mail.outbox[1].subject == "Confirm your email address for Fan Archive"


def test_signing_up_in_french_keeps_french_for_the_emails(
    client, django_capture_on_commit_callbacks
):
    client.cookies[COOKIE] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("signup"),
            {
                "username": "nouvelle",
                "email": "nouvelle@example.org",
                "password1": "a-long-test-password",
                "password2": "a-long-test-password",
            },
        )
    assert User.objects.get(username="nouvelle").language == "fr"
    assert mail.outbox[-1].subject == "Confirmez votre adresse e-mail pour Fan Archive"


# --- The cache keeps each language's pages and parts apart ---------------------


def test_a_guest_page_is_cached_once_per_language(client, series):
    address = series.get_absolute_url()
    english = client.get(address).content.decode()
    assert "Works in this series" in english
    client.cookies[COOKIE] = "fr"
    french = client.get(address).content.decode()
    assert "Œuvres de cette série" in french
    assert "Works in this series" not in french
    # Each again, now served whole from the cache without the view.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "stories.series.views.render_marked",
            lambda *args, **kwargs: pytest.fail("rendered, not served from the cache"),
        )
        assert untokened(client.get(address)) == untokened(french)
        client.cookies[COOKIE] = "en"
        assert untokened(client.get(address)) == untokened(english)


def test_a_shared_part_is_cached_once_per_language(client, long_work, reader):
    engagement_services.kudos_leave(work=long_work, user=reader)
    other = UserFactory(username="lectrice")
    address = long_work.get_absolute_url()
    client.force_login(other)
    assert "left kudos on this work!" in client.get(address).content.decode()
    other.language = "fr"
    other.save(update_fields=["language"])
    french = client.get(address).content.decode()
    assert "Des kudos ont été laissés sur cette œuvre par" in french
    assert "left kudos on this work!" not in french


def test_part_and_page_keys_name_the_language(rf):
    shown = caching.part("blurb", 1)
    request = rf.get("/works/")
    keys = {}
    for language in ("en", "fr"):
        with translation.override(language):
            keys[language] = (shown.key({}), caching._page_key(request))
    assert keys["en"][0] != keys["fr"][0]
    assert keys["en"][1] != keys["fr"][1]


# --- The translation is whole --------------------------------------------------


def test_every_french_entry_is_translated_and_keeps_its_placeholders():
    catalogue = polib.pofile(str(PO_FILE))
    assert len(catalogue) > 500
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(("fuzzy", entry.msgid))
            continue
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(n, "") for n in (0, 1)]
            english = (entry.msgid, entry.msgid_plural)
        else:
            forms = [entry.msgstr]
            english = (entry.msgid,)
        if not all(forms):
            problems.append(("untranslated", entry.msgid))
            continue
        wanted = set().union(*(PLACEHOLDER.findall(text) for text in english))
        for form in forms:
            if set(PLACEHOLDER.findall(form)) - wanted:
                problems.append(("unknown placeholder", entry.msgid, form))
            # Every named placeholder of the English is in each French form
            # (a singular may leave out its count, as English does).
            named = {name for name in wanted if name}
            missing = named - set(PLACEHOLDER.findall(form)) - {"count"}
            if missing and not entry.msgid_plural:
                problems.append(("missing placeholder", entry.msgid, form))
    assert problems == []
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=2;")


def test_makemessages_finds_no_string_the_catalogue_lacks(tmp_path):
    """Every marked string is in the French catalogue (run `manage.py
    makemessages -l fr --no-obsolete` after marking new ones, and translate)."""
    root = settings.BASE_DIR
    for name in ("archive", "stories", "templates", "locale"):
        shutil.copytree(
            root / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
        )
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "archive.settings.test",
            "ARCHIVE_VAR_DIR": str(tmp_path / "var"),
        },
    )
    found = polib.pofile(str(Path(tmp_path) / PO_FILE.relative_to(root)))
    kept = polib.pofile(str(PO_FILE))
    ids = {(entry.msgctxt, entry.msgid) for entry in kept if not entry.obsolete}
    missing = sorted(
        entry.msgid
        for entry in found
        if not entry.obsolete and (entry.msgctxt, entry.msgid) not in ids
    )
    assert missing == []
