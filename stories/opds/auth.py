"""Readers who sign in to the catalogue with HTTP Basic, as e-readers do.

KOReader and most OPDS clients keep a user name and password per catalogue and
send them with every request; no session is made and nothing is written. A
request without credentials is a guest's (or, in a browser, the session's
reader's, as the tag feeds have it); wrong credentials are refused with 401.
"""

import base64
import binascii
from functools import wraps

from django.contrib.auth import authenticate
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

REALM = "Fan Archive catalogue"


class BadCredentials(Exception):
    """The Authorization header names no active account with that password."""


def basic_credentials(header):
    """Return (user name, password) from a Basic Authorization header, or None
    when it is not Basic; raise BadCredentials when it cannot be read."""
    scheme, _space, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error as error:
        raise BadCredentials from error
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Clients that predate RFC 7617's charset send Latin-1.
        decoded = raw.decode("latin-1")
    username, colon, password = decoded.partition(":")
    if not colon or not username:
        raise BadCredentials
    return username, password


def challenge(message=None):
    """Return the 401 that asks for a user name and password."""
    response = HttpResponse(
        message or _("Wrong user name or password for the catalogue."),
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def basic_auth_reader(view):
    """Let the view's reader be whoever the request's Basic credentials name.

    The reader is set on the request for this request alone (no session, no
    last-login write); wrong credentials get a 401 with a challenge. The
    responses vary by those credentials, and a signed-in reader's are private.
    """

    @wraps(view)
    def with_reader(request, *args, **kwargs):
        header = request.headers.get("Authorization", "")
        try:
            credentials = basic_credentials(header) if header else None
        except BadCredentials:
            return challenge()
        if credentials is not None:
            username, password = credentials
            user = authenticate(request, username=username, password=password)
            if user is None:
                return challenge()
            request.user = user
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if request.user.is_authenticated:
            response["Cache-Control"] = "private"
        return response

    return with_reader


def basic_auth_required(view):
    """Ask for credentials when there are none, for clients that send them only
    when challenged; the reader then signs in as basic_auth_reader has it."""

    @wraps(view)
    def signed_in(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return challenge(_("Sign in with your user name and password."))
        return view(request, *args, **kwargs)

    return basic_auth_reader(signed_in)
