"""发文 pages: my lists, drafting (with .docx import), the document's page with its steps,
version comparison, attachments, the prints, and the receiving units' 签收 list.

Thin views as for 收文: fetch through selectors (404 for what the user cannot see), one workflow
or service call, POST-redirect-GET; a refused step comes back on the page with the input kept.
"""

import difflib

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from office.downloads import content_disposition, stored_file_response
from office.official_text import heading_level, paragraphs
from office.pagination import keyset_page
from office.trail import client_ip, record_opening
from office.uploads import INLINE_TYPES
from office.workflow import InvalidTransition

from .. import forms_outgoing as forms
from .. import permissions as can
from .. import selectors, services
from ..forms import OpinionForm, ReasonForm
from ..models import OutgoingAttachment, OutgoingDocument
from ..outgoing_print import docx_text, render_outgoing
from ..receipts import is_overdue
from ..workflow import outgoing as flow

S = OutgoingDocument.State
LIST_PAGE_SIZE = 30


class ConfirmForm(django_forms.Form):
    """A step that needs nothing more than the click."""


# --- my lists ---------------------------------------------------------------------------------

MY_LISTS = {
    "todo": ("待办", selectors.outgoing_todo),
    "done": ("已办", selectors.outgoing_done),
    "mine": ("我起草的", selectors.outgoing_drafted_by),
}


# What a document in each state waits for (the 待办 list's 下一步 column).
NEXT_STEP = {
    S.DRAFT: "待送审",
    S.RETURNED: "待修改",
    S.IN_REVIEW: "待审核",
    S.CO_SIGNING: "待会签",
    S.AWAITING_SIGN_OFF: "待签发",
    S.SIGNED: "待复核编号",
    S.NUMBERED: "待用印",
    S.SEALED: "待核发",
    S.DISPATCHED: "待归档",
}


def my_list(request, which="todo"):
    if which not in MY_LISTS:
        raise Http404
    title, selector = MY_LISTS[which]
    queryset = selectors.outgoing_for_list(selector(request.user))
    page = keyset_page(
        queryset, order=("-created_at", "-id"), after=request.GET.get("after"), size=LIST_PAGE_SIZE
    )
    context = {
        "which": which,
        "title": title,
        "tabs": [
            (key, label, reverse(f"documents:outgoing-{key}"))
            for key, (label, _) in MY_LISTS.items()
        ],
        "page": page,
        "rows": [
            {"document": d, "next": NEXT_STEP.get(d.state, "") if which == "todo" else ""}
            for d in page.rows
        ],
        "can_draft": can.can_draft_outgoing(request.user),
    }
    return render(request, "documents/outgoing_list.html", context)


def receipts(request):
    """来文签收: what waits to be signed for on top (oldest first, so the red ones lead), then
    everything the unit has received, newest first."""
    mine = selectors.receipts_for_unit(request.user)
    now = timezone.now()
    waiting = [
        {"receipt": r, "overdue": is_overdue(r, now)}
        for r in mine.filter(received_at__isnull=True).order_by("sent_at", "id")[:200]
    ]
    page = keyset_page(
        mine.filter(received_at__isnull=False).order_by("-sent_at", "-id"),
        order=("-sent_at", "-id"),
        after=request.GET.get("after"),
        size=LIST_PAGE_SIZE,
    )
    rows = [{"receipt": r, "overdue": False} for r in page.rows]
    context = {"page": page, "rows": rows, "waiting": waiting, "pending": len(waiting)}
    return render(request, "documents/outgoing_receipts.html", context)


# --- drafting -----------------------------------------------------------------------------------


def _draft_form_page(request, form, document=None, status=200):
    context = {"form": form, "document": document}
    return render(request, "documents/outgoing_form.html", context, status=status)


def _imported(request, form, document=None):
    """导入正文: the form comes back with the .docx text in the body and everything else as typed;
    nothing is saved. An untitled draft takes its title from the document's first line."""
    upload = request.FILES.get("docx")
    if upload is None:
        form.add_error("docx", "请选择要导入的 Word 文档（.docx）。")
        return _draft_form_page(request, form, document, status=400)
    try:
        body = docx_text(upload)
    except ValidationError as exc:
        form.add_error("docx", exc)
        return _draft_form_page(request, form, document, status=400)
    initial = {
        name: request.POST.getlist(name) if name.endswith("recipients") else request.POST.get(name)
        for name in form.fields
        if name != "docx" and name in request.POST
    }
    lines = body.splitlines()
    if not initial.get("title", "").strip() and lines and _looks_like_title(lines[0]):
        initial["title"], lines = lines[0], lines[1:]
    initial["body"] = "\n".join(lines)
    fresh = forms.DraftForm(user=request.user, editing=document is not None, initial=initial)
    messages.info(request, f"已从 Word 文档导入正文（{len(lines)} 段），请核对后保存。")
    return _draft_form_page(request, fresh, document)


def _looks_like_title(line):
    return len(line) <= 80 and not line.endswith(("：", ":", "。")) and heading_level(line) == 0


def draft_new(request):
    """起草: the particulars and the text; a .docx can fill the body first."""
    if not can.can_draft_outgoing(request.user):
        raise PermissionDenied("您没有起草发文的权限。")
    form = forms.DraftForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and "import" in request.POST:
        return _imported(request, form)
    if request.method == "POST" and form.is_valid():
        if form.check_body():
            try:
                document = services.outgoing_draft(
                    form.draft(), actor=request.user, ip=client_ip(request)
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存第1稿。可添加附件，核对无误后送审。")
                return redirect("documents:outgoing-detail", document.pk)
    status = 400 if request.method == "POST" else 200
    return _draft_form_page(request, form, status=status)


def draft_edit(request, pk):
    """修改: a draft or a returned draft; a changed text becomes the next version."""
    document = selectors.outgoing_for_page(request.user, pk)
    if not can.can_revise_draft(request.user, document) or document.state not in (
        S.DRAFT,
        S.RETURNED,
    ):
        raise PermissionDenied("只有拟稿人或秘书可以修改起草中或退回修改的稿件。")
    form = forms.DraftForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        editing=True,
        initial=forms.DraftForm.initial_from(document),
    )
    if request.method == "POST" and "import" in request.POST:
        return _imported(request, form, document)
    if request.method == "POST" and form.is_valid():
        if form.check_body():
            try:
                services.outgoing_update(
                    document,
                    form.draft(),
                    actor=request.user,
                    note=form.cleaned_data.get("note", ""),
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                latest = document.versions.order_by("-number").first()
                messages.success(request, f"已保存（当前为第{latest.number}稿）。")
                return redirect("documents:outgoing-detail", document.pk)
    status = 400 if request.method == "POST" else 200
    return _draft_form_page(request, form, document, status=status)


# --- the document's page ----------------------------------------------------------------------


def _submit(d, f, u, ip):
    return flow.submit(d, actor=u, co_sign_units=list(f["co_sign_units"]), ip=ip)


STEPS = {
    "submit": (forms.SubmitForm, _submit),
    "review": (
        OpinionForm,
        lambda d, f, u, ip: flow.review(d, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "return_for_revision": (
        ReasonForm,
        lambda d, f, u, ip: flow.return_for_revision(d, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "co_sign": (
        ReasonForm,
        lambda d, f, u, ip: flow.co_sign(d, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "sign_off": (
        forms.SignOffForm,
        lambda d, f, u, ip: flow.sign_off(d, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "number": (ConfirmForm, lambda d, f, u, ip: flow.number(d, actor=u, ip=ip)),
    "void_number": (
        ReasonForm,
        lambda d, f, u, ip: flow.void_number(d, actor=u, reason=f["opinion"], ip=ip),
    ),
    "seal": (
        forms.SealForm,
        lambda d, f, u, ip: flow.seal(d, actor=u, seal=f["seal"], copies=f["copies"], ip=ip),
    ),
    "dispatch": (
        forms.DispatchForm,
        lambda d, f, u, ip: flow.dispatch(d, actor=u, on_paper=f["on_paper"], ip=ip),
    ),
    "archive": (ConfirmForm, lambda d, f, u, ip: flow.archive(d, actor=u, ip=ip)),
    "receive": (ConfirmForm, lambda d, f, u, ip: flow.receive(d, actor=u, ip=ip)),
    "attach": (
        forms.AttachmentForm,
        lambda d, f, u, ip: services.outgoing_add_attachment(
            d, actor=u, title=f["title"], body=f["body"], upload=f["file"], ip=ip
        ),
    ),
}

LABELS = {
    "submit": "送审",
    "review": "审核通过",
    "return_for_revision": "退回修改",
    "co_sign": "会签",
    "sign_off": "签发",
    "number": "复核编号",
    "void_number": "编号作废",
    "seal": "用印",
    "dispatch": "核发",
    "archive": "归档",
    "receive": "签收",
    "attach": "添加附件",
}
PRIMARY = {"submit", "review", "co_sign", "sign_off", "number", "seal", "dispatch", "receive"}
FIELD_LABELS = {"co_sign": "会签意见", "return_for_revision": "退回意见", "void_number": "作废原因"}

MESSAGES = {
    "submit": "已送出。",
    "review": "已审核通过。",
    "return_for_revision": "已退回拟稿人修改。",
    "co_sign": "已会签。",
    "sign_off": "已签发，请秘书复核编号。",
    "number": "已编号。",
    "void_number": "编号已作废，重新编号将取下一个号。",
    "seal": "已用印并登记印章使用台账。",
    "dispatch": "已核发。",
    "archive": "已归档。",
    "receive": "已签收。",
    "attach": "附件已添加。",
}

NEEDS_DOCUMENT = {forms.SealForm, forms.DispatchForm}


def _form(step, document, data=None, files=None):
    form_class = STEPS[step][0]
    kwargs = {"prefix": step}
    if form_class in NEEDS_DOCUMENT:
        kwargs["document"] = document
    form = form_class(data, files, **kwargs)
    if step in FIELD_LABELS:
        form.fields["opinion"].label = FIELD_LABELS[step]
    return form


def _allowed(user, document):
    """{step: allowed} — the same checks the workflow applies on POST."""
    steps = flow.OUTGOING.available(document, user)
    editable = document.state in (S.DRAFT, S.RETURNED) and can.can_revise_draft(user, document)
    return {
        "submit": steps["submit"] or steps["submit_for_sign_off"] or steps["submit_for_co_sign"],
        "review": steps["pass_review"] or steps["finish_review"] or steps["send_to_co_sign"],
        "return_for_revision": steps["return_for_revision"],
        "co_sign": steps["co_sign"],
        "sign_off": steps["sign_off"],
        "number": steps["number"],
        "void_number": steps["void_number"],
        "seal": steps["seal"],
        "dispatch": steps["dispatch"],
        "archive": steps["archive"],
        "receive": can.my_pending_receipt(user, document) is not None,
        "attach": editable,
    }


def _submit_label(document):
    levels = flow.review_levels(document)
    return f"送审（{levels[0].label}）" if levels else "送签发"


def _step_list(user, document, bound=None):
    rows = []
    for step, ok in _allowed(user, document).items():
        if not ok:
            continue
        form = bound[1] if bound and bound[0] == step else _form(step, document)
        label = _submit_label(document) if step == "submit" else LABELS[step]
        rows.append(
            {
                "name": step,
                "label": label,
                "form": form,
                "primary": step in PRIMARY,
                "open": bool(bound) and bound[0] == step,
                "id": f"step-{step}",
            }
        )
    return rows


def _receipt_rows(document):
    now = timezone.now()
    receipts = list(document.receipts.all())
    signing = can.units_that_sign([r.unit_id for r in receipts])
    return [
        {
            "receipt": r,
            "overdue": is_overdue(r, now),
            "recordable": can.recorded_by_sender(r, signing),
        }
        for r in receipts
    ]


def _page(request, document, *, bound=None, status=200):
    user = request.user
    versions = list(document.versions.all())
    latest = versions[-1] if versions else None
    receipt_rows = _receipt_rows(document)
    signed = sum(1 for row in receipt_rows if row["receipt"].received_at)
    context = {
        "document": document,
        "steps": _step_list(user, document, bound),
        "versions": versions,
        "latest": latest,
        "paragraphs": paragraphs(latest.body if latest else ""),
        "reviews": list(document.reviews.all()),
        "co_signatures": list(document.co_signatures.all()),
        "seal_uses": list(document.seal_uses.all()),
        "receipt_rows": receipt_rows,
        "receipts_signed": signed,
        "attachments": list(document.attachments.all()),
        "history": selectors.outgoing_history(document),
        "can_edit": document.state in (S.DRAFT, S.RETURNED)
        and can.can_revise_draft(user, document),
        "can_record_receipts": can.can_dispatch(user, document),
        "final_print": document.state in (S.NUMBERED, S.SEALED, S.DISPATCHED, S.ARCHIVED),
        "review_levels": flow.review_levels(document),
    }
    return render(request, "documents/outgoing_detail.html", context, status=status)


def detail(request, pk):
    document = selectors.outgoing_for_page(request.user, pk)
    record_opening(request, document)
    return _page(request, document)


@require_POST
def act(request, pk, step):
    if step not in STEPS:
        raise Http404("没有这个办理步骤。")
    document = selectors.outgoing_for_page(request.user, pk)
    form = _form(step, document, request.POST, request.FILES)
    if form.is_valid():
        try:
            STEPS[step][1](document, form.cleaned_data, request.user, client_ip(request))
        except (ValidationError, InvalidTransition) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                form.add_error(None, message)
        else:
            messages.success(request, MESSAGES[step])
            return redirect("documents:outgoing-detail", document.pk)
    fresh = selectors.outgoing_for_page(request.user, document.pk)
    return _page(request, fresh, bound=(step, form), status=400)


@require_POST
def record_receipt(request, pk, receipt):
    document = selectors.outgoing_for_page(request.user, pk)
    row = next((r for r in document.receipts.all() if r.pk == receipt), None)
    if row is None:
        raise Http404("没有该单位的签收记录。")
    try:
        flow.record_receipt(row, actor=request.user, ip=client_ip(request))
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已登记{row.unit.name}签收。")
    return redirect("documents:outgoing-detail", document.pk)


@require_POST
def remove_attachment(request, pk, attachment):
    document = selectors.outgoing_for_page(request.user, pk)
    item = next((a for a in document.attachments.all() if a.pk == attachment), None)
    if item is None:
        raise Http404("没有该附件。")
    try:
        services.outgoing_remove_attachment(item, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已删除附件“{item.title}”。")
    return redirect("documents:outgoing-detail", document.pk)


def attachment_file(request, pk):
    """An attachment's file, only for those who may see its document; never rendered as a page."""
    item = get_object_or_404(OutgoingAttachment.objects.only("document_id"), pk=pk)
    document = selectors.outgoing_get_or_404(request.user, item.document_id)
    item = OutgoingAttachment.objects.get(pk=pk)
    if not item.file:
        raise Http404("该附件没有文件。")
    record_opening(request, document)
    inline = request.GET.get("inline") == "1" and item.media_type in INLINE_TYPES
    return stored_file_response(item, inline=inline)


# --- versions and prints ------------------------------------------------------------------------


def _diff_rows(older, newer):
    """Side by side, line by line: (kind, old line, new line) with kind equal/changed/added/removed."""
    a, b = older.body.splitlines(), newer.body.splitlines()
    rows = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                ("equal", a[i], b[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
        elif tag == "replace":
            old, new = a[i1:i2], b[j1:j2]
            for k in range(max(len(old), len(new))):
                rows.append(
                    ("changed", old[k] if k < len(old) else "", new[k] if k < len(new) else "")
                )
        elif tag == "delete":
            rows += [("removed", line, "") for line in a[i1:i2]]
        else:
            rows += [("added", "", line) for line in b[j1:j2]]
    return rows


def compare(request, pk):
    """稿本比对: what changed between two versions (default: the last two)."""
    document = selectors.outgoing_for_page(request.user, pk)
    versions = list(document.versions.all())
    by_number = {v.number: v for v in versions}
    try:
        newer = by_number[int(request.GET.get("to") or versions[-1].number)]
        older = by_number[int(request.GET.get("from") or max(newer.number - 1, 1))]
    except (KeyError, ValueError):
        raise Http404("没有该稿本。") from None
    rows = _diff_rows(older, newer)
    context = {
        "document": document,
        "versions": versions,
        "older": older,
        "newer": newer,
        "title_changed": older.title != newer.title,
        "rows": rows,
        "changed": sum(1 for kind, *_ in rows if kind != "equal"),
        "others_changed": [
            label
            for label, field in (("附件说明", "attachment_note"), ("附注", "remarks"))
            if getattr(older, field) != getattr(newer, field)
        ],
    }
    return render(request, "documents/outgoing_compare.html", context)


def print_pdf(request, pk):
    """The print: ?final=1 for the issued document (numbered or later; sealed prints carry the
    seal); otherwise the draft print with its watermark and no number."""
    document = selectors.outgoing_get_or_404(request.user, pk)
    final = request.GET.get("final") == "1"
    if final and document.state not in (S.NUMBERED, S.SEALED, S.DISPATCHED, S.ARCHIVED):
        raise Http404("编号后才有正式文本。")
    version = None
    if request.GET.get("version"):
        try:
            number = int(request.GET["version"])
        except ValueError:
            raise Http404("没有该稿本。") from None
        version = get_object_or_404(document.versions, number=number)
        final = False
    record_opening(request, document)
    data = render_outgoing(document, version=version, final=final)
    response = HttpResponse(data, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    name = document.document_number if final else f"{document.title}（稿）"
    response["Content-Disposition"] = content_disposition(
        f"{name}.pdf", fallback=f"outgoing-{document.pk}.pdf", inline=True
    )
    return response


urlpatterns = [
    path("outgoing/", my_list, {"which": "todo"}, name="outgoing-todo"),
    path("outgoing/done/", my_list, {"which": "done"}, name="outgoing-done"),
    path("outgoing/mine/", my_list, {"which": "mine"}, name="outgoing-mine"),
    path("outgoing/receipts/", receipts, name="outgoing-receipts"),
    path("outgoing/new/", draft_new, name="outgoing-new"),
    path("outgoing/<int:pk>/", detail, name="outgoing-detail"),
    path("outgoing/<int:pk>/edit/", draft_edit, name="outgoing-edit"),
    path("outgoing/<int:pk>/compare/", compare, name="outgoing-compare"),
    path("outgoing/<int:pk>/print.pdf", print_pdf, name="outgoing-pdf"),
    path(
        "outgoing/<int:pk>/receipt/<int:receipt>/record/",
        record_receipt,
        name="outgoing-record-receipt",
    ),
    path(
        "outgoing/<int:pk>/attachment/<int:attachment>/remove/",
        remove_attachment,
        name="outgoing-attachment-remove",
    ),
    path("outgoing/attachment/<int:pk>/", attachment_file, name="outgoing-attachment"),
    path("outgoing/<int:pk>/<str:step>/", act, name="outgoing-act"),
]
