"""收文统计: the figures the office reports (DOMAIN.md §3 — received, completed, 办结率 =
completed ÷ due, on-time rate), for one year, with breakdowns by 来文层级, 主办单位, month and 文种.

Every function takes a queryset the caller has ALREADY filtered by visibility
(`selectors.incoming_visible_to(user)`): a unit's people count only the documents their unit
handles, and no one counts a document above their clearance (DOMAIN.md §2: it does not exist for
them — no count, no export row).

Definitions (shown on the statistics page and in the export, see DEFINITIONS):
- 收文: the documents received in the year, by 收文日期 (`received_on`).
- 办件 / 阅件: `kind` action / reading. 办结率 and 按期办结率 are over 办件 only; 阅件 are
  completed after circulation (传阅) and are counted separately.
- 已办结: state completed or archived (已办结、已归档).
- 应办结: 办件 whose 办理期限 (`deadline`) is today or earlier, or that are already completed or
  archived; returned documents (退文) are never due.
- 办结率 = 已办结办件 ÷ 应办结办件.
- 逾期办结: a completed 办件 whose 办结日期 is after its deadline (`completed_on > deadline`, the
  model's `completed_late`); 按期办结 = 已办结办件 − 逾期办结 (`completed_on <= deadline`; a
  办件 completed without a deadline is on time).
- 按期办结率 = 按期办结办件 ÷ 已办结办件.
- 逾期未办结: open 办件 whose deadline has passed (`deadline < today`).
- 退文: documents returned to their sender at 初审 (state returned).
Rates are percentages with one decimal (half up); a rate whose denominator is 0 is None, shown
as "—".

The figures are counted by conditional aggregation (COUNT … FILTER) in one grouped query per
year, grouped by (month, sender level, lead unit, 文种) and folded into every breakdown in
Python, so the cost is one scan of the year's rows whatever the number of documents.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Max, Min, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from office.models import Unit

from .models import DocType, IncomingDocument, Sender

DEFINITIONS = (
    ("收文", "当年收到的文件，按收文日期统计。"),
    ("办件 / 阅件", "办件须办理并办结；阅件供领导传阅，传阅完毕即办结，单独计数。"),
    ("已办结", "状态为“已办结”或“已归档”。"),
    ("应办结", "办理期限已到（期限为今天或更早）或已办结的办件；退文不计。"),
    ("办结率", "已办结办件 ÷ 应办结办件。"),
    ("按期办结率", "在办理期限内（含当日）办结的办件 ÷ 已办结办件；未设期限的按期计。"),
    ("逾期办结", "办结日期晚于办理期限的办件。"),
    ("逾期未办结", "办理期限已过仍未办结的办件。"),
    ("退文", "初审不符合要求、退回来文单位的文件。"),
)

NO_LEAD_UNIT_LABEL = "未交办"

_ACTION = Q(kind=IncomingDocument.Kind.ACTION)
_READING = Q(kind=IncomingDocument.Kind.READING)
_DONE = Q(state__in=IncomingDocument.DONE_STATES)
_OPEN = Q(state__in=IncomingDocument.OPEN_STATES)
_LATE = Q(completed_on__gt=F("deadline"))


def _counts(today):
    """The COUNT … FILTER aggregates of one group of documents; every one of them is additive,
    so groups sum into larger groups."""
    return {
        "received": Count("pk"),
        "action": Count("pk", filter=_ACTION),
        "reading": Count("pk", filter=_READING),
        "returned": Count("pk", filter=Q(state=IncomingDocument.State.RETURNED)),
        "action_done": Count("pk", filter=_ACTION & _DONE),
        "reading_done": Count("pk", filter=_READING & _DONE),
        "due": Count(
            "pk",
            filter=_ACTION
            & ~Q(state=IncomingDocument.State.RETURNED)
            & (_DONE | Q(deadline__lte=today)),
        ),
        "completed_late": Count("pk", filter=_ACTION & _DONE & _LATE),
        "action_open": Count("pk", filter=_ACTION & _OPEN),
        "overdue": Count("pk", filter=_ACTION & _OPEN & Q(deadline__lt=today)),
    }


COUNT_FIELDS = (
    "received",
    "action",
    "reading",
    "returned",
    "action_done",
    "reading_done",
    "due",
    "completed_late",
    "action_open",
    "overdue",
)


def percent(numerator, denominator):
    """numerator ÷ denominator as a percentage with one decimal (half up), or None when the
    denominator is 0."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rate_text(rate):
    """A rate as people read it: "95.5%", or "—" when there is nothing to divide by."""
    return "—" if rate is None else f"{rate}%"


@dataclasses.dataclass
class Figures:
    """The counts of one group of documents and the rates derived from them."""

    received: int = 0
    action: int = 0
    reading: int = 0
    returned: int = 0
    action_done: int = 0
    reading_done: int = 0
    due: int = 0
    completed_late: int = 0
    action_open: int = 0  # 在办办件
    overdue: int = 0

    def add(self, row):
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + row[name])

    @property
    def done(self):
        """已办结 (办件 and 阅件)."""
        return self.action_done + self.reading_done

    @property
    def on_time(self):
        """按期办结办件."""
        return self.action_done - self.completed_late

    @property
    def completion_rate(self):
        """办结率 = 已办结办件 ÷ 应办结办件 (DOMAIN.md §3)."""
        return percent(self.action_done, self.due)

    @property
    def on_time_rate(self):
        """按期办结率 = 按期办结办件 ÷ 已办结办件."""
        return percent(self.on_time, self.action_done)

    @property
    def completion_rate_text(self):
        return rate_text(self.completion_rate)

    @property
    def on_time_rate_text(self):
        return rate_text(self.on_time_rate)


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of a breakdown: its key (a level, unit id, month or 文种), label and figures."""

    key: object
    label: str
    figures: Figures


@dataclasses.dataclass(frozen=True)
class YearStatistics:
    year: int
    today: datetime.date
    summary: Figures
    by_sender_level: list
    by_lead_unit: list
    by_month: list
    by_doc_type: list


def year_range(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def statistics_years(queryset, *, today=None):
    """The years to choose from, newest first: from the first to the last year with a received
    document, and always the current year. One query (PostgreSQL answers MIN and MAX of an
    indexed column from the index)."""
    today = today or timezone.localdate()
    bounds = queryset.order_by().aggregate(first=Min("received_on"), last=Max("received_on"))
    first = bounds["first"].year if bounds["first"] else today.year
    last = bounds["last"].year if bounds["last"] else today.year
    return sorted(set(range(first, last + 1)) | {today.year}, reverse=True)


def _grouped_rows(queryset, year, today):
    start, end = year_range(year)
    return list(
        queryset.filter(received_on__range=(start, end))
        .order_by()
        .annotate(month=ExtractMonth("received_on"))
        .values("month", "sender_level", "lead_unit", "doc_type")
        .annotate(**_counts(today))
    )


def _fold(rows, field):
    groups = {}
    for row in rows:
        groups.setdefault(row[field], Figures()).add(row)
    return groups


def _unit_rows(groups):
    """主办单位 rows in the units' own order (Unit.sort_order), 未交办 last."""
    units = Unit.objects.filter(pk__in=[pk for pk in groups if pk is not None]).only(
        "pk", "short_name", "name", "sort_order"
    )
    rows = [Row(unit.pk, unit.short_name or unit.name, groups[unit.pk]) for unit in units]
    if None in groups:
        rows.append(Row(None, NO_LEAD_UNIT_LABEL, groups[None]))
    return rows


def incoming_statistics(queryset, *, year, today=None):
    """The year's figures of the (visibility-filtered) `queryset`: a YearStatistics with the
    summary and the breakdowns by 来文层级 (all three levels, in order), 主办单位 (by the units'
    order; documents without a lead unit last, as 未交办), month (1–12, by 收文日期) and 文种
    (most documents first). Two queries: the grouped counts and the lead units' names."""
    today = today or timezone.localdate()
    rows = _grouped_rows(queryset, year, today)
    summary = Figures()
    for row in rows:
        summary.add(row)
    levels = _fold(rows, "sender_level")
    months = _fold(rows, "month")
    doc_types = _fold(rows, "doc_type")
    doc_type_labels = dict(DocType.choices)
    return YearStatistics(
        year=year,
        today=today,
        summary=summary,
        by_sender_level=[
            Row(level, label, levels.get(level, Figures())) for level, label in Sender.Level.choices
        ],
        by_lead_unit=_unit_rows(_fold(rows, "lead_unit")),
        by_month=[Row(month, f"{month}月", months.get(month, Figures())) for month in range(1, 13)],
        by_doc_type=[
            Row(code, doc_type_labels.get(code, code), figures)
            for code, figures in sorted(doc_types.items(), key=lambda item: -item[1].received)
        ],
    )
