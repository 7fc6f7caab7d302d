"""How often one client may ask the API: a rate per address, in the shared cache."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from archive.cache import SHARED_ONLY_PREFIX


class GuestRateThrottle(SimpleRateThrottle):
    """At most REST_FRAMEWORK's "guest" rate of requests per client address.

    Past it the answer is 429 with Retry-After. The counts are kept under the
    shared-only prefix: a process's own copy of them would count only its own
    requests.
    """

    scope = "guest"
    cache_format = SHARED_ONLY_PREFIX + "api-throttle:%(scope)s:%(ident)s"

    def get_rate(self):
        # Read at each request, not once at import as DRF's class attribute is,
        # so that the setting is the rate whenever it changes.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
