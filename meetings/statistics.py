"""办会统计: a year of meetings and minutes (DOMAIN.md §5 — one city office's year: 49 executive
meetings, 196 topics, 49 issues of executive-meeting minutes, 136 work-meeting minutes): meetings
held per series and per month, topics submitted, admitted, decided, deferred and withdrawn, minutes
issued per series and their decided items.

Only what the user may see is counted (meetings.selectors): office staff count everything, a unit's
people the topics their unit submitted or was asked about, the meetings they were invited to and
the minutes that name their unit; the 三员 and people without a business role count nothing.

Definitions (shown on the page, see DEFINITIONS):
- 召开会议: meetings 已召开 whose start falls in the year (month by its start, local time).
- 提请议题 / 入库: topics submitted (`submitted_at`) / admitted to the pool (`admitted_at`) in the
  year; 已审议: topics 已审议 whose minutes were signed in the year; 缓议: topics now 缓议 whose
  meeting was in the year; 撤回: topics 已撤回 that were submitted in the year.
- 印发纪要: minutes given an issue number of the year (已签发、已印发、已归档); 议定事项: their
  decided items.
Four grouped queries, folded per series in Python.
"""

import dataclasses
import datetime

from django.db.models import Count, F, Max, Min, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from .models import Meeting, MeetingType, Minutes, Topic
from .selectors import meetings_visible_to, minutes_visible_to, topics_visible_to

ISSUED = (Minutes.State.SIGNED, Minutes.State.DISPATCHED, Minutes.State.FILED)

DEFINITIONS = (
    ("召开会议", "状态为已召开的会议，按会议开始日期的年份和月份统计；已取消的会议不计。"),
    ("提请议题", "当年提交的议题（按提交时间）。"),
    ("入库", "当年通过会前协调和合法性审查、进入议题库的议题（按入库时间）。"),
    ("已审议", "会议纪要在当年签发、记为已审议的议题。"),
    ("缓议", "当年召开的会议决定缓议、尚未重新入库的议题。"),
    ("撤回", "当年提交、已撤回的议题。"),
    ("印发纪要", "当年取得纪要期号的会议纪要（已签发、已印发、已归档），按纪要系列统计。"),
    ("议定事项", "当年签发的纪要中的议定事项，每项转为督办事项。"),
    (
        "落实率",
        "议定事项转成的督办事项中已销号的比例（办结率，口径同督查督办台账：已办结 ÷ 事项数，"
        "中止的事项不计）；按期办结率为在原定时限内销号的比例。只计您可查看的督办事项。",
    ),
)


@dataclasses.dataclass
class Figures:
    held: int = 0
    executive_held: int = 0
    topics_submitted: int = 0
    topics_admitted: int = 0
    topics_decided: int = 0
    topics_deferred: int = 0
    topics_withdrawn: int = 0
    minutes_issued: int = 0
    decided_items: int = 0

    def add(self, row):
        for name in dataclasses.asdict(self):
            if name in row:
                setattr(self, name, getattr(self, name) + (row[name] or 0))


@dataclasses.dataclass(frozen=True)
class Row:
    key: object
    label: str
    figures: Figures


@dataclasses.dataclass(frozen=True)
class MeetingsYear:
    year: int
    today: datetime.date
    summary: Figures
    by_series: list  # Row per meeting type (its minutes series)
    by_month: list  # Row per month 1–12
    implementation: list  # Implementation per issued minutes of the year, newest first
    implementation_total: object  # supervision.measures.Rates over all of them


@dataclasses.dataclass(frozen=True)
class Implementation:
    """议定事项落实情况 of one issue of minutes (from the supervision ledger)."""

    minutes: Minutes
    rates: object  # supervision.measures.Rates


def _visible(model, qs):
    """The visible rows as a plain pk filter, so that grouping never counts a row twice."""
    return model.objects.filter(pk__in=qs.values("pk"))


def _meeting_rows(user, year):
    meetings = _visible(Meeting, meetings_visible_to(user)).filter(
        state=Meeting.State.HELD, starts_at__year=year
    )
    return list(
        meetings.order_by()
        .annotate(month=ExtractMonth("starts_at"))
        .values("meeting_type", "month", "meeting_type__kind")
        .annotate(held=Count("pk"))
    )


def _topic_rows(user, year):
    topics = _visible(Topic, topics_visible_to(user))
    state = Topic.State
    return list(
        topics.order_by()
        .values("meeting_type")
        .annotate(
            topics_submitted=Count("pk", filter=Q(submitted_at__year=year), distinct=True),
            topics_admitted=Count("pk", filter=Q(admitted_at__year=year), distinct=True),
            topics_decided=Count(
                "pk",
                filter=Q(
                    state=state.DECIDED,
                    agenda_items__meeting__minutes__signed_at__year=year,
                ),
                distinct=True,
            ),
            topics_deferred=Count(
                "pk",
                filter=Q(state=state.DEFERRED, agenda_items__meeting__starts_at__year=year),
                distinct=True,
            ),
            topics_withdrawn=Count(
                "pk", filter=Q(state=state.WITHDRAWN, submitted_at__year=year), distinct=True
            ),
        )
    )


def _minutes_rows(user, year):
    minutes = _visible(Minutes, minutes_visible_to(user)).filter(state__in=ISSUED, issue_year=year)
    return list(
        minutes.order_by()
        .values(meeting_type=F("meeting__meeting_type"))
        .annotate(
            minutes_issued=Count("pk", distinct=True),
            decided_items=Count("decided_items", distinct=True),
        )
    )


IMPLEMENTATION_ROWS = 200


def _implementation(user, year):
    """Each issued minutes of the year with its decided items' implementation, newest first."""
    from supervision.measures import Rates

    from .supervise import implementation_by_meeting

    minutes = list(
        _visible(Minutes, minutes_visible_to(user))
        .filter(state__in=ISSUED, issue_year=year, decided_items__isnull=False)
        .distinct()
        .select_related("meeting__meeting_type")
        .defer("body")
        .order_by("-signed_at", "-pk")[:IMPLEMENTATION_ROWS]
    )
    by_minutes = implementation_by_meeting(user, minutes)
    rows = [Implementation(m, by_minutes.get(m.pk, Rates())) for m in minutes]
    total = sum((row.rates for row in rows), Rates())
    return rows, total


def meetings_statistics(user, *, year, today=None):
    """The year's figures of what `user` may see: the summary, per series (every active meeting
    type, and any other that has figures) and per month (meetings held), and the decided items'
    implementation per minutes. Eight queries."""
    today = today or timezone.localdate()
    meeting_rows = _meeting_rows(user, year)
    rows = [*meeting_rows, *_topic_rows(user, year), *_minutes_rows(user, year)]
    for row in meeting_rows:
        row["executive_held"] = row["held"] if row["meeting_type__kind"] == "executive" else 0
    summary, series, months = Figures(), {}, {}
    for row in rows:
        summary.add(row)
        series.setdefault(row["meeting_type"], Figures()).add(row)
        if "month" in row:
            months.setdefault(row["month"], Figures()).add(row)
    types = MeetingType.objects.filter(Q(is_active=True) | Q(pk__in=list(series)))
    implementation, implementation_total = _implementation(user, year)
    return MeetingsYear(
        year=year,
        today=today,
        summary=summary,
        by_series=[Row(t.pk, t.name, series.get(t.pk, Figures())) for t in types],
        by_month=[Row(m, f"{m}月", months.get(m, Figures())) for m in range(1, 13)],
        implementation=implementation,
        implementation_total=implementation_total,
    )


def meetings_statistics_years(user, *, today=None):
    """The years to choose from, newest first: from the first to the last year of a visible
    meeting, and always the current year."""
    today = today or timezone.localdate()
    bounds = (
        _visible(Meeting, meetings_visible_to(user))
        .order_by()
        .aggregate(first=Min("starts_at"), last=Max("starts_at"))
    )
    first = timezone.localtime(bounds["first"]).year if bounds["first"] else today.year
    last = timezone.localtime(bounds["last"]).year if bounds["last"] else today.year
    return sorted(set(range(first, last + 1)) | {today.year}, reverse=True)
