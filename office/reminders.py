"""Deadline reminders, sent once per (object, kind, day).

Each app runs one periodic sweeper over an indexed due-date column (FIELD_NOTES.md: one beat
entry or ETA task per item does not scale); for each item due it calls `remind_once`, which
records the reminder with INSERT … ON CONFLICT DO NOTHING and writes the notifications only when
this call inserted the row — so a sweeper running twice, or two sweepers at once, send nothing
twice. Call it inside a transaction so the reminder row and its notifications commit together.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
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
