"""收文统计 as an xlsx workbook (openpyxl), in the layout offices pass around: a summary sheet and
one sheet per breakdown, rates as percentages. It is built from figures the caller computed over a
visibility-filtered queryset, so it never holds a document the user may not see."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .statistics import DEFINITIONS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
