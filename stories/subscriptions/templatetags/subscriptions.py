"""The subscribe or unsubscribe button, rendered for each reader.

It depends on who is looking, so pages put it outside their cached parts. It
reads nothing more: a work's pages pass the reader's state on the work
(stories.reader_state), and the creators, series and tags a reader follows are
among their facts (stories.readers); guests see no button.
"""

from django import template
from django.utils.translation import gettext_lazy as _

from stories.readers import reader_facts
from stories.subscriptions.models import TARGETS

register = template.Library()

LABELS = {
    "work": (_("Subscribe"), _("Unsubscribe")),
    "creator": (_("Subscribe to this creator"), _("Unsubscribe from this creator")),
    "series": (_("Subscribe to this series"), _("Unsubscribe from this series")),
    "tag": (_("Subscribe to this tag"), _("Unsubscribe from this tag")),
}


@register.inclusion_tag("subscriptions/_subscribe_button.html", takes_context=True)
def subscribe_button(context, target, pk, state=None):
    """Render a form subscribing the reader to this target, or unsubscribing;
    for a work, from the reader's state on it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if target not in TARGETS or not pk or user is None or not user.is_authenticated:
        return {"shown": False}
    if target == "creator" and pk == user.pk:
        return {"shown": False}
    if target == "work":
        # Its creators are not offered their own work.
        if state is None or state.is_creator:
            return {"shown": False}
        subscription_pk = state.subscription_pk
    else:
        subscription_pk = reader_facts(user).subscription_to(target, pk)
    subscribe, unsubscribe = LABELS[target]
    return {
        "shown": True,
        "target": target,
        "pk": pk,
        "subscription_pk": subscription_pk,
        "label": unsubscribe if subscription_pk else subscribe,
        "next": request.get_full_path(),
    }
