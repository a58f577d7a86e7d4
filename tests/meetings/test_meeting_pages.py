"""会议 pages through the browser's eyes (Django's test client): scheduling through the form (the
service's refusals — 不成熟不上会, a booked room — come back in Chinese with the input kept),
answering the notice with a leave and a substitute, the secretary's 签到 at the door, the QR code and
the signed link it carries, the calendar, my schedule, and 404 for a meeting one was not invited to."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import attendance as att
from meetings.models import Attendance, Meeting, Room, Topic
from meetings.scheduling import MeetingPlan, meeting_schedule
from tests.conftest import make_user
from tests.meetings.test_topic_workflow import Build
from tests.steps import events, fresh, told


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


@pytest.fixture
def room(db):
    return Room.objects.create(name="市政府第一会议室", location="市政府大楼三楼", capacity=40)


def login(client, user):
    client.force_login(user)
    return client


def schedule(build, room, *, starts, hours=2, title="市政府第12次常务会议", topics=()):
    p = build.p
    return meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=hours),
            room=room,
            presider=p["leader"],
            topics=tuple(topics),
            attendees=(p["supervisor"],),
        ),
        actor=p["secretary"],
    )


def form_data(build, room, topics=(), **overrides):
    data = {
        "meeting_type": str(build.executive.pk),
        "title": "市政府第12次常务会议",
        "date": "2026-11-26",
        "starts": "09:00",
        "ends": "11:00",
        "room": str(room.pk),
        "presider": "",  # the type's default presider
        "topics": [str(t.pk) for t, _ in topics],
        "attendees": [str(build.p["supervisor"].pk)],
        "observers": [],
        "save": "",
    }
    data.update({f"order_{t.pk}": order for t, order in topics})
    data.update(overrides)
    return data


# --- 安排会议 --------------------------------------------------------------------------------------


def test_the_form_offers_the_pool_and_the_types_defaults(client, build, room, personas):
    ready, early = build.admitted(), build.coordinating()
    page = login(client, personas["secretary"]).get(
        reverse("meetings:meeting-new"), {"meeting_type": build.executive.pk}
    )
    assert page.status_code == 200
    assert ready.title in page.content.decode()
    offered = [row["topic"] for row in page.context["topic_rows"]]
    assert offered == [ready]  # 不成熟不上会: a topic still in coordination is not offered
    assert f'id="topic-{early.pk}"' not in page.content.decode()
    assert page.context["form"]["presider"].value() == personas["leader"].pk


def test_choosing_a_type_loads_its_presider_and_members_and_keeps_the_rest(
    client, build, room, personas
):
    build.executive.members.set([personas["supervisor"], personas["head_a"]])
    response = login(client, personas["secretary"]).post(
        reverse("meetings:meeting-new"),
        form_data(build, room, title="市政府第13次常务会议", attendees=[], load_type="1"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["presider"].value() == personas["leader"].pk
    assert sorted(int(pk) for pk in form["attendees"].value()) == sorted(
        [personas["supervisor"].pk, personas["head_a"].pk]
    )
    assert form["title"].value() == "市政府第13次常务会议"
    assert not form.errors and not Meeting.objects.exists()


def test_scheduling_through_the_form_orders_the_agenda_and_opens_the_meeting(
    client, build, room, personas, units
):
    first, second = build.admitted(), build.admitted()
    response = login(client, personas["secretary"]).post(
        reverse("meetings:meeting-new"),
        form_data(build, room, topics=[(first, "2"), (second, "1")]),
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting-detail", args=[meeting.pk])
    assert meeting.presider == personas["leader"]
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-11-26 09:00"
    assert [a.topic for a in meeting.agenda.all()] == [second, first]
    assert {fresh(first).state, fresh(second).state} == {Topic.State.SCHEDULED}
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "会议已安排，会议通知已发给参会人员。" in text
    assert "市政府第一会议室" in text and "李副市长" in text and second.title in text
    assert [row["attendance"].person for row in page.context["people"]] == [
        personas["leader"],
        personas["supervisor"],
        personas["head_a"],  # the reporting unit's head 列席
    ]


def test_an_unready_topic_is_refused_in_chinese_and_the_input_is_kept(
    client, build, room, personas
):
    ready, reviewing = build.admitted(), build.in_legal_review()
    response = login(client, personas["secretary"]).post(
        reverse("meetings:meeting-new"),
        form_data(build, room, topics=[(ready, "1"), (reviewing, "2")], title="专题会议"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert f"不成熟不上会：“{reviewing.title}”尚未通过合法性审查" in text
    assert 'value="专题会议"' in text
    assert f'name="order_{reviewing.pk}" value="2"' in text  # still ticked and numbered
    rows = {row["topic"]: row for row in response.context["topic_rows"]}
    assert rows[reviewing]["checked"] and not rows[reviewing]["in_pool"]
    assert not Meeting.objects.exists()
    assert fresh(ready).state == Topic.State.ADMITTED


def test_a_booked_room_is_refused(client, build, room, personas):
    schedule(build, room, starts=timezone.make_aware(datetime.datetime(2026, 11, 26, 9)))
    response = login(client, personas["secretary"]).post(
        reverse("meetings:meeting-new"),
        form_data(build, room, title="专题会议", starts="10:30", ends="12:00"),
    )
    assert response.status_code == 400
    assert "市政府第一会议室在2026年11月26日 09:00—11:00已安排“市政府第12次常务会议”" in (
        response.content.decode()
    )
    assert Meeting.objects.count() == 1


def test_only_secretaries_schedule(client, personas):
    assert login(client, personas["leader"]).get(reverse("meetings:meeting-new")).status_code == 403


# --- the meeting's page ---------------------------------------------------------------------------


@pytest.fixture
def meeting(build, room):
    return schedule(
        build,
        room,
        starts=timezone.now() + datetime.timedelta(minutes=30),
        topics=[build.admitted()],
    )


def test_an_attendee_asks_for_leave_with_a_substitute(client, meeting, personas, units):
    deputy = make_user("fuducha", "钱副督查", unit=units["office"], roles=["supervisor"])
    url = reverse("meetings:meeting-answer", args=[meeting.pk])
    login(client, personas["supervisor"])
    refused = client.post(url, {"answer-attends": "0", "answer-reason": " "})
    assert refused.status_code == 400
    assert "请假须填写事由。" in refused.content.decode()
    response = client.post(
        url,
        {"answer-attends": "0", "answer-reason": "赴省开会。", "answer-substitute": deputy.pk},
    )
    assert response.status_code == 302
    mine = meeting.attendances.get(person=personas["supervisor"])
    assert (mine.answer, mine.leave_reason, mine.substitute) == ("leave", "赴省开会。", deputy)
    assert meeting.attendances.get(person=deputy).role == Attendance.Role.ATTENDEE
    assert told(deputy, meeting, "代会通知")
    page = client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()
    assert "赴省开会。" in page and "钱副督查" in page


def test_the_secretary_signs_a_person_in_at_the_door(client, meeting, personas):
    row = meeting.attendances.get(person=personas["supervisor"])
    url = reverse("meetings:meeting-attendance-sign-in", args=[meeting.pk, row.pk])
    assert login(client, personas["secretary"]).post(url).status_code == 302
    row.refresh_from_db()
    assert row.signed_in_at is not None
    assert events(meeting, "sign_in").get().opinion == "赵督查"
    again = client.post(url, follow=True)
    assert "赵督查已签到。" in again.content.decode()


def test_someone_else_cannot_sign_a_person_in(client, meeting, personas):
    row = meeting.attendances.get(person=personas["supervisor"])
    url = reverse("meetings:meeting-attendance-sign-in", args=[meeting.pk, row.pk])
    assert login(client, personas["head_a"]).post(url).status_code == 403
    row.refresh_from_db()
    assert row.signed_in_at is None


def test_cancelling_needs_a_reason_and_frees_the_topics(client, meeting, personas):
    url = reverse("meetings:meeting-cancel", args=[meeting.pk])
    login(client, personas["secretary"])
    refused = client.post(url, {"cancel-reason": ""})
    assert refused.status_code == 400
    assert client.post(url, {"cancel-reason": "市长另有公务。"}).status_code == 302
    assert fresh(meeting).state == Meeting.State.CANCELLED
    assert {a.topic.state for a in meeting.agenda.all()} == {Topic.State.ADMITTED}


def test_holding_before_the_start_is_refused_on_the_page(client, meeting, personas):
    response = login(client, personas["secretary"]).post(
        reverse("meetings:meeting-hold", args=[meeting.pk])
    )
    assert response.status_code == 400
    assert "会议尚未开始，不能登记为已召开。" in response.content.decode()


def test_a_user_not_invited_gets_404(client, meeting, personas):
    login(client, personas["handler_b"])
    assert client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).status_code == 404
    cancel = client.post(reverse("meetings:meeting-cancel", args=[meeting.pk]), {"x": "1"})
    assert cancel.status_code == 404


# --- 签到二维码 ------------------------------------------------------------------------------------


def test_the_qr_page_shows_an_svg_of_the_sign_in_link(client, meeting, personas):
    page = login(client, personas["secretary"]).get(
        reverse("meetings:meeting-qr", args=[meeting.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and 'class="qr-code"' in text
    assert page.context["url"].startswith("http://testserver/meetings/sign-in/")
    assert (
        login(client, personas["supervisor"])
        .get(reverse("meetings:meeting-qr", args=[meeting.pk]))
        .status_code
        == 403
    )


def test_the_sign_in_link_signs_in_the_attendee(client, meeting, personas):
    url = reverse("meetings:meeting-sign-in", args=[att.sign_in_token(meeting)])
    login(client, personas["supervisor"])
    page = client.get(url)
    assert page.status_code == 200
    row = meeting.attendances.get(person=personas["supervisor"])
    assert fresh(row).signed_in_at is None  # looking changes nothing
    done = client.post(url, follow=True)
    assert "签到成功。" in done.content.decode()
    assert fresh(row).signed_in_at is not None


def test_the_sign_in_link_refuses_an_uninvited_user(client, meeting, personas):
    url = reverse("meetings:meeting-sign-in", args=[att.sign_in_token(meeting)])
    login(client, personas["handler_b"])
    response = client.post(url)
    assert response.status_code == 403
    assert "您不在本次会议的参会名单中" in response.content.decode()
    assert not Attendance.objects.filter(person=personas["handler_b"]).exists()


def test_the_sign_in_link_refuses_an_expired_or_forged_token(client, build, room, personas):
    yesterday = schedule(build, room, starts=timezone.now() - datetime.timedelta(days=1))
    login(client, personas["supervisor"])
    expired = client.post(reverse("meetings:meeting-sign-in", args=[att.sign_in_token(yesterday)]))
    assert expired.status_code == 400
    assert "签到二维码已过期或尚未生效" in expired.content.decode()
    assert yesterday.attendances.get(person=personas["supervisor"]).signed_in_at is None
    forged = client.get(reverse("meetings:meeting-sign-in", args=["forged:token"]))
    assert forged.status_code == 400
    assert "签到二维码无效。" in forged.content.decode()


# --- calendar, lists ------------------------------------------------------------------------------


def test_the_calendar_shows_the_meeting_in_its_week_only(client, build, room, personas):
    meeting = schedule(build, room, starts=timezone.make_aware(datetime.datetime(2026, 11, 26, 9)))
    url = reverse("meetings:meeting-calendar")
    login(client, personas["supervisor"])
    week = client.get(url, {"week": "2026-11-25"})  # any day of the week: Monday to Sunday
    assert week.context["monday"] == datetime.date(2026, 11, 23)
    thursday = week.context["days"][3]
    assert thursday["date"] == datetime.date(2026, 11, 26)
    assert thursday["meetings"] == [meeting]
    assert f'data-meeting="{meeting.pk}"' in week.content.decode()
    other = client.get(url, {"week": "2026-11-30"})
    assert f'data-meeting="{meeting.pk}"' not in other.content.decode()
    month = client.get(url, {"view": "month", "month": "2026-11"})
    assert f'data-meeting="{meeting.pk}"' in month.content.decode()
    login(client, personas["handler_b"])  # not invited: not on the calendar
    assert (
        f'data-meeting="{meeting.pk}"'
        not in client.get(url, {"week": "2026-11-25"}).content.decode()
    )


def test_my_schedule_and_the_list(client, build, room, personas, django_assert_max_num_queries):
    soon = schedule(build, room, starts=timezone.now() + datetime.timedelta(days=1))
    past = schedule(
        build, room, starts=timezone.now() - datetime.timedelta(days=8), title="上次会议"
    )
    login(client, personas["supervisor"])
    mine = client.get(reverse("meetings:my-schedule"))
    assert mine.context["meetings"] == [soon]
    with django_assert_max_num_queries(14):  # the shell's ~9, and 2 per section
        listing = client.get(reverse("meetings:meeting-list"))
    assert listing.context["upcoming"] == [soon]
    assert listing.context["page"].rows == [past]
    for days in (15, 22, 29):
        schedule(build, room, starts=timezone.now() - datetime.timedelta(days=days), title="更早")
    with django_assert_max_num_queries(14):  # more rows, no more queries
        assert len(client.get(reverse("meetings:meeting-list")).context["page"].rows) == 4
    login(client, personas["handler_b"])
    assert client.get(reverse("meetings:my-schedule")).context["meetings"] == []
    assert client.get(reverse("meetings:meeting-list")).context["upcoming"] == []


def test_a_begun_meeting_is_recorded_as_held(client, build, room, personas):
    begun = schedule(build, room, starts=timezone.now() - datetime.timedelta(minutes=10))
    login(client, personas["secretary"])
    response = client.post(reverse("meetings:meeting-hold", args=[begun.pk]), follow=True)
    assert "已登记会议召开。" in response.content.decode()
    assert fresh(begun).state == Meeting.State.HELD
    assert "hold" not in [step["name"] for step in response.context["steps"]]


def test_the_sign_in_link_after_signing_in_says_when(client, meeting, personas):
    row = meeting.attendances.get(person=personas["supervisor"])
    att.sign_in(row, actor=personas["secretary"])
    url = reverse("meetings:meeting-sign-in", args=[att.sign_in_token(meeting)])
    page = login(client, personas["supervisor"]).get(url)
    assert "您已于" in page.content.decode() and "签到</button>" not in page.content.decode()


def test_the_desk_shows_invitations_to_answer_and_topics_waiting(client, personas, units):
    build = Build(personas, units)
    waiting = build.submitted()  # the secretaries' 待办: to coordinate
    starts = timezone.now() + datetime.timedelta(days=1)
    meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title="市政府第20次常务会议",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            room=Room.objects.create(name="第九会议室"),
            presider=personas["leader"],
            attendees=(personas["supervisor"],),
        ),
        actor=personas["secretary"],
    )
    client.force_login(personas["supervisor"])
    desk = client.get(reverse("office:desk")).content.decode()
    assert "市政府第20次常务会议" in desk and "请回复参加或请假" in desk
    client.force_login(personas["secretary"])
    assert waiting.title in client.get(reverse("office:desk")).content.decode()
