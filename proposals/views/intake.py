"""建议提案登记 pages (issue 7 item 2), for the office's 建议提案 staff only (403 for everyone
else): 登记 one item by hand with its scans, the item's intake page (its data, scans and the
similar items of the year with 并案办理), the xlsx import (upload → preview → 全部导入 or
只导入无误的行; proposals.imports) with its template, and 批量上传扫描件 for a session.

The import's upload is kept on the server under a random token only the uploader's session knows
(POST-redirect-GET to the preview); the confirmation posts the token back — a preview replaced
meanwhile by another upload is refused — and the file is parsed again and imported in one
transaction, or not at all."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from office.forms import add_service_errors
from office.steps import refusal_text
from office.trail import client_ip, history

from .. import imports, scans, services, similar
from .. import permissions as can
from ..forms_intake import ImportUploadForm, ProposalForm, ScansForm
from ..models import Proposal, Session
from ..selectors import proposal_get_or_404, proposals_visible_to

SESSION_KEY = "proposals_import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(request):
    if not can.can_manage(request.user):
        raise PermissionDenied("只有建议提案办理人员可以登记和导入建议提案。")


# --- 登记 and the item's intake page ---------------------------------------------------------------


def intake_new(request):
    """登记 one item by hand; a taken number comes back next to the field with the input kept."""
    _office(request)
    initial = {"session": request.GET.get("session")}
    form = ProposalForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = scans.register_with_scans(
                form.entry(), form.cleaned_data["scans"], actor=request.user, ip=client_ip(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"authors": "lead_name"})
        else:
            messages.success(request, f"已登记{item.session.name}{item.number_text}。")
            return redirect("proposals:intake-detail", item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "proposals/intake_form.html", {"form": form}, status=status)


def _item(request, pk):
    _office(request)
    queryset = Proposal.objects.select_related("session", "key_leader", "lead_unit", "group")
    return proposal_get_or_404(request.user, pk, queryset.prefetch_related("authors", "scans"))


def intake_detail(request, pk, scans_form=None):
    item = _item(request, pk)
    visible = proposals_visible_to(request.user)
    group = []
    if item.group_id:
        group = list(
            visible.filter(group_id=item.group_id).exclude(pk=item.pk).select_related("session")
        )
    context = {
        "item": item,
        "matches": similar.similar_to(item, visible),
        "group": group,
        "scans_form": scans_form or ScansForm(),
        "events": history(item),
    }
    status = 400 if scans_form is not None else 200
    return render(request, "proposals/intake_detail.html", context, status=status)


@require_POST
def intake_add_scans(request, pk):
    item = _item(request, pk)
    form = ScansForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = scans.add_scans(
                item, form.cleaned_data["scans"], actor=request.user, ip=client_ip(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已上传 {len(added)} 个原件扫描件。")
            return redirect("proposals:intake-detail", item.pk)
    return intake_detail(request, pk, scans_form=form)


@require_POST
def merge(request):
    """并案办理 of the items posted (at least two), back to where the button was."""
    _office(request)
    ids = list(dict.fromkeys(int(v) for v in request.POST.getlist("proposals") if v.isdigit()))
    found = proposals_visible_to(request.user).filter(pk__in=ids).select_related("session")
    items = sorted(found, key=lambda item: ids.index(item.pk))  # in the order posted
    if len(items) != len(ids):
        raise Http404("没有找到所选的建议提案，或您无权查看。")
    try:
        services.merge(items, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        names = "、".join(f"{i.session.name}{i.number_text}" for i in items)
        messages.success(request, f"已并案办理：{names}。各件仍分别答复。")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("proposals:session-list")
    return redirect(target)


# --- the xlsx import -------------------------------------------------------------------------------


def _pending(request):
    """The upload waiting in this session ({token, session, name}) and its session, or None."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or imports.STORE.path(pending.get("token")) is None:
        request.session.pop(SESSION_KEY, None)
        return None, None
    session = Session.objects.filter(pk=pending.get("session")).first()
    if session is None:
        request.session.pop(SESSION_KEY, None)
        return None, None
    return pending, session


def _forget(request):
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict):
        imports.STORE.discard(pending.get("token"))


def import_upload(request):
    _office(request)
    initial = {"session": request.GET.get("session")}
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _forget(request)
        upload = form.cleaned_data["file"]
        request.session[SESSION_KEY] = {
            "token": imports.STORE.store(upload),
            "session": form.cleaned_data["session"].pk,
            "name": (upload.name or "")[:120],
        }
        return redirect("proposals:import-preview")
    context = {
        "form": form,
        "columns": imports.COLUMNS,
        "notes": imports.NOTES,
        "pending": _pending(request)[0],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "proposals/import_upload.html", context, status=status)


def import_preview(request):
    _office(request)
    pending, session = _pending(request)
    if pending is None:
        messages.info(request, "没有待导入的文件（或已过期），请上传。")
        return redirect("proposals:import-upload")
    parsed = imports.parse_file(imports.STORE.path(pending["token"]), session=session)
    context = {
        "parsed": parsed,
        "pending": pending,
        "problems": [str(p) for p in parsed.problems],
    }
    return render(request, "proposals/import_preview.html", context)


@require_POST
def import_confirm(request):
    """全部导入, or 只导入无误的行 (`only_good`): the same bytes parsed again, imported in one
    transaction or not at all."""
    _office(request)
    pending, session = _pending(request)
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.error(request, "该预览已失效（文件已更换或已导入），请核对后再操作。")
        return redirect("proposals:import-preview" if pending else "proposals:import-upload")
    parsed = imports.parse_file(imports.STORE.path(pending["token"]), session=session)
    only_good = request.POST.get("only_good") == "1"
    try:
        items = imports.import_rows(
            parsed, actor=request.user, only_good=only_good, ip=client_ip(request)
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("proposals:import-preview")
    _forget(request)
    skipped = f"，有错误的 {len(parsed.error_rows)} 行未导入" if parsed.error_rows else ""
    messages.success(
        request,
        f"已导入{session.name} {len(items)} 件{skipped}。可在本页批量上传原件扫描件。",
    )
    return redirect("proposals:scan-batch", session.pk)


@require_POST
def import_cancel(request):
    _office(request)
    _forget(request)
    messages.info(request, "已放弃本次导入，上传的文件已删除。")
    return redirect("proposals:import-upload")


def import_template(request):
    """导入模板: the header row, 填写说明 and the active leaders, made on request."""
    _office(request)
    session = Session.objects.filter(pk=request.GET.get("session") or 0).first()
    content = imports.sample_workbook(session=session)
    name = f"{session.name}建议提案导入模板.xlsx" if session else "建议提案导入模板.xlsx"
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=name, content_type=XLSX_TYPE
    )


# --- 批量上传扫描件 -----------------------------------------------------------------------------------


def scan_batch(request, pk):
    """Many scans at once, matched to the session's items by the number in each file name."""
    _office(request)
    session = get_object_or_404(Session, pk=pk)
    form = ScansForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = scans.attach_scans(
                session, form.cleaned_data["scans"], actor=request.user, ip=client_ip(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    status = 400 if request.method == "POST" and result is None else 200
    context = {
        "session": session,
        "form": form if result is None else ScansForm(),
        "result": result,
        "item_count": Proposal.objects.filter(session=session).count(),
        "without_scans": Proposal.objects.filter(session=session, scans__isnull=True).count(),
    }
    return render(request, "proposals/intake_scans.html", context, status=status)


urlpatterns = [
    path("intake/new/", intake_new, name="intake-new"),
    path("intake/<int:pk>/", intake_detail, name="intake-detail"),
    path("intake/<int:pk>/scans/", intake_add_scans, name="intake-add-scans"),
    path("intake/merge/", merge, name="merge"),
    path("intake/import/", import_upload, name="import-upload"),
    path("intake/import/preview/", import_preview, name="import-preview"),
    path("intake/import/confirm/", import_confirm, name="import-confirm"),
    path("intake/import/cancel/", import_cancel, name="import-cancel"),
    path("intake/import/template.xlsx", import_template, name="import-template"),
    path("sessions/<int:pk>/scans/", scan_batch, name="scan-batch"),
]
