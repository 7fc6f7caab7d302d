"""Cached parts of pages: each process keeps copies of the ones it used, and a
request reads the cache generation once."""

import pytest
from django.core.cache import cache

from stories.pagecache import (
    current_generation,
    generation_kept_for_request,
    pages_changed,
    recall,
    remember,
)
from tests.factories import make_work

pytestmark = pytest.mark.django_db


def test_a_part_kept_in_the_process_is_served_without_the_shared_cache():
    remember("story", lambda: "<p>Rendered once.</p>")
    cache.delete(f"parts:{current_generation()}:story")
    assert recall("story") == "<p>Rendered once.</p>"


def test_a_part_kept_in_the_process_is_never_served_after_a_change():
    remember("story", lambda: "<p>Before.</p>")
    pages_changed()
    assert recall("story") is None
    assert remember("story", lambda: "<p>After.</p>") == "<p>After.</p>"


def test_a_reader_changing_a_part_it_was_given_changes_nobody_elses():
    remember("facets", lambda: {"Angst": [1, 2]})
    mine = recall("facets")
    mine["Angst"].append(3)
    assert recall("facets") == {"Angst": [1, 2]}


def test_parts_larger_than_the_process_may_keep_come_from_the_shared_cache(
    settings,
):
    settings.ARCHIVE_KEPT_IN_PROCESS_BYTES = 1000
    remember("big", lambda: "x" * 5000)
    # Fewer characters than the limit, but two bytes each.
    remember("wide", lambda: "語" * 600)
    remember("small", lambda: "y" * 100)
    cache.delete_many(
        [f"parts:{current_generation()}:{key}" for key in ("big", "wide", "small")]
    )
    assert recall("small") == "y" * 100
    assert recall("big") is None
    assert recall("wide") is None


def test_a_request_reads_the_generation_once_until_it_writes(monkeypatch):
    reads = []
    read = cache.get_or_set

    def counted(*args, **kwargs):
        reads.append(args[0])
        return read(*args, **kwargs)

    monkeypatch.setattr(cache, "get_or_set", counted)
    with generation_kept_for_request():
        first = current_generation()
        assert current_generation() == first
        assert len(reads) == 1
        pages_changed()
        assert current_generation() != first
        assert len(reads) == 2
    current_generation()
    assert len(reads) == 3


def test_a_page_built_of_many_parts_asks_for_the_generation_once(client, monkeypatch):
    work = make_work(fandoms=["Harbour Lights (TV)"])
    url = work.tags.get(name="Harbour Lights (TV)").get_absolute_url()
    reads = []
    read = cache.get_or_set
    monkeypatch.setattr(
        cache, "get_or_set", lambda *args, **kw: reads.append(1) or read(*args, **kw)
    )
    # Its tag, listing, count, sidebar, fandom children and blurbs are all
    # looked for and stored on this first view.
    assert b"The Lantern Keeper" in client.get(url).content
    assert len(reads) == 1
