"""The subscribe or unsubscribe button, rendered for each reader.

It depends on who is looking, so pages put it outside their cached parts; it
costs a signed-in reader one query and a guest none (they see no button).
"""

from django import template
from django.db.models import Subquery

from stories.models import Work
from stories.subscriptions.models import TARGETS, Subscription

register = template.Library()

LABELS = {
    "work": ("Subscribe", "Unsubscribe"),
    "creator": ("Subscribe to this creator", "Unsubscribe from this creator"),
    "series": ("Subscribe to this series", "Unsubscribe from this series"),
    "tag": ("Subscribe to this tag", "Unsubscribe from this tag"),
}


@register.inclusion_tag("subscriptions/_subscribe_button.html", takes_context=True)
def subscribe_button(context, target, pk):
    """Render a form subscribing the reader to this target, or unsubscribing."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if target not in TARGETS or not pk or user is None or not user.is_authenticated:
        return {"shown": False}
    if target == "creator" and pk == user.pk:
        return {"shown": False}
    mine = Subscription.objects.filter(user=user, **{f"{target}_id": pk})
    if target == "work":
        # Its creators are not offered their own work, in the same one query.
        row = (
            Work.objects.filter(pk=pk)
            .values_list("owner_id", Subquery(mine.values("pk")[:1]))
            .first()
        )
        if row is None or row[0] == user.pk:
            return {"shown": False}
        subscription_pk = row[1]
    else:
        subscription_pk = mine.values_list("pk", flat=True).first()
    subscribe, unsubscribe = LABELS[target]
    return {
        "shown": True,
        "target": target,
        "pk": pk,
        "subscription_pk": subscription_pk,
        "label": unsubscribe if subscription_pk else subscribe,
        "next": request.get_full_path(),
    }
