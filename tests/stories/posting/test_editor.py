"""The writing editor: on the posting pages only, the same sanitized HTML."""

import pytest
from django.urls import reverse

from stories.models import Work
from stories.posting.editor import EDITOR_ATTRIBUTE, editor_keeps
from tests.factories import make_work
from tests.stories.test_authoring import work_form_data

pytestmark = pytest.mark.django_db

EDITOR_SCRIPT = "js/writing-editor.js"


def editor_fields(content):
    """Return the names of the textareas the editor takes over on a page."""
    import re

    return set(
        re.findall(rf'<textarea name="([a-z_]+)"[^>]*\b{EDITOR_ATTRIBUTE}\b', content)
    )


def test_the_post_form_gives_its_html_fields_the_editor(author_client):
    content = author_client.get(reverse("stories:work_create")).content.decode()
    assert editor_fields(content) == {
        "summary",
        "notes",
        "end_notes",
        "chapter_notes",
        "body",
        "chapter_end_notes",
    }
    assert f'<script src="/static/{EDITOR_SCRIPT}" type="module">' in content
    assert "django_prose_editor/editor.css" in content
    # Its files come in through the form's media: no inline script or import map.
    assert "importmap" not in content


def test_the_edit_and_chapter_forms_have_the_editor(author_client, work):
    chapter = work.chapters.get()
    pages = {
        reverse("stories:work_edit", kwargs={"pk": work.pk}): {
            "summary",
            "notes",
            "end_notes",
        },
        reverse("stories:chapter_create", kwargs={"work_pk": work.pk}): {
            "chapter_notes",
            "body",
            "chapter_end_notes",
        },
        reverse(
            "stories:chapter_edit", kwargs={"work_pk": work.pk, "pk": chapter.pk}
        ): {"chapter_notes", "body", "chapter_end_notes"},
    }
    for address, fields in pages.items():
        content = author_client.get(address).content.decode()
        assert editor_fields(content) == fields, address
        assert EDITOR_SCRIPT in content


def test_other_pages_do_not_load_the_editor(author_client, work):
    chapter = work.chapters.get()
    for address in (
        reverse("stories:home"),
        reverse("stories:work_detail", kwargs={"pk": work.pk}),
        reverse(
            "stories:chapter_detail", kwargs={"work_pk": work.pk, "pk": chapter.pk}
        ),
        reverse("imports:work_import"),
        reverse("preferences"),
    ):
        content = author_client.get(address).content.decode()
        assert EDITOR_SCRIPT not in content, address
        assert "django_prose_editor" not in content, address
        assert EDITOR_ATTRIBUTE not in content, address


def test_markup_the_editor_would_drop_keeps_the_plain_textarea(author_client, author):
    work = make_work(
        owner=author,
        body="<table><tr><td>A table the editor cannot hold.</td></tr></table>"
        '<p align="center">Centred.</p>',
    )
    chapter = work.chapters.get()
    content = author_client.get(
        reverse("stories:chapter_edit", kwargs={"work_pk": work.pk, "pk": chapter.pk})
    ).content.decode()
    assert "body" not in editor_fields(content)
    assert "chapter_notes" in editor_fields(content)


def test_editor_keeps_what_it_can_edit():
    assert editor_keeps(
        "<p>One <em>two</em> <strong>three</strong></p><hr><blockquote><p>q</p>"
        "</blockquote><ul><li>a</li></ul><ol><li>b</li></ol>"
        '<p><a href="https://example.org" rel="nofollow">link</a><br>end</p>'
    )
    assert editor_keeps("Plain text\n\nin two paragraphs")
    assert not editor_keeps("<h2>A heading</h2>")
    assert not editor_keeps('<p dir="rtl">Right to left</p>')
    assert not editor_keeps('<img src="https://example.org/a.png" alt="">')


def test_hostile_markup_from_the_editor_field_is_sanitized(author_client):
    body = (
        "<p>She <em>ran</em>, <strong>fast</strong>.</p><hr>"
        '<p onclick="steal()">Then <a href="javascript:alert(1)">here</a>'
        '<script>alert("x")</script><img src=x onerror="alert(2)">'
        '<a href="https://example.org" target="_blank">there</a>.</p>'
    )
    response = author_client.post(
        reverse("stories:work_create"),
        work_form_data(
            body=body, summary='<p style="color:red">Sum<iframe></iframe></p>'
        ),
    )
    assert response.status_code == 302
    work = Work.objects.get()
    stored = work.chapters.get().body
    assert stored == (
        "<p>She <em>ran</em>, <strong>fast</strong>.</p><hr>"
        '<p>Then <a rel="nofollow">here</a><img>'
        '<a href="https://example.org" rel="nofollow">there</a>.</p>'
    )
    assert work.summary == "<p>Sum</p>"
