"""Subscribe and unsubscribe from the pages, and the subscriptions page."""

import pytest
from django.urls import reverse

from stories import services
from stories.models import TagKind
from stories.series.models import Series
from stories.subscriptions.models import Subscription
from tests.factories import UserFactory, make_work

from .conftest import subscribe

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("subscriptions:subscription_create")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_a_reader_subscribes_to_a_work_from_its_page(reader_client, reader, work):
    page = reader_client.get(work.get_absolute_url())
    assert b'value="work"' in page.content
    assert b">Subscribe</button>" in page.content
    response = reader_client.post(
        SUBSCRIBE,
        {"target": "work", "id": work.pk, "next": work.get_absolute_url()},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == work.get_absolute_url()
    assert messages_of(response) == [f"You are subscribed to {work.title}."]
    assert Subscription.objects.get(user=reader).work == work
    assert b">Unsubscribe</button>" in response.content
    again = reader_client.post(
        SUBSCRIBE, {"target": "work", "id": work.pk}, follow=True
    )
    assert messages_of(again) == [f"You were already subscribed to {work.title}."]
    assert Subscription.objects.count() == 1


def test_a_reader_unsubscribes_from_the_work_page(reader_client, reader, work):
    subscription = subscribe(reader, work=work)
    page = reader_client.get(work.get_absolute_url())
    action = reverse("subscriptions:subscription_delete", args=[subscription.pk])
    assert action.encode() in page.content
    response = reader_client.post(
        action, {"next": work.get_absolute_url()}, follow=True
    )
    assert messages_of(response) == [f"You are no longer subscribed to {work.title}."]
    assert not Subscription.objects.exists()
    assert b">Subscribe</button>" in response.content


def test_the_whole_work_page_has_the_button_too(reader_client, work):
    page = reader_client.get(work.get_absolute_url() + "?view_full_work=true")
    assert b">Subscribe</button>" in page.content


def test_a_creator_sees_no_button_on_their_own_work_or_profile(author_client, work):
    assert b"subscribe-form" not in author_client.get(work.get_absolute_url()).content
    profile = reverse("stories:user_detail", args=[work.owner.username])
    assert b"subscribe-form" not in author_client.get(profile).content


def test_guests_see_no_button_and_are_sent_to_log_in(client, work):
    assert b"subscribe-form" not in client.get(work.get_absolute_url()).content
    response = client.post(
        SUBSCRIBE, {"target": "work", "id": work.pk, "next": work.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Subscription.objects.exists()


def test_a_reader_subscribes_to_a_creator_from_their_profile(
    reader_client, reader, author, work
):
    profile = reverse("stories:user_detail", args=[author.username])
    assert b"Subscribe to this creator" in reader_client.get(profile).content
    reader_client.post(SUBSCRIBE, {"target": "creator", "id": author.pk})
    assert Subscription.objects.get(user=reader).creator == author
    assert b"Unsubscribe from this creator" in reader_client.get(profile).content


def test_a_reader_subscribes_to_a_tag_from_its_page(reader_client, reader, work):
    tag = work.tags.get(kind=TagKind.FANDOM)
    assert b"Subscribe to this tag" in reader_client.get(tag.get_absolute_url()).content
    reader_client.post(SUBSCRIBE, {"target": "tag", "id": tag.pk})
    assert Subscription.objects.get(user=reader).tag == tag
    page = reader_client.get(tag.get_absolute_url())
    assert b"Unsubscribe from this tag" in page.content


def test_a_reader_subscribes_to_a_series(reader_client, reader, author):
    series = Series.objects.create(owner=author, title="Lanterns")
    reader_client.post(SUBSCRIBE, {"target": "series", "id": series.pk})
    assert Subscription.objects.get(user=reader).series == series


def test_subscribing_to_oneself_or_one_s_own_work_is_refused(
    author_client, author, work
):
    response = author_client.post(
        SUBSCRIBE, {"target": "creator", "id": author.pk}, follow=True
    )
    assert messages_of(response) == ["You cannot subscribe to yourself."]
    response = author_client.post(
        SUBSCRIBE, {"target": "work", "id": work.pk}, follow=True
    )
    assert messages_of(response) == ["You cannot subscribe to your own work."]
    assert not Subscription.objects.exists()


def test_someone_else_s_draft_or_a_missing_target_is_not_found(reader_client, author):
    draft = make_work(owner=author, post=False)
    for target, pk in [("work", draft.pk), ("tag", 10**9), ("series", 10**9)]:
        response = reader_client.post(SUBSCRIBE, {"target": target, "id": pk})
        assert response.status_code == 404
    response = reader_client.post(SUBSCRIBE, {"target": "planet", "id": 1}, follow=True)
    assert messages_of(response) == ["There is nothing to subscribe to there."]
    assert not Subscription.objects.exists()


def test_subscribing_is_a_post(reader_client):
    assert reader_client.get(SUBSCRIBE).status_code == 405


def test_nobody_unsubscribes_someone_else(client, reader, work):
    subscription = subscribe(reader, work=work)
    action = reverse("subscriptions:subscription_delete", args=[subscription.pk])
    assert client.post(action).status_code == 302  # to the log-in page
    client.force_login(UserFactory())
    assert client.post(action).status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_subscriptions_page_lists_them_by_kind_with_unsubscribe(
    reader_client, reader, author, work
):
    series = Series.objects.create(owner=author, title="Lanterns")
    tag = services.tags_get_or_create(kind=TagKind.FREEFORM, names=["Slow Burn"])[0]
    subscribe(reader, work=work)
    subscribe(reader, creator=author)
    subscribe(reader, series=series)
    subscription = subscribe(reader, tag=tag)
    url = reverse("subscriptions:subscription_list", args=[reader.username])
    page = reader_client.get(url).content.decode()
    for heading, name in [
        ("Works", work.title),
        ("Creators", author.username),
        ("Series", "Lanterns"),
        ("Tags", "Slow Burn"),
    ]:
        assert f">{heading}</h2>" in page
        # A series links to its page once series have pages.
        assert name in page
    assert page.count(">Unsubscribe</button>") == 4
    delete = reverse("subscriptions:subscription_delete", args=[subscription.pk])
    response = reader_client.post(delete, {"next": url}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert ">Tags</h2>" not in response.content.decode()
    assert reader.subscriptions.count() == 3


def test_the_subscriptions_page_is_its_owner_s_alone(client, reader):
    url = reverse("subscriptions:subscription_list", args=[reader.username])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 200
