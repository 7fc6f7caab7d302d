"""Parts of pages rendered once: a page of a listing; on a chapter page the
work's details, the chapter navigation, the comment thread and the comment
form. Each is shared only by readers who would see the same, and any change
shows at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from stories import services
from stories.listing import LISTING_PAGE_SIZE
from stories.models import Chapter, Rating, Tag, Work
from tests.factories import CHAPTER_TEXT, UserFactory, make_work
from tests.pages import text, titles


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html):
    """Return the page without its form tokens and fill-time stamps, new on
    every view."""
    return re.sub(r'name="(csrfmiddlewaretoken|form_stamp)" value="[^"]*"', "", html)


def edit_link(comment):
    return reverse("stories:comment_edit", args=[comment.pk])


def delete_link(comment):
    return reverse("stories:comment_delete", args=[comment.pk])


def test_a_readers_own_comment_links_are_never_shown_to_others(author, reader, staff):
    work = make_work(owner=author)
    chapter = work.chapters.get()
    comment = services.comment_post(chapter=chapter, user=reader, body="Lovely.")
    url = chapter.get_absolute_url()
    viewers = {"guest": Client(), "other": Client(), "staff": Client()}
    viewers["other"].force_login(UserFactory())
    viewers["staff"].force_login(staff)
    commenter = Client()
    commenter.force_login(reader)

    for _ in range(2):
        mine = page(commenter, url)
        assert edit_link(comment) in mine
        assert delete_link(comment) in mine
        for name in ("guest", "other"):
            seen = page(viewers[name], url)
            assert "Lovely." in seen
            assert edit_link(comment) not in seen, name
            assert delete_link(comment) not in seen, name
        moderated = page(viewers["staff"], url)
        assert delete_link(comment) in moderated
        assert edit_link(comment) not in moderated


def test_guests_never_see_the_draft_chapters_the_author_saw(author):
    work = make_work(owner=author)
    first = work.chapters.get()
    second = services.chapter_create(
        work=work,
        text=services.ChapterText(body=CHAPTER_TEXT, title="Ahead"),
        post=False,
    )
    author_client = Client()
    author_client.force_login(author)

    assert second.get_absolute_url() in page(author_client, first.get_absolute_url())
    guest_page = page(Client(), first.get_absolute_url())
    assert second.get_absolute_url() not in guest_page
    assert 'rel="next"' not in guest_page


@pytest.mark.parametrize("change", ["comment", "edit comment", "delete", "retitle"])
def test_changes_show_on_the_next_view(client, author, reader, change):
    work = make_work(owner=author, title="Old Title")
    chapter = work.chapters.get()
    comment = services.comment_post(chapter=chapter, user=reader, body="First words")
    url = chapter.get_absolute_url()
    assert "First words" in page(client, url)

    if change == "comment":
        services.comment_post(chapter=chapter, user=reader, body="Second words")
        assert "Second words" in page(client, url)
    elif change == "edit comment":
        services.comment_edit(comment=comment, body="Changed words")
        assert "Changed words" in page(client, url)
        assert "First words" not in page(client, url)
    elif change == "delete":
        services.comment_delete(comment=comment)
        assert "First words" not in page(client, url)
    else:
        services.work_update(
            work=work,
            title="New Title",
            tags={"fandom": ["Original Work"]},
            warnings=["No Archive Warnings Apply"],
        )
        assert "New Title" in page(client, url)


def test_a_second_view_reads_neither_comments_nor_chapters(
    client, author, reader, django_assert_num_queries
):
    work = make_work(owner=author, chapters=3)
    chapter = work.chapters.order_by("position").first()
    for number in range(20):
        services.comment_post(chapter=chapter, user=reader, body=f"Comment {number}")
    url = chapter.get_absolute_url()
    first_view = without_tokens(page(client, url))

    # The work and the chapter a guest may read are cached with the page (its
    # kudos button has the guest's form token, masked anew at each view).
    with django_assert_num_queries(0):
        assert without_tokens(page(client, url)) == first_view

    # A reader who keeps no history, so that each view is the same page.
    reader.keep_history = False
    reader.save(update_fields=["keep_history"])
    client.force_login(reader)
    first_view = without_tokens(page(client, url))
    # The session and the reader: whether they may read the work and chapter
    # was found when their page was cached, and the work has not changed.
    # Then the reader's own place in the work (stories/readings/progress.py).
    with django_assert_num_queries(3):
        assert without_tokens(page(client, url)) == first_view


def test_a_refused_comment_keeps_its_text_beside_a_cached_thread(client, author):
    work = make_work(owner=author, allow_guest_comments=True)
    chapter = work.chapters.get()
    page(client, chapter.get_absolute_url())
    response = client.post(
        reverse("stories:comment_create", args=[work.pk, chapter.pk]),
        {"guest_name": "Wanderer", "guest_email": "not an email", "body": "Kept."},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Kept." in content
    assert 'value="Wanderer"' in content
    assert Chapter.objects.get(pk=chapter.pk).comments.count() == 0


def test_a_listing_rendered_for_guests_is_not_shown_to_readers_who_hide_more(
    client, author, reader
):
    make_work(owner=author, title="Plain Tale", freeforms=["Fluff"])
    make_work(owner=author, title="Sad Tale", freeforms=["Angst"])
    url = reverse("stories:work_list")
    assert titles(client.get(url)) == ["Sad Tale", "Plain Tale"]
    hide_link = reverse(
        "stories:work_hide", args=[Work.objects.get(title="Sad Tale").pk]
    )
    assert hide_link not in page(client, url)

    services.reader_hide(reader=reader, tags=Tag.objects.filter(name="Angst"))
    client.force_login(reader)
    response = client.get(url)
    assert titles(response) == ["Plain Tale"]
    assert (
        "Works with the tags you hide, and by the users you muted, are left out."
        in text(response)
    )

    other = Client()
    other.force_login(UserFactory())
    response = other.get(url)
    assert titles(response) == ["Sad Tale", "Plain Tale"]
    assert hide_link in response.content.decode()


def test_each_page_of_a_listing_is_its_own(client, author):
    for number in range(LISTING_PAGE_SIZE + 1):
        make_work(owner=author, title=f"Tale {number:02}")
    url = reverse("stories:work_list")
    first = titles(client.get(url))
    second = titles(client.get(url, {"page": 2}))
    assert len(first) == LISTING_PAGE_SIZE
    assert second == ["Tale 00"]
    assert titles(client.get(url)) == first
    assert client.get(url, {"page": 3}).status_code == 404


def test_the_front_page_leaves_out_what_a_reader_hides(client, author, reader):
    make_work(owner=author, title="Plain Tale", freeforms=["Fluff"])
    make_work(owner=author, title="Sad Tale", freeforms=["Angst"])
    home = reverse("stories:home")
    assert titles(client.get(home)) == ["Sad Tale", "Plain Tale"]

    services.reader_hide(reader=reader, tags=Tag.objects.filter(name="Angst"))
    client.force_login(reader)
    assert titles(client.get(home)) == ["Plain Tale"]
    assert titles(Client().get(home)) == ["Sad Tale", "Plain Tale"]


def test_a_profile_filters_like_any_listing_and_keeps_drafts_to_its_owner(author):
    make_work(owner=author, title="Gentle Tale", rating=Rating.GENERAL)
    make_work(owner=author, title="Dark Tale", rating=Rating.MATURE)
    make_work(owner=author, title="Unfinished Tale", post=False)
    profile = reverse("stories:user_detail", args=[author.username])
    owner = Client()
    owner.force_login(author)
    assert titles(owner.get(profile)) == ["Unfinished Tale", "Dark Tale", "Gentle Tale"]

    guest = Client()
    response = guest.get(profile)
    assert titles(response) == ["Dark Tale", "Gentle Tale"]
    assert "1 – 2 of 2 Works by" in text(response)
    mature_only = guest.get(profile, {"rating": Rating.MATURE, "sort": "title"})
    assert titles(mature_only) == ["Dark Tale"]
    assert 'id="filters-heading"' in mature_only.content.decode()


def test_a_guest_viewing_a_tag_page_again_reads_nothing(
    client, author, django_assert_num_queries
):
    make_work(owner=author, fandoms=["Harbour Lights (TV)"])
    url = Tag.objects.get(name="Harbour Lights (TV)").get_absolute_url()
    first_view = page(client, url)
    with django_assert_num_queries(0):
        assert page(client, url) == first_view
    assert client.get("/tags/no-such-tag/works/").status_code == 404


def test_reordered_chapters_show_in_the_navigation_at_once(author_client, author):
    work = make_work(owner=author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    guest = Client()
    assert f'href="{second.get_absolute_url()}" rel="next"' in page(
        guest, first.get_absolute_url()
    )
    author_client.post(
        reverse("stories:chapter_reorder", args=[work.pk]),
        {
            f"position-{first.pk}": "1",
            f"position-{second.pk}": "3",
            f"position-{third.pk}": "2",
        },
    )
    shown = page(guest, first.get_absolute_url())
    assert f'href="{third.get_absolute_url()}" rel="next"' in shown
