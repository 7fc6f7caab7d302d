"""Hits: one per visitor per work per day, crawlers left out, counted in the
cache without a database write and written to the works by a job."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.test.signals import template_rendered
from django.utils import timezone

from archive.cache import TwoLevelCache
from archive.settings.base import cache_from_url
from stories import creators, reader_state
from stories.engagement import hits, services, tasks
from stories.engagement.models import WorkHits
from stories.models import Work
from tests.factories import UserFactory, make_work
from tests.pages import words

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def visitor(user_agent=FIREFOX, address="198.51.100.7", user=None):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    if user is not None:
        client.force_login(user)
    return client


def flush_now():
    return services.hits_flush(until=timezone.now())


def hits_of(work):
    return Work.objects.get(pk=work.pk).hit_count


@pytest.fixture
def lantern(author):
    return make_work(owner=author, chapters=2)


def rendered_during(request):
    names = []

    def record(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        response = request()
    finally:
        template_rendered.disconnect(record)
    return response, names


def test_two_guests_served_the_cached_page_count_two_hits(
    lantern, django_capture_on_commit_callbacks
):
    url = lantern.get_absolute_url()
    assert visitor(FIREFOX).get(url).status_code == 200

    second, rendered = rendered_during(lambda: visitor(CHROME).get(url))

    assert second.status_code == 200
    assert rendered == [], "the second guest was not served the kept page"
    with django_capture_on_commit_callbacks(execute=True):
        assert flush_now() == 2
    assert hits_of(lantern) == 2


def test_a_hit_is_counted_without_touching_the_database(
    lantern, django_assert_num_queries
):
    url = lantern.get_absolute_url()
    visitor(FIREFOX).get(url)
    with django_assert_num_queries(0):
        assert visitor(CHROME).get(url).status_code == 200
    assert hits_of(lantern) == 0
    assert flush_now() == 2


def test_one_visitor_counts_one_hit_a_day_on_every_page_of_a_work(lantern, reader):
    chapters = lantern.chapters.order_by("position")
    pages = [
        lantern.get_absolute_url(),
        *(chapter.get_absolute_url() for chapter in chapters),
        f"{lantern.get_absolute_url()}?view_full_work=true",
    ]
    guest, signed_in = visitor(), visitor(CHROME, user=reader)
    for client in (guest, signed_in):
        for url in pages * 2:
            assert client.get(url).status_code == 200

    assert flush_now() == 2
    assert hits_of(lantern) == 2


def test_a_signed_in_reader_is_one_visitor_on_any_browser(lantern, reader):
    for user_agent, address in ((FIREFOX, "198.51.100.7"), (CHROME, "192.0.2.1")):
        visitor(user_agent, address, user=reader).get(lantern.get_absolute_url())
    assert flush_now() == 1


def test_the_works_creators_reading_it_count_no_hit(lantern, author, reader):
    co_creator, invitee = UserFactory(), UserFactory()
    invitation = creators.work_invite_creator(
        work=lantern, user=co_creator, invited_by=author
    )
    creators.creatorship_accept(creatorship=invitation, user=co_creator)
    creators.work_invite_creator(work=lantern, user=invitee, invited_by=author)
    chapter = lantern.chapters.order_by("position").last()
    pages = [
        lantern.get_absolute_url(),
        chapter.get_absolute_url(),
        f"{lantern.get_absolute_url()}?view_full_work=true",
    ]

    for user in (author, co_creator):
        for url in pages:
            assert visitor(user=user).get(url).status_code == 200
    assert flush_now() == 0
    # An invitation not yet accepted makes nobody a creator: their visit counts,
    # as a reader's does.
    for user in (invitee, reader):
        visitor(user=user).get(chapter.get_absolute_url())
    assert flush_now() == 2
    assert hits_of(lantern) == 2


@pytest.mark.parametrize("who", ["author", "reader"])
@pytest.mark.parametrize("full", [False, True])
def test_the_page_and_its_hit_read_the_readers_state_once(
    lantern, who, full, request, monkeypatch
):
    """Whether the visitor is a creator costs the hit no query of its own: it
    is in the state the page reads for its reader."""
    reads = []
    read = reader_state.work_reader_state

    def counted(reader, work_pk):
        reads.append(work_pk)
        return read(reader, work_pk)

    monkeypatch.setattr(reader_state, "work_reader_state", counted)
    client = visitor(user=request.getfixturevalue(who))
    url = lantern.get_absolute_url() + ("?view_full_work=true" if full else "")

    assert client.get(url).status_code == 200
    assert reads == [lantern.pk]
    assert flush_now() == (1 if who == "reader" else 0)


def test_guests_on_other_addresses_are_other_visitors(lantern):
    for address in ("198.51.100.7", "198.51.100.8"):
        visitor(address=address).get(lantern.get_absolute_url())
    assert flush_now() == 2


def test_the_same_visitor_counts_again_the_next_day(lantern, monkeypatch):
    url = lantern.get_absolute_url()
    visitor().get(url)
    assert flush_now() == 1
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)

    visitor().get(url)
    visitor().get(url)

    assert flush_now() == 1
    assert hits_of(lantern) == 2


@pytest.mark.parametrize("user_agent", [GOOGLEBOT, "curl/8.5.0", "", "   "])
def test_crawlers_and_visitors_without_a_browser_count_no_hit(lantern, user_agent):
    page = visitor(user_agent).get(lantern.get_absolute_url())
    assert page.status_code == 200
    assert flush_now() == 0
    assert hits_of(lantern) == 0


def test_a_page_that_is_not_there_counts_no_hit(author, reader):
    draft = make_work(owner=author, post=False)
    assert visitor().get(draft.get_absolute_url()).status_code == 404
    assert visitor(user=reader).get(draft.get_absolute_url()).status_code == 404
    # Its owner reads it, but a draft has no hits.
    assert visitor(user=author).get(draft.get_absolute_url()).status_code == 200
    flush_now()
    assert hits_of(draft) == 0


def test_a_flush_adds_the_hits_and_the_pages_show_them(
    lantern, author, django_capture_on_commit_callbacks
):
    url = lantern.get_absolute_url()
    guest = Client()
    assert "Hits:" not in words(guest.get(url))
    for user_agent in (FIREFOX, CHROME):
        visitor(user_agent).get(url)

    with django_capture_on_commit_callbacks(execute=True):
        flush_now()

    assert "Hits: 2" in words(guest.get(url))
    assert "Hits: 2" in words(guest.get(author.get_absolute_url()))


def test_a_flush_declares_the_works_changed_for_listings_sorted_by_hits(
    lantern, monkeypatch
):
    declared = []
    monkeypatch.setattr(services, "changed", lambda **scopes: declared.append(scopes))
    visitor().get(lantern.get_absolute_url())

    flush_now()

    assert declared == [{"works": [lantern.pk], "sorted_by": ["hits"]}]


def test_a_flush_waits_for_the_minute_to_be_over(lantern, monkeypatch):
    visitor().get(lantern.get_absolute_url())
    assert services.hits_flush() == 0

    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert services.hits_flush() == 1
    assert services.hits_flush() == 0
    assert hits_of(lantern) == 1


def test_hits_after_a_flush_of_the_current_minute_are_written_by_the_next(author):
    works = [make_work(owner=author, title=f"Work {n}") for n in (1, 2)]
    visitor(FIREFOX).get(works[0].get_absolute_url())
    assert flush_now() == 1

    visitor(CHROME).get(works[0].get_absolute_url())
    visitor(CHROME).get(works[1].get_absolute_url())

    assert flush_now() == 2
    assert [hits_of(work) for work in works] == [2, 1]


def test_hits_taken_by_one_flush_are_not_taken_by_another(lantern):
    visitor().get(lantern.get_absolute_url())
    first = hits.take_hits(until=timezone.now())
    second = hits.take_hits(until=timezone.now())
    assert dict(first.by_work) == {lantern.pk: 1}
    assert dict(second.by_work) == {}


def test_hits_a_flush_could_not_write_are_written_by_the_next(lantern, monkeypatch):
    visitor().get(lantern.get_absolute_url())

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(services, "hits_add", fail)
        with pytest.raises(RuntimeError):
            flush_now()

    assert flush_now() == 1
    assert hits_of(lantern) == 1


def test_the_periodic_job_writes_the_hits(lantern, monkeypatch):
    visitor().get(lantern.get_absolute_url())
    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    tasks.hits_flush_periodically.call_local()

    assert hits_of(lantern) == 1


def test_the_command_writes_the_hits(lantern, capsys):
    visitor().get(lantern.get_absolute_url())
    call_command("flush_hits")
    assert hits_of(lantern) == 0
    call_command("flush_hits", "--now")
    assert hits_of(lantern) == 1
    assert "1 hits written." in capsys.readouterr().out


def test_hits_on_many_works_from_many_visitors_are_all_written(author):
    works = [make_work(owner=author, title=f"Work {n}") for n in range(3)]
    for number, work in enumerate(works):
        for guest in range(number + 1):
            visitor(address=f"192.0.2.{guest}").get(work.get_absolute_url())
    assert flush_now() == 6
    assert [hits_of(work) for work in works] == [1, 2, 3]


# The shared cache: counters reach it from every process, whatever it is.


@pytest.fixture(params=["locmem", "files", "redis"])
def location(request, tmp_path):
    if request.param == "redis":
        return request.getfixturevalue("redis_url")
    if request.param == "files":
        return str(tmp_path / "cache")
    return "locmem"


def test_counters_are_never_kept_in_a_process(location):
    reading, counting = TwoLevelCache(location, {}), TwoLevelCache(location, {})
    reading.clear()
    assert counting.add("s:hits:1:n", 1, timeout=60)
    assert reading.get("s:hits:1:n") == 1

    counting.incr("s:hits:1:n")
    counting.incr("s:hits:1:n")

    assert reading.get_many(["s:hits:1:n"]) == {"s:hits:1:n": 3}
    counting.delete("s:hits:1:n")
    assert reading.get("s:hits:1:n") is None


def test_hits_are_counted_and_written_with_each_shared_cache(
    location, settings, lantern
):
    settings.CACHES = {"default": cache_from_url(location)}
    cache.clear()
    url = lantern.get_absolute_url()
    for user_agent in (FIREFOX, CHROME, FIREFOX):
        assert visitor(user_agent).get(url).status_code == 200
    visitor(user=UserFactory()).get(url)

    assert flush_now() == 3
    assert flush_now() == 0
    assert hits_of(lantern) == 3
    cache.clear()


def test_a_flush_writes_each_works_hits_by_the_hour_they_were_counted_in(
    author, monkeypatch
):
    works = [make_work(owner=author, title=f"Work {n}") for n in (1, 2)]
    start = timezone.now().replace(minute=58, second=0, microsecond=0)
    for minute, user_agent, work in (
        (0, FIREFOX, works[0]),
        (0, CHROME, works[0]),
        (3, FIREFOX, works[1]),
    ):
        # Two minutes before the hour, then past it: two hours.
        moment = start + datetime.timedelta(minutes=minute)
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        visitor(user_agent).get(work.get_absolute_url())

    assert flush_now() == 3

    first_hour = start.replace(minute=0)
    assert set(WorkHits.objects.values_list("work__title", "hour", "hits")) == {
        ("Work 1", first_hour, 2),
        ("Work 2", first_hour + datetime.timedelta(hours=1), 1),
    }


def test_hits_of_one_hour_from_two_flushes_are_added_together(lantern, monkeypatch):
    half_past = timezone.now().replace(minute=30)
    monkeypatch.setattr(timezone, "now", lambda: half_past)
    visitor(FIREFOX).get(lantern.get_absolute_url())
    flush_now()
    visitor(CHROME).get(lantern.get_absolute_url())
    flush_now()

    assert list(WorkHits.objects.values_list("hits", flat=True)) == [2]
    assert hits_of(lantern) == 2


def test_a_drafts_hits_are_written_nowhere(author):
    draft = make_work(owner=author, post=False)

    assert services.hits_add(counts={draft.pk: 3}) == 0

    assert not WorkHits.objects.exists()
    assert hits_of(draft) == 0
