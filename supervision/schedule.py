"""The dates on which an open item's light changes, besides its deadline (DOMAIN.md §6, issue 6
"Urge"): when its next progress report is due by the reporting cadence (红灯 when missed), and
from when it is behind schedule (黄灯, 序时进度): its reported progress below the elapsed share of
its time, or a milestone due unreached.

Pure functions of dates: the workflow stores their results on the item (`report_due_on`,
`behind_on`) whenever progress, milestones or the deadline change, so lights stay plain date
comparisons in SQL (supervision.measures)."""

import calendar
import datetime
import math

from .models import Cadence

# The first report is due no sooner than this after assignment.
FIRST_REPORT_AFTER_DAYS = 7

_QUARTER_END_MONTHS = (3, 6, 9, 12)
WEEKDAYS = "一二三四五"


def cadence_text(item, *, notice=False):
    """报送周期 in words, for anything with `report_cadence` and `report_day` (an item, an
    import row): on a page as people say it — 每月 25 日前, 每季度末月 25 日前, 每周星期五,
    不定期; with `notice`, the 报送要求 sentence of a 督办单 — 「每月25日前报送进展」,
    「每季度末月（3、6、9、12月）25日前报送进展」, 「每周五前报送进展」. A weekly day is
    clamped to Monday–Friday, as report_day_after reads it."""
    day = item.report_day
    cadence = item.report_cadence
    if cadence == Cadence.WEEKLY:
        weekday = WEEKDAYS[min(max(day, 1), 5) - 1]
        return f"每周{weekday}前报送进展" if notice else f"每周星期{weekday}"
    if cadence == Cadence.MONTHLY:
        return f"每月{day}日前报送进展" if notice else f"每月 {day} 日前"
    if cadence == Cadence.QUARTERLY:
        return (
            f"每季度末月（3、6、9、12月）{day}日前报送进展" if notice else f"每季度末月 {day} 日前"
        )
    return "不定期报送进展，工作取得重要进展时及时报送" if notice else "不定期"


def _day_of(year, month, day):
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def report_day_after(day, cadence, report_day):
    """The first reporting day strictly after `day` (None when reports are not on a cadence)."""
    if cadence == Cadence.WEEKLY:
        weekday = min(max(report_day, 1), 5) - 1
        ahead = (weekday - day.weekday()) % 7 or 7
        return day + datetime.timedelta(days=ahead)
    if cadence in (Cadence.MONTHLY, Cadence.QUARTERLY):
        year, month = day.year, day.month
        for _ in range(13):
            if cadence == Cadence.MONTHLY or month in _QUARTER_END_MONTHS:
                candidate = _day_of(year, month, report_day)
                if candidate > day:
                    return candidate
            month += 1
            if month > 12:
                year, month = year + 1, 1
    return None


def first_report_due(start, cadence, report_day, deadline):
    """The first report after assignment: the first reporting day at least a week away."""
    due = report_day_after(
        start + datetime.timedelta(days=FIRST_REPORT_AFTER_DAYS - 1), cadence, report_day
    )
    return due if due is not None and due <= deadline else None


def next_report_due(*, reported_on, current_due, cadence, report_day, deadline):
    """After a report (approved on `reported_on`): the reporting day after the period it
    covers — an early report satisfies the current period, a late one the periods it missed."""
    after = max(reported_on, current_due) if current_due else reported_on
    due = report_day_after(after, cadence, report_day)
    return due if due is not None and due <= deadline else None


def behind_on(*, start, deadline, progress, milestones, cadence, report_day):
    """The first day the item is behind schedule, or None.

    - by time: progress p% is behind from the first day on which more than p% of the time from
      `start` to `deadline` has elapsed — but not before the first report was due (a fresh item
      at 0% is not behind the day after assignment);
    - by milestones: the day after the earliest unreached milestone's date.
    `milestones` is an iterable of (due_on, reached_on)."""
    candidates = []
    span = (deadline - start).days
    if progress < 100 and span > 0:
        by_time = start + datetime.timedelta(days=math.floor(progress * span / 100) + 1)
        grace = first_report_due(start, cadence, report_day, deadline) or (
            start + datetime.timedelta(days=FIRST_REPORT_AFTER_DAYS)
        )
        candidates.append(max(by_time, grace))
    unreached = [due for due, reached in milestones if reached is None]
    if unreached:
        candidates.append(min(unreached) + datetime.timedelta(days=1))
    return min(candidates) if candidates else None


def expected_progress(*, start, deadline, today):
    """序时进度: the share of the time elapsed by `today`, in percent (0–100)."""
    span = (deadline - start).days
    if span <= 0:
        return 100
    return max(0, min(100, round((today - start).days * 100 / span)))
