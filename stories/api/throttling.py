"""How often one client may ask the API: the site's "api" rate limit."""

from rest_framework.throttling import BaseThrottle

from archive import ratelimits


class ApiRateThrottle(BaseThrottle):
    """At most RATE_LIMITS["api"] requests per client network; past it the
    answer is 429 with Retry-After. Counted by archive/ratelimits.py, as every
    limit of the site is, in the shared cache."""

    def allow_request(self, request, view):
        self.refusal = ratelimits.check(request._request, "api")
        return self.refusal is None

    def wait(self):
        return self.refusal.retry_after
