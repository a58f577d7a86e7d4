"""发文统计: the statistics page (summary, breakdowns, a month chart drawn server-side as SVG) and
its xlsx export. Both count only what the user may see (selectors.outgoing_visible_to): office
staff get the office's figures within their clearance, a unit's people the documents their unit
drafted, co-signed or received; the 三员 and people without a business role get 403, as for
收文统计."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from office.charts import Series, month_bars
from office.downloads import content_disposition
from office.permissions import scope_for

from ..exports import XLSX_TYPE, outgoing_workbook
from ..outgoing_statistics import (
    DEFINITIONS,
    issued_register,
    issuing_units,
    outgoing_statistics,
    outgoing_statistics_years,
    receipt_units_for,
)
from ..selectors import outgoing_visible_to
from .stats import requested_year


def _visible_documents(user):
    """The user's documents to count; people without a business role (the 三员) have none."""
    if not scope_for(user).has_business_role:
        raise PermissionDenied("您没有公文业务角色，无法查看发文统计。")
    return outgoing_visible_to(user)


def scope_label(user):
    """Whose figures are shown, in words."""
    if scope_for(user).office_wide:
        return f"{settings.OFFICE_CITY_NAME}人民政府及其办公室全部发文（按您的查阅权限）"
    unit = (user.unit.short_name or user.unit.name) if user.unit_id else "本单位"
    return f"{unit}起草、会签或收到的发文"


def _issuing_unit(request, units):
    """The ?unit= asked for, if it is one of the issuing units the user sees; else all."""
    wanted = request.GET.get("unit", "")
    return next((unit for unit in units if str(unit.pk) == wanted), None)


def issued_chart(stats):
    """发文 per month of its number."""
    return month_bars(
        stats.by_month,
        [Series("received", "发文", lambda row: row.figures.issued)],
        title=f"{stats.year}年各月发文件数柱状图",
        basis="按编号月份统计",
        height=240,
        steps=4,
    )


def outgoing_statistics_page(request):
    documents = _visible_documents(request.user)
    units = issuing_units(documents)
    unit = _issuing_unit(request, units)
    year = requested_year(request)
    stats = outgoing_statistics(
        documents, year=year, issuing_unit=unit, receipt_units=receipt_units_for(request.user)
    )
    template = "documents/outgoing_statistics.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    context = {
        "stats": stats,
        "years": sorted({*outgoing_statistics_years(documents), year}, reverse=True),
        "year": year,
        "units": units,
        "unit": unit,
        "scope_label": scope_label(request.user),
        "chart": issued_chart(stats),
        "definitions": DEFINITIONS,
    }
    return render(request, template, context)


def outgoing_statistics_export(request):
    documents = _visible_documents(request.user)
    unit = _issuing_unit(request, issuing_units(documents))
    year = requested_year(request)
    stats = outgoing_statistics(
        documents, year=year, issuing_unit=unit, receipt_units=receipt_units_for(request.user)
    )
    data = outgoing_workbook(
        stats,
        issued_register(documents, year=year, issuing_unit=unit),
        scope=scope_label(request.user),
        definitions=DEFINITIONS,
    )
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(
        f"发文统计-{year}.xlsx", fallback=f"outgoing-statistics-{year}.xlsx"
    )
    return response


urlpatterns = [
    path("outgoing/statistics/", outgoing_statistics_page, name="outgoing-statistics"),
    path(
        "outgoing/statistics/export/",
        outgoing_statistics_export,
        name="outgoing-statistics-export",
    ),
]
