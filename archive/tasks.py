"""Background jobs of accounts: the email that confirms an address."""

from huey.contrib.djhuey import db_task

from archive import verification
from archive.models import User


# Sending twice is harmless (both links work until one is followed): retried.
@db_task(retries=3, retry_delay=60)
def verification_email(*, user_id: int) -> None:
    """Email this account the link that confirms its address."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        verification.verification_email_send(user=user)
