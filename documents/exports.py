"""收文统计 and 发文统计 as xlsx workbooks (openpyxl), in the layout offices pass around: a summary
sheet and the breakdowns (and for 发文 the list of the year's documents), rates as percentages.
They are built from figures and rows the caller took from a visibility-filtered queryset, so they
never hold a document the user may not see."""

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from office.models import Clearance

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


def _summary_sheet(
    sheet, styles, stats, heading, note, *, columns=COLUMNS, definitions=DEFINITIONS
):
    sheet.title = "汇总"
    _heading(sheet, styles, heading, note, 2)
    _header_row(sheet, styles, 4, ["指标", "数值"])
    for offset, (label, field) in enumerate(columns):
        _data_cell(sheet, styles, 5 + offset, 1, label)
        _data_cell(sheet, styles, 5 + offset, 2, _cell_value(stats.summary, field), field=field)
    number = 5 + len(columns) + 1
    sheet.cell(row=number, column=1, value="统计口径").font = styles["total_font"]
    for offset, (term, text) in enumerate(definitions, start=1):
        sheet.cell(row=number + offset, column=1, value=term)
        sheet.cell(row=number + offset, column=2, value=text).alignment = styles["wrap"]
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 70
    sheet.freeze_panes = "A5"


def _figures_table(sheet, styles, top, first_label, rows, summary, columns):
    """One breakdown table from row `top`: a header, a line per row and a 合计 line. Returns the
    first row after it."""
    _header_row(sheet, styles, top, [first_label, *(label for label, _ in columns)])
    lines = [(row.label, row.figures) for row in rows] + [("合计", summary)]
    for offset, (label, figures) in enumerate(lines, start=1):
        cells = [_data_cell(sheet, styles, top + offset, 1, label)]
        for column, (_, field) in enumerate(columns, start=2):
            value = _cell_value(figures, field)
            cells.append(_data_cell(sheet, styles, top + offset, column, value, field=field))
        if offset == len(lines):
            for cell in cells:
                cell.font = styles["total_font"]
                cell.fill = styles["total_fill"]
    return top + len(lines) + 1


def _breakdown_sheet(
    workbook, styles, title, first_label, rows, summary, heading, note, *, columns=COLUMNS
):
    sheet = workbook.create_sheet(title)
    _heading(sheet, styles, heading, note, len(columns) + 1)
    _figures_table(sheet, styles, 4, first_label, rows, summary, columns)
    sheet.column_dimensions["A"].width = 24
    for column in range(2, len(columns) + 2):
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


# --- 发文统计 --------------------------------------------------------------------------------

OUTGOING_COLUMNS = (
    ("发文", "issued"),
    ("涉密", "classified"),
    ("特急/加急", "urgent"),
    ("签收回执", "receipts"),
    ("按时签收", "receipts_on_time"),
    ("逾期签收", "receipts_late"),
    ("未签收", "receipts_outstanding"),
    ("逾期未签收", "receipts_overdue"),
    ("按时签收率", "on_time_rate"),
)
# The register sheet: (header, width).
OUTGOING_REGISTER_COLUMNS = (
    ("发文字号", 20),
    ("标题", 56),
    ("文种", 10),
    ("发文机关", 16),
    ("主送", 40),
    ("签发人", 10),
    ("签发日期", 12),
    ("印发日期", 12),
    ("密级", 8),
    ("状态", 10),
)
DATE_FORMAT = "yyyy-mm-dd"


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def _register_sheet(sheet, styles, documents, heading, note):
    """发文清单: one line per issued document. 机密 and above are never exported in bulk
    (DOMAIN.md §2): they are left out, and the sheet says how many were."""
    sheet.title = "发文清单"
    _heading(sheet, styles, heading, note, len(OUTGOING_REGISTER_COLUMNS))
    _header_row(sheet, styles, 4, [label for label, _ in OUTGOING_REGISTER_COLUMNS])
    row, withheld = 5, 0
    for document in documents:
        if document.classification > Clearance.SECRET:
            withheld += 1
            continue
        values = (
            document.document_number,
            document.title,
            document.get_doc_type_display(),
            document.issuing_unit.short_name or document.issuing_unit.name,
            "、".join(u.short_name or u.name for u in document.main_recipients.all()),
            document.signer.real_name if document.signer_id else "",
            _local_date(document.signed_at),
            _local_date(document.numbered_at),
            document.get_classification_display(),
            document.get_state_display(),
        )
        for column, value in enumerate(values, start=1):
            cell = _data_cell(sheet, styles, row, column, value)
            if isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            if column in (2, 5):
                cell.alignment = styles["wrap"]
        row += 1
    if withheld:
        sheet.cell(
            row=row + 1,
            column=1,
            value=f"另有机密级及以上发文 {withheld} 件，按规定不列入导出清单。",
        ).font = styles["note"]
    for column, (_, width) in enumerate(OUTGOING_REGISTER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "B5"
    sheet.auto_filter.ref = (
        f"A4:{get_column_letter(len(OUTGOING_REGISTER_COLUMNS))}{max(row - 1, 4)}"
    )


def _outgoing_summary_sheet(workbook, styles, stats, heading, note, definitions):
    """统计汇总: the summary and every breakdown, one table under the other, then the
    definitions."""
    sheet = workbook.create_sheet("统计汇总")
    span = len(OUTGOING_COLUMNS) + 1
    _heading(sheet, styles, heading, note, span)
    top = 4
    for title, first_label, rows in (
        ("按文种", "文种", stats.by_doc_type),
        ("按发文机关", "发文机关", stats.by_issuing_unit),
        ("按月份", "编号月份", stats.by_month),
        ("按行文方向", "行文方向", stats.by_direction),
    ):
        sheet.cell(row=top, column=1, value=title).font = styles["total_font"]
        top = _figures_table(
            sheet, styles, top + 1, first_label, rows, stats.summary, OUTGOING_COLUMNS
        )
        top += 1
    sheet.cell(row=top, column=1, value="统计口径").font = styles["total_font"]
    for offset, (term, text) in enumerate(definitions, start=1):
        sheet.cell(row=top + offset, column=1, value=term)
        sheet.cell(row=top + offset, column=2, value=text)
    sheet.column_dimensions["A"].width = 16
    for column in range(2, span + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.freeze_panes = "B4"


def outgoing_workbook(stats, documents, *, scope, definitions):
    """The year's 发文 as an xlsx file (bytes): 发文清单 (one line per issued document, in the
    order they were numbered) and 统计汇总 (by 文种, 发文机关, month and 行文方向, each with a 合计
    line, and the definitions). `documents` and `stats` come from a visibility-filtered
    queryset, so nothing the user may not see is in it."""
    styles = _styles()
    workbook = Workbook()
    workbook.properties.creator = "政务办公"
    unit = f"{stats.issuing_unit.short_name}" if stats.issuing_unit else ""
    heading = f"{stats.year}年{unit}发文统计"
    workbook.properties.title = heading
    today = stats.today
    note = (
        f"统计范围：{scope}；发文按发文字号年份统计；"
        f"统计日期：{today.year}年{today.month}月{today.day}日"
    )
    _register_sheet(workbook.active, styles, documents, heading, note)
    _outgoing_summary_sheet(workbook, styles, stats, heading, note, definitions)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
