"""建议提案统计 (issue 7 item 7): the statistics page — a year's sessions side by side, or one
session: summary cards, the sessions' columns, 办复率 and 最终满意率 by lead unit as bars, the
答复分类 split (office.charts, SVG drawn on the server), the tables under them — the xlsx
汇总表 (proposals.export) and the year-end report (proposals.pdf_summary).

Every figure is proposals.measures' over selectors.proposals_visible_to(user) (proposals.
statistics); a number links to the proposal list where the list's filters select exactly its items
(statistics.LIST_FILTERS), else it is plain. People without a business role get 403; the report
is for those who see every item (pdf_summary.can_print_summary).

Wired by proposals/urls.py: `*stats.urlpatterns` (names proposals:proposals-statistics,
proposals:proposals-export, proposals:proposals-summary-pdf)."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from office.charts import Series, horizontal_bars, month_bars
from office.downloads import content_disposition
from office.permissions import scope_for
from office.roles import Role

from .. import export, pdf_summary
from ..forms_stats import StatisticsFilterForm
from ..measures import DEFINITIONS
from ..permissions import OFFICE_ROLES
from ..statistics import list_url, proposal_statistics, statistics_years


def _may_see(user):
    if not scope_for(user).has_business_role:
        raise PermissionDenied("您没有建议提案办理业务角色，无法查看建议提案统计。")


def scope_label(user):
    """Whose items are counted, in words."""
    scope = scope_for(user)
    if scope.roles & OFFICE_ROLES or (scope.has(Role.LEADER) and user.oversees_all):
        return f"{settings.OFFICE_CITY_NAME}人民政府承办的全部建议、议案和提案"
    if scope.has(Role.LEADER):
        return "您领办（或作为联线领导服务）的重点建议提案"
    unit = (user.unit.short_name or user.unit.name) if user.unit_id else "本单位"
    return f"{unit}主办或会办的建议提案"


def _statistics(request, *, whole_year=False):
    """(the filter form, the Statistics it asks for — of the whole year if `whole_year`)."""
    today = timezone.localdate()
    form = StatisticsFilterForm(request.GET or None, years=statistics_years(today), today=today)
    year, session = form.choice()
    if whole_year:
        session = None
    return form, proposal_statistics(request.user, year=year, session=session, as_of=today)


def _query(stats):
    scope = stats.scope
    return urlencode({"session": scope.session.pk} if scope.session else {"year": scope.year})


def session_chart(stats):
    return month_bars(
        stats.by_session,
        [
            Series("received", "收到", lambda row: row.figures.received),
            Series("done", "办复", lambda row: row.figures.replied, said="其中办复"),
            Series("overdue", "逾期未答复", lambda row: row.figures.overdue),
        ],
        title=f"{stats.scope.label}各届次建议提案收到、办复及逾期未答复件数柱状图",
        basis=f"按届次统计，截至{stats.scope.as_of:%Y-%m-%d}",
        height=240,
        steps=4,
    )


def unit_chart(stats, *, chart_id, title, basis, value):
    rows = [row for row in stats.by_unit if row.key is not None]
    return horizontal_bars(
        rows,
        label=lambda row: row.label,
        value=lambda row: value(row.figures),
        title=title,
        basis=basis,
        chart_id=chart_id,
        maximum=100,
    )


def class_chart(stats):
    return horizontal_bars(
        stats.class_rows,
        label=lambda row: f"{row[0]}类",
        value=lambda row: row[3],
        title=f"{stats.scope.label}答复分类占比条形图",
        basis="各类件数 ÷ 办复件数",
        chart_id="classes",
        maximum=100,
        label_width=60,
    )


def charts(stats):
    return {
        "reply_rate": unit_chart(
            stats,
            chart_id="reply-rate",
            title="各主办单位办复率条形图",
            basis="办复率（办复 ÷ 交办）",
            value=lambda f: f.reply_rate,
        ),
        "satisfaction": unit_chart(
            stats,
            chart_id="satisfaction",
            title="各主办单位最终满意率条形图",
            basis="最终满意率（满意与基本满意 ÷ 已评价，按每件最后一次评价）",
            value=lambda f: f.final_satisfaction_rate,
        ),
        "classes": class_chart(stats),
    }


def statistics_page(request):
    _may_see(request.user)
    form, stats = _statistics(request)
    template = "proposals/statistics.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    context = {
        "form": form,
        "stats": stats,
        "scope_label": scope_label(request.user),
        "list_url": list_url(),
        "query": _query(stats),
        "can_print": pdf_summary.can_print_summary(request.user),
        "session_chart": session_chart(stats),
        "charts": charts(stats),
        "definitions": DEFINITIONS,
    }
    return render(request, template, context)


def statistics_export(request):
    """建议提案办理情况汇总表 (xlsx) of what the page counts."""
    _may_see(request.user)
    _, stats = _statistics(request)
    response = HttpResponse(
        export.statistics_workbook(request.user, stats), content_type=export.XLSX_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = content_disposition(
        export.export_filename(stats), fallback=f"proposals-{stats.scope.year}.xlsx"
    )
    return response


def summary_pdf(request):
    """The year-end report of the chosen year (all its sessions)."""
    _may_see(request.user)
    if not pdf_summary.can_print_summary(request.user):
        raise PermissionDenied("年度办理工作情况报告由建议提案办理部门出具。")
    _, stats = _statistics(request, whole_year=True)
    response = HttpResponse(pdf_summary.render_summary(stats), content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = content_disposition(
        f"{pdf_summary.summary_title(stats.scope.year)}.pdf",
        fallback=f"proposals-summary-{stats.scope.year}.pdf",
        inline=True,
    )
    return response


urlpatterns = [
    path("statistics/", statistics_page, name="proposals-statistics"),
    path("statistics/export.xlsx", statistics_export, name="proposals-export"),
    path("statistics/summary.pdf", summary_pdf, name="proposals-summary-pdf"),
]
