"""建议提案导入 (issue 7 item 2, DOMAIN.md §7): the list the NPC or CPPCC hands over each spring,
read from an xlsx into one session (届次/会次) chosen on the upload form.

The layout (COLUMNS and NOTES — shown on the upload page and in the template's 「填写说明」 alike):
one row per item under a header row 编号 · 类别 · 标题 · 内容 · 分类 · 重点 · 领办领导 · 领衔人 ·
领衔人代表团/界别 · 领衔人工作单位及职务 · 领衔人联系电话 · 附议人 · 通讯地址 (the order is free,
a title row or two may stand above it).

Two steps, nothing half-written: `parse_file` checks every row — the number (given, a whole
number, not twice in the file, not already in the session), the kind (建议/议案 for a 人大 session,
提案 for a 政协 one), the title (services.TITLE_MAX), 重点 是/否, the 领办领导 among the active
leaders, the lead author, the lengths the register keeps, and no formula anywhere (a formula's
value is whatever Excel last computed, or nothing: 「不接受公式，请粘贴为数值」) — and names each
problem by row and column. The office previews the result; `import_rows` then registers every row
in ONE transaction with bulk inserts (a session's 600 items, or 1,000, in about a second), and
only when the file has no error — or, when the user chooses 「只导入无误的 N 行」, only the rows
without one. Each item gets its 登记 trail row (office.trail.record_many).

Between the two steps the upload waits on the server under a random token (office.xlsx), and is
parsed again on confirmation — the preview and the import read the same bytes."""

import io
import itertools
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from office import trail, xlsx
from office.selectors import active_leaders
from office.xlsx import Column

from . import permissions as can
from . import services
from .models import Author, Proposal, Session

MAX_MB = 10
MAX_ROWS = 3000  # item rows in one file (a city's year: about 650)
HEADER_SCAN_ROWS = 10
MAX_COLUMNS = 40
BLANK_RUN_END = 200  # this many empty rows in a row end the table
CONTENT_MAX = 20000
CATEGORY_MAX = Proposal._meta.get_field("category").max_length
NUMBER_MAX = 99999
STORE = xlsx.UploadStore("proposals-imports")
# pg_advisory_xact_lock(IMPORT_LOCK, session id): one import per session at a time.
IMPORT_LOCK = 7_240_701

K = Proposal.Kind
KIND_WORDS = {
    "建议": K.SUGGESTION,
    "代表建议": K.SUGGESTION,
    "人大代表建议": K.SUGGESTION,
    "议案": K.BILL,
    "代表议案": K.BILL,
    "提案": K.PROPOSAL,
    "委员提案": K.PROPOSAL,
    "政协提案": K.PROPOSAL,
}
# 人大 sessions bring 建议 and 议案, 政协 sessions 提案 (DOMAIN.md §7).
KINDS_BY_BODY = {
    Session.Body.NPC: (K.SUGGESTION, K.BILL),
    Session.Body.CPPCC: (K.PROPOSAL,),
}
YES_NO = {"是": True, "否": False, "重点": True, "": False, "Y": True, "N": False}


def kind_problem(session, kind):
    """The message when `kind` does not belong to `session`'s body, else ""."""
    allowed = KINDS_BY_BODY.get(session.body, ())
    if kind in allowed:
        return ""
    words = "或".join(K(k).label for k in allowed)
    return f"{session.name}是{session.get_body_display()}会次，类别应为{words}。"


_NUMBER = re.compile(r"^第?\s*(\d{1,9})\s*号?$")


def parse_number(value):
    """编号 as written: 123, 0123, 第0123号 (or a number cell). Raises ValueError with the message."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"编号应为整数，不能是“{xlsx.cell_text(value)}”。")
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = re.sub(r"\s+", "", xlsx.cell_text(value))
        match = _NUMBER.match(text)
        if not match:
            raise ValueError(f"编号应为数字，如 0123 或 第0123号，不能是“{text}”。")
        number = int(match[1])
    if not 1 <= number <= NUMBER_MAX:
        raise ValueError(f"编号应在 1 到 {NUMBER_MAX} 之间。")
    return number


def _length(field_name, model=Author):
    return model._meta.get_field(field_name).max_length


COLUMNS = (
    Column(
        "number",
        "编号",
        ("建议号", "提案号", "议案号", "案号", "建议编号", "提案编号"),
        True,
        10,
        "人大、政协编定的号，填 123、0123 或 第0123号；同一届次同一类别中不得重复。",
    ),
    Column(
        "kind",
        "类别",
        ("类型", "件别"),
        True,
        8,
        "建议、议案或提案：人大会次填建议或议案，政协会次填提案。",
    ),
    Column(
        "title",
        "标题",
        ("案由", "题目"),
        True,
        40,
        f"不超过 {services.TITLE_MAX} 字。",
        services.TITLE_MAX,
    ),
    Column(
        "content",
        "内容",
        ("正文", "主要内容"),
        False,
        50,
        f"建议提案的内容，可不填（以原件扫描件为准），不超过 {CONTENT_MAX} 字。",
        CONTENT_MAX,
    ),
    Column(
        "category",
        "分类",
        ("内容分类", "所属分类"),
        False,
        12,
        f"如“教育”“城市建设”，不超过 {CATEGORY_MAX} 字；相似件按同一分类比对。",
        CATEGORY_MAX,
    ),
    Column("is_key", "重点", ("是否重点", "重点件"), False, 8, "是 或 否；不填为否。"),
    Column(
        "key_leader",
        "领办领导",
        ("领办市领导",),
        False,
        12,
        "重点件由市政府领导领办：填在职领导的姓名；非重点件不填。",
    ),
    Column(
        "lead_name",
        "领衔人",
        ("领衔代表", "领衔委员", "提出人"),
        True,
        10,
        "领衔代表或委员的姓名。",
        _length("name"),
    ),
    Column(
        "lead_delegation",
        "领衔人代表团/界别",
        ("代表团/界别", "代表团", "界别"),
        False,
        16,
        "人大代表所在代表团，或政协委员所在界别。",
        _length("delegation"),
    ),
    Column(
        "lead_affiliation",
        "领衔人工作单位及职务",
        ("工作单位及职务", "工作单位"),
        False,
        24,
        "如“珠海市第一中学校长”。",
        _length("affiliation"),
    ),
    Column(
        "lead_phone",
        "领衔人联系电话",
        ("联系电话", "电话"),
        False,
        14,
        "手机或固定电话，办理单位沟通联系时使用。",
        _length("phone"),
    ),
    Column(
        "co_names",
        "附议人",
        ("附议代表", "附议委员", "联名人"),
        False,
        24,
        "附议代表或委员的姓名，多人以“、”分隔，如“张三、李四”；可不填。",
    ),
    Column(
        "address",
        "通讯地址",
        ("地址", "领衔人通讯地址"),
        False,
        30,
        "领衔人的通讯地址，答复函按此寄送。",
        _length("address"),
    ),
)
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}
_HEADERS = {name: column.key for column in COLUMNS for name in (column.label, *column.aliases)}

NOTES = (
    "每件建议、议案或提案一行；表头行须有“编号”“类别”“标题”“领衔人”等列，列的先后不限，"
    "表头上方可有标题行。",
    "上传时选择届次会次：整个文件导入该届次会次。",
    "上传后先预览：逐行核对编号、类别、标题、重点和领办领导、领衔人，列出每一处错误（第几行、哪一列）。",
    "文件没有错误时可“全部导入”；有错误的行可修改后重新上传，也可选择“只导入无误的行”，"
    "有错误的行不导入。导入在一个事务中完成：要么都登记，要么一件也不登记。",
    "不接受公式：单元格不能是公式（如 =A1 或 =VLOOKUP(…)），请复制后“粘贴为数值”。",
    "导入后可在“批量上传扫描件”页面一次上传原件扫描件，按文件名中的编号对应"
    "（如 0123.pdf、第0123号.pdf、建议0123.pdf）。",
    f"文件为 .xlsx 格式，不超过 {MAX_MB} MB，最多 {MAX_ROWS} 行；只读取第一个工作表"
    "（或名为“建议提案”的工作表）。",
)
SHEET_NAME = "建议提案"


# --- the result of reading a file ---------------------------------------------------------------


@dataclass
class ItemRow:
    """One item row as read and checked."""

    line: int
    texts: dict = field(default_factory=dict)
    number: int | None = None
    kind: str = ""
    is_key: bool = False
    key_leader: object = None
    co_names: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def problem(self, key, message):
        self.problems.append(xlsx.Problem(message, self.line, COLUMN_LABELS.get(key, "")))

    def flagged(self, key):
        label = COLUMN_LABELS.get(key, "")
        return any(p.column == label for p in self.problems)

    def text(self, key):
        return self.texts.get(key, "")

    @property
    def ok(self):
        return not self.problems

    @property
    def number_text(self):
        return f"第{self.number:04d}号" if self.number else self.text("number")

    @property
    def kind_label(self):
        return K(self.kind).label if self.kind else self.text("kind")

    def authors(self):
        lead = services.AuthorEntry(
            name=self.text("lead_name"),
            role=Author.Role.LEAD,
            delegation=self.text("lead_delegation"),
            affiliation=self.text("lead_affiliation"),
            phone=self.text("lead_phone"),
            address=self.text("address"),
        )
        return (lead, *(services.AuthorEntry(name=n, role=Author.Role.CO) for n in self.co_names))

    def entry(self, session):
        return services.ProposalEntry(
            session=session,
            kind=self.kind,
            number=self.number,
            title=self.text("title"),
            content=self.texts.get("content_raw", ""),
            category=self.text("category"),
            is_key=self.is_key,
            key_leader=self.key_leader,
            authors=self.authors(),
        )


@dataclass
class ParsedFile:
    session: Session
    rows: list = field(default_factory=list)
    file_problems: list = field(default_factory=list)
    sheet: str = ""

    @property
    def problems(self):
        return [*self.file_problems, *(p for row in self.rows for p in row.problems)]

    @property
    def good_rows(self):
        return [row for row in self.rows if row.ok]

    @property
    def error_rows(self):
        return [row for row in self.rows if not row.ok]

    @property
    def can_import_all(self):
        """「全部导入」: a file without any error."""
        return not self.problems and bool(self.rows)

    @property
    def can_import_good(self):
        """「只导入无误的 N 行」: some rows are bad, some good, and the file itself is readable."""
        return not self.file_problems and bool(self.error_rows) and bool(self.good_rows)


# --- checking ---------------------------------------------------------------------------------


def _sheet(workbook):
    for sheet in workbook.worksheets:
        if sheet.title.strip() == SHEET_NAME:
            return sheet
    return workbook.worksheets[0]


def _find_header(rows):
    """(row number, {column key: index}) of the first row naming 编号 and 标题."""
    for number, values in enumerate(rows, 1):
        keys = {}
        for index, value in enumerate(values):
            if xlsx.is_formula(value):
                continue
            key = _HEADERS.get(xlsx.header_text(value))
            if key is not None and key not in keys:
                keys[key] = index
        if "number" in keys and "title" in keys:
            return number, keys
    return None, {}


class _Leaders:
    """Active leaders by name: one query per file."""

    def __init__(self):
        self.by_name = {}
        for leader in active_leaders():
            self.by_name.setdefault(leader.real_name, []).append(leader)

    def find(self, name):
        name = re.split(r"[（(]", name, maxsplit=1)[0].strip()
        found = self.by_name.get(name, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, f"有多位领导名为“{name}”，请联系系统管理员区分。"
        return None, f"未找到在职领导“{name}”，请填写市政府领导的姓名。"


def _check_row(row, cells, session, leaders):
    """Check one row's cells; `cells` maps column keys to raw values."""
    for key, value in cells.items():
        if xlsx.is_formula(value):
            row.problem(key, xlsx.FORMULA_REFUSED)
            cells[key] = None
    row.texts = {key: xlsx.cell_text(value) for key, value in cells.items()}
    # The content keeps its line breaks.
    content = cells.get("content")
    row.texts["content_raw"] = "" if content is None else str(content).strip()

    raw_number = cells.get("number")
    if not row.flagged("number"):
        if not row.text("number"):
            row.problem("number", "请填写编号。")
        else:
            try:
                row.number = parse_number(raw_number)
            except ValueError as exc:
                row.problem("number", str(exc))

    kind_text = row.text("kind").replace(" ", "")
    if not row.flagged("kind"):
        if not kind_text:
            row.problem("kind", "请填写类别（建议、议案或提案）。")
        elif kind_text not in KIND_WORDS:
            row.problem("kind", f"类别应为建议、议案或提案，不能是“{kind_text}”。")
        else:
            row.kind = KIND_WORDS[kind_text]
            if message := kind_problem(session, row.kind):
                row.problem("kind", message)
                row.kind = ""

    for column in COLUMNS:
        text = row.texts.get("content_raw") if column.key == "content" else row.text(column.key)
        if column.max_length and text and len(text) > column.max_length:
            row.problem(column.key, f"不超过 {column.max_length} 字（现 {len(text)} 字）。")
    if not row.flagged("title") and not row.text("title"):
        row.problem("title", "请填写标题。")
    if not row.flagged("lead_name") and not row.text("lead_name"):
        row.problem("lead_name", "请填写领衔人。")

    key_text = row.text("is_key").replace(" ", "").upper()
    if not row.flagged("is_key"):
        if key_text in YES_NO:
            row.is_key = YES_NO[key_text]
        else:
            row.problem("is_key", f"重点应填“是”或“否”，不能是“{row.text('is_key')}”。")

    leader_text = row.text("key_leader")
    if leader_text and not row.flagged("key_leader"):
        row.key_leader, message = leaders.find(leader_text)
        if message:
            row.problem("key_leader", message)
        elif not row.is_key and not row.flagged("is_key"):
            row.problem("key_leader", "只有重点件需要领办领导；请将“重点”填为“是”或删去领办领导。")

    names = [n.strip() for n in re.split(r"[、，,；;/\s]+", row.text("co_names")) if n.strip()]
    limit = _length("name")
    for name in names:
        if len(name) > limit:
            row.problem("co_names", f"附议人姓名“{name[:10]}…”超过 {limit} 字，多人请以“、”分隔。")
            break
    row.co_names = names

    # The register's own rules (services.check_entry), for what the checks above left open.
    if row.kind and row.number:
        fields = {"kind": "kind", "number": "number", "title": "title", "authors": "lead_name"}
        for name, message in services.check_entry(row.entry(session)).items():
            key = fields.get(name, name)
            if not row.flagged(key):
                row.problem(key, message)


def _mark_taken(rows, session):
    """Numbers already registered in the session (one query)."""
    taken = set(Proposal.objects.filter(session=session).values_list("kind", "number"))
    for row in rows:
        if row.kind and row.number and (row.kind, row.number) in taken:
            row.problem(
                "number",
                f"{session.name}已有{row.number_text}{K(row.kind).label}，不能重复登记。",
            )


def parse_workbook(workbook, *, session):
    """Every item row of the workbook, checked (see the module's docstring)."""
    parsed = ParsedFile(session=session)
    sheet = _sheet(workbook)
    parsed.sheet = sheet.title
    values = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    head = list(itertools.islice(values, HEADER_SCAN_ROWS))
    header_line, keys = _find_header(head)
    if header_line is None:
        if not any(any(v is not None for v in row) for row in head):
            parsed.file_problems.append(xlsx.Problem("文件是空的，请按导入模板填写后再上传。"))
        else:
            parsed.file_problems.append(
                xlsx.Problem(
                    f"工作表“{sheet.title}”中没有找到表头行（须有“编号”和“标题”列），请使用导入模板。"
                )
            )
        return parsed
    missing = [c.label for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        parsed.file_problems.append(
            xlsx.Problem(f"表头缺少“{'”“'.join(missing)}”列，请使用导入模板。", header_line)
        )
        return parsed

    leaders = _Leaders()
    seen = {}
    blank_run = 0
    for line, cells in enumerate(itertools.chain(head, values), 1):
        if line <= header_line:
            continue
        cell = {key: (cells[index] if index < len(cells) else None) for key, index in keys.items()}
        if all(value is None or xlsx.cell_text(value) == "" for value in cell.values()):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break  # formatted but empty rows to the sheet's end
            continue
        blank_run = 0
        if len(parsed.rows) >= MAX_ROWS:
            parsed.file_problems.append(
                xlsx.Problem(f"数据行超过 {MAX_ROWS} 行，请拆分为多个文件导入。", line)
            )
            break
        row = ItemRow(line=line)
        _check_row(row, cell, session, leaders)
        if row.kind and row.number:
            first = seen.setdefault((row.kind, row.number), line)
            if first != line:
                row.problem(
                    "number", f"与第{first}行的编号重复（{row.number_text}{row.kind_label}）。"
                )
        parsed.rows.append(row)
    if not parsed.rows and not parsed.file_problems:
        parsed.file_problems.append(
            xlsx.Problem("表头下面没有数据行，请在表中填写建议提案后再上传。")
        )
    _mark_taken(parsed.rows, session)
    return parsed


def parse_file(source, *, session):
    """Read and check a stored upload (a path or a file object) for `session`."""
    workbook = xlsx.open_workbook(source, data_only=False)
    try:
        return parse_workbook(workbook, session=session)
    finally:
        workbook.close()


def check_upload(upload):
    xlsx.check_file(upload, max_mb=MAX_MB)


# --- the import -----------------------------------------------------------------------------------


def import_rows(parsed, *, actor, only_good=False, ip=None):
    """登记 the file's rows in one transaction: all of them (a file without any error), or with
    `only_good` the rows without an error. Returns the new items in the file's order."""
    if not can.can_manage(actor):
        raise PermissionDenied("只有建议提案办理人员可以导入。")
    if parsed.file_problems:
        raise ValidationError(" ".join(str(p) for p in parsed.file_problems))
    if parsed.problems and not only_good:
        raise ValidationError(
            f"文件中有 {len(parsed.problems)} 处错误，请修改后重新上传，或选择只导入无误的行。"
        )
    rows = parsed.good_rows
    if not rows:
        raise ValidationError("没有无误的行可以导入。")
    session = parsed.session
    now = timezone.now()
    try:
        with transaction.atomic(durable=True):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, session.pk])
            taken = set(
                Proposal.objects.filter(
                    session=session, number__in={row.number for row in rows}
                ).values_list("kind", "number")
            )
            for row in rows:
                if (row.kind, row.number) in taken:
                    raise ValidationError(
                        f"第{row.line}行：{session.name}已有{row.number_text}{row.kind_label}"
                        "（刚由他人登记），全部未导入，请重新预览。"
                    )
            items = Proposal.objects.bulk_create(
                [
                    Proposal(
                        session=session,
                        kind=row.kind,
                        number=row.number,
                        title=row.text("title"),
                        content=row.texts.get("content_raw", ""),
                        category=row.text("category"),
                        is_key=row.is_key,
                        key_leader=row.key_leader,
                        registered_by=actor,
                        registered_at=now,
                    )
                    for row in rows
                ],
                batch_size=500,
            )
            authors = []
            for item, row in zip(items, rows, strict=True):
                for role, group in itertools.groupby(row.authors(), key=lambda a: a.role):
                    for position, a in enumerate(group, 1):
                        authors.append(
                            Author(
                                proposal=item,
                                role=role,
                                position=position,
                                name=a.name,
                                delegation=a.delegation,
                                affiliation=a.affiliation,
                                phone=a.phone,
                                address=a.address,
                            )
                        )
            Author.objects.bulk_create(authors, batch_size=1000)
            trail.record_many(
                items,
                action="register",
                action_label="登记",
                actor=actor,
                to_state=Proposal.State.REGISTERED.label,
                opinion="Excel 导入",
                ip=ip,
            )
    except IntegrityError:
        raise ValidationError(
            "导入时发现编号已被占用（可能刚由他人登记），全部未导入，请重新预览。"
        ) from None
    return items


# --- the template ---------------------------------------------------------------------------------


def sample_workbook(*, session=None):
    """导入模板 (xlsx bytes), made on request: the header row to fill in (each header's comment
    says what goes in it; 类别 and 重点 offer lists), the rules on 「填写说明」, and the active
    leaders to copy names from on 「领导名单」."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    xlsx.template_columns(sheet, COLUMNS, author="建议提案办理科")
    kinds = "建议,议案,提案"
    if session is not None:
        kinds = ",".join(K(k).label for k in KINDS_BY_BODY[session.body])
    for key, choices, message in (
        ("kind", kinds, "请选择建议、议案或提案。"),
        ("is_key", "是,否", "请选择是或否。"),
    ):
        xlsx.list_validation(sheet, COLUMNS, key, choices, error=message, rows=MAX_ROWS)
    title = f"{session.name}建议提案" if session is not None else "人大代表建议、政协委员提案"
    xlsx.guide_sheet(workbook, title=f"{title}导入表", columns=COLUMNS, notes=NOTES, first_width=22)

    names = workbook.create_sheet("领导名单")
    names.append(["领导姓名", "职务"])
    for cell in names[1]:
        cell.font = Font(bold=True)
    for leader in active_leaders():
        names.append([leader.real_name, leader.title])
    names.column_dimensions["A"].width = 12
    names.column_dimensions["B"].width = 20

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
