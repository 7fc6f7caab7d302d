import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from archive.models import User
from stories import services
from stories.models import Chapter, Comment, Status, Tag, TagKind, Work
from tests.factories import SEED_CHAPTER as SEED
from tests.factories import make_work
from tests.pages import admin_work_form

pytestmark = pytest.mark.django_db

MOTH_CHAPTER = (
    "The Moth Lantern\n\nBy Inkwell-Fox\n\nChapter 3: Paper wings\n\n"
    "The moths came to the lantern every night, and every night Mara "
    "counted them.\n\nShe never told anyone how many there were.\n\n"
    "To be continued\n"
)
HOSTILE_PAGE = (
    "<html><head><title>The Moth Lantern</title></head><body>"
    "<h2>Chapter 4: Ash</h2>"
    '<p>The lantern went out <img src="x" onerror="alert(1)"> at midnight.</p>'
    "<script>alert(2)</script>"
    "<p>Mara lit it again with her last match.</p></body></html>"
)


def chapter_form(work, **fields):
    """Return the POST data of the chapter add form, typed fields left empty."""
    return {
        "work": work.pk,
        "number": "",
        "title": "",
        "notes": "",
        "body": "",
        "end_notes": "",
        **fields,
    }


def upload(name, content):
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def comment(work, reader):
    return services.comment_post(
        chapter=work.chapters.get(), user=reader, body="Lovely lanterns."
    )


@pytest.mark.parametrize(
    ("model", "query", "filters", "shown"),
    [
        ("stories_work", "Lantern", {"status__exact": "posted"}, "The Lantern Keeper"),
        ("stories_work", "quillfeather", {"rating__exact": "general"}, "Lantern"),
        (
            "stories_chapter",
            "Lantern Keeper",
            {"status__exact": "posted"},
            "Beginnings",
        ),
        ("stories_tag", "Original", {"kind__exact": "fandom"}, "Original Work"),
        (
            "stories_comment",
            "pageturner",
            {"is_deleted__exact": "0"},
            "Lovely lanterns",
        ),
        (
            "archive_user",
            "pageturner@example.org",
            {"is_staff__exact": "0"},
            "pageturner",
        ),
    ],
)
def test_staff_search_and_filter_every_changelist(
    staff_client, comment, model, query, filters, shown
):
    response = staff_client.get(
        reverse(f"admin:{model}_changelist"), {"q": query, **filters}
    )

    assert response.status_code == 200
    assert shown in response.text
    assert response.context["cl"].result_count == 1


def test_tag_changelist_counts_posted_works(staff_client, author):
    make_work(owner=author, fandoms=["Lantern Tales"])
    make_work(owner=author, fandoms=["Lantern Tales"], post=False)

    response = staff_client.get(reverse("admin:stories_tag_changelist"))

    tag = response.context["cl"].result_list.get(name="Lantern Tales")
    assert tag.work_count == 1


@pytest.mark.parametrize(
    "model", ["stories_work", "stories_chapter", "stories_tag", "stories_comment"]
)
def test_changelist_queries_do_not_grow_with_rows(staff_client, author, reader, model):
    url = reverse(f"admin:{model}_changelist")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    work = make_work(owner=author, fandoms=["Fandom 0"])
    services.comment_post(chapter=work.chapters.get(), user=reader, body="First!")
    with_one = count_queries()
    for number in range(1, 10):
        work = make_work(owner=author, fandoms=[f"Fandom {number}"])
        services.comment_post(chapter=work.chapters.get(), user=reader, body="More!")

    assert count_queries() == with_one


def test_work_change_page_shows_chapters_and_tags(staff_client, author):
    work = make_work(owner=author, characters=["Mara"], chapters=2)

    response = staff_client.get(reverse("admin:stories_work_change", args=[work.pk]))

    assert response.status_code == 200
    assert "Character: Mara" in response.text
    for chapter in work.chapters.all():
        assert reverse("admin:stories_chapter_change", args=[chapter.pk]) in (
            response.text
        )
    assert 'name="chapters-0-body"' not in response.text


@pytest.mark.parametrize("model", ["stories_work", "stories_chapter", "archive_user"])
def test_reader_is_sent_to_admin_login(reader_client, model):
    url = reverse(f"admin:{model}_changelist")

    response = reader_client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


def test_chapter_add_page_offers_an_upload(staff_client, work):
    response = staff_client.get(reverse("admin:stories_chapter_add"), {"work": work.pk})

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert "its text replaces the fields below" in response.text
    assert response.context["adminform"].form.initial["work"] == str(work.pk)


def test_chapter_change_page_shows_its_status(staff_client, work):
    chapter = work.chapters.get()

    response = staff_client.get(
        reverse("admin:stories_chapter_change", args=[chapter.pk])
    )

    assert response.status_code == 200
    assert "Posted" in response.text
    assert escape(chapter.body) in response.text


def test_uploaded_text_file_becomes_a_chapter(staff_client, work):
    response = staff_client.post(
        reverse("admin:stories_chapter_add"),
        chapter_form(work, upload=upload("moth.txt", MOTH_CHAPTER)),
    )

    assert response.status_code == 302
    chapter = work.chapters.get(number=3)
    assert chapter.title == "Paper wings"
    assert chapter.body.startswith("<p>The moths came to the lantern every night")
    assert chapter.end_notes == "<p>To be continued</p>"
    assert chapter.word_count == 22
    assert chapter.status == Status.POSTED
    assert chapter.position == 2
    work.refresh_from_db()
    assert work.chapter_count == 2
    assert work.word_count == sum(work.chapters.values_list("word_count", flat=True))
    assert response.url == reverse("admin:stories_chapter_changelist")


def test_typed_number_wins_over_the_files(staff_client, work):
    staff_client.post(
        reverse("admin:stories_chapter_add"),
        chapter_form(work, number="7", upload=upload("moth.txt", MOTH_CHAPTER)),
    )

    assert work.chapters.get(number=7).title == "Paper wings"


def test_seed_chapter_uploads_in_the_admin(staff_client, work):
    if not SEED.exists():
        pytest.skip(f"seed chapter not found at {SEED}")

    response = staff_client.post(
        reverse("admin:stories_chapter_add"),
        chapter_form(work, upload=upload(SEED.name, SEED.read_bytes())),
    )

    assert response.status_code == 302
    chapter = work.chapters.get(number=47)
    assert chapter.title == "To say our final goodbyes"
    assert chapter.word_count > 1000
    work.refresh_from_db()
    assert work.word_count == sum(work.chapters.values_list("word_count", flat=True))


def test_uploaded_html_is_sanitized(staff_client, work):
    staff_client.post(
        reverse("admin:stories_chapter_add"),
        chapter_form(work, upload=upload("ash.html", HOSTILE_PAGE)),
    )

    chapter = work.chapters.get(number=4)
    assert "Mara lit it again" in chapter.body
    assert "<script" not in chapter.body
    assert "onerror" not in chapter.body
    assert "alert" not in chapter.body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.txt", b"%PDF-1.4\n\x00\x01", "scan.txt looks like a binary file"),
        ("empty.txt", b"   \n", "The file is empty."),
        ("story.rtf", b"words", "story.rtf is not a file type the archive reads"),
        ("story.docx", b"words", "story.docx is not a Word (.docx) or OpenDocument"),
    ],
)
def test_unreadable_upload_shows_the_importers_message(
    staff_client, work, name, content, message
):
    response = staff_client.post(
        reverse("admin:stories_chapter_add"),
        chapter_form(work, title="Typed title", upload=upload(name, content)),
    )

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["upload"][0]
    assert message in response.text
    assert 'value="Typed title"' in response.text
    assert work.chapters.count() == 1


def test_chapter_text_is_required_without_a_file(staff_client, work):
    response = staff_client.post(
        reverse("admin:stories_chapter_add"), chapter_form(work, title="Empty")
    )

    assert response.status_code == 200
    assert "Type the chapter text or upload a file." in response.text
    assert work.chapters.count() == 1


def test_hostile_html_typed_in_the_admin_is_sanitized(staff_client, work):
    body = (
        '<p onclick="steal()">Night fell on the canal.</p>'
        '<script>steal()</script><p><a href="javascript:steal()">home</a></p>'
    )

    response = staff_client.post(
        reverse("admin:stories_chapter_add"),
        chapter_form(work, title="Night", body=body, notes="Thanks <b>all</b>"),
    )

    assert response.status_code == 302
    chapter = work.chapters.get(title="Night")
    assert chapter.number == 2
    assert "steal" not in chapter.body
    assert "onclick" not in chapter.body
    assert "Night fell on the canal." in chapter.body
    assert chapter.notes == "<p>Thanks <b>all</b></p>"
    assert chapter.word_count == 6


def test_typed_plain_text_becomes_paragraphs(staff_client, work):
    staff_client.post(
        reverse("admin:stories_chapter_add"),
        chapter_form(work, body="The first line.\n\nThe second one."),
    )

    chapter = work.chapters.get(number=2)
    assert chapter.body == "<p>The first line.</p><p>The second one.</p>"


def test_duplicate_chapter_number_is_refused(staff_client, work):
    response = staff_client.post(
        reverse("admin:stories_chapter_add"),
        chapter_form(work, number="1", body="Another first chapter."),
    )

    assert response.status_code == 200
    assert "This work already has a chapter 1." in response.text
    assert work.chapters.count() == 1


def test_editing_a_chapter_recounts_its_work(staff_client, work):
    chapter = work.chapters.get()

    response = staff_client.post(
        reverse("admin:stories_chapter_change", args=[chapter.pk]),
        {
            "number": "",
            "title": "Renamed",
            "notes": "",
            "body": "Just four words <script>x</script>here.",
            "end_notes": "",
        },
    )

    assert response.status_code == 302
    chapter.refresh_from_db()
    work.refresh_from_db()
    assert chapter.title == "Renamed"
    assert chapter.number == 1
    assert chapter.body == "<p>Just four words here.</p>"
    assert chapter.word_count == 4
    assert work.word_count == 4


def test_last_chapter_is_not_deleted(staff_client, work):
    chapter = work.chapters.get()

    response = staff_client.post(
        reverse("admin:stories_chapter_delete", args=[chapter.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Chapter.objects.filter(pk=chapter.pk).exists()


def test_deleting_a_chapter_recounts_its_work(staff_client, author):
    work = make_work(owner=author, chapters=2)
    first = work.chapters.get(number=1)

    staff_client.post(
        reverse("admin:stories_chapter_delete", args=[first.pk]), {"post": "yes"}
    )

    work.refresh_from_db()
    remaining = work.chapters.get()
    assert remaining.number == 2
    assert remaining.position == 1
    assert work.chapter_count == 1
    assert work.word_count == remaining.word_count


def test_deleting_a_work_in_the_admin_takes_its_chapters(staff_client, comment):
    work = comment.work

    response = staff_client.post(
        reverse("admin:stories_work_delete", args=[work.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Work.objects.filter(pk=work.pk).exists()
    assert not Chapter.objects.exists()
    assert not Comment.objects.exists()


def test_saving_a_work_sanitizes_and_recounts(staff_client, work):
    Work.objects.filter(pk=work.pk).update(word_count=0, chapter_count=0)

    response = staff_client.post(
        reverse("admin:stories_work_change", args=[work.pk]),
        admin_work_form(
            work,
            summary='<p onmouseover="x()">Lanterns.</p><script>x()</script>',
            notes="Plain notes.",
        ),
    )

    assert response.status_code == 302
    work.refresh_from_db()
    assert work.summary == "<p>Lanterns.</p>"
    assert work.notes == "<p>Plain notes.</p>"
    assert work.chapter_count == 1
    assert work.word_count == work.chapters.get().word_count


def test_posting_a_draft_from_its_change_page_posts_its_chapters(staff_client, author):
    work = make_work(owner=author, post=False, chapters=2)

    staff_client.post(
        reverse("admin:stories_work_change", args=[work.pk]),
        admin_work_form(work, status=Status.POSTED),
    )

    work.refresh_from_db()
    assert work.status == Status.POSTED
    assert work.published_at is not None
    assert set(work.chapters.values_list("status", flat=True)) == {Status.POSTED}
    assert work.chapter_count == 2


def test_post_action_posts_selected_works(staff_client, author):
    drafts = [make_work(owner=author, post=False) for _ in range(2)]
    untouched = make_work(owner=author, post=False)

    response = staff_client.post(
        reverse("admin:stories_work_changelist"),
        {"action": "post_works", "_selected_action": [work.pk for work in drafts]},
        follow=True,
    )

    assert "Posted 2 works." in response.text
    for work in drafts:
        work.refresh_from_db()
        assert work.status == Status.POSTED
        assert work.chapters.get().status == Status.POSTED
        assert work.chapter_count == 1
    untouched.refresh_from_db()
    assert untouched.status == Status.DRAFT


def test_draft_action_hides_posted_works(staff_client, work):
    response = staff_client.post(
        reverse("admin:stories_work_changelist"),
        {"action": "mark_works_draft", "_selected_action": [work.pk]},
        follow=True,
    )

    assert "Marked 1 work as draft." in response.text
    work.refresh_from_db()
    assert work.status == Status.DRAFT
    assert not Work.objects.posted().filter(pk=work.pk).exists()


def test_works_are_not_added_in_the_admin(staff_client):
    response = staff_client.get(reverse("admin:stories_work_add"))

    assert response.status_code == 403


def test_staff_add_a_user_with_an_email(staff_client):
    response = staff_client.post(
        reverse("admin:archive_user_add"),
        {
            "username": "lanternlit",
            "email": "lanternlit@example.org",
            "usable_password": "true",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="lanternlit")
    assert user.email == "lanternlit@example.org"
    assert user.check_password("a-long-test-password")


def test_tag_added_in_the_admin_gets_a_slug(staff_client):
    response = staff_client.post(
        reverse("admin:stories_tag_add"),
        {"name": "  Lantern   Tales ", "kind": "fandom"},
    )

    assert response.status_code == 302
    tag = Tag.objects.get(kind=TagKind.FANDOM)
    assert tag.name == "Lantern Tales"
    assert tag.slug == "lantern-tales"


def test_tag_admin_refuses_duplicates_and_forbidden_characters(staff_client, work):
    url = reverse("admin:stories_tag_add")

    duplicate = staff_client.post(url, {"name": "original work", "kind": "fandom"})
    forbidden = staff_client.post(url, {"name": "Stars*Wars", "kind": "fandom"})

    assert duplicate.context["adminform"].form.errors["name"] == [
        'There is already a tag "original work" of the kind Fandom.'
    ]
    assert forbidden.context["adminform"].form.errors["name"] == [
        'The tag "Stars*Wars" may not contain *.'
    ]
    assert Tag.objects.filter(kind=TagKind.FANDOM).count() == 1


def test_moderator_edit_of_a_comment_is_sanitized_and_marked(staff_client, comment):
    response = staff_client.post(
        reverse("admin:stories_comment_change", args=[comment.pk]),
        {"body": "Edited <script>x()</script>by a moderator."},
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "<p>Edited by a moderator.</p>"
    assert comment.is_edited


def test_deleting_comments_in_the_admin_recounts(staff_client, comment, reader):
    reply = services.comment_post(
        chapter=comment.chapter, user=reader, body="Reply.", parent=comment
    )

    staff_client.post(
        reverse("admin:stories_comment_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [comment.pk, reply.pk],
            "post": "yes",
        },
    )

    assert not Comment.objects.exists()
    comment.work.refresh_from_db()
    assert comment.work.comment_count == 0


# Found by tests/archive/test_every_page.py: the autocomplete widgets looked up
# whatever value they were given, and a value that names no row raised.
@pytest.mark.parametrize("value", ["abc", "../../etc/passwd", str(2**63), "-0"])
def test_admin_forms_with_autocomplete_fields_take_any_value_in_the_address(
    staff_client, work, value
):
    addresses = [
        reverse(f"admin:{name}_add")
        for name in ("stories_tag", "stories_chapter", "series_series")
    ] + [reverse("admin:stories_work_change", args=[work.pk])]
    for address in addresses:
        response = staff_client.get(
            address, {"merger": value, "parents": value, "owner": value, "work": value}
        )
        assert response.status_code == 200, address


def test_admin_tag_posted_with_a_merger_that_is_no_id_is_refused(staff_client):
    response = staff_client.post(
        reverse("admin:stories_tag_add"),
        {"name": "Lanterns", "kind": TagKind.FREEFORM, "merger": "abc", "parents": "x"},
    )
    assert response.status_code == 200
    assert not Tag.objects.filter(name="Lanterns").exists()


@pytest.mark.parametrize("value", [str(2**63), "9" * 30])
def test_admin_tag_posted_with_parents_beyond_any_id_is_refused(staff_client, value):
    # Found by tests/archive/test_every_page.py: the many-to-many field looked
    # the ids up at once, which overflowed SQLite.
    response = staff_client.post(
        reverse("admin:stories_tag_add"),
        {"name": "Lanterns", "kind": TagKind.FREEFORM, "parents": value},
    )
    assert response.status_code == 200
    assert not Tag.objects.filter(name="Lanterns").exists()
