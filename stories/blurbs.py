"""Work blurbs, rendered once and kept until the work they show changes.

A blurb's key names the work's row as the blurb shows it: its last change
(modified_at, which the services also move when a tag it carries or its
author is renamed) and the counts and dates that are kept without touching it.
So a blurb outlives the writes to other works, unlike the pages around it.
The key also names the version of the site's templates, so that a release
that changes them does not serve blurbs rendered from the old ones.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from stories.models import Work
from stories.pagecache import PARTS_TIMEOUT, remember_lasting

BLURB_TEMPLATE = "stories/_work_blurb.html"
# What a blurb shows that can change without moving modified_at.
SHOWN_FIELDS = (
    "modified_at",
    "updated_at",
    "status",
    "word_count",
    "chapter_count",
    "is_complete",
    "comment_count",
)


def render_blurbs(works, *, request):
    """Return the blurbs of these works, in order, as HTML.

    Only a few columns of the works are read for a page whose blurbs are all
    cached; the works and their tags are loaded for the missing blurbs alone.
    """
    rows = list(works.values_list("pk", *SHOWN_FIELDS))
    signed_in = request.user.is_authenticated
    keys = [_blurb_key(row, signed_in) for row in rows]
    pk_of = {key: row[0] for key, row in zip(keys, rows, strict=True)}

    def render_missing(missing_keys):
        loaded = (
            Work.objects.filter(pk__in=[pk_of[key] for key in missing_keys])
            .for_listing()
            .in_bulk()
        )
        return {
            key: render_to_string(
                BLURB_TEMPLATE, {"work": loaded[pk_of[key]], "signed_in": signed_in}
            )
            for key in missing_keys
        }

    blurbs = remember_lasting(keys, render_missing, timeout=PARTS_TIMEOUT)
    return [mark_safe(html) for html in blurbs]  # noqa: S308


def _blurb_key(row, signed_in):
    shown = hashlib.sha256(repr(row).encode()).hexdigest()[:32]
    return f"blurb:{templates_version()}:{int(signed_in)}:{row[0]}:{shown}"


@cache
def templates_version():
    """Return a digest of the site's templates, read once per process."""
    digest = hashlib.sha256()
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
