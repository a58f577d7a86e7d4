"""Reads of 督查督办: who sees which supervision items (one SQL filter, used by every list,
count, dashboard figure, export and URL — what a user may not see is a 404).

- Supervisors (督查室) see every item within their clearance, and so do the office's secretaries
  (they draft the minutes and route the instructions the items come from; reading only — every
  step is the supervisors', the units' or the leaders').
- A leader who oversees the whole government's work (市长、秘书长: `User.oversees_all`) sees every
  item; another leader sees the items of their portfolio — those they are the responsible
  leader of — and, as linked deputy secretary-general (联线领导服务制), those of the leaders they
  serve.
- A unit's handlers and head see the items their unit leads or co-operates on.
Classification applies to all: an item above the user's clearance does not exist for them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from office import bigrams
from office.permissions import scope_for
from office.roles import Role

from . import measures
from .models import Bulletin, SupervisionItem


def items_visible_to(user, queryset=None):
    qs = SupervisionItem.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if not scope.has_business_role:
        return qs.none()
    qs = qs.filter(classification__lte=scope.clearance)
    if scope.has(Role.SUPERVISOR) or scope.has(Role.SECRETARY):
        return qs
    if scope.has(Role.LEADER) and user.oversees_all:
        return qs
    reach = Q(pk__in=[])
    if scope.has(Role.LEADER):
        reach |= Q(responsible_leader=user.pk) | Q(responsible_leader__liaison=user.pk)
    if scope.unit_bound and scope.unit_ids:
        co = SupervisionItem.co_units.through.objects.filter(unit_id__in=scope.unit_ids)
        reach |= Q(lead_unit__in=scope.unit_ids) | Q(pk__in=co.values("supervisionitem_id"))
    return qs.filter(reach)


def item_get_or_404(user, pk, queryset=None):
    try:
        return items_visible_to(user, queryset).get(pk=pk)
    except SupervisionItem.DoesNotExist:
        raise Http404("没有找到该督办事项，或您无权查看。") from None


def items_for_sources(user, source_type, source_ids):
    """{source id: item} for the items opened from the given objects that the user may see (the
    source's page shows its supervision item and state)."""
    qs = items_visible_to(user).filter(source_type=source_type, source_id__in=list(source_ids))
    return {item.source_id: item for item in qs}


# --- 台账 (the ledger) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    """The ledger's filters, parsed from the query string by the view (all optional)."""

    source: str = ""
    state: str = ""  # a State value, or "open" for every open state
    light: str = ""  # "red" / "yellow" / "green"
    lead_unit: int | None = None
    responsible_leader: int | None = None
    year: int | None = None
    deadline_from: datetime.date | None = None
    deadline_to: datetime.date | None = None
    keyword: str = ""
    # A dashboard number's items (supervision.dashboard): 立项日期 range, and one figure of
    # supervision.measures.FIGURES counted as of `as_of` (today when not given).
    opened_from: datetime.date | None = None
    opened_to: datetime.date | None = None
    figure: str = ""
    as_of: datetime.date | None = None


LEDGER_ORDERS = {
    "-id": ("-id",),
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "item_number": ("year", "id"),
}


NO_FILTERS = LedgerFilters()


def ledger_items(user, filters=NO_FILTERS, *, today=None):
    """The ledger's rows the user may see, filtered, each with its `light` (supervision.measures).
    Never fetches text columns the table does not show."""
    today = today or timezone.localdate()
    qs = items_visible_to(user)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.state == "open":
        qs = qs.filter(state__in=SupervisionItem.OPEN_STATES)
    elif filters.state:
        qs = qs.filter(state=filters.state)
    if filters.light:
        qs = qs.filter(measures.light_q(filters.light, today))
    if filters.lead_unit:
        qs = qs.filter(lead_unit_id=filters.lead_unit)
    if filters.responsible_leader:
        qs = qs.filter(responsible_leader_id=filters.responsible_leader)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.deadline_from:
        qs = qs.filter(deadline__gte=filters.deadline_from)
    if filters.deadline_to:
        qs = qs.filter(deadline__lte=filters.deadline_to)
    if filters.keyword:
        # The bigram index of migration 0003_ledger_search (office.bigrams): every word of the
        # keyword in 督办编号, 事项名称 or 来源文件.
        qs = bigrams.search(qs, filters.keyword, ("item_number", "title", "source_label"))
    qs = _statistic_filters(qs, filters, today)
    return measures.with_light(
        qs.select_related("lead_unit", "responsible_leader", "latest_report").defer("requirement"),
        today,
    )


def _statistic_filters(qs, filters, today):
    """The items behind a dashboard number: opened within the dates, and counted by the figure
    exactly as supervision.measures counts it."""
    if filters.opened_from:
        qs = qs.filter(opened_on__gte=filters.opened_from)
    if filters.opened_to:
        qs = qs.filter(opened_on__lte=filters.opened_to)
    if filters.figure:
        as_of = filters.as_of or today
        qs = measures.counted(qs, as_of).filter(measures.figure_q(filters.figure, as_of))
    return qs


# --- 督查通报 / 督查专报 -------------------------------------------------------------------------


def bulletins_visible_to(user, queryset=None):
    """Who sees which bulletins: the office's staff (督查室, leaders, secretaries) all of them,
    drafts included; a unit's handlers and head only those dispatched (已印发) to their unit.
    The figures inside are frozen; opening the items behind one is filtered again by
    items_visible_to."""
    qs = Bulletin.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.office_wide:
        return qs
    if scope.unit_bound and scope.unit_ids:
        sent = Bulletin.recipients.through.objects.filter(unit_id__in=scope.unit_ids)
        return qs.filter(state=Bulletin.State.DISPATCHED, pk__in=sent.values("bulletin_id"))
    return qs.none()


def bulletin_get_or_404(user, pk, queryset=None):
    try:
        return bulletins_visible_to(user, queryset).get(pk=pk)
    except Bulletin.DoesNotExist:
        raise Http404("没有找到该督查通报，或您无权查看。") from None
