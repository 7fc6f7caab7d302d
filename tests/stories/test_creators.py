"""Co-creators: the owner invites, the invitee accepts or declines, every
accepted creator is credited and may edit; refusals change nothing."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from stories import creators, services
from stories.blocking.models import Block
from stories.blocking.services import user_block, user_mute
from stories.creators import CreatorshipRefused
from stories.models import Comment, Creatorship, CreatorshipStatus, Work
from stories.subscriptions.models import Notification, Subscription
from tests.factories import UserFactory, make_work
from tests.pages import admin_work_form, text, titles, words
from tests.stories.test_query_counts import LISTING_QUERY_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def cowriter(db):
    return UserFactory(username="inkblot")


@pytest.fixture
def invitation(work, author, cowriter):
    return creators.work_invite_creator(work=work, user=cowriter, invited_by=author)


@pytest.fixture
def cowritten(work, invitation, cowriter):
    creators.creatorship_accept(creatorship=invitation, user=cowriter)
    work.refresh_from_db()
    return work


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def credited(work):
    return [user.username for user in Work.objects.get(pk=work.pk).creators]


def creators_url(work):
    return reverse("stories:work_creators", args=[work.pk])


def remove_url(work, user):
    return reverse("stories:work_creator_remove", args=[work.pk, user.pk])


def bylines(response):
    """Return the bylines on a page as readers read them: "by a, b"."""
    links = re.findall(
        # "archived by" sits in its own span before an archived work's links.
        r"by(?:</span>)? ((?:<a href=\"[^\"]*/users/[^\"]+\"[^>]*>[^<]+</a>(?:, )?)+)",
        text(response),
    )
    return ["by " + ", ".join(re.findall(r">([^<]+)</a>", found)) for found in links]


def statuses(work):
    return dict(
        Creatorship.objects.filter(work=work).values_list("user__username", "status")
    )


# The model and the services.


def test_a_new_work_credits_its_owner_alone(work, author):
    assert credited(work) == [author.username]
    assert work.creator_ids == [author.pk]


def test_an_invitation_credits_nobody_until_it_is_accepted(
    work, author, cowriter, invitation
):
    assert invitation.status == CreatorshipStatus.INVITED
    assert invitation.invited_by == author
    assert credited(work) == [author.username]
    assert not Work.objects.get(pk=work.pk).is_editable_by(cowriter)


def test_accepting_credits_the_invitee_after_the_owner(
    work, author, cowriter, invitation
):
    creators.creatorship_accept(creatorship=invitation, user=cowriter)

    assert credited(work) == [author.username, cowriter.username]
    assert Work.objects.get(pk=work.pk).is_editable_by(cowriter)
    assert list(Work.objects.created_by(cowriter)) == [work]


def test_declining_forgets_the_invitation(work, author, cowriter, invitation):
    creators.creatorship_decline(creatorship=invitation, user=cowriter)

    assert statuses(work) == {author.username: CreatorshipStatus.ACCEPTED}
    # Declined, they may be invited again.
    creators.work_invite_creator(work=work, user=cowriter, invited_by=author)
    assert statuses(work)[cowriter.username] == CreatorshipStatus.INVITED


def test_a_creator_may_leave(cowritten, author, cowriter):
    creators.work_remove_creator(work=cowritten, user=cowriter, removed_by=cowriter)

    assert credited(cowritten) == [author.username]
    assert not Work.objects.get(pk=cowritten.pk).is_editable_by(cowriter)


def test_the_owner_may_remove_a_creator(cowritten, author, cowriter):
    creators.work_remove_creator(work=cowritten, user=cowriter, removed_by=author)

    assert credited(cowritten) == [author.username]


def test_the_owner_cannot_leave_or_be_removed(cowritten, author, cowriter, staff):
    for remover in (author, cowriter, staff):
        with pytest.raises(CreatorshipRefused, match="cannot leave"):
            creators.work_remove_creator(
                work=cowritten, user=author, removed_by=remover
            )
    assert credited(cowritten) == [author.username, cowriter.username]


def test_a_creator_cannot_remove_another(cowritten, author, cowriter):
    third = UserFactory(username="thirdhand")
    invitation = creators.work_invite_creator(
        work=cowritten, user=third, invited_by=author
    )
    creators.creatorship_accept(creatorship=invitation, user=third)

    with pytest.raises(CreatorshipRefused, match="Only the work's owner"):
        creators.work_remove_creator(work=cowritten, user=third, removed_by=cowriter)
    assert credited(cowritten) == [author.username, cowriter.username, third.username]


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("author", "You cannot invite yourself."),
        ("cowriter_again", "inkblot has already been invited to this work."),
        ("cowriter_accepted", "inkblot is already a creator of this work."),
        ("blocked", "inkblot does not accept invitations from you."),
        ("by_cowriter", "Only the work's owner can invite creators."),
        ("by_stranger", "Only the work's owner can invite creators."),
    ],
)
def test_each_refused_invitation_stores_nothing(work, author, cowriter, who, refusal):
    invitee, inviter = cowriter, author
    if who == "author":
        invitee = author
    elif who == "cowriter_again":
        creators.work_invite_creator(work=work, user=cowriter, invited_by=author)
    elif who == "cowriter_accepted":
        invitation = creators.work_invite_creator(
            work=work, user=cowriter, invited_by=author
        )
        creators.creatorship_accept(creatorship=invitation, user=cowriter)
    elif who == "blocked":
        Block.objects.create(blocker=cowriter, blocked=author)
    elif who == "by_cowriter":
        invitation = creators.work_invite_creator(
            work=work, user=cowriter, invited_by=author
        )
        creators.creatorship_accept(creatorship=invitation, user=cowriter)
        invitee, inviter = UserFactory(username="newcomer"), cowriter
    else:
        invitee, inviter = UserFactory(username="newcomer"), UserFactory()
    before = statuses(work)

    with pytest.raises(CreatorshipRefused) as refused:
        creators.work_invite_creator(work=work, user=invitee, invited_by=inviter)

    assert str(refused.value) == refusal
    assert statuses(work) == before


def test_a_block_the_other_way_round_does_not_stop_an_invitation(
    work, author, cowriter
):
    Block.objects.create(blocker=author, blocked=cowriter)

    creators.work_invite_creator(work=work, user=cowriter, invited_by=author)

    assert statuses(work)[cowriter.username] == CreatorshipStatus.INVITED


def test_nobody_but_the_invitee_answers_an_invitation(
    work, author, cowriter, invitation
):
    for other in (author, UserFactory()):
        with pytest.raises(CreatorshipRefused):
            creators.creatorship_accept(creatorship=invitation, user=other)
        with pytest.raises(CreatorshipRefused):
            creators.creatorship_decline(creatorship=invitation, user=other)
    assert statuses(work)[cowriter.username] == CreatorshipStatus.INVITED


class MigrationEditor:
    """What the data migration asks of a schema editor, on the test's connection."""

    quote_name = staticmethod(connection.ops.quote_name)

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_credits_every_existing_owner(work, author):
    Creatorship.objects.all().delete()
    migration = importlib.import_module("stories.migrations.0010_creatorship")

    migration.credit_owners(apps, MigrationEditor())

    (creatorship,) = Creatorship.objects.all()
    assert (creatorship.work, creatorship.user) == (work, author)
    assert (creatorship.status, creatorship.position) == ("accepted", 0)


# The pages: who may see and do what.


def test_the_creators_page_is_for_creators_alone(client, work, author, cowriter):
    url = creators_url(work)

    assert client.get(url).status_code == 302
    assert signed_in(UserFactory()).get(url).status_code == 404
    assert signed_in(cowriter).get(url).status_code == 404
    page = signed_in(author).get(url)
    assert page.status_code == 200
    assert "Invite a creator" in text(page)


def test_the_works_actions_link_its_creators_page(author_client, work):
    page = author_client.get(work.get_absolute_url())

    assert creators_url(work) in page.content.decode()


def test_the_owner_invites_by_user_name(author_client, work, cowriter):
    response = author_client.post(
        creators_url(work), {"username": "inkblot"}, follow=True
    )

    assert "inkblot is invited. They are credited once they accept." in words(response)
    assert "Invited, not answered yet" in words(response)
    assert statuses(work)[cowriter.username] == CreatorshipStatus.INVITED


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("nobody-at-all", "No user is called “nobody-at-all”."),
        ("quillfeather", "You cannot invite yourself."),
        ("inkblot", "inkblot does not accept invitations from you."),
    ],
)
def test_a_refused_invitation_says_why_on_the_page(
    author_client, work, author, cowriter, name, refusal
):
    Block.objects.create(blocker=cowriter, blocked=author)
    before = statuses(work)

    response = author_client.post(creators_url(work), {"username": name})

    assert response.status_code == 400
    assert refusal in words(response)
    assert statuses(work) == before


def test_inviting_twice_says_so(author_client, work, invitation):
    response = author_client.post(creators_url(work), {"username": "inkblot"})

    assert "inkblot has already been invited to this work." in words(response)
    assert Creatorship.objects.filter(work=work).count() == 2


def test_a_creator_who_is_not_the_owner_cannot_invite(cowritten, cowriter):
    client = signed_in(cowriter)
    page = client.get(creators_url(cowritten))
    assert "Invite a creator" not in text(page)

    UserFactory(username="newcomer")
    response = client.post(
        creators_url(cowritten), {"username": "newcomer"}, follow=True
    )

    assert "Only the work's owner can invite creators." in words(response)
    assert not Creatorship.objects.filter(user__username="newcomer").exists()


def test_a_stranger_cannot_invite(client, work):
    stranger = signed_in(UserFactory())
    UserFactory(username="newcomer")

    assert (
        stranger.post(creators_url(work), {"username": "newcomer"}).status_code == 404
    )
    assert client.post(creators_url(work), {"username": "newcomer"}).status_code == 302
    assert not Creatorship.objects.filter(user__username="newcomer").exists()


def test_the_invitee_sees_and_accepts_their_invitation(
    work, author, cowriter, invitation, django_capture_on_commit_callbacks
):
    client = signed_in(cowriter)
    profile = client.get(cowriter.get_absolute_url())
    url = reverse("stories:invitation_list", args=[cowriter.username])
    assert url in profile.content.decode()
    assert "Invitations to be a creator (1)" in words(profile)
    page = client.get(url)
    assert work.title in words(page)
    assert "invited by quillfeather" in words(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stories:invitation_accept", args=[invitation.pk]), follow=True
        )

    assert f"You are now a creator of “{work.title}”." in words(response)
    assert "by quillfeather, inkblot" in bylines(response)
    assert credited(work) == [author.username, cowriter.username]


def test_the_invitee_declines(work, author, cowriter, invitation):
    client = signed_in(cowriter)

    response = client.post(
        reverse("stories:invitation_decline", args=[invitation.pk]), follow=True
    )

    assert f"You declined to be a creator of “{work.title}”." in words(response)
    assert "You have no invitations waiting." in words(response)
    assert statuses(work) == {author.username: CreatorshipStatus.ACCEPTED}


def test_invitations_are_the_invitees_alone(client, work, author, cowriter, invitation):
    url = reverse("stories:invitation_list", args=[cowriter.username])
    accept = reverse("stories:invitation_accept", args=[invitation.pk])
    decline = reverse("stories:invitation_decline", args=[invitation.pk])

    assert client.get(url).status_code == 302
    assert client.post(accept).status_code == 302
    assert client.post(decline).status_code == 302
    for other in (author, UserFactory()):
        other_client = signed_in(other)
        assert other_client.get(url).status_code == 404
        assert other_client.post(accept).status_code == 404
        assert other_client.post(decline).status_code == 404
    assert "Invitations to be a creator" not in words(
        signed_in(author).get(cowriter.get_absolute_url())
    )
    assert statuses(work)[cowriter.username] == CreatorshipStatus.INVITED


def test_answering_takes_a_post(work, cowriter, invitation):
    accept = reverse("stories:invitation_accept", args=[invitation.pk])

    assert signed_in(cowriter).get(accept).status_code == 405
    assert statuses(work)[cowriter.username] == CreatorshipStatus.INVITED


def test_the_owner_removes_a_creator_from_the_page(
    author_client, cowritten, author, cowriter
):
    response = author_client.post(remove_url(cowritten, cowriter), follow=True)

    assert "inkblot is no longer a creator of this work." in words(response)
    assert credited(cowritten) == [author.username]


def test_the_owner_withdraws_an_invitation(author_client, work, author, invitation):
    response = author_client.post(remove_url(work, invitation.user), follow=True)

    assert "The invitation to inkblot was withdrawn." in words(response)
    assert statuses(work) == {author.username: CreatorshipStatus.ACCEPTED}


def test_a_creator_leaves_from_the_page(cowritten, author, cowriter):
    client = signed_in(cowriter)
    page = client.get(creators_url(cowritten))
    assert "Leave this work" in words(page)

    response = client.post(remove_url(cowritten, cowriter), follow=True)

    assert f"You left “{cowritten.title}”." in words(response)
    assert credited(cowritten) == [author.username]


def test_removing_is_refused_to_everyone_else(client, cowritten, author, cowriter):
    assert client.post(remove_url(cowritten, cowriter)).status_code == 302
    stranger = signed_in(UserFactory())
    assert stranger.post(remove_url(cowritten, cowriter)).status_code == 404
    response = signed_in(cowriter).post(remove_url(cowritten, author), follow=True)
    assert "The owner of a work cannot leave it" in words(response)
    assert credited(cowritten) == [author.username, cowriter.username]


# Editing.


def edit_urls(work):
    chapter = work.chapters.get()
    return [
        reverse("stories:work_edit", args=[work.pk]),
        reverse("stories:chapter_create", args=[work.pk]),
        reverse("stories:chapter_edit", args=[work.pk, chapter.pk]),
        reverse("stories:chapter_reorder", args=[work.pk]),
    ]


def test_an_invitee_cannot_edit_until_they_accept(work, cowriter, invitation):
    client = signed_in(cowriter)
    for url in edit_urls(work):
        assert client.get(url).status_code == 404, url

    creators.creatorship_accept(creatorship=invitation, user=cowriter)

    for url in edit_urls(work):
        assert client.get(url).status_code == 200, url


def test_a_creator_edits_the_work_and_its_chapters(cowritten, cowriter):
    client = signed_in(cowriter)
    chapter = cowritten.chapters.get()
    page = client.get(cowritten.get_absolute_url())
    assert "Edit work" in words(page)
    assert "Delete work" not in words(page)

    client.post(
        reverse("stories:chapter_create", args=[cowritten.pk]),
        {"body": "A second chapter, by the co-creator.", "action": "post"},
    )
    client.post(
        reverse("stories:chapter_edit", args=[cowritten.pk, chapter.pk]),
        {"number": 1, "body": "The first chapter, rewritten."},
    )

    assert cowritten.chapters.count() == 2
    chapter.refresh_from_db()
    assert "rewritten" in chapter.body


def test_a_creator_may_not_delete_the_work(cowritten, cowriter):
    url = reverse("stories:work_delete", args=[cowritten.pk])
    client = signed_in(cowriter)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Work.objects.filter(pk=cowritten.pk).exists()


def test_a_creator_sees_and_edits_a_draft(author, cowriter):
    draft = make_work(owner=author, title="Unfinished", post=False)
    invitation = creators.work_invite_creator(
        work=draft, user=cowriter, invited_by=author
    )
    client = signed_in(cowriter)
    assert client.get(draft.get_absolute_url()).status_code == 404

    creators.creatorship_accept(creatorship=invitation, user=cowriter)

    assert client.get(draft.get_absolute_url()).status_code == 200
    profile = client.get(cowriter.get_absolute_url())
    assert titles(profile) == ["Unfinished"]
    client.post(reverse("stories:work_post", args=[draft.pk]))
    assert Work.objects.get(pk=draft.pk).is_posted


def test_a_creator_may_delete_comments_on_the_work(cowritten, cowriter, reader):
    comment = services.comment_post(
        chapter=cowritten.chapters.get(), user=reader, body="Hello"
    )
    page = signed_in(cowriter).get(cowritten.get_absolute_url())
    assert reverse("stories:comment_delete", args=[comment.pk]) in (
        page.content.decode()
    )

    signed_in(cowriter).post(reverse("stories:comment_delete", args=[comment.pk]))

    assert not Comment.objects.filter(pk=comment.pk).exists()


# What readers see.


def test_bylines_name_every_creator(client, cowritten, author, cowriter):
    for url in (
        cowritten.get_absolute_url(),
        reverse("stories:work_list"),
        author.get_absolute_url(),
        cowriter.get_absolute_url(),
        f"{cowritten.get_absolute_url()}?view_full_work=true",
    ):
        page = client.get(url)
        assert "by quillfeather, inkblot" in bylines(page), url
        assert cowriter.get_absolute_url() in page.content.decode(), url


def test_an_archived_works_creators_are_all_archivists(author, cowriter):
    work = make_work(owner=author, creator_credit="OldFicWriter")
    invitation = creators.work_invite_creator(
        work=work, user=cowriter, invited_by=author
    )
    creators.creatorship_accept(creatorship=invitation, user=cowriter)

    page = Client().get(work.get_absolute_url())

    assert "by OldFicWriter (archived by quillfeather" in words(page)
    assert bylines(page) == ["by quillfeather, inkblot"]


def test_the_feed_names_every_creator(client, cowritten):
    response = client.get(reverse("stories:tag_feed", args=["original-work"]))

    assert "quillfeather, inkblot" in words(response)


def test_the_co_creators_profile_lists_the_work(client, cowritten, cowriter):
    assert titles(client.get(cowriter.get_absolute_url())) == [cowritten.title]


def test_a_pending_invitation_lists_nothing_on_the_invitees_profile(
    client, work, cowriter, invitation
):
    assert titles(client.get(cowriter.get_absolute_url())) == []
    assert "inkblot" not in words(client.get(work.get_absolute_url()))


def test_a_muted_co_creator_hides_the_work(cowritten, cowriter, reader):
    other = make_work(owner=UserFactory(), title="Someone Else's")
    user_mute(muter=reader, muted=cowriter)
    client = signed_in(reader)

    assert titles(client.get(reverse("stories:work_list"))) == [other.title]
    assert titles(client.get(reverse("stories:home"))) == [other.title]
    search = client.get(reverse("stories:work_search"), {"q": "lanterns"})
    assert cowritten.title not in titles(search)


def test_the_hide_page_offers_every_creator(cowritten, reader, cowriter):
    client = signed_in(reader)
    url = reverse("stories:work_hide", args=[cowritten.pk])
    assert "Mute inkblot: every work, bookmark and comment by them" in words(
        client.get(url)
    )

    client.post(url, {"creator_id": [cowriter.pk]})

    assert titles(client.get(reverse("stories:work_list"))) == []


def test_search_finds_a_work_by_any_creators_name(
    client, cowritten, cowriter, django_capture_on_commit_callbacks
):
    found = client.get(reverse("stories:work_search"), {"q": "inkblot"})
    assert titles(found) == [cowritten.title]

    with django_capture_on_commit_callbacks(execute=True):
        creators.work_remove_creator(work=cowritten, user=cowriter, removed_by=cowriter)

    gone = client.get(reverse("stories:work_search"), {"q": "inkblot"})
    assert titles(gone) == []


# Caching: the pages that show creators follow every change.


def test_the_co_creators_profile_follows_accepting_and_edits(
    work, author, cowriter, invitation, django_capture_on_commit_callbacks
):
    guest, reader = Client(), signed_in(UserFactory())
    profile = cowriter.get_absolute_url()
    for client in (guest, reader):
        assert titles(client.get(profile)) == []

    with django_capture_on_commit_callbacks(execute=True):
        signed_in(cowriter).post(
            reverse("stories:invitation_accept", args=[invitation.pk])
        )

    for client in (guest, reader):
        assert titles(client.get(profile)) == [work.title]
        assert "by quillfeather, inkblot" in bylines(
            client.get(work.get_absolute_url())
        )

    with django_capture_on_commit_callbacks(execute=True):
        services.work_update(
            work=Work.objects.get(pk=work.pk),
            tags={"fandom": ["Original Work"]},
            warnings=["No Archive Warnings Apply"],
            title="The Lantern Keepers",
        )

    for client in (guest, reader):
        assert titles(client.get(profile)) == ["The Lantern Keepers"]


def test_leaving_takes_the_work_off_the_profile_and_byline(
    cowritten, cowriter, django_capture_on_commit_callbacks
):
    guest = Client()
    assert titles(guest.get(cowriter.get_absolute_url())) == [cowritten.title]
    guest.get(reverse("stories:work_list"))

    with django_capture_on_commit_callbacks(execute=True):
        signed_in(cowriter).post(remove_url(cowritten, cowriter))

    assert titles(guest.get(cowriter.get_absolute_url())) == []
    assert "inkblot" not in words(guest.get(reverse("stories:work_list")))
    assert "inkblot" not in words(guest.get(cowritten.get_absolute_url()))


def test_an_edit_by_a_co_creator_updates_the_owners_profile(
    cowritten, author, cowriter, django_capture_on_commit_callbacks
):
    guest = Client()
    assert titles(guest.get(author.get_absolute_url())) == [cowritten.title]

    with django_capture_on_commit_callbacks(execute=True):
        signed_in(cowriter).post(
            reverse("stories:work_edit", args=[cowritten.pk]),
            {
                "title": "Renamed By Inkblot",
                "rating": cowritten.rating,
                "language": "en",
                "fandoms": "Original Work",
                "warnings": ["No Archive Warnings Apply"],
            },
        )

    assert titles(guest.get(author.get_absolute_url())) == ["Renamed By Inkblot"]


def test_deleting_a_work_takes_it_off_every_creators_profile(
    cowritten, author, cowriter, django_capture_on_commit_callbacks
):
    guest = Client()
    assert titles(guest.get(cowriter.get_absolute_url())) == [cowritten.title]

    with django_capture_on_commit_callbacks(execute=True):
        signed_in(author).post(reverse("stories:work_delete", args=[cowritten.pk]))

    assert titles(guest.get(cowriter.get_absolute_url())) == []


# Query counts: bylines are prefetched, one query for any number of works.


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("as_reader", [False, True])
def test_listings_of_co_created_works_run_few_queries(
    client, author, cowriter, django_assert_max_num_queries, count, as_reader
):
    for number in range(count):
        work = make_work(owner=author, title=f"Work {number}")
        invitation = creators.work_invite_creator(
            work=work, user=cowriter, invited_by=author
        )
        creators.creatorship_accept(creatorship=invitation, user=cowriter)
    if as_reader:
        client.force_login(UserFactory())
    urls = [
        reverse("stories:home"),
        reverse("stories:work_list"),
        reverse("stories:work_list") + "?sort=title",
        cowriter.get_absolute_url(),
        author.get_absolute_url(),
        reverse("stories:work_search") + "?q=inkblot",
    ]
    for url in urls:
        with django_assert_max_num_queries(LISTING_QUERY_LIMIT):
            response = client.get(url)
        assert response.status_code == 200, url
        assert "by quillfeather, inkblot" in bylines(response), url
    assert len(titles(client.get(cowriter.get_absolute_url()))) == min(count, 20)


# The admin.


def test_staff_invite_and_remove_creators_in_the_admin(
    staff_client, work, author, cowriter
):
    url = reverse("admin:stories_work_change", args=[work.pk])
    data = admin_work_form(work)
    total = data["creatorships-TOTAL_FORMS"]
    data.update(
        {
            "creatorships-TOTAL_FORMS": total + 1,
            f"creatorships-{total}-work": work.pk,
            f"creatorships-{total}-user": cowriter.pk,
        }
    )

    assert staff_client.post(url, data).status_code == 302
    assert statuses(work)[cowriter.username] == CreatorshipStatus.INVITED

    creators.creatorship_accept(
        creatorship=Creatorship.objects.get(user=cowriter), user=cowriter
    )
    data = admin_work_form(work)
    data["creatorships-1-DELETE"] = "on"
    assert staff_client.post(url, data).status_code == 302
    assert credited(work) == [author.username]


def test_the_admin_refuses_a_blocked_invitation(staff_client, work, author, cowriter):
    Block.objects.create(blocker=cowriter, blocked=author)
    data = admin_work_form(work)
    total = data["creatorships-TOTAL_FORMS"]
    data.update(
        {
            "creatorships-TOTAL_FORMS": total + 1,
            f"creatorships-{total}-work": work.pk,
            f"creatorships-{total}-user": cowriter.pk,
        }
    )

    response = staff_client.post(
        reverse("admin:stories_work_change", args=[work.pk]), data
    )

    assert response.status_code == 200
    assert "inkblot does not accept invitations from you." in words(response)
    assert cowriter.username not in statuses(work)


# What the reader loop asks of every creator, not only the owner.


def test_a_co_creator_leaves_no_kudos_on_the_work(cowritten, cowriter):
    response = signed_in(cowriter).post(
        reverse("engagement:kudos_create", args=[cowritten.pk]), follow=True
    )
    assert "You can't leave kudos on your own work." in words(response)
    assert Work.objects.get(pk=cowritten.pk).kudos_count == 0


def test_a_co_creator_is_offered_no_subscription_to_the_work(cowritten, cowriter):
    page = signed_in(cowriter).get(cowritten.get_absolute_url())
    assert "Subscribe" not in words(page)
    assert "Subscribe" in words(
        signed_in(UserFactory()).get(cowritten.get_absolute_url())
    )


def test_a_co_creator_adds_the_work_to_a_series_of_their_own(cowritten, cowriter):
    response = signed_in(cowriter).post(
        reverse("series:work_add_to_series", args=[cowritten.pk]),
        {"title": "Ink and Lanterns"},
    )
    assert response.status_code == 302
    series = cowriter.series.get()
    assert series.title == "Ink and Lanterns"
    assert list(series.works.all()) == [cowritten]


def test_a_co_creators_subscribers_hear_of_the_new_chapter(
    cowritten, cowriter, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    Subscription.objects.create(user=follower, creator=cowriter)
    with django_capture_on_commit_callbacks(execute=True):
        services.chapter_create(
            work=cowritten,
            text=services.ChapterText(body="<p>More.</p>", title="Two"),
        )
    assert Notification.objects.filter(user=follower, work=cowritten).count() == 1


def test_a_co_creators_block_stops_comments_on_the_work(cowritten, cowriter):
    blocked = UserFactory()
    user_block(blocker=cowriter, blocked=blocked)
    chapter = cowritten.chapters.get()
    with pytest.raises(services.CommentBlocked, match="inkblot has blocked you"):
        services.comment_post(chapter=chapter, user=blocked, body="Hello")
    page = signed_in(blocked).get(chapter.get_absolute_url())
    assert "inkblot has blocked you, so you can't comment on their works." in words(
        page
    )
    assert not Comment.objects.filter(user=blocked).exists()
