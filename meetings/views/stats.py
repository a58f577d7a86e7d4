"""办会统计: the statistics page (summary cards, meetings held per month drawn server-side as SVG,
the figures per series). Everything counted is what the user may see (meetings.statistics uses
the selectors); the 三员 and people without a business role get 403, as for 收文/发文统计.

Wired by meetings/urls.py: `*stats.urlpatterns` (name `meetings:meetings-statistics`)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from office.charts import Series, month_bars
from office.permissions import scope_for

from ..statistics import DEFINITIONS, meetings_statistics, meetings_statistics_years


def requested_year(request):
    """The ?year= asked for, or the current year."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def scope_label(user):
    """Whose figures are shown, in words."""
    if scope_for(user).office_wide:
        return f"{settings.OFFICE_CITY_NAME}人民政府全部会议、议题和纪要"
    unit = (user.unit.short_name or user.unit.name) if user.unit_id else "本单位"
    return f"{unit}提请或协调的议题、本人参加的会议和涉及{unit}的会议纪要"


def held_chart(stats):
    """Meetings held per month, and the executive meetings among them."""
    return month_bars(
        stats.by_month,
        [
            Series("received", "召开会议", lambda row: row.figures.held),
            Series("done", "常务会议", lambda row: row.figures.executive_held, said="其中常务会议"),
        ],
        title=f"{stats.year}年各月召开会议次数柱状图",
        basis="按会议开始日期统计",
        height=240,
        steps=4,
    )


def meetings_statistics_page(request):
    if not scope_for(request.user).has_business_role:
        raise PermissionDenied("您没有办会业务角色，无法查看办会统计。")
    year = requested_year(request)
    stats = meetings_statistics(request.user, year=year)
    template = "meetings/statistics.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    context = {
        "stats": stats,
        "year": year,
        "years": sorted({*meetings_statistics_years(request.user), year}, reverse=True),
        "scope_label": scope_label(request.user),
        "chart": held_chart(stats),
        "definitions": DEFINITIONS,
    }
    return render(request, template, context)


urlpatterns = [
    path("statistics/", meetings_statistics_page, name="meetings-statistics"),
]
