"""建议提案办理情况汇总表: the xlsx workbook the people's congress and the political consultative
conference ask for (issue 7 item 7) — one sheet per session, titled
「十六届人大三次会议代表建议办理情况汇总表」 / 「十三届政协三次会议委员提案办理情况汇总表」, one header
row (COLUMNS) and one row per item; then the sheet 「分单位统计」 with proposals.measures' figures
per lead unit and the total.

Only what the user may see (selectors.proposals_visible_to, through statistics and export_rows):
a unit's workbook holds its own items and figures. 建议提案 carry no classification (密级).

Built in the request, not as a background job: a session has a few hundred items (DOMAIN.md §7:
191 suggestions, 446 proposals), and the known year of the tests (637 rows and the unit sheet)
is read and written in about half a second on this machine class (0.1 s the figures, 0.45 s the
rows and the workbook). A national-sized session of several thousand items would take a few
seconds; past that, supervision.export's job row (office.models.PdfJob) is the pattern to move
to."""

import io
from copy import copy

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from office.official_text import chinese_date

from . import measures
from .models import Author, Proposal, Rating, Session
from .selectors import proposals_visible_to

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_SHEET = "分单位统计"
COLUMNS = (
    ("序号", 6),
    ("编号", 11),
    ("类别", 6),
    ("标题", 40),
    ("领衔人", 10),
    ("代表团/界别", 14),
    ("附议人", 18),
    ("主办单位", 18),
    ("会办单位", 20),
    ("交办日期", 12),
    ("答复期限", 12),
    ("答复日期", 12),
    ("答复分类", 9),
    ("办理态度评价", 12),
    ("办理结果评价", 12),
    ("是否重新办理", 12),
    ("办理状态", 11),
)
LEVELS = dict(Rating.Level.choices)
STATES = dict(Proposal.State.choices)
KINDS = dict(Proposal.Kind.choices)
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"


def sheet_title(session):
    """「<届次>代表建议办理情况汇总表」 or 「<届次>委员提案办理情况汇总表」."""
    what = "代表建议" if session.body == Session.Body.NPC else "委员提案"
    return f"{session.name}{what}办理情况汇总表"


def export_rows(user, sessions, *, as_of=None):
    """The items of `sessions` `user` may see, each with what its row shows: the facts of
    proposals.measures (latest sent reply's class and date, latest rating), its units and its
    proposers — in four queries (and the calendar's)."""
    authors = Author.objects.order_by("role", "position", "id")
    items = proposals_visible_to(user, Proposal.objects.filter(session__in=sessions))
    return (
        measures.with_facts(items, as_of=as_of)
        .select_related("session", "lead_unit")
        .prefetch_related("co_units", Prefetch("authors", queryset=authors))
        .order_by("session_id", "kind", "number")
    )


def item_cells(number, item):
    """One item's values, in COLUMNS' order."""
    lead = item.lead_author
    return [
        number,
        item.number_text,
        KINDS.get(item.kind, item.kind),
        item.title,
        lead.name if lead else "",
        lead.delegation if lead else "",
        "、".join(a.name for a in item.co_authors),
        item.lead_unit.name if item.lead_unit_id else "",
        "、".join(u.name for u in item.co_units.all()),
        item.assigned_on,
        item.deadline,
        item.latest_sent_on,
        f"{item.latest_class}类" if item.latest_class else "",
        LEVELS.get(item.final_attitude, ""),
        LEVELS.get(item.final_result, ""),
        "是" if item.round == 2 else "否",
        STATES.get(item.state, item.state),
    ]


# --- the workbook ------------------------------------------------------------------------------


class _Styles:
    def __init__(self):
        thin = Side(style="thin", color="808080")
        self.title = Font(name="黑体", size=16, bold=True)
        self.note = Font(name="宋体", size=10, color="646A73")
        self.header_font = Font(name="黑体", size=11, bold=True)
        self.header_fill = PatternFill("solid", fgColor="D9D9D9")
        self.total_font = Font(bold=True)
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = Alignment(vertical="top", wrap_text=True)


def _set_up(sheet, title, widths, styles):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    cell = sheet.cell(row=1, column=1, value=title)
    cell.font = styles.title
    cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _header(sheet, labels, styles, row=2):
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font = styles.header_font
        cell.fill = styles.header_fill
        cell.border = styles.border
        cell.alignment = styles.center


class _CellStyles:
    """The styles of a sheet's data cells, registered once: each cell then takes a copy of its
    prototype's style ids (openpyxl looks a style up in the workbook's tables on every
    assignment — most of the time of a few hundred rows, as supervision.export found)."""

    def __init__(self, sheet, styles):
        def prototype(alignment, number_format=None, font=None):
            cell = Cell(sheet)  # detached: never written
            cell.border = styles.border
            cell.alignment = alignment
            if number_format:
                cell.number_format = number_format
            if font is not None:
                cell.font = font
            return cell._style

        self.sheet = sheet
        self.kinds = {}
        for bold in (False, True):
            font = styles.total_font if bold else None
            self.kinds[("wrap", bold)] = prototype(styles.wrap, font=font)
            self.kinds[("center", bold)] = prototype(styles.center, font=font)
            self.kinds[("date", bold)] = prototype(styles.center, DATE_FORMAT, font)
            self.kinds[("percent", bold)] = prototype(styles.center, PERCENT_FORMAT, font)

    def row(self, row, values, *, wrap=(), percent=(), bold=False):
        for column, value in enumerate(values, start=1):
            if column in wrap:
                kind = "wrap"
            elif column in percent:
                kind = "percent"
            elif hasattr(value, "isoformat"):
                kind = "date"
            else:
                kind = "center"
            cell = self.sheet.cell(row=row, column=column, value=value)
            cell._style = copy(self.kinds[(kind, bold)])


def _sheet_name(name, taken):
    """Excel's sheet names: at most 31 characters, none of []:*?/\\ , unique."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def write_items(sheet, session, items, styles):
    """A session's sheet: its title, the header and one row per item. Returns the rows."""
    _set_up(sheet, sheet_title(session), [w for _, w in COLUMNS], styles)
    _header(sheet, [label for label, _ in COLUMNS], styles)
    cells, wrap = _CellStyles(sheet, styles), {4, 7, 8, 9}
    for number, item in enumerate(items, start=1):
        cells.row(number + 2, item_cells(number, item), wrap=wrap)
    return len(items)


def _rate(value):
    """A rate as a fraction the spreadsheet formats as a percentage; "—" when there is none."""
    return "—" if value is None else float(value) / 100


def unit_columns(classes):
    """(label, width, value(figures)) of the 分单位统计 sheet after 序号 and 主办单位."""
    columns = [
        ("收到", 8, lambda f: f.received),
        ("其中重点", 8, lambda f: f.key),
        ("交办", 8, lambda f: f.assigned),
        ("办复", 8, lambda f: f.replied),
        ("办复率", 9, lambda f: _rate(f.reply_rate)),
    ]
    for code, _ in classes:
        columns.append((f"{code}类", 7, lambda f, code=code: f.class_count(code)))
    columns += [
        ("已评价", 8, lambda f: f.result_first.rated),
        ("初次满意率", 11, lambda f: _rate(f.first_satisfaction_rate)),
        ("最终满意率", 11, lambda f: _rate(f.final_satisfaction_rate)),
        ("办理态度初次满意率", 11, lambda f: _rate(f.first_attitude_rate)),
        ("办理态度最终满意率", 11, lambda f: _rate(f.final_attitude_rate)),
        ("重新办理", 9, lambda f: f.rehandled),
        ("逾期未答复", 10, lambda f: f.overdue),
        ("逾期答复", 9, lambda f: f.replied_late),
    ]
    return columns


def write_units(sheet, stats, styles):
    """分单位统计: one row per lead unit (未交办 last) and 合计, with the scope and the day under."""
    columns = unit_columns(stats.classes)
    title = f"{stats.scope.label}建议提案分单位办理情况统计表"
    _set_up(sheet, title, [6, 24, *[w for _, w, _ in columns]], styles)
    _header(sheet, ["序号", "主办单位", *[label for label, _, _ in columns]], styles)
    rates = {i + 3 for i, (label, _, _) in enumerate(columns) if label.endswith("率")}
    cells, row = _CellStyles(sheet, styles), 2
    for number, unit in enumerate(stats.by_unit, start=1):
        row += 1
        values = [number, unit.label, *[value(unit.figures) for _, _, value in columns]]
        cells.row(row, values, wrap={2}, percent=rates)
    row += 1
    values = [None, "合计", *[value(stats.total) for _, _, value in columns]]
    cells.row(row, values, percent=rates, bold=True)
    note = sheet.cell(
        row=row + 2,
        column=1,
        value=f"统计截至{chinese_date(stats.scope.as_of)}。口径："
        + "；".join(f"{term}：{text}" for term, text in measures.DEFINITIONS),
    )
    note.font = styles.note
    sheet.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=len(values))
    note.alignment = styles.wrap
    sheet.row_dimensions[row + 2].height = 120


def statistics_workbook(user, stats):
    """The workbook (bytes) of the items and figures of `stats` (statistics.proposal_statistics
    for `user`): a sheet per session, then 分单位统计."""
    styles = _Styles()
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken = set()
    items = list(export_rows(user, stats.scope.sessions, as_of=stats.scope.as_of))
    for session in stats.scope.sessions:
        sheet = workbook.create_sheet(_sheet_name(session.name, taken))
        write_items(sheet, session, [i for i in items if i.session_id == session.pk], styles)
    write_units(workbook.create_sheet(_sheet_name(UNIT_SHEET, taken)), stats, styles)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(stats):
    return f"建议提案办理情况汇总表-{stats.scope.label}.xlsx"
