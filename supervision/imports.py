"""政府工作报告目标任务导入 (issue 6 item 1, DOMAIN.md §6): the year's targets broken into tasks,
read from the xlsx offices already keep, each task opened (立项) as a supervision item with its
quarterly milestones (节点目标).

The layout (COLUMNS, notes() — shown on the upload page and in the sample workbook alike): one row
per task under a header row 序号 · 目标 · 任务 · 牵头单位 · 配合单位 · 责任领导 · 完成时限 ·
一季度目标 … 四季度目标 · 报送周期 · 报送日. A 目标 cell left empty (or merged over several rows)
carries the target from the row above; a row with only 序号/目标 is a heading row for the target.
Each task becomes an item titled by the task, its requirement 「年度目标：…」 then the task, source
政府工作报告目标任务 labelled 「2026年政府工作报告 目标N」 (N counts the file's targets in order);
every quarterly target filled in becomes a milestone due on that quarter's last day of the report
year.

Two steps, nothing half-written: `parse_file` checks every row — units by full or short name
among active units, leaders by name among active leaders, dates, cadence, milestones not after the
deadline, tasks repeated within the file — and marks a task already opened for the year with the
same title and lead unit as 已存在 (skipped, not an error). The supervisor previews the result;
`import_tasks` then opens every new task with services.open_item in ONE transaction, and only if
the file has no error at all: a failure opens nothing, and the numbers (督〔年〕N号) come out
contiguous because the register's counter stays locked until the transaction commits.

Between the two steps the upload waits on the server under a random token (`store_upload`), and
is parsed again on confirmation — the preview and the import read the same bytes."""

import calendar
import datetime
import io
import itertools
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils.datetime import from_excel

from office import xlsx
from office.notifications import notify
from office.selectors import active_leaders, responsible_units
from office.xlsx import Column

from . import permissions as can
from . import services
from .models import Cadence, Source, SupervisionItem

MAX_MB = 5
MAX_UNPACKED_MB = xlsx.MAX_UNPACKED_MB  # a ZIP bomb is refused before openpyxl reads it
MAX_ROWS = 1000  # task rows in one file
HEADER_SCAN_ROWS = 10  # a title row or two may stand above the header row
MAX_COLUMNS = 40
BLANK_RUN_END = 1000  # this many empty rows in a row end the table
TITLE_LENGTH = 300  # SupervisionItem.title, Milestone.title
NOT_XLSX = xlsx.NOT_XLSX
DEFAULT_CADENCE = Cadence.QUARTERLY
DEFAULT_REPORT_DAY = 25
DEFAULT_WEEKDAY = 5  # 每周报送：星期五
STORE_HOURS = 24  # an abandoned upload is removed after this
# pg_advisory_xact_lock key: one import at a time re-checks 已存在 and opens its items.
IMPORT_LOCK = 7_240_601


QUARTERS = (
    ("q1", "一季度目标", 3),
    ("q2", "二季度目标", 6),
    ("q3", "三季度目标", 9),
    ("q4", "四季度目标", 12),
)

COLUMNS = (
    Column("number", "序号", (), False, 6, "可不填，仅供对照。"),
    Column(
        "target",
        "目标",
        ("年度目标", "主要目标"),
        True,
        30,
        "年度目标，如“地区生产总值增长5.5%左右”。同一目标下的各行可合并单元格，或只在第一行填写。",
    ),
    Column(
        "task",
        "任务",
        ("分解任务", "工作任务", "具体任务"),
        True,
        36,
        "分解任务，即督办事项名称，如“新增城镇就业3万人以上”，不超过300字；同一文件中不得重复。",
    ),
    Column(
        "lead_unit",
        "牵头单位",
        ("牵头部门", "责任单位"),
        True,
        18,
        "一个单位，填全称或简称，如“珠海市教育局”或“市教育局”。",
    ),
    Column("co_units", "配合单位", ("配合部门",), False, 24, "可不填；多个以“、”分隔。"),
    Column("leader", "责任领导", ("分管领导", "牵头领导"), True, 12, "领导姓名，如“李明”。"),
    Column(
        "deadline",
        "完成时限",
        ("办结时限", "时限"),
        True,
        14,
        "日期，如 2026-12-31、2026年12月31日，也可写“2026年12月底”“2026年底”；不能早于今天。",
    ),
    *(
        Column(
            key,
            label,
            (label.removesuffix("目标"), f"第{label}", f"第{label.removesuffix('目标')}"),
            False,
            20,
            f"可不填；填写的成为节点目标，时限为当年{month}月{calendar.monthrange(2001, month)[1]}日，"
            "不得晚于完成时限。",
        )
        for key, label, month in QUARTERS
    ),
    Column(
        "cadence",
        "报送周期",
        ("报送频次",),
        False,
        10,
        "每月、每季度、每周或不定期；不填为每季度。",
    ),
    Column(
        "report_day",
        "报送日",
        (),
        False,
        8,
        "每月（每季度末月）几日前报送，1–31，不填为25；每周报送填星期几（1–5），不填为5。",
    ),
)
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}

NOTE_LINES = (
    "每个分解任务一行，立为一项督办事项；表头行须有“目标”“任务”“牵头单位”“责任领导”“完成时限”等列，"
    "列的先后不限，表头上方可有标题行。",
    "目标留空（或合并单元格）的行沿用上一行的目标；只填序号和目标的行视为目标标题行，不立项。",
    "来源记为“政府工作报告目标任务”，来源文件为“{year}年政府工作报告 目标N”（N 为文件中目标的顺序）；"
    "工作要求为“年度目标：……”和分解任务。",
    "上传后先预览：逐行核对单位、领导、日期和节点目标，列出每一处错误（第几行、哪一列）。"
    "文件中有任何错误都不能导入，请修改后重新上传；全部无误后一次导入，要么全部立项，要么一项也不立项。",
    "当年已立项的同名任务（牵头单位相同）显示为“已存在”，导入时跳过，不会重复立项。",
    f"文件不超过 {MAX_MB} MB，最多 {MAX_ROWS} 个任务行；只读取第一个工作表（或名为“目标任务”的工作表）。",
)


def notes(year):
    """The layout's rules in words, for the upload page and the sample's 「填写说明」 alike."""
    return tuple(line.replace("{year}", str(year)) for line in NOTE_LINES)


CADENCE_WORDS = {
    "每月": Cadence.MONTHLY,
    "按月": Cadence.MONTHLY,
    "月度": Cadence.MONTHLY,
    "每季度": Cadence.QUARTERLY,
    "每季": Cadence.QUARTERLY,
    "按季度": Cadence.QUARTERLY,
    "按季": Cadence.QUARTERLY,
    "季度": Cadence.QUARTERLY,
    "每周": Cadence.WEEKLY,
    "按周": Cadence.WEEKLY,
    "每星期": Cadence.WEEKLY,
    "不定期": Cadence.NONE,
}
WEEKDAY_WORDS = {
    f"{prefix}{name}": n for n, name in enumerate("一二三四五", 1) for prefix in ("星期", "周")
}


# --- reading cells -----------------------------------------------------------------------------


# Shared with every duty's import (office.xlsx): cells as text, headers as compared.
_text = xlsx.cell_text
_header = xlsx.header_text


_HEADERS = {name: column.key for column in COLUMNS for name in (column.label, *column.aliases)}

_FULL_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*(?:之?前)?$"
)
_MONTH_END = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:底|末|份)?\s*(?:之?前)?$")
_YEAR_END = re.compile(r"^(\d{4})\s*年\s*(?:底|末)\s*(?:之?前)?$")
_EXCEL_DAYS = (36526, 73051)  # 2000-01-01 … 2100-01-01 as Excel day numbers


def parse_date(value):
    """完成时限 as offices write it: a date cell, 2026-12-31 (also / or .), 2026年12月31日,
    2026年12月底, 2026年底 (a trailing 前 is allowed). Raises ValueError with the message."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _EXCEL_DAYS[0] <= value < _EXCEL_DAYS[1]:
            return from_excel(value).date()
        raise ValueError(f"无法识别日期“{_text(value)}”，请填写如 2026-12-31 或 2026年12月31日。")
    text = _text(value)
    try:
        if match := _FULL_DATE.match(text):
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        if match := _MONTH_END.match(text):
            year, month = int(match[1]), int(match[2])
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
        if match := _YEAR_END.match(text):
            return datetime.date(int(match[1]), 12, 31)
    except (ValueError, calendar.IllegalMonthError):
        raise ValueError(f"日期“{text}”不存在。") from None
    raise ValueError(f"无法识别日期“{text}”，请填写如 2026-12-31 或 2026年12月31日。")


def quarter_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


# --- the result of reading a file ---------------------------------------------------------------


Problem = xlsx.Problem


@dataclass
class TaskRow:
    """One task row as read and checked."""

    line: int
    number: str = ""
    target: str = ""
    target_number: int = 0
    task: str = ""
    lead_unit_text: str = ""
    lead_unit: object = None
    co_units_text: str = ""
    co_units: list = field(default_factory=list)
    leader_text: str = ""
    leader: object = None
    deadline_text: str = ""
    deadline: datetime.date | None = None
    milestones: list = field(default_factory=list)  # (quarter label, title, due_on)
    report_cadence: str = DEFAULT_CADENCE
    report_day: int = DEFAULT_REPORT_DAY
    problems: list = field(default_factory=list)
    existing_number: str = ""  # 督办编号 of the item already opened, when 已存在
    existing_id: int | None = None

    def problem(self, column_key, message):
        self.problems.append(Problem(message, self.line, COLUMN_LABELS.get(column_key, "")))

    @property
    def status(self):
        if self.problems:
            return "error"
        return "existing" if self.existing_number else "new"

    @property
    def requirement(self):
        return f"年度目标：{self.target}\n分解任务：{self.task}"

    def source_label(self, year):
        return f"{year}年政府工作报告 目标{self.target_number}"


@dataclass
class ParsedFile:
    year: int
    rows: list = field(default_factory=list)
    file_problems: list = field(default_factory=list)
    sheet: str = ""
    targets: int = 0

    @property
    def problems(self):
        return [*self.file_problems, *(p for row in self.rows for p in row.problems)]

    @property
    def new_rows(self):
        return [row for row in self.rows if row.status == "new"]

    @property
    def existing_rows(self):
        return [row for row in self.rows if row.status == "existing"]

    @property
    def error_rows(self):
        return [row for row in self.rows if row.status == "error"]

    @property
    def can_import(self):
        """Only a file without any error is imported (and only if it has something new)."""
        return not self.problems and bool(self.new_rows)


# --- opening and checking the file -------------------------------------------------------------


def _workbook(source):
    """The workbook read-only, or a ValidationError: the type is judged from the content, never
    from the file name (office.xlsx)."""
    return xlsx.open_workbook(source, max_unpacked_mb=MAX_UNPACKED_MB)


def check_file(upload):
    """The upload's size and type; raises a ValidationError in Chinese."""
    xlsx.check_file(upload, max_mb=MAX_MB, max_unpacked_mb=MAX_UNPACKED_MB)


def _sheet(workbook):
    for sheet in workbook.worksheets:
        if sheet.title.strip() == "目标任务":
            return sheet
    return workbook.worksheets[0]


def _find_header(rows):
    """(row number, {column key: index}) of the first row naming 任务 and 牵头单位."""
    for number, values in enumerate(rows, 1):
        keys = {}
        for index, value in enumerate(values):
            key = _HEADERS.get(_header(value))
            if key is not None and key not in keys:
                keys[key] = index
        if "task" in keys and "lead_unit" in keys:
            return number, keys
        if number >= HEADER_SCAN_ROWS:
            break
    return None, {}


class _Lookup:
    """Active units by full or short name, active leaders by name: two queries per file."""

    def __init__(self):
        self.units = {}
        for unit in responsible_units().order_by("id"):
            self.units.setdefault(unit.name, []).append(unit)
            if unit.short_name and unit.short_name != unit.name:
                self.units.setdefault(unit.short_name, []).append(unit)
        self.leaders = {}
        for leader in active_leaders():
            self.leaders.setdefault(leader.real_name, []).append(leader)

    def unit(self, name):
        """(unit, message): message names what is wrong when there is no single unit."""
        found = {unit.pk: unit for unit in self.units.get(name, [])}
        if len(found) == 1:
            return next(iter(found.values())), ""
        exact = [unit for unit in found.values() if unit.name == name]
        if len(exact) == 1:
            return exact[0], ""
        if found:
            return None, f"“{name}”对应多个单位，请填写单位全称。"
        return None, f"未找到启用的承办单位“{name}”，请填写单位全称或简称。"

    def leader(self, name):
        name = re.split(r"[（(]", name, maxsplit=1)[0].strip()
        found = self.leaders.get(name, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, f"有多位领导名为“{name}”，请联系系统管理员区分。"
        return None, f"未找到在职领导“{name}”，请填写领导姓名。"


def _cadence(row, text):
    if not text:
        return DEFAULT_CADENCE
    cadence = CADENCE_WORDS.get(text.replace(" ", ""))
    if cadence is None:
        row.problem("cadence", f"“{text}”不是报送周期，应为每月、每季度、每周或不定期。")
        return DEFAULT_CADENCE
    return cadence


def _report_day(row, value):
    text = _text(value).replace(" ", "")
    weekly = row.report_cadence == Cadence.WEEKLY
    if not text:
        return DEFAULT_WEEKDAY if weekly else DEFAULT_REPORT_DAY
    if weekly and text in WEEKDAY_WORDS:
        return WEEKDAY_WORDS[text]
    digits = re.fullmatch(r"(\d{1,2})[日号]?", text)
    day = int(digits[1]) if digits else None
    if weekly and (day is None or not 1 <= day <= 5):
        row.problem("report_day", f"每周报送的报送日应为星期几（1–5），不能是“{text}”。")
        return DEFAULT_WEEKDAY
    if day is None or not 1 <= day <= 31:
        row.problem("report_day", f"报送日应为 1–31 之间的日数，不能是“{text}”。")
        return DEFAULT_REPORT_DAY
    return day


def _read_row(row, cells, lookup, *, year, today):
    """Check one task row's cells (the target is already set)."""
    if not row.target:
        row.problem("target", "请填写目标（同一目标下的后续行可留空）。")
    if not row.task:
        row.problem("task", "请填写任务（分解任务）。")
    elif len(row.task) > TITLE_LENGTH:
        row.problem("task", f"任务不超过 {TITLE_LENGTH} 字（现 {len(row.task)} 字）。")

    row.lead_unit_text = _text(cells.get("lead_unit"))
    if not row.lead_unit_text:
        row.problem("lead_unit", "请填写牵头单位。")
    else:
        row.lead_unit, message = lookup.unit(row.lead_unit_text)
        if message:
            row.problem("lead_unit", message)

    row.co_units_text = _text(cells.get("co_units"))
    for name in filter(
        None, (part.strip() for part in re.split(r"[、，,；;/]", row.co_units_text))
    ):
        unit, message = lookup.unit(name)
        if message:
            row.problem("co_units", message)
        elif row.lead_unit is not None and unit.pk == row.lead_unit.pk:
            row.problem("co_units", f"“{name}”已是牵头单位，不必再列为配合单位。")
        elif all(unit.pk != other.pk for other in row.co_units):
            row.co_units.append(unit)

    row.leader_text = _text(cells.get("leader"))
    if not row.leader_text:
        row.problem("leader", "请填写责任领导。")
    else:
        row.leader, message = lookup.leader(row.leader_text)
        if message:
            row.problem("leader", message)

    raw_deadline = cells.get("deadline")
    row.deadline_text = _text(raw_deadline)
    if not row.deadline_text:
        row.problem("deadline", "请填写完成时限。")
    else:
        try:
            row.deadline = parse_date(raw_deadline)
        except ValueError as exc:
            row.problem("deadline", str(exc))
        else:
            if row.deadline < today:
                row.problem("deadline", f"完成时限 {row.deadline:%Y-%m-%d} 早于今天。")

    for key, label, month in QUARTERS:
        title = _text(cells.get(key))
        if not title:
            continue
        due_on = quarter_end(year, month)
        if len(title) > TITLE_LENGTH:
            row.problem(key, f"节点目标不超过 {TITLE_LENGTH} 字（现 {len(title)} 字）。")
        elif row.deadline is not None and due_on > row.deadline:
            row.problem(
                key,
                f"节点时限 {due_on:%Y-%m-%d} 晚于完成时限 {row.deadline:%Y-%m-%d}，"
                "请删去该季度目标或推迟完成时限。",
            )
        row.milestones.append((label.removesuffix("目标"), title, due_on))

    row.report_cadence = _cadence(row, _text(cells.get("cadence")))
    row.report_day = _report_day(row, cells.get("report_day"))


def _mark_existing(rows, *, year):
    """已存在: an item of the report year with the same title and lead unit — opened this year by
    any source, or imported from this year's work report (one query)."""
    candidates = [row for row in rows if row.task and row.lead_unit is not None]
    if not candidates:
        return
    found = {}
    items = SupervisionItem.objects.filter(
        title__in={row.task for row in candidates},
        lead_unit__in={row.lead_unit.pk for row in candidates},
    ).filter(
        Q(year=year)
        | Q(source=Source.WORK_REPORT_TASK, source_label__startswith=f"{year}年政府工作报告")
    )
    for pk, title, unit_id, number in items.order_by("id").values_list(
        "pk", "title", "lead_unit_id", "item_number"
    ):
        found.setdefault((title, unit_id), (pk, number))
    for row in candidates:
        row.existing_id, row.existing_number = found.get((row.task, row.lead_unit.pk), (None, ""))


def parse_workbook(workbook, *, year, today):
    """Every task row of the workbook, checked (see the module's docstring)."""
    parsed = ParsedFile(year=year)
    sheet = _sheet(workbook)
    parsed.sheet = sheet.title
    values = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    head = []
    for values_row in values:
        head.append(values_row)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    header_line, keys = _find_header(head)
    if header_line is None:
        parsed.file_problems.append(
            Problem(
                f"工作表“{sheet.title}”中没有找到表头行（须有“任务”和“牵头单位”列），请使用导入模板。"
            )
        )
        return parsed
    missing = [c.label for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        parsed.file_problems.append(
            Problem(f"表头缺少“{'”“'.join(missing)}”列，请使用导入模板。", header_line)
        )
        return parsed

    lookup = _Lookup()
    targets = {}
    target = ""
    seen_tasks = {}
    blank_run = 0
    for line, cells in enumerate(itertools.chain(head, values), 1):
        if line <= header_line:
            continue
        cell = {key: (cells[index] if index < len(cells) else None) for key, index in keys.items()}
        texts = {key: _text(value) for key, value in cell.items()}
        if not any(texts.values()):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break  # formatted but empty rows to the sheet's end
            continue
        blank_run = 0
        if texts.get("target"):
            target = texts["target"]
        if not any(text for key, text in texts.items() if key not in ("number", "target")):
            continue  # a target's heading row (序号/目标 only)
        if len(parsed.rows) >= MAX_ROWS:
            parsed.file_problems.append(
                Problem(f"任务行超过 {MAX_ROWS} 行，请拆分为多个文件导入。", line)
            )
            break
        row = TaskRow(line=line, number=texts.get("number", ""), target=target)
        row.task = texts.get("task", "")
        if target:
            row.target_number = targets.setdefault(target, len(targets) + 1)
        _read_row(row, cell, lookup, year=year, today=today)
        if row.task:
            if row.task in seen_tasks:
                row.problem("task", f"与第{seen_tasks[row.task]}行的任务重复。")
            else:
                seen_tasks[row.task] = line
        parsed.rows.append(row)
    parsed.targets = len(targets)
    if not parsed.rows and not parsed.file_problems:
        parsed.file_problems.append(Problem("表头下面没有任务行，请在表中填写任务后再上传。"))
    _mark_existing(parsed.rows, year=year)
    return parsed


def parse_file(source, *, year, today):
    """Read and check a stored upload (a path or a file object)."""
    workbook = _workbook(source)
    try:
        return parse_workbook(workbook, year=year, today=today)
    finally:
        workbook.close()


# --- the upload waiting between preview and import ---------------------------------------------

STORE = xlsx.UploadStore("supervision-imports", hours=STORE_HOURS)


def _store_dir():
    return STORE.directory()


def stored_path(token):
    """The stored upload of `token`, or None (bad token, or removed since)."""
    return STORE.path(token)


def store_upload(upload):
    """Keep a checked upload on the server under a random token (kept in the user's session);
    uploads abandoned for more than STORE_HOURS are removed on the way."""
    return STORE.store(upload)


def discard(token):
    STORE.discard(token)


# --- the import -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    items: list
    skipped: int  # 已存在

    @property
    def numbers(self):
        """「督〔2026〕12号—督〔2026〕51号」 (or the one number)."""
        if not self.items:
            return ""
        first, last = self.items[0].item_number, self.items[-1].item_number
        return first if first == last else f"{first}—{last}"


def import_tasks(parsed, *, actor, ip=None):
    """立项 of every new task of a checked file, in one transaction: all or nothing.

    Refused unless the actor may open items and the file has no error. Under an advisory lock the
    已存在 check is made again, so two supervisors confirming the same file at once open each task
    once; services.open_item numbers each item in turn, its counter row held to the end."""
    if not can.can_open(actor):
        raise PermissionDenied("只有督查室可以导入目标任务。")
    if parsed.problems:
        raise ValidationError(f"文件中有 {len(parsed.problems)} 处错误，请修改后重新上传。")
    items = []
    with transaction.atomic(durable=True):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        _mark_existing(parsed.rows, year=parsed.year)
        new_rows = parsed.new_rows
        for row in new_rows:
            plan = services.ItemPlan(
                title=row.task,
                source=Source.WORK_REPORT_TASK,
                lead_unit=row.lead_unit,
                responsible_leader=row.leader,
                deadline=row.deadline,
                requirement=row.requirement,
                co_units=tuple(row.co_units),
                milestones=tuple((title, due_on) for _, title, due_on in row.milestones),
                report_cadence=row.report_cadence,
                report_day=row.report_day,
                source_label=row.source_label(parsed.year),
            )
            try:
                items.append(services.open_item(plan, actor=actor, ip=ip, tell_supervisors=False))
            except ValidationError as exc:
                raise ValidationError(
                    f"第{row.line}行未能立项：{'；'.join(m.rstrip('。') for m in exc.messages)}，全部未导入。"
                ) from exc
        if items:
            others = [u for u in services.supervisors() if u.pk != actor.pk]
            notify(
                others,
                title=f"导入政府工作报告目标任务 {len(items)} 项"
                f"（{items[0].item_number}—{items[-1].item_number}）",
                body=f"导入人：{actor.real_name}",
                url=reverse("supervision:ledger") + f"?source={Source.WORK_REPORT_TASK}",
            )
    return ImportResult(items=items, skipped=len(parsed.rows) - len(new_rows))


# --- the sample workbook ------------------------------------------------------------------------


def sample_workbook(*, year):
    """导入模板 (xlsx bytes), made on request: the header row to fill in (each header's comment
    says what goes in it, 报送周期 offers a list), the rules on 「填写说明」, and the active units
    and leaders to copy names from on 「单位和领导」."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "目标任务"
    xlsx.template_columns(sheet, COLUMNS, author="督查室")
    xlsx.list_validation(
        sheet,
        COLUMNS,
        "cadence",
        "每月,每季度,每周,不定期",
        error="请选择每月、每季度、每周或不定期。",
        rows=MAX_ROWS,
    )
    xlsx.guide_sheet(
        workbook,
        title=f"{year}年政府工作报告目标任务分解表",
        columns=COLUMNS,
        notes=notes(year),
        first_width=12,
    )

    names = workbook.create_sheet("单位和领导")
    names.append(["单位全称", "简称", "", "领导姓名", "职务"])
    for cell in names[1]:
        cell.font = Font(bold=True)
    units = list(responsible_units().order_by("name"))
    people = list(active_leaders())
    for index in range(max(len(units), len(people))):
        unit = units[index] if index < len(units) else None
        leader = people[index] if index < len(people) else None
        names.append(
            [
                unit.name if unit else None,
                unit.short_name if unit else None,
                None,
                leader.real_name if leader else None,
                leader.title if leader else None,
            ]
        )
    for letter, width in zip("ABCDE", (30, 16, 4, 12, 16), strict=True):
        names.column_dimensions[letter].width = width

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
