"""收文统计: the statistics page (summary, breakdowns, a month chart drawn server-side as SVG) and
its xlsx export. Both count only what the user may see (selectors.incoming_visible_to): a unit's
people get their unit's figures, and documents above a user's clearance are never counted."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from office.charts import Series, month_bars
from office.downloads import content_disposition
from office.permissions import scope_for

from ..exports import XLSX_TYPE, statistics_workbook
from ..selectors import incoming_visible_to
from ..statistics import DEFINITIONS, incoming_statistics, statistics_years


def _visible_documents(user):
    """The user's documents to count; people without a business role (the 三员) have none."""
    if not scope_for(user).has_business_role:
        raise PermissionDenied("您没有收文业务角色，无法查看收文统计。")
    return incoming_visible_to(user)


def scope_label(user):
    """Whose figures are shown, in words."""
    if scope_for(user).office_wide:
        return f"{settings.OFFICE_CITY_NAME}人民政府办公室全部收文（按您的查阅权限）"
    unit = (user.unit.short_name or user.unit.name) if user.unit_id else "本单位"
    return f"{unit}承办（主办或协办）的收文"


def requested_year(request):
    """The ?year= asked for, or the current year."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def month_chart(stats):
    """收文 and, within it, 已办结 per month of receipt."""
    return month_bars(
        stats.by_month,
        [
            Series("received", "收文", lambda row: row.figures.received),
            Series("done", "已办结", lambda row: row.figures.done, said="其中已办结"),
        ],
        title=f"{stats.year}年各月收文与办结件数柱状图",
        basis="按收文月份统计",
    )


def statistics_page(request):
    documents = _visible_documents(request.user)
    years = statistics_years(documents)
    year = requested_year(request)
    stats = incoming_statistics(documents, year=year)
    template = "documents/incoming_statistics.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    context = {
        "stats": stats,
        "years": sorted({*years, year}, reverse=True),
        "year": year,
        "scope_label": scope_label(request.user),
        "chart": month_chart(stats),
        "definitions": DEFINITIONS,
    }
    return render(request, template, context)


def statistics_export(request):
    documents = _visible_documents(request.user)
    year = requested_year(request)
    stats = incoming_statistics(documents, year=year)
    data = statistics_workbook(stats, scope=scope_label(request.user))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(
        f"收文统计-{year}.xlsx", fallback=f"incoming-statistics-{year}.xlsx"
    )
    return response


urlpatterns = [
    path("incoming/statistics/", statistics_page, name="incoming-statistics"),
    path("incoming/statistics/export/", statistics_export, name="incoming-statistics-export"),
]
