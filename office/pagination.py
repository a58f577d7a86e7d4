"""Keyset (cursor) pagination for registers, ledgers and the trail.

Django's Paginator runs COUNT(*) and OFFSET: at 1M rows COUNT is 14× slower and OFFSET 500000
took 530 ms, while a keyset page at the same depth took 0.3 ms (FIELD_NOTES.md, "Lists and
pagination"). A page is therefore "the next `size` rows after this cursor" in a fixed, total
order, and it never counts.

Usage from any app:

    page = keyset_page(qs, order=("-at", "-id"), after=request.GET.get("after"), size=50)
    page.rows          # list of at most `size` objects
    page.next_cursor   # opaque string for ?after=…, or None on the last page

The cursor is the ordering values of the page's last row, JSON-encoded and urlsafe-base64'd. It
is opaque to users but not secret: a forged cursor only moves inside the same filtered queryset,
whose visibility filter the caller applied before paging. A cursor that cannot be decoded raises
`InvalidCursor`, a `BadRequest`, so an uncaught one answers 400, not 500.
"""

import base64
import binascii
import datetime
import decimal
import json
import uuid
from dataclasses import dataclass

from django.core.exceptions import BadRequest, FieldDoesNotExist, ValidationError
from django.db.models import Model, Q

DEFAULT_SIZE = 50
MAX_SIZE = 500


class InvalidCursor(BadRequest):
    """The ?after= value is not a cursor this ordering produced."""

    def __init__(self, message="分页参数无效，请从第一页重新浏览。"):
        super().__init__(message)


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None
    size: int

    @property
    def has_next(self):
        return self.next_cursor is not None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def _split(term):
    return (term[1:], True) if term.startswith("-") else (term, False)


def _field_for(model, path):
    """The model field at the end of a lookup path such as "unit__sort_order"."""
    parts = path.split("__")
    field = None
    for index, part in enumerate(parts):
        name = "pk" if part == "pk" else part
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if index < len(parts) - 1:
            model = field.related_model
    if field.is_relation:
        field = field.target_field
    return field


def _value_of(row, path):
    """The ordering value of one row: a model instance, or a dict from .values()."""
    if isinstance(row, dict):
        return row[path]
    value = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value.pk if isinstance(value, Model) else value


def _to_json(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def encode_cursor(values):
    raw = json.dumps([_to_json(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor, fields):
    """The ordering values in `cursor`, converted back by the ordering fields' to_python."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor() from None
    if not isinstance(values, list) or len(values) != len(fields):
        raise InvalidCursor()
    try:
        converted = [field.to_python(value) for field, value in zip(fields, values, strict=True)]
    except (ValidationError, TypeError, ValueError):
        raise InvalidCursor() from None
    if any(value is None for value in converted):
        raise InvalidCursor()
    return converted


def _after_filter(terms, values):
    """Rows strictly after `values` in the ordering `terms`: for (a desc, b desc) that is
    a < x OR (a = x AND b < y), plus the redundant a <= x so an index on `a` bounds the scan."""
    condition = Q(pk__in=[])
    equal = Q()
    for (path, descending), value in zip(terms, values, strict=True):
        condition |= equal & Q(**{f"{path}__{'lt' if descending else 'gt'}": value})
        equal &= Q(**{path: value})
    first_path, first_descending = terms[0]
    bound = Q(**{f"{first_path}__{'lte' if first_descending else 'gte'}": values[0]})
    return bound & condition


def keyset_page(qs, *, order=("-at", "-id"), after=None, size=DEFAULT_SIZE):
    """One page of `qs` in the total order `order`, starting after the cursor `after`.

    `order` must end with a unique, non-null field (normally "id" or "-id") so that no two rows
    tie; the ordering fields must not be NULL. Runs exactly one query and never counts.
    """
    if not order:
        raise ValueError("keyset_page needs an ordering.")
    terms = [_split(term) for term in order]
    last_path = terms[-1][0]
    try:
        fields = [_field_for(qs.model, path) for path, _ in terms]
    except FieldDoesNotExist as exc:
        raise ValueError(f"keyset_page cannot order by {order!r}: {exc}") from exc
    if not (fields[-1].primary_key or fields[-1].unique) or "__" in last_path:
        raise ValueError("keyset_page's last ordering field must be the model's unique key.")
    size = max(1, min(int(size), MAX_SIZE))
    qs = qs.order_by(*order)
    if after:
        qs = qs.filter(_after_filter(terms, decode_cursor(after, fields)))
    rows = list(qs[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = encode_cursor([_value_of(rows[-1], path) for path, _ in terms])
    return Page(rows=rows, next_cursor=next_cursor, size=size)
