"""Who sees which topics, meetings and minutes (meetings/selectors.py)."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from meetings import minutes as mins
from meetings import selectors
from meetings import workflow as flow
from meetings.models import Room
from meetings.scheduling import MeetingPlan, meeting_schedule
from tests.conftest import make_user
from tests.meetings.test_topic_workflow import Build


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


def test_topics_for_the_office_the_unit_the_units_asked_and_the_legal_adviser(
    build, personas, units
):
    topic = build.submitted()
    assert list(selectors.topics_visible_to(personas["secretary"])) == [topic]
    assert list(selectors.topics_visible_to(personas["handler_a"])) == [topic]  # its unit's
    assert not selectors.topics_visible_to(personas["handler_b"]).exists()
    flow.coordinate(topic, actor=personas["secretary"], units=[units["b"]])
    assert list(selectors.topics_visible_to(personas["handler_b"])) == [topic]  # asked
    outside_lawyer = make_user("wailv", "外聘律师", unit=units["b"], roles=[])
    from meetings.models import LegalAdviser

    LegalAdviser.objects.create(user=outside_lawyer)
    assert not selectors.topics_visible_to(outside_lawyer).exists()
    flow.give_opinion(topic, actor=personas["handler_b"], agrees=True, opinion="")
    flow.finish_coordination(topic, actor=personas["secretary"])
    assert list(selectors.topics_visible_to(outside_lawyer)) == [topic]  # waiting for review
    for nobody in ("outsider", "sysadmin"):
        with pytest.raises(Http404):
            selectors.topic_get_or_404(personas[nobody], topic.pk)


def test_meetings_for_the_office_and_those_invited_minutes_also_for_units_named(
    build, personas, units
):
    starts = timezone.now() - datetime.timedelta(hours=3)
    meeting = meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title="市政府第12次常务会议",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            room=Room.objects.create(name="第一会议室"),
            presider=personas["leader"],
            topics=(build.admitted(),),
        ),
        actor=personas["secretary"],
    )
    assert selectors.meeting_get_or_404(personas["head_a"], meeting.pk) == meeting  # 列席
    with pytest.raises(Http404):
        selectors.meeting_get_or_404(personas["handler_b"], meeting.pk)
    flow.hold(meeting, actor=personas["secretary"])
    minutes = mins.draft(meeting, actor=personas["secretary"])
    mins.revise(
        minutes,
        actor=personas["secretary"],
        body="正文。",
        decisions=[
            mins.Decision(
                content="市住建局牵头落实。",
                lead_unit=units["b"],
                leader=personas["leader"],
                deadline=timezone.localdate(),
            )
        ],
    )
    for concerned in ("handler_b", "head_a"):  # a draft is not yet what the meeting decided
        with pytest.raises(Http404):
            selectors.minutes_get_or_404(personas[concerned], minutes.pk)
    mins.submit(minutes, actor=personas["secretary"])
    mins.sign_off(minutes, actor=personas["leader"])
    assert selectors.minutes_get_or_404(personas["handler_b"], minutes.pk) == minutes
    assert selectors.minutes_get_or_404(personas["head_a"], minutes.pk) == minutes
    with pytest.raises(Http404):
        selectors.minutes_get_or_404(personas["outsider"], minutes.pk)
