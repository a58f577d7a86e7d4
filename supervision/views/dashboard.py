"""督查统计: the dashboard page (supervision.dashboard) — summary cards, the lights of today, 办结率
by 牵头单位, 来源 and 责任领导 as horizontal bars, the months as columns (office.charts, SVG drawn on
the server), and a table under each chart. Every number opens the ledger filtered to exactly the
items it counts (supervision.filters.STATISTIC_PARAMS).

Who: everyone with a business role, each counting the items they may see (a leader their
portfolio, a unit its own items — the same items its ledger shows); the 三员 and people without
a business role get 403, as for the other statistics pages.

Wired by supervision/urls.py: `*dashboard.urlpatterns` (name `supervision:dashboard`)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from office.charts import Series, horizontal_bars, month_bars
from office.permissions import scope_for
from office.roles import Role

from ..dashboard import DEFINITIONS, dashboard_years, supervision_dashboard
from ..forms_dashboard import DashboardFilterForm


def scope_label(user):
    """Whose items are counted, in words."""
    scope = scope_for(user)
    everything = scope.has(Role.SUPERVISOR) or scope.has(Role.SECRETARY)
    if everything or (scope.has(Role.LEADER) and user.oversees_all):
        return f"{settings.OFFICE_CITY_NAME}全部督办事项（限于您的密级）"
    if scope.has(Role.LEADER):
        return "您担任责任领导（或作为联线领导服务）的督办事项"
    unit = (user.unit.short_name or user.unit.name) if user.unit_id else "本单位"
    return f"{unit}牵头或配合办理的督办事项"


def rate_chart(rows, *, chart_id, title, ledger_url):
    """办结率 per row, each bar opening the row's closed items."""
    return horizontal_bars(
        rows,
        label=lambda row: row.label,
        value=lambda row: row.rates.completion_rate,
        url=lambda row: f"{ledger_url}?{row.links['closed']}",
        title=title,
        basis="办结率（已办结 ÷ 事项数）",
        chart_id=chart_id,
        maximum=100,
    )


def month_chart(board):
    return month_bars(
        board.by_month,
        [
            Series("received", "立项", lambda row: row.rates.total),
            Series("done", "已办结", lambda row: row.rates.closed, said="其中已办结"),
            Series("overdue", "逾期未办结", lambda row: row.rates.overdue, said="逾期未办结"),
        ],
        title=f"{board.scope.year}年各月立项督办事项及办结情况柱状图",
        basis=f"按立项月份统计，截至{board.scope.as_of:%Y-%m-%d}",
        height=260,
        steps=4,
        unit="项",
    )


def dashboard_page(request):
    if not scope_for(request.user).has_business_role:
        raise PermissionDenied("您没有督查督办业务角色，无法查看督查统计。")
    today = timezone.localdate()
    years = dashboard_years(request.user, today)
    form = DashboardFilterForm(request.GET or None, years=years, today=today)
    board = supervision_dashboard(request.user, form.scope(), today=today)
    ledger_url = reverse("supervision:ledger")
    template = "supervision/dashboard.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    context = {
        "form": form,
        "board": board,
        "scope_label": scope_label(request.user),
        "ledger_url": ledger_url,
        "month_chart": month_chart(board),
        "charts": {
            name: rate_chart(
                getattr(board, name), chart_id=name, title=title, ledger_url=ledger_url
            )
            for name, title in (
                ("by_unit", "各牵头单位办结率条形图"),
                ("by_source", "各来源办结率条形图"),
                ("by_leader", "各责任领导分管事项办结率条形图"),
            )
        },
        "definitions": DEFINITIONS,
    }
    return render(request, template, context)


urlpatterns = [
    path("dashboard/", dashboard_page, name="dashboard"),
]
