"""Generic helpers the duty apps' demo seeders share (`manage.py seed_demo`): writing many rows
fast, raising a register's counter past the numbers a seeder took, and the working days of the
seeded year from one calendar query. They know only the core's models (the trail, the serial
counters, the calendar): `office` never imports a duty app (STYLE.md)."""

import bisect
import datetime

from django.db import connection

from office.calendar import WorkingCalendar
from office.models import SerialCounter, TrailEvent

# Rows per bulk_create / multi-row INSERT.
BATCH = 1000

# The trail's columns in the order the seeders build their rows (TrailEvent's fields, less id
# and ip).
TRAIL_COLUMNS = (
    "at",
    "actor",
    "actor_name",
    "action",
    "action_label",
    "outcome",
    "content_type",
    "object_id",
    "object_repr",
    "classification",
    "from_state",
    "to_state",
    "opinion",
)


def insert_rows(columns, rows):
    """Append trail rows with plain multi-row INSERTs. A year's trail is ~70,000 rows, and the
    ORM's per-field preparation of bulk_create would be most of the seeder's time; the rows are
    built from values that need no preparation beyond the datetime's. Only INSERT: the trail is
    append-only (office.models.TrailEvent)."""
    meta = TrailEvent._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(meta.get_field(name).column) for name in columns)
    size = min(BATCH, (connection.features.max_query_params or 65535) // len(columns))
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            values = ", ".join([row] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES {values}",  # noqa: S608
                [value for values in chunk for value in values],
            )


def raise_counter(key, year, number):
    """Move register `key`'s counter for `year` up to `number` (never down), so the next number
    allocated after the seeded ones follows them without a gap or a duplicate."""
    counter, _ = SerialCounter.objects.get_or_create(key=key, year=year)
    if counter.last_number < number:
        SerialCounter.objects.filter(pk=counter.pk).update(last_number=number)


class WorkingDays:
    """The working days around the seeded year, from one calendar query: the same answers as
    office.calendar.add_working_days, fast enough for thousands of deadlines."""

    def __init__(self, start, end):
        calendar = WorkingCalendar(start, end)
        span = (end - start).days + 1
        self.days = [
            day
            for day in (start + datetime.timedelta(days=i) for i in range(span))
            if calendar.is_working_day(day)
        ]

    def index_on_or_before(self, day):
        return bisect.bisect_right(self.days, day) - 1
