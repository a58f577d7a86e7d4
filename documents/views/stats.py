"""收文统计: the statistics page (summary, breakdowns, a month chart drawn server-side as SVG) and
its xlsx export. Both count only what the user may see (selectors.incoming_visible_to): a unit's
people get their unit's figures, and documents above a user's clearance are never counted."""

import io
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from office.permissions import scope_for

from ..selectors import incoming_visible_to
from ..statistics import DEFINITIONS, incoming_statistics, statistics_years

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _year(request):
    """The ?year= asked for, or the current year."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _nice_step(peak, steps):
    """The smallest of 1, 2, 5 × 10ⁿ such that `steps` of it reach `peak`."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude * steps >= peak:
                return factor * magnitude
        magnitude *= 10


def month_chart(rows, *, width=960, height=280, steps=5):
    """Geometry of the month chart (received vs completed per month of receipt) for the
    template's inline SVG: the bars, their value labels and the y-axis ticks."""
    left, right, top, bottom = 44, 8, 16, 30
    plot_width, plot_height = width - left - right, height - top - bottom
    step = _nice_step(
        max((max(r.figures.received, r.figures.done) for r in rows), default=0), steps
    )
    scale = plot_height / (step * steps)
    slot = plot_width / len(rows)
    bar = slot * 0.32
    months = []
    for index, row in enumerate(rows):
        x = left + index * slot + slot / 2
        bars = []
        for offset, value, kind in (
            (-bar, row.figures.received, "received"),
            (0, row.figures.done, "done"),
        ):
            h = value * scale
            bars.append(
                {
                    "kind": kind,
                    "value": value,
                    "x": round(x + offset, 1),
                    "y": round(top + plot_height - h, 1),
                    "height": round(h, 1),
                    "label_x": round(x + offset + bar / 2, 1),
                    "label_y": round(top + plot_height - h - 3, 1),
                }
            )
        months.append({"label": row.label, "x": round(x, 1), "bars": bars, "figures": row.figures})
    ticks = [
        {"value": step * i, "y": round(top + plot_height - step * i * scale, 1)}
        for i in range(steps + 1)
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "baseline": top + plot_height,
        "label_y": height - 10,
        "bar_width": round(bar, 1),
        "months": months,
        "ticks": ticks,
    }


def statistics_page(request):
    documents = _visible_documents(request.user)
    years = statistics_years(documents)
    year = _year(request)
    stats = incoming_statistics(documents, year=year)
    template = "documents/incoming_statistics.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    context = {
        "stats": stats,
        "years": sorted({*years, year}, reverse=True),
        "year": year,
        "scope_label": scope_label(request.user),
        "chart": month_chart(stats.by_month),
        "definitions": DEFINITIONS,
    }
    return render(request, template, context)


def statistics_export(request):
    documents = _visible_documents(request.user)
    year = _year(request)
    stats = incoming_statistics(documents, year=year)
    data = statistics_workbook(stats, scope=scope_label(request.user))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(
        f"收文统计-{year}.xlsx", fallback=f"incoming-statistics-{year}.xlsx"
    )
    return response


def content_disposition(filename, *, fallback, inline=False):
    """RFC 6266 with RFC 5987: an ASCII `fallback` for old clients and the UTF-8 name."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# --- The xlsx export ----------------------------------------------------------------------------

COLUMNS = (
    ("收文", "received"),
    ("办件", "action"),
    ("阅件", "reading"),
    ("退文", "returned"),
    ("应办结办件", "due"),
    ("已办结办件", "action_done"),
    ("已办结阅件", "reading_done"),
    ("按期办结", "on_time"),
    ("逾期办结", "completed_late"),
    ("在办办件", "action_open"),
    ("逾期未办结", "overdue"),
    ("办结率", "completion_rate"),
    ("按期办结率", "on_time_rate"),
)
RATE_FIELDS = {"completion_rate", "on_time_rate"}
PERCENT_FORMAT = "0.0%"


def _cell_value(figures, field):
    value = getattr(figures, field)
    if field in RATE_FIELDS:
        return "—" if value is None else float(value / 100)
    return value


def _styles():
    thin = Side(style="thin", color="B7BCC4")
    return {
        "title": Font(name="黑体", size=14, bold=True),
        "note": Font(name="宋体", size=10, color="646A73"),
        "header_font": Font(name="黑体", size=11, bold=True, color="FFFFFF"),
        "header_fill": PatternFill("solid", fgColor="9F1D20"),
        "total_font": Font(bold=True),
        "total_fill": PatternFill("solid", fgColor="FBEEEE"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
    }


def _heading(sheet, styles, text, note, span):
    last = get_column_letter(span)
    sheet["A1"] = text
    sheet["A1"].font = styles["title"]
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = note
    sheet["A2"].font = styles["note"]
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[1].height = 24


def _header_row(sheet, styles, row, labels):
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font = styles["header_font"]
        cell.fill = styles["header_fill"]
        cell.alignment = styles["center"]
        cell.border = styles["border"]
    sheet.row_dimensions[row].height = 30


def _data_cell(sheet, styles, row, column, value, *, field=None):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.border = styles["border"]
    if field is not None:
        cell.alignment = styles["center"]
    if field in RATE_FIELDS:
        cell.number_format = PERCENT_FORMAT
    return cell


def _summary_sheet(sheet, styles, stats, heading, note):
    sheet.title = "汇总"
    _heading(sheet, styles, heading, note, 2)
    _header_row(sheet, styles, 4, ["指标", "数值"])
    for offset, (label, field) in enumerate(COLUMNS):
        _data_cell(sheet, styles, 5 + offset, 1, label)
        _data_cell(sheet, styles, 5 + offset, 2, _cell_value(stats.summary, field), field=field)
    number = 5 + len(COLUMNS) + 1
    sheet.cell(row=number, column=1, value="统计口径").font = styles["total_font"]
    for offset, (term, text) in enumerate(DEFINITIONS, start=1):
        sheet.cell(row=number + offset, column=1, value=term)
        sheet.cell(row=number + offset, column=2, value=text).alignment = styles["wrap"]
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 70
    sheet.freeze_panes = "A5"


def _breakdown_sheet(workbook, styles, title, first_label, rows, summary, heading, note):
    sheet = workbook.create_sheet(title)
    _heading(sheet, styles, heading, note, len(COLUMNS) + 1)
    _header_row(sheet, styles, 4, [first_label, *(label for label, _ in COLUMNS)])
    lines = [(row.label, row.figures) for row in rows] + [("合计", summary)]
    for offset, (label, figures) in enumerate(lines):
        cells = [_data_cell(sheet, styles, 5 + offset, 1, label)]
        for column, (_, field) in enumerate(COLUMNS, start=2):
            value = _cell_value(figures, field)
            cells.append(_data_cell(sheet, styles, 5 + offset, column, value, field=field))
        if offset == len(lines) - 1:
            for cell in cells:
                cell.font = styles["total_font"]
                cell.fill = styles["total_fill"]
    sheet.column_dimensions["A"].width = 24
    for column in range(2, len(COLUMNS) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    sheet.freeze_panes = "B5"


def statistics_workbook(stats, *, scope):
    """The year's statistics as an xlsx file (bytes): sheets 汇总 (with the definitions),
    按来文层级, 按主办单位 and 按月份, each breakdown ending with a 合计 line. Counts are numbers
    and rates are fractions formatted as percentages, so the spreadsheet can compute with them;
    a rate without a denominator is "—"."""
    styles = _styles()
    workbook = Workbook()
    workbook.properties.creator = "政务办公"
    workbook.properties.title = f"{stats.year}年收文统计"
    today = stats.today
    note = (
        f"统计范围：{scope}；收文按收文日期统计；"
        f"统计日期：{today.year}年{today.month}月{today.day}日"
    )
    heading = f"{stats.year}年收文统计"
    _summary_sheet(workbook.active, styles, stats, heading, note)
    for title, first_label, rows in (
        ("按来文层级", "来文层级", stats.by_sender_level),
        ("按主办单位", "主办单位", stats.by_lead_unit),
        ("按月份", "收文月份", stats.by_month),
    ):
        _breakdown_sheet(workbook, styles, title, first_label, rows, stats.summary, heading, note)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


urlpatterns = [
    path("incoming/statistics/", statistics_page, name="incoming-statistics"),
    path("incoming/statistics/export/", statistics_export, name="incoming-statistics-export"),
]
