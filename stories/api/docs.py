"""The API's documentation as a plain page, rendered here from its own schema.

Swagger UI and Redoc are JavaScript applications loaded from a CDN; the archive
loads nothing from elsewhere and runs no inline script, so the docs are
rendered on the server from the very schema drf-spectacular serves at
/api/v1/schema/, and cannot drift from it.
"""

import functools

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from stories.api.pagination import MAX_PAGE_SIZE, PAGE_SIZE

METHODS_SHOWN = ("get",)


@functools.cache
def schema():
    """Return the API's OpenAPI schema, made once a process (it is the code's)."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _ref_name(ref):
    return ref.rsplit("/", 1)[-1]


def describe(spec):
    """Return a field's type as the docs show it: words, and the object it
    refers to if any."""
    spec = spec or {}
    if "$ref" in spec:
        return {"text": "", "ref": _ref_name(spec["$ref"])}
    if "allOf" in spec and len(spec["allOf"]) == 1:
        return describe(spec["allOf"][0])
    if spec.get("type") == "array":
        inner = describe(spec.get("items"))
        return {"text": f"list of {inner['text']}".strip(), "ref": inner["ref"]}
    text = spec.get("type", "object")
    if spec.get("format"):
        text = f"{text} ({spec['format']})"
    if spec.get("enum"):
        text = f"one of {', '.join(str(value) for value in spec['enum'] if value)}"
    if spec.get("nullable"):
        text = f"{text} or null"
    return {"text": text, "ref": None}


def _fields(spec):
    required = set(spec.get("required", ()))
    return [
        {
            "name": name,
            "type": describe(field),
            "required": name in required,
            "description": field.get("description", ""),
        }
        for name, field in spec.get("properties", {}).items()
    ]


def _answer(operation):
    """Return what an operation answers with: an object, or a page of them."""
    content = operation["responses"].get("200", {}).get("content", {})
    spec = next(iter(content.values()), {}).get("schema", {})
    if "$ref" in spec:
        name = _ref_name(spec["$ref"])
        page = schema()["components"]["schemas"].get(name, {})
        results = page.get("properties", {}).get("results")
        if name.startswith("Paginated") and results:
            return {"paged": True, "type": describe(results["items"])}
    return {"paged": False, "type": describe(spec)}


def operations():
    """Return the API's operations, in the order of its addresses."""
    shown = []
    for path, methods in schema()["paths"].items():
        for method in METHODS_SHOWN:
            operation = methods.get(method)
            if operation is None:
                continue
            shown.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": describe(parameter.get("schema")),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "answer": _answer(operation),
                }
            )
    return shown


def objects():
    """Return the objects the API answers with, but the pages wrapping them."""
    return [
        {
            "name": name,
            "description": spec.get("description", ""),
            "fields": _fields(spec),
        }
        for name, spec in schema()["components"]["schemas"].items()
        if not name.startswith("Paginated") and "properties" in spec
    ]


def _rate_in_words(rate):
    """Say a rate in words: "120/m" as "120 requests a minute", "3/10m" as
    "3 requests in 10 minutes"."""
    if not rate:
        return "without limit"
    number, period = rate.split("/")
    unit = {"s": "second", "m": "minute", "h": "hour", "d": "day"}[period[-1]]
    if period[:-1] in ("", "1"):
        return f"{number} requests a {unit}"
    return f"{number} requests in {period[:-1]} {unit}s"


def api_docs(request):
    """Show the API's documentation."""
    info = schema()["info"]
    example = request.build_absolute_uri(reverse("api:work_list"))
    return render(
        request,
        "api/docs.html",
        {
            "info": info,
            "operations": operations(),
            "objects": objects(),
            "schema_url": reverse("api:schema"),
            "example": f"{example}?include=Original+Work&sort=kudos&page_size=5",
            "page_size": PAGE_SIZE,
            "max_page_size": MAX_PAGE_SIZE,
            "rate": _rate_in_words(settings.RATE_LIMITS["api"]),
            "max_age": settings.API_MAX_AGE,
        },
    )
