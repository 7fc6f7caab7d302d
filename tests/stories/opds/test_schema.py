"""Every kind of feed the catalogue writes passes the OPDS 1.2 RELAX NG schema
(opds-community/specs, with Atom's), checked with Debian's jing in one run."""

import shutil

import pytest
from django.urls import reverse

from stories import services
from stories.models import Tag, TagKind
from tests.factories import UserFactory, make_work
from tests.stories.opds.conftest import basic, jing

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"co\" ]]> <!-- r\tt -->"


def catalogue_urls(author):
    fandom = Tag.objects.get(kind=TagKind.FANDOM, name="Harbour Lights (TV)")
    return [
        reverse("opds:root"),
        reverse("opds:work_list"),
        reverse("opds:work_list") + "?page=2",
        reverse("opds:work_list") + "?include=Angst&sort=title",
        reverse("opds:fandom_list"),
        reverse("opds:tag_works", args=[fandom.slug]),
        reverse("opds:user_works", args=[author.username]),
        reverse("opds:search") + "?q=lantern",
        reverse("opds:search") + "?q=" + "%3Cscript%3E",
        reverse("opds:search") + "?q=",
    ]


@pytest.mark.skipif(shutil.which("jing") is None, reason="no jing (make test-packages)")
def test_every_kind_of_feed_passes_the_opds_schema(client, author, tmp_path):
    files = []

    def fetch(url, name, headers=None):
        response = client.get(url, headers=headers or {})
        assert response.status_code == 200, url
        path = tmp_path / f"{len(files):03d}-{name}.xml"
        path.write_bytes(response.content)
        files.append(path)

    # Empty: nothing posted yet, and a person with drafts only.
    make_work(owner=author, title="Draft", post=False, fandoms=["Harbour Lights (TV)"])
    for url in catalogue_urls(author):
        fetch(url.replace("?page=2", ""), "empty")
    # Paged, hostile, searched for, and read signed in with what one hides.
    for number in range(23):
        make_work(
            owner=author,
            title=f"Lantern {number}",
            fandoms=["Harbour Lights (TV)"],
            freeforms=["Angst", "Spiders"] if number < 2 else ["Angst"],
            summary="<p>A <em>quiet</em> night &amp; a lantern.</p>",
        )
    make_work(
        owner=author,
        title=HOSTILE,
        creator_credit=HOSTILE,
        summary=f"<p>{HOSTILE}</p><script>alert(1)</script>",
        fandoms=["Harbour Lights (TV)", HOSTILE],
        freeforms=[HOSTILE, "Angst"],
        language="ja",
    )
    reader = UserFactory(username="arachnophobe")
    services.reader_hide(reader=reader, tags=Tag.objects.filter(name="Spiders"))
    for url in catalogue_urls(author):
        fetch(url, "guest")
        fetch(url, "signed-in", basic(reader.username, "a-long-test-password"))
    fetch(
        reverse("opds:signin"), "signin", basic(author.username, "a-long-test-password")
    )

    result = jing(files)

    assert result.returncode == 0, result.stdout + result.stderr
    assert len(files) == 31
