"""Attendance (出席/列席): each invitee answers the notice — 参加, or 请假 with a reason and maybe a
substitute (代会) — and signs in at the meeting: at the door by the secretary, or on the phone
through the QR code, a signed link that works only from an hour before the meeting to its end."""

import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from office import trail
from office.notifications import notify

from . import permissions as can
from .models import Attendance, Meeting
from .workflow import _secretaries, meeting_url

OPEN = (Meeting.State.PLANNED,)
SIGN_IN_OPENS = datetime.timedelta(hours=1)
SIGN_IN_NAMESPACE = "meetings.sign-in"


def _for_self_or_secretary(actor, attendance, what):
    if attendance.person_id != actor.pk and not can.is_secretary(actor):
        raise PermissionDenied(f"只能为自己{what}（秘书可代为登记）。")


def answer(attendance, *, actor, attends, reason="", substitute=None, ip=None):
    """参加 or 请假: a leave needs its reason; a substitute (代会人员) is invited in the same role."""
    _for_self_or_secretary(actor, attendance, "回复会议通知")
    meeting = attendance.meeting
    if meeting.state not in OPEN:
        raise ValidationError(f"会议{meeting.get_state_display()}，不能再回复。")
    reason = (reason or "").strip()
    if not attends and not reason:
        raise ValidationError("请假须填写事由。")
    if substitute is not None and (attends or substitute.pk == attendance.person_id):
        raise ValidationError("代会人员只在请假时指定，且不能是本人。")
    with transaction.atomic():
        attendance.answer = Attendance.Answer.CONFIRMED if attends else Attendance.Answer.LEAVE
        attendance.leave_reason = "" if attends else reason
        attendance.substitute = None if attends else substitute
        attendance.save(update_fields=["answer", "leave_reason", "substitute"])
        name = attendance.person.real_name
        if attends:
            trail.record(
                action="confirm",
                action_label="确认参会",
                actor=actor,
                obj=meeting,
                opinion=name,
                ip=ip,
            )
            return attendance
        note = f"{name}：{reason}" + (f"（由{substitute.real_name}代会）" if substitute else "")
        trail.record(
            action="leave", action_label="请假", actor=actor, obj=meeting, opinion=note, ip=ip
        )
        if substitute is not None:
            Attendance.objects.get_or_create(
                meeting=meeting, person=substitute, defaults={"role": attendance.role}
            )
            notify(
                [substitute],
                title=f"代会通知：{meeting.title}",
                body=note,
                url=meeting_url(meeting),
                obj=meeting,
            )
        notify(
            _secretaries(),
            title=f"请假：{meeting.title}",
            body=note,
            url=meeting_url(meeting),
            obj=meeting,
        )
    return attendance


def sign_in_window(meeting):
    return meeting.starts_at - SIGN_IN_OPENS, meeting.ends_at


def sign_in(attendance, *, actor, now=None, ip=None):
    """签到, by the person or by the secretary at the door, between an hour before the meeting and
    its end; a second sign-in changes nothing."""
    _for_self_or_secretary(actor, attendance, "签到")
    now = now or timezone.now()
    opens, closes = sign_in_window(attendance.meeting)
    if not opens <= now <= closes or attendance.meeting.state == Meeting.State.CANCELLED:
        raise ValidationError("不在签到时间内（会前 1 小时至会议结束）。")
    with transaction.atomic():
        updated = Attendance.objects.filter(pk=attendance.pk, signed_in_at__isnull=True).update(
            signed_in_at=now
        )
        if not updated:
            raise ValidationError(f"{attendance.person.real_name}已签到。")
        trail.record(
            action="sign_in",
            action_label="签到",
            actor=actor,
            obj=attendance.meeting,
            opinion=attendance.person.real_name,
            ip=ip,
        )
    attendance.refresh_from_db()
    return attendance


def sign_in_token(meeting):
    """The QR code's token: the meeting, signed; it opens only within the sign-in window."""
    return signing.dumps({"meeting": meeting.pk}, salt=SIGN_IN_NAMESPACE, compress=True)


def meeting_for_token(token, *, now=None):
    """The meeting a sign-in link is for, or ValidationError: forged, or outside its window."""
    try:
        data = signing.loads(token, salt=SIGN_IN_NAMESPACE)
    except signing.BadSignature:
        raise ValidationError("签到二维码无效。") from None
    meeting = Meeting.objects.filter(pk=data.get("meeting")).first()
    if meeting is None or meeting.state == Meeting.State.CANCELLED:
        raise ValidationError("该会议不存在或已取消。")
    opens, closes = sign_in_window(meeting)
    if not opens <= (now or timezone.now()) <= closes:
        raise ValidationError("签到二维码已过期或尚未生效（会前 1 小时至会议结束有效）。")
    return meeting
