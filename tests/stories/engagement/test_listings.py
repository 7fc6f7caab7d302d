"""Kudos and hits in listings: a listing sorted or filtered by them follows
them on its next view; one sorted by date is not listed again for them."""

import pytest
from django.test.signals import template_rendered
from django.utils import timezone

from stories.engagement import services
from tests.factories import UserFactory
from tests.pages import titles, words
from tests.stories.test_cache_scope import scene  # noqa: F401

pytestmark = pytest.mark.django_db


def listed_by(scene, query):  # noqa: F811
    return f"{scene.urls['fandom']}?{query}"


def leave_kudos(scene, work, readers=1):  # noqa: F811
    for number in range(readers):
        services.kudos_leave(work=work, user=UserFactory(username=f"fan{number}"))


def test_kudos_resort_a_listing_sorted_by_kudos_on_its_next_view(
    scene,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    url = listed_by(scene, "sort=kudos")
    with django_capture_on_commit_callbacks(execute=True):
        leave_kudos(scene, scene.lantern)
    for viewer in (scene.guest, scene.signed_in):
        assert titles(viewer.get(url)) == ["The Lantern Keeper", "Tidewater"]

    with django_capture_on_commit_callbacks(execute=True):
        leave_kudos(scene, scene.tidewater, readers=2)

    for viewer in (scene.guest, scene.signed_in):
        assert titles(viewer.get(url)) == ["Tidewater", "The Lantern Keeper"]


def test_kudos_fill_a_listing_of_works_with_at_least_that_many(
    scene,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    url = listed_by(scene, "kudos_min=2")
    for viewer in (scene.guest, scene.signed_in):
        assert titles(viewer.get(url)) == []

    with django_capture_on_commit_callbacks(execute=True):
        leave_kudos(scene, scene.tidewater, readers=2)

    for viewer in (scene.guest, scene.signed_in):
        assert titles(viewer.get(url)) == ["Tidewater"]


def test_kudos_do_not_list_again_a_listing_sorted_by_date(
    scene,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    url = scene.urls["fandom"]
    before = scene.guest.get(url)
    assert titles(before) == ["Tidewater", "The Lantern Keeper"]
    assert "Kudos: 1" not in words(before)

    with django_capture_on_commit_callbacks(execute=True):
        leave_kudos(scene, scene.lantern)

    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        after = scene.guest.get(url)
    finally:
        template_rendered.disconnect(record)
    # Only the blurb of the work with kudos is rendered again, in its place.
    assert rendered.count("stories/_work_blurb.html") == 1
    assert titles(after) == titles(before)
    assert "Kudos: 1" in words(after)


def test_kudos_leave_every_other_works_pages_cached(
    scene,  # noqa: F811
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    other = [scene.urls[name] for name in ("other work", "other chapter")]
    for url in other:
        scene.guest.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        leave_kudos(scene, scene.lantern)

    for url in other:
        with django_assert_num_queries(0):
            assert scene.guest.get(url).status_code == 200


def test_hits_resort_a_listing_sorted_by_hits_once_written(
    scene,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    url = listed_by(scene, "sort=hits")
    browsers = ("Firefox/128.0", "Chrome/131.0", "Safari/605.1")
    for browser in browsers[:1]:
        scene.guest.get(scene.urls["work"], HTTP_USER_AGENT=f"Mozilla/5.0 {browser}")
    with django_capture_on_commit_callbacks(execute=True):
        services.hits_flush(until=timezone.now())
    assert titles(scene.guest.get(url)) == ["The Lantern Keeper", "Tidewater"]

    tidewater = scene.tidewater.get_absolute_url()
    for browser in browsers[1:]:
        scene.guest.get(tidewater, HTTP_USER_AGENT=f"Mozilla/5.0 {browser}")
    # Counted, not yet written: the listing stays as it was.
    assert titles(scene.guest.get(url)) == ["The Lantern Keeper", "Tidewater"]
    with django_capture_on_commit_callbacks(execute=True):
        services.hits_flush(until=timezone.now())

    for viewer in (scene.guest, scene.signed_in):
        assert titles(viewer.get(url)) == ["Tidewater", "The Lantern Keeper"]
