"""Every read of readers' histories, and the tests listings use to hide works a
reader has read, left kudos on or bookmarked."""

from django.db import models
from django.db.models import Exists, OuterRef


class ReadingQuerySet(models.QuerySet):
    def of(self, reader):
        """Return this reader's readings."""
        return self.filter(user=reader)

    def read(self):
        """Return the readings of works actually read (not only marked for later)."""
        return self.filter(last_read_at__isnull=False)

    def marked_for_later(self):
        """Return the readings of works marked for later, newest mark first."""
        return self.filter(is_marked_for_later=True)


def _read_by(reader_id):
    from stories.readings.models import Reading

    return Exists(
        Reading.objects.filter(
            user_id=reader_id, work=OuterRef("pk"), last_read_at__isnull=False
        )
    )


def _kudosed_by(reader_id):
    from stories.engagement.models import Kudos

    return Exists(Kudos.objects.filter(user_id=reader_id, work=OuterRef("pk")))


def _bookmarked_by(reader_id):
    from stories.bookmarks.models import Bookmark

    # work IS NOT NULL lets both databases use the partial unique index on
    # (owner, work) that only bookmarks of works are in.
    return Exists(
        Bookmark.objects.filter(
            owner_id=reader_id, work=OuterRef("pk"), work__isnull=False
        )
    )


# What a listing can hide, by the value its filter carries in the URL: each a
# test of one work's row against one index, (user, work) or (owner, work).
ENGAGED = {"read": _read_by, "kudosed": _kudosed_by, "bookmarked": _bookmarked_by}


def works_not_engaged(works, *, reader_id, hide):
    """Return works less those the reader did what hide names with
    ("read", "kudosed", "bookmarked")."""
    for name in hide:
        works = works.exclude(ENGAGED[name](reader_id))
    return works
