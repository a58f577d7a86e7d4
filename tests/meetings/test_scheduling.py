"""Scheduling a meeting (meetings/scheduling.py): the agenda comes only from the pool (「不成熟不上会」),
a room is never booked twice — also when two secretaries book at the same moment, and also for a
row written past the service on PostgreSQL — and everyone invited gets the notice."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Meeting, Room, Topic
from meetings.scheduling import MeetingPlan, meeting_schedule
from office.models import Notification
from tests.concurrency import race
from tests.meetings.test_topic_workflow import Build
from tests.steps import events, fresh

S = Topic.State


def at(hour, minute=0, day=26):
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour, minute))


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


@pytest.fixture
def room(db):
    return Room.objects.create(name="市政府第一会议室", location="市政府大楼三楼", capacity=40)


NINE, ELEVEN = at(9), at(11)


def plan(build, room, *, topics=(), starts=NINE, ends=ELEVEN, title="市政府第12次常务会议"):
    return MeetingPlan(
        meeting_type=build.executive,
        title=title,
        starts_at=starts,
        ends_at=ends,
        room=room,
        presider=build.p["leader"],
        topics=tuple(topics),
        attendees=(build.p["supervisor"],),
    )


def test_a_meeting_with_topics_from_the_pool(build, room, personas, units):
    first, second = build.admitted(), build.admitted()
    meeting = meeting_schedule(
        plan(build, room, topics=[second, first]), actor=personas["secretary"]
    )
    assert [(a.position, a.topic, a.reporting_unit) for a in meeting.agenda.all()] == [
        (1, second, units["a"]),
        (2, first, units["a"]),
    ]
    assert {fresh(first).state, fresh(second).state} == {S.SCHEDULED}
    assert events(first, "schedule").get().opinion == "市政府第12次常务会议"
    roles = {(a.person, a.role) for a in meeting.attendances.all()}
    assert roles == {
        (personas["leader"], Attendance.Role.ATTENDEE),
        (personas["supervisor"], Attendance.Role.ATTENDEE),
        (personas["head_a"], Attendance.Role.OBSERVER),  # the reporting unit's head 列席
    }
    notices = Notification.objects.filter(title="会议通知：市政府第12次常务会议")
    assert {n.recipient for n in notices} == {
        personas["leader"],
        personas["supervisor"],
        personas["head_a"],
    }
    assert "2026年11月26日 09:00—11:00在市政府第一会议室召开" in notices.first().body


def test_a_topic_not_through_coordination_and_legal_review_is_refused(build, room, personas):
    ready, early, reviewing = build.admitted(), build.coordinating(), build.in_legal_review()
    with pytest.raises(ValidationError) as refused:
        meeting_schedule(
            plan(build, room, topics=[ready, early, reviewing]), actor=personas["secretary"]
        )
    message = refused.value.messages[0]
    assert message.startswith("不成熟不上会：")
    assert f"“{early.title}”尚未完成会前协调、尚未通过合法性审查" in message
    assert f"“{reviewing.title}”尚未通过合法性审查" in message
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()
    assert fresh(ready).state == S.ADMITTED


def test_an_overlapping_booking_of_the_room_is_refused_and_the_next_slot_is_free(
    build, room, personas
):
    meeting_schedule(plan(build, room), actor=personas["secretary"])
    with pytest.raises(
        ValidationError,
        match="市政府第一会议室在2026年11月26日 09:00—11:00已安排“市政府第12次常务会议”",
    ):
        meeting_schedule(
            plan(build, room, starts=at(10, 30), ends=at(12), title="专题会议"),
            actor=personas["secretary"],
        )
    meeting_schedule(  # from the end of the first: free
        plan(build, room, starts=at(11), ends=at(12), title="专题会议"), actor=personas["secretary"]
    )
    other = Room.objects.create(name="市政府第二会议室")
    meeting_schedule(plan(build, other, title="市长办公会议"), actor=personas["secretary"])
    assert Meeting.objects.count() == 3


def test_bad_times_and_people_are_refused(build, room, personas):
    with pytest.raises(ValidationError, match="结束时间须晚于开始时间"):
        meeting_schedule(plan(build, room, starts=at(11), ends=at(9)), actor=personas["secretary"])
    with pytest.raises(ValidationError, match="只有秘书可以安排会议"):
        meeting_schedule(plan(build, room), actor=personas["leader"])
    assert not Meeting.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_booking_the_room_at_once_get_one_meeting(personas, units):
    from tests.conftest import make_user

    build = Build(personas, units)
    room = Room.objects.create(name="市政府第一会议室")
    other = make_user("mishu2", "李秘书", unit=units["secretariat"], roles=["secretary"])
    people, lock = [personas["secretary"], other], threading.Lock()

    def book():
        with lock:
            secretary = people.pop()
        try:
            meeting_schedule(
                plan(build, room, title=f"{secretary.real_name}安排的会议"), actor=secretary
            )
        except ValidationError:
            return "refused"
        return "booked"

    assert sorted(race(book, 2)) == ["booked", "refused"]
    assert Meeting.objects.count() == 1


def test_the_database_refuses_an_overlap_written_past_the_service(build, room, personas):
    values = dict(
        meeting_type=build.executive,
        room=room,
        presider=personas["leader"],
        created_by=personas["secretary"],
    )
    Meeting.objects.create(title="第一个", starts_at=at(9), ends_at=at(11), **values)
    with pytest.raises(IntegrityError, match="meeting_room_no_overlap"), transaction.atomic():
        Meeting.objects.create(title="第二个", starts_at=at(10), ends_at=at(12), **values)
    # A cancelled meeting frees its slot.
    Meeting.objects.create(
        title="已取消的", starts_at=at(14), ends_at=at(16), state=Meeting.State.CANCELLED, **values
    )
    Meeting.objects.create(title="补上的", starts_at=at(14), ends_at=at(16), **values)
    assert Meeting.objects.count() == 3
