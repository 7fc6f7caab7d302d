"""Who may see and change which series, and which of their works a reader sees."""

from django.db import models
from django.db.models import Count, Q, Sum

from stories.models import Status


def _shown_parts(user, prefix=""):
    """Return the condition on a series' parts that a person may see: as
    Work.objects.visible_to has it, through the part's work."""
    if user.is_authenticated and user.is_staff:
        return Q()
    shown = Q(**{f"{prefix}work__status": Status.POSTED})
    if user.is_authenticated:
        shown |= Q(**{f"{prefix}work__owner": user})
    else:
        # Guests see no work restricted to members.
        shown &= Q(**{f"{prefix}work__restricted": False})
    return shown


class SeriesQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Return the series this person may change: their own (staff: every one)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(owner=user)

    def with_shown_counts(self, user):
        """Return series with the works and words this person sees of them
        (shown_works, shown_words), counted in the same query."""
        shown = _shown_parts(user, prefix="parts__")
        return self.annotate(
            shown_works=Count("parts", filter=shown),
            shown_words=Sum("parts__work__word_count", filter=shown, default=0),
        )

    def listed_for(self, user):
        """Return the series this person may see: those with a work they may
        read, and their own (staff: every one)."""
        series = self.with_shown_counts(user)
        if user.is_authenticated and user.is_staff:
            return series
        listed = Q(shown_works__gt=0)
        if user.is_authenticated:
            listed |= Q(owner=user)
        return series.filter(listed)


class SeriesWorkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the parts whose works this person may read."""
        return self.filter(_shown_parts(user))

    def in_series_of(self, work_ids):
        """Return every part of every series that holds one of these works."""
        return self.filter(series__parts__work_id__in=list(work_ids)).distinct()
