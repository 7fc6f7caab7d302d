"""Kudos: once per user per work, guests once a day per browser and address,
never on one's own work or a draft, and the names on the work page."""

import datetime
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stories.engagement import services
from stories.engagement.models import Kudos
from stories.engagement.querysets import KUDOS_NAMES_SHOWN
from stories.models import Work
from tests.factories import UserFactory, make_work
from tests.pages import text, words

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def kudos_url(work):
    return reverse("engagement:kudos_create", args=[work.pk])


def leave_kudos(client, work, **extra):
    return client.post(kudos_url(work), HTTP_USER_AGENT=BROWSER, **extra)


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def count_of(work):
    return Work.objects.get(pk=work.pk).kudos_count


def test_reader_leaves_kudos_once_and_is_sent_back_with_thanks(
    reader_client, reader, work, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = leave_kudos(reader_client, work)

    assert response.status_code == 302
    assert response["Location"] == f"{work.get_absolute_url()}#kudos"
    assert said(response) == ["Thank you for leaving kudos!"]
    assert list(Kudos.objects.values_list("work", "user", "guest_key")) == [
        (work.pk, reader.pk, "")
    ]
    assert count_of(work) == 1
    page = reader_client.get(work.get_absolute_url())
    assert "Kudos: 1" in words(page)
    assert "pageturner left kudos on this work!" in words(page)


def test_reader_cannot_leave_kudos_twice(reader_client, reader, work):
    leave_kudos(reader_client, work)

    again = leave_kudos(reader_client, work, follow=True)

    assert "You have already left kudos here. :)" in words(again)
    assert Kudos.objects.count() == 1
    assert count_of(work) == 1


def test_the_button_comes_back_to_the_chapter_page_it_is_on(reader_client, author):
    work = make_work(owner=author, chapters=2)
    second = work.chapters.order_by("position").last()
    page = reader_client.get(second.get_absolute_url())
    assert f'name="next" value="{second.get_absolute_url()}#kudos"' in text(page)
    assert "Kudos ♥" in words(page)

    response = leave_kudos(
        reader_client, work, data={"next": f"{second.get_absolute_url()}#kudos"}
    )

    assert response["Location"] == f"{second.get_absolute_url()}#kudos"


def test_the_button_never_sends_a_reader_off_the_site(reader_client, work):
    response = leave_kudos(reader_client, work, data={"next": "https://evil.test/"})
    assert response["Location"] == f"{work.get_absolute_url()}#kudos"


def test_the_button_is_on_the_entire_work_page_too(reader_client, author):
    work = make_work(owner=author, chapters=2)
    page = reader_client.get(f"{work.get_absolute_url()}?view_full_work=true")
    assert kudos_url(work) in text(page)


def test_author_cannot_leave_kudos_on_their_own_work(author_client, work):
    page = author_client.get(work.get_absolute_url())
    assert kudos_url(work) not in text(page)

    response = leave_kudos(author_client, work, follow=True)

    assert "You can't leave kudos on your own work." in words(response)
    assert not Kudos.objects.exists()
    assert count_of(work) == 0


@pytest.mark.parametrize("viewer", ["guest", "reader", "author", "staff"])
def test_nobody_leaves_kudos_on_a_draft(client, author, reader, staff, viewer):
    draft = make_work(owner=author, post=False)
    people = {"reader": reader, "author": author, "staff": staff}
    if viewer in people:
        client.force_login(people[viewer])

    assert leave_kudos(client, draft).status_code == 404
    assert not Kudos.objects.exists()
    assert count_of(draft) == 0


def test_kudos_on_a_work_that_is_not_there_is_not_found(reader_client):
    response = reader_client.post(reverse("engagement:kudos_create", args=[999]))
    assert response.status_code == 404


def test_kudos_are_left_by_a_post_only(reader_client, work):
    assert reader_client.get(kudos_url(work)).status_code == 405
    assert not Kudos.objects.exists()


def test_a_guest_leaves_kudos_once_a_day_and_the_address_is_not_kept(client, work):
    first = leave_kudos(client, work, REMOTE_ADDR="203.0.113.9")
    again = leave_kudos(client, work, REMOTE_ADDR="203.0.113.9", follow=True)

    assert said(first) == ["Thank you for leaving kudos!"]
    assert "You have already left kudos here. :)" in words(again)
    kudos = Kudos.objects.get()
    assert kudos.user is None
    assert len(kudos.guest_key) == 64
    assert "203.0.113.9" not in kudos.guest_key
    assert count_of(work) == 1


def test_a_guest_may_leave_kudos_again_another_day(client, work, monkeypatch):
    leave_kudos(client, work)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)

    response = leave_kudos(client, work)

    assert said(response)[-1] == "Thank you for leaving kudos!"
    assert Kudos.objects.filter(user=None).count() == 2
    assert count_of(work) == 2


def test_guests_on_other_browsers_or_addresses_each_leave_kudos(client, work):
    leave_kudos(client, work, REMOTE_ADDR="203.0.113.9")
    leave_kudos(client, work, REMOTE_ADDR="203.0.113.10")
    client.post(kudos_url(work), HTTP_USER_AGENT="Another browser/1.0")
    assert Kudos.objects.filter(user=None).count() == 3
    assert count_of(work) == 3


def test_one_guest_leaves_kudos_on_two_works(client, author):
    works = [make_work(owner=author, title=f"Work {n}") for n in (1, 2)]
    for work in works:
        leave_kudos(client, work)
    assert [count_of(work) for work in works] == [1, 1]


def test_the_service_refuses_the_own_work_and_a_draft_and_stores_nothing(author, work):
    with pytest.raises(services.KudosRefused):
        services.kudos_leave(work=work, user=author)
    draft = make_work(owner=author, post=False)
    with pytest.raises(services.KudosRefused):
        services.kudos_leave(work=draft, guest_key="a" * 64)
    with pytest.raises(ValueError):
        services.kudos_leave(work=work)
    assert not Kudos.objects.exists()
    assert count_of(work) == count_of(draft) == 0


def test_a_double_post_that_gets_past_the_check_is_refused_by_the_database(
    reader, work, monkeypatch
):
    services.kudos_leave(work=work, user=reader)
    # As when a second request checks before the first one's insert commits.
    monkeypatch.setattr(
        "django.db.models.query.QuerySet.exists", lambda queryset: False
    )

    assert services.kudos_leave(work=work, user=reader) is None
    assert services.kudos_leave(work=work, guest_key="k" * 64) is not None
    assert services.kudos_leave(work=work, guest_key="k" * 64) is None

    assert Kudos.objects.count() == 2
    assert count_of(work) == 2


@pytest.mark.django_db(transaction=True)
def test_kudos_posted_at_once_make_one_kudos_and_an_exact_count():
    work = make_work(owner=UserFactory(username="quillfeather"))
    readers = [UserFactory(username=f"reader{n}") for n in range(4)]

    def press(attempt):
        try:
            reader = readers[attempt % len(readers)]
            services.kudos_leave(work=Work.objects.get(pk=work.pk), user=reader)
            services.kudos_leave(
                work=Work.objects.get(pk=work.pk), guest_key=f"guest-{attempt % 3}"
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(press, range(32)))

    assert Kudos.objects.filter(user__isnull=False).count() == len(readers)
    assert Kudos.objects.filter(user=None).count() == 3
    assert count_of(work) == len(readers) + 3


# The names on the work page.


def test_the_work_page_names_readers_newest_first_and_counts_guests(
    client, author, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, chapters=2)
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("pageturner", "inkwell"):
            services.kudos_leave(work=work, user=UserFactory(username=name))
        for number in range(12):
            services.kudos_leave(work=work, guest_key=f"guest-{number}")

    for url in (
        work.get_absolute_url(),
        work.chapters.order_by("position").last().get_absolute_url(),
        f"{work.get_absolute_url()}?view_full_work=true",
    ):
        page = client.get(url)
        assert (
            "inkwell and pageturner as well as 12 guests left kudos on this work!"
            in words(page)
        ), url
        assert '<a href="/users/inkwell/">inkwell</a>' in text(page)
        assert "Kudos: 14" in words(page)


def test_guests_alone_are_counted(client, author):
    work = make_work(owner=author)
    services.kudos_leave(work=work, guest_key="guest-1")
    assert "1 guest left kudos on this work!" in words(
        client.get(work.get_absolute_url())
    )


def test_a_work_without_kudos_invites_some(client, work):
    assert "No kudos yet" in words(client.get(work.get_absolute_url()))


def test_the_newest_names_are_shown_and_the_others_counted(client, author):
    work = make_work(owner=author)
    total = KUDOS_NAMES_SHOWN + 3
    for number in range(total):
        services.kudos_leave(work=work, user=UserFactory(username=f"fan{number:03}"))
    services.kudos_leave(work=work, guest_key="guest-1")

    page = client.get(work.get_absolute_url())

    newest = [f"fan{number:03}" for number in reversed(range(total))]
    sentence = re.search(r'<p class="kudos-names">(.*?)</p>', text(page))[1]
    assert re.findall(r'<a href="/users/(\w+)/">\1</a>', sentence) == newest[:50]
    assert "fan004</a>, <a" in sentence
    assert sentence.endswith(
        "fan003</a> and 3 more users as well as 1 guest left kudos on this work!"
    )


def test_a_deactivated_reader_is_counted_but_not_named(
    client, author, staff_client, django_capture_on_commit_callbacks
):
    work = make_work(owner=author)
    gone = UserFactory(username="vanished")
    services.kudos_leave(work=work, user=gone)
    services.kudos_leave(work=work, user=UserFactory(username="pageturner"))
    guest = Client()
    assert "vanished" in words(guest.get(work.get_absolute_url()))

    with django_capture_on_commit_callbacks(execute=True):
        gone.is_active = False
        gone.save(update_fields=["is_active"])
        from stories.services import user_shown_changed

        user_shown_changed(user=gone)

    shown = words(guest.get(work.get_absolute_url()))
    assert "vanished" not in shown
    assert "pageturner and 1 more user left kudos on this work!" in shown
    assert "Kudos: 2" in shown


def test_renaming_a_reader_renames_them_in_the_kudos(
    client, author, reader, staff_client, django_capture_on_commit_callbacks
):
    work = make_work(owner=author)
    services.kudos_leave(work=work, user=reader)
    assert "pageturner left kudos" in words(client.get(work.get_absolute_url()))

    data = {
        "username": "lamplighter",
        "email": reader.email,
        "is_active": "on",
        "date_joined_0": reader.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": reader.date_joined.strftime("%H:%M:%S"),
        "bio": reader.bio,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:archive_user_change", args=[reader.pk]), data
        )
    assert response.status_code == 302

    assert "lamplighter left kudos" in words(Client().get(work.get_absolute_url()))


# The admin.


def test_staff_see_kudos_in_the_admin_but_cannot_add_or_change_them(
    staff_client, reader, work
):
    kudos = services.kudos_leave(work=work, user=reader)
    services.kudos_leave(work=work, guest_key="guest-1")

    listing = staff_client.get(reverse("admin:engagement_kudos_changelist"))
    assert listing.status_code == 200
    assert "pageturner" in words(listing)
    assert "a guest" in words(listing)
    assert staff_client.get(reverse("admin:engagement_kudos_add")).status_code == 403
    detail = staff_client.get(reverse("admin:engagement_kudos_change", args=[kudos.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in text(detail)


def test_deleting_kudos_in_the_admin_takes_it_off_the_count(
    staff_client, reader, work, django_capture_on_commit_callbacks
):
    kudos = services.kudos_leave(work=work, user=reader)
    services.kudos_leave(work=work, guest_key="guest-1")
    guest = Client()
    assert "Kudos: 2" in words(guest.get(work.get_absolute_url()))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:engagement_kudos_delete", args=[kudos.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert count_of(work) == 1
    shown = words(guest.get(work.get_absolute_url()))
    assert "Kudos: 1" in shown
    assert "pageturner" not in shown


def test_deleting_many_kudos_in_the_admin_fixes_every_count(
    staff_client, author, django_capture_on_commit_callbacks
):
    works = [make_work(owner=author, title=f"Work {n}") for n in (1, 2)]
    for work in works:
        for number in range(2):
            services.kudos_leave(work=work, guest_key=f"guest-{number}")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:engagement_kudos_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [
                    kudos.pk for kudos in Kudos.objects.filter(guest_key="guest-0")
                ],
                "post": "yes",
            },
        )

    assert response.status_code == 302
    assert [count_of(work) for work in works] == [1, 1]


def test_kudos_counts_are_counted_again_by_the_service(reader, work):
    services.kudos_leave(work=work, user=reader)
    Work.objects.filter(pk=work.pk).update(kudos_count=7)
    services.kudos_refresh_counts(work_ids=[work.pk])
    assert count_of(work) == 1
