"""督办事项 pages (DOMAIN.md §6, issue 6 items 1, 3, 4, 5): 立项 by hand, the item's page with
everything about it, and its steps — 交办, 催办, 核验销号, 退回, 中止/恢复督办, 关联 for the
supervision office; 报送进展, 申请办结, 申请延期 for the lead unit; 审核 of reports by the unit
head; 延期审批 by the responsible leader — and the download of report files.

Thin views: the item is fetched through selectors.item_get_or_404 (404 for what the user cannot
see), the step's permission is checked (403), one workflow or service call, POST-redirect-GET; a
refused step comes back on the page with status 400, its message and the input kept. The forms a
page offers come from the same checks (ITEM.available and supervision.permissions)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from office.downloads import stored_file_response
from office.forms import add_service_errors
from office.steps import Step, refusal_text, run_step, step_or_404, step_row
from office.trail import client_ip, history, record_opening
from office.workflow import InvalidTransition

from .. import forms, measures, schedule, services, similar
from .. import permissions as can
from .. import workflow as flow
from ..models import Extension, ProgressReport, ReportFile, SupervisionItem
from ..selectors import item_get_or_404, items_visible_to

S = SupervisionItem.State
REPORTING = (S.ASSIGNED, S.IN_PROGRESS)
# An item's lists on its page are bounded; the newest are shown.
LIST_LIMIT = 100


def _items():
    related = SupervisionItem.objects.select_related(
        "lead_unit", "responsible_leader", "supervisor", "opened_by", "closed_by", "latest_report"
    ).prefetch_related("co_units", "milestones")
    return measures.with_light(related)


def _item_or_404(request, pk):
    return item_get_or_404(request.user, pk, _items())


# --- 立项 --------------------------------------------------------------------------------------


def item_new(request):
    """立项 by hand (督查室): numbered 督〔年〕N号 by the allocator, the office told."""
    if not can.can_open(request.user):
        raise PermissionDenied("只有督查室可以立项。")
    form = forms.ItemForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.open_item(form.plan(), actor=request.user, ip=client_ip(request))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已立项，督办编号 {item.item_number}。请核对后交办。")
            return redirect("supervision:item-detail", item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/item_form.html", {"form": form}, status=status)


# --- the item's steps --------------------------------------------------------------------------


def _supervise(user, item):
    return can.can_supervise(user, item)


def _report(item, data, user, ip, completion=False):
    flow.submit_report(
        item,
        actor=user,
        text=data["text"],
        progress=None if completion else data["progress"],
        milestone=None if completion else data.get("milestone"),
        completion=completion,
        files=data["files"],
        ip=ip,
    )


def _link(item, data, user, ip):
    other = item_get_or_404(user, data["other"])
    services.link_items([item, other], actor=user, ip=ip)


OPEN = SupervisionItem.OPEN_STATES
STEPS = {
    "assign": Step(
        "交办",
        forms.AssignForm,
        lambda i, d, u, ip: flow.assign(i, actor=u, message=d["message"], ip=ip),
        _supervise,
        (S.OPENED,),
        "已交办，牵头单位和配合单位已收到通知。",
        primary=True,
    ),
    "urge": Step(
        "催办",
        forms.UrgeForm,
        lambda i, d, u, ip: flow.urge(i, actor=u, message=d["message"], ip=ip),
        _supervise,
        OPEN,
        "已催办，牵头单位已收到加急通知。",
    ),
    "close": Step(
        "核验销号",
        forms.CloseForm,
        lambda i, d, u, ip: flow.close(i, actor=u, opinion=d["opinion"], ip=ip),
        _supervise,
        (S.CLOSE_REQUESTED,),
        "已核验销号。",
        primary=True,
    ),
    "send_back": Step(
        "退回",
        forms.SendBackForm,
        lambda i, d, u, ip: flow.send_back(i, actor=u, opinion=d["reason"], ip=ip),
        _supervise,
        (S.CLOSE_REQUESTED,),
        "已退回，牵头单位将继续办理。",
    ),
    "suspend": Step(
        "中止督办",
        forms.SuspendForm,
        lambda i, d, u, ip: flow.suspend(i, actor=u, reason=d["reason"], ip=ip),
        _supervise,
        OPEN,
        "已中止督办。",
    ),
    "resume": Step(
        "恢复督办",
        forms.ConfirmForm,
        lambda i, d, u, ip: flow.resume(i, actor=u, ip=ip),
        _supervise,
        (S.SUSPENDED,),
        "已恢复督办。",
    ),
    "report": Step(
        "报送进展",
        forms.ReportForm,
        _report,
        can.can_report,
        REPORTING,
        "进展已报送。",
        primary=True,
    ),
    "complete": Step(
        "申请办结",
        forms.CompletionForm,
        lambda i, d, u, ip: _report(i, d, u, ip, completion=True),
        can.can_report,
        REPORTING,
        "办结申请已报送。",
    ),
    "extend": Step(
        "申请延期",
        forms.ExtensionForm,
        lambda i, d, u, ip: flow.request_extension(
            i, actor=u, deadline=d["deadline"], reason=d["reason"], ip=ip
        ),
        can.can_report,
        REPORTING,
        "延期申请已报送责任领导审批。",
    ),
    "link": Step(
        "关联",
        forms.LinkForm,
        _link,
        _supervise,
        OPEN,
        "已关联，一次进展反馈将同时计入关联事项。",
    ),
}
# Offered as buttons in the 办理 panel (关联 is offered next to each similar item instead).
PANEL = (
    "assign",
    "report",
    "complete",
    "close",
    "send_back",
    "urge",
    "extend",
    "suspend",
    "resume",
)


def _offered(user, item, *, pending_report, pending_extension):
    """{step: bool}: what the page offers now — the workflow's own table for transitions, the
    permissions and states for the other steps."""
    available = flow.ITEM.available(item, user)
    offered = {}
    for name, step in STEPS.items():
        if name in available:
            offered[name] = available[name]
        else:
            offered[name] = item.state in step.states and bool(step.may(user, item))
    if pending_report:
        offered["report"] = offered["complete"] = False
    if pending_extension:
        offered["extend"] = False
    return offered


def _step_rows(item, offered, bound):
    rows = []
    for name in PANEL:
        if not offered[name]:
            continue
        is_bound = bool(bound) and bound[0] == name
        step = STEPS[name]
        form = bound[1] if is_bound else step.form(prefix=name, item=item)
        rows.append(step_row(name, step, form, is_open=is_bound))
    return rows


def _errors_as_messages(request, form):
    """A refused form the page no longer shows (the step is gone — someone acted first — or it
    sits in a list, as 关联): its errors become messages at the top of the page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _page(request, item, *, bound=None, review=None, decision=None, status=200):
    user = request.user
    today = timezone.localdate()
    reports = list(
        item.reports.select_related("author", "reviewed_by", "milestone").prefetch_related("files")[
            :LIST_LIMIT
        ]
    )
    extensions = list(item.extensions.select_related("requested_by", "decided_by")[:LIST_LIMIT])
    pending_report = any(r.state == ProgressReport.State.SUBMITTED for r in reports)
    pending_extension = any(e.state == Extension.State.PENDING for e in extensions)
    offered = _offered(
        user, item, pending_report=pending_report, pending_extension=pending_extension
    )
    supervising = can.can_supervise(user, item)
    reviewing = can.can_review_reports(user, item)
    deciding = can.can_decide_extension(user, item)
    review_rows = [
        {
            "report": r,
            "form": review[1]
            if review and review[0] == r.pk
            else forms.OpinionForm(prefix=f"report{r.pk}"),
            "can_review": reviewing and r.state == ProgressReport.State.SUBMITTED,
        }
        for r in reports
    ]
    extension_rows = [
        {
            "extension": e,
            "form": decision[1]
            if decision and decision[0] == e.pk
            else forms.OpinionForm(prefix=f"extension{e.pk}"),
            "can_decide": deciding and e.state == Extension.State.PENDING,
        }
        for e in extensions
    ]
    steps = _step_rows(item, offered, bound)
    if bound and bound[0] not in {row["name"] for row in steps}:
        _errors_as_messages(request, bound[1])
    if review and not any(
        row["can_review"] for row in review_rows if row["report"].pk == review[0]
    ):
        _errors_as_messages(request, review[1])
    if decision and not any(
        row["can_decide"] for row in extension_rows if row["extension"].pk == decision[0]
    ):
        _errors_as_messages(request, decision[1])
    context = {
        "item": item,
        "light_label": measures.LIGHT_LABELS.get(item.light, ""),
        "reasons": measures.light_reasons(item, today),
        "expected": schedule.expected_progress(
            start=item.assigned_on or item.opened_on, deadline=item.deadline, today=today
        )
        if item.is_open
        else None,
        "cadence": schedule.cadence_text(item),
        "co_units": list(item.co_units.all()),
        "milestones": list(item.milestones.all()),
        "steps": steps,
        "pending_report": pending_report and item.state in REPORTING and can.can_report(user, item),
        "report_rows": review_rows,
        "reports_capped": len(reports) == LIST_LIMIT,
        "extension_rows": extension_rows,
        "urgings": list(item.urgings.select_related("by")[:LIST_LIMIT]),
        "linked": list(
            items_visible_to(user)
            .filter(group_id=item.group_id)
            .exclude(pk=item.pk)
            .select_related("lead_unit")
            .order_by("id")
        )
        if item.group_id
        else [],
        "similar": similar.similar_open_items(item, user)
        if supervising and offered["link"]
        else [],
        "supervising": supervising,
        "history": history(item),
    }
    return render(request, "supervision/item_detail.html", context, status=status)


def item_detail(request, pk):
    item = _item_or_404(request, pk)
    record_opening(request, item)
    return _page(request, item)


@require_POST
def item_step(request, pk, step):
    spec = step_or_404(STEPS, step)
    item = _item_or_404(request, pk)

    def refused(form):
        if request.FILES and "files" in form.fields:
            form.add_error("files", forms.FILES_AGAIN)
        return _page(request, _item_or_404(request, pk), bound=(step, form), status=400)

    return run_step(
        request,
        item,
        step,
        spec,
        form_kwargs={"item": item},
        done_url=reverse("supervision:item-detail", args=[item.pk]),
        render_page=refused,
    )


# --- 审核 (unit head) and 延期审批 (responsible leader) ----------------------------------------


@require_POST
def report_review(request, report_pk, action):
    """单位负责人审核 a pending report: 审核通过 (it counts) or 退回 with the opinion."""
    item_id = get_object_or_404(ProgressReport.objects.only("item_id"), pk=report_pk).item_id
    item = _item_or_404(request, item_id)
    report = item.reports.get(pk=report_pk)
    report.item = item
    if not can.can_review_reports(request.user, item):
        raise PermissionDenied("只有牵头单位负责人可以审核进展反馈。")
    form = forms.OpinionForm(request.POST, prefix=f"report{report.pk}")
    if form.is_valid():
        ip = client_ip(request)
        try:
            if action == "approve":
                flow.approve_report(report, actor=request.user, ip=ip)
            else:
                flow.return_report(
                    report, actor=request.user, opinion=form.cleaned_data["opinion"], ip=ip
                )
        except (ValidationError, InvalidTransition) as exc:
            form.add_error(None, refusal_text(exc))
        else:
            done = "已审核通过，进展已计入。" if action == "approve" else "已退回填报人。"
            messages.success(request, done)
            return redirect("supervision:item-detail", item.pk)
    return _page(request, _item_or_404(request, item_id), review=(report.pk, form), status=400)


@require_POST
def extension_decide(request, extension_pk, action):
    """责任领导审批 an extension: 同意 (the deadline moves, the original is kept) or 不同意."""
    item_id = get_object_or_404(Extension.objects.only("item_id"), pk=extension_pk).item_id
    item = _item_or_404(request, item_id)
    extension = item.extensions.get(pk=extension_pk)
    extension.item = item
    if not can.can_decide_extension(request.user, item):
        raise PermissionDenied("只有责任领导可以审批延期申请。")
    form = forms.OpinionForm(request.POST, prefix=f"extension{extension.pk}")
    if form.is_valid():
        approve = action == "approve"
        try:
            flow.decide_extension(
                extension,
                actor=request.user,
                approve=approve,
                opinion=form.cleaned_data["opinion"],
                ip=client_ip(request),
            )
        except (ValidationError, InvalidTransition) as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, "已同意延期。" if approve else "已不同意延期。")
            return redirect("supervision:item-detail", item.pk)
    fresh = _item_or_404(request, item_id)
    return _page(request, fresh, decision=(extension.pk, form), status=400)


# --- files -------------------------------------------------------------------------------------


def report_file(request, file_pk):
    """A report's file (佐证材料), only for those who may see its item; always an attachment."""
    item_id = get_object_or_404(
        ReportFile.objects.select_related("report").only("report__item_id"), pk=file_pk
    ).report.item_id
    item = item_get_or_404(request.user, item_id)
    stored = ReportFile.objects.get(pk=file_pk)
    record_opening(request, item)
    return stored_file_response(stored)


_STEP_NAMES = "|".join(STEPS)

urlpatterns = [
    path("items/new/", item_new, name="item-new"),
    path("items/<int:pk>/", item_detail, name="item-detail"),
    re_path(rf"^items/(?P<pk>[0-9]+)/(?P<step>{_STEP_NAMES})/$", item_step, name="item-step"),
    re_path(
        r"^reports/(?P<report_pk>[0-9]+)/(?P<action>approve|return)/$",
        report_review,
        name="report-review",
    ),
    re_path(
        r"^extensions/(?P<extension_pk>[0-9]+)/(?P<action>approve|refuse)/$",
        extension_decide,
        name="extension-decide",
    ),
    path("reports/files/<int:file_pk>/", report_file, name="report-file"),
]
