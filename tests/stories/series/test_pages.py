"""The series pages and the owner's actions, as a guest, another user and the owner."""

import pytest
from django.urls import reverse

from stories import services as stories_services
from stories.series import services
from stories.series.models import Series, SeriesWork
from stories.subscriptions.models import Subscription
from tests.factories import UserFactory, make_work
from tests.pages import text, titles, words
from tests.stories.series.conftest import make_series

pytestmark = pytest.mark.django_db


def order_of(series):
    return list(series.parts.order_by("position").values_list("work__title", flat=True))


def edit_url(series):
    return reverse("series:series_edit", args=[series.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# The series page


def test_series_page_shows_its_details_and_works_in_order(client, author, cycle):
    Series.objects.filter(pk=cycle.pk).update(
        summary="<p>Three tides.</p>", notes="<p>Read in order.</p>"
    )
    words_in_all = sum(cycle.works.values_list("word_count", flat=True))

    response = client.get(cycle.get_absolute_url())

    assert response.status_code == 200
    page = words(response)
    assert "The Harbour Cycle" in page
    assert "A series by quillfeather" in page
    assert f"Words: {words_in_all} Works: 3 Complete: No" in page
    assert "Summary: Three tides." in page
    assert "Notes: Read in order." in page
    assert titles(response) == ["First Light", "High Water", "Low Tide"]
    assert 'class="blurb"' in response.text
    assert "Edit series" not in page


def test_a_complete_series_says_so(client, cycle):
    Series.objects.filter(pk=cycle.pk).update(is_complete=True)

    assert "Complete: Yes" in words(client.get(cycle.get_absolute_url()))


def test_a_draft_in_a_series_is_shown_to_its_owner_alone(
    client, author, reader, staff, cycle
):
    draft = make_work(owner=author, title="Secret Draft", post=False)
    services.series_add_work(series=cycle, work=draft)
    url = cycle.get_absolute_url()

    assert "Secret Draft" not in client.get(url).text
    client.force_login(reader)
    response = client.get(url)
    assert "Secret Draft" not in response.text
    assert "Works: 3" in words(response)
    client.force_login(author)
    response = client.get(url)
    assert titles(response)[-1] == "Secret Draft"
    assert "Works: 4" in words(response)
    assert "Edit series" in words(response)
    client.force_login(staff)
    assert "Secret Draft" in client.get(url).text


def test_a_series_of_drafts_is_not_found_but_by_its_owner(client, author, reader):
    series = make_series(author, [make_work(owner=author, post=False)])
    url = series.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 404
    client.force_login(author)
    assert client.get(url).status_code == 200


def test_an_empty_series_is_shown_to_its_owner_alone(client, author, reader):
    series = make_series(author)

    assert client.get(series.get_absolute_url()).status_code == 404
    client.force_login(author)
    response = client.get(series.get_absolute_url())
    assert response.status_code == 200
    assert "No works yet." in words(response)


def test_an_unknown_series_is_not_found(client):
    assert client.get(reverse("series:series_detail", args=[999])).status_code == 404


# A person's series


def test_a_persons_series_page_lists_the_series_a_reader_may_see(
    client, author, reader, cycle
):
    make_series(author, [make_work(owner=author, post=False)], title="Hidden Drafts")
    make_series(author, title="Nothing Yet")
    url = reverse("series:user_series", args=[author.username])

    page = words(client.get(url))
    assert "The Harbour Cycle" in page
    assert "Works: 3" in page
    assert "Hidden Drafts" not in page and "Nothing Yet" not in page
    client.force_login(reader)
    assert "Hidden Drafts" not in words(client.get(url))
    client.force_login(author)
    page = words(client.get(url))
    assert "Hidden Drafts" in page and "Nothing Yet" in page
    assert "Start a series" in page


def test_a_persons_series_come_twenty_to_a_page(client, author):
    work = make_work(owner=author)
    for number in range(21):
        make_series(author, [work], title=f"Series {number:02}")
    url = reverse("series:user_series", args=[author.username])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert text(first).count('class="blurb series-blurb"') == 20
    assert "Series 20" in first.text and "Series 00" not in first.text
    assert text(second).count('class="blurb series-blurb"') == 1
    assert "Series 00" in second.text


def test_the_profile_links_to_the_persons_series(client, author):
    response = client.get(author.get_absolute_url())

    assert reverse("series:user_series", args=[author.username]) in response.text


@pytest.mark.parametrize("username", ["nobody", "inactive"])
def test_series_of_an_unknown_or_inactive_person_are_not_found(client, username):
    UserFactory(username="inactive", is_active=False)

    url = reverse("series:user_series", args=[username])

    assert client.get(url).status_code == 404


# Creating, editing and deleting


def test_a_guest_is_sent_to_log_in_to_start_a_series(client):
    response = client.post(reverse("series:series_create"), {"title": "Mine"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Series.objects.exists()


def test_starting_a_series_goes_on_to_adding_works(client, author):
    client.force_login(author)

    response = client.post(
        reverse("series:series_create"),
        {
            "title": "  The   Harbour Cycle ",
            "summary": "Three tides.\n\n<script>alert(1)</script>",
            "notes": "",
        },
        follow=True,
    )

    series = Series.objects.get()
    assert (series.owner, series.title) == (author, "The Harbour Cycle")
    assert series.summary.startswith("<p>Three tides.</p>")
    assert "script" not in series.summary and "alert" not in series.summary
    assert not series.is_complete
    assert response.redirect_chain[-1][0] == edit_url(series)
    assert "Series created. Add your works to it below." in messages_of(response)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": "   "}, "This field is required."),
        ({"title": "Tide\x00s"}, "invisible control character"),
        ({"title": "Tides", "summary": "x" * 1251}, "the limit is 1,250"),
    ],
)
def test_a_series_form_refuses_what_it_cannot_take(client, author, data, error):
    client.force_login(author)

    response = client.post(reverse("series:series_create"), data)

    assert response.status_code == 200
    assert error in words(response)
    assert not Series.objects.exists()


def test_the_owner_edits_a_series(client, author, cycle):
    client.force_login(author)
    assert client.get(edit_url(cycle)).status_code == 200

    response = client.post(
        edit_url(cycle),
        {"title": "The Tide Cycle", "summary": "", "notes": "", "is_complete": "on"},
    )

    assert response.status_code == 302
    assert response.url == cycle.get_absolute_url()
    cycle.refresh_from_db()
    assert (cycle.title, cycle.is_complete) == ("The Tide Cycle", True)


def test_staff_may_edit_any_series(client, staff, cycle):
    client.force_login(staff)

    response = client.post(edit_url(cycle), {"title": "Renamed by staff"})

    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.title == "Renamed by staff"


@pytest.mark.parametrize("action", ["series_edit", "series_delete"])
def test_only_the_owner_may_edit_or_delete_a_series(client, reader, cycle, action):
    url = reverse(f"series:{action}", args=[cycle.pk])
    data = {"title": "Taken over"}

    as_guest = client.post(url, data)
    client.force_login(reader)
    as_other_get = client.get(url)
    as_other_post = client.post(url, data)

    assert as_guest.status_code == 302
    assert as_guest.url.startswith(reverse("login"))
    assert as_other_get.status_code == 404
    assert as_other_post.status_code == 404
    cycle.refresh_from_db()
    assert cycle.title == "The Harbour Cycle"
    assert order_of(cycle) == ["First Light", "High Water", "Low Tide"]


def test_deleting_a_series_asks_first_and_keeps_the_works(client, author, cycle):
    client.force_login(author)
    url = reverse("series:series_delete", args=[cycle.pk])

    confirm = client.get(url)
    assert "Yes, delete the series" in confirm.text
    assert Series.objects.exists()

    response = client.post(url, follow=True)

    assert not Series.objects.exists()
    assert response.redirect_chain[-1][0] == reverse(
        "series:user_series", args=[author.username]
    )
    assert "its works stay" in " ".join(messages_of(response))
    assert author.works.count() == 3


# Adding, removing and moving works


def test_the_edit_page_offers_the_owners_works_not_in_the_series(
    client, author, other, cycle
):
    make_work(owner=author, title="Spring Tide")
    make_work(owner=other, title="Not Yours")
    client.force_login(author)

    response = client.get(edit_url(cycle))

    offered = [
        str(work) for work in response.context["add_form"].fields["work"].queryset
    ]
    assert offered == ["Spring Tide"]
    assert "Move up" in response.text and "Move down" in response.text


def test_the_owner_adds_a_work_at_the_end(client, author, cycle):
    spring = make_work(owner=author, title="Spring Tide")
    client.force_login(author)

    response = client.post(
        reverse("series:series_add_work", args=[cycle.pk]),
        {"work": spring.pk},
        follow=True,
    )

    assert order_of(cycle)[-1] == "Spring Tide"
    assert response.redirect_chain[0][0] == edit_url(cycle) + "#parts"
    assert "“Spring Tide” is now part 4 of “The Harbour Cycle”." in messages_of(
        response
    )


def test_adding_someone_elses_work_is_refused_and_nothing_changes(
    client, author, other, cycle
):
    theirs = make_work(owner=other, title="Not Yours")
    client.force_login(author)

    response = client.post(
        reverse("series:series_add_work", args=[cycle.pk]),
        {"work": theirs.pk},
        follow=True,
    )

    assert order_of(cycle) == ["First Light", "High Water", "Low Tide"]
    assert not SeriesWork.objects.filter(work=theirs).exists()
    assert "Choose one of your works that is not in the series." in messages_of(
        response
    )


def test_adding_a_work_twice_is_refused(client, author, cycle):
    client.force_login(author)
    first = cycle.works.get(title="First Light")

    client.post(reverse("series:series_add_work", args=[cycle.pk]), {"work": first.pk})

    assert order_of(cycle) == ["First Light", "High Water", "Low Tide"]


@pytest.mark.parametrize("who", ["guest", "other"])
def test_nobody_else_adds_removes_or_moves_works(client, reader, author, cycle, who):
    mine = make_work(owner=reader, title="Reader's Own")
    spring = make_work(owner=author, title="Spring Tide")
    if who == "other":
        client.force_login(reader)
    low = cycle.works.get(title="Low Tide")
    posts = [
        (reverse("series:series_add_work", args=[cycle.pk]), {"work": spring.pk}),
        (reverse("series:series_add_work", args=[cycle.pk]), {"work": mine.pk}),
        (reverse("series:series_remove_work", args=[cycle.pk, low.pk]), {}),
        (
            reverse("series:series_move_work", args=[cycle.pk, low.pk]),
            {"direction": "up"},
        ),
    ]

    for url, data in posts:
        response = client.post(url, data)
        if who == "guest":
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))
        else:
            assert response.status_code == 404

    assert order_of(cycle) == ["First Light", "High Water", "Low Tide"]


def test_the_owner_removes_a_work_which_stays(client, author, cycle):
    client.force_login(author)
    high = cycle.works.get(title="High Water")

    response = client.post(
        reverse("series:series_remove_work", args=[cycle.pk, high.pk]), follow=True
    )

    assert order_of(cycle) == ["First Light", "Low Tide"]
    assert author.works.filter(pk=high.pk).exists()
    assert "“High Water” was taken out of the series." in messages_of(response)


def test_removing_a_work_the_series_does_not_hold_is_not_found(client, author, cycle):
    client.force_login(author)
    outside = make_work(owner=author, title="Outside")

    url = reverse("series:series_remove_work", args=[cycle.pk, outside.pk])

    assert client.post(url).status_code == 404


@pytest.mark.parametrize(
    ("title", "direction", "order", "message"),
    [
        ("Low Tide", "up", ["First Light", "Low Tide", "High Water"], "moved up"),
        ("First Light", "down", ["High Water", "First Light", "Low Tide"], "down"),
        ("First Light", "up", ["First Light", "High Water", "Low Tide"], "first"),
        ("Low Tide", "down", ["First Light", "High Water", "Low Tide"], "last"),
        ("Low Tide", "sideways", ["First Light", "High Water", "Low Tide"], "up or"),
    ],
)
def test_the_owner_moves_works_up_and_down(
    client, author, cycle, title, direction, order, message
):
    client.force_login(author)
    work = cycle.works.get(title=title)

    response = client.post(
        reverse("series:series_move_work", args=[cycle.pk, work.pk]),
        {"direction": direction},
        follow=True,
    )

    assert order_of(cycle) == order
    assert message in " ".join(messages_of(response))


def test_moving_takes_posts_only(client, author, cycle):
    client.force_login(author)
    work = cycle.works.get(title="Low Tide")

    url = reverse("series:series_move_work", args=[cycle.pk, work.pk])

    assert client.get(url, {"direction": "up"}).status_code == 405
    assert order_of(cycle) == ["First Light", "High Water", "Low Tide"]


# Adding a work to a series from its page


def test_the_work_page_offers_its_owner_to_add_it_to_a_series(client, author, reader):
    work = make_work(owner=author)
    url = reverse("series:work_add_to_series", args=[work.pk])

    client.force_login(reader)
    assert url not in client.get(work.get_absolute_url()).text
    client.force_login(author)
    assert url in client.get(work.get_absolute_url()).text


def test_the_owner_adds_a_work_to_one_of_their_series(client, author, other, cycle):
    make_series(other, title="Someone Else's")
    spring = make_work(owner=author, title="Spring Tide")
    client.force_login(author)
    url = reverse("series:work_add_to_series", args=[spring.pk])

    offered = list(client.get(url).context["form"].fields["series"].queryset)
    response = client.post(url, {"series": cycle.pk}, follow=True)

    assert [series.title for series in offered] == ["The Harbour Cycle"]
    assert response.redirect_chain[-1][0] == spring.get_absolute_url()
    assert order_of(cycle)[-1] == "Spring Tide"
    assert "“Spring Tide” is now part 4 of “The Harbour Cycle”." in messages_of(
        response
    )


def test_the_owner_starts_a_new_series_with_a_work(client, author):
    work = make_work(owner=author, title="Spring Tide")
    client.force_login(author)

    client.post(
        reverse("series:work_add_to_series", args=[work.pk]),
        {"series": "", "title": "  Seasons "},
    )

    series = Series.objects.get()
    assert (series.owner, series.title, order_of(series)) == (
        author,
        "Seasons",
        ["Spring Tide"],
    )


@pytest.mark.parametrize(
    ("choose_series", "title", "error"),
    [
        (False, "", "Choose a series, or give a title for a new one."),
        (True, "Seasons", "Choose a series or give a new title, not both."),
    ],
)
def test_adding_to_a_series_needs_one_choice(
    client, author, cycle, choose_series, title, error
):
    work = make_work(owner=author, title="Spring Tide")
    client.force_login(author)

    response = client.post(
        reverse("series:work_add_to_series", args=[work.pk]),
        {"series": cycle.pk if choose_series else "", "title": title},
    )

    assert response.status_code == 200
    assert error in words(response)
    assert Series.objects.count() == 1
    assert "Spring Tide" not in order_of(cycle)


def test_a_work_cannot_go_into_someone_elses_series(client, author, other):
    theirs = make_series(other, [make_work(owner=other)], title="Theirs")
    work = make_work(owner=author, title="Spring Tide")
    client.force_login(author)

    response = client.post(
        reverse("series:work_add_to_series", args=[work.pk]), {"series": theirs.pk}
    )

    assert response.status_code == 200
    assert "Choose one of your series." in words(response)
    assert not SeriesWork.objects.filter(work=work).exists()


def test_nobody_else_adds_a_work_to_a_series(client, author, reader):
    work = make_work(owner=author)
    mine = make_series(reader, [make_work(owner=reader)], title="Reader's")
    url = reverse("series:work_add_to_series", args=[work.pk])

    as_guest = client.post(url, {"title": "Taken"})
    client.force_login(reader)
    as_other = client.post(url, {"series": mine.pk})

    assert as_guest.status_code == 302
    assert as_guest.url.startswith(reverse("login"))
    assert as_other.status_code == 404
    assert not SeriesWork.objects.filter(work=work).exists()
    assert Series.objects.count() == 1


def test_a_deleted_work_leaves_the_series_page(client, cycle):
    stories_services.work_delete(work=cycle.works.get(title="High Water"))

    response = client.get(cycle.get_absolute_url())

    assert titles(response) == ["First Light", "Low Tide"]


def test_staff_see_every_series_of_a_person(client, author, staff, cycle):
    make_series(author, [make_work(owner=author, post=False)], title="Hidden Drafts")
    client.force_login(staff)

    page = words(client.get(reverse("series:user_series", args=[author.username])))

    assert "Hidden Drafts" in page and "The Harbour Cycle" in page
    assert "Start a series" not in page


def test_a_reader_bookmarks_and_subscribes_from_the_series_page(client, author):
    series = services.series_create(
        owner=author, title="Harbour Weather", works=[make_work(owner=author)]
    )
    reader = UserFactory()
    client.force_login(reader)
    page = client.get(series.get_absolute_url()).content.decode()
    bookmark_url = reverse("bookmarks:series_bookmark_create", args=[series.pk])
    assert bookmark_url in page
    assert "Subscribe to this series" in page

    client.post(
        reverse("subscriptions:subscription_create"),
        {"target": "series", "id": series.pk, "next": series.get_absolute_url()},
    )
    assert Subscription.objects.filter(user=reader, series=series).exists()
    assert (
        "Unsubscribe from this series"
        in client.get(series.get_absolute_url()).content.decode()
    )
