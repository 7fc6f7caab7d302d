"""The benchmark's settings: a baseline page and a query counter, there only."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.settings import bench as bench_settings
from tests.factories import make_work

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(settings):
    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
    settings.MIDDLEWARE = bench_settings.MIDDLEWARE


def test_baseline_is_not_served_under_other_settings(client):
    assert client.get("/bench/baseline/").status_code == 404


def test_baseline_answers_under_bench_settings(bench, client):
    response = client.get("/bench/baseline/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["X-Queries"] == "0"


@pytest.mark.django_db
@pytest.mark.parametrize("works", [1, 5])
def test_queries_header_counts_the_queries_of_the_request(bench, client, works):
    for number in range(works):
        make_work(title=f"Lantern {number}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("stories:work_list"))
    assert response.status_code == 200
    assert b"Lantern 0" in response.content
    assert int(response["X-Queries"]) == len(queries) > 0


def test_bench_settings_are_production_like():
    assert bench_settings.DEBUG is False
    assert bench_settings.ALLOWED_HOSTS == ["127.0.0.1"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--settings=archive.settings.bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
