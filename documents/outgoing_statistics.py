"""发文统计: the documents the office issued in a year (DOMAIN.md §4 — one city office's year: 534
documents), by 文种, 发文机关, month and 行文方向, the classified ones, and how the receiving units
signed for them (签收: within 8 working hours, late, or still outstanding).

Every function takes a queryset the caller has ALREADY filtered by visibility
(`selectors.outgoing_visible_to(user)`): a unit's people count only the documents their unit
drafted, co-signed or received, and no one counts a document above their clearance (DOMAIN.md §2:
it does not exist for them — no count, no export row).

Definitions (shown on the statistics page and in the export, see DEFINITIONS):
- 发文: a document that has its 发文字号 (已编号、已用印、已核发、已归档), counted in the year of its
  number (`year`) and the month it was numbered (`numbered_at`, local time).
- 涉密: 密级 秘密 or above.
- 签收: the receipts (签收回执) of those documents, one per 主送/抄送 unit (a unit's people count
  only their own units' receipts): 按时签收 = signed by the
  deadline (`due_at`, 8 working hours after sending; paper deliveries have none and count as on
  time), 逾期签收 = signed after it, 未签收 = not signed yet, of which 逾期未签收 = past the deadline.
- 按时签收率 = 按时签收 ÷ 已签收.

The documents are counted in one grouped query (month, 文种, 发文机关, 行文方向) and the receipts in
another with the same groups; both fold into every breakdown in Python, as documents.statistics
does for 收文.
"""

import dataclasses
import datetime

from django.db.models import Count, F, Max, Min, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from office.models import Clearance, Unit
from office.permissions import scope_for

from .models import Direction, DocType, OutgoingDocument, Receipt
from .statistics import Row, percent, rate_text

S = OutgoingDocument.State
ISSUED_STATES = (S.NUMBERED, S.SEALED, S.DISPATCHED, S.ARCHIVED)

DEFINITIONS = (
    (
        "发文",
        "已取得发文字号的公文（已编号、已用印、已核发、已归档），按发文字号的年份统计，月份按编号日期。",
    ),
    ("涉密", "密级为秘密及以上的发文。"),
    (
        "签收",
        "每个主送、抄送单位一份签收回执；签收时限为发送后 8 个工作小时，纸质发送不设时限。"
        "各单位用户只统计本单位的回执。",
    ),
    ("按时签收", "在签收时限内（含）签收，或纸质发送已签收。"),
    ("逾期签收", "签收时间晚于签收时限。"),
    ("未签收", "尚未签收的回执；其中已过签收时限的为逾期未签收。"),
    ("按时签收率", "按时签收 ÷ 已签收。"),
)

GROUP = ("month", "doc_type", "issuing_unit", "direction")


@dataclasses.dataclass
class Figures:
    """The counts of one group of issued documents and of their receipts."""

    issued: int = 0
    classified: int = 0
    urgent: int = 0  # 特急 and 加急
    receipts: int = 0
    receipts_on_time: int = 0
    receipts_late: int = 0
    receipts_outstanding: int = 0
    receipts_overdue: int = 0

    def add(self, row):
        for name in dataclasses.asdict(self):
            if name in row:
                setattr(self, name, getattr(self, name) + row[name])

    @property
    def receipts_signed(self):
        return self.receipts_on_time + self.receipts_late

    @property
    def on_time_rate(self):
        """按时签收率 = 按时签收 ÷ 已签收."""
        return percent(self.receipts_on_time, self.receipts_signed)

    @property
    def on_time_rate_text(self):
        return rate_text(self.on_time_rate)


@dataclasses.dataclass(frozen=True)
class OutgoingYear:
    year: int
    today: datetime.date
    issuing_unit: Unit | None
    summary: Figures
    by_doc_type: list
    by_issuing_unit: list
    by_month: list
    by_direction: list


def issued(queryset, *, year=None, issuing_unit=None):
    """The issued documents of `queryset` (already visibility-filtered), of one year and one
    issuing unit when given."""
    qs = queryset.filter(state__in=ISSUED_STATES, year__isnull=False)
    if year is not None:
        qs = qs.filter(year=year)
    if issuing_unit is not None:
        qs = qs.filter(issuing_unit=issuing_unit)
    return qs


def outgoing_statistics_years(queryset, *, today=None):
    """The years to choose from, newest first: from the first to the last year with an issued
    document, and always the current year."""
    today = today or timezone.localdate()
    bounds = issued(queryset).order_by().aggregate(first=Min("year"), last=Max("year"))
    first = bounds["first"] or today.year
    last = bounds["last"] or today.year
    return sorted(set(range(first, last + 1)) | {today.year}, reverse=True)


def issuing_units(queryset):
    """The units that issued any of the (visible) documents, in the units' order."""
    ids = issued(queryset).order_by().values("issuing_unit").distinct()
    return list(Unit.objects.filter(pk__in=ids))


def _document_rows(documents):
    return list(
        documents.order_by()
        .annotate(month=ExtractMonth("numbered_at"))
        .values(*GROUP)
        .annotate(
            issued=Count("pk"),
            classified=Count("pk", filter=Q(classification__gt=Clearance.NONE)),
            urgent=Count("pk", filter=~Q(urgency="normal")),
        )
    )


def receipt_units_for(user):
    """Whose receipts the user counts: None (all of them) for office staff; for a unit's people,
    only their own units' receipts — the other receiving units' 签收 are not theirs to see."""
    scope = scope_for(user)
    return None if scope.office_wide else scope.unit_ids


def _receipt_rows(documents, now, receipt_units):
    signed = Q(received_at__isnull=False)
    late = signed & Q(due_at__isnull=False, received_at__gt=F("due_at"))
    outstanding = Q(received_at__isnull=True)
    receipts = Receipt.objects.filter(document__in=documents.values("pk"))
    if receipt_units is not None:
        receipts = receipts.filter(unit_id__in=receipt_units)
    return list(
        receipts.order_by()
        .annotate(month=ExtractMonth("document__numbered_at"))
        .values("month", *(f"document__{name}" for name in GROUP[1:]))
        .annotate(
            receipts=Count("pk"),
            receipts_on_time=Count("pk", filter=signed & ~late),
            receipts_late=Count("pk", filter=late),
            receipts_outstanding=Count("pk", filter=outstanding),
            receipts_overdue=Count("pk", filter=outstanding & Q(due_at__lt=now)),
        )
    )


def _fold(rows, field):
    groups = {}
    for row in rows:
        groups.setdefault(row[field], Figures()).add(row)
    return groups


def outgoing_statistics(
    queryset, *, year, issuing_unit=None, receipt_units=None, today=None, now=None
):
    """The year's figures of the (visibility-filtered) `queryset`, optionally of one issuing unit:
    the summary and the breakdowns by 文种 (most documents first), 发文机关 (by the units'
    order), month (1–12) and 行文方向 (all three, in order). Receipts are those of the
    documents, only of `receipt_units` when given (see receipt_units_for). Three queries."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    documents = issued(queryset, year=year, issuing_unit=issuing_unit)
    rows = _document_rows(documents)
    for row in _receipt_rows(documents, now, receipt_units):
        rows.append({name: row.pop(f"document__{name}") for name in GROUP[1:]} | row)
    summary = Figures()
    for row in rows:
        summary.add(row)
    doc_types = _fold(rows, "doc_type")
    labels = dict(DocType.choices)
    months = _fold(rows, "month")
    directions = _fold(rows, "direction")
    units = _fold(rows, "issuing_unit")
    return OutgoingYear(
        year=year,
        today=today,
        issuing_unit=issuing_unit,
        summary=summary,
        by_doc_type=[
            Row(code, labels.get(code, code), figures)
            for code, figures in sorted(doc_types.items(), key=lambda item: -item[1].issued)
        ],
        by_issuing_unit=[
            Row(unit.pk, unit.short_name or unit.name, units[unit.pk])
            for unit in Unit.objects.filter(pk__in=list(units))
        ],
        by_month=[Row(month, f"{month}月", months.get(month, Figures())) for month in range(1, 13)],
        by_direction=[
            Row(value, label, directions.get(value, Figures()))
            for value, label in Direction.choices
        ],
    )


def issued_register(queryset, *, year, issuing_unit=None):
    """The year's issued documents for the export, in the order of their numbers, with what the
    register lists (主送 names, 签发人)."""
    return (
        issued(queryset, year=year, issuing_unit=issuing_unit)
        .select_related("issuing_unit", "signer")
        .prefetch_related("main_recipients")
        .order_by("issuing_unit__sort_order", "numbered_at", "pk")
    )
