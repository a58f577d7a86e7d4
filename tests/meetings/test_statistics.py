"""办会统计 (meetings/statistics.py and its page, meetings/views/stats.py): the figures of a small
hand-made year, counted only over what each user may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import (
    AgendaItem,
    Attendance,
    DecidedItem,
    Meeting,
    MeetingType,
    Minutes,
    Room,
    Topic,
    TopicOpinion,
)
from meetings.statistics import meetings_statistics, meetings_statistics_years

pytestmark = [pytest.mark.django_db]

YEAR = 2025
K = MeetingType.Kind
TS, MS, NS = Topic.State, Meeting.State, Minutes.State


def moment(year, month, day, hour=9):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def year_of_meetings(personas, units):
    """Executive meetings held in March 2025 (two) and December 2024, one cancelled in June; a
    专题会议 held in May and one planned in July; five topics of 2025; minutes of every meeting
    held, signed in its year."""
    p, u = personas, units
    executive = MeetingType.objects.create(
        kind=K.EXECUTIVE, name="市政府常务会议", minutes_title="市政府常务会议纪要"
    )
    special = MeetingType.objects.create(
        kind=K.SPECIAL, name="专题会议", minutes_title="市政府专题会议纪要"
    )
    room = Room.objects.create(name="市政府常务会议室")

    def meeting(kind, when, state=MS.HELD, title="会议"):
        return Meeting.objects.create(
            meeting_type=kind,
            title=title,
            starts_at=when,
            ends_at=when + datetime.timedelta(hours=2),
            room=room,
            presider=p["leader"],
            created_by=p["secretary"],
            state=state,
        )

    m1 = meeting(executive, moment(2025, 3, 6), title="市政府第8次常务会议")
    m2 = meeting(executive, moment(2025, 3, 13), title="市政府第9次常务会议")
    m3 = meeting(special, moment(2025, 5, 8), title="研究学位建设工作专题会议")
    meeting(executive, moment(2025, 6, 5), MS.CANCELLED, "市政府第15次常务会议")
    m5 = meeting(executive, moment(2024, 12, 19), title="市政府第50次常务会议")
    meeting(special, moment(2025, 7, 1), MS.PLANNED, "研究防汛工作专题会议")
    Attendance.objects.create(meeting=m1, person=p["handler_a"], role="observer")

    def topic(unit, title, state, submitted, admitted=None, on=None):
        t = Topic.objects.create(
            title=title,
            meeting_type=executive,
            submitting_unit=u[unit],
            submitted_by=p["handler_" + unit],
            submitted_at=submitted,
            admitted_at=admitted,
            reporting_leader=p["leader"],
            summary="提请审议。",
            state=state,
        )
        if on is not None:
            AgendaItem.objects.create(
                meeting=on, topic=t, position=on.agenda.count() + 1, reporting_unit=u[unit]
            )
        return t

    t1 = topic("a", "关于学位建设的请示", TS.DECIDED, moment(2025, 2, 3), moment(2025, 2, 20), m1)
    topic("b", "关于老旧小区改造的请示", TS.DECIDED, moment(2025, 2, 5), moment(2025, 2, 25), m2)
    topic("a", "关于课后服务收费的请示", TS.DEFERRED, moment(2025, 2, 6), moment(2025, 3, 1), m2)
    topic("b", "关于加装电梯补助的请示", TS.WITHDRAWN, moment(2025, 4, 1))
    t5 = topic("b", "关于保障性住房筹建的请示", TS.COORDINATING, moment(2025, 6, 2))
    TopicOpinion.objects.create(topic=t5, unit=u["a"])
    topic("a", "关于上年度事项的请示", TS.DECIDED, moment(2024, 11, 3), moment(2024, 11, 20), m5)

    def minutes(on, year, number, state, *leads):
        m = Minutes.objects.create(
            meeting=on,
            body="纪要。",
            drafted_by=p["secretary"],
            state=state,
            signed_by=p["leader"],
            signed_at=on.ends_at + datetime.timedelta(days=2),
            issue_year=year,
            issue_number=number,
            issue_text=f"{year}年第{number}期",
        )
        for position, lead in enumerate(leads, 1):
            DecidedItem.objects.create(
                minutes=m,
                position=position,
                content="抓好落实。",
                lead_unit=u[lead],
                leader=p["leader"],
                deadline=on.starts_at.date() + datetime.timedelta(days=60),
            )
        return m

    minutes(m1, 2025, 1, NS.FILED, "a", "a")
    minutes(m2, 2025, 2, NS.SIGNED, "b")
    minutes(m3, 2025, 1, NS.DISPATCHED, "b")
    minutes(m5, 2024, 50, NS.FILED, "a")
    return {"executive": executive, "special": special, "t1": t1}


def by_series(stats):
    return {row.label: row.figures for row in stats.by_series}


def test_the_office_figures_of_a_year(year_of_meetings, personas):
    stats = meetings_statistics(personas["secretary"], year=YEAR)
    s = stats.summary
    assert (s.held, s.executive_held) == (3, 2)
    assert (s.topics_submitted, s.topics_admitted, s.topics_decided) == (5, 3, 2)
    assert (s.topics_deferred, s.topics_withdrawn) == (1, 1)
    assert (s.minutes_issued, s.decided_items) == (3, 4)
    series = by_series(stats)
    assert (series["市政府常务会议"].held, series["市政府常务会议"].minutes_issued) == (2, 2)
    assert series["市政府常务会议"].decided_items == 3
    assert (series["专题会议"].held, series["专题会议"].minutes_issued) == (1, 1)
    assert series["专题会议"].topics_submitted == 0
    months = {row.key: row.figures.held for row in stats.by_month}
    assert months == {m: {3: 2, 5: 1}.get(m, 0) for m in range(1, 13)}
    # The year before is counted on its own.
    before = meetings_statistics(personas["leader"], year=2024).summary
    assert (before.held, before.minutes_issued, before.decided_items) == (1, 1, 1)
    assert before.topics_decided == 1


def test_a_unit_counts_only_what_it_may_see(year_of_meetings, personas):
    s = meetings_statistics(personas["handler_a"], year=YEAR).summary
    # Its own topics (t1, t3) and the one it was asked about (t5); the meeting it sat in; the
    # minutes naming it.
    assert (s.topics_submitted, s.topics_admitted, s.topics_decided) == (3, 2, 1)
    assert (s.topics_deferred, s.topics_withdrawn) == (1, 0)
    assert (s.held, s.minutes_issued, s.decided_items) == (1, 1, 2)
    b = meetings_statistics(personas["handler_b"], year=YEAR).summary
    assert (b.topics_submitted, b.topics_withdrawn, b.held) == (3, 1, 0)
    assert (b.minutes_issued, b.decided_items) == (2, 2)
    nothing = meetings_statistics(personas["sysadmin"], year=YEAR).summary
    assert nothing.held == nothing.topics_submitted == nothing.minutes_issued == 0


def test_years_run_from_the_first_meeting_to_now(year_of_meetings, personas):
    today = datetime.date(2026, 5, 1)
    years = meetings_statistics_years(personas["secretary"], today=today)
    assert years == [2026, 2025, 2024]
    assert meetings_statistics_years(personas["sysadmin"], today=today) == [2026]


def test_the_figures_take_few_queries(year_of_meetings, personas, django_assert_max_num_queries):
    user = personas["leader"]
    meetings_statistics(user, year=YEAR)  # the scope (roles, units) is computed once
    # Five for the meetings, topics (and the legal-adviser check), minutes and series; three for
    # the decided items' implementation (the minutes, their decided items, the ledger's figures).
    with django_assert_max_num_queries(8):
        meetings_statistics(user, year=YEAR)


def test_the_page_shows_the_figures_in_chinese(client, year_of_meetings, personas):
    client.force_login(personas["secretary"])
    url = reverse("meetings:meetings-statistics")
    assert url == "/meetings/statistics/"
    page = client.get(url, {"year": YEAR}).content.decode()
    for text in (
        "办会统计",
        "2025年各月召开会议",
        "按会议类型（纪要系列）",
        "市政府常务会议",
        "专题会议",
        "印发纪要",
        "议定事项",
        "统计口径",
        '<svg class="month-chart"',
        "3月召开会议 2 件",
    ):
        assert text in page, text
    assert '<option value="2024">2024年</option>' in page
    fragment = client.get(url, {"year": YEAR}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="statistics-results">')


def test_a_unit_sees_its_scope_and_administrators_are_refused(client, year_of_meetings, personas):
    client.force_login(personas["handler_a"])
    url = reverse("meetings:meetings-statistics")
    page = client.get(url, {"year": YEAR}).content.decode()
    assert "统计范围：市教育局" in page
    for key in ("sysadmin", "outsider"):
        client.force_login(personas[key])
        assert client.get(url).status_code == 403, key
