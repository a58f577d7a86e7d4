"""台账导出: the ledger as an xlsx workbook, built in the background (issue 6 "The ledger"; STYLE.md:
long jobs are rows with a status a page polls, built into a temp file then moved into place).

- `start_export(query, *, user)` records a job — an office.models.PdfJob row, the office's
  generic background-job row (status, total/done, file, last_error; template_name EXPORT_KIND
  marks it as a ledger export) holding the ledger's query string and the day of the request —
  and queues supervision.tasks_export.export_ledger once the transaction commits.
- `run_export(job)` (the task, after marking the job PROCESSING) rebuilds the rows in the worker
  with selectors.ledger_items for the requester — visibility and clearance are checked again
  there, never taken from the request — writes them with openpyxl in write-only mode into a
  temporary file, counting `done` every PROGRESS_EVERY rows, then moves the file into the job's
  storage and marks it READY (or FAILED with a message the requester reads).

The layout offices pass around: a title row 「督查督办事项台账（截至2026年5月3日）」, one header row
(序号, 督办编号, 事项名称, 来源, 牵头单位, 配合单位, 责任领导, 办结时限, 进度, 最新进展, 状态, 灯),
one row per item with its latest counted progress report, the light as a red / yellow / green
cell (supervision.measures, as of the day of the request). Items at 机密 and above are never
exported in bulk (DOMAIN.md §2): left out and counted in a note.
"""

import datetime
import logging
import os
import tempfile
from copy import copy

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from office.calendar import Light
from office.models import Clearance, PdfJob, Unit
from office.official_text import chinese_date
from office.pdf import finish_job, job_progress

from . import measures
from .filters import parse_ledger_filters, parse_ledger_order, statistic_chips
from .forms_ledger import ledger_query
from .models import Source, SupervisionItem
from .permissions import can_export
from .selectors import LEDGER_ORDERS, ledger_items

logger = logging.getLogger(__name__)

EXPORT_KIND = "supervision/ledger-export"  # PdfJob.template_name of a ledger export
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BULK_LIMIT = Clearance.SECRET  # 机密 and above are never exported in bulk
PROGRESS_EVERY = 500
COLUMNS = (
    ("序号", 6),
    ("督办编号", 16),
    ("事项名称", 36),
    ("来源", 18),
    ("牵头单位", 18),
    ("配合单位", 22),
    ("责任领导", 10),
    ("办结时限", 12),
    ("进度", 8),
    ("最新进展", 48),
    ("状态", 10),
    ("灯", 8),
)
LIGHT_FILLS = {Light.RED: "FF0000", Light.YELLOW: "FFFF00", Light.GREEN: "00B050"}


def export_title(as_of):
    return f"督查督办事项台账（截至{chinese_date(as_of)}）"


def describe_filters(querydict):
    """The filters in words for the confirmation page, e.g. ["来源：领导批示", "灯：红灯"]."""
    filters = parse_ledger_filters(querydict)
    words = []
    if filters.source:
        words.append(f"来源：{Source(filters.source).label}")
    if filters.state == "open":
        words.append("状态：在办")
    elif filters.state:
        words.append(f"状态：{SupervisionItem.State(filters.state).label}")
    if filters.light:
        words.append(f"灯：{measures.LIGHT_LABELS[filters.light]}")
    if filters.lead_unit:
        unit = Unit.objects.filter(pk=filters.lead_unit).only("name").first()
        words.append(f"牵头单位：{unit.name if unit else '（不存在）'}")
    if filters.responsible_leader:
        leader = get_user_model().objects.filter(pk=filters.responsible_leader).first()
        words.append(f"责任领导：{_name(leader) if leader else '（不存在）'}")
    if filters.year:
        words.append(f"年度：{filters.year}")
    if filters.deadline_from or filters.deadline_to:
        start = chinese_date(filters.deadline_from) if filters.deadline_from else "不限"
        end = chinese_date(filters.deadline_to) if filters.deadline_to else "不限"
        words.append(f"办结时限：{start} 至 {end}")
    if filters.keyword:
        words.append(f"关键词：{filters.keyword}")
    words.extend(text for _, text in statistic_chips(filters))
    return words


def export_rows(user, query, *, as_of):
    """(the items to export, how many visible ones are held back as 机密 and above) for `user`
    and the stored `query`, with lights as of `as_of`: the ledger's own queryset."""
    querydict = QueryDict(query)
    visible = ledger_items(user, parse_ledger_filters(querydict), today=as_of)
    held_back = visible.filter(classification__gt=BULK_LIMIT)
    rows = (
        visible.filter(classification__lte=BULK_LIMIT)
        .prefetch_related("co_units")
        .order_by(*LEDGER_ORDERS[parse_ledger_order(querydict)])
    )
    return rows, held_back


def start_export(query, *, user, today=None):
    """Queue the xlsx export of the ledger `query` (a query string) for `user`; the PdfJob."""
    if not can_export(user):
        raise PermissionDenied("您无权导出督查督办台账。")
    from .tasks_export import export_ledger

    as_of = today or timezone.localdate()
    with transaction.atomic():
        job = PdfJob.objects.create(
            title=export_title(as_of),
            template_name=EXPORT_KIND,
            context={"query": ledger_query(QueryDict(query)), "as_of": as_of.isoformat()},
            requested_by=user,
        )
        job_id = str(job.pk)
        transaction.on_commit(lambda: export_ledger.delay(job_id))
    return job


# --- the workbook ------------------------------------------------------------------------------


def _name(user):
    return (user.real_name or user.username) if user else ""


def _styles():
    thin = Side(style="thin", color="808080")
    return {
        "title": Font(name="黑体", size=16, bold=True),
        "header_font": Font(name="黑体", size=11, bold=True),
        "header_fill": PatternFill("solid", fgColor="D9D9D9"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
        "lights": {light: PatternFill("solid", fgColor=rgb) for light, rgb in LIGHT_FILLS.items()},
    }


def _cell(sheet, value, styles, *, alignment="wrap", number_format=None, fill=None):
    cell = WriteOnlyCell(sheet, value=value)
    cell.border = styles["border"]
    cell.alignment = styles[alignment]
    if number_format:
        cell.number_format = number_format
    if fill is not None:
        cell.fill = fill
    return cell


class RowStyles:
    """The styles of a data row, set up once: each cell then takes a copy of its prototype's
    style ids (openpyxl looks a style up in the workbook's tables on every assignment; ten
    thousand rows of twelve cells made that most of the export's time)."""

    def __init__(self, sheet, styles):
        def prototype(**options):
            return _cell(sheet, None, styles, **options)._style

        self.sheet = sheet
        self.text = prototype()
        self.center = prototype(alignment="center")
        self.date = prototype(alignment="center", number_format="yyyy-mm-dd")
        self.percent = prototype(alignment="center", number_format="0%")
        self.lights = {
            light: prototype(alignment="center", fill=fill)
            for light, fill in styles["lights"].items()
        }

    def cell(self, value, style):
        cell = WriteOnlyCell(self.sheet, value=value)
        cell._style = copy(style)
        return cell


def _source(item):
    label = item.get_source_display()
    return f"{label}：{item.source_label}" if item.source_label else label


def _state(item):
    text = item.get_state_display()
    return f"{text}（已延期）" if item.extended and item.is_open else text


def item_row(row, number, item):
    """One item's cells (`row` a RowStyles)."""
    latest = item.latest_report.text if item.latest_report_id else ""
    light = getattr(item, "light", "")
    text, center = row.text, row.center
    return [
        row.cell(number, center),
        row.cell(item.item_number, text),
        row.cell(item.title, text),
        row.cell(_source(item), text),
        row.cell(item.lead_unit.name, text),
        row.cell("、".join(unit.name for unit in item.co_units.all()), text),
        row.cell(_name(item.responsible_leader), text),
        row.cell(item.deadline, row.date),
        row.cell(item.progress / 100, row.percent),
        row.cell(latest, text),
        row.cell(_state(item), center),
        row.cell(measures.LIGHT_LABELS.get(light, ""), row.lights.get(light, center)),
    ]


def write_ledger(target, items, *, as_of, on_row=None):
    """Write `items` (an iterable of ledger rows) as the ledger workbook to `target` (a path or
    a binary file) in openpyxl's write-only mode: memory stays flat however many rows.
    `on_row(count)` is called after each row. Returns the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("督查督办台账")
    styles = _styles()
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(len(COLUMNS))
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    title = WriteOnlyCell(sheet, value=export_title(as_of))
    title.font = styles["title"]
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([title])
    header = []
    for label, _ in COLUMNS:
        cell = _cell(sheet, label, styles, alignment="center", fill=styles["header_fill"])
        cell.font = styles["header_font"]
        header.append(cell)
    sheet.append(header)
    row = RowStyles(sheet, styles)
    count = 0
    for count, item in enumerate(items, start=1):
        sheet.append(item_row(row, count, item))
        if on_row is not None:
            on_row(count)
    workbook.save(target)
    return count


# --- the job -----------------------------------------------------------------------------------


class _MovedFile(File):
    """A finished temporary file: the file-system storage moves it into place (one rename on
    the same file system) instead of copying it."""

    def temporary_file_path(self):
        return self.file.name


def run_export(job, *, on_progress=None):
    """Build the job's workbook (see the module docstring); the job's final status.
    `on_progress(done, total)` is called each time `done` is stored (tests, benchmark)."""
    user = job.requested_by
    if not can_export(user):
        return finish_job(
            job,
            status=PdfJob.Status.FAILED,
            last_error="您已无权导出督查督办台账。",
            fields=("done",),
        )
    as_of = datetime.date.fromisoformat(job.context["as_of"])
    rows, held_back = export_rows(user, job.context.get("query", ""), as_of=as_of)
    job.total = rows.count()
    PdfJob.objects.filter(pk=job.pk).update(total=job.total, done=0)

    def on_row(count):
        if count % PROGRESS_EVERY == 0:
            job_progress(job, count)
            if on_progress is not None:
                on_progress(count, job.total)

    fd, path = tempfile.mkstemp(prefix="ledger-", suffix=".xlsx")
    os.close(fd)
    try:
        try:
            written = write_ledger(
                path, rows.iterator(chunk_size=PROGRESS_EVERY), as_of=as_of, on_row=on_row
            )
        except Exception as exc:
            logger.exception("Ledger export %s failed", job.pk)
            return finish_job(
                job,
                status=PdfJob.Status.FAILED,
                fields=("done",),
                last_error=f"导出台账时出错（{type(exc).__name__}），请稍后重试或联系系统管理员。",
            )
        job.total = written  # rows may have changed since the count
        job.done = written
        skipped = held_back.count()
        job.context = {**job.context, "rows": written}
        if skipped:
            job.context["note"] = f"另有{skipped}项机密级及以上事项按规定不批量导出，未列入。"
        try:
            with open(path, "rb") as handle:
                job.file.save(f"{job.pk}.xlsx", _MovedFile(handle), save=False)
        except OSError:
            logger.exception("Ledger export %s could not be stored", job.pk)
            finish_job(
                job,
                status=PdfJob.Status.FAILED,
                last_error="文件保存失败，系统将自动重试。",
                fields=("done",),
            )
            raise
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass  # moved into place
    if on_progress is not None:
        on_progress(job.done, job.total)
    return finish_job(job, status=PdfJob.Status.READY, fields=("done", "file", "total", "context"))
