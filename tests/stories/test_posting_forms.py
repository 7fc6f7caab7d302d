"""Posting as authors expect: the file first, read by its own button; a guesses
page that shows the chapter as it will read and what is still to fill in; and
every form that fails starting with a summary of what to fix, keeping all typed."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stories.importing import import_chapter
from stories.models import Chapter, Comment, Work
from tests.factories import SEED_CHAPTER as SEED

pytestmark = pytest.mark.django_db

# The selects a browser always sends.
CHOSEN = {"rating": "teen", "language": "en"}
SUMMARY_RE = re.compile(r'<div class="error-summary".*?</div>', re.S)


def seed_bytes():
    if not SEED.exists():
        pytest.skip(f"the seed chapter is not at {SEED}")
    return SEED.read_bytes()


def seed_upload():
    return SimpleUploadedFile("seed.txt", seed_bytes(), content_type="text/plain")


def textarea(content, name):
    match = re.search(
        rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', content, re.S
    )
    assert match, f"no {name} box"
    return unescape(match[1])


def summary_of(content):
    """Return the error summary's markup; fail when there is none or several."""
    summaries = SUMMARY_RE.findall(content)
    assert len(summaries) == 1, f"{len(summaries)} error summaries"
    return summaries[0]


def assert_summary_links(content, *targets):
    summary = summary_of(content)
    assert 'role="alert"' in summary
    assert "autofocus" in summary
    assert 'tabindex="-1"' in summary
    assert "There is a problem" in summary
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links == list(targets)
    for target in targets:
        assert f'id="{target}"' in content, f"the summary links to a missing #{target}"


def submitted(work_form, chapter_form):
    """Return what a browser sends for the forms of the guesses page as shown."""
    data = {"action": "post"}
    for form in (work_form, chapter_form):
        for field in form.visible_fields():
            if field.name == "upload":
                continue
            value = field.value()
            if value is None and getattr(
                field.field.widget, "allow_multiple_selected", 0
            ):
                continue  # no box ticked: a browser sends nothing
            data[field.name] = "" if value is None else value
    return data


@pytest.mark.parametrize(
    ("address", "default_action"),
    [("work_create", "post"), ("chapter_create", "post"), ("chapter_edit", "save")],
)
def test_posting_forms_start_with_the_file_and_its_own_read_button(
    author_client, work, address, default_action
):
    args = {
        "work_create": [],
        "chapter_create": [work.pk],
        "chapter_edit": [work.pk, work.chapters.get().pk],
    }[address]
    content = author_client.get(reverse(f"stories:{address}", args=args)).text
    form = content[content.index("<form method") :]
    fields = re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="(id_[^"]+)"', form)
    assert fields[0] == "id_upload"
    buttons = re.findall(r'<button type="submit"\s+name="action"\s+value="(\w+)"', form)
    # Enter in a text box presses the first button: the form's own, not Read file.
    assert buttons[:2] == [default_action, "read"]
    assert ">Read file</button>" in form


def test_read_file_without_a_file_says_so_and_keeps_what_was_typed(author_client):
    response = author_client.post(
        reverse("stories:work_create"),
        {"action": "read", "title": "Half a Title", "body": "Typed words, kept."},
    )
    assert response.status_code == 200
    assert not Work.objects.exists()
    assert_summary_links(response.text, "id_upload")
    assert "Choose a file to read" in summary_of(response.text)
    assert 'value="Half a Title"' in response.text
    assert textarea(response.text, "body") == "Typed words, kept."


def test_a_file_that_cannot_be_read_is_the_one_error_shown(author_client, work):
    response = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {
            "action": "read",
            "chapter_title": "Typed title",
            "upload": SimpleUploadedFile("scan.txt", b"%PDF-1.4\n\x00\x01"),
        },
    )
    assert_summary_links(response.text, "id_upload")
    assert "looks like a binary file" in summary_of(response.text)
    assert 'value="Typed title"' in response.text
    assert work.chapters.count() == 1


def test_guesses_page_of_a_plain_text_file(author_client):
    response = author_client.post(
        reverse("stories:work_create"), {"action": "read", "upload": seed_upload()}
    )
    content = response.text
    assert response.status_code == 200
    assert not Work.objects.exists()
    assert "Check what we read from your file" in content

    # The boxes hold the text as an author types it, never the markup.
    body = textarea(content, "body")
    assert body.startswith("Kagome eventually drifted off")
    assert body.count("\n\n* * *\n\n") == 5
    for name in ("body", "chapter_notes", "chapter_end_notes"):
        assert "<" not in textarea(content, name), name
    assert textarea(content, "chapter_notes").startswith("Don't own InuYasha")

    # The chapter as it will read, beside the form.
    preview = content[content.index('<section class="posting-preview"') :]
    preview = preview[: preview.index("</section>")]
    assert re.search(
        r'<h3 class="title chapter-title">\s*(<a [^>]*>)?'
        r"Chapter 47: To say our final goodbyes",
        preview,
    )
    assert re.search(
        r"<div class=\"userstuff[^>]*>\s*<p>Kagome eventually drifted off", preview
    )
    assert preview.count("<hr>") == 5

    # What must still be filled in: listed, linked and marked.
    still = content[content.index('<ul class="still-required">') :]
    still = still[: still.index("</ul>")]
    assert re.findall(r'<a href="#([^"]+)">', still) == ["id_warnings_0", "id_fandoms"]
    for label in ("Rating", "Archive warnings", "Fandoms", "Title"):
        assert re.search(
            rf"{label}\s*<span class=\"required-mark\">\(required\)</span>", content
        ), label
    assert re.search(r'<select name="rating"[^>]*aria-required="true"', content)
    assert re.search(r'<input type="text" name="fandoms"[^>]*required', content)


def test_first_post_after_filling_the_required_fields_succeeds(author_client):
    confirm = author_client.post(
        reverse("stories:work_create"), {"action": "read", "upload": seed_upload()}
    )
    data = submitted(confirm.context["work_form"], confirm.context["chapter_form"])
    data.update(
        rating="teen", warnings=["No Archive Warnings Apply"], fandoms="InuYasha"
    )

    response = author_client.post(reverse("stories:work_create"), data)

    work = Work.objects.get()
    assert response.status_code == 302
    assert response.url == work.get_absolute_url()
    chapter = work.chapters.get()
    imported = import_chapter(seed_bytes(), "seed.txt")
    # One path: the text posted from the boxes is stored as the file gave it.
    assert chapter.body == imported.body
    assert chapter.notes == imported.beginning_notes
    assert chapter.end_notes == imported.end_notes
    assert (chapter.number, chapter.title) == (47, "To say our final goodbyes")


def test_a_failed_post_from_the_guesses_page_keeps_the_files_text(author_client):
    confirm = author_client.post(
        reverse("stories:work_create"), {"action": "read", "upload": seed_upload()}
    )
    data = submitted(confirm.context["work_form"], confirm.context["chapter_form"])

    response = author_client.post(reverse("stories:work_create"), data)

    assert response.status_code == 200
    assert not Work.objects.exists()
    assert_summary_links(response.text, "id_warnings_0", "id_fandoms")
    assert textarea(response.text, "body") == data["body"]
    assert 'value="Through the Well"' in response.text


def test_new_chapter_guesses_show_the_chapter_and_post_first_time(author_client, work):
    address = reverse("stories:chapter_create", args=[work.pk])
    confirm = author_client.post(
        address,
        {
            "action": "read",
            "upload": SimpleUploadedFile(
                "fog.md", b"# Chapter 5: Fog\n\nThe *fog* came in.\n\n***\n\nIt left."
            ),
        },
    )
    assert re.search(
        r'<div class="userstuff[^>]*>\s*<p>The <em>fog</em> came in.</p><hr>',
        confirm.text,
    )
    assert "There is a problem" not in confirm.text
    data = submitted(confirm.context["chapter_form"], confirm.context["chapter_form"])

    response = author_client.post(address, data)

    chapter = work.chapters.get(number=5)
    assert response.status_code == 302
    assert chapter.body == "<p>The <em>fog</em> came in.</p><hr><p>It left.</p>"


def test_every_failed_form_starts_with_the_summary_and_keeps_what_was_typed(
    client, author, work
):
    chapter = work.chapters.get()
    client.force_login(author)
    cases = [
        (
            reverse("stories:work_create"),
            {
                "action": "post",
                **CHOSEN,
                "title": "Kept title",
                "body": "Kept chapter words.",
            },
            ["id_warnings_0", "id_fandoms"],
            "Kept chapter words.",
        ),
        (
            reverse("stories:work_edit", args=[work.pk]),
            {"action": "save", **CHOSEN, "title": "", "summary": "Kept summary words."},
            ["id_warnings_0", "id_fandoms", "id_title"],
            "Kept summary words.",
        ),
        (
            reverse("stories:chapter_create", args=[work.pk]),
            {"action": "post", "chapter_title": "Kept chapter title", "body": ""},
            ["id_body"],
            "Kept chapter title",
        ),
        (
            reverse("stories:comment_create", args=[work.pk, chapter.pk]),
            {"body": "x" * 10_001},
            ["id_body"],
            "x" * 10_001,
        ),
    ]
    for address, data, targets, kept in cases:
        response = client.post(address, data)
        assert response.status_code in (200, 400), address
        assert_summary_links(response.text, *targets)
        assert kept in response.text, address
    assert Work.objects.count() == 1
    assert Chapter.objects.count() == 1
    assert not Comment.objects.exists()


def test_sign_up_and_log_in_start_with_the_summary(client, author):
    response = client.post(
        reverse("signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a-long-new-password",
            "password2": "a-different-password",
        },
    )
    assert_summary_links(response.text, "id_password2")
    assert 'value="newcomer@example.org"' in response.text

    response = client.post(
        reverse("login"), {"username": author.username, "password": "not it"}
    )
    summary = summary_of(response.text)
    assert "There is a problem" in summary
    assert "correct username and password" in summary
    assert f'value="{author.username}"' in response.text


def test_the_ao3_import_confirmation_has_one_summary_for_all_its_forms(author_client):
    from tests.stories.imports.test_ao3 import IMPORT_URL, confirmed_data, upload

    confirm = author_client.post(reverse(IMPORT_URL), {"upload": upload()})
    data = confirmed_data(
        confirm, title="", **{"chapters-1-body": "", "chapters-2-chapter_title": "Ebb"}
    )

    response = author_client.post(reverse(IMPORT_URL), data)

    assert_summary_links(response.text, "id_title", "id_chapters-1-body")
    assert 'value="Ebb"' in response.text
    assert not Work.objects.exists()
