"""Scheduling a meeting (安排会议): its time and room, its agenda from the pool, the people
invited, and the notice.

「不成熟不上会」: a topic that has not passed 会前协调 and 合法性审查 is refused, with what it lacks.
A room is never booked twice: bookings of one room are serialised by a lock on the room's row and
checked for overlap; on PostgreSQL an exclusion constraint (migration 0002) backs this up."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from office import trail
from office.models import User
from office.notifications import notify
from office.roles import Role

from . import permissions as can
from .models import AgendaItem, Attendance, Meeting, Room
from .workflow import TOPIC, meeting_url, missing_for_agenda

OVERLAP_CONSTRAINT = "meeting_room_no_overlap"


@dataclass(frozen=True)
class MeetingPlan:
    meeting_type: object
    title: str
    starts_at: object
    ends_at: object
    room: object
    presider: object
    topics: tuple = ()  # in agenda order
    attendees: tuple = ()  # 出席
    observers: tuple = ()  # 列席 besides the reporting units' heads, who are invited anyway
    press_invited: bool = False


def _when(meeting):
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return f"{start:%Y年%-m月%-d日 %H:%M}—{end:%H:%M}"


def _check(plan):
    if not plan.title.strip():
        raise ValidationError("请填写会议名称。")
    if plan.ends_at <= plan.starts_at:
        raise ValidationError("结束时间须晚于开始时间。")
    unready = [
        f"“{topic.title}”{'、'.join(missing)}"
        for topic in plan.topics
        if (missing := missing_for_agenda(topic))
    ]
    if unready:
        raise ValidationError("不成熟不上会：" + "；".join(unready) + "。")
    if len({t.pk for t in plan.topics}) != len(plan.topics):
        raise ValidationError("同一议题不能在一次会议上安排两次。")


def _clash(room, starts_at, ends_at):
    return (
        Meeting.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("starts_at")
        .first()
    )


def _booked_message(room, clash):
    return f"{room.name}在{_when(clash)}已安排“{clash.title}”，请另选会议室或时间。"


def _reporting_heads(topics):
    units = {t.submitting_unit_id for t in topics}
    return list(
        User.objects.filter(is_active=True, unit_id__in=units, groups__name=Role.UNIT_HEAD)
        .distinct()
        .order_by("id")
    )


def meeting_schedule(plan: MeetingPlan, *, actor, ip=None):
    """安排会议: the meeting, its agenda (the topics move to 已安排上会), the invitations (出席 and
    列席, the reporting units' heads among the 列席) and the notice to everyone invited."""
    if not can.can_schedule(actor):
        raise ValidationError("只有秘书可以安排会议。")
    _check(plan)
    try:
        with transaction.atomic():
            # Every booking of this room waits here for the one before it to commit.
            Room.objects.select_for_update().get(pk=plan.room.pk)
            clash = _clash(plan.room, plan.starts_at, plan.ends_at)
            if clash is not None:
                raise ValidationError(_booked_message(plan.room, clash))
            meeting = Meeting.objects.create(
                meeting_type=plan.meeting_type,
                title=plan.title.strip(),
                starts_at=plan.starts_at,
                ends_at=plan.ends_at,
                room=plan.room,
                presider=plan.presider,
                press_invited=plan.press_invited,
                created_by=actor,
            )
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    meeting=meeting,
                    topic=topic,
                    position=position,
                    reporting_unit_id=topic.submitting_unit_id,
                )
                for position, topic in enumerate(plan.topics, 1)
            )
            for topic in plan.topics:
                TOPIC.perform(topic, "schedule", actor=actor, opinion=meeting.title, ip=ip)
            invited = _invite(meeting, plan)
            trail.record(
                action="schedule_meeting",
                action_label="安排会议",
                actor=actor,
                obj=meeting,
                opinion=f"{_when(meeting)}，{plan.room.name}",
                to_state=Meeting.State.PLANNED.label,
                ip=ip,
            )
            notify(
                invited,
                title=f"会议通知：{meeting.title}",
                body=f"{_when(meeting)}在{plan.room.name}召开，请回复参加或请假。",
                url=meeting_url(meeting),
                obj=meeting,
            )
    except IntegrityError as exc:
        if OVERLAP_CONSTRAINT not in str(exc):
            raise
        clash = _clash(plan.room, plan.starts_at, plan.ends_at)
        raise ValidationError(
            _booked_message(plan.room, clash) if clash else f"{plan.room.name}该时段已被预订。"
        ) from exc
    return meeting


def _invite(meeting, plan):
    """出席: the presider and the attendees; 列席: the observers and the reporting units' heads."""
    attendees = list(dict.fromkeys([plan.presider, *plan.attendees]))
    taken = {u.pk for u in attendees}
    observers = [
        u
        for u in dict.fromkeys([*plan.observers, *_reporting_heads(plan.topics)])
        if u.pk not in taken
    ]
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person=u, role=Attendance.Role.ATTENDEE) for u in attendees]
        + [Attendance(meeting=meeting, person=u, role=Attendance.Role.OBSERVER) for u in observers]
    )
    return attendees + observers
