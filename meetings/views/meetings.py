"""会议 pages: scheduling (安排会议), the list, the meeting's page with its steps (回复 参加/请假,
签到, 会议已召开, 取消会议), the QR code for signing in and the signed link it carries, the
calendar (week and month) and my own schedule.

Thin views as for 发文: fetch through selectors (404 for what the user cannot see), one service or
workflow call, POST-redirect-GET; a refused step comes back on the page with the input kept.
"""

import datetime

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from office.calendar import is_working_day
from office.pagination import keyset_page
from office.trail import client_ip, history
from office.workflow import InvalidTransition

from .. import attendance as att
from .. import forms_meetings as forms
from .. import permissions as can
from .. import selectors
from .. import workflow as flow
from ..models import Attendance, Meeting, MeetingType, Minutes
from ..scheduling import meeting_schedule

M = Meeting.State
LIST_PAGE_SIZE = 30
UPCOMING_LIMIT = 100
WEEKDAYS = "一二三四五六日"


def _refusals(exc):
    return getattr(exc, "messages", None) or [str(exc)]


def _for_list(queryset, user):
    """The columns of every meeting list, and the user's own invitation (`mine`), in 3 queries."""
    return queryset.select_related("meeting_type", "room", "presider").prefetch_related(
        Prefetch(
            "attendances",
            queryset=Attendance.objects.filter(person=user).select_related("substitute"),
            to_attr="mine",
        )
    )


# --- 安排会议 -------------------------------------------------------------------------------------


def _type_from(request):
    pk = request.POST.get("meeting_type") or request.GET.get("meeting_type")
    if pk and str(pk).isdigit():
        return MeetingType.objects.filter(pk=pk, is_active=True).first()
    types = list(MeetingType.objects.filter(is_active=True)[:2])
    return types[0] if len(types) == 1 else None


def _form_page(request, form, status=200):
    pool = list(selectors.topic_pool(request.user))
    chosen = {str(pk) for pk in (form.data.getlist("topics") if form.is_bound else [])}
    in_pool = {str(t.pk) for t in pool}
    # A topic chosen but no longer in the pool stays on the page, ticked, with the refusal above.
    gone = selectors.topics_visible_to(request.user).filter(pk__in=chosen - in_pool)
    rows = [
        {
            "topic": topic,
            "checked": str(topic.pk) in chosen,
            "order": form.data.get(f"order_{topic.pk}", "") if form.is_bound else "",
            "in_pool": str(topic.pk) in in_pool,
        }
        for topic in [*pool, *gone.select_related("submitting_unit", "reporting_leader")]
    ]
    context = {"form": form, "topic_rows": rows}
    return render(request, "meetings/meeting_form.html", context, status=status)


def meeting_new(request):
    """安排会议 (secretaries). "载入默认人员" refills the presider and members of the chosen type."""
    if not can.can_schedule(request.user):
        raise PermissionDenied("只有秘书可以安排会议。")
    if request.method == "POST" and "load_type" in request.POST:
        data = request.POST.copy()
        defaults = forms.MeetingForm.initial_for(_type_from(request))
        data["presider"] = defaults.get("presider") or ""
        data.setlist("attendees", [str(pk) for pk in defaults.get("attendees", [])])
        form = forms.MeetingForm(data, user=request.user)
        form.errors.clear()  # nothing is saved: no errors yet
        return _form_page(request, form)
    form = forms.MeetingForm(
        request.POST or None,
        user=request.user,
        initial=forms.MeetingForm.initial_for(_type_from(request)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_schedule(form.plan(), actor=request.user, ip=client_ip(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "会议已安排，会议通知已发给参会人员。")
            return redirect("meetings:meeting-detail", meeting.pk)
    return _form_page(request, form, status=400 if request.method == "POST" else 200)


# --- lists ----------------------------------------------------------------------------------------


def meeting_list(request):
    """会议: those still to come first (soonest first, on the first page), then past meetings,
    newest first, a keyset page at a time."""
    now = timezone.now()
    visible = _for_list(selectors.meetings_visible_to(request.user), request.user)
    upcoming = []
    if not request.GET.get("after"):
        upcoming = list(
            visible.filter(ends_at__gte=now).order_by("starts_at", "id")[:UPCOMING_LIMIT]
        )
    page = keyset_page(
        visible.filter(ends_at__lt=now),
        order=("-starts_at", "-id"),
        after=request.GET.get("after"),
        size=LIST_PAGE_SIZE,
    )
    context = {"upcoming": upcoming, "page": page, "can_schedule": can.can_schedule(request.user)}
    return render(request, "meetings/meeting_list.html", context)


def my_schedule(request):
    """我的会议: the meetings I am invited to (出席, 列席, 代会) that are still to come."""
    mine = selectors.meetings_visible_to(request.user).filter(
        pk__in=Attendance.objects.filter(person=request.user).values("meeting")
    )
    meetings = list(
        _for_list(mine, request.user)
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at", "id")[:UPCOMING_LIMIT]
    )
    return render(request, "meetings/meeting_mine.html", {"meetings": meetings})


# --- the meeting's page ---------------------------------------------------------------------------

STEPS = {
    "answer": (
        forms.AnswerForm,
        lambda m, f, u, ip: att.answer(
            _my_invitation(u, m),
            actor=u,
            attends=f["attends"],
            reason=f["reason"],
            substitute=f["substitute"],
            ip=ip,
        ),
    ),
    "hold": (forms.ConfirmForm, lambda m, f, u, ip: flow.hold(m, actor=u, ip=ip)),
    "cancel": (
        forms.CancelForm,
        lambda m, f, u, ip: flow.cancel(m, actor=u, reason=f["reason"], ip=ip),
    ),
}
LABELS = {"answer": "回复会议通知", "hold": "会议已召开", "cancel": "取消会议"}
PRIMARY = {"answer", "hold"}
MESSAGES = {
    "answer": "已回复。",
    "hold": "已登记会议召开。",
    "cancel": "会议已取消，议题已回到议题库。",
}


def _my_invitation(user, meeting):
    mine = meeting.attendances.filter(person=user).first()
    if mine is None:
        raise ValidationError("您不在本次会议的参会名单中。")
    return mine


def _allowed(user, meeting, mine):
    steps = flow.MEETING.available(meeting, user)
    return {
        "answer": mine is not None and meeting.state in att.OPEN,
        "hold": steps["hold"],
        "cancel": steps["cancel"],
    }


def _step_form(step, mine=None, data=None):
    initial = {}
    if step == "answer" and mine is not None and mine.answer == Attendance.Answer.LEAVE:
        initial = {"attends": "0", "reason": mine.leave_reason, "substitute": mine.substitute_id}
    return STEPS[step][0](data, prefix=step, initial=initial)


def _step_list(user, meeting, mine, bound=None):
    return [
        {
            "name": step,
            "label": LABELS[step],
            "form": bound[1] if bound and bound[0] == step else _step_form(step, mine),
            "primary": step in PRIMARY,
            "open": bool(bound) and bound[0] == step,
            "id": f"step-{step}",
        }
        for step, ok in _allowed(user, meeting, mine).items()
        if ok
    ]


def _page(request, meeting, *, bound=None, status=200):
    user = request.user
    people = list(
        meeting.attendances.select_related("person__unit", "substitute").order_by(
            "role", "person__leader_order", "id"
        )
    )
    mine = next((a for a in people if a.person_id == user.pk), None)
    opens, closes = att.sign_in_window(meeting)
    signing = meeting.state != M.CANCELLED and opens <= timezone.now() <= closes
    secretary = can.is_secretary(user)
    context = {
        "meeting": meeting,
        "agenda": list(meeting.agenda.select_related("topic", "reporting_unit")),
        "people": [
            {
                "attendance": a,
                "can_sign_in": signing
                and not a.signed_in_at
                and (secretary or a.person_id == user.pk),
            }
            for a in people
        ],
        "signed_in": sum(1 for a in people if a.signed_in_at),
        "mine": mine,
        "steps": _step_list(user, meeting, mine, bound),
        "can_show_qr": secretary and meeting.state != M.CANCELLED,
        "minutes": Minutes.objects.filter(meeting=meeting).first(),
        "can_draft_minutes": secretary and meeting.state == M.HELD,
        "history": history(meeting),
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


def _meeting(request, pk):
    queryset = Meeting.objects.select_related("meeting_type", "room", "presider", "created_by")
    return selectors.meeting_get_or_404(request.user, pk, queryset)


def meeting_detail(request, pk):
    return _page(request, _meeting(request, pk))


@require_POST
def meeting_act(request, pk, step):
    meeting = _meeting(request, pk)
    mine = meeting.attendances.filter(person=request.user).first()
    form = _step_form(step, mine, request.POST)
    if form.is_valid():
        try:
            STEPS[step][1](meeting, form.cleaned_data, request.user, client_ip(request))
        except (ValidationError, InvalidTransition) as exc:
            for message in _refusals(exc):
                form.add_error(None, message)
        else:
            messages.success(request, MESSAGES[step])
            return redirect("meetings:meeting-detail", meeting.pk)
    return _page(request, _meeting(request, pk), bound=(step, form), status=400)


@require_POST
def attendance_sign_in(request, pk, attendance):
    """签到 of one row: by the secretary at the door, or by the person themself."""
    meeting = _meeting(request, pk)
    row = meeting.attendances.select_related("person").filter(pk=attendance).first()
    if row is None:
        raise Http404("没有该参会人员。")
    try:
        att.sign_in(row, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(_refusals(exc)))
    else:
        messages.success(request, f"{row.person.real_name}已签到。")
    return redirect("meetings:meeting-detail", meeting.pk)


# --- 签到二维码 ------------------------------------------------------------------------------------


def meeting_qr(request, pk):
    """签到二维码 (secretaries): the signed link to the sign-in page, as an inline SVG to show on a
    screen or print at the door; it works from an hour before the meeting to its end."""
    meeting = _meeting(request, pk)
    if not can.is_secretary(request.user):
        raise PermissionDenied("只有秘书可以出示签到二维码。")
    if meeting.state == M.CANCELLED:
        raise Http404("会议已取消。")
    url = request.build_absolute_uri(
        reverse("meetings:meeting-sign-in", args=[att.sign_in_token(meeting)])
    )
    # segno writes only the modules' path data (no text from the URL or the user): safe markup.
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, svgclass="qr-code")
    opens, closes = att.sign_in_window(meeting)
    context = {"meeting": meeting, "url": url, "opens": opens, "closes": closes}
    context["svg"] = mark_safe(svg)  # noqa: S308
    return render(request, "meetings/meeting_qr.html", context)


def meeting_sign_in(request, token):
    """The QR code's link, for the invited person who scanned it: the page shows the meeting and
    a 签到 button (GET changes nothing); the POST signs them in."""
    status, error, meeting, mine = 200, "", None, None
    try:
        meeting = att.meeting_for_token(token)
        mine = meeting.attendances.filter(person=request.user).first()
        if mine is None:
            status, error = 403, "您不在本次会议的参会名单中，不能签到。请与会务人员联系。"
        elif request.method == "POST":
            att.sign_in(mine, actor=request.user, ip=client_ip(request))
            messages.success(request, "签到成功。")
            return redirect("meetings:meeting-sign-in", token)
    except ValidationError as exc:
        status, error = 400, " ".join(_refusals(exc))
    context = {"meeting": meeting, "mine": mine, "error": error, "token": token}
    return render(request, "meetings/meeting_sign_in.html", context, status=status)


# --- 会议日程 (calendar) ----------------------------------------------------------------------------


def _day(text, default):
    if text and len(text) == 7:  # ?month=2026-11
        text += "-01"
    try:
        return datetime.date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _between(user, first, last):
    """The meetings the user may see that start on the days first…last (local time)."""
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(1), datetime.time.min)
    )
    meetings = _for_list(selectors.meetings_visible_to(user), user).filter(
        starts_at__gte=start, starts_at__lt=end
    )
    by_day = {}
    for meeting in meetings.order_by("starts_at", "room__name", "id"):
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    return by_day


def _column(day, by_day, today):
    return {
        "date": day,
        "weekday": WEEKDAYS[day.weekday()],
        "meetings": by_day.get(day, []),
        "today": day == today,
        "rest": not is_working_day(day),
    }


def meeting_calendar(request):
    """会议日程: ?week=2026-11-23 (any day of the week) shows Monday to Sunday; ?view=month shows
    that day's month."""
    today = timezone.localdate()
    day = _day(request.GET.get("week") or request.GET.get("month"), today)
    if request.GET.get("view") == "month":
        return _month(request, day, today)
    monday = day - datetime.timedelta(days=day.weekday())
    by_day = _between(request.user, monday, monday + datetime.timedelta(6))
    context = {
        "monday": monday,
        "sunday": monday + datetime.timedelta(6),
        "days": [_column(monday + datetime.timedelta(i), by_day, today) for i in range(7)],
        "previous": monday - datetime.timedelta(7),
        "next": monday + datetime.timedelta(7),
        "this_week": today - datetime.timedelta(days=today.weekday()),
    }
    return render(request, "meetings/calendar_week.html", context)


def _month(request, day, today):
    first = day.replace(day=1)
    following = (first + datetime.timedelta(32)).replace(day=1)
    grid_start = first - datetime.timedelta(first.weekday())
    grid_end = following - datetime.timedelta(1)
    grid_end += datetime.timedelta(6 - grid_end.weekday())
    by_day = _between(request.user, grid_start, grid_end)
    days = [
        {**_column(grid_start + datetime.timedelta(i), by_day, today), "other_month": False}
        for i in range((grid_end - grid_start).days + 1)
    ]
    for cell in days:
        cell["other_month"] = cell["date"].month != first.month
    context = {
        "first": first,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "weekdays": WEEKDAYS,
        "previous": (first - datetime.timedelta(1)).replace(day=1),
        "next": following,
        "this_month": today.replace(day=1),
    }
    return render(request, "meetings/calendar_month.html", context)


urlpatterns = [
    path("", meeting_list, name="meeting-list"),
    path("new/", meeting_new, name="meeting-new"),
    path("mine/", my_schedule, name="my-schedule"),
    path("calendar/", meeting_calendar, name="meeting-calendar"),
    path("sign-in/<str:token>/", meeting_sign_in, name="meeting-sign-in"),
    path("<int:pk>/", meeting_detail, name="meeting-detail"),
    path("<int:pk>/qr/", meeting_qr, name="meeting-qr"),
    path(
        "<int:pk>/attendance/<int:attendance>/sign-in/",
        attendance_sign_in,
        name="meeting-attendance-sign-in",
    ),
    # One URL per step, spelled out, so no catch-all shadows the other 办会 pages under <pk>/.
    *[
        path(f"<int:pk>/{step}/", meeting_act, {"step": step}, name=f"meeting-{step}")
        for step in STEPS
    ],
]
