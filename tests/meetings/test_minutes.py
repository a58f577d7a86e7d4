"""会议纪要 (meetings/minutes.py): drafted from the agenda after the meeting is held, decided items
saved (twice saves one set), reviewed, signed off by the presider with the series' next issue
number, 印发 to the units concerned, filed; refusals change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings import minutes as mins
from meetings import workflow as flow
from meetings.models import DecidedItem, Meeting, Minutes, Room
from meetings.scheduling import MeetingPlan, meeting_schedule
from office.models import SerialNumber
from office.workflow import InvalidTransition
from tests.meetings.test_topic_workflow import Build
from tests.steps import assert_step, fresh, told

S = Minutes.State


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


def held_meeting(build, personas, *, title="市政府第12次常务会议", hours_ago=3):
    starts = timezone.now() - datetime.timedelta(hours=hours_ago)
    room, _ = Room.objects.get_or_create(name="市政府第一会议室")
    meeting = meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            room=room,
            presider=personas["leader"],
            topics=(build.admitted(),),
        ),
        actor=personas["secretary"],
    )
    flow.hold(meeting, actor=personas["secretary"])
    return fresh(meeting)


def decisions(build, units, personas, n=2):
    return [
        mins.Decision(
            content=f"第{i}项：由市教育局牵头制定实施方案，报市政府审定。",
            lead_unit=units["a"],
            leader=personas["leader"],
            deadline=timezone.localdate() + datetime.timedelta(days=30),
            co_units=(units["b"],),
        )
        for i in range(1, n + 1)
    ]


def test_minutes_are_drafted_from_the_agenda_only_after_the_meeting(build, personas):
    starts = timezone.now() + datetime.timedelta(days=1)
    room = Room.objects.create(name="市政府第二会议室")
    future = meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title="市政府第13次常务会议",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            room=room,
            presider=personas["leader"],
        ),
        actor=personas["secretary"],
    )
    with pytest.raises(ValidationError, match="会议召开后才能起草纪要"):
        mins.draft(future, actor=personas["secretary"])
    meeting = held_meeting(build, personas)
    minutes = mins.draft(meeting, actor=personas["secretary"])
    lines = minutes.body.splitlines()
    assert "主持召开市政府第12次常务会议" in lines[0] and "副市长李副市长" in lines[0]
    assert lines[1] == "一、关于调整全市中小学课后服务收费标准的请示"
    assert lines[2].startswith(
        "会议听取了珠海市教育局关于调整全市中小学课后服务收费标准的请示的汇报"
    )
    with pytest.raises(ValidationError, match="该会议已有纪要"):
        mins.draft(meeting, actor=personas["secretary"])


def test_decided_items_saved_twice_are_one_set(build, personas, units):
    minutes = mins.draft(held_meeting(build, personas), actor=personas["secretary"])
    for _ in range(2):
        mins.revise(
            minutes,
            actor=personas["secretary"],
            body="纪要正文。",
            decisions=decisions(build, units, personas),
        )
    assert list(minutes.decided_items.values_list("position", flat=True)) == [1, 2]
    assert DecidedItem.objects.count() == 2
    assert list(minutes.decided_items.first().co_units.all()) == [units["b"]]
    missing = [
        mins.Decision(
            content="没有期限", lead_unit=units["a"], leader=personas["leader"], deadline=None
        )
    ]
    with pytest.raises(ValidationError, match="第1项议定事项须有责任单位、责任领导和完成时限"):
        mins.revise(minutes, actor=personas["secretary"], body="纪要正文。", decisions=missing)
    assert DecidedItem.objects.count() == 2


def test_review_sign_off_with_the_next_issue_number_dispatch_and_file(build, personas, units):
    year = timezone.localdate().year
    first = mins.draft(held_meeting(build, personas, hours_ago=30), actor=personas["secretary"])
    mins.revise(
        first,
        actor=personas["secretary"],
        body="正文。",
        decisions=decisions(build, units, personas),
    )
    mins.submit(first, actor=personas["secretary"])
    assert told(personas["leader"], first, "请审签纪要")
    mins.return_minutes(first, actor=personas["leader"], opinion="第二项请写明资金来源。")
    assert fresh(first).state == S.RETURNED and told(personas["secretary"], first, "退回修改")
    mins.submit(first, actor=personas["secretary"])
    with pytest.raises(PermissionDenied):
        mins.sign_off(first, actor=personas["secretary"])  # not the presider
    mins.sign_off(first, actor=personas["leader"])
    first = fresh(first)
    assert (first.state, first.issue_number, first.issue_text) == (S.SIGNED, 1, f"{year}年第1期")
    # The issue's year is the year of the signing moment itself (one `now` for both).
    assert first.issue_year == timezone.localtime(first.signed_at).year == year
    assert_step(
        first,
        "sign_off",
        personas["leader"],
        ("审核中", "已签发"),
        f"市政府常务会议纪要 {year}年第1期",
    )

    second = mins.draft(
        held_meeting(build, personas, title="市政府第13次常务会议"), actor=personas["secretary"]
    )
    mins.submit(second, actor=personas["secretary"])
    mins.sign_off(second, actor=personas["leader"])
    assert fresh(second).issue_text == f"{year}年第2期"
    assert SerialNumber.objects.filter(key="市政府常务会议纪要").count() == 2

    mins.dispatch(first, actor=personas["secretary"])
    assert told(personas["handler_a"], first, "会议纪要印发") and told(
        personas["handler_b"], first, "会议纪要印发"
    )
    mins.file(first, actor=personas["secretary"])
    assert fresh(first).state == S.FILED and fresh(first).filed_on == timezone.localdate()


def test_signed_minutes_are_read_only_and_steps_in_the_wrong_state_are_refused(
    build, personas, units
):
    minutes = mins.draft(held_meeting(build, personas), actor=personas["secretary"])
    with pytest.raises(InvalidTransition, match="当前状态为“起草中”，不能执行“签发”"):
        mins.sign_off(minutes, actor=personas["leader"])
    mins.submit(minutes, actor=personas["secretary"])
    mins.sign_off(minutes, actor=personas["leader"])
    with pytest.raises(ValidationError, match="只有起草中或退回修改的纪要可以修改"):
        mins.revise(minutes, actor=personas["secretary"], body="改。", decisions=[])
    with pytest.raises(InvalidTransition):
        mins.sign_off(fresh(minutes), actor=personas["leader"])
    assert SerialNumber.objects.count() == 1


def test_decided_items_of_signed_minutes_are_offered_to_supervision(build, personas, units):
    draft_only = mins.draft(
        held_meeting(build, personas, hours_ago=30), actor=personas["secretary"]
    )
    mins.revise(
        draft_only,
        actor=personas["secretary"],
        body="正文。",
        decisions=decisions(build, units, personas, 1),
    )
    signed = mins.draft(
        held_meeting(build, personas, title="市政府第13次常务会议"), actor=personas["secretary"]
    )
    mins.revise(
        signed,
        actor=personas["secretary"],
        body="正文。",
        decisions=decisions(build, units, personas, 2),
    )
    mins.submit(signed, actor=personas["secretary"])
    mins.sign_off(signed, actor=personas["leader"])
    offered = list(mins.decided_items_to_supervise())
    assert [(i.minutes_id, i.position) for i in offered] == [(signed.pk, 1), (signed.pk, 2)]
    assert fresh(draft_only).meeting.state == Meeting.State.HELD


def test_signing_the_minutes_marks_the_topics_decided_except_a_deferred_one(build, personas):
    from meetings.models import Topic

    starts = timezone.now() - datetime.timedelta(hours=3)
    decided, put_off = build.admitted(), build.admitted()
    meeting = meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title="市政府第12次常务会议",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            room=Room.objects.create(name="第一会议室"),
            presider=personas["leader"],
            topics=(decided, put_off),
        ),
        actor=personas["secretary"],
    )
    flow.hold(meeting, actor=personas["secretary"])
    with pytest.raises(ValidationError, match="请填写缓议原因"):
        flow.defer(fresh(put_off), actor=personas["secretary"], reason="")
    flow.defer(fresh(put_off), actor=personas["secretary"], reason="待补充调研后再议。")
    minutes = mins.draft(fresh(meeting), actor=personas["secretary"])
    mins.submit(minutes, actor=personas["secretary"])
    mins.sign_off(minutes, actor=personas["leader"])
    assert fresh(decided).state == Topic.State.DECIDED
    assert fresh(put_off).state == Topic.State.DEFERRED
    flow.readmit(fresh(put_off), actor=personas["secretary"])
    assert fresh(put_off).state == Topic.State.ADMITTED
