"""Deadline reminders, sent once per (object, kind, day).

Each app runs one periodic sweeper over an indexed due-date column (FIELD_NOTES.md: one beat
entry or ETA task per item does not scale); for each item due it calls `remind_once`, which
records the reminder with INSERT … ON CONFLICT DO NOTHING and writes the notifications only when
this call inserted the row — so a sweeper running twice, or two sweepers at once, send nothing
twice. Call it inside a transaction so the reminder row and its notifications commit together.

A sweeper with many items due reads them with `sweep_chunks` (keyset chunks claimed with SELECT …
FOR UPDATE SKIP LOCKED, one transaction each) and records a whole chunk's reminders of one kind
with `claim_many` (one INSERT … ON CONFLICT DO NOTHING RETURNING), then sends one notification
per recipient group for what it recorded: `SweepRun` keeps a run's day and its look-ups
(recipients, unit names, working days) once, `groups` sorts the recorded rows into recipient
groups and `tell_group` sends each group one notification — about the item when there is one,
else a list of the items.
"""

import itertools

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import calendar
from .models import Reminder, Unit, User
from .notifications import notify
from .selectors import unit_people


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


class SweepRun:
    """One sweep's day and caches: a unit's people, a leader, a unit's name and the working days
    between two dates are looked up once per run."""

    def __init__(self, today):
        self.today = today
        self._people, self._leaders, self._units, self._working_days = {}, {}, {}, {}

    def working_days(self, start, end):
        """office.calendar.working_days_between, once per pair of dates in a run (items due
        share a handful of dates; each call reads the calendar)."""
        if (start, end) not in self._working_days:
            self._working_days[start, end] = calendar.working_days_between(start, end)
        return self._working_days[start, end]

    def unit_recipients(self, unit_id):
        if unit_id not in self._people:
            self._people[unit_id] = unit_people([unit_id])
        return self._people[unit_id]

    def leader_recipients(self, leader_id):
        """The leader and their 联线副秘书长 (联线领导服务制)."""
        if leader_id not in self._leaders:
            leader = User.objects.select_related("liaison").get(pk=leader_id)
            self._leaders[leader_id] = [leader, leader.liaison]
        return self._leaders[leader_id]

    def unit_name(self, unit_id):
        if unit_id not in self._units:
            self._units[unit_id] = Unit.objects.values_list("name", flat=True).get(pk=unit_id)
        return self._units[unit_id]


def groups(rows, key):
    """[(key, rows)] of `rows` grouped by `key(row)`: one notification per recipient group."""
    ordered = sorted(rows, key=key)
    return [(value, list(group)) for value, group in itertools.groupby(ordered, key=key)]


def tell_group(
    recipients, rows, *, messages, label, name, model, url, counter, listed, more, list_url, urgent
):
    """One notification to a recipient group about the reminded `rows` (with `id`): about the
    item when there is one (titled `label：name(row)`, linked with `url(obj)`), else a list of at
    most `listed` items (`name(row)：message`) under `N<counter><label>`, with `more` (where to
    see them all) when there are more, linked to `list_url`. `messages` maps id → text."""
    if len(rows) == 1:
        obj = model(pk=rows[0].id)
        notify(
            recipients,
            title=f"{label}：{name(rows[0])}",
            body=messages[obj.pk],
            url=url(obj),
            obj=obj,
            urgent=urgent,
        )
        return
    lines = [f"{name(r)}：{messages[r.id]}" for r in rows[:listed]]
    if len(rows) > listed:
        lines.append(f"……等{len(rows)}{counter}，详见{more}。")
    notify(
        recipients,
        title=f"{len(rows)}{counter}{label}",
        body="\n".join(lines),
        url=list_url,
        urgent=urgent,
    )
