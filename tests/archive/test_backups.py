"""make backup and make restore: a backup restored into an empty database shows
the same pages and finds the same works, on SQLite and on PostgreSQL."""

import re
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from archive.backups import database_tables
from archive.models import User
from stories.models import Work
from tests.factories import make_work
from tests.restoring import archive_build, archive_pages, empty_database

pytestmark = pytest.mark.django_db(transaction=True)


def _backup(capsys):
    call_command("backup")
    printed = capsys.readouterr().out
    return Path(re.search(r"Backed up the archive to (\S+)", printed).group(1))


def test_a_backup_restored_into_an_empty_database_shows_the_same_pages(capsys):
    lanterns = archive_build()
    before = archive_pages()
    path = _backup(capsys)
    assert path.parent == Path(settings.VAR_DIR) / "backups"
    assert re.fullmatch(r"archive-\d{8}-\d{6}\.(sqlite3|pgdump)", path.name)
    # Written after the backup: gone once it is restored, pages and all (the
    # cache holds pages that show it until the restore empties it).
    make_work(owner=lanterns.owner, title="Lanterns Again", fandoms=("Good Omens",))
    assert archive_pages()["search titles"] == [
        "Lanterns Again",
        "Lanterns on the Canal",
    ]

    with empty_database():
        call_command("restore", str(path))
        after = archive_pages()
        assert set(User.objects.values_list("username", flat=True)) >= {"quillfeather"}
        assert not Work.objects.filter(title="Lanterns Again").exists()

        # --replace overwrites a database that is not empty, writes since and all.
        make_work(title="Lanterns Once More", fandoms=("Good Omens",))
        call_command("restore", str(path), replace=True)
        replaced = archive_pages()
        assert not Work.objects.filter(title="Lanterns Once More").exists()

    assert after == before
    assert replaced == before
    path.unlink()


def test_restore_refuses_a_database_that_is_not_empty(capsys):
    archive_build()
    path = _backup(capsys)
    make_work(title="Written since")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))

    assert Work.objects.filter(title="Written since").exists()
    path.unlink()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("Chapter 1\n")

    with empty_database():
        with pytest.raises(CommandError, match="neither a SQLite backup nor"):
            call_command("restore", str(not_a_backup))
        with pytest.raises(CommandError, match="No backup at"):
            call_command("restore", str(tmp_path / "missing.sqlite3"))
        assert database_tables() == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's online backup only")
def test_a_sqlite_backup_runs_beside_a_writer_and_keeps_what_was_committed(capsys):
    archive_build()
    writer = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE stories_work SET title = 'Uncommitted'")
    try:
        path = _backup(capsys)
    finally:
        writer.rollback()
        writer.close()

    backup = sqlite3.connect(path)
    titles = {row[0] for row in backup.execute("SELECT title FROM stories_work")}
    backup.close()
    assert "Lanterns on the Canal" in titles
    assert "Uncommitted" not in titles
    path.unlink()
