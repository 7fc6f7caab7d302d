import pytest
from rest_framework.test import APIClient

from stories import services
from stories.bookmarks import services as bookmark_services
from stories.models import Rating, Tag, TagKind
from stories.series import services as series_services
from tests.factories import UserFactory, make_work


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def archive(db):
    """A small archive: posted works, a draft, a synonym and a parent fandom, a
    series and bookmarks public, private and in a private folder."""
    author = UserFactory(username="quillfeather")
    reader = UserFactory(username="pageturner")
    lantern = make_work(
        owner=author,
        title="The Lantern Keeper",
        fandoms=("Original Work",),
        characters=("Mira",),
        freeforms=("Angst",),
        rating=Rating.TEEN,
        chapters=2,
    )
    river = make_work(
        owner=author,
        title="A River in Winter",
        fandoms=("Winter Tales",),
        freeforms=("Fluff", "Angst"),
        rating=Rating.GENERAL,
        expected_chapters=1,
        summary="<p>Ice <em>and</em> quiet.</p>",
    )
    lost = make_work(
        owner=reader,
        title="Lost Letters",
        fandoms=("Winter Tales",),
        freeforms=("fluffy",),
        rating=Rating.MATURE,
        language="fr",
    )
    draft = make_work(
        owner=author,
        title="Secret Draft",
        fandoms=("Original Work",),
        freeforms=("Draft Only Tag",),
        post=False,
    )
    fluff = Tag.objects.get(kind=TagKind.FREEFORM, name="Fluff")
    services.tag_make_canonical(tag=fluff)
    services.tags_make_synonyms(
        tags=[Tag.objects.get(kind=TagKind.FREEFORM, name="fluffy")], canonical=fluff
    )
    winter = Tag.objects.get(kind=TagKind.FANDOM, name="Winter Tales")
    services.tag_make_canonical(tag=winter)
    mira = Tag.objects.get(kind=TagKind.CHARACTER, name="Mira")
    services.tag_set_parents(
        tag=mira, fandoms=[Tag.objects.get(kind=TagKind.FANDOM, name="Original Work")]
    )
    series = series_services.series_create(
        owner=author, title="Lanterns and Rivers", works=[lantern, draft, river]
    )
    secret_folder = bookmark_services.folder_create(
        owner=reader, name="Secret", is_private=True
    )
    public = bookmark_services.bookmark_create(
        owner=reader, work=lantern, notes="<p>Lovely.</p>", tag_names=["cosy"]
    )
    private = bookmark_services.bookmark_create(
        owner=reader, work=river, is_private=True
    )
    foldered = bookmark_services.bookmark_create(owner=author, work=lost, folder=None)
    hidden_in_folder = bookmark_services.bookmark_create(
        owner=reader, series=series, folder=secret_folder
    )
    return {
        "author": author,
        "reader": reader,
        "lantern": lantern,
        "river": river,
        "lost": lost,
        "draft": draft,
        "series": series,
        "public": public,
        "private": private,
        "foldered": foldered,
        "hidden_in_folder": hidden_in_folder,
    }


def walk(api, address, **params):
    """Return every item of a paged list, following `next`, and the pages."""
    items, pages = [], 0
    response = api.get(address, params)
    while pages < 100:
        assert response.status_code == 200, response.content
        body = response.json()
        items.extend(body["results"])
        pages += 1
        if body["next"] is None:
            return items, pages
        response = api.get(body["next"])
    raise AssertionError("The pages never end.")
