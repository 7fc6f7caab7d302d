"""NUL and other control characters are refused in every form with a message,
and name nothing in addresses: never a server error, never stored."""

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from archive import forms as archive_forms
from archive.models import User
from archive.text import ControlCharactersRefused, ControlCharactersValidator
from stories import admin as stories_admin
from stories import forms as stories_forms
from stories.models import Comment, HiddenTag, Tag, Work
from tests.stories.test_authoring import work_form_data

pytestmark = pytest.mark.django_db

MESSAGE = str(ControlCharactersValidator.message)
NUL_TAG = "Nul\x00Fandom"


def nothing_stored():
    return (
        not Tag.objects.filter(name__startswith="Nul").exists()
        and not Work.objects.filter(title__startswith="Nul").exists()
        and not Comment.objects.exists()
        and not HiddenTag.objects.exists()
        and not User.objects.filter(username__startswith="nul").exists()
    )


def fandom_on_the_work_form(client, work):
    return client.post(reverse("stories:work_create"), work_form_data(fandoms=NUL_TAG))


def title_on_the_work_form(client, work):
    return client.post(
        reverse("stories:work_create"), work_form_data(title="Nul\x07Title")
    )


def bell_in_a_chapter_body(client, work):
    return client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {"body": "The lamp\x07 turned.", "chapter_title": "Nul"},
    )


def include_filter(client, work):
    return client.get(reverse("stories:work_list"), {"include": NUL_TAG})


def exclude_filter(client, work):
    return client.get(reverse("stories:work_list"), {"exclude": NUL_TAG})


def tag_page(client, work):
    return client.get("/tags/Nul%00Fandom/works/")


def tag_feed(client, work):
    return client.get("/tags/Nul%00Fandom/feed.atom")


def user_page(client, work):
    return client.get("/users/%00/")


def tag_autocomplete(client, work):
    return client.get(reverse("stories:tag_autocomplete"), {"q": NUL_TAG})


def search(client, work):
    return client.get(reverse("stories:work_search"), {"q": NUL_TAG})


def hidden_tag(client, work):
    return client.post(
        reverse("stories:hidden_list"), {"action": "add", "tags": NUL_TAG}
    )


def comment(client, work):
    chapter = work.chapters.get()
    return client.post(
        reverse("stories:comment_create", args=[work.pk, chapter.pk]),
        {"body": "Lovely\x00 chapter."},
    )


# Each place, what it answers, and whether the page says why.
PLACES = [
    (fandom_on_the_work_form, 200, True),
    (title_on_the_work_form, 200, True),
    (bell_in_a_chapter_body, 200, True),
    (include_filter, 200, True),
    (exclude_filter, 200, True),
    (tag_page, 404, False),
    (tag_feed, 404, False),
    (user_page, 404, False),
    (tag_autocomplete, 200, False),
    (search, 200, False),
    (hidden_tag, 200, True),
    (comment, 400, True),
]


@pytest.mark.parametrize(
    ("place", "status", "says_why"),
    PLACES,
    ids=[place.__name__ for place, *_ in PLACES],
)
def test_control_characters_are_refused_and_nothing_is_stored(
    author_client, work, place, status, says_why
):
    response = place(author_client, work)
    assert response.status_code == status
    if says_why:
        assert MESSAGE in response.content.decode()
    assert nothing_stored()


def test_tag_autocomplete_suggests_nothing_for_control_characters(client, work):
    response = tag_autocomplete(client, work)
    assert response.json() == {"results": []}


def test_multi_line_text_keeps_its_tabs_and_line_ends(author_client, work):
    response = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {"body": "The lamp\tturned.\r\n\r\nThe sea answered.", "chapter_title": "Two"},
    )
    assert response.status_code == 302
    assert work.chapters.count() == 2


def test_sign_up_refuses_control_characters_in_a_name(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "nul\x00fan",
            "email": "nul@example.org",
            "password1": "lantern-keeper-2026",
            "password2": "lantern-keeper-2026",
        },
    )
    assert response.status_code == 200
    assert nothing_stored()


def test_admin_refuses_control_characters_in_a_tag_name(staff_client):
    tag = Tag.objects.create(name="Harbour Lights", kind="fandom")
    response = staff_client.post(
        reverse("admin:stories_tag_change", args=[tag.pk]),
        {"name": "Nul\x01Fandom", "kind": "fandom"},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    tag.refresh_from_db()
    assert tag.name == "Harbour Lights"


def test_every_form_of_the_archive_refuses_control_characters():
    form_classes = [
        value
        for module in (archive_forms, stories_forms, stories_admin)
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
    ]
    for model_admin in admin.site._registry.values():
        if model_admin.__module__.startswith(("archive", "stories")):
            form_classes += [model_admin.form, getattr(model_admin, "add_form", None)]
    unchecked = [
        form_class
        for form_class in form_classes
        if form_class and not issubclass(form_class, ControlCharactersRefused)
    ]
    assert form_classes and not unchecked
