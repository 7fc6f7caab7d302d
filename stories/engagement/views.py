from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import ratelimits
from archive.redirects import redirect_to_next
from stories.engagement import hits, services
from stories.models import Work


@require_POST
@ratelimits.limited("kudos")
def kudos_create(request, pk):
    """Leave kudos on a posted work the reader may see, and go back to the page."""
    work = get_object_or_404(Work.objects.visible_to(request.user).posted(), pk=pk)
    back = redirect_to_next(request, f"{work.get_absolute_url()}#kudos")
    user = request.user if request.user.is_authenticated else None
    guest_key = (
        "" if user else hits.guest_digest(request, "kudos", timezone.now().date())
    )
    try:
        kudos = services.kudos_leave(work=work, user=user, guest_key=guest_key)
    except services.KudosRefused as refusal:
        messages.error(request, str(refusal))
        return back
    if kudos is None:
        messages.info(request, _("You have already left kudos here. :)"))
    else:
        messages.success(request, _("Thank you for leaving kudos!"))
    return back
