"""The benchmark's settings (a baseline page and a query counter, there only) and
what bench-writes decides without servers: where it writes, and its table."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.settings import bench as bench_settings
from bench import writes
from stories.models import Chapter, Tag, TagKind
from tests.factories import CHAPTER_TEXT, UserFactory, make_work

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


@pytest.mark.django_db
def test_writer_targets_only_works_the_loaded_pages_do_not_show():
    for number in range(3):
        make_work(title=f"Lantern {number}", fandoms=("Lanterns",))
    linked = make_work(title="Canal linked", fandoms=("Canals",))
    make_work(title="Canal draft", fandoms=("Canals",), post=False)
    free = [
        make_work(title=f"Canal {n}", fandoms=("Canals",), chapters=2) for n in (1, 2)
    ]
    lanterns = Tag.objects.get(kind=TagKind.FANDOM, name="Lanterns")
    pages = [f"{lanterns.get_absolute_url()}?sort=words", reverse("stories:home")]
    home = f'<a href="{linked.get_absolute_url()}">Canal linked</a>'

    targets = writes.choose_targets(pages, ["", home], 10)

    assert {target.work_id for target in targets} == {work.pk for work in free}
    for target in targets:
        chapters = Chapter.objects.filter(work_id=target.work_id).order_by("position")
        assert target.chapter_ids == [chapter.pk for chapter in chapters]
        assert target.chapter_paths == [c.get_absolute_url() for c in chapters]


@pytest.mark.django_db
def test_writer_edits_a_chapter_through_its_form_without_making_it_grow():
    chapter = make_work().chapters.get()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(is_staff=True))
    edit = reverse("stories:chapter_edit", args=[chapter.work_id, chapter.pk])

    for revision in (1, 2):
        page = browser.get(edit).content.decode()
        action, fields = writes.form_on(page, edit, edit)
        fields["body"] = writes.revised(fields["body"], revision)
        assert browser.post(action, {**fields, "action": "save"}).status_code == 302

    chapter.refresh_from_db()
    assert chapter.body == f"{CHAPTER_TEXT}<p>Revised by the bench writer (2).</p>"


def test_writes_table_and_results_give_the_ratio_with_writes_over_without(
    tmp_path, capsys
):
    row = writes.Row("tag", "/tags/lanterns/works/", status=200)
    without = {"requests_per_second": 800.0, "p95_ms": 6.0, "http_errors": 0}
    with_writes = {"requests_per_second": 600.0, "p95_ms": 9.0, "http_errors": 0}
    writer = writes.Writes(seconds=2.0, comments=16, edits=4)
    writes.compare(row, without, with_writes, writer)
    run = writes.WritesRun("sqlite", 300, 2, 8, 2, "redis", 10.0, [row])

    writes.print_table(run)
    path = writes.write_results(run, tmp_path)

    header, line = capsys.readouterr().out.strip().splitlines()[-2:]
    assert "ratio" in header.split()
    assert line.split() == ["tag", "800.0", "600.0", "0.75", "6.0", "9.0", "10.0"]
    assert path.name == "writes-sqlite-300.json"
    saved = json.loads(path.read_text())["pages"][0]
    assert saved["ratio"] == 0.75
    assert saved["writes_per_second"] == 10.0
    assert row.problems() == []


def test_writes_run_fails_when_more_than_a_few_writes_fail():
    row = writes.Row("tag", "/tags/lanterns/works/", status=200)
    report = {"requests_per_second": 800.0, "p95_ms": 6.0, "http_errors": 0}
    writer = writes.Writes(seconds=2.0, comments=18, edits=1, failed=1)
    writer.last_failure = "POST /works/1/chapters/1/comments/ answered 400"
    writes.compare(row, report, report, writer)
    assert row.problems() == [
        "tag: 1 of 20 writes failed (POST /works/1/chapters/1/comments/ answered 400)"
    ]
