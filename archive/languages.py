"""The interface's language: the switcher, and a signed-in reader's saved choice.

Django's LocaleMiddleware picks a guest's language from the language cookie,
else the browser's Accept-Language; a signed-in reader's saved language comes
first (UserLanguageMiddleware), on every device they log in on. Addresses have
no language prefix, so every page's address is the same in every language;
cached pages and parts name the language in their keys (stories/caching.py).
"""

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from archive.redirects import redirect_to_next


class LanguageForm(forms.Form):
    """The switcher in every page's header."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


def set_language_cookie(response, language):
    """Keep the language in the cookie LocaleMiddleware reads, as Django's
    set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@transaction.atomic
def user_language_set(*, user, language: str) -> None:
    """Save the interface language a reader chose (no cached part shows it)."""
    user.language = language
    user.save(update_fields=["language"])


@csrf_exempt
@require_POST
def set_language(request):
    """Switch the interface language and go back to the page (a checked next).

    Django's own set_language, but following "next" only within the archive as
    every form here does (never the Referer), and saving a signed-in reader's
    choice on their account. A signed-in reader's switch changes their account,
    so it carries the form token; a guest's sets one cookie of theirs only, and
    carries none, so that the pages guests are served whole from the cache have
    no token in them (nor set the token's cookie).
    """
    if request.user.is_authenticated:
        return _switch_saved(request)
    return _switch(request)


def _switch(request):
    response = redirect_to_next(request, "stories:home")
    form = LanguageForm(request.POST)
    if form.is_valid():
        language = form.cleaned_data["language"]
        set_language_cookie(response, language)
        if request.user.is_authenticated:
            user_language_set(user=request.user, language=language)
    return response


_switch_saved = csrf_protect(_switch)


class UserLanguageMiddleware:
    """Speak a signed-in reader's saved language, and keep it in their cookie
    so that it stays after they log out.

    After AuthenticationMiddleware; reading the user costs nothing more, as
    every signed-in page reads it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = _saved_language(request)
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Saved again by this request (the switcher), or first seen on log-in.
        language = _saved_language(request)
        if (
            language
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies
        ):
            set_language_cookie(response, language)
        return response


def in_language_of(user):
    """Return a context in which emails to this person are written in their
    saved language (the site's default without one), as no request says it."""
    language = getattr(user, "language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return translation.override(language)


def _saved_language(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    language = getattr(user, "language", "")
    return language if language in dict(settings.LANGUAGES) else ""
