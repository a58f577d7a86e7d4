"""会议纪要 pages and the 办会 prints (DOMAIN.md §5).

Thin views: fetch through meetings.selectors (404 for what the user cannot see), one call of
meetings.minutes (draft, revise, submit, return_minutes, sign_off, dispatch, file, and a unit's
sign_for / a secretary's record_receipt),
POST-redirect-GET; a refused step comes back on the page as a message with the input kept.
The buttons come from MINUTES.available, the same checks the workflow applies on POST."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from office.downloads import content_disposition
from office.pagination import keyset_page
from office.steps import refusal_text
from office.trail import client_ip, history
from office.workflow import InvalidTransition

from .. import forms_minutes as forms
from .. import minutes as flow
from .. import pdf, supervise
from ..models import Minutes
from ..permissions import can_draft_minutes, can_record_receipt, can_sign_for, units_that_sign
from ..selectors import meeting_get_or_404, minutes_get_or_404, minutes_visible_to

M = Minutes.State
LIST_PAGE_SIZE = 30


def _related():
    return Minutes.objects.select_related(
        "meeting__meeting_type", "meeting__presider", "meeting__room", "drafted_by", "signed_by"
    )


# --- list and drafting -----------------------------------------------------------------------


def minutes_list(request):
    """纪要 by series and year, newest first, only those the user may see."""
    form = forms.ListFilterForm(request.GET or None)
    qs = minutes_visible_to(request.user, _related())
    if form.is_valid():
        if form.cleaned_data["series"]:
            qs = qs.filter(meeting__meeting_type=form.cleaned_data["series"])
        if form.cleaned_data["year"]:
            year = form.cleaned_data["year"]
            qs = qs.filter(Q(issue_year=year) | Q(issue_year__isnull=True, drafted_at__year=year))
    page = keyset_page(
        qs, order=("-drafted_at", "-id"), after=request.GET.get("after"), size=LIST_PAGE_SIZE
    )
    context = {"form": form, "page": page, "rows": page.rows}
    return render(request, "meetings/minutes_list.html", context)


@require_POST
def minutes_new(request, meeting_pk):
    """起草纪要 for a meeting that has been held, pre-filled from its agenda."""
    meeting = meeting_get_or_404(request.user, meeting_pk)
    if not can_draft_minutes(request.user):
        raise PermissionDenied("只有秘书可以起草会议纪要。")
    try:
        minutes = flow.draft(meeting, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        existing = Minutes.objects.filter(meeting=meeting).first()
        if existing is not None:
            return redirect("meetings:minutes-detail", existing.pk)
        return redirect("meetings:meeting-detail", meeting.pk)
    messages.success(request, "已按议程起草纪要，请填写正文和议定事项。")
    return redirect("meetings:minutes-edit", minutes.pk)


def minutes_edit(request, pk):
    """修改纪要: the text and the decided items, saved as a whole through minutes.revise."""
    minutes = minutes_get_or_404(request.user, pk, _related())
    if not can_draft_minutes(request.user, minutes):
        raise PermissionDenied("只有秘书可以修改会议纪要。")
    if minutes.state not in flow.EDITABLE:
        messages.error(request, "只有起草中或退回修改的纪要可以修改。")
        return redirect("meetings:minutes-detail", minutes.pk)
    data = request.POST if request.method == "POST" else None
    form = forms.MinutesBodyForm(data, initial={"body": minutes.body})
    formset = forms.decision_formset(minutes, data)
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            flow.revise(
                minutes,
                actor=request.user,
                body=form.cleaned_data["body"],
                decisions=forms.decisions_from(formset),
                ip=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"纪要已保存（议定事项 {minutes.decided_items.count()} 项）。"
            )
            target = (
                "meetings:minutes-edit" if "stay" in request.POST else "meetings:minutes-detail"
            )
            return redirect(target, minutes.pk)
    context = {"minutes": minutes, "form": form, "formset": formset}
    return render(
        request, "meetings/minutes_form.html", context, status=400 if data is not None else 200
    )


# --- the minutes' page and its steps -----------------------------------------------------------

STEPS = {
    "submit": (forms.ConfirmForm, lambda m, f, u, ip: flow.submit(m, actor=u, ip=ip)),
    "return_minutes": (
        forms.ReturnForm,
        lambda m, f, u, ip: flow.return_minutes(m, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "sign_off": (forms.ConfirmForm, lambda m, f, u, ip: flow.sign_off(m, actor=u, ip=ip)),
    "dispatch": (
        forms.DispatchForm,
        lambda m, f, u, ip: flow.dispatch(m, actor=u, units=f["units"], ip=ip),
    ),
    "file": (forms.ConfirmForm, lambda m, f, u, ip: flow.file(m, actor=u, ip=ip)),
}
PRIMARY = {"submit", "sign_off", "dispatch"}
MESSAGES = {
    "submit": "已送主持领导审签。",
    "return_minutes": "已退回修改。",
    "sign_off": "已签发。",
    "dispatch": "已印发，各单位已收到通知，请关注签收情况。",
    "file": "已归档。",
}


def _step_list(user, minutes, bound=None):
    rows = []
    for step, allowed in flow.MINUTES.available(minutes, user).items():
        if not allowed:
            continue
        is_bound = bool(bound) and bound[0] == step
        rows.append(
            {
                "name": step,
                "label": flow.MINUTES.transitions[step].label,
                "form": bound[1] if is_bound else STEPS[step][0](prefix=step, minutes=minutes),
                "primary": step in PRIMARY,
                "open": is_bound,
                "id": f"step-{step}",
            }
        )
    return rows


def _page(request, minutes, *, bound=None, status=200):
    user = request.user
    items = minutes.decided_items.select_related(
        "lead_unit", "leader", "agenda_item__topic"
    ).prefetch_related("co_units")
    context = {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "steps": _step_list(user, minutes, bound),
        "paragraphs": pdf.paragraphs(minutes.body),
        "decided_items": _with_supervision_items(user, minutes, items.order_by("position")),
        "history": history(minutes),
        "can_edit": minutes.state in flow.EDITABLE and can_draft_minutes(user, minutes),
        "issued": pdf.is_issued(minutes),
    }
    context["receipt_rows"] = rows = _receipt_rows(user, minutes)
    context["receipts_signed"] = sum(1 for row in rows if row["receipt"].received_at)
    return render(request, "meetings/minutes_detail.html", context, status=status)


def _with_supervision_items(user, minutes, items):
    """Each decided item with the supervision item it became (if the user may see it)."""
    items = list(items)
    supervised = supervise.supervision_items_of(user, minutes) if items else {}
    for item in items:
        item.supervision_item = supervised.get(item.pk)
    return items


def _receipt_rows(user, minutes):
    """签收情况: one row a unit, with its deadline, red once past it unsigned, and the button the
    viewer may use (签收 for the unit's people, 登记签收 for a secretary where nobody can sign)."""
    receipts = list(minutes.receipts.select_related("unit", "received_by").order_by("id"))
    signing = units_that_sign([r.unit_id for r in receipts])
    now = timezone.now()
    return [
        {
            "receipt": r,
            "overdue": r.received_at is None and r.due_at < now,
            "can_sign": can_sign_for(user, r),
            "can_record": can_record_receipt(user, r, signing),
        }
        for r in receipts
    ]


def minutes_detail(request, pk):
    return _page(request, minutes_get_or_404(request.user, pk, _related()))


@require_POST
def minutes_step(request, pk, step):
    if step not in STEPS:
        raise Http404("没有这个办理步骤。")
    minutes = minutes_get_or_404(request.user, pk, _related())
    form = STEPS[step][0](request.POST, prefix=step, minutes=minutes)
    if form.is_valid():
        try:
            STEPS[step][1](minutes, form.cleaned_data, request.user, client_ip(request))
        except (ValidationError, InvalidTransition) as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, MESSAGES[step])
            return redirect("meetings:minutes-detail", minutes.pk)
    fresh = minutes_get_or_404(request.user, pk, _related())
    if not flow.MINUTES.available(fresh, request.user)[step]:
        # The step is no longer offered (someone acted first): its refusal becomes a message.
        for error in form.non_field_errors():
            messages.error(request, error)
    return _page(request, fresh, bound=(step, form), status=400)


# --- 签收 ---------------------------------------------------------------------------------------


def _receipt_step(request, pk, receipt_pk, action, done):
    minutes = minutes_get_or_404(request.user, pk)
    receipt = get_object_or_404(minutes.receipts.select_related("unit"), pk=receipt_pk)
    try:
        action(receipt, actor=request.user, ip=client_ip(request))
    except (ValidationError, InvalidTransition) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"{receipt.unit.name}{done}。")
    return redirect("meetings:minutes-detail", minutes.pk)


@require_POST
def minutes_receipt_sign(request, pk, receipt_pk):
    """签收 by the receiving unit's handler or head (403 for anyone else)."""
    return _receipt_step(request, pk, receipt_pk, flow.sign_for, "已签收")


@require_POST
def minutes_receipt_record(request, pk, receipt_pk):
    """登记签收 by a secretary for a unit with nobody in this system to sign."""
    return _receipt_step(request, pk, receipt_pk, flow.record_receipt, "已登记签收")


# --- prints ------------------------------------------------------------------------------------


def _pdf_response(data, filename, fallback):
    response = HttpResponse(data, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"  # a business document: kept by no cache
    response["Content-Disposition"] = content_disposition(filename, fallback=fallback, inline=True)
    return response


def minutes_pdf(request, pk):
    """The 纪要 print: the issued text once signed off, before that a watermarked draft."""
    minutes = minutes_get_or_404(request.user, pk, _related())
    title = minutes.meeting.meeting_type.minutes_title
    name = f"{title}{minutes.issue_text}" if pdf.is_issued(minutes) else f"{title}（稿）"
    return _pdf_response(pdf.render_minutes(minutes), f"{name}.pdf", f"minutes-{minutes.pk}.pdf")


def meeting_agenda_pdf(request, pk):
    meeting = meeting_get_or_404(request.user, pk)
    data = pdf.render_agenda(meeting)
    return _pdf_response(data, f"{meeting.title}议程.pdf", f"agenda-{meeting.pk}.pdf")


def meeting_notice_pdf(request, pk):
    """会议通知, for anyone who can see the meeting (as the agenda)."""
    meeting = meeting_get_or_404(request.user, pk)
    data = pdf.render_notice(meeting)
    return _pdf_response(data, f"关于召开{meeting.title}的通知.pdf", f"notice-{meeting.pk}.pdf")


def meeting_sign_in_sheet_pdf(request, pk):
    meeting = meeting_get_or_404(request.user, pk)
    data = pdf.render_sign_in_sheet(meeting)
    return _pdf_response(data, f"{meeting.title}签到表.pdf", f"sign-in-{meeting.pk}.pdf")


urlpatterns = [
    path("minutes/", minutes_list, name="minutes-list"),
    path("<int:meeting_pk>/minutes/new/", minutes_new, name="minutes-new"),
    path("minutes/<int:pk>/", minutes_detail, name="minutes-detail"),
    path("minutes/<int:pk>/edit/", minutes_edit, name="minutes-edit"),
    path("minutes/<int:pk>/print.pdf", minutes_pdf, name="minutes-pdf"),
    path(
        "minutes/<int:pk>/receipts/<int:receipt_pk>/sign/",
        minutes_receipt_sign,
        name="minutes-receipt-sign",
    ),
    path(
        "minutes/<int:pk>/receipts/<int:receipt_pk>/record/",
        minutes_receipt_record,
        name="minutes-receipt-record",
    ),
    path("minutes/<int:pk>/<str:step>/", minutes_step, name="minutes-step"),
    path("<int:pk>/agenda.pdf", meeting_agenda_pdf, name="meeting-agenda-pdf"),
    path("<int:pk>/notice.pdf", meeting_notice_pdf, name="meeting-notice-pdf"),
    path("<int:pk>/sign-in-sheet.pdf", meeting_sign_in_sheet_pdf, name="meeting-sign-in-sheet-pdf"),
]
