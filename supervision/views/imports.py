"""政府工作报告目标任务导入 pages (issue 6 item 1; supervision.imports): upload → preview → import,
for the supervision office only (403 for everyone else).

The upload is checked (size, type from its content), kept on the server under a random token that
only the uploader's session knows, and the browser goes on to the preview (POST-redirect-GET),
which parses it and lists every row with its problems. 确认导入 posts the token back — a preview
replaced meanwhile by another upload is refused — and the file is parsed again and imported in
one transaction, or not at all. The sample workbook (导入模板) is made on request."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from office.trail import client_ip

from .. import imports, schedule
from .. import permissions as can
from ..forms_imports import WorkReportUploadForm
from ..models import Source

SESSION_KEY = "supervision_work_report_import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _supervisor(request):
    if not can.can_open(request.user):
        raise PermissionDenied("只有督查室可以导入目标任务。")


def _pending(request):
    """The upload waiting in this session ({token, year, name}), or None when gone."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or imports.stored_path(pending.get("token")) is None:
        request.session.pop(SESSION_KEY, None)
        return None
    return pending


def _forget(request):
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict):
        imports.discard(pending.get("token"))


def import_upload(request):
    _supervisor(request)
    today = timezone.localdate()
    form = WorkReportUploadForm(request.POST or None, request.FILES or None, today=today)
    if request.method == "POST" and form.is_valid():
        _forget(request)
        upload = form.cleaned_data["file"]
        request.session[SESSION_KEY] = {
            "token": imports.store_upload(upload),
            "year": form.cleaned_data["year"],
            "name": (upload.name or "")[:120],
        }
        return redirect("supervision:import-preview")
    context = {
        "form": form,
        "columns": imports.COLUMNS,
        "notes": imports.notes(today.year),
        "pending": _pending(request),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/import_upload.html", context, status=status)


def import_preview(request):
    _supervisor(request)
    pending = _pending(request)
    if pending is None:
        messages.info(request, "没有待导入的文件（或已过期），请上传。")
        return redirect("supervision:import-upload")
    parsed = imports.parse_file(
        imports.stored_path(pending["token"]), year=pending["year"], today=timezone.localdate()
    )
    for row in parsed.rows:
        row.report_text = schedule.cadence_text(row)
    context = {"parsed": parsed, "pending": pending, "problems": [str(p) for p in parsed.problems]}
    return render(request, "supervision/import_preview.html", context)


@require_POST
def import_confirm(request):
    """确认导入: the same bytes parsed again; all tasks opened in one transaction or none."""
    _supervisor(request)
    pending = _pending(request)
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.error(request, "该预览已失效（文件已更换或已导入），请核对后再操作。")
        return redirect("supervision:import-preview" if pending else "supervision:import-upload")
    stored = imports.stored_path(pending["token"])
    parsed = imports.parse_file(stored, year=pending["year"], today=timezone.localdate())
    try:
        result = imports.import_tasks(parsed, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:import-preview")
    _forget(request)
    skipped = f"，{result.skipped} 项已存在未重复导入" if result.skipped else ""
    if not result.items:
        messages.info(request, f"没有新的目标任务需要导入{skipped}。")
    else:
        messages.success(
            request, f"已导入 {len(result.items)} 项目标任务（{result.numbers}）{skipped}。"
        )
    return redirect(f"{reverse('supervision:ledger')}?source={Source.WORK_REPORT_TASK}")


@require_POST
def import_cancel(request):
    _supervisor(request)
    _forget(request)
    messages.info(request, "已放弃本次导入，上传的文件已删除。")
    return redirect("supervision:import-upload")


def import_template(request):
    """导入模板: the header row, 填写说明 and the active units and leaders, made on request."""
    _supervisor(request)
    year = timezone.localdate().year
    content = imports.sample_workbook(year=year)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{year}年政府工作报告目标任务导入模板.xlsx",
        content_type=XLSX_TYPE,
    )


urlpatterns = [
    path("import/", import_upload, name="import-upload"),
    path("import/preview/", import_preview, name="import-preview"),
    path("import/confirm/", import_confirm, name="import-confirm"),
    path("import/cancel/", import_cancel, name="import-cancel"),
    path("import/template.xlsx", import_template, name="import-template"),
]
