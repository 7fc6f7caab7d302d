"""Pages whose links show where the reader is."""

from django.core.paginator import Page, Paginator


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
