"""Pages whose links show where the reader is."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window


class NumberedPage(Page):
    @property
    def nearby_numbers(self):
        """Return the page numbers to link to: the first and last few, and the
        few on each side of this one, with Paginator.ELLIPSIS for the gaps."""
        return self.paginator.get_elided_page_range(self.number)


class NumberedPaginator(Paginator):
    """A paginator whose pages list the page numbers around themselves."""

    def _get_page(self, *args, **kwargs):
        return NumberedPage(*args, **kwargs)


class CountedWithPagePaginator(NumberedPaginator):
    """A paginator of a queryset that counts it in the query reading the page
    (COUNT(*) OVER ()): a page that has rows costs one query, not two. Only a
    page number past the end costs the count, to find the last page."""

    TOTAL = "paginated_total"

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number >= 1:
            start = (number - 1) * self.per_page
            counted = self.object_list.annotate(**{self.TOTAL: Window(Count("pk"))})
            rows = list(counted[start : start + self.per_page])
            if rows:
                self.count = getattr(rows[0], self.TOTAL)
                return self._get_page(rows, number, self)
        # Past the end, or not a page: Django's answer (the last or first page).
        return super().get_page(number)
