"""The notice before the text of a work that could have adult content, as AO3
shows it: once per work per session, never to a reader whose preference says
so (an account's, or a guest's browser's: archive/preferences.py), never with
?view_adult=true (which AO3's tools send).

It depends on the reader's session, so it is decided outside the cached parts
of a page. A guest without a session (served whole pages from the cache) is
shown it on every adult work's page but the one asked for with
?view_adult=true, which starts their session and so is never kept whole; a
guest whose browser's preference says so is kept pages of their own
(stories.caching keys guests' pages by it).
"""

from archive.preferences import reader_preferences
from stories.models import Rating

ADULT_RATINGS = frozenset({Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED})
# The session's list of the works whose notice the reader accepted.
ACCEPTED = "adult_works_accepted"
# The most works a session remembers; the oldest accepted are forgotten first.
ACCEPTED_KEPT = 1000


def view_adult(request):
    """Return whether the reader asked, as AO3's tools do with
    ?view_adult=true, to skip any notice before a work's text."""
    return request.GET.get("view_adult") == "true"


def adult_notice_needed(request, work_pk, rating):
    """Return whether this reader is to see the adult-content notice before
    the text of a work of this rating; ?view_adult=true is remembered in the
    session as their acceptance for this work."""
    if rating not in ADULT_RATINGS:
        return False
    if reader_preferences(request).view_adult:
        return False
    accepted = request.session.get(ACCEPTED, [])
    if view_adult(request):
        if work_pk not in accepted:
            request.session[ACCEPTED] = [*accepted, work_pk][-ACCEPTED_KEPT:]
        return False
    return work_pk not in accepted


def continue_address(request):
    """Return the address the notice's "Yes, Continue" goes to: this page
    with ?view_adult=true."""
    query = request.GET.copy()
    query["view_adult"] = "true"
    return f"{request.path}?{query.urlencode()}"
