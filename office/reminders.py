"""Deadline reminders, sent once per (object, kind, day).

Each app runs one periodic sweeper over an indexed due-date column (FIELD_NOTES.md: one beat
entry or ETA task per item does not scale); for each item due it calls `remind_once`, which
records the reminder with INSERT … ON CONFLICT DO NOTHING and writes the notifications only when
this call inserted the row — so a sweeper running twice, or two sweepers at once, send nothing
twice. Call it inside a transaction so the reminder row and its notifications commit together.

A sweeper with many items due reads them with `sweep_chunks` (keyset chunks claimed with SELECT …
FOR UPDATE SKIP LOCKED, one transaction each) and records a whole chunk's reminders of one kind
with `claim_many` (one INSERT … ON CONFLICT DO NOTHING RETURNING), then sends one notification
per recipient group for what it recorded.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Reminder
from .notifications import notify


def claim(obj, kind, day):
    """Record the reminder; True if this call recorded it (and so must send it)."""
    content_type = ContentType.objects.get_for_model(obj)
    table = connection.ops.quote_name(Reminder._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, kind, day, created_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (content_type_id, object_id, kind, day) DO NOTHING RETURNING id",
            [content_type.pk, obj.pk, kind, day, timezone.now()],
        )
        return cursor.fetchone() is not None


def remind_once(obj, *, kind, recipients, title, body="", url="", urgent=False, day=None):
    """Send a reminder about `obj` unless one of this kind was already sent that day."""
    day = day or timezone.localdate()
    with transaction.atomic():
        if not claim(obj, kind, day):
            return []
        return notify(recipients, title=title, body=body, url=url, obj=obj, urgent=urgent)


def claim_many(model, kind, day, object_ids):
    """`claim` for many objects of `model` at once: the ids whose reminder this call recorded
    (the others were reminded that day already, by an earlier run or a concurrent one)."""
    object_ids = list(object_ids)
    if not object_ids:
        return set()
    content_type = ContentType.objects.get_for_model(model)
    table = connection.ops.quote_name(Reminder._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, kind, day, created_at) "  # noqa: S608
            "SELECT %s, object_id, %s, %s, %s FROM unnest(%s::bigint[]) AS r(object_id) "
            "ON CONFLICT (content_type_id, object_id, kind, day) DO NOTHING RETURNING object_id",
            [content_type.pk, kind, day, timezone.now(), object_ids],
        )
        return {row[0] for row in cursor.fetchall()}


def sweep_chunks(queryset, *, key, size, handle):
    """Hand the rows of `queryset` (the items due, on an index ordered by `key` and then id) to
    `handle(chunk)` in chunks of `size`, read by keyset and claimed with SELECT … FOR UPDATE SKIP
    LOCKED, each chunk in its own transaction (two sweepers share the work instead of waiting on
    each other; a run that dies half-way keeps the chunks it finished). Rows need `id` and `key`
    attributes (model instances or named values_list rows); `handle` returns how many reminders
    it sent, and so does this function, in total."""
    order = (key, "id") if key != "id" else ("id",)
    sent, after = 0, None
    while True:
        with transaction.atomic():
            page = queryset if after is None else queryset.filter(_after(key, after))
            chunk = list(
                page.select_for_update(skip_locked=True, of=("self",)).order_by(*order)[:size]
            )
            if not chunk:
                return sent
            last = chunk[-1]
            after = (getattr(last, key), last.id) if key != "id" else (last.id,)
            sent += handle(chunk)
        if len(chunk) < size:
            return sent


def _after(key, after):
    """Rows after the last one read, by the index key (keyset); the first clause lets the index
    range start there."""
    if key == "id":
        return Q(id__gt=after[0])
    value, pk = after
    return Q(**{f"{key}__gte": value}) & (Q(**{f"{key}__gt": value}) | Q(id__gt=pk))
