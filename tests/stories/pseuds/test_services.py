"""Pseuds as their services keep them: a default for everyone, names unique per
person, deleting moves works to the default, a byline matched to a pseud."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from stories import creators
from stories.models import Creatorship, CreatorshipStatus, Work
from stories.pseuds import services
from stories.pseuds.models import Pseud
from stories.seeding import seed_archive
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def test_every_new_account_has_a_default_pseud_named_after_it():
    user = UserFactory(username="Lampwright")
    pseud = Pseud.objects.get(user=user)
    assert (pseud.name, pseud.is_default) == ("Lampwright", True)
    assert services.default_pseud_of(user) == pseud


def test_a_work_credits_its_owners_default_pseud(author):
    work = make_work(owner=author)
    creatorship = Creatorship.objects.get(work=work)
    assert creatorship.pseud == services.default_pseud_of(author)
    assert [pseud.byline for pseud in work.credited_pseuds] == [author.username]


def test_the_data_migration_gives_existing_accounts_and_works_their_default(author):
    work = make_work(owner=author)
    Creatorship.objects.update(pseud=None)
    Pseud.objects.all().delete()
    migration = importlib.import_module("stories.pseuds.migrations.0002_default_pseuds")
    migration.default_pseuds(apps, None)
    pseud = Pseud.objects.get(user=author)
    assert (pseud.name, pseud.is_default) == (author.username, True)
    assert Creatorship.objects.get(work=work).pseud == pseud


def test_seeding_writes_each_accounts_default_pseud_and_credits_it():
    seed_archive(works=6, seed=3)
    users = apps.get_model("archive", "User").objects.all()
    assert Pseud.objects.filter(is_default=True).count() == users.count()
    for creatorship in Creatorship.objects.select_related("pseud"):
        assert creatorship.pseud.user_id == creatorship.user_id
        assert creatorship.pseud.is_default


def test_names_are_unique_per_person_whatever_their_case(author, reader):
    services.pseud_create(user=author, name="Gull")
    with pytest.raises(services.PseudRefused):
        services.pseud_create(user=author, name="gULL")
    services.pseud_create(user=reader, name="Gull")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pseud.objects.create(user=author, name="GULL")


def test_renaming_a_pseud_renames_its_bylines(author):
    gull = services.pseud_create(user=author, name="Gull")
    work = make_work(owner=author, pseuds=[gull])
    services.pseud_update(pseud=gull, name="Tern", description="<script>x</script>Hi")
    gull.refresh_from_db()
    assert gull.description == "Hi"
    work = Work.objects.get(pk=work.pk)
    assert work.credit == f"Tern ({author.username})"


def test_deleting_a_pseud_moves_its_works_to_the_default(author):
    default = services.default_pseud_of(author)
    gull = services.pseud_create(user=author, name="Gull")
    alone = make_work(owner=author, title="Alone", pseuds=[gull])
    both = make_work(owner=author, title="Both", pseuds=[default, gull])
    services.pseud_delete(pseud=gull)
    assert not Pseud.objects.filter(pk=gull.pk).exists()
    assert list(alone.creatorships.values_list("pseud", flat=True)) == [default.pk]
    assert list(both.creatorships.values_list("pseud", flat=True)) == [default.pk]
    assert list(Work.objects.created_by(author).order_by("title")) == [alone, both]


def test_the_default_pseud_cannot_be_deleted(author):
    default = services.default_pseud_of(author)
    with pytest.raises(services.PseudRefused):
        services.pseud_delete(pseud=default)
    assert Pseud.objects.filter(pk=default.pk).exists()


def test_a_work_under_two_pseuds_names_both_and_its_owner_once(author):
    default = services.default_pseud_of(author)
    gull = services.pseud_create(user=author, name="Gull")
    work = make_work(owner=author, pseuds=[default, gull])
    work = Work.objects.for_reading().get(pk=work.pk)
    assert work.credit == f"{author.username}, Gull ({author.username})"
    assert work.creators == [author]


def test_a_work_credits_only_its_posters_own_pseuds(author, reader):
    with pytest.raises(services.PseudRefused):
        make_work(owner=author, pseuds=[services.default_pseud_of(reader)])
    assert not Work.objects.exists()


def test_an_invitee_accepts_under_one_of_their_pseuds(author, reader):
    work = make_work(owner=author)
    quill = services.pseud_create(user=reader, name="Quill")
    invitation = creators.work_invite_creator(work=work, user=reader, invited_by=author)
    with pytest.raises(creators.CreatorshipRefused):
        creators.creatorship_accept(
            creatorship=invitation,
            user=reader,
            pseud=services.default_pseud_of(author),
        )
    creators.creatorship_accept(creatorship=invitation, user=reader, pseud=quill)
    invitation.refresh_from_db()
    assert invitation.status == CreatorshipStatus.ACCEPTED
    work = Work.objects.get(pk=work.pk)
    assert work.credit == f"{author.username}, Quill ({reader.username})"


def test_a_creator_under_two_pseuds_leaves_with_both(author, reader):
    work = make_work(owner=author)
    invitation = creators.work_invite_creator(work=work, user=reader, invited_by=author)
    creators.creatorship_accept(creatorship=invitation, user=reader)
    quill = services.pseud_create(user=reader, name="Quill")
    services.work_set_pseuds(
        work=work, user=reader, pseuds=[services.default_pseud_of(reader), quill]
    )
    assert Creatorship.objects.filter(work=work, user=reader).count() == 2
    creators.work_remove_creator(work=work, user=reader, removed_by=reader)
    assert not Creatorship.objects.filter(work=work, user=reader).exists()


@pytest.mark.parametrize(
    "byline",
    ["Miztikal-Dragon", "miztikal dragon", "MIZTIKAL_DRAGON", " Miztikal - Dragon "],
)
def test_a_byline_matches_a_pseud_whatever_its_case_and_separators(byline):
    user = UserFactory(username="miz")
    dragon = services.pseud_create(user=user, name="Miztikal-Dragon")
    match = services.match_byline(user=user, names=[byline])
    assert match.pseuds == (dragon,)
    assert match.credit == ""


def test_a_byline_with_other_words_matches_no_pseud():
    user = UserFactory(username="miz")
    services.pseud_create(user=user, name="Miztikal-Dragon")
    for byline in ("MiztikalDragon", "Miztikal", "Miztikal-Dragon2"):
        match = services.match_byline(user=user, names=[byline])
        assert (match.pseuds, match.credit) == ((), byline)


def test_a_byline_naming_the_user_selects_their_default_pseud():
    user = UserFactory(username="wren_ashdown")
    services.pseud_create(user=user, name="Gull")
    default = services.default_pseud_of(user)
    assert services.match_byline(user=user, names=["Wren Ashdown"]).pseuds == (default,)
    # AO3's "pseud (username)": the pseud when it is theirs here, else the default.
    assert services.match_byline(user=user, names=["Gull (wren_ashdown)"]).pseuds == (
        Pseud.objects.get(name="Gull"),
    )
    assert services.match_byline(user=user, names=["Heron (wren_ashdown)"]).pseuds == (
        default,
    )
    match = services.match_byline(user=user, names=["Gull", "Someone Else"])
    assert [pseud.name for pseud in match.pseuds] == ["Gull"]
    assert match.credit == "Someone Else"


def test_a_renamed_person_keeps_their_default_pseud_named_after_them(author):
    from stories.services import user_shown_changed

    gull = services.pseud_create(user=author, name="Gull")
    work = make_work(owner=author)
    author.username = "lamplighter"
    author.save()
    user_shown_changed(user=author, old_username="quillfeather")
    default = services.default_pseud_of(author)
    assert default.name == "lamplighter"
    assert Work.objects.get(pk=work.pk).credit == "lamplighter"
    gull.refresh_from_db()
    assert gull.name == "Gull"


def test_a_default_pseud_renamed_on_purpose_stays_when_its_person_is_renamed(author):
    from stories.services import user_shown_changed

    default = services.default_pseud_of(author)
    services.pseud_update(pseud=default, name="Lantern", description="")
    author.username = "lamplighter"
    author.save()
    user_shown_changed(user=author, old_username="quillfeather")
    default.refresh_from_db()
    assert default.name == "Lantern"


def test_deleting_an_account_deletes_its_pseuds_and_credits(author, reader):
    gull = services.pseud_create(user=reader, name="Gull")
    work = make_work(owner=author)
    invitation = creators.work_invite_creator(work=work, user=reader, invited_by=author)
    creators.creatorship_accept(creatorship=invitation, user=reader, pseud=gull)
    make_work(owner=reader, pseuds=[gull])
    reader.delete()
    assert not Pseud.objects.filter(user_id=reader.pk).exists()
    assert Work.objects.get(pk=work.pk).credit == author.username
