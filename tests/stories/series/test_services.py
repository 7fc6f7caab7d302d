"""The series services: what they store, and what they refuse unchanged."""

import pytest

from stories import services as stories_services
from stories.models import Work
from stories.series import services
from stories.series.models import Series, SeriesWork
from tests.factories import make_work
from tests.stories.series.conftest import make_series

pytestmark = pytest.mark.django_db


def titles_in(series):
    return list(series.parts.order_by("position").values_list("work__title", flat=True))


def positions_in(series):
    return list(series.parts.order_by("position").values_list("position", flat=True))


def test_a_new_series_has_its_details_sanitized_and_no_works(author):
    series = services.series_create(
        owner=author,
        title="  The Harbour Cycle ",
        summary='<p onclick="x()">Tides <script>alert(1)</script>turn.</p>',
        notes="<em>Read in order.</em><iframe src='x'></iframe>",
        is_complete=True,
    )

    series.refresh_from_db()
    assert series.title == "The Harbour Cycle"
    assert series.summary == "<p>Tides turn.</p>"
    assert series.notes == "<em>Read in order.</em>"
    assert series.is_complete
    assert series.parts.count() == 0


def test_works_are_added_at_the_end_in_order(author, cycle):
    fourth = make_work(owner=author, title="Spring Tide")

    part = services.series_add_work(series=cycle, work=fourth)

    assert part.position == 4
    assert titles_in(cycle) == ["First Light", "High Water", "Low Tide", "Spring Tide"]


def test_someone_elses_work_is_refused_and_nothing_changes(cycle, other):
    theirs = make_work(owner=other, title="Not Yours")

    with pytest.raises(ValueError, match="owner's own works"):
        services.series_add_work(series=cycle, work=theirs)

    assert titles_in(cycle) == ["First Light", "High Water", "Low Tide"]
    assert not SeriesWork.objects.filter(work=theirs).exists()


def test_a_series_with_someone_elses_work_is_not_created(author, other):
    theirs = make_work(owner=other, title="Not Yours")

    with pytest.raises(ValueError):
        services.series_create(owner=author, title="Borrowed", works=[theirs])

    assert not Series.objects.filter(title="Borrowed").exists()


def test_a_work_is_in_a_series_once(cycle):
    first = cycle.works.get(title="First Light")

    with pytest.raises(ValueError, match="already in this series"):
        services.series_add_work(series=cycle, work=first)

    assert positions_in(cycle) == [1, 2, 3]


def test_a_work_may_be_in_several_series(author, cycle):
    first = cycle.works.get(title="First Light")
    other_series = make_series(
        author, [make_work(owner=author, title="Prologue")], title="Before the Cycle"
    )

    services.series_add_work(series=other_series, work=first)

    assert set(first.series.values_list("title", flat=True)) == {
        "The Harbour Cycle",
        "Before the Cycle",
    }
    assert titles_in(other_series) == ["Prologue", "First Light"]
    assert titles_in(cycle) == ["First Light", "High Water", "Low Tide"]


def test_removing_a_work_closes_the_gap(cycle):
    services.series_remove_work(series=cycle, work=cycle.works.get(title="High Water"))

    assert titles_in(cycle) == ["First Light", "Low Tide"]
    assert positions_in(cycle) == [1, 2]
    assert Work.objects.filter(title="High Water").exists()


def test_removing_a_work_not_in_the_series_is_refused(author, cycle):
    outside = make_work(owner=author, title="Outside")

    with pytest.raises(ValueError, match="not in this series"):
        services.series_remove_work(series=cycle, work=outside)

    assert positions_in(cycle) == [1, 2, 3]


@pytest.mark.parametrize(
    ("title", "by", "moved", "order"),
    [
        ("Low Tide", -1, True, ["First Light", "Low Tide", "High Water"]),
        ("First Light", 1, True, ["High Water", "First Light", "Low Tide"]),
        ("First Light", -1, False, ["First Light", "High Water", "Low Tide"]),
        ("Low Tide", 1, False, ["First Light", "High Water", "Low Tide"]),
        ("Low Tide", -5, True, ["Low Tide", "First Light", "High Water"]),
    ],
)
def test_moving_a_work_up_or_down_stops_at_either_end(cycle, title, by, moved, order):
    work = cycle.works.get(title=title)

    assert services.series_move_work(series=cycle, work=work, by=by) is moved

    assert titles_in(cycle) == order
    assert positions_in(cycle) == [1, 2, 3]


def test_moving_renumbers_a_series_left_with_gaps_by_a_deleted_work(cycle):
    stories_services.work_delete(work=cycle.works.get(title="First Light"))
    assert positions_in(cycle) == [2, 3]

    services.series_move_work(
        series=cycle, work=cycle.works.get(title="Low Tide"), by=-1
    )

    assert titles_in(cycle) == ["Low Tide", "High Water"]
    assert positions_in(cycle) == [1, 2]


def test_reorder_takes_every_work_once(cycle):
    first, high, low = (
        cycle.works.get(title=t) for t in ("First Light", "High Water", "Low Tide")
    )

    services.series_reorder(series=cycle, work_ids=[low.pk, first.pk, high.pk])
    assert titles_in(cycle) == ["Low Tide", "First Light", "High Water"]

    with pytest.raises(ValueError):
        services.series_reorder(series=cycle, work_ids=[low.pk, first.pk])
    assert titles_in(cycle) == ["Low Tide", "First Light", "High Water"]


def test_update_changes_the_details(cycle):
    services.series_update(
        series=cycle,
        title="The Tide Cycle",
        summary="<b>Bold</b><script>x</script>",
        notes="",
        is_complete=True,
    )

    cycle.refresh_from_db()
    assert (cycle.title, cycle.summary, cycle.notes, cycle.is_complete) == (
        "The Tide Cycle",
        "<b>Bold</b>",
        "",
        True,
    )


def test_deleting_a_series_keeps_its_works(cycle):
    work_ids = list(cycle.works.values_list("pk", flat=True))

    services.series_delete(series=cycle)

    assert not Series.objects.exists()
    assert not SeriesWork.objects.exists()
    assert Work.objects.filter(pk__in=work_ids).count() == 3


def test_deleting_a_work_takes_it_out_of_its_series(cycle):
    stories_services.work_delete(work=cycle.works.get(title="High Water"))

    assert titles_in(cycle) == ["First Light", "Low Tide"]
