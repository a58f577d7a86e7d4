"""The ledger's filters read from a query string (台账筛选): one parser for the ledger page, its
saved filters and the xlsx export, so an export always holds the rows the page showed.

`parse_ledger_filters(querydict)` → selectors.LedgerFilters. Parameters (all optional):
source (a Source value), state (a State value or "open"), light (red / yellow / green),
lead_unit, responsible_leader (positive integers), year (2000–2100), deadline_from, deadline_to
(ISO yyyy-mm-dd), q (the keyword: 事项名称 or 督办编号; trimmed, at most KEYWORD_LENGTH
characters) and sort (parse_ledger_order). The names are the ledger form's
(supervision.forms_ledger.LedgerFilterForm). A value that does not parse is
ignored, as if the filter were not set: a stale bookmark still opens the ledger.

A dashboard number opens the ledger with STATISTIC_PARAMS (督查统计, supervision.dashboard):
opened_from, opened_to (立项日期, ISO dates), figure (a key of measures.FIGURES) and as_of (the
day it is counted on, ISO; today when absent). The ledger shows them as removable chips
(`statistic_chips`), and saved filters and the export keep them like any other filter."""

import datetime

from office.calendar import Light
from office.forms import YEARS

from .measures import FIGURES
from .models import Source, SupervisionItem
from .selectors import LEDGER_ORDERS, LedgerFilters

KEYWORD_LENGTH = 100
STATES = {*SupervisionItem.State.values, "open"}
LIGHTS = {Light.RED, Light.YELLOW, Light.GREEN}
DEFAULT_ORDER = "-id"
STATISTIC_PARAMS = ("opened_from", "opened_to", "figure", "as_of")


def _choice(value, allowed):
    value = (value or "").strip()
    return value if value in allowed else ""


def _positive_int(value):
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number < 2**31 else None


def _year(value):
    year = _positive_int(value)
    return year if year is not None and YEARS[0] <= year <= YEARS[1] else None


def _date(value):
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def parse_ledger_filters(querydict):
    """The LedgerFilters a query string asks for; invalid values are left out."""
    get = querydict.get
    return LedgerFilters(
        source=_choice(get("source"), set(Source.values)),
        state=_choice(get("state"), STATES),
        light=_choice(get("light"), LIGHTS),
        lead_unit=_positive_int(get("lead_unit")),
        responsible_leader=_positive_int(get("responsible_leader")),
        year=_year(get("year")),
        deadline_from=_date(get("deadline_from")),
        deadline_to=_date(get("deadline_to")),
        keyword=" ".join((get("q") or "").split())[:KEYWORD_LENGTH],
        opened_from=_date(get("opened_from")),
        opened_to=_date(get("opened_to")),
        figure=_choice(get("figure"), set(FIGURES)),
        as_of=_date(get("as_of")),
    )


def statistic_chips(filters):
    """The dashboard's filters in words, each after its kind ("opened": opened_from/opened_to,
    "figure": figure/as_of — what removing the chip drops), e.g.
    ("figure", "统计口径：逾期未办结（截至 2026-11-23）")."""
    chips = []
    if filters.opened_from or filters.opened_to:
        start = filters.opened_from.isoformat() if filters.opened_from else "不限"
        end = filters.opened_to.isoformat() if filters.opened_to else "不限"
        chips.append(("opened", f"立项日期：{start} 至 {end}"))
    if filters.figure:
        as_of = f" {filters.as_of.isoformat()}" if filters.as_of else "今天"
        text = f"统计口径：{FIGURES[filters.figure]}（截至{as_of}）"
        chips.append(("figure", text))
    return chips


def parse_ledger_order(querydict):
    """The ledger's sort (`sort`, a key of selectors.LEDGER_ORDERS), newest first by default."""
    order = (querydict.get("sort") or "").strip()
    return order if order in LEDGER_ORDERS else DEFAULT_ORDER
