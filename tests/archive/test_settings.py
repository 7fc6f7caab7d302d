import subprocess
import sys
from pathlib import Path

import pytest

from archive.settings.base import VAR_DIR, huey_from_url

ROOT = Path(__file__).resolve().parents[2]


def start_production(**env):
    """Return the result of loading production settings in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "archive.settings.production", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ARCHIVE_SECRET_KEY": "k" * 50, "ARCHIVE_DEBUG": "true"}, "ARCHIVE_DEBUG"),
        ({}, "ARCHIVE_SECRET_KEY"),
        ({"ARCHIVE_SECRET_KEY": "short"}, "ARCHIVE_SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_misconfigured(env, message):
    result = start_production(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_starts_with_a_secret_key_and_debug_off():
    result = start_production(ARCHIVE_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


def test_local_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('PRAGMA journal_mode')\n"
        "    mode = cursor.fetchone()[0]\n"
        "    cursor.execute('PRAGMA busy_timeout')\n"
        "    timeout = cursor.fetchone()[0]\n"
        "import sys; sys.stdout.write(f'{mode} {timeout}')\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "archive.settings.local",
            "ARCHIVE_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["wal", "20000"]
    assert (tmp_path / "archive.sqlite3").exists()


def test_background_jobs_queue_in_a_sqlite_file_under_var_by_default():
    assert huey_from_url("") == {
        "name": "archive",
        "immediate": False,
        "results": False,
        "huey_class": "huey.SqliteHuey",
        "filename": str(VAR_DIR / "huey.sqlite3"),
    }


def test_background_jobs_queue_in_redis_given_a_redis_url():
    setting = huey_from_url("redis://queue.internal:6379/2")

    assert setting["huey_class"] == "huey.RedisHuey"
    assert setting["url"] == "redis://queue.internal:6379/2"
    assert "filename" not in setting
    assert setting["immediate"] is False
