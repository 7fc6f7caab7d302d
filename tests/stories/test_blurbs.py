"""Blurbs outlive writes to other works, and show every change to their own."""

import re
from html import unescape

import pytest
from django.urls import reverse

from stories import blurbs, caching, services
from stories.models import Tag
from tests.factories import make_work
from tests.pages import titles

pytestmark = pytest.mark.django_db


def words(html):
    """Return the text without its markup, as a reader reads it."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def blurb(response, work):
    """Return the words of a work's blurb on a listing ("" when not listed)."""
    html = response.content.decode()
    start = html.find(f'id="work-{work.pk}"')
    if start < 0:
        return ""
    end = html.find('class="blurb"', start)
    return words(html[start : end if end > 0 else len(html)])


@pytest.fixture
def rendered(monkeypatch):
    """Collect the ids of the works whose blurbs are rendered."""
    works = []
    render = blurbs.render_to_string

    def counted(template, context, *args, **kwargs):
        works.append(context["work"].pk)
        return render(template, context, *args, **kwargs)

    monkeypatch.setattr(blurbs, "render_to_string", counted)
    return works


def test_a_write_to_one_work_renders_only_its_own_blurb_again(
    client, author, reader, rendered
):
    quiet = make_work(owner=author, title="Quiet")
    busy = make_work(owner=author, title="Busy")
    listing = reverse("stories:work_list")
    client.get(listing)
    assert sorted(rendered) == sorted([quiet.pk, busy.pk])
    rendered.clear()

    services.comment_post(chapter=busy.chapters.get(), user=reader, body="Hello!")

    response = client.get(listing)
    assert rendered == [busy.pk]
    assert "Comments: 1" in blurb(response, busy)


@pytest.mark.parametrize(
    "change", ["comment", "chapter", "edit", "rename tag", "delete tag", "unpost"]
)
def test_a_blurb_shows_each_change_to_its_work_at_once(
    client, author, reader, change, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, title="Lanterns", freeforms=["Slow Burn"])
    make_work(owner=author, title="Other")
    listing = reverse("stories:work_list")
    before = blurb(client.get(listing), work)
    assert "Comments: 0" in before and "Slow Burn" in before

    if change == "comment":
        services.comment_post(chapter=work.chapters.get(), user=reader, body="Hi")
        expected, gone = "Comments: 1", "Comments: 0"
    elif change == "chapter":
        services.chapter_create(
            work=work, text=services.ChapterText(body="<p>More words here.</p>")
        )
        expected, gone = "Chapters: 2/?", "Chapters: 1/?"
    elif change == "edit":
        services.work_update(
            work=work,
            title="Lanterns Lit",
            tags={"fandom": ["Original Work"], "freeform": ["Slow Burn"]},
            warnings=[],
        )
        expected, gone = "Lanterns Lit", None
    elif change == "rename tag":
        slow_burn = Tag.objects.get(name="Slow Burn")
        # Its works' blurbs follow in a job queued on commit (run at once here).
        with django_capture_on_commit_callbacks(execute=True):
            services.tag_rename(tag=slow_burn, name="Slowest Burn", kind=slow_burn.kind)
        expected, gone = "Slowest Burn", "Slow Burn"
    elif change == "delete tag":
        with django_capture_on_commit_callbacks(execute=True):
            services.tag_delete(tag=Tag.objects.get(name="Slow Burn"))
        expected, gone = "Lanterns", "Slow Burn"
    else:
        services.work_unpost(work=work)
        expected, gone = "", "Lanterns"

    response = client.get(listing)
    after = blurb(response, work)
    assert expected in after
    if gone:
        assert gone not in after
    assert sorted(titles(response)) == sorted(
        {"edit": ["Lanterns Lit", "Other"], "unpost": ["Other"]}.get(
            change, ["Lanterns", "Other"]
        )
    )


def test_blurbs_rendered_by_another_release_are_not_reused(
    client, author, rendered, monkeypatch
):
    work = make_work(owner=author)
    listing = reverse("stories:work_list")
    client.get(listing)
    client.get(listing)
    assert rendered == [work.pk]

    monkeypatch.setattr(caching, "release", lambda: "the-next-release")
    client.get(listing)
    assert rendered == [work.pk, work.pk]
