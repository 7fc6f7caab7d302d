"""Staff manage series in the admin, their parts inline, through the services."""

import pytest
from django.urls import reverse

from stories.series.models import Series
from tests.factories import make_work
from tests.stories.series.conftest import make_series

pytestmark = pytest.mark.django_db


def parts_form(rows, initial=0):
    """Return the inline formset's POST data: rows of (id, work, position, delete)."""
    data = {
        "parts-TOTAL_FORMS": len(rows),
        "parts-INITIAL_FORMS": initial,
        "parts-MIN_NUM_FORMS": 0,
        "parts-MAX_NUM_FORMS": 1000,
    }
    for index, (part_id, work, position, delete) in enumerate(rows):
        data[f"parts-{index}-id"] = part_id or ""
        data[f"parts-{index}-work"] = work.pk
        data[f"parts-{index}-position"] = position or ""
        if delete:
            data[f"parts-{index}-DELETE"] = "on"
    return data


def series_form(series, rows, **fields):
    data = {
        "title": series.title,
        "summary": series.summary,
        "notes": series.notes,
        "is_complete": "on" if series.is_complete else "",
        **parts_form(rows, initial=series.parts.count()),
    }
    return {**data, **fields}


def order_of(series):
    return list(series.parts.order_by("position").values_list("work__title", flat=True))


def test_staff_see_series_and_their_parts(staff_client, cycle):
    changelist = staff_client.get(reverse("admin:series_series_changelist"))
    change = staff_client.get(reverse("admin:series_series_change", args=[cycle.pk]))

    assert "The Harbour Cycle" in changelist.text
    assert change.status_code == 200
    assert 'name="parts-2-position"' in change.text


def test_staff_add_a_series_with_its_works(staff_client, author):
    first = make_work(owner=author, title="First Light")
    second = make_work(owner=author, title="High Water")

    response = staff_client.post(
        reverse("admin:series_series_add"),
        {
            "owner": author.pk,
            "title": "The Harbour Cycle",
            "summary": "Three tides.<script>x</script>",
            "notes": "",
            **parts_form([(None, second, 2, False), (None, first, 1, False)]),
        },
    )

    assert response.status_code == 302, response.context["errors"]
    series = Series.objects.get()
    assert series.owner == author
    assert series.summary == "<p>Three tides.</p>"
    assert order_of(series) == ["First Light", "High Water"]


def test_staff_reorder_remove_and_add_parts(staff_client, author, cycle):
    first, high, low = cycle.parts.order_by("position")
    spring = make_work(owner=author, title="Spring Tide")

    response = staff_client.post(
        reverse("admin:series_series_change", args=[cycle.pk]),
        series_form(
            cycle,
            [
                (first.pk, first.work, 3, False),
                (high.pk, high.work, 2, True),
                (low.pk, low.work, 1, False),
                (None, spring, None, False),
            ],
            title="The Tide Cycle",
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    cycle.refresh_from_db()
    assert cycle.title == "The Tide Cycle"
    assert order_of(cycle) == ["Low Tide", "First Light", "Spring Tide"]
    assert list(
        cycle.parts.order_by("position").values_list("position", flat=True)
    ) == [
        1,
        2,
        3,
    ]


def test_the_admin_refuses_someone_elses_work_in_a_series(staff_client, other, cycle):
    theirs = make_work(owner=other, title="Not Yours")
    parts = list(cycle.parts.order_by("position"))

    response = staff_client.post(
        reverse("admin:series_series_change", args=[cycle.pk]),
        series_form(
            cycle,
            [
                *((p.pk, p.work, p.position, False) for p in parts),
                (None, theirs, 4, False),
            ],
        ),
    )

    assert response.status_code == 200
    assert "A series holds only its owner&#x27;s works." in response.text
    assert order_of(cycle) == ["First Light", "High Water", "Low Tide"]


def test_staff_delete_a_series_and_its_works_stay(staff_client, author, cycle):
    response = staff_client.post(
        reverse("admin:series_series_delete", args=[cycle.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Series.objects.exists()
    assert author.works.count() == 3


def test_staff_delete_series_in_bulk(staff_client, author, cycle):
    other_series = make_series(author, title="Asides")

    response = staff_client.post(
        reverse("admin:series_series_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [cycle.pk, other_series.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Series.objects.exists()
    assert author.works.count() == 3


def test_staff_swap_a_part_for_another_work(staff_client, author, cycle):
    first, high, low = cycle.parts.order_by("position")
    spring = make_work(owner=author, title="Spring Tide")

    response = staff_client.post(
        reverse("admin:series_series_change", args=[cycle.pk]),
        series_form(
            cycle,
            [
                (first.pk, first.work, 1, False),
                (high.pk, spring, 2, False),
                (low.pk, low.work, 3, False),
            ],
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    assert order_of(cycle) == ["First Light", "Spring Tide", "Low Tide"]
