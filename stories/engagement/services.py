"""Kudos and hits: every write of this sub-app."""

import datetime
from collections import defaultdict
from collections.abc import Mapping

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from stories.caching import changed
from stories.engagement import hits
from stories.engagement.models import Kudos, WorkHits
from stories.models import Status, Work


class KudosRefused(ValueError):
    """Kudos that may not be left; the message says why, to the reader."""


@transaction.atomic
def kudos_leave(
    *, work: Work, user: AbstractBaseUser | None = None, guest_key: str = ""
) -> Kudos | None:
    """Leave kudos on a posted work: a user's once, a guest's once per guest_key
    (their browser, address and day). Return None when they already have.

    Raises KudosRefused on a draft or on the reader's own work.
    """
    if work.status != Status.POSTED:
        raise KudosRefused(_("Kudos can only be left on a posted work."))
    if user is not None and user.pk in work.creator_ids:
        raise KudosRefused(_("You can't leave kudos on your own work."))
    if user is None and not guest_key:
        raise ValueError("A guest's kudos needs the guest's key.")
    same = Kudos.objects.filter(work=work)
    same = (
        same.filter(user=user) if user else same.filter(user=None, guest_key=guest_key)
    )
    if same.exists():
        return None
    try:
        # A second request for the same kudos may have got in since: the
        # unique constraints refuse it, and only this savepoint is undone.
        with transaction.atomic():
            kudos = Kudos.objects.create(
                work=work, user=user, guest_key="" if user else guest_key
            )
    except IntegrityError:
        return None
    Work.objects.filter(pk=work.pk).update(kudos_count=F("kudos_count") + 1)
    changed(works=[work.pk], sorted_by=["kudos"])
    return kudos


@transaction.atomic
def kudos_delete(*, kudos: Kudos) -> None:
    """Delete kudos (a moderator's decision) and take it off its work's count."""
    deleted, _rows = Kudos.objects.filter(pk=kudos.pk).delete()
    if deleted:
        Work.objects.filter(pk=kudos.work_id, kudos_count__gt=0).update(
            kudos_count=F("kudos_count") - 1
        )
        changed(works=[kudos.work_id], sorted_by=["kudos"])


@transaction.atomic
def kudos_refresh_counts(*, work_ids) -> None:
    """Count these works' kudos again (after kudos went without the services)."""
    work_ids = set(work_ids)
    counted = (
        Kudos.objects.filter(work=OuterRef("pk"))
        .values("work")
        .annotate(total=Count("pk"))
        .values("total")
    )
    Work.objects.filter(pk__in=work_ids).update(
        kudos_count=Coalesce(Subquery(counted), 0)
    )
    changed(works=work_ids, sorted_by=["kudos"])


@transaction.atomic
def hits_add(
    *,
    counts: Mapping[int, int],
    by_hour: Mapping[tuple[int, datetime.datetime], int] | None = None,
) -> int:
    """Add hits to posted works' counts, and to their hours for their authors'
    statistics (by_hour: the same hits by work and hour; the current hour
    when not given); return how many were added."""
    if by_hour is None:
        hour = hits.hour_of(hits.bucket_of(timezone.now()))
        by_hour = {(pk, hour): number for pk, number in counts.items()}
    _hours_add(by_hour)
    by_number = defaultdict(list)
    for work_pk, number in counts.items():
        if number > 0:
            by_number[number].append(work_pk)
    added = 0
    for number, work_pks in by_number.items():
        updated = Work.objects.filter(pk__in=work_pks, status=Status.POSTED).update(
            hit_count=F("hit_count") + number
        )
        added += updated * number
    if by_number:
        changed(
            works=[pk for pks in by_number.values() for pk in pks], sorted_by=["hits"]
        )
    return added


def _hours_add(by_hour):
    posted = set(
        Work.objects.filter(
            pk__in={pk for pk, _hour in by_hour}, status=Status.POSTED
        ).values_list("pk", flat=True)
    )
    rows = {key: number for key, number in by_hour.items() if key[0] in posted}
    WorkHits.objects.bulk_create(
        [WorkHits(work_id=pk, hour=hour, hits=0) for pk, hour in rows],
        ignore_conflicts=True,
    )
    # Added, not set: another flush may have written to the same hour.
    grouped = defaultdict(list)
    for (pk, hour), number in rows.items():
        if number > 0:
            grouped[hour, number].append(pk)
    for (hour, number), work_pks in grouped.items():
        WorkHits.objects.filter(work_id__in=work_pks, hour=hour).update(
            hits=F("hits") + number
        )


def hits_flush(*, until=None) -> int:
    """Write the hits counted in the cache to their works; return how many.

    By default, the minutes that ended at least a minute ago; until=now takes
    the current one too (tests, and the bench once its requests stopped).
    """
    taken = hits.take_hits(until=until)
    if not taken.by_work:
        return 0
    try:
        added = hits_add(counts=taken.by_work, by_hour=taken.by_hour)
    except BaseException:
        taken.give_back()
        raise
    taken.forget()
    return added
