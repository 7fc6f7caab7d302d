"""AO3's limits on what a work holds, checked the same way by every way in."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from stories.tagging import TAG_NAME_MAX_LENGTH

TITLE_MAX_LENGTH = 255
SUMMARY_MAX_LENGTH = 1250
NOTES_MAX_LENGTH = 5000
CHAPTER_MIN_LENGTH = 10
CHAPTER_MAX_LENGTH = 510_000
CHAPTER_NUMBER_MAX = 100_000
COMMENT_MAX_LENGTH = 10_000
TAGS_MAX_COUNT = 75
# AO3 refuses these in tag names: they break its search syntax and URLs.
TAG_FORBIDDEN_CHARACTERS = "*<>^{}=`\\%"


def check_chapter_text(text):
    """Raise ValidationError unless the chapter text fits AO3's length limits."""
    length = len((text or "").strip())
    if length < CHAPTER_MIN_LENGTH:
        raise ValidationError(
            ngettext_lazy(
                "A chapter needs at least %(limit)d character of text.",
                "A chapter needs at least %(limit)d characters of text.",
                CHAPTER_MIN_LENGTH,
            ),
            code="chapter_too_short",
            params={"limit": CHAPTER_MIN_LENGTH},
        )
    if length > CHAPTER_MAX_LENGTH:
        raise ValidationError(
            _(
                "A chapter may hold at most %(limit)s characters; this one has "
                "%(length)s. Split it into two chapters."
            ),
            code="chapter_too_long",
            params={"limit": f"{CHAPTER_MAX_LENGTH:,}", "length": f"{length:,}"},
        )


def check_tag_names(names_by_kind):
    """Raise ValidationError unless every tag name is allowed and the total fits."""
    errors = []
    total = 0
    for names in names_by_kind.values():
        total += len(names)
        for name in names:
            if len(name) > TAG_NAME_MAX_LENGTH:
                errors.append(
                    ValidationError(
                        _('The tag "%(name)s…" is longer than %(limit)d characters.'),
                        code="tag_too_long",
                        params={"name": name[:40], "limit": TAG_NAME_MAX_LENGTH},
                    )
                )
            bad = sorted({c for c in name if c in TAG_FORBIDDEN_CHARACTERS})
            if bad:
                errors.append(
                    ValidationError(
                        _('The tag "%(name)s" may not contain %(characters)s.'),
                        code="tag_forbidden_character",
                        params={"name": name, "characters": " ".join(bad)},
                    )
                )
    if total > TAGS_MAX_COUNT:
        errors.append(
            ValidationError(
                _(
                    "A work may have at most %(limit)d fandom, character, "
                    "relationship and additional tags together; this one has "
                    "%(count)d."
                ),
                code="too_many_tags",
                params={"limit": TAGS_MAX_COUNT, "count": total},
            )
        )
    if errors:
        raise ValidationError(errors)
