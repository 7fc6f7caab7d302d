"""Every write to readers' histories.

No cached part shows a reader's history, place or marks (they are rendered
outside the cached parts, and listings that hide what a reader read are not
cached), so these services have nothing to declare changed.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from stories.models import Work
from stories.readings.models import Reading

# What a reading holds of the reader's history, as it is before any.
NO_HISTORY = {
    "last_chapter": None,
    "chapters_seen": 0,
    "visits": 0,
    "last_read_at": None,
}


# One statement (two only when a reading vanished meanwhile), each whole by
# itself: inside a request's transaction it needs no savepoint.
@transaction.atomic(savepoint=False)
def reading_record(
    *,
    reader: AbstractBaseUser,
    work_id: int,
    chapter_id: int,
    chapters_posted: int,
    keep_place: bool = False,
    is_new: bool = False,
) -> bool:
    """Record that a reader read a chapter of a work, in one write; return
    whether it was recorded.

    chapters_posted is how many chapters the work has posted now, so that a
    later visit can say how many are new. keep_place=True, for the work's
    own page (which shows its first chapter), keeps the chapter a returning
    reader stopped at, and the count of chapters then. is_new=True says the
    caller found no reading of the work: it is inserted at once. Nothing is
    recorded for a reader who keeps no history.
    """
    if not reader.keep_history:
        return False
    now = timezone.now()
    if keep_place:
        first_time = Q(last_chapter__isnull=True)
        place = {
            "last_chapter": Case(
                When(first_time, then=Value(chapter_id)),
                default=F("last_chapter"),
                output_field=models.BigIntegerField(),
            ),
            "chapters_seen": Case(
                When(first_time, then=Value(chapters_posted)),
                default=F("chapters_seen"),
                output_field=models.PositiveIntegerField(),
            ),
        }
    else:
        place = {"last_chapter": chapter_id, "chapters_seen": chapters_posted}
    updated = not is_new and Reading.objects.filter(
        user=reader, work_id=work_id
    ).update(visits=F("visits") + 1, last_read_at=now, **place)
    if not updated:
        # Another tab may have recorded it meanwhile: the latest place wins.
        Reading.objects.bulk_create(
            [
                Reading(
                    user=reader,
                    work_id=work_id,
                    last_chapter_id=chapter_id,
                    chapters_seen=chapters_posted,
                    visits=1,
                    last_read_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["user", "work"],
            update_fields=["last_chapter", "chapters_seen", "last_read_at"],
        )
    return True


def _forget(readings):
    """Forget what readings hold of the history; works marked for later stay
    marked (their history emptied), the others are deleted."""
    readings.filter(is_marked_for_later=True).update(**NO_HISTORY)
    readings.filter(is_marked_for_later=False).delete()


@transaction.atomic
def reading_forget(*, reader: AbstractBaseUser, work_id: int) -> None:
    """Remove one work from a reader's history (a mark for later stays)."""
    _forget(Reading.objects.of(reader).filter(work_id=work_id))


@transaction.atomic
def history_clear(*, reader: AbstractBaseUser) -> None:
    """Remove every work from a reader's history (marks for later stay)."""
    _forget(Reading.objects.of(reader))


@transaction.atomic
def work_mark_for_later(*, reader: AbstractBaseUser, work: Work) -> None:
    """Mark a work for the reader to read later, whether or not they keep a
    history."""
    Reading.objects.bulk_create(
        [Reading(user=reader, work=work, is_marked_for_later=True)],
        update_conflicts=True,
        unique_fields=["user", "work"],
        update_fields=["is_marked_for_later"],
    )


@transaction.atomic
def work_unmark_for_later(*, reader: AbstractBaseUser, work_id: int) -> None:
    """Take a work off the reader's "marked for later" list; a reading that
    held nothing else goes."""
    readings = Reading.objects.of(reader).filter(work_id=work_id)
    readings.filter(last_read_at__isnull=True).delete()
    readings.update(is_marked_for_later=False)
