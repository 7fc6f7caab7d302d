"""Preview before posting: the work or chapter as it will read, nothing saved."""

import re

import pytest
from django.urls import reverse

from stories.models import Chapter, Work
from stories.subscriptions.models import Notification, Subscription
from tests.factories import make_work
from tests.stories.test_authoring import work_form_data

pytestmark = pytest.mark.django_db


def test_preview_of_a_new_work_shows_it_as_it_will_read_and_saves_nothing(
    author_client, author, reader, django_capture_on_commit_callbacks
):
    Subscription.objects.create(user=reader, creator=author)
    data = work_form_data(
        action="preview",
        summary="<p>A <em>quiet</em> summary.</p>",
        body="<p>The lamp <strong>turned</strong>.</p><hr><p>Morning.</p>"
        "<script>alert(1)</script>",
        chapter_end_notes="<p>Thanks for reading.</p>",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(reverse("stories:work_create"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert not Work.objects.exists()
    assert not Chapter.objects.exists()
    assert not Notification.objects.exists()
    preview = content.split('id="preview"', 1)[1].split("<form", 1)[0]
    # The reading page's own markup: preface, chapter, userstuff.
    assert re.search(
        r'<h2 class="title heading work-title"[^>]*>Keeper of the Light</h2>', preview
    )
    assert f"{author.username}</a>" in preview
    assert "<p>A <em>quiet</em> summary.</p>" in preview
    assert "Chapter 1: The First Night" in preview
    assert (
        '<div class="userstuff module" role="article">'
        "<p>The lamp <strong>turned</strong>.</p><hr><p>Morning.</p></div>"
    ) in preview
    assert "<p>Thanks for reading.</p>" in preview
    assert "alert(1)" not in content.split("<form", 1)[0]
    # The form stays below with everything typed, to change and post.
    assert 'value="Keeper of the Light"' in content
    assert '<button type="submit" name="action" value="post">' in content

    data["action"] = "post"
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(reverse("stories:work_create"), data)
    assert response.status_code == 302
    assert Work.objects.get().is_posted
    assert Notification.objects.filter(user=reader).count() == 1


def test_preview_of_a_new_chapter_saves_nothing(author_client, work):
    response = author_client.post(
        reverse("stories:chapter_create", kwargs={"work_pk": work.pk}),
        {"body": "Plain text.\n\nTwo paragraphs.", "action": "preview"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chapter 2" in content
    assert "<p>Plain text.</p><p>Two paragraphs.</p>" in content
    assert work.chapters.count() == 1


def test_preview_of_edits_changes_nothing(author_client, author):
    work = make_work(owner=author, title="Before")
    chapter = work.chapters.get()
    body = chapter.body
    edit_chapter = reverse(
        "stories:chapter_edit", kwargs={"work_pk": work.pk, "pk": chapter.pk}
    )
    response = author_client.post(
        edit_chapter, {"body": "<p>Rewritten.</p>", "action": "preview"}
    )
    assert response.status_code == 200
    assert "<p>Rewritten.</p>" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.body == body

    response = author_client.post(
        reverse("stories:work_edit", kwargs={"pk": work.pk}),
        work_form_data(title="After", action="preview"),
    )
    assert response.status_code == 200
    assert re.search(
        r'<h2 class="title heading work-title"[^>]*>After</h2>',
        response.content.decode(),
    )
    work.refresh_from_db()
    assert work.title == "Before"


def test_a_preview_with_errors_shows_the_errors_and_no_preview(author_client):
    response = author_client.post(
        reverse("stories:work_create"), work_form_data(action="preview", title="")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="preview"' not in content
    assert "Give the work a title." in content or "This field is required" in content
    assert not Work.objects.exists()


def test_nobody_else_previews_on_someone_s_work(client, reader, work):
    client.force_login(reader)
    response = client.post(
        reverse("stories:chapter_create", kwargs={"work_pk": work.pk}),
        {"body": "<p>Not mine.</p>", "action": "preview"},
    )
    assert response.status_code == 404
    assert work.chapters.count() == 1
