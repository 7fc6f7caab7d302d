"""What bench-kudos decides without servers: its requests are the site's, and
its table."""

import json

import pytest
from django.test import Client

from bench import kudos
from stories.engagement.models import Kudos
from stories.models import Work
from tests.factories import make_work


@pytest.mark.django_db
def test_the_kudos_the_bench_posts_pass_the_form_check_and_are_stored():
    work = make_work()
    browser = Client(enforce_csrf_checks=True)
    token = kudos.form_token()
    browser.cookies["csrftoken"] = token
    path = f"/works/{work.pk}/kudos/"

    for number in range(2):
        response = browser.post(
            path,
            HTTP_USER_AGENT=f"{kudos.BROWSER} bench/0.{number}",
            HTTP_X_CSRFTOKEN=token,
        )
        assert response.status_code == 302

    assert Kudos.objects.filter(work=work, user=None).count() == 2
    assert Work.objects.get(pk=work.pk).kudos_count == 2
    refused = Client(enforce_csrf_checks=True).post(path, HTTP_X_CSRFTOKEN=token)
    assert refused.status_code == 403


def test_the_script_knows_every_mode_the_driver_asks_for():
    script = kudos.SCRIPT.read_text()
    for mode in ("kudos", "hits", "new-browsers", "same"):
        assert f"--   {mode}:" in script
        assert f'"{mode}"' in kudos.Path(kudos.__file__).read_text()
    assert 'mode == "kudos"' in script
    assert 'mode == "hits"' in script
    assert 'mode ~= "same"' in script
    assert "X-CSRFToken" in script


def made_up_run():
    run = kudos.KudosRun("sqlite", 300, 2, 8, 2, "redis", 10.0, 100.0, 60.0)
    run.rates = [
        kudos.Rate("kudos POSTs, a new guest each", 400.0, 30.0, 800, 0, 801),
        kudos.Rate("hit recordings, a new visitor each", 2000.0, 8.0, 4000, 0, 4000),
    ]
    page = kudos.Reading("work", "/works/1/")
    without = {
        "requests_per_second": 2000.0,
        "p95_ms": 6.0,
        "http_errors": 0,
        "socket_errors": 0,
    }
    with_pour = {**without, "requests_per_second": 1800.0, "p95_ms": 7.0}
    kudos.compare(
        page, without, with_pour, kudos.Poured(seconds=2.0, kudos=20, hits=200)
    )
    page.requests_per_second_unrecorded = 1900.0
    page.ratio_to_unrecorded = 1800.0 / 1900.0
    run.pages = [page]
    return run


def test_the_table_gives_the_rates_and_the_ratio_with_over_without(tmp_path, capsys):
    run = made_up_run()

    kudos.print_table(run)
    path = kudos.write_results(run, tmp_path)

    out = capsys.readouterr().out.splitlines()
    assert out[4].split()[-4:] == ["400.0", "30.0", "800", "801"]
    assert out[-1].split() == [
        "work", "2000.0", "1800.0", "0.90", "1900.0", "0.95", "6.0", "7.0",
        "10.0", "100.0",
    ]  # fmt: skip
    assert path.name == "kudos-sqlite-300.json"
    saved = json.loads(path.read_text())
    assert saved["pages"][0]["ratio"] == 0.9
    assert saved["rates"][0]["stored"] == 801
    assert run.problems() == []


def test_the_run_fails_when_counts_disagree_or_pages_answer_errors():
    run = made_up_run()
    run.rates[1].agrees = False
    run.rates[1].stored = 3990
    run.pages[0].errors = 2
    assert run.problems() == [
        "hit recordings, a new visitor each: the counts disagree (3990)",
        "work: 2 error answers",
    ]


def test_rounds_are_added_up_and_the_worst_p95_kept():
    reports = [
        {"requests": 1000, "seconds": 2.0, "p95_ms": 5.0, "http_errors": 0,
         "socket_errors": 1},
        {"requests": 3000, "seconds": 2.0, "p95_ms": 9.0, "http_errors": 2,
         "socket_errors": 0},
    ]  # fmt: skip
    assert kudos.together(reports) == {
        "requests_per_second": 1000.0,
        "p95_ms": 9.0,
        "http_errors": 2,
        "socket_errors": 1,
    }
