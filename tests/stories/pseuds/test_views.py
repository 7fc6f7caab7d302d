"""Pseuds as people meet them: their pages, the forms that change them, the
post form's choice of pseuds, and bylines everywhere a work is shown."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from stories import creators
from stories.downloads.addresses import download_url
from stories.models import Chapter, Creatorship, CreatorshipStatus, Work
from stories.pseuds import services
from stories.pseuds.models import Pseud
from tests.factories import SEED_CHAPTER, UserFactory, make_work
from tests.pages import page_of, text, titles, words
from tests.stories.test_authoring import work_form_data

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def list_url(user):
    return reverse("pseuds:pseud_list", args=[user.username])


def edit_url(pseud):
    return reverse("pseuds:pseud_edit", args=[pseud.user.username, pseud.name])


def delete_url(pseud):
    return reverse("pseuds:pseud_delete", args=[pseud.user.username, pseud.name])


@pytest.fixture
def gull(author):
    return services.pseud_create(user=author, name="Gull", description="<p>Sea</p>")


# The pages of pseuds


def test_anyone_sees_a_persons_pseuds_and_only_they_may_change_them(
    client, author, gull, reader_client
):
    for who in (client, reader_client):
        response = who.get(list_url(author))
        assert response.status_code == 200
        assert "Gull" in text(response)
        assert edit_url(gull) not in response.content.decode()
    own = signed_in(author).get(list_url(author)).content.decode()
    assert edit_url(gull) in own
    assert delete_url(gull) in own
    default = services.default_pseud_of(author)
    assert delete_url(default) not in own, "the default is not offered to delete"


def test_a_pseuds_page_lists_only_the_works_credited_to_it(client, author, gull):
    make_work(owner=author, title="Under Gull", pseuds=[gull])
    make_work(owner=author, title="Under the default")
    page = client.get(gull.get_absolute_url())
    assert page.status_code == 200
    assert titles(page) == ["Under Gull"]
    assert f"Gull ({author.username})" in text(page)
    assert "<p>Sea</p>" in page.content.decode()
    assert titles(client.get(author.get_absolute_url())) == [
        "Under the default",
        "Under Gull",
    ]
    # The address is AO3's, any case of the name.
    address = reverse("stories:pseud_detail", args=[author.username, "gULL"])
    assert titles(client.get(address)) == ["Under Gull"]


def test_adding_a_pseud(author):
    response = signed_in(author).post(
        reverse("pseuds:pseud_create", args=[author.username]),
        {"name": "  Heron  Blue ", "description": "<b>Hi</b><script>x</script>"},
    )
    assert response.status_code == 302
    pseud = Pseud.objects.get(user=author, name="Heron Blue")
    assert pseud.description == "<b>Hi</b>"
    assert not pseud.is_default


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("Gull", "You already have a pseud called “Gull”."),
        ("gULL", "You already have a pseud called “gULL”."),
        ("<b>Gull</b>", "may only hold letters, numbers, spaces"),
        ("___", "with at least one letter or number"),
        ("x" * 41, "at most 40 characters"),
        ("Bad\u0007Bell", "control character"),
    ],
)
def test_a_bad_name_is_refused_with_a_clear_message(author, gull, name, message):
    before = list(Pseud.objects.values_list("pk", "name"))
    response = signed_in(author).post(
        reverse("pseuds:pseud_create", args=[author.username]),
        {"name": name, "description": ""},
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert list(Pseud.objects.values_list("pk", "name")) == before


def test_renaming_and_describing_a_pseud(author, gull):
    work = make_work(owner=author, pseuds=[gull])
    client = signed_in(author)
    response = client.post(edit_url(gull), {"name": "Tern", "description": "Terns"})
    assert response.status_code == 302
    gull.refresh_from_db()
    assert (gull.name, gull.description) == ("Tern", "Terns")
    page = client.get(work.get_absolute_url())
    assert f"Tern ({author.username})" in text(page)


def test_renaming_to_a_taken_name_changes_nothing(author, gull):
    services.pseud_create(user=author, name="Tern")
    response = signed_in(author).post(
        edit_url(gull), {"name": "tern", "description": "x"}
    )
    assert response.status_code == 400
    assert "You already have a pseud called" in response.content.decode()
    gull.refresh_from_db()
    assert (gull.name, gull.description) == ("Gull", "<p>Sea</p>")


def test_deleting_a_pseud_after_confirming_moves_its_works(author, gull):
    work = make_work(owner=author, pseuds=[gull])
    client = signed_in(author)
    confirm = client.get(delete_url(gull))
    assert "Its 1 work moves to your default pseud." in text(confirm)
    assert Pseud.objects.filter(pk=gull.pk).exists()
    response = client.post(delete_url(gull))
    assert response.status_code == 302
    assert not Pseud.objects.filter(pk=gull.pk).exists()
    assert Creatorship.objects.get(work=work).pseud == services.default_pseud_of(author)


def test_the_default_pseud_is_not_deleted(author):
    default = services.default_pseud_of(author)
    response = signed_in(author).post(delete_url(default), follow=True)
    assert "Your default pseud cannot be deleted." in text(response)
    assert Pseud.objects.filter(pk=default.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_pseud_is_not_found_and_nothing_changes(
    author, gull, reader, method
):
    before = list(Pseud.objects.values_list("pk", "name", "description"))
    intruder = signed_in(reader)
    addresses = [
        (edit_url(gull), {"name": "Stolen", "description": "x"}),
        (delete_url(gull), {}),
        (reverse("pseuds:pseud_create", args=[author.username]), {"name": "Mine"}),
        # Their own address with the other's pseud name is not theirs either.
        (
            reverse("pseuds:pseud_edit", args=[reader.username, "Gull"]),
            {"name": "Stolen", "description": ""},
        ),
    ]
    for url, data in addresses:
        response = getattr(intruder, method)(url, data)
        assert response.status_code == 404, url
    assert list(Pseud.objects.values_list("pk", "name", "description")) == before


def test_guests_are_asked_to_sign_in_to_change_pseuds(client, author, gull):
    for url in (
        edit_url(gull),
        delete_url(gull),
        reverse("pseuds:pseud_create", args=[author.username]),
    ):
        response = client.post(url, {"name": "Guest"})
        assert response.status_code == 302
        assert reverse("login") in response.url
    assert Pseud.objects.filter(user=author).count() == 2


# Posting under pseuds


def test_the_post_form_offers_the_posters_pseuds_with_the_default_chosen(
    author_client, author, gull, reader
):
    services.pseud_create(user=reader, name="Not Theirs")
    form = author_client.get(reverse("stories:work_create")).context["work_form"]
    field = form["pseuds"]
    assert [pseud.name for pseud in field.field.queryset] == [author.username, "Gull"]
    assert field.value() == [services.default_pseud_of(author).pk]


def test_a_work_is_posted_under_the_pseuds_chosen(author_client, author, gull):
    default = services.default_pseud_of(author)
    response = author_client.post(
        reverse("stories:work_create"), work_form_data(pseuds=[gull.pk, default.pk])
    )
    work = Work.objects.get()
    assert response.url == work.get_absolute_url()
    # In the order the form lists them: the default first.
    assert [pseud.pk for pseud in work.credited_pseuds] == [default.pk, gull.pk]
    links = page_of(author_client, work.get_absolute_url()).cssselect("a[rel=author]")
    assert [a.text_content() for a in links] == [
        author.username,
        f"Gull ({author.username})",
    ]


def test_posting_under_someone_elses_pseud_is_refused(author_client, reader):
    theirs = services.default_pseud_of(reader)
    response = author_client.post(
        reverse("stories:work_create"), work_form_data(pseuds=[theirs.pk])
    )
    assert response.status_code == 200
    assert "Choose among your own pseuds." in response.content.decode()
    assert not Work.objects.exists()


def test_editing_a_work_changes_the_editors_pseuds(author_client, author, gull):
    work = make_work(owner=author)
    form = author_client.get(reverse("stories:work_edit", args=[work.pk])).context[
        "work_form"
    ]
    assert form["pseuds"].value() == [services.default_pseud_of(author).pk]
    author_client.post(
        reverse("stories:work_edit", args=[work.pk]),
        work_form_data(title=work.title, pseuds=[gull.pk]),
    )
    assert [pseud.pk for pseud in Work.objects.get(pk=work.pk).credited_pseuds] == [
        gull.pk
    ]
    assert Creatorship.objects.get(work=work).position == 0


def test_an_invitee_accepts_under_the_pseud_they_choose(author, reader):
    work = make_work(owner=author)
    quill = services.pseud_create(user=reader, name="Quill")
    invitation = creators.work_invite_creator(work=work, user=reader, invited_by=author)
    client = signed_in(reader)
    page = client.get(reverse("stories:invitation_list", args=[reader.username]))
    assert 'name="pseud"' in page.content.decode()
    accept = reverse("stories:invitation_accept", args=[invitation.pk])
    refused = client.post(accept, {"pseud": services.default_pseud_of(author).pk})
    assert refused.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == CreatorshipStatus.INVITED
    client.post(accept, {"pseud": quill.pk})
    invitation.refresh_from_db()
    assert (invitation.status, invitation.pseud) == (CreatorshipStatus.ACCEPTED, quill)


# Bylines


def test_bylines_name_the_pseud_everywhere_a_work_is_shown(client, author, gull):
    work = make_work(owner=author, pseuds=[gull], fandoms=["Harbour Lights (TV)"])
    chapter = Chapter.objects.get(work=work)
    byline = f"Gull ({author.username})"
    address = reverse("stories:pseud_detail", args=[author.username, "Gull"])
    for url in (
        work.get_absolute_url(),
        chapter.get_absolute_url(),
        reverse("stories:work_list"),
        reverse("stories:work_navigate", args=[work.pk]),
    ):
        links = page_of(client, url).cssselect("a[rel=author]")
        assert [(a.get("href"), a.text_content()) for a in links] == [
            (address, byline)
        ], url
    response = client.get(download_url(work, "html"))
    download = b"".join(response.streaming_content).decode()
    assert f'{address}">{byline}</a>' in download
    opds = client.get(reverse("opds:work_list")).content.decode()
    assert f"<name>{byline}</name>" in opds
    assert address in opds
    data = APIClient().get(reverse("api:work_detail", kwargs={"pk": work.pk})).json()
    assert data["byline"] == byline
    assert data["pseuds"][0]["name"] == "Gull"
    assert data["pseuds"][0]["username"] == author.username
    assert data["pseuds"][0]["url"].endswith(address)


def test_a_byline_by_the_default_pseud_is_the_persons_name(client, author):
    work = make_work(owner=author)
    links = page_of(client, work.get_absolute_url()).cssselect("a[rel=author]")
    assert [a.text_content() for a in links] == [author.username]
    assert links[0].get("href") == reverse(
        "stories:pseud_detail", args=[author.username, author.username]
    )


# Uploads: the file's byline


def upload_seed(client, **data):
    if not SEED_CHAPTER.exists():
        pytest.skip(f"the seed chapter is not at {SEED_CHAPTER}")
    upload = SimpleUploadedFile(
        "seed.txt", SEED_CHAPTER.read_bytes(), content_type="text/plain"
    )
    return client.post(
        reverse("stories:work_create"),
        work_form_data(title="", body="", fandoms="InuYasha", upload=upload, **data),
    )


def post_confirmed(client, confirm):
    form = confirm.context["work_form"]
    chapter_form = confirm.context["chapter_form"]
    data = work_form_data(
        title=form.initial["title"],
        creator_credit=form.initial["creator_credit"],
        pseuds=form["pseuds"].value(),
        fandoms="InuYasha",
        number=chapter_form.initial["number"],
        chapter_title=chapter_form.initial["chapter_title"],
        body=chapter_form.initial["body"],
    )
    return client.post(reverse("stories:work_create"), data)


def test_an_author_uploading_their_own_chapter_is_credited_under_its_pseud():
    author = UserFactory(username="miz")
    dragon = services.pseud_create(user=author, name="Miztikal-Dragon")
    client = signed_in(author)
    confirm = upload_seed(client)
    form = confirm.context["work_form"]
    assert form.initial["creator_credit"] == ""
    assert form["pseuds"].value() == [dragon.pk]
    assert "The byline names you (Miztikal-Dragon)" in confirm.content.decode()

    post_confirmed(client, confirm)
    work = Work.objects.get()
    assert work.creator_credit == ""
    assert [pseud.pk for pseud in work.credited_pseuds] == [dragon.pk]
    page = words(client.get(work.get_absolute_url()))
    assert "archived by" not in page
    assert "by Miztikal-Dragon (miz)" in page


def test_an_author_whose_user_name_is_the_byline_is_credited_as_themself():
    author = UserFactory(username="miztikal_dragon")
    confirm = upload_seed(signed_in(author))
    form = confirm.context["work_form"]
    assert form.initial["creator_credit"] == ""
    assert form["pseuds"].value() == [services.default_pseud_of(author).pk]


def test_a_byline_naming_someone_else_becomes_the_original_creator(author_client):
    confirm = upload_seed(author_client)
    form = confirm.context["work_form"]
    assert form.initial["creator_credit"] == "Miztikal-Dragon"
    content = confirm.content.decode()
    assert (
        "This will show the work as archived by you for Miztikal-Dragon; "
        "leave empty if you wrote it." in content
    )
    assert "who is none of your pseuds" in content
    post_confirmed(author_client, confirm)
    work = Work.objects.get()
    assert work.creator_credit == "Miztikal-Dragon"
    assert "(archived by" in text(author_client.get(work.get_absolute_url()))


def test_the_creators_page_lists_a_person_once_with_their_pseuds(author, gull):
    default = services.default_pseud_of(author)
    work = make_work(owner=author, pseuds=[default, gull])
    tree = page_of(signed_in(author), reverse("stories:work_creators", args=[work.pk]))
    rows = tree.cssselect("table.creators tbody tr")
    assert [row.get("id") for row in rows] == [f"creator-{author.pk}"]
    assert f"(as {author.username}, Gull)" in rows[0].text_content()


@pytest.mark.parametrize("value", ["9223372036854775808", "-1", "x", "٣"])
def test_a_pseud_no_row_may_have_is_refused_with_a_message(author_client, value):
    response = author_client.post(
        reverse("stories:work_create"), work_form_data(pseuds=[value])
    )
    assert response.status_code == 200
    assert "Choose among your own pseuds." in response.content.decode()
    assert not Work.objects.exists()


def test_an_unconfirmed_account_cannot_add_or_rename_pseuds(author):
    author.email_verified = False
    author.save()
    default = services.default_pseud_of(author)
    client = signed_in(author)
    create = reverse("pseuds:pseud_create", args=[author.username])
    assert client.post(create, {"name": "Spam"}).status_code == 403
    assert client.post(edit_url(default), {"name": "Spam"}).status_code == 403
    assert list(Pseud.objects.filter(user=author)) == [default]
    default.refresh_from_db()
    assert default.name == author.username


def test_guests_see_a_renamed_or_redescribed_pseud_at_once(
    client, author, gull, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, pseuds=[gull])
    listing = reverse("stories:work_list")
    for url in (work.get_absolute_url(), listing, gull.get_absolute_url()):
        assert f"Gull ({author.username})" in text(client.get(url)), url
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(author).post(
            edit_url(gull), {"name": "Tern", "description": "Terns nest here"}
        )
    tern = reverse("stories:pseud_detail", args=[author.username, "Tern"])
    for url in (work.get_absolute_url(), listing, tern):
        page = text(client.get(url))
        assert f"Tern ({author.username})" in page, url
        assert "Gull (" not in page, url
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(author).post(
            edit_url(Pseud.objects.get(pk=gull.pk)),
            {"name": "Tern", "description": "Terns fly south"},
        )
    assert "Terns fly south" in text(client.get(tern))
