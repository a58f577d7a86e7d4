"""Attendance and the meeting's own steps: answering the notice (参加 / 请假 with reason and
substitute), signing in at the door or through the QR link within its window, holding and
cancelling a meeting (its topics go back to the pool, its room is free)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings import attendance as att
from meetings import workflow as flow
from meetings.models import Attendance, Meeting, Room, Topic
from meetings.scheduling import MeetingPlan, meeting_schedule
from office.models import Notification
from tests.conftest import make_user
from tests.meetings.test_topic_workflow import Build
from tests.steps import events, fresh, told


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


@pytest.fixture
def meeting(build, personas):
    starts = timezone.now() + datetime.timedelta(days=2)
    room = Room.objects.create(name="市政府第一会议室")
    return meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title="市政府第12次常务会议",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            room=room,
            presider=personas["leader"],
            topics=(build.admitted(),),
            attendees=(personas["supervisor"],),
        ),
        actor=personas["secretary"],
    )


def invitation(meeting, person):
    return meeting.attendances.get(person=person)


def test_an_attendee_confirms(meeting, personas):
    mine = att.answer(
        invitation(meeting, personas["supervisor"]), actor=personas["supervisor"], attends=True
    )
    assert mine.answer == Attendance.Answer.CONFIRMED
    assert events(meeting, "confirm").get().opinion == "赵督查"


def test_leave_needs_a_reason_and_a_substitute_is_invited_in_the_same_role(
    meeting, personas, units
):
    mine = invitation(meeting, personas["supervisor"])
    with pytest.raises(ValidationError, match="请假须填写事由"):
        att.answer(mine, actor=personas["supervisor"], attends=False, reason=" ")
    deputy = make_user("fuducha", "钱副督查", unit=units["office"], roles=["supervisor"])
    att.answer(
        mine, actor=personas["supervisor"], attends=False, reason="赴省开会。", substitute=deputy
    )
    mine.refresh_from_db()
    assert (mine.answer, mine.leave_reason, mine.substitute) == ("leave", "赴省开会。", deputy)
    assert invitation(meeting, deputy).role == Attendance.Role.ATTENDEE
    assert events(meeting, "leave").get().opinion == "赵督查：赴省开会。（由钱副督查代会）"
    assert told(personas["secretary"], meeting, "请假")
    assert told(deputy, meeting, "代会通知")


def test_only_the_person_or_a_secretary_answers(meeting, personas):
    with pytest.raises(PermissionDenied, match="只能为自己回复会议通知"):
        att.answer(
            invitation(meeting, personas["supervisor"]), actor=personas["head_a"], attends=True
        )
    att.answer(
        invitation(meeting, personas["supervisor"]), actor=personas["secretary"], attends=True
    )
    assert invitation(meeting, personas["supervisor"]).answer == "confirmed"


def test_sign_in_only_within_its_window_and_once(meeting, personas):
    mine = invitation(meeting, personas["supervisor"])
    too_early = meeting.starts_at - datetime.timedelta(hours=1, minutes=1)
    with pytest.raises(ValidationError, match="不在签到时间内"):
        att.sign_in(mine, actor=personas["supervisor"], now=too_early)
    at_the_door = meeting.starts_at - datetime.timedelta(minutes=10)
    att.sign_in(mine, actor=personas["secretary"], now=at_the_door)
    assert mine.signed_in_at == at_the_door
    with pytest.raises(ValidationError, match="赵督查已签到"):
        att.sign_in(mine, actor=personas["supervisor"], now=at_the_door)
    assert events(meeting, "sign_in").count() == 1
    with pytest.raises(PermissionDenied):
        att.sign_in(
            invitation(meeting, personas["leader"]), actor=personas["supervisor"], now=at_the_door
        )


def test_the_qr_link_opens_only_its_meeting_within_the_window(meeting):
    token = att.sign_in_token(meeting)
    assert att.meeting_for_token(token, now=meeting.starts_at) == meeting
    with pytest.raises(ValidationError, match="已过期或尚未生效"):
        att.meeting_for_token(token, now=meeting.ends_at + datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="签到二维码无效"):
        att.meeting_for_token(token[:-2] + "xx", now=meeting.starts_at)


def test_cancelling_returns_the_topics_to_the_pool_and_frees_the_room(build, meeting, personas):
    topic = meeting.agenda.get().topic
    with pytest.raises(ValidationError, match="请填写取消原因"):
        flow.cancel(meeting, actor=personas["secretary"], reason="")
    flow.cancel(meeting, actor=personas["secretary"], reason="主持领导另有公务。")
    assert fresh(meeting).state == Meeting.State.CANCELLED
    assert fresh(topic).state == Topic.State.ADMITTED
    assert Notification.objects.filter(title="会议取消：市政府第12次常务会议").count() == 3
    again = meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title="市政府第12次常务会议（改期）",
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            room=meeting.room,
            presider=personas["leader"],
            topics=(fresh(topic),),
        ),
        actor=personas["secretary"],
    )
    assert again.agenda.get().topic == topic
    with pytest.raises(ValidationError, match="会议已取消，不能再回复"):
        att.answer(
            invitation(meeting, personas["supervisor"]), actor=personas["supervisor"], attends=True
        )


def test_a_meeting_is_held_only_once_it_has_begun(meeting, personas):
    with pytest.raises(ValidationError, match="会议尚未开始"):
        flow.hold(meeting, actor=personas["secretary"])
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    meeting = fresh(meeting)
    with pytest.raises(PermissionDenied):
        flow.hold(meeting, actor=personas["leader"])
    flow.hold(meeting, actor=personas["secretary"])
    assert fresh(meeting).state == Meeting.State.HELD
