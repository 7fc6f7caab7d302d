"""make clean: a fresh start that keeps the archive's backups."""

import shutil
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make here")


def test_make_clean_removes_the_virtualenv_and_the_database_but_keeps_backups(
    tmp_path,
):
    # The project's Makefile run in a folder of the test's own: its var/ and
    # .venv are the ones below, never the checkout's.
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    var = tmp_path / "var"
    (var / "cache").mkdir(parents=True)
    (var / "cache" / "page").write_text("cached")
    (var / "archive.sqlite3").write_bytes(b"SQLite format 3\x00")
    backups = var / "backups"
    backups.mkdir()
    backup = backups / "archive-20261126-120000.sqlite3"
    backup.write_bytes(b"SQLite format 3\x00 the archive as it was")

    subprocess.run(
        ["make", "-f", str(settings.BASE_DIR / "Makefile"), "clean"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=60,
    )

    assert not (tmp_path / ".venv").exists()
    assert [path.name for path in var.iterdir()] == ["backups"]
    assert backup.read_bytes() == b"SQLite format 3\x00 the archive as it was"


def test_make_clean_on_a_fresh_checkout_does_nothing_and_succeeds(tmp_path):
    done = subprocess.run(
        ["make", "-f", str(settings.BASE_DIR / "Makefile"), "clean"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []
