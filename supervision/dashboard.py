"""督查统计 (issue 6 item 7, DOMAIN.md §6 "Output"): 办结率, 按期办结率 and 逾期 counts of the
items the user may see, in total and by 牵头单位, 来源, 责任领导 and 立项月份, with the lights of
the open ones today. Reads only.

Every figure is supervision.measures' (rates, rates_by, light_q) over
selectors.items_visible_to(user): a leader counts their portfolio, a unit its own items, the
supervision office everything within its clearance — the same items the ledger lists for them.
The items counted are those opened (立项日期) in the chosen year, optionally of one source, as of
the chosen day (`as_of`: items opened later are not counted; closures after it are still open).
Each number carries the ledger query that lists exactly its items (`ledger_query`), which
supervision.filters parses back into selectors.LedgerFilters.

One query per block: the years offered, the summary with today's lights (measures.summary,
and the calendar it reads; the rates by a query of their own when counted as of a past day), each
grouping (rates_by), and the names of the units and leaders in the tables — about ten in all,
however many items.
"""

import calendar
import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Max, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from office.calendar import Light
from office.models import Unit

from . import measures
from .models import Source
from .selectors import items_visible_to

LIGHTS = (Light.RED, Light.YELLOW, Light.GREEN)

DEFINITIONS = (
    (
        "统计范围",
        "所选年度内立项（按立项日期）且截至统计日期已立项的督办事项；已中止的事项不计入。",
    ),
    ("已办结", "截至统计日期已核验销号的事项。"),
    ("办结率", "已办结 ÷ 事项数，保留一位小数。"),
    (
        "按期办结率",
        "在原定办结时限内销号的事项 ÷ 事项数；经批准延期后销号的，按原定时限计算，不算按期。",
    ),
    ("逾期办结", "销号日期晚于原定办结时限的事项。"),
    ("逾期未办结", "截至统计日期尚未销号、且已超过办结时限（含批准延期后的时限）的事项。"),
    ("在办", "截至统计日期尚未销号的事项。"),
    ("红黄绿灯", "今天在办事项的灯（与台账相同），不随统计日期变化。"),
)


@dataclass(frozen=True)
class Scope:
    """What the dashboard counts: items opened in `year`, of `source` (all when empty), as of
    the day `as_of`."""

    year: int
    as_of: datetime.date
    source: str = ""

    @property
    def source_label(self):
        return Source(self.source).label if self.source else "全部来源"

    @property
    def opened_from(self):
        return datetime.date(self.year, 1, 1)

    @property
    def opened_to(self):
        return datetime.date(self.year, 12, 31)

    def query(self, figure=None, **narrow):
        """The ledger query string for this scope, narrowed (lead_unit=…, opened_from=… …), for
        one figure (a key of measures.FIGURES) or, with light=…, the lights of today."""
        params = {
            "opened_from": self.opened_from.isoformat(),
            "opened_to": self.opened_to.isoformat(),
            "source": self.source,
        }
        params.update(narrow)
        if figure:
            params.update(figure=figure, as_of=self.as_of.isoformat())
        return urlencode({name: value for name, value in params.items() if value})


@dataclass(frozen=True)
class Row:
    """One line of a table: its label, its figures, and for each figure the ledger query that
    lists its items (`links["overdue"]`)."""

    key: object
    label: str
    rates: measures.Rates
    links: dict


def _row(scope, key, label, rates, **narrow):
    links = {figure: scope.query(figure, **narrow) for figure in measures.FIGURES}
    return Row(key, label, rates, links)


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    today: datetime.date
    summary: Row  # all the items in scope
    lights: list  # (light, label, count, ledger query) of the open items today
    by_unit: list  # Row per 牵头单位, most items first
    by_source: list  # Row per 来源
    by_leader: list  # Row per 责任领导
    by_month: list  # Row per 立项月份, January to the last month counted


def scoped_items(user, scope):
    """The visible items opened in the scope's year (and of its source)."""
    qs = items_visible_to(user).filter(opened_on__range=(scope.opened_from, scope.opened_to))
    if scope.source:
        qs = qs.filter(source=scope.source)
    return qs


def _glance(items, scope, today):
    """(Rates as of the scope's day, [(light, label, count, ledger query)] of today): one query
    (measures.summary) when the day is today, the rates by their own query otherwise."""
    glance = measures.summary(items, today)
    rates = glance["rates"] if scope.as_of == today else measures.rates(items, as_of=scope.as_of)
    lights = [
        (light, measures.LIGHT_LABELS[light], glance["lights"][light], scope.query(light=light))
        for light in LIGHTS
    ]
    return rates, lights


def _by_unit(items, scope):
    grouped = measures.rates_by(items, "lead_unit", as_of=scope.as_of)
    units = Unit.objects.in_bulk([key for key, _ in grouped])
    return [
        _row(scope, key, _unit_name(units.get(key)), rates, lead_unit=key) for key, rates in grouped
    ]


def _unit_name(unit):
    return (unit.short_name or unit.name) if unit else "（已删除的单位）"


def _by_leader(items, scope):
    grouped = measures.rates_by(items, "responsible_leader", as_of=scope.as_of)
    leaders = get_user_model().objects.in_bulk([key for key, _ in grouped])
    return [
        _row(scope, key, _leader_name(leaders.get(key)), rates, responsible_leader=key)
        for key, rates in grouped
    ]


def _leader_name(leader):
    if leader is None:
        return "（已删除的用户）"
    return f"{leader.real_name}（{leader.title}）" if leader.title else leader.real_name


def _by_source(items, scope):
    grouped = dict(measures.rates_by(items, "source", as_of=scope.as_of))
    return [
        _row(scope, value, label, grouped[value], source=value)
        for value, label in Source.choices
        if value in grouped
    ]


def _last_month(scope):
    """The last month of the year with anything counted (none before the year began)."""
    if scope.as_of < scope.opened_from:
        return 0
    return 12 if scope.as_of > scope.opened_to else scope.as_of.month


def _by_month(items, scope):
    """Each month's items (by 立项日期) and their figures as of `as_of`; every month of the
    year up to `as_of` has a row, empty ones too."""
    grouped = dict(
        measures.rates_by(items.annotate(month=TruncMonth("opened_on")), "month", as_of=scope.as_of)
    )
    rows = []
    for month in range(1, _last_month(scope) + 1):
        first = datetime.date(scope.year, month, 1)
        last = first.replace(day=calendar.monthrange(scope.year, month)[1])
        rates = grouped.get(first, measures.Rates())
        narrow = {"opened_from": first.isoformat(), "opened_to": last.isoformat()}
        rows.append(_row(scope, first, f"{month}月", rates, **narrow))
    return rows


def supervision_dashboard(user, scope, *, today=None):
    """督查统计 for `user` within `scope` (see the module's docstring)."""
    today = today or timezone.localdate()
    items = scoped_items(user, scope)
    rates, lights = _glance(items, scope, today)
    return Dashboard(
        scope=scope,
        today=today,
        summary=_row(scope, None, "合计", rates),
        lights=lights,
        by_unit=_by_unit(items, scope),
        by_source=_by_source(items, scope),
        by_leader=_by_leader(items, scope),
        by_month=_by_month(items, scope),
    )


def dashboard_years(user, today=None):
    """The years the user has items of (督办编号's year, the year they were opened), and the
    current one, newest first."""
    today = today or timezone.localdate()
    # From the first to the last year (two index lookups); DISTINCT read every visible row.
    bounds = items_visible_to(user).order_by().aggregate(first=Min("year"), last=Max("year"))
    first, last = bounds["first"] or today.year, bounds["last"] or today.year
    return sorted({*range(first, last + 1), today.year}, reverse=True)
