"""Spreadsheet intake that every duty's import shares (督查督办's 目标任务, 建议提案's 交办清单):
opening an uploaded .xlsx safely, reading its cells as text, naming problems by row and column,
keeping the upload on the server between the preview and the confirmation, and the downloadable
template: its columns (`Column`: header, width, help shown as the header's comment), drop-down
lists (`list_validation`) and its 「填写说明」 sheet (`guide_sheet`).

- The type is judged from the content — a ZIP package openpyxl reads as a workbook — never from
  the file name: a PDF or a Word file renamed .xlsx is refused with NOT_XLSX.
- A ZIP bomb (small on the wire, huge unpacked) is refused before openpyxl reads it.
- Formulas: with `data_only=False` a formula cell reads as its text 「=…」, so an import that
  refuses formulas (`is_formula`) sees them; `data_only=True` reads the cached values instead.
- Between the two steps the upload waits under a random token (`UploadStore`) that only the
  uploader's session knows; uploads abandoned longer than `hours` are removed on the way.
"""

import datetime
import re
import secrets
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

NOT_XLSX = "请上传 Excel 文件（.xlsx 格式）。"
MAX_UNPACKED_MB = 100
FORMULA_REFUSED = "不接受公式，请粘贴为数值。"


def open_workbook(source, *, data_only=True, max_unpacked_mb=MAX_UNPACKED_MB):
    """The workbook read-only (a path or a file object), or a ValidationError in Chinese."""
    try:
        if hasattr(source, "seek"):
            source.seek(0)
        if not zipfile.is_zipfile(source):
            raise ValidationError(NOT_XLSX)
        if hasattr(source, "seek"):
            source.seek(0)
        with zipfile.ZipFile(source) as package:
            unpacked = sum(entry.file_size for entry in package.infolist())
        if unpacked > max_unpacked_mb * 1024 * 1024:
            raise ValidationError(
                f"文件解压后超过 {max_unpacked_mb} MB，请删去无关的工作表和图片后再上传。"
            )
        if hasattr(source, "seek"):
            source.seek(0)
        return load_workbook(source, read_only=True, data_only=data_only)
    except ValidationError:
        raise
    except Exception:  # any unreadable package — .xls, .docx, a damaged file — is refused alike
        raise ValidationError(NOT_XLSX) from None


def check_file(upload, *, max_mb, max_unpacked_mb=MAX_UNPACKED_MB):
    """An upload's size and type (read from its content); raises a ValidationError in Chinese."""
    name = upload.name or "文件"
    if not upload.size:
        raise ValidationError(f"“{name}”是空文件。")
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(f"“{name}”超过 {max_mb} MB 的大小上限。")
    open_workbook(upload, max_unpacked_mb=max_unpacked_mb).close()
    upload.seek(0)


def is_formula(value):
    """A formula cell as read with data_only=False (or text typed to look like one)."""
    if isinstance(value, ArrayFormula | DataTableFormula):
        return True
    return isinstance(value, str) and value.startswith("=")


def cell_text(value):
    """A cell as one line of text: whitespace runs (Alt+Enter breaks too) become one space;
    a date cell reads 2026-12-31, a whole number 123 (not 123.0)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def header_text(value):
    """A header cell as compared: no spaces, no required-mark, nothing after a bracket —
    「*目标（年度目标，如…）」 reads 目标."""
    text = re.sub(r"\s+", "", cell_text(value)).lstrip("*＊")
    return re.split(r"[（(【\[]", text, maxsplit=1)[0]


@dataclass(frozen=True)
class Problem:
    """One error: the sheet's row number and the column it concerns (none for the whole file)."""

    message: str
    line: int | None = None
    column: str = ""

    def __str__(self):
        if self.line is None:
            return self.message
        where = f"第{self.line}行"
        return (
            f"{where}“{self.column}”：{self.message}" if self.column else f"{where}：{self.message}"
        )


_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class UploadStore:
    """Checked uploads waiting between preview and import, in VAR_DIR/<folder>/<token>.xlsx."""

    def __init__(self, folder, *, hours=24):
        self.folder, self.hours = folder, hours

    def directory(self):
        directory = Path(settings.VAR_DIR) / self.folder
        directory.mkdir(parents=True, exist_ok=True)
        return directory

    def path(self, token):
        """The stored upload of `token`, or None (bad token, or removed since)."""
        if not isinstance(token, str) or not _TOKEN.match(token):
            return None
        path = self.directory() / f"{token}.xlsx"
        return path if path.is_file() else None

    def store(self, upload):
        """Keep the upload under a new random token (returned); old ones are removed."""
        directory = self.directory()
        cutoff = time.time() - self.hours * 3600
        for old in directory.glob("*.xlsx"):
            try:
                if old.stat().st_mtime < cutoff:
                    old.unlink()
            except FileNotFoundError:
                continue  # removed by another request meanwhile
        token = secrets.token_hex(16)
        upload.seek(0)
        with open(directory / f"{token}.xlsx", "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return token

    def discard(self, token):
        path = self.path(token)
        if path is not None:
            path.unlink(missing_ok=True)


# --- templates to download --------------------------------------------------------------------

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="center")


def head_row(sheet, labels, *, row=1):
    """A template's header row: bold, shaded, ruled, centred."""
    for index, label in enumerate(labels, 1):
        cell = sheet.cell(row=row, column=index, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Column:
    """One column of an import: its key, the header in the template and the other headers
    accepted for it, whether it must be filled, its width and what goes in it."""

    key: str
    label: str  # the header in the template
    aliases: tuple  # other headers accepted for it
    required: bool
    width: int
    help: str
    max_length: int = 0


def template_columns(sheet, columns, *, author):
    """The template's header row with each column's width and, as the header's comment (signed
    by `author`), whether it is required and what goes in it; the header row stays in view."""
    head_row(sheet, [column.label for column in columns])
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        required = "（必填）" if column.required else ""
        sheet.cell(row=1, column=index).comment = Comment(
            f"{column.label}{required}：{column.help}", author, width=260, height=110
        )
    sheet.freeze_panes = "A2"


def list_validation(sheet, columns, key, choices, *, error, rows):
    """A drop-down list of `choices` (comma-separated) for the column `key` over `rows` data
    rows; anything else is refused with `error`."""
    index = 1 + [c.key for c in columns].index(key)
    letter = get_column_letter(index)
    validation = DataValidation(
        type="list",
        formula1=f'"{choices}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=columns[index - 1].label,
        error=error,
    )
    validation.add(f"{letter}2:{letter}{rows + 1}")
    sheet.add_data_validation(validation)


def guide_sheet(workbook, *, title, columns, notes, first_width):
    """The template's 「填写说明」 sheet: each column, whether it is required and what goes in
    it, then the numbered notes."""
    guide = workbook.create_sheet("填写说明")
    guide.append([f"{title} 填写说明"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([])
    guide.append(["列", "是否必填", "填写要求"])
    for cell in guide[3]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
    for column in columns:
        guide.append([column.label, "必填" if column.required else "选填", column.help])
    guide.append([])
    for number, note in enumerate(notes, 1):
        guide.append([f"{number}.", note])
    guide.column_dimensions["A"].width = first_width
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    for row in guide.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = WRAP
    return guide
