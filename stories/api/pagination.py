"""Cursor pagination in a list's own order.

A cursor holds the sort values of the last item of a page; the next page is
the items after it in the same order (keyset pagination), so walking the
pages never repeats or skips an item, whatever is posted meanwhile, and a
deep page costs what the first does.
"""

import base64
import binascii
import json
import math
from datetime import UTC, datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from archive.text import CONTROL_RE

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_CURSOR_LENGTH = 2000
# A listing newest first off a tag's postings orders by the posting's copy of
# the work's update date: the work's own column holds the same value.
SAME_VALUE = {"tagged_items__work_updated_at": "updated_at"}
BIGGEST_INTEGER = 2**63 - 1


def ordering_keys(queryset):
    """Return the queryset's order as (field, descending) pairs."""
    keys = []
    for name in queryset.query.order_by:
        descending = name.startswith("-")
        name = name.lstrip("-")
        name = SAME_VALUE.get(name, name)
        keys.append(("id" if name == "pk" else name, descending))
    if not keys or keys[-1][0] != "id":
        raise ValueError("A cursor needs an order that ends with the id.")
    return keys


def after(keys, values):
    """Return the condition true of the items after these values in this order."""
    condition = Q(pk__in=[])
    equal = Q()
    for (name, descending), value in zip(keys, values, strict=True):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        condition |= equal & step
        equal &= Q(**{name: value})
    return condition


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _value_from_json(value, example):
    """Return a cursor's value as the type of the same key's example, or raise
    ValueError: only what the database takes safely."""
    if isinstance(example, datetime):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(example, bool) or isinstance(value, bool):
        raise ValueError(value)
    if isinstance(example, int):
        if not isinstance(value, int) or abs(value) > BIGGEST_INTEGER:
            raise ValueError(value)
        return value
    if isinstance(example, float):
        if not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(value)
        return float(value)
    if isinstance(example, str):
        if not isinstance(value, str) or CONTROL_RE.search(value):
            raise ValueError(value)
        value.encode()  # a lone surrogate cannot be sent to the database
        return value
    raise ValueError(value)


class KeysetPagination(BasePagination):
    """Pages of `page_size` items (20, at most 100) and a `next` link that
    carries the cursor of the page after."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    invalid_cursor = _("This cursor is not one this list gave.")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self._page_size(request)
        self.next_cursor = None
        if queryset.query.is_empty():
            # Found to match nothing before it was ordered (a tag unknown).
            return []
        self.keys = ordering_keys(queryset)
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor:
            queryset = queryset.filter(after(self.keys, self._decode(cursor, queryset)))
        rows = list(queryset[: self.page_size + 1])
        if len(rows) > self.page_size:
            rows = rows[: self.page_size]
            self.next_cursor = self._encode(rows[-1])
        return rows

    def _page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return PAGE_SIZE
        try:
            size = int(text)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(most)s.")
                        % {"most": MAX_PAGE_SIZE}
                    ]
                }
            )
        return size

    def _encode(self, item):
        values = [_json_value(getattr(item, name)) for name, _descending in self.keys]
        text = json.dumps(values, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def _decode(self, cursor, queryset):
        try:
            if len(cursor) > MAX_CURSOR_LENGTH:
                raise ValueError(cursor)
            padded = cursor + "=" * (-len(cursor) % 4)
            values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not isinstance(values, list) or len(values) != len(self.keys):
                raise ValueError(values)
            examples = self._examples(queryset)
            return [
                _value_from_json(value, examples[name])
                for value, (name, _descending) in zip(values, self.keys, strict=True)
            ]
        except (ValueError, TypeError, UnicodeError, binascii.Error) as error:
            raise ValidationError(
                {self.cursor_query_param: [self.invalid_cursor]}
            ) from error

    def _examples(self, queryset):
        """Return a value of each key's type, to check a cursor's values by."""
        examples = {}
        for name, _descending in self.keys:
            if name in queryset.query.annotations:
                examples[name] = 0.0
                continue
            field = queryset.model._meta.get_field(name)
            internal = field.get_internal_type()
            if internal in {"DateTimeField"}:
                examples[name] = datetime(2000, 1, 1, tzinfo=UTC)
            elif "Integer" in internal or "AutoField" in internal:
                examples[name] = 0
            else:
                examples[name] = ""
        return examples

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_next_link(self):
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page's address; null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where a page starts: taken from the `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items a page, {PAGE_SIZE} unless given.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
