"""督查通报 / 督查专报 pages (issue 6 item 8): the list by year and kind, 起草 for a period, the
bulletin's page — its frozen figures, each number a link to the items it counted; its texts,
edited while a draft; 重新生成数据; its steps (送签, 退回修改, 签发, 印发) — the items behind one
figure, and the print.

Thin views: the bulletin is fetched through selectors.bulletin_get_or_404 (a unit sees only
those dispatched to it; 404 otherwise), one call of supervision.bulletins, POST-redirect-GET; a
refused step comes back on the page with status 400, its message and the input kept. The buttons
come from BULLETIN.available, the same checks the workflow applies on POST.

Wired by supervision/urls.py: `*bulletins.urlpatterns` (names `supervision:bulletin-*`)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from office.downloads import content_disposition
from office.forms import add_service_errors
from office.pagination import keyset_page
from office.permissions import scope_for
from office.steps import refusal_text
from office.trail import client_ip, history
from office.workflow import InvalidTransition

from .. import bulletins as flow
from .. import forms_bulletins as forms
from .. import measures
from ..models import Bulletin, Source, SupervisionItem
from ..permissions import can_draft_bulletins
from ..selectors import bulletin_get_or_404, bulletins_visible_to, items_visible_to

LIST_PAGE_SIZE = 30
ITEMS_PAGE_SIZE = 100
# The frozen id lists are read only by the page of the items behind a figure.
HEAVY = ("counted",)


def _related():
    return Bulletin.objects.select_related("drafted_by", "signer", "signed_by").defer(*HEAVY)


def _bulletin_or_404(request, pk):
    return bulletin_get_or_404(request.user, pk, _related())


def _may_see_list(user):
    if not scope_for(user).has_business_role:
        raise PermissionDenied("您没有督查督办业务角色，无法查看督查通报。")


# --- list and 起草 ------------------------------------------------------------------------------


def bulletin_list(request):
    """督查通报 and 督查专报 the user may see, newest first, by kind and year."""
    _may_see_list(request.user)
    form = forms.ListFilterForm(request.GET or None)
    qs = bulletins_visible_to(request.user, _related().defer("figures", "overdue"))
    if form.is_valid():
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["year"]:
            year = form.cleaned_data["year"]
            qs = qs.filter(Q(issue_year=year) | Q(issue_year__isnull=True, period_end__year=year))
    page = keyset_page(
        qs, order=("-drafted_at", "-id"), after=request.GET.get("after"), size=LIST_PAGE_SIZE
    )
    context = {
        "form": form,
        "page": page,
        "rows": page.rows,
        "can_draft": can_draft_bulletins(request.user),
    }
    return render(request, "supervision/bulletin_list.html", context)


def bulletin_new(request):
    """起草: choose the kind and the period; the figures are taken at once."""
    if not can_draft_bulletins(request.user):
        raise PermissionDenied("只有督查室可以起草督查通报。")
    start, end = forms.previous_month(timezone.localdate())
    initial = {"period_start": start, "period_end": end}
    form = forms.BulletinNewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = flow.bulletin_draft(
                actor=request.user, **form.cleaned_data, ip=client_ip(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已生成通报数据，请填写典型经验、存在问题等内容后送签。")
            return redirect("supervision:bulletin-detail", bulletin.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/bulletin_form.html", {"form": form}, status=status)


# --- the bulletin's page and its steps ---------------------------------------------------------

STEPS = {
    "submit": (
        forms.SubmitForm,
        lambda b, f, u, ip: flow.submit(b, actor=u, signer=f["signer"], ip=ip),
    ),
    "return_bulletin": (
        forms.ReturnForm,
        lambda b, f, u, ip: flow.return_bulletin(b, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "sign_off": (forms.ConfirmForm, lambda b, f, u, ip: flow.sign_off(b, actor=u, ip=ip)),
    "dispatch": (
        forms.DispatchForm,
        lambda b, f, u, ip: flow.dispatch(b, actor=u, units=f["units"], ip=ip),
    ),
}
PRIMARY = {"submit", "sign_off", "dispatch"}
MESSAGES = {
    "submit": "已送领导签发。",
    "return_bulletin": "已退回修改。",
    "sign_off": "已签发，期号已编定。",
    "dispatch": "已印发，各单位已收到通知。",
}


def _step_list(user, bulletin, bound=None):
    rows = []
    for step, allowed in flow.BULLETIN.available(bulletin, user).items():
        if not allowed:
            continue
        is_bound = bool(bound) and bound[0] == step
        rows.append(
            {
                "name": step,
                "label": flow.BULLETIN.transitions[step].label,
                "form": bound[1] if is_bound else STEPS[step][0](prefix=step, bulletin=bulletin),
                "primary": step in PRIMARY,
                "open": is_bound,
                "id": f"step-{step}",
            }
        )
    return rows


def _page(request, bulletin, *, bound=None, text_form=None, status=200):
    user = request.user
    editable = bulletin.state in flow.EDITABLE and can_draft_bulletins(user, bulletin)
    if editable and text_form is None:
        text_form = forms.BulletinTextForm.for_bulletin(bulletin)
    figures = bulletin.figures or {}
    context = {
        "bulletin": bulletin,
        "issued": flow.is_issued(bulletin),
        "steps": _step_list(user, bulletin, bound),
        "editable": editable,
        "text_form": text_form if editable else None,
        "summary": figures.get("summary"),
        "summary_sentence": flow.summary_sentence(bulletin),
        "scope_sentence": flow.scope_sentence(bulletin),
        "unit_rows": [
            dict(row, query=urlencode({"unit": row["unit"]})) for row in figures.get("units", [])
        ],
        "source_rows": [
            dict(row, query=urlencode({"source": row["source"]}))
            for row in figures.get("sources", [])
        ],
        "overdue": bulletin.overdue or [],
        "sections": flow.sections(bulletin),
        "opening": flow.paragraphs(bulletin.opening),
        "recipients": bulletin.recipients.order_by("sort_order", "id"),
        "history": history(bulletin),
    }
    return render(request, "supervision/bulletin_detail.html", context, status=status)


def bulletin_detail(request, pk):
    return _page(request, _bulletin_or_404(request, pk))


@require_POST
def bulletin_edit(request, pk):
    """修改 the title and the texts (only while a draft or returned)."""
    bulletin = _bulletin_or_404(request, pk)
    if not can_draft_bulletins(request.user, bulletin):
        raise PermissionDenied("只有督查室可以修改督查通报。")
    form = forms.BulletinTextForm.for_bulletin(bulletin, request.POST)
    if form.is_valid():
        try:
            flow.revise(bulletin, actor=request.user, **form.cleaned_data, ip=client_ip(request))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("supervision:bulletin-detail", bulletin.pk)
    if bulletin.state not in flow.EDITABLE:
        messages.error(request, " ".join(form.non_field_errors()) or "该通报已不能修改。")
        return _page(request, bulletin, status=400)
    return _page(request, bulletin, text_form=form, status=400)


@require_POST
def bulletin_regenerate(request, pk):
    """重新生成数据 from the ledger as it stands now (figures as of the same date)."""
    bulletin = _bulletin_or_404(request, pk)
    try:
        flow.regenerate(bulletin, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "已按台账重新生成数据。")
    return redirect("supervision:bulletin-detail", bulletin.pk)


@require_POST
def bulletin_step(request, pk, step):
    if step not in STEPS:
        raise Http404("没有这个办理步骤。")
    bulletin = _bulletin_or_404(request, pk)
    form = STEPS[step][0](request.POST, prefix=step, bulletin=bulletin)
    if form.is_valid():
        try:
            STEPS[step][1](bulletin, form.cleaned_data, request.user, client_ip(request))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except InvalidTransition as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, MESSAGES[step])
            return redirect("supervision:bulletin-detail", bulletin.pk)
    fresh = _bulletin_or_404(request, pk)
    if not flow.BULLETIN.available(fresh, request.user)[step]:
        # The step is no longer offered (someone acted first): its refusal becomes a message.
        for error in form.non_field_errors():
            messages.error(request, error)
    return _page(request, fresh, bound=(step, form), status=400)


# --- the items behind a figure -----------------------------------------------------------------


def bulletin_items(request, pk, figure):
    """The items one figure counted (in total, or for ?unit=<id> / ?source=<code>), as far as the
    viewer may see them — how each was counted as of the bulletin's date next to its state now.
    Items the viewer cannot see are left out and counted in a note."""
    bulletin = bulletin_get_or_404(request.user, pk, Bulletin.objects.all())
    unit, source = request.GET.get("unit", ""), request.GET.get("source", "")
    if unit and not unit.isdigit():
        raise Http404("没有这个数字。")
    ids = flow.counted_ids(
        bulletin, figure, unit=int(unit) if unit else None, source=source or None
    )
    if ids is None:
        raise Http404("没有这个数字。")
    visible = items_visible_to(request.user).filter(pk__in=ids)
    seen = visible.count()
    page = keyset_page(
        visible.select_related("lead_unit").only(
            "item_number", "title", "state", "deadline", "closed_on", "lead_unit__name"
        ),
        order=("id",),
        after=request.GET.get("after"),
        size=ITEMS_PAGE_SIZE,
    )
    counted_as = flow.counted_as(bulletin)
    for item in page.rows:
        item.counted_as = counted_as.get(item.pk, "")
        item.changed = item.counted_as in ("逾期未办结", "在办") and (
            item.state == SupervisionItem.State.CLOSED
        )
    context = {
        "bulletin": bulletin,
        "figure": figure,
        "figure_label": measures.FIGURES[figure],
        "group_label": _group_label(bulletin, unit, source),
        "count": len(ids),
        "hidden": len(ids) - seen,
        "page": page,
        "rows": page.rows,
    }
    return render(request, "supervision/bulletin_items.html", context)


def _group_label(bulletin, unit, source):
    figures = bulletin.figures or {}
    if unit:
        for row in figures.get("units", []):
            if str(row["unit"]) == unit:
                return row["name"]
    if source:
        return dict(Source.choices).get(source, source)
    return "全部事项"


# --- the print ---------------------------------------------------------------------------------


def bulletin_pdf(request, pk):
    """The print: the issued text once signed off, before that a watermarked draft."""
    bulletin = _bulletin_or_404(request, pk)
    kind = bulletin.get_kind_display()
    name = f"{kind}{bulletin.issue_text}" if flow.is_issued(bulletin) else f"{kind}（稿）"
    response = HttpResponse(flow.render_bulletin(bulletin), content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"  # a business document: kept by no cache
    response["Content-Disposition"] = content_disposition(
        f"{name}.pdf", fallback=f"bulletin-{bulletin.pk}.pdf", inline=True
    )
    return response


urlpatterns = [
    path("bulletins/", bulletin_list, name="bulletin-list"),
    path("bulletins/new/", bulletin_new, name="bulletin-new"),
    path("bulletins/<int:pk>/", bulletin_detail, name="bulletin-detail"),
    path("bulletins/<int:pk>/edit/", bulletin_edit, name="bulletin-edit"),
    path("bulletins/<int:pk>/regenerate/", bulletin_regenerate, name="bulletin-regenerate"),
    path("bulletins/<int:pk>/print.pdf", bulletin_pdf, name="bulletin-pdf"),
    path("bulletins/<int:pk>/items/<str:figure>/", bulletin_items, name="bulletin-items"),
    path("bulletins/<int:pk>/<str:step>/", bulletin_step, name="bulletin-step"),
]
