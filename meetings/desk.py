"""How 办会 shows on the shell's desk (工作台): topics waiting for the user, invitations still to
answer, minutes the user presided over waiting for sign-off, and — for a unit's handlers and head —
dispatched minutes their unit has not yet signed for (待签收纪要, red once past the deadline)."""

from django.urls import reverse
from django.utils import timezone

from office.calendar import Light
from office.permissions import scope_for
from office.registry import DeskItem

from . import selectors
from .models import Attendance, Meeting, Minutes, MinutesReceipt, Topic
from .permissions import SIGNING_ROLES

DESK_LIMIT = 20


def meetings_desk_items(user):
    items = []
    for topic in selectors.topic_todo(user).order_by("submitted_at")[:DESK_LIMIT]:
        items.append(
            DeskItem(
                app_label="议题",
                title=topic.title,
                url=reverse("meetings:topic-detail", args=[topic.pk]),
                light=Light.GREEN,
                state_label=Topic.State(topic.state).label,
            )
        )
    invitations = (
        Attendance.objects.filter(
            person=user,
            answer=Attendance.Answer.PENDING,
            meeting__starts_at__gte=timezone.now(),
            meeting__state=Meeting.State.PLANNED,
        )
        .select_related("meeting")
        .order_by("meeting__starts_at")[:DESK_LIMIT]
    )
    for invitation in invitations:
        meeting = invitation.meeting
        starts = timezone.localtime(meeting.starts_at)
        items.append(
            DeskItem(
                app_label="会议",
                title=f"{meeting.title}（{starts:%m-%d %H:%M}）",
                url=reverse("meetings:meeting-detail", args=[meeting.pk]),
                due=starts.date(),
                light=Light.YELLOW,
                state_label="请回复参加或请假",
            )
        )
    to_sign = Minutes.objects.filter(
        state=Minutes.State.IN_REVIEW, meeting__presider=user
    ).select_related("meeting")[:DESK_LIMIT]
    for minutes in to_sign:
        items.append(
            DeskItem(
                app_label="会议纪要",
                title=f"{minutes.meeting.title}纪要",
                url=reverse("meetings:minutes-detail", args=[minutes.pk]),
                light=Light.YELLOW,
                state_label="待签发",
            )
        )
    items.extend(_receipts_to_sign(user))
    return items


def _receipts_to_sign(user):
    """待签收纪要: receipts of the user's unit still unsigned, soonest deadline first."""
    scope = scope_for(user)
    if not scope.roles & set(SIGNING_ROLES):
        return []
    now = timezone.now()
    receipts = (
        MinutesReceipt.objects.filter(unit_id__in=scope.unit_ids, received_at__isnull=True)
        .select_related("minutes__meeting__meeting_type", "unit")
        .order_by("due_at", "id")[:DESK_LIMIT]
    )
    items = []
    for r in receipts:
        due = timezone.localtime(r.due_at)
        overdue = r.due_at < now
        items.append(
            DeskItem(
                app_label="会议纪要",
                title=f"{r.minutes.meeting.meeting_type.minutes_title} {r.minutes.issue_text}",
                url=reverse("meetings:minutes-detail", args=[r.minutes_id]),
                due=due.date(),
                light=Light.RED if overdue else Light.YELLOW,
                state_label=f"{'逾期未签收' if overdue else '待签收纪要'}（时限 {due:%m-%d %H:%M}）",
            )
        )
    return items
