"""What the work and chapter pages show of kudos.

The names of those who left kudos are the same for every reader: they are
rendered once per version of the work (its scope, stories/caching.py), and
each reading part (cached per kind of reader) takes that rendering. The kudos
button is the same for everyone but the work's creators, who have none; whether a
reader already left kudos is told by a message when they press it, so nothing
here depends on who looks but what the reading part already does.
"""

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stories.caching import WORK, cached, part
from stories.engagement.querysets import KudosGivers, kudos_givers


def kudos_names(work) -> str:
    """Return the sentence naming who left kudos on the work, rendered once per
    version of the work; empty when nobody did."""
    shown = part("kudos-names", work.pk, scopes=[WORK(work.pk)])
    return mark_safe(cached(shown, lambda: kudos_sentence(kudos_givers(work))))  # noqa: S308


def kudos_sentence(givers: KudosGivers) -> str:
    """Return "a, b and 3 more users as well as 12 guests left kudos on this
    work!" as HTML, each name a link to its profile; empty for nobody."""
    names = [
        format_html(
            '<a href="{}">{}</a>',
            reverse("stories:user_detail", kwargs={"username": name}),
            name,
        )
        for name in givers.names
    ]
    if givers.more_users:
        more = ngettext(
            "%(count)s more user", "%(count)s more users", givers.more_users
        )
        names.append(
            more % {"count": number_format(givers.more_users, force_grouping=True)}
        )
    if len(names) < 2:
        sentence = "".join(names)
    else:
        sentence = _("%(names)s and %(last)s") % {
            "names": ", ".join(names[:-1]),
            "last": names[-1],
        }
    if givers.guests:
        guests = ngettext("%(count)s guest", "%(count)s guests", givers.guests) % {
            "count": number_format(givers.guests, force_grouping=True)
        }
        sentence = (
            _("%(people)s as well as %(guests)s")
            % {"people": sentence, "guests": guests}
            if names
            else guests
        )
    if not sentence:
        return ""
    return format_html(
        '<p class="kudos-names">{}</p>',
        # The names were escaped as they were joined.
        mark_safe(  # noqa: S308
            _("%(people)s left kudos on this work!") % {"people": sentence}
        ),
    )


def kudos_context(user, work, *, here: str) -> dict:
    """Return what templates/engagement/_kudos.html needs; here is the address
    the button comes back to."""
    return {
        "can_leave": work.is_posted
        and not (user.is_authenticated and user.pk in work.creator_ids),
        "names": kudos_names(work),
        "here": here,
    }
