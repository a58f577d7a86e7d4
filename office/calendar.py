"""The working-day calendar: deadlines are counted in working days (DOMAIN.md §2).

Statutory holidays and 调休 working weekends come from `chinese-calendar`; the office's own
overrides (CalendarOverride) win over it, and cover the years it does not ship data for. For an
uncovered year without overrides, Monday to Friday are working days — `year_is_covered()` lets the
calendar page warn the system administrator to enter that year's holidays.
"""

import datetime
import functools
import math
import re

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import CalendarOverride


def _shipped_is_working_day(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def year_is_covered(year):
    """Whether the shipped calendar knows the year's holidays, or the office entered overrides."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
        return True
    except NotImplementedError:
        return CalendarOverride.objects.filter(date__year=year).exists()


class WorkingCalendar:
    """Answers working-day questions over a span, with overrides loaded in one query."""

    def __init__(self, start, end):
        self.start, self.end = start, end
        self.overrides = dict(
            CalendarOverride.objects.filter(date__range=(start, end)).values_list(
                "date", "is_working_day"
            )
        )

    def is_working_day(self, day):
        if day in self.overrides:
            return self.overrides[day]
        return _shipped_is_working_day(day)


def is_working_day(day):
    return WorkingCalendar(day, day).is_working_day(day)


def add_working_days(start, n):
    """The date n working days after `start` (n > 0) or before it (n < 0); n == 0 gives the
    first working day on or after `start`. Used for every handling deadline (办文办事限时制)."""
    step = 1 if n >= 0 else -1
    # Even the Spring Festival never removes more than 10 working days from a 3-week span.
    span = datetime.timedelta(days=abs(n) * 2 + 30)
    lo, hi = (start, start + span) if step > 0 else (start - span, start)
    calendar = WorkingCalendar(lo, hi)
    day = start
    if n == 0:
        while not calendar.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining:
        day += datetime.timedelta(days=step)
        if not (lo <= day <= hi):
            calendar = WorkingCalendar(min(day, lo), max(day, hi) + span)
            lo, hi = calendar.start, calendar.end
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (negative when end < start):
    how many working days remain until a deadline, or how late it is."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    lo, hi = sorted((start, end))
    calendar = WorkingCalendar(lo, hi)
    count, day = 0, lo
    while day < hi:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return sign * count


# --- Working hours (办文办事限时制 in hours, e.g. 签收 within 8 working hours, DOMAIN.md §4) ----

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@functools.cache
def _parse_office_hours(text):
    periods = []
    for part in text.split(","):
        match = _PERIOD.match(part)
        if not match:
            raise ImproperlyConfigured(
                f"OFFICE_HOURS “{text}” 格式有误：应为“08:30-12:00,14:30-17:30”这样的时段列表。"
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            start, end = datetime.time(h1, m1), datetime.time(h2, m2)
        except ValueError as exc:
            raise ImproperlyConfigured(f"OFFICE_HOURS “{text}” 中的时间无效：{part}") from exc
        if start >= end or (periods and start < periods[-1][1]):
            raise ImproperlyConfigured(
                f"OFFICE_HOURS “{text}” 的时段须按时间先后排列、互不重叠，且开始早于结束。"
            )
        periods.append((start, end))
    return tuple(periods)


def office_hours():
    """The office's daily working periods from settings.OFFICE_HOURS ("08:30-12:00,14:30-17:30"),
    as ((start, end), …) local times in order."""
    return _parse_office_hours(settings.OFFICE_HOURS)


def add_working_hours(start, hours):
    """The moment `hours` working hours after `start` (an aware datetime; the result is aware, in
    the current time zone). Only time inside office hours (OFFICE_HOURS) on working days counts —
    evenings, lunch breaks, weekends and holidays do not, 调休 working weekends do, and the
    office's calendar overrides win (is_working_day). A deadline that falls exactly at the end of
    a period stays there (e.g. 17:30) rather than moving to the next morning; `hours == 0` gives
    the first office moment at or after `start`."""
    if timezone.is_naive(start):
        raise ValueError("add_working_hours needs an aware datetime.")
    if hours < 0:
        raise ValueError("add_working_hours counts forwards only.")
    periods = office_hours()
    remaining = datetime.timedelta(hours=hours)
    cursor = timezone.localtime(start)
    day = cursor.date()
    daily = sum(
        (
            datetime.datetime.combine(day, end) - datetime.datetime.combine(day, begin)
            for begin, end in periods
        ),
        datetime.timedelta(),
    )
    # Calendar days to load at once: the working days needed, twice over, plus a Spring Festival.
    span = datetime.timedelta(days=math.ceil(remaining / daily) * 2 + 30)
    calendar = WorkingCalendar(day, day + span)
    while True:
        if day > calendar.end:
            calendar = WorkingCalendar(day, day + span)
        if calendar.is_working_day(day):
            for begin, end in periods:
                opens = timezone.make_aware(datetime.datetime.combine(day, begin))
                closes = timezone.make_aware(datetime.datetime.combine(day, end))
                if closes <= cursor:
                    continue
                opens = max(opens, cursor)
                if remaining <= closes - opens:
                    return opens + remaining
                remaining -= closes - opens
        day += datetime.timedelta(days=1)


class Light:
    """红黄绿灯 for anything with a deadline (DOMAIN.md §2)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    LABELS = {GREEN: "正常", YELLOW: "临期", RED: "逾期"}


WARNING_WORKING_DAYS = 3


def traffic_light(due, *, today=None, warning=WARNING_WORKING_DAYS):
    """Green while on track, yellow within `warning` working days of the deadline, red overdue."""
    if due is None:
        return Light.GREEN
    today = today or timezone.localdate()
    if today > due:
        return Light.RED
    return Light.YELLOW if working_days_between(today, due) <= warning else Light.GREEN


def traffic_lights(dues, *, today=None, warning=WARNING_WORKING_DAYS):
    """`traffic_light` for many deadlines at once with one calendar query (a list page's lights
    must not cost a query per row)."""
    today = today or timezone.localdate()
    upcoming = [due for due in dues if due is not None and due >= today]
    calendar = WorkingCalendar(today, max(upcoming)) if upcoming else None
    lights = []
    for due in dues:
        if due is None:
            lights.append(Light.GREEN)
        elif today > due:
            lights.append(Light.RED)
        else:
            remaining, day = 0, today
            while day < due and remaining <= warning:
                day += datetime.timedelta(days=1)
                remaining += calendar.is_working_day(day)
            lights.append(Light.YELLOW if remaining <= warning else Light.GREEN)
    return lights
