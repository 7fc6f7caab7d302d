import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from stories.models import Chapter, Rating, Status, TagKind, Work
from tests.factories import SEED_CHAPTER as SEED
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

CREATE_USER = (
    "from archive.models import User; "
    "User.objects.create_user('lamp', 'lamp@example.org', 'a-long-password')"
)


def moth_chapter(
    number, title, *, work_title="The Moth Lantern", creator="Inkwell-Fox"
):
    return (
        f"{work_title}\n\nBy {creator}\n\nChapter {number}: {title}\n\n"
        "The moths came to the lantern every night, and every night Mara "
        "counted them.\n\nShe never told anyone how many there were.\n\n"
        "To be continued\n"
    )


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def run(*args):
    """Run import_chapters; return what it wrote to stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("import_chapters", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    """Run import_chapters expecting it to fail; return the error, stdout, stderr."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "import_chapters", *[str(arg) for arg in args], stdout=out, stderr=err
        )
    return str(excinfo.value), out.getvalue(), err.getvalue()


@pytest.fixture
def seed_file():
    if not SEED.exists():
        pytest.skip(f"seed chapter not found at {SEED}")
    return SEED


def test_seed_chapter_imports_into_new_work(seed_file, author):
    out, err = run(seed_file, "--owner", author.username, "--fandom", "InuYasha")

    work = Work.objects.get()
    chapter = work.chapters.get()
    assert work.owner == author
    assert work.title == "Through the Well"
    assert work.creator_credit == "Miztikal-Dragon"
    assert work.expected_chapters is None
    assert work.status == Status.POSTED
    assert work.rating == Rating.NOT_RATED
    assert work.tags_by_kind[TagKind.FANDOM][0].name == "InuYasha"
    assert [tag.name for tag in work.tags_by_kind[TagKind.WARNING]] == [
        "Choose Not To Use Archive Warnings"
    ]
    assert chapter.number == 47
    assert chapter.title == "To say our final goodbyes"
    assert chapter.word_count > 1000
    assert work.word_count == chapter.word_count
    assert work.chapter_count == 1
    assert out == (
        f"OK {seed_file}: {chapter.get_absolute_url()} chapter 47 "
        f'"To say our final goodbyes", {chapter.word_count} words\n'
    )
    assert err == ""


def test_chapters_of_one_work_go_together(tmp_path, author):
    first = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))
    second = write(tmp_path, "four.txt", moth_chapter(4, "Ash"))
    other = write(tmp_path, "other.txt", moth_chapter(1, "Start", work_title="Tides"))

    out, _err = run(first, second, other, "--owner", author.username, "--fandom", "X")

    moths = Work.objects.get(title="The Moth Lantern")
    assert moths.creator_credit == "Inkwell-Fox"
    assert list(moths.chapters.values_list("number", "title")) == [
        (3, "Paper wings"),
        (4, "Ash"),
    ]
    assert moths.chapter_count == 2
    assert Work.objects.get(title="Tides").chapters.count() == 1
    assert len(out.splitlines()) == 3


def test_chapter_joins_owners_existing_work_with_same_title_and_credit(
    tmp_path, author
):
    existing = make_work(
        owner=author, title="The Moth Lantern", creator_credit="Inkwell-Fox"
    )
    path = write(tmp_path, "five.txt", moth_chapter(5, "Smoke"))

    run(path, "--owner", author.username, "--fandom", "X")

    assert Work.objects.count() == 1
    assert list(existing.chapters.values_list("number", flat=True)) == [1, 5]


def test_creator_matching_owner_leaves_credit_empty(tmp_path):
    owner = UserFactory(username="Inkwell-Fox")
    path = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))

    run(path, "--owner", owner.username, "--fandom", "X")

    assert Work.objects.get().creator_credit == ""


def test_work_option_adds_chapters_to_that_work(tmp_path, work):
    path = write(
        tmp_path, "two.txt", moth_chapter(2, "Paper wings", work_title="Other")
    )

    out, _err = run(path, "--owner", work.owner.username, "--work", work.pk)

    work.refresh_from_db()
    chapter = work.chapters.get(number=2)
    assert chapter.title == "Paper wings"
    assert chapter.status == Status.POSTED
    assert work.chapter_count == 2
    assert work.word_count == sum(work.chapters.values_list("word_count", flat=True))
    assert Work.objects.count() == 1
    assert out.startswith(f"OK {path}: {chapter.get_absolute_url()} chapter 2 ")


def test_work_option_refuses_someone_elses_work(tmp_path, work, reader):
    path = write(tmp_path, "two.txt", moth_chapter(2, "Paper wings"))

    message, _out, _err = run_failing(
        path, "--owner", reader.username, "--work", work.pk
    )

    assert "belongs to" in message
    assert work.chapters.count() == 1


def test_staff_owner_may_add_to_any_work(tmp_path, work, staff):
    path = write(tmp_path, "two.txt", moth_chapter(2, "Paper wings"))

    run(path, "--owner", staff.username, "--work", work.pk)

    assert work.chapters.filter(number=2).exists()


def test_work_option_refuses_tag_options(tmp_path, work):
    path = write(tmp_path, "two.txt", moth_chapter(2, "Paper wings"))

    message, _out, _err = run_failing(
        path, "--owner", work.owner.username, "--work", work.pk, "--fandom", "X"
    )

    assert "--work" in message


def test_bad_files_fail_alone(tmp_path, author):
    good = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))
    binary = write(tmp_path, "scan.txt", b"%PDF-1.4\n\x00\x01binary")
    empty = write(tmp_path, "empty.txt", b"")

    message, out, err = run_failing(
        binary, good, empty, "--owner", author.username, "--fandom", "X"
    )

    assert message == "2 of 3 files failed."
    assert out.startswith(f"OK {good}: ")
    assert err.splitlines() == [
        f"FAILED {binary}: scan.txt looks like a binary file (a PDF), not text: "
        "save it as .txt, .md or .html and upload that.",
        f"FAILED {empty}: The file is empty.",
    ]
    assert Work.objects.get().chapters.get().title == "Paper wings"
    assert Chapter.objects.count() == 1


def test_missing_file_fails_with_reason(tmp_path, author):
    message, _out, err = run_failing(
        tmp_path / "nowhere.txt", "--owner", author.username, "--fandom", "X"
    )

    assert message == "1 of 1 files failed."
    assert "cannot read it" in err


def test_duplicate_chapter_number_fails_that_file(tmp_path, author):
    first = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))
    again = write(tmp_path, "three-again.txt", moth_chapter(3, "Paper wings, redone"))

    message, _out, err = run_failing(
        first, again, "--owner", author.username, "--fandom", "X"
    )

    assert message == "1 of 2 files failed."
    assert err.startswith(f"FAILED {again}: work ")
    assert "already has a chapter 3" in err
    assert Chapter.objects.get().title == "Paper wings"


def test_too_short_chapter_fails(tmp_path, author):
    path = write(tmp_path, "short.txt", "Tiny\n\nBy Someone\n\nChapter 1\n\nHi.\n")

    _message, _out, err = run_failing(path, "--owner", author.username, "--fandom", "X")

    assert "at least 10 characters" in err
    assert not Work.objects.exists()


def test_unknown_owner_is_refused(tmp_path):
    path = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))

    message, _out, _err = run_failing(path, "--owner", "nobody", "--fandom", "X")

    assert message == 'There is no user "nobody".'


def test_new_works_need_a_fandom(tmp_path, author):
    path = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))

    message, _out, _err = run_failing(path, "--owner", author.username)

    assert "--fandom" in message
    assert not Work.objects.exists()


def test_draft_option_makes_drafts(tmp_path, author):
    path = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))

    run(path, "--owner", author.username, "--fandom", "X", "--draft")

    work = Work.objects.get()
    assert work.status == Status.DRAFT
    assert work.chapters.get().status == Status.DRAFT


def test_tags_rating_and_warnings_are_set(tmp_path, author):
    path = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))

    run(
        path, "--owner", author.username,
        "--fandom", "Lantern Tales", "--character", "Mara",
        "--relationship", "Mara/Moth", "--freeform", "Fluff, Night",
        "--rating", "teen and up audiences",
        "--warning", "no archive warnings apply",
    )  # fmt: skip

    work = Work.objects.get()
    names = {
        kind: [tag.name for tag in tags] for kind, tags in work.tags_by_kind.items()
    }
    assert work.rating == Rating.TEEN
    assert names == {
        TagKind.FANDOM: ["Lantern Tales"],
        TagKind.CHARACTER: ["Mara"],
        TagKind.RELATIONSHIP: ["Mara/Moth"],
        TagKind.FREEFORM: ["Fluff", "Night"],
        TagKind.WARNING: ["No Archive Warnings Apply"],
        # None given: the command sets no category.
        TagKind.CATEGORY: [],
    }


def test_unknown_rating_lists_the_allowed_ones(tmp_path, author):
    path = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))

    message, _out, _err = run_failing(
        path, "--owner", author.username, "--fandom", "X", "--rating", "PG-13"
    )

    assert message.startswith('Unknown rating "PG-13": use one of ')
    for rating in Rating:
        assert rating.value in message
    assert not Work.objects.exists()


def test_unknown_warning_is_refused(tmp_path, author):
    path = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))

    message, _out, _err = run_failing(
        path, "--owner", author.username, "--fandom", "X", "--warning", "Spoilers"
    )

    assert message.startswith('Unknown archive warning "Spoilers"')


def test_forbidden_tag_name_is_refused(tmp_path, author):
    path = write(tmp_path, "three.txt", moth_chapter(3, "Paper wings"))

    message, _out, _err = run_failing(
        path, "--owner", author.username, "--fandom", "Stars*Wars"
    )

    assert "may not contain *" in message
    assert not Work.objects.exists()


def test_manage_py_exits_non_zero_when_a_file_fails(tmp_path):
    manage = Path(settings.BASE_DIR) / "manage.py"
    database = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    env = {"DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "archive.settings.test"}

    def manage_py(*args):
        return subprocess.run(
            [sys.executable, manage, *args],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=False,
        )

    assert manage_py("migrate", "--no-input").returncode == 0
    assert manage_py("shell", "-c", CREATE_USER).returncode == 0
    empty = write(tmp_path, "empty.txt", b"")

    result = manage_py(
        "import_chapters", str(empty), "--owner", "lamp", "--fandom", "X"
    )

    assert result.returncode == 1
    assert f"FAILED {empty}: The file is empty." in result.stderr
    assert "1 of 1 files failed." in result.stderr
