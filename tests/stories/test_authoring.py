"""What authors do: post, upload, edit, reorder and delete; and who may."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stories.models import Chapter, Status, TaggedWork, TagKind, Work
from tests.factories import SEED_CHAPTER as SEED
from tests.factories import make_work

pytestmark = pytest.mark.django_db


def work_form_data(**overrides):
    data = {
        "rating": "teen",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Harbour Lights (TV)",
        "relationships": "Mara Quinn/Tobias Reed",
        "characters": "Mara Quinn, Tobias Reed",
        "freeforms": "Slow Burn, Lighthouses",
        "title": "Keeper of the Light",
        "creator_credit": "",
        "summary": "Mara keeps the lamp lit.",
        "notes": "",
        "end_notes": "",
        "language": "en",
        "expected_chapters": "",
        "chapter_title": "The First Night",
        "number": "",
        "chapter_notes": "",
        "body": "The lamp turned.\n\nThe sea answered, as it always did.",
        "chapter_end_notes": "",
        "action": "post",
    }
    data.update(overrides)
    return data


def test_author_posts_a_typed_work(author_client, author):
    response = author_client.post(reverse("stories:work_create"), work_form_data())
    work = Work.objects.get()
    assert response.status_code == 302
    assert response.url == work.get_absolute_url()
    assert work.owner == author
    assert work.is_posted
    assert work.summary == "<p>Mara keeps the lamp lit.</p>"
    chapter = work.chapters.get()
    assert (
        chapter.body
        == "<p>The lamp turned.</p><p>The sea answered, as it always did.</p>"
    )
    assert chapter.word_count == 10
    assert chapter.title == "The First Night"
    tags = TaggedWork.objects.filter(content_object=work)
    assert tags.filter(tag__kind=TagKind.CHARACTER).count() == 2
    page = author_client.get(response.url).content.decode()
    assert "Keeper of the Light" in page
    assert "Work posted." in page


def test_save_as_draft_keeps_the_work_private(author_client, client):
    author_client.post(reverse("stories:work_create"), work_form_data(action="draft"))
    work = Work.objects.get()
    assert work.status == Status.DRAFT
    client.logout()
    assert client.get(work.get_absolute_url()).status_code == 404
    assert (
        b"Keeper of the Light" not in client.get(reverse("stories:work_list")).content
    )


def test_failed_post_keeps_everything_typed(author_client):
    data = work_form_data(
        title="", warnings=[], body="Every word of this chapter matters."
    )
    response = author_client.post(reverse("stories:work_create"), data)
    assert response.status_code == 200
    assert not Work.objects.exists()
    content = response.content.decode()
    assert "Choose at least one archive warning." in content
    assert "Every word of this chapter matters." in content
    assert "Mara Quinn, Tobias Reed" in content
    assert "Mara keeps the lamp lit." in content


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"body": "Too short"}, "at least 10 characters"),
        ({"body": "x" * 510_001}, "at most 510,000 characters"),
        ({"summary": "s" * 1251}, "the limit is 1,250"),
        ({"notes": "n" * 5001}, "the limit is 5,000"),
        ({"title": "t" * 256}, "at most 255 characters"),
        ({"freeforms": "a" * 151}, "longer than 150 characters"),
        ({"freeforms": ", ".join(f"tag {n}" for n in range(80))}, "at most 75"),
        ({"freeforms": "bad*tag"}, "may not contain *"),
        ({"fandoms": ""}, "This field is required."),
    ],
)
def test_ao3_limits_are_enforced_with_clear_messages(author_client, overrides, message):
    response = author_client.post(
        reverse("stories:work_create"), work_form_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Work.objects.exists()


def test_hostile_html_in_the_chapter_is_sanitized(author_client):
    body = (
        '<p>Hello <script>alert(1)</script><img src="x" onerror="alert(2)">'
        '<a href="javascript:alert(3)">link</a><iframe src="//evil"></iframe></p>'
    )
    author_client.post(reverse("stories:work_create"), work_form_data(body=body))
    stored = Chapter.objects.get().body
    for bad in ("<script", "onerror", "javascript:", "<iframe"):
        assert bad not in stored


def test_uploading_a_file_shows_the_guesses_before_anything_is_posted(author_client):
    upload = SimpleUploadedFile(
        "chapter.txt",
        b"A Song for the Tide\n\nBy Gull\n\nChapter 3: Low Water\n\n"
        b"The harbour emptied.\n\n\nLater, it filled again.\n\nTo be continued",
        content_type="text/plain",
    )
    data = work_form_data(title="", body="", upload=upload)
    response = author_client.post(reverse("stories:work_create"), data)
    assert response.status_code == 200
    assert not Work.objects.exists()
    content = response.content.decode()
    assert "Check what we read from your file" in content
    assert 'value="A Song for the Tide"' in content
    assert 'value="Gull"' in content
    assert 'value="3"' in content
    assert 'value="Low Water"' in content
    assert "Mara Quinn, Tobias Reed" in content, "what was typed is kept"


def test_author_posts_the_seed_chapter_from_a_file(author_client, author):
    if not SEED.exists():
        pytest.skip(f"the seed chapter is not at {SEED}")
    upload = SimpleUploadedFile(
        "seed.txt", SEED.read_bytes(), content_type="text/plain"
    )
    confirm = author_client.post(
        reverse("stories:work_create"),
        work_form_data(title="", body="", fandoms="InuYasha", upload=upload),
    )
    form = confirm.context["work_form"]
    chapter_form = confirm.context["chapter_form"]
    assert form.initial["title"] == "Through the Well"
    assert form.initial["creator_credit"] == "Miztikal-Dragon"
    assert chapter_form["number"].value() == 47
    assert chapter_form["chapter_title"].value() == "To say our final goodbyes"

    data = work_form_data(
        title=form.initial["title"],
        creator_credit=form.initial["creator_credit"],
        fandoms="InuYasha",
        number=chapter_form["number"].value(),
        chapter_title=chapter_form["chapter_title"].value(),
        chapter_notes=chapter_form["chapter_notes"].value(),
        body=chapter_form["body"].value(),
        chapter_end_notes=chapter_form["chapter_end_notes"].value(),
    )
    response = author_client.post(reverse("stories:work_create"), data)
    work = Work.objects.get()
    chapter = work.chapters.get()
    assert response.url == work.get_absolute_url()
    assert work.creator_credit == "Miztikal-Dragon"
    assert chapter.number == 47
    assert chapter.body.count("<hr>") == 5
    assert "To be Continued" in chapter.end_notes
    assert abs(work.word_count - 3964) <= 3964 * 0.02
    page = author_client.get(work.get_absolute_url()).content.decode()
    assert "Chapter 47: To say our final goodbyes" in page
    assert "(archived by" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "The file is empty."),
        (
            "picture.png",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            "upload .txt, .md, .html, .docx or .odt",
        ),
        ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary"),
    ],
)
def test_bad_upload_is_refused_and_keeps_what_was_typed(
    author_client, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    data = work_form_data(upload=upload, body="")
    response = author_client.post(reverse("stories:work_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Keeper of the Light" in response.content.decode()
    assert not Work.objects.exists()


def test_author_adds_a_chapter(author_client, work):
    response = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {
            "chapter_title": "Second",
            "body": "More of the story, at last.",
            "action": "post",
        },
    )
    chapter = work.chapters.get(number=2)
    assert response.url == chapter.get_absolute_url()
    work.refresh_from_db()
    assert work.chapter_count == 2


def test_chapter_number_must_be_unique_in_the_work(author_client, work):
    response = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {"number": "1", "body": "A chapter with a taken number.", "action": "post"},
    )
    assert "already has a chapter 1" in response.content.decode()
    assert work.chapters.count() == 1


def test_author_uploads_a_chapter_file_then_confirms(author_client, work):
    upload = SimpleUploadedFile(
        "ch.md", b"# Chapter 5: Fog\n\nThe *fog* came in.\n\n***\n\nIt left."
    )
    confirm = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]), {"upload": upload}
    )
    shown = confirm.context["chapter_form"]
    assert shown["number"].value() == 5
    assert shown["body"].value() == "The <em>fog</em> came in.\n\n* * *\n\nIt left."
    assert work.chapters.count() == 1
    author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {
            "number": shown["number"].value(),
            "chapter_title": shown["chapter_title"].value(),
            "body": shown["body"].value(),
            "action": "post",
        },
    )
    assert work.chapters.get(number=5).body.count("<hr>") == 1


def test_author_edits_work_and_tags(author_client, work):
    data = work_form_data(title="Renamed", freeforms="Fluff")
    response = author_client.post(reverse("stories:work_edit", args=[work.pk]), data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Renamed"
    assert list(
        TaggedWork.objects.filter(
            content_object=work, tag__kind=TagKind.FREEFORM
        ).values_list("tag__name", flat=True)
    ) == ["Fluff"]


def test_edit_form_shows_current_tags(author_client, author):
    work = make_work(owner=author, characters=["Ada", "Bram"])
    content = author_client.get(reverse("stories:work_edit", args=[work.pk])).content
    assert b'value="Ada, Bram"' in content


def test_author_edits_a_chapter(author_client, work):
    chapter = work.chapters.get()
    author_client.post(
        reverse("stories:chapter_edit", args=[work.pk, chapter.pk]),
        {
            "number": "1",
            "chapter_title": "New name",
            "body": "<p>Rewritten text here.</p>",
        },
    )
    chapter.refresh_from_db()
    assert chapter.title == "New name"
    assert chapter.body == "<p>Rewritten text here.</p>"


def test_author_reorders_chapters(author_client, author):
    work = make_work(owner=author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    author_client.post(
        reverse("stories:chapter_reorder", args=[work.pk]),
        {
            f"position-{first.pk}": "3",
            f"position-{second.pk}": "1",
            f"position-{third.pk}": "2",
        },
    )
    assert list(work.chapters.order_by("position")) == [second, third, first]


def test_reorder_with_a_missing_position_changes_nothing(author_client, author):
    work = make_work(owner=author, chapters=2)
    first, second = work.chapters.order_by("position")
    response = author_client.post(
        reverse("stories:chapter_reorder", args=[work.pk]),
        {f"position-{first.pk}": "2"},
    )
    assert response.status_code == 400
    assert list(work.chapters.order_by("position")) == [first, second]


def test_deleting_the_only_chapter_is_refused(author_client, work):
    chapter = work.chapters.get()
    author_client.post(reverse("stories:chapter_delete", args=[work.pk, chapter.pk]))
    assert Chapter.objects.filter(pk=chapter.pk).exists()


def test_delete_work_asks_first_then_deletes(author_client, work):
    url = reverse("stories:work_delete", args=[work.pk])
    confirm = author_client.get(url)
    assert b"Yes, delete the work" in confirm.content
    assert Work.objects.filter(pk=work.pk).exists()
    author_client.post(url)
    assert not Work.objects.filter(pk=work.pk).exists()


def test_posting_a_draft_makes_it_public(author_client, author, client):
    draft = make_work(owner=author, post=False)
    author_client.post(reverse("stories:work_post", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_posted


# The permission matrix: every view that changes something, as each kind of person.


def change_requests(work):
    chapter = work.chapters.get()
    return [
        ("get", reverse("stories:work_edit", args=[work.pk]), {}),
        (
            "post",
            reverse("stories:work_edit", args=[work.pk]),
            work_form_data(title="Hijacked"),
        ),
        ("get", reverse("stories:work_delete", args=[work.pk]), {}),
        ("post", reverse("stories:work_delete", args=[work.pk]), {}),
        ("post", reverse("stories:work_post", args=[work.pk]), {}),
        ("get", reverse("stories:chapter_create", args=[work.pk]), {}),
        (
            "post",
            reverse("stories:chapter_create", args=[work.pk]),
            {"body": "An intruder's chapter text."},
        ),
        ("get", reverse("stories:chapter_edit", args=[work.pk, chapter.pk]), {}),
        (
            "post",
            reverse("stories:chapter_edit", args=[work.pk, chapter.pk]),
            {"body": "An intruder's chapter text."},
        ),
        ("post", reverse("stories:chapter_delete", args=[work.pk, chapter.pk]), {}),
        ("get", reverse("stories:chapter_reorder", args=[work.pk]), {}),
        (
            "post",
            reverse("stories:chapter_reorder", args=[work.pk]),
            {f"position-{chapter.pk}": "1"},
        ),
    ]


def snapshot(work):
    work.refresh_from_db()
    return (
        work.title,
        work.status,
        list(work.chapters.values_list("pk", "body", "position")),
    )


@pytest.mark.parametrize("status", ["draft", "posted"])
def test_guests_are_sent_to_log_in_and_change_nothing(client, author, status):
    work = make_work(owner=author, post=status == "posted")
    before = snapshot(work)
    for method, url, data in change_requests(work):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    assert snapshot(work) == before


@pytest.mark.parametrize("status", ["draft", "posted"])
def test_other_users_get_not_found_and_change_nothing(reader_client, author, status):
    work = make_work(owner=author, post=status == "posted")
    before = snapshot(work)
    for method, url, data in change_requests(work):
        response = getattr(reader_client, method)(url, data)
        assert response.status_code == 404, url
    assert snapshot(work) == before


def test_owner_may_open_every_change_page(author_client, author):
    work = make_work(owner=author, post=False)
    for method, url, _data in change_requests(work):
        if method == "get":
            assert author_client.get(url).status_code == 200, url
    response = author_client.post(
        reverse("stories:work_edit", args=[work.pk]), work_form_data(title="Mine")
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Mine"


def test_staff_may_change_any_work(staff_client, author):
    work = make_work(owner=author)
    for method, url, _data in change_requests(work):
        if method == "get":
            assert staff_client.get(url).status_code == 200, url
    staff_client.post(
        reverse("stories:work_edit", args=[work.pk]), work_form_data(title="Moderated")
    )
    work.refresh_from_db()
    assert work.title == "Moderated"
    assert work.owner == author


def test_change_views_need_csrf(author, work):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    response = strict.post(reverse("stories:work_delete", args=[work.pk]))
    assert response.status_code == 403
    assert Work.objects.filter(pk=work.pk).exists()
