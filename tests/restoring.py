"""A small archive, its pages as guests see them, and a second, empty database
to load or restore it into: for the tests of dumpdata, backups and restores."""

import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from stories import services
from stories.bookmarks import services as bookmarks
from stories.caching import forget_everything
from stories.engagement import services as engagement
from stories.models import Tag, TagKind
from tests.factories import UserFactory, make_work
from tests.pages import titles, words


def archive_build():
    """Make works in one fandom with comments, kudos and bookmarks; return one."""
    author = UserFactory(username="quillfeather")
    readers = [UserFactory(username=f"reader{number}") for number in range(3)]
    lanterns = make_work(
        owner=author,
        title="Lanterns on the Canal",
        fandoms=("Good Omens",),
        characters=("Crowley",),
        freeforms=("Slow Burn",),
        summary="<p>A bridge, a song, and a ferryman.</p>",
        chapters=2,
    )
    tea = make_work(owner=author, title="Tea at the Bookshop", fandoms=("Good Omens",))
    make_work(owner=readers[0], title="Apples in Eden", fandoms=("Good Omens",))
    make_work(owner=readers[1], title="Unposted Lanterns", post=False)
    chapter = lanterns.chapters.get(number=1)
    for reader in readers:
        engagement.kudos_leave(work=lanterns, user=reader)
        services.comment_post(
            chapter=chapter, body=f"<p>Lovely, from {reader.username}</p>", user=reader
        )
    engagement.kudos_leave(work=tea, user=readers[2])
    bookmarks.bookmark_create(owner=readers[0], work=lanterns, notes="<p>Again!</p>")
    return lanterns


def archive_pages():
    """Return what guests see of the archive: the pages and searches to compare.

    Pages come from the cache where it has them, as a reader would get them.
    """
    client = Client()
    work = Tag.objects.get(kind=TagKind.FANDOM, name="Good Omens").tagged_works
    work = work.order_by("content_object__title").first().content_object
    tag = reverse("stories:tag_works", kwargs={"slug": "good-omens"})
    pages = {
        "work": client.get(reverse("stories:work_detail", kwargs={"pk": work.pk})),
        "tag by title": client.get(tag, {"sort": "title"}),
        "works by kudos": client.get(reverse("stories:work_list"), {"sort": "kudos"}),
        "search": client.get(reverse("stories:work_search"), {"q": "lanterns"}),
        "search by tag": client.get(reverse("stories:work_search"), {"q": "crowley"}),
    }
    assert all(response.status_code == 200 for response in pages.values())
    return {
        **{name: words(response) for name, response in pages.items()},
        **{f"{name} titles": titles(response) for name, response in pages.items()},
    }


@contextmanager
def empty_database():
    """Point the default connection at a new, empty database for the block.

    SQLite: a new file beside the test database; PostgreSQL: a new database on
    the same server, dropped afterwards.
    """
    saved = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor == "sqlite":
        name = str(Path(settings.VAR_DIR) / f"restored-{uuid.uuid4().hex}.sqlite3")
    else:
        name = f"{saved}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield name
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved
        forget_everything()
        if connection.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
