"""Email verification: an account confirms its address before it posts.

Sign-up asks for an email address and queues a job, once the account commits,
that emails a link to `/accounts/verify/<uidb64>/<token>/`. The token is
Django's password-reset kind, keyed on the account's address and whether it is
confirmed: following the link confirms it, which spends the token (a link works
once); a changed address spends it too; it expires after
EMAIL_VERIFICATION_TIMEOUT seconds (ARCHIVE_VERIFY_DAYS).

Until confirmed, an account may sign in, read, bookmark, follow and so on, but
not post: `User.may_post` is the one check, and `verified_to_post` guards every
view that posts (tests/archive/test_verification.py lists them from the
URLconf). A guarded view answers an unconfirmed account with the notice page
("Confirm your email address to post"), changing nothing; one that takes a
form (`form_kept=True`) runs, calls `refuse_form` before it validates, and
shows the form again with what was typed and the notice, as a 403.

Confirming an address changes nothing any cached part shows, so its service
declares no cache scope.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.db import transaction
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from archive.languages import in_language_of

NOTICE = _("Confirm your email address to post.")


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the verification link: spent once the address is confirmed
    or changed, and out of date after EMAIL_VERIFICATION_TIMEOUT seconds."""

    key_salt = "archive.verification.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_verified}{timestamp}"

    def check_token(self, user, token):
        # As PasswordResetTokenGenerator.check_token, with this link's timeout.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
        except ValueError:
            return False
        if len(ts_b36) > 6:
            return False
        try:
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - ts > settings.EMAIL_VERIFICATION_TIMEOUT:
            return False
        return any(
            constant_time_compare(
                self._make_token_with_timestamp(user, ts, secret), token
            )
            for secret in [self.secret, *self.secret_fallbacks]
        )


tokens = EmailVerificationTokenGenerator()


def verify_url(user) -> str:
    """The full address of a fresh verification link for this account."""
    path = reverse(
        "verify_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": tokens.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def verification_email_send(*, user) -> bool:
    """Email this account its verification link, unless it is confirmed
    already or has no address; return whether an email was sent."""
    if user.email_verified or not user.email:
        return False
    context = {
        "user": user,
        "verify_url": verify_url(user),
        "days": settings.EMAIL_VERIFICATION_TIMEOUT // (24 * 60 * 60),
    }
    with in_language_of(user):
        subject = render_to_string("registration/verify_email_subject.txt", context)
        body = render_to_string("registration/verify_email.txt", context)
    EmailMessage(
        subject=subject.strip().replace("\n", " "), body=body, to=[user.email]
    ).send()
    return True


def verification_email_on_commit(user) -> None:
    """Queue the job that emails this account its link, once the request's
    transaction commits: never sent in the request."""
    from archive import tasks

    user_id = user.pk
    transaction.on_commit(lambda: tasks.verification_email(user_id=user_id))


@transaction.atomic
def email_verify(*, user, token) -> bool:
    """Confirm this account's address if the token is its; return whether it
    was. A confirmed address spends the token."""
    from archive.models import User

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_verified or not tokens.check_token(user, token):
        return False
    User.objects.filter(pk=user.pk).update(email_verified=True)
    return True


def may_post(user) -> bool:
    """Whether this visitor may post: guests are for the view to decide (some
    comment as guests), accounts once their address is confirmed."""
    return not user.is_authenticated or user.may_post


def refused(request):
    """The notice page: confirm your address to post, with a button to resend."""
    return render(request, "registration/verify_required.html", status=403)


def verified_to_post(view=None, *, form_kept=False):
    """Guard a view that posts: an account whose address is not confirmed gets
    the notice page (403) and nothing changes.

    With form_kept=True a POST still runs the view, which must call
    `refuse_form` before it validates its form: the form comes back with what
    was typed and the notice, answered as a 403. GETs get the notice page, so
    nobody types a work out to be refused.
    """

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if may_post(request.user):
                return view(request, *args, **kwargs)
            if not (form_kept and request.method == "POST"):
                return refused(request)
            request.posting_refused = True
            response = view(request, *args, **kwargs)
            if not 300 <= response.status_code < 400:
                response.status_code = 403
            return response

        guarded.verified_to_post = True
        return guarded

    return decorator(view) if view is not None else decorator


def refuse_form(request, form) -> bool:
    """Put the notice on the form of a request refused for an unconfirmed
    address, so it is not valid and is shown again with what was typed; return
    whether it was."""
    refused_here = getattr(request, "posting_refused", False)
    if refused_here:
        form.add_error(None, NOTICE)
    return refused_here
