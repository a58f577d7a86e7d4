"""How 办会 shows on the shell's desk (工作台): topics waiting for the user, invitations still to
answer, and minutes the user presided over waiting for sign-off."""

from django.urls import reverse
from django.utils import timezone

from office.calendar import Light
from office.registry import DeskItem

from . import selectors
from .models import Attendance, Minutes, Topic

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
            meeting__state__in=("planned", "notified"),
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
    return items
