"""Every account gets its default pseud when it is made.

A signal rather than a call in the sign-up view, because accounts are made in
more places than that (the admin, createsuperuser, the demo, tests), and an
account without a pseud can post nothing. Rows written in bulk (seeding) and
fixtures (raw saves) write their pseuds themselves.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from stories.pseuds.services import pseud_create_default


@receiver(post_save, sender=get_user_model(), dispatch_uid="pseuds_default_pseud")
def default_pseud_on_sign_up(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        pseud_create_default(user=instance)
