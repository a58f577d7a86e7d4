"""The pieces of a told story: the working-day clock, the story of one meeting (or one topic in
flight) with its unsaved rows and trail, and the 期号 placeholder filled in once numbered."""

import bisect
import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from office.calendar import WorkingCalendar

from ..models import Meeting, Minutes

OPENS, CLOSES = 8 * 60 + 40, 18 * 60


class Cut(Exception):
    """The story reached the present moment, or the step it is held at."""


@dataclass
class IssueText:
    """The minutes' 期号, known only once the year's minutes are numbered (for trail opinions)."""

    minutes: Minutes
    with_title: bool

    def __str__(self):
        text = self.minutes.issue_text
        return (
            f"{self.minutes.meeting.meeting_type.minutes_title} {text}" if self.with_title else text
        )


@dataclass
class Story:
    """One meeting (or one topic in flight) with everything it brings, and its trail."""

    key: tuple
    meeting: Meeting | None = None
    topics: list = field(default_factory=list)
    opinions: list = field(default_factory=list)
    agenda: list = field(default_factory=list)
    attendances: list = field(default_factory=list)
    minutes: Minutes | None = None
    decided: list = field(default_factory=list)  # (DecidedItem, [co Units])
    receipts: list = field(default_factory=list)  # MinutesReceipt, once dispatched
    events: list = field(
        default_factory=list
    )  # (at, actor, action, label, before, after, opinion, obj)
    hold: str = ""
    subject: tuple = ()  # (unit key, subject) of a work meeting
    cast: tuple = ()  # (rng, attendees, observers, topic subjects), told once all are planned


class Clock:
    """Working days and moments on them (local time)."""

    def __init__(self, start, end, now):
        calendar = WorkingCalendar(start, end)
        span = (end - start).days + 1
        days = (start + datetime.timedelta(days=i) for i in range(span))
        self.days = [day for day in days if calendar.is_working_day(day)]
        self.working = set(self.days)
        self.now = now
        self.tz = timezone.get_current_timezone()

    def index(self, day):
        return bisect.bisect_right(self.days, day) - 1

    def at(self, day, minute):
        return datetime.datetime.combine(
            day, datetime.time(minute // 60, minute % 60), tzinfo=self.tz
        )

    def office(self, rng, index):
        minute = rng.randint(OPENS, 11 * 60 + 50)
        if rng.random() < 0.45:
            minute = rng.randint(14 * 60 + 30, 17 * 60 + 40)
        return self.at(self.days[index], minute)

    def later(self, rng, moment, days=0, lo=10, hi=120):
        """`days` working days after `moment` (office hours), or lo–hi minutes later the same day
        (the next morning once the office has closed)."""
        index = self.index(timezone.localtime(moment, self.tz).date())
        if days:
            return self.office(rng, index + days)
        then = moment + datetime.timedelta(minutes=rng.randint(lo, hi))
        local = timezone.localtime(then, self.tz)
        if local.hour * 60 + local.minute <= CLOSES and local.date() == self.days[index]:
            return then
        return self.at(self.days[index + 1], rng.randint(OPENS, OPENS + 50))


def short(unit):
    return unit.short_name or unit.name
