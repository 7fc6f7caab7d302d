"""The benchmark's own page and query counter; archive.settings.bench only."""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path


def baseline(request):
    """Answer with a few constant bytes: the cost of Django and nothing else."""
    return HttpResponse(b"ok", content_type="text/plain")


class QueryCountMiddleware:
    """Count the database queries of each request into an X-Queries header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Queries"] = str(queries)
        return response


urlpatterns = [
    path("bench/baseline/", baseline, name="bench_baseline"),
    path("", include("archive.urls")),
]
