"""The demo stories' clock: the working days of the seeded span (office.seed.rows.WorkingDays)
and moments on them, with the same answers as office.calendar; a story that reaches the present
moment stops with `Cut`."""

import datetime


class Cut(Exception):
    """The story reached the present moment."""


class Clock:
    """Working days (office.seed.rows.WorkingDays) and moments on them."""

    def __init__(self, working, now, tz):
        self.days = working.days
        self.working = set(self.days)
        self.index = working.index_on_or_before
        self.now = now
        self.today = now.astimezone(tz).date()
        self.tz = tz

    def add(self, day, n):
        """office.calendar.add_working_days on the loaded span."""
        i = self.index(day)
        if n > 0:
            return self.days[i + n]
        if n == 0:
            return day if day in self.working else self.days[i + 1]
        return self.days[i + n + (0 if day in self.working else 1)]

    def between(self, start, end):
        """office.calendar.working_days_between for start <= end."""
        return self.index(end) - self.index(start)

    def at(self, day, minute):
        return datetime.datetime.combine(
            day, datetime.time(minute // 60, minute % 60), tzinfo=self.tz
        )
