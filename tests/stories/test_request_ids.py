"""Ids a request gives that no row may have (too large, not plain digits) are
answered as unknown ids are: left out, or not found; never a server error."""

import pytest
from django.urls import reverse

from stories import services
from stories.blocking.models import Mute
from stories.blocking.services import user_mute
from stories.models import HiddenTag, Tag
from tests.factories import make_work

pytestmark = pytest.mark.django_db

BEYOND = "99999999999999999999999"
NOT_IDS = [BEYOND, str(2**63), "²", "-1", "0", " "]


@pytest.fixture
def hider(reader, work):
    services.reader_hide(reader=reader, tags=Tag.objects.filter(name="Original Work"))
    user_mute(muter=reader, muted=work.owner)
    return reader


@pytest.mark.parametrize("value", NOT_IDS)
def test_showing_again_ids_no_row_has_changes_nothing(reader_client, hider, value):
    response = reader_client.post(
        reverse("stories:hidden_list"),
        {"action": "remove", "tag": value, "creator": value},
    )
    assert response.status_code == 302
    assert HiddenTag.objects.filter(reader=hider).count() == 1
    assert Mute.objects.filter(muter=hider).count() == 1


@pytest.mark.parametrize("value", NOT_IDS)
def test_hiding_a_tag_id_no_row_has_hides_nothing(reader_client, reader, work, value):
    response = reader_client.post(
        reverse("stories:work_hide", args=[work.pk]), {"tag": value}
    )
    assert response.status_code == 302
    assert not HiddenTag.objects.filter(reader=reader).exists()


@pytest.mark.parametrize("value", NOT_IDS)
def test_reply_to_an_id_no_comment_has_shows_the_chapter(client, work, value):
    chapter = work.chapters.get()
    response = client.get(f"{chapter.get_absolute_url()}?reply_to={value}")
    assert response.status_code == 200


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_page_number_no_page_has_shows_the_first(client, work, value):
    chapter = work.chapters.get()
    response = client.get(f"{chapter.get_absolute_url()}?page={value}")
    assert response.status_code == 200


@pytest.mark.parametrize("value", [BEYOND, str(2**63)])
def test_jumping_to_a_chapter_id_no_row_has_is_not_found(client, work, value):
    response = client.get(
        reverse("stories:work_navigate", args=[work.pk]), {"chapter": value}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["²", "first"])
def test_jumping_to_a_chapter_by_what_is_no_id_lists_the_chapters(client, work, value):
    response = client.get(
        reverse("stories:work_navigate", args=[work.pk]), {"chapter": value}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("value", [BEYOND, str(2**63)])
def test_replying_to_a_comment_id_no_row_has_is_not_found(reader_client, work, value):
    chapter = work.chapters.get()
    response = reader_client.post(
        reverse("stories:comment_create", args=[work.pk, chapter.pk]),
        {"body": "Hello", "parent": value},
    )
    assert response.status_code == 404
    assert not chapter.comments.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/works/{beyond}",
        "/works/{beyond}/navigate",
        "/works/{beyond}/hide/",
        "/works/{work}/chapters/{beyond}",
        "/works/{beyond}/chapters/{beyond}",
        "/works/{work}/chapters/{beyond}/edit/",
        "/comments/{beyond}/",
        "/comments/{beyond}/edit/",
    ],
)
def test_addresses_with_ids_no_row_has_are_not_found(author_client, work, path):
    url = path.format(beyond=BEYOND, work=work.pk)
    assert author_client.get(url).status_code == 404


def test_reordering_with_a_position_that_is_no_plain_number_is_refused(
    author_client, author
):
    work = make_work(owner=author, chapters=2)
    first, second = work.chapters.order_by("position")
    response = author_client.post(
        reverse("stories:chapter_reorder", args=[work.pk]),
        {f"position-{first.pk}": "²", f"position-{second.pk}": "1"},
    )
    assert response.status_code == 400
    assert list(work.chapters.order_by("position")) == [first, second]


# Found by tests/archive/test_every_page.py: these views filtered on a foreign
# key with the address's id as it came, which overflows SQLite.
@pytest.mark.parametrize("value", [2**63, int(BEYOND)])
def test_addresses_with_ids_no_row_has_answer_not_found(
    author_client, author, work, value
):
    from stories.readings import services as readings

    readings.work_mark_for_later(reader=author, work=work)
    addresses = [
        reverse("readings:reading_forget", args=[author.username, value]),
        reverse("readings:work_unmark_for_later", args=[value]),
        reverse("stories:work_creator_remove", args=[work.pk, value]),
    ]
    for address in addresses:
        assert author_client.post(address).status_code == 404
    assert work.creatorships.count() == 1
