"""factory_boy factories; works are built through the services, as users build them."""

from pathlib import Path

import factory

from archive.models import User
from stories import services
from stories.models import Rating, TagKind

# The real chapter a fan wrote, beside the project in ../shared; never copied in.
SEED_CHAPTER = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "seeds"
    / "000_7d1b53b62188bec3.txt"
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")
    # Accounts have confirmed their email address unless a test says
    # otherwise: UserFactory(unverified=True).
    email_verified = True

    class Params:
        unverified = factory.Trait(email_verified=False)


CHAPTER_TEXT = (
    "<p>The lanterns along the canal were lit one by one.</p>"
    "<p>Somebody was humming an old song under the bridge.</p>"
)


def make_work(
    *,
    owner=None,
    title="The Lantern Keeper",
    fandoms=("Original Work",),
    characters=(),
    relationships=(),
    freeforms=(),
    warnings=("No Archive Warnings Apply",),
    rating=Rating.GENERAL,
    chapters=1,
    post=True,
    body=CHAPTER_TEXT,
    **fields,
):
    """Return a work made by work_create, with extra chapters added after it."""
    owner = owner or UserFactory()
    work = services.work_create(
        owner=owner,
        title=title,
        first_chapter=services.ChapterText(body=body, title="Beginnings"),
        rating=rating,
        warnings=warnings,
        tags={
            TagKind.FANDOM: fandoms,
            TagKind.CHARACTER: characters,
            TagKind.RELATIONSHIP: relationships,
            TagKind.FREEFORM: freeforms,
        },
        post=post,
        **fields,
    )
    for number in range(2, chapters + 1):
        services.chapter_create(
            work=work,
            text=services.ChapterText(body=body, title=f"Part {number}"),
        )
    work.refresh_from_db()
    return work
