"""How a reader chooses to hear of each kind, on the preferences page."""

import pytest
from django.urls import reverse

from stories.subscriptions.models import Delivery, Kind, NotificationPreferences

pytestmark = pytest.mark.django_db

URL = reverse("preferences")


def test_the_preferences_page_offers_a_delivery_for_each_kind(reader_client):
    page = reader_client.get(URL).content.decode()
    for kind in Kind:
        assert str(kind.label) in page
        assert f'name="{kind.field}" value="{Delivery.DIGEST}"' in page
    assert "Email at once" in page
    assert "In the daily digest email" in page
    assert "Inbox only, no email" in page
    assert 'name="comments_on"' in page
    assert 'name="replies_on"' in page


def test_a_reader_saves_their_notification_preferences(reader_client, reader):
    choices = {kind.field: Delivery.INBOX for kind in Kind}
    response = reader_client.post(
        URL, {"keep_history": "on", "replies_on": "on", **choices}, follow=True
    )
    assert "Your preferences were saved." in response.content.decode()
    saved = NotificationPreferences.objects.get(user=reader)
    assert not saved.comments_on
    assert saved.replies_on
    assert all(getattr(saved, kind.field) == Delivery.INBOX for kind in Kind)
    page = reader_client.get(URL).content.decode()
    assert f'value="{Delivery.INBOX}" id="id_tag_work_2" checked' in page


def test_a_choice_left_out_keeps_what_was_chosen(reader_client, reader):
    reader_client.post(URL, {"work_chapter": Delivery.DIGEST})
    reader_client.post(URL, {"comments_on": "on"})
    saved = NotificationPreferences.objects.get(user=reader)
    assert saved.work_chapter == Delivery.DIGEST
    assert saved.tag_work == NotificationPreferences.default_delivery(Kind.TAG_WORK)


def test_a_wrong_choice_is_refused_and_nothing_saved(reader_client, reader):
    response = reader_client.post(URL, {"work_chapter": "pigeon"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreferences.objects.exists()


def test_guests_have_no_preferences(client):
    response = client.post(URL, {"work_chapter": Delivery.INBOX})
    assert response.status_code == 302
    assert not NotificationPreferences.objects.exists()
