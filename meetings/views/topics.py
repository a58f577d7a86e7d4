"""议题 pages: 提请议题, my lists, the pool (议题库), a topic's page with its steps and materials,
and the 办会 settings (system administrator).

Thin views as for the documents: fetch through selectors (404 for what the user cannot see), one
workflow or service call, POST-redirect-GET; a refused step comes back on the page (status 400)
with the message and the input kept. 「不成熟不上会」 is shown from `workflow.missing_for_agenda`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from office.downloads import stored_file_response
from office.pagination import keyset_page
from office.permissions import can_configure
from office.trail import client_ip, history, record_opening
from office.workflow import InvalidTransition

from .. import forms, selectors, services
from .. import permissions as can
from .. import workflow as flow
from ..models import LegalAdviser, MeetingType, Room, Topic, TopicMaterial

S = Topic.State
LIST_PAGE_SIZE = 30
POOL_LIMIT = 300
FILES_AGAIN = "出于安全原因，浏览器不会保留已选择的文件，请重新选择议题材料。"


def _rows(queryset):
    return queryset.select_related("meeting_type", "submitting_unit", "reporting_leader")


# --- 提请议题 ----------------------------------------------------------------------------------


def topic_new(request):
    """提请议题: the particulars and the material, in one transaction."""
    if not can.can_submit_topic(request.user):
        raise PermissionDenied("只有承办单位人员或秘书可以提请议题。")
    form = forms.TopicForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_submit_with_materials(
                form.submission(),
                form.cleaned_data["materials"],
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "议题已提交，等待秘书组织会前协调。")
            return redirect("meetings:topic-detail", topic.pk)
    if request.method == "POST" and request.FILES:
        form.add_error(None, FILES_AGAIN)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/topic_form.html", {"form": form}, status=status)


# --- my lists ----------------------------------------------------------------------------------


MY_LISTS = {
    "todo": ("待办", selectors.topic_todo),
    "mine": ("我提交的", selectors.topics_submitted_by),
    "all": ("全部", selectors.topics_visible_to),
}

NEXT_STEP = {
    S.SUBMITTED: "待会前协调",
    S.COORDINATING: "协调意见",
    S.LEGAL_REVIEW: "待合法性审查",
    S.RETURNED: "待修改后重新提交",
}


def topic_list(request):
    which = request.GET.get("tab") or "todo"
    if which not in MY_LISTS:
        raise Http404
    title, selector = MY_LISTS[which]
    page = keyset_page(
        _rows(selector(request.user)),
        order=("-submitted_at", "-id"),
        after=request.GET.get("after"),
        size=LIST_PAGE_SIZE,
    )
    context = {
        "which": which,
        "title": title,
        "tabs": [
            (key, label, f"{reverse('meetings:topic-list')}?tab={key}")
            for key, (label, _) in MY_LISTS.items()
        ],
        "page": page,
        "rows": [{"topic": t, "next": NEXT_STEP.get(t.state, "")} for t in page.rows],
        "can_submit": can.can_submit_topic(request.user),
    }
    return render(request, "meetings/topic_list.html", context)


def topic_pool(request):
    """议题库: admitted topics waiting for a meeting, oldest first, filterable."""
    form = forms.PoolFilterForm(request.GET or None)
    topics = list(selectors.topic_pool(request.user, **form.filters())[: POOL_LIMIT + 1])
    context = {
        "form": form,
        "topics": topics[:POOL_LIMIT],
        "more": len(topics) > POOL_LIMIT,
        "limit": POOL_LIMIT,
        "can_schedule": can.can_schedule(request.user),
    }
    return render(request, "meetings/topic_pool.html", context)


# --- the topic's page --------------------------------------------------------------------------


def _coordinate(t, f, u, ip):
    return flow.coordinate(t, actor=u, units=list(f["units"]), ip=ip)


def _add_materials(t, f, u, ip):
    return services.topic_add_materials(t, f["files"], actor=u, ip=ip)


STEPS = {
    "coordinate": (forms.CoordinateForm, _coordinate),
    "give_opinion": (
        forms.OpinionForm,
        lambda t, f, u, ip: flow.give_opinion(
            t, actor=u, agrees=f["agrees"], opinion=f["opinion"], ip=ip
        ),
    ),
    "finish_coordination": (
        forms.FinishCoordinationForm,
        lambda t, f, u, ip: flow.finish_coordination(
            t, actor=u, disagreements=f["disagreements"], ip=ip
        ),
    ),
    "legality_review": (
        forms.LegalReviewForm,
        lambda t, f, u, ip: flow.legality_review(
            t, actor=u, outcome=f["outcome"], opinion=f["opinion"], ip=ip
        ),
    ),
    "add_materials": (forms.MaterialsForm, _add_materials),
    "resubmit": (forms.ConfirmForm, lambda t, f, u, ip: flow.resubmit(t, actor=u, ip=ip)),
    "withdraw": (
        forms.ReasonForm,
        lambda t, f, u, ip: flow.withdraw(t, actor=u, reason=f["reason"], ip=ip),
    ),
}

LABELS = {
    "coordinate": "会前协调",
    "give_opinion": "反馈协调意见",
    "finish_coordination": "协调完毕",
    "legality_review": "合法性审查",
    "add_materials": "补充材料",
    "resubmit": "修改后重新提交",
    "withdraw": "撤回",
}
PRIMARY = {"coordinate", "give_opinion", "finish_coordination", "legality_review", "resubmit"}

MESSAGES = {
    "coordinate": "已征求相关单位意见。",
    "give_opinion": "已反馈协调意见。",
    "finish_coordination": "会前协调完毕，已送合法性审查。",
    "legality_review": "已提交合法性审查意见。",
    "add_materials": "议题材料已上传。",
    "resubmit": "已重新提交，将重新组织会前协调和合法性审查。",
    "withdraw": "议题已撤回。",
}


def _allowed(user, topic):
    """{step: allowed} — the same checks the workflow applies on POST."""
    steps = flow.TOPIC.available(topic, user)
    return {
        "coordinate": steps["coordinate"],
        "give_opinion": steps["give_opinion"],
        "finish_coordination": steps["finish_coordination"],
        "legality_review": steps["admit"] or steps["return_illegal"],
        "add_materials": topic.state in (S.SUBMITTED, S.RETURNED) and can.can_resubmit(user, topic),
        "resubmit": steps["resubmit"],
        "withdraw": steps["withdraw"],
    }


def _form(step, data=None, files=None):
    return STEPS[step][0](data, files, prefix=step)


def _step_list(user, topic, bound=None):
    rows = []
    for step, ok in _allowed(user, topic).items():
        if not ok:
            continue
        rows.append(
            {
                "name": step,
                "label": LABELS[step],
                "form": bound[1] if bound and bound[0] == step else _form(step),
                "primary": step in PRIMARY,
                "open": bool(bound) and bound[0] == step,
                "id": f"step-{step}",
            }
        )
    return rows


def _page(request, topic, *, bound=None, status=200):
    opinions = list(topic.opinions.select_related("unit", "given_by"))
    context = {
        "topic": topic,
        "steps": _step_list(request.user, topic, bound),
        "materials": list(topic.materials.select_related("uploaded_by")),
        "opinions": opinions,
        "answered": sum(1 for o in opinions if o.given_at),
        "missing": flow.missing_for_agenda(topic),
        "history": history(topic),
    }
    return render(request, "meetings/topic_detail.html", context, status=status)


def _for_page(user, pk):
    return selectors.topic_get_or_404(user, pk, queryset=_rows(Topic.objects.all()))


def topic_detail(request, pk):
    topic = _for_page(request.user, pk)
    record_opening(request, topic)
    return _page(request, topic)


@require_POST
def topic_act(request, pk, step):
    if step not in STEPS:
        raise Http404("没有这个办理步骤。")
    topic = _for_page(request.user, pk)
    form = _form(step, request.POST, request.FILES)
    if form.is_valid():
        try:
            STEPS[step][1](topic, form.cleaned_data, request.user, client_ip(request))
        except (ValidationError, InvalidTransition) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                form.add_error(None, message)
        else:
            messages.success(request, MESSAGES[step])
            return redirect("meetings:topic-detail", topic.pk)
    if request.FILES:
        form.add_error(None, FILES_AGAIN)
    return _page(request, _for_page(request.user, topic.pk), bound=(step, form), status=400)


def topic_material(request, pk):
    """A material's file, only for those who may see its topic; never rendered as a page."""
    item = get_object_or_404(TopicMaterial.objects.only("topic_id"), pk=pk)
    topic = selectors.topic_get_or_404(request.user, item.topic_id)
    item = TopicMaterial.objects.get(pk=pk)
    record_opening(request, topic)
    return stored_file_response(item)


# --- 办会设置 ---------------------------------------------------------------------------------


def _pick(model, value):
    if not value:
        return None
    try:
        return model.objects.get(pk=int(value))
    except (ValueError, model.DoesNotExist):
        raise Http404 from None


def _settings_forms(request, section):
    """The three sections' forms; only the posted one is bound."""
    data = request.POST if request.method == "POST" else None
    meeting_type = _pick(MeetingType, request.POST.get("pk") if section == "type" else None)
    meeting_type = meeting_type or _pick(MeetingType, request.GET.get("type"))
    room = _pick(Room, request.POST.get("pk") if section == "room" else None)
    room = room or _pick(Room, request.GET.get("room"))
    advisers = LegalAdviser.objects.filter(is_active=True).values_list("user_id", flat=True)
    return {
        "type": forms.MeetingTypeForm(
            data if section == "type" else None, instance=meeting_type, prefix="type"
        ),
        "room": forms.RoomForm(data if section == "room" else None, instance=room, prefix="room"),
        "advisers": forms.LegalAdvisersForm(
            data if section == "advisers" else None,
            initial={"advisers": list(advisers)},
            prefix="advisers",
        ),
    }


def _save_section(section, form, actor, ip):
    data = form.cleaned_data
    if section == "type":
        existing = form.instance if form.instance.pk else None
        services.meeting_type_save(existing, actor=actor, ip=ip, **data)
        return f"已保存会议类型“{data['name']}”。"
    if section == "room":
        existing = form.instance if form.instance.pk else None
        services.room_save(existing, actor=actor, ip=ip, **data)
        return f"已保存会议室“{data['name']}”。"
    services.legal_advisers_set(data["advisers"], actor=actor, ip=ip)
    return "已保存法律顾问。"


def settings_page(request):
    """办会设置 (system administrator): 会议类型, 会议室, 法律顾问 — one form per section."""
    if not can_configure(request.user):
        raise PermissionDenied("此页面仅供系统管理员使用。")
    section = request.POST.get("section") if request.method == "POST" else None
    if request.method == "POST" and section not in ("type", "room", "advisers"):
        raise Http404
    section_forms = _settings_forms(request, section)
    if section:
        form = section_forms[section]
        # is_valid() copies the input onto a ModelForm's instance; the service re-reads the row.
        if form.is_valid():
            try:
                done = _save_section(section, form, request.user, client_ip(request))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, done)
                return redirect("meetings:meetings-settings")
    context = {
        "forms": section_forms,
        "section": section,
        "meeting_types": MeetingType.objects.select_related("default_presider").prefetch_related(
            "members"
        ),
        "rooms": Room.objects.all(),
        "advisers": LegalAdviser.objects.select_related("user", "user__unit").order_by(
            "-is_active", "id"
        ),
    }
    status = 400 if section else 200
    return render(request, "meetings/settings.html", context, status=status)


urlpatterns = [
    path("topics/", topic_list, name="topic-list"),
    path("topics/new/", topic_new, name="topic-new"),
    path("topics/pool/", topic_pool, name="topic-pool"),
    path("topics/<int:pk>/", topic_detail, name="topic-detail"),
    path("topics/material/<int:pk>/", topic_material, name="topic-material"),
    path("topics/<int:pk>/<str:step>/", topic_act, name="topic-act"),
    path("settings/", settings_page, name="meetings-settings"),
]
