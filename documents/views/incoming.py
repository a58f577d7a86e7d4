"""收文 pages: registration, the document's page with its steps, attachments, my lists, the
archive list and the handling settings.

Thin views: fetch through selectors (404 for what the user cannot see), one workflow or service
call, POST-redirect-GET. A refused step becomes a message on the page with the user's input kept.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from office.calendar import Light, traffic_light, traffic_lights
from office.downloads import stored_file_response
from office.pagination import keyset_page
from office.permissions import can_configure
from office.trail import client_ip, record_opening
from office.uploads import INLINE_TYPES
from office.workflow import InvalidTransition

from .. import forms, selectors, services, workflow
from .. import permissions as can
from ..models import Assignment, Attachment, HandlingPolicy, IncomingDocument, Sender

LIST_PAGE_SIZE = 30


# --- registration -----------------------------------------------------------------------------


def _sender_names():
    return Sender.objects.order_by("name").values_list("name", flat=True)


def register_new(request):
    """登记: keyboard first; a possible duplicate is shown before saving and must be confirmed."""
    if not can.is_secretary(request.user):
        raise PermissionDenied("只有秘书（文书）可以登记收文。")
    form = forms.RegistrationForm(request.POST or None, request.FILES or None, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.incoming_register(
                form.registration(),
                actor=request.user,
                files=data["attachments"],
                confirmed_duplicate=data["confirm_duplicate"],
                ip=client_ip(request),
            )
        except services.PossibleDuplicate as exc:
            duplicates = exc.duplicates
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已登记，收文编号 {document.registration_number}。")
            if "another" in request.POST:
                return redirect("documents:incoming-new")
            return redirect("documents:incoming-detail", document.pk)
    if request.method == "POST" and form.errors and request.FILES:
        form.add_error(None, "出于安全原因，浏览器不会保留已选择的附件，请重新选择附件。")
    context = {"form": form, "duplicates": duplicates, "sender_names": _sender_names()}
    return render(request, "documents/incoming_form.html", context)


def duplicate_check(request):
    """htmx: warn while typing when the same sender and sender's number exist this year."""
    if not can.is_secretary(request.user):
        raise PermissionDenied
    try:
        year = datetime.date.fromisoformat(request.GET.get("received_on", "")).year
    except ValueError:
        year = timezone.localdate().year
    duplicates = selectors.incoming_visible_to(
        request.user,
        services.find_duplicates(
            sender_name=request.GET.get("sender_name", ""),
            sender_number=request.GET.get("sender_number", ""),
            year=year,
        ),
    )[:5]
    return render(request, "documents/_duplicates.html", {"duplicates": duplicates})


def edit_registration(request, pk):
    document = selectors.incoming_get_or_404(request.user, pk)
    if not can.can_edit_registration(request.user, document):
        raise PermissionDenied("只有秘书可以在办结前修改登记信息；已办结或已归档的收文只读。")
    form = forms.RegistrationForm(
        request.POST or None,
        user=request.user,
        with_files=False,
        initial=forms.RegistrationForm.initial_from(document),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.incoming_update_registration(
                document, form.registration(), actor=request.user, ip=client_ip(request)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存登记信息的修改。")
            return redirect("documents:incoming-detail", document.pk)
    context = {"form": form, "document": document, "sender_names": _sender_names()}
    return render(request, "documents/incoming_form.html", context)


# --- the document's page ----------------------------------------------------------------------

# step name → (form class, call(target, cleaned data, actor, ip))
DOCUMENT_STEPS = {
    "screen": (
        forms.OpinionForm,
        lambda d, f, u, ip: workflow.screen(d, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "return_to_sender": (
        forms.ReasonForm,
        lambda d, f, u, ip: workflow.return_to_sender(d, actor=u, reason=f["opinion"], ip=ip),
    ),
    "propose_handling": (
        forms.ProposeForm,
        lambda d, f, u, ip: workflow.propose_handling(
            d,
            actor=u,
            opinion=f["opinion"],
            leaders=list(f["leaders"]),
            parallel=f["parallel"],
            lead_unit=f["lead_unit"],
            co_units=list(f["co_units"]),
            ip=ip,
        ),
    ),
    "instruct": (
        forms.InstructForm,
        lambda d, f, u, ip: workflow.instruct(
            d,
            actor=u,
            instruction=f["instruction"],
            to_supervise=f["to_supervise"],
            further_leaders=list(f["further_leaders"]),
            parallel=f["parallel"],
            change_units=f["change_units"],
            lead_unit=f["lead_unit"],
            co_units=list(f["co_units"]),
            ip=ip,
        ),
    ),
    "assign": (
        forms.AssignForm,
        lambda d, f, u, ip: workflow.assign(
            d,
            actor=u,
            lead_unit=f["lead_unit"],
            co_units=list(f["co_units"]),
            deadline=f["deadline"],
            co_deadline=f["co_deadline"],
            opinion=f["opinion"],
            ip=ip,
        ),
    ),
    "circulate": (
        forms.CirculateForm,
        lambda d, f, u, ip: workflow.circulate(
            d,
            actor=u,
            leaders=list(f["leaders"]),
            parallel=f["parallel"],
            opinion=f["opinion"],
            ip=ip,
        ),
    ),
    "initial": (
        forms.InitialForm,
        lambda d, f, u, ip: workflow.initial(d, actor=u, remark=f["remark"], ip=ip),
    ),
    "finish_circulation": (
        forms.OpinionForm,
        lambda d, f, u, ip: workflow.finish_circulation(d, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "complete": (
        forms.OpinionForm,
        lambda d, f, u, ip: workflow.complete(d, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "return_result": (
        forms.ReasonForm,
        lambda d, f, u, ip: workflow.return_result(d, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "archive": (forms.OpinionForm, lambda d, f, u, ip: workflow.archive(d, actor=u, ip=ip)),
    "urge": (
        forms.UrgeForm,
        lambda d, f, u, ip: services.urge(d, actor=u, message=f["message"], ip=ip),
    ),
    "upload": (
        forms.UploadForm,
        lambda d, f, u, ip: services.add_attachments(d, f["files"], actor=u, ip=ip),
    ),
}

PART_STEPS = {
    "accept": (forms.OpinionForm, lambda a, f, u, ip: workflow.accept(a, actor=u, ip=ip)),
    "progress": (
        forms.ProgressForm,
        lambda a, f, u, ip: services.record_progress(a, actor=u, text=f["text"], ip=ip),
    ),
    "submit": (
        forms.ResultForm,
        lambda a, f, u, ip: services.submit_result(
            a, actor=u, result=f["result"], files=f["files"], ip=ip
        ),
    ),
    "approve": (
        forms.OpinionForm,
        lambda a, f, u, ip: workflow.approve(a, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "reject": (
        forms.ReasonForm,
        lambda a, f, u, ip: workflow.reject(a, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "request_hand_back": (
        forms.ReasonForm,
        lambda a, f, u, ip: workflow.request_hand_back(a, actor=u, reason=f["opinion"], ip=ip),
    ),
    "grant_hand_back": (
        forms.OpinionForm,
        lambda a, f, u, ip: workflow.grant_hand_back(a, actor=u, opinion=f["opinion"], ip=ip),
    ),
    "refuse_hand_back": (
        forms.ReasonForm,
        lambda a, f, u, ip: workflow.refuse_hand_back(a, actor=u, opinion=f["opinion"], ip=ip),
    ),
}

STEP_MESSAGES = {
    "screen": "已初审通过。",
    "return_to_sender": "已退文，退文理由已记录。",
    "propose_handling": "已拟办，已呈送领导批示。",
    "instruct": "已批示。",
    "assign": "已交办承办单位。",
    "circulate": "已送传阅。",
    "initial": "已圈阅。",
    "finish_circulation": "传阅已结束。",
    "complete": "已办结。",
    "return_result": "已退回承办单位补充办理。",
    "archive": "已归档。",
    "urge": "已催办。",
    "upload": "附件已上传。",
    "accept": "已接收，请按期办理。",
    "progress": "办理进展已填报。",
    "submit": "办理结果已提交单位负责人审核。",
    "approve": "已审核通过。",
    "reject": "已退回承办人修改。",
    "request_hand_back": "已申请退回重新分办，等待秘书处理。",
    "grant_hand_back": "已同意退回。",
    "refuse_hand_back": "已不同意退回，承办单位继续办理。",
}

FORM_NEEDS_USER = {forms.InstructForm}


def _form(step, form_class, user, data=None, files=None, initial=None, prefix=None):
    kwargs = {"prefix": prefix or step, "initial": initial or {}}
    if form_class in FORM_NEEDS_USER:
        kwargs["user"] = user
    return form_class(data, files, **kwargs)


def _document_steps(user, document):
    """{step: allowed} for the page's buttons — the same checks the server applies on POST."""
    allowed = workflow.DOCUMENT.available(document, user)
    allowed = {name: ok for name, ok in allowed.items() if name in DOCUMENT_STEPS}
    allowed["urge"] = can.can_urge(user, document)
    allowed["upload"] = can.can_add_original(user, document)
    return allowed


def _part_steps(user, assignment):
    allowed = workflow.ASSIGNMENT.available(assignment, user)
    allowed = {name: ok for name, ok in allowed.items() if name in PART_STEPS}
    allowed["progress"] = (
        can.can_record_progress(user, assignment) and assignment.state == Assignment.State.ACCEPTED
    )
    return allowed


def _initials(step, document):
    if step == "propose_handling":
        return {}
    if step == "instruct":
        return {
            "lead_unit": document.proposed_lead_unit_id,
            "co_units": [u.pk for u in document.proposed_co_units.all()],
        }
    if step == "assign":
        return {
            "lead_unit": document.proposed_lead_unit_id,
            "co_units": [u.pk for u in document.proposed_co_units.all()],
            "deadline": workflow.default_deadline(document),
        }
    return {}


def _light(document, policy):
    if document.state in IncomingDocument.DONE_STATES:
        if document.completed_late:
            return {"light": Light.RED, "label": "逾期办结"}
        return {"light": Light.GREEN, "label": "按期办结" if document.deadline else "已办结"}
    if not document.deadline or not document.is_open:
        return None
    light = traffic_light(document.deadline, warning=policy.warning_days)
    return {"light": light, "label": Light.LABELS[light]}


def _page(request, document, *, bound=None, status=200):
    """The document's page; `bound` = (step, assignment pk or None, bound form) after a refusal."""
    user = request.user
    policy = HandlingPolicy.current()
    steps = _document_steps(user, document)
    step_forms = {}
    for step, ok in steps.items():
        if ok:
            step_forms[step] = _form(
                step, DOCUMENT_STEPS[step][0], user, initial=_initials(step, document)
            )
    parts = []
    for assignment in selectors.ordered_assignments(document):
        allowed = _part_steps(user, assignment)
        part_forms = {
            step: _form(step, PART_STEPS[step][0], user, prefix=f"part{assignment.pk}-{step}")
            for step, ok in allowed.items()
            if ok
        }
        light = (
            traffic_light(assignment.deadline, warning=policy.warning_days)
            if assignment.is_active
            else None
        )
        parts.append(
            {
                "assignment": assignment,
                "forms": part_forms,
                "light": light,
                "light_label": Light.LABELS.get(light, ""),
                "results": [
                    a
                    for a in assignment.attachments.all()
                    if a.purpose == Attachment.Purpose.RESULT
                ],
            }
        )
    if bound:
        step, part_pk, form = bound
        if part_pk:
            for part in parts:
                if part["assignment"].pk == part_pk:
                    part["forms"][step] = form
        else:
            step_forms[step] = form
    for part in parts:
        part["action_base"] = (
            reverse("documents:incoming-detail", args=[document.pk])
            + f"part/{part['assignment'].pk}/"
        )
        part["steps"] = _step_list(
            part.pop("forms"), workflow.ASSIGNMENT, bound, part["assignment"].pk
        )
    context = {
        "document": document,
        "steps": _step_list(step_forms, workflow.DOCUMENT, bound, None),
        "parts": parts,
        "light": _light(document, policy),
        "instructions": list(document.instructions.all()),
        "current_instructions": can.current_instructions(document),
        "circulations": list(document.circulations.all()),
        "circulation_read": sum(1 for c in document.circulations.all() if c.read_at),
        "current_circulations": can.current_circulations(document),
        "holders": services.holders(document) if document.is_open else [],
        "history": selectors.document_history(document),
        "can_edit": can.can_edit_registration(user, document),
    }
    return render(request, "documents/incoming_detail.html", context, status=status)


EXTRA_LABELS = {"urge": "催办", "upload": "上传附件", "progress": "填报进展"}
PRIMARY_STEPS = {
    "screen",
    "propose_handling",
    "instruct",
    "assign",
    "circulate",
    "initial",
    "complete",
    "archive",
    "accept",
    "submit",
    "approve",
}


def _step_list(step_forms, machine, bound, part_pk):
    """The steps a user may take, in the table's order, with their forms; a refused step's form
    comes back open with the input kept."""
    labels = {name: t.label for name, t in machine.transitions.items()} | EXTRA_LABELS
    order = list(labels)
    return [
        {
            "name": name,
            "label": labels[name],
            "form": form,
            "primary": name in PRIMARY_STEPS,
            "open": bool(bound) and bound[0] == name and bound[1] == part_pk,
            "id": f"part{part_pk}-{name}" if part_pk else f"step-{name}",
        }
        for name, form in sorted(step_forms.items(), key=lambda item: order.index(item[0]))
    ]


def detail(request, pk):
    document = selectors.incoming_for_page(request.user, pk)
    record_opening(request, document)
    return _page(request, document)


def _perform(request, document, step, form, call, target, part_pk=None):
    """Run one step; a refusal re-renders the page with the message and the input kept."""
    if form.is_valid():
        try:
            call(target, form.cleaned_data, request.user, client_ip(request))
        except (ValidationError, InvalidTransition) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                form.add_error(None, message)
        else:
            messages.success(request, STEP_MESSAGES[step])
            return redirect("documents:incoming-detail", document.pk)
    fresh = selectors.incoming_for_page(request.user, document.pk)
    return _page(request, fresh, bound=(step, part_pk, form), status=400)


@require_POST
def act(request, pk, step):
    if step not in DOCUMENT_STEPS:
        raise Http404("没有这个办理步骤。")
    document = selectors.incoming_for_page(request.user, pk)
    form_class, call = DOCUMENT_STEPS[step]
    form = _form(step, form_class, request.user, request.POST, request.FILES)
    return _perform(request, document, step, form, call, document)


@require_POST
def act_on_part(request, pk, part, step):
    if step not in PART_STEPS:
        raise Http404("没有这个办理步骤。")
    document = selectors.incoming_for_page(request.user, pk)
    assignment = next((a for a in document.assignments.all() if a.pk == part), None)
    if assignment is None:
        raise Http404("没有找到该承办单位的办理记录。")
    form_class, call = PART_STEPS[step]
    form = _form(
        step, form_class, request.user, request.POST, request.FILES, prefix=f"part{part}-{step}"
    )
    return _perform(request, document, step, form, call, assignment, part_pk=part)


def attachment(request, pk):
    """An attachment, only for those who may see its document; never rendered as a page."""
    item = get_object_or_404(Attachment.objects.only("document_id"), pk=pk)
    document = selectors.incoming_get_or_404(request.user, item.document_id)
    item = Attachment.objects.get(pk=pk)
    record_opening(request, document)
    inline = request.GET.get("inline") == "1" and item.media_type in INLINE_TYPES
    return stored_file_response(item, inline=inline)


# --- my lists ---------------------------------------------------------------------------------

MY_LISTS = {
    "todo": ("待办", selectors.incoming_todo),
    "done": ("已办", selectors.incoming_done),
    "mine": ("我登记的", selectors.incoming_registered_by),
}


def _rows(documents, policy):
    """Each document with its light, all lights from one calendar query."""
    open_lights = traffic_lights(
        [d.deadline if d.is_open else None for d in documents], warning=policy.warning_days
    )
    rows = []
    for document, light in zip(documents, open_lights, strict=True):
        if document.is_open:
            shown = {"light": light, "label": Light.LABELS[light]} if document.deadline else None
        else:
            shown = _light(document, policy)
        rows.append({"document": document, "light": shown})
    return rows


def my_list(request, which="todo"):
    if which not in MY_LISTS:
        raise Http404
    title, selector = MY_LISTS[which]
    queryset = selectors.for_list(selector(request.user))
    page = keyset_page(
        queryset, order=("-received_on", "-id"), after=request.GET.get("after"), size=LIST_PAGE_SIZE
    )
    context = {
        "which": which,
        "title": title,
        "tabs": [
            (key, label, reverse(f"documents:incoming-{key}"))
            for key, (label, _) in MY_LISTS.items()
        ],
        "page": page,
        "rows": _rows(page.rows, HandlingPolicy.current()),
    }
    return render(request, "documents/incoming_my_list.html", context)


def archive_list(request):
    """归档目录: the year's filed documents in archive-number order."""
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    queryset = selectors.for_list(selectors.incoming_archive(request.user, year))
    page = keyset_page(
        queryset, order=("archive_number", "id"), after=request.GET.get("after"), size=100
    )
    this_year = timezone.localdate().year
    context = {
        "year": year,
        "years": list(range(this_year, this_year - 6, -1)),
        "page": page,
    }
    return render(request, "documents/incoming_archive.html", context)


def handling_settings(request):
    """收文办理设置 (system administrator): deadlines by urgency, warning, escalation, numbering."""
    if not can_configure(request.user):
        raise PermissionDenied("此页面仅供系统管理员使用。")
    form = forms.HandlingPolicyForm(request.POST or None, instance=HandlingPolicy.current())
    if request.method == "POST" and form.is_valid():
        try:
            services.handling_policy_update(
                actor=request.user, values=form.cleaned_data, ip=client_ip(request)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存收文办理设置。")
            return redirect("documents:incoming-settings")
    return render(request, "documents/handling_settings.html", {"form": form})


urlpatterns = [
    path("incoming/", my_list, {"which": "todo"}, name="incoming-todo"),
    path("incoming/done/", my_list, {"which": "done"}, name="incoming-done"),
    path("incoming/mine/", my_list, {"which": "mine"}, name="incoming-mine"),
    path("incoming/new/", register_new, name="incoming-new"),
    path("incoming/new/duplicates/", duplicate_check, name="incoming-duplicates"),
    path("incoming/archive/", archive_list, name="incoming-archive"),
    path("incoming/settings/", handling_settings, name="incoming-settings"),
    path("incoming/<int:pk>/", detail, name="incoming-detail"),
    path("incoming/<int:pk>/edit/", edit_registration, name="incoming-edit"),
    path("incoming/<int:pk>/<str:step>/", act, name="incoming-act"),
    path("incoming/<int:pk>/part/<int:part>/<str:step>/", act_on_part, name="incoming-part-act"),
    path("incoming/attachment/<int:pk>/", attachment, name="incoming-attachment"),
]
