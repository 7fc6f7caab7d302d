"""make run prints each log line once (archive/settings/base.py LOGGING)."""

import os
import subprocess
import sys

from django.conf import settings

EMIT = """
import logging
import django
django.setup()
logging.getLogger("django.request").warning("Not Found: /nowhere")
logging.getLogger("django.utils.autoreload").info("Watching for file changes")
logging.getLogger("django.server").info('"GET / HTTP/1.1" 200 5')
logging.getLogger("archive.ratelimits").warning("Over the budget")
logging.getLogger("huey").info("Executing a job")
logging.getLogger("django.db.backends").debug("SELECT 1")
"""


def test_every_log_line_is_printed_once_by_make_runs_settings(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings.local",
        "ARCHIVE_VAR_DIR": str(tmp_path),
        "ARCHIVE_DEBUG": "1",
    }
    printed = subprocess.run(
        [sys.executable, "-c", EMIT],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stderr.splitlines()
    for line in (
        "Not Found: /nowhere",
        "Watching for file changes",
        "Over the budget",
        "Executing a job",
    ):
        assert printed.count(line) == 1, printed
    # runserver's request lines keep their own format, with the time.
    [request] = [line for line in printed if "GET /" in line]
    assert request.startswith("[") and request.endswith('"GET / HTTP/1.1" 200 5')
    assert not any("SELECT 1" in line for line in printed)
