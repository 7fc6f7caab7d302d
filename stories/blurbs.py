"""Work blurbs, rendered once and kept in the cache until anything changes."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from stories.models import Work
from stories.pagecache import remember_many

BLURB_TEMPLATE = "stories/_work_blurb.html"


def render_blurbs(works, *, request):
    """Return the blurbs of these works, in order, as HTML.

    Only the works' ids are read for a page whose blurbs are all cached; the
    works and their tags are loaded for the missing blurbs alone.
    """
    ids = list(works.values_list("pk", flat=True))
    signed_in = request.user.is_authenticated
    keys = [f"blurb:{int(signed_in)}:{pk}" for pk in ids]

    def render_missing(missing_keys):
        wanted = [int(key.rsplit(":", 1)[1]) for key in missing_keys]
        loaded = Work.objects.filter(pk__in=wanted).for_listing().in_bulk()
        return {
            key: render_to_string(
                BLURB_TEMPLATE, {"work": loaded[pk], "signed_in": signed_in}
            )
            for key, pk in zip(missing_keys, wanted, strict=True)
        }

    return [mark_safe(html) for html in remember_many(keys, render_missing)]  # noqa: S308
