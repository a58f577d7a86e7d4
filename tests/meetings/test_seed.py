"""The demo's year of 办会 (meetings.seed, DOMAIN.md §5): its size, rooms never double-booked,
期号 without gaps per series and year, minutes only for meetings held, decided topics with signed
minutes, attendance, 签收回执 of dispatched minutes as dispatch / sign_for / record_receipt make
them, a trail that chains every state, work waiting for every demo persona, and a second run that
adds nothing.

The demo (core and 办会 only: the documents' seeders test their own data) is seeded once for the
module inside a transaction rolled back at the end (the trail refuses DELETE); each test runs in a
savepoint inside it.
"""

import datetime
import time
from collections import defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.test import override_settings
from django.utils import timezone

from meetings import permissions as can
from meetings.desk import meetings_desk_items
from meetings.minutes import decided_items_to_supervise, dispatch_units
from meetings.models import (
    SIGNING_HOURS,
    AgendaItem,
    Attendance,
    DecidedItem,
    LegalAdviser,
    Meeting,
    MeetingType,
    Minutes,
    MinutesReceipt,
    Room,
    Topic,
    TopicOpinion,
)
from meetings.selectors import (
    meetings_visible_to,
    minutes_visible_to,
    topic_pool,
    topics_visible_to,
)
from office.calendar import Light, add_working_days, add_working_hours
from office.models import SerialCounter, SerialNumber, TrailEvent, User
from office.permissions import scope_for
from office.roles import Role
from office.seed import run_seeders

pytestmark = pytest.mark.django_db

SEEDERS = ["office.seed.core.seed_core", "meetings.seed.seed_meetings"]
K = MeetingType.Kind
TS, MS, NS = Topic.State, Meeting.State, Minutes.State
SIGNED = (NS.SIGNED, NS.DISPATCHED, NS.FILED)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """(demo, seconds the 办会 seeder took)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            demo = run_seeders(SEEDERS[:1])
            started = time.monotonic()
            demo = run_seeders(SEEDERS)
            elapsed = time.monotonic() - started
        connection.check_constraints()
        yield demo, elapsed
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded):
    return seeded[0]


def of_kind(*kinds):
    return Meeting.objects.filter(meeting_type__kind__in=kinds)


def test_configuration_types_rooms_and_legal_adviser(demo):
    users = demo["users"]
    types = {t.kind: t for t in MeetingType.objects.all()}
    assert set(types) == set(K.values)
    assert types[K.EXECUTIVE].name == "市政府常务会议"
    assert types[K.EXECUTIVE].minutes_title == "市政府常务会议纪要"
    for kind in (K.PLENARY, K.EXECUTIVE, K.MAYOR_OFFICE):
        assert types[kind].default_presider == users["mayor"]
    assert "副市长" in types[K.SPECIAL].default_presider.title
    for meeting_type in types.values():
        members = set(meeting_type.members.all())
        assert members and all(m.groups.filter(name=Role.LEADER).exists() for m in members)
    assert 3 <= Room.objects.filter(is_active=True).count() <= 4
    advisers = [a.user for a in LegalAdviser.objects.filter(is_active=True)]
    assert advisers == [users["secretary_legal"]]


def test_a_year_at_the_scale_of_one_city_office(demo):
    today = timezone.localdate()
    year_ago = timezone.now() - datetime.timedelta(days=366)
    executive = of_kind(K.EXECUTIVE).filter(starts_at__gte=year_ago)
    held = executive.filter(state=MS.HELD)
    assert 44 <= held.count() <= 52
    topics = AgendaItem.objects.filter(meeting__in=held).count()
    assert 170 <= topics <= 220
    assert 3 <= topics / held.count() <= 5
    work = of_kind(K.SPECIAL, K.MAYOR_OFFICE).filter(state=MS.HELD)
    assert 120 <= Minutes.objects.filter(meeting__in=work).count() <= 150
    assert of_kind(K.PLENARY).filter(state=MS.HELD).exists()
    # Weekly-ish on working days: never two executive meetings in one week.
    weeks = [m.starts_at.isocalendar()[:2] for m in executive]
    assert len(weeks) == len(set(weeks))
    for meeting in Meeting.objects.all():
        day = timezone.localtime(meeting.starts_at).date()
        assert add_working_days(day, 0) == day, meeting
    # A few upcoming meetings in the next two weeks are planned, with their agendas.
    upcoming = Meeting.objects.filter(
        starts_at__gt=timezone.now(), starts_at__lte=timezone.now() + datetime.timedelta(days=15)
    )
    assert upcoming.count() >= 3
    assert set(upcoming.values_list("state", flat=True)) == {MS.PLANNED}
    assert not Meeting.objects.filter(
        starts_at__gt=timezone.now() + datetime.timedelta(15)
    ).exists()
    assert upcoming.filter(meeting_type__kind=K.EXECUTIVE, agenda__isnull=False).exists()
    assert not Meeting.objects.filter(starts_at__gt=timezone.now(), state=MS.HELD).exists()
    assert today


def test_rooms_are_never_double_booked(demo):
    live = Meeting.objects.exclude(state=MS.CANCELLED)
    overlapping = live.filter(
        room=OuterRef("room"), starts_at__lt=OuterRef("ends_at"), ends_at__gt=OuterRef("starts_at")
    ).exclude(pk=OuterRef("pk"))
    assert not live.filter(Exists(overlapping)).exists()


def test_issue_numbers_are_contiguous_per_series_and_year(demo):
    minutes_type = ContentType.objects.get_for_model(Minutes)
    series = defaultdict(list)
    for m in Minutes.objects.filter(state__in=SIGNED).select_related("meeting__meeting_type"):
        series[(m.meeting.meeting_type.minutes_title, m.issue_year)].append(m)
    assert len(series) >= 4
    for (key, year), rows in series.items():
        rows.sort(key=lambda m: m.signed_at)
        assert [m.issue_number for m in rows] == list(range(1, len(rows) + 1)), key
        assert all(timezone.localtime(m.signed_at).year == year for m in rows)
        assert all(m.issue_text == f"{year}年第{m.issue_number}期" for m in rows)
        serials = SerialNumber.objects.filter(key=key, year=year, content_type=minutes_type)
        assert sorted(serials.values_list("number", "object_id", "text")) == sorted(
            (m.issue_number, m.pk, m.issue_text) for m in rows
        )
        assert SerialCounter.objects.get(key=key, year=year).last_number == len(rows)
    assert not Minutes.objects.exclude(state__in=SIGNED).filter(issue_number__isnull=False).exists()


def test_minutes_only_for_meetings_held_and_most_are_done(demo):
    assert not Minutes.objects.exclude(meeting__state=MS.HELD).exists()
    minutes = Minutes.objects.all()
    assert minutes.filter(state__in=SIGNED).count() >= 0.9 * minutes.count()
    # A meeting held more than two weeks ago has its minutes.
    old = Meeting.objects.filter(
        state=MS.HELD, starts_at__lt=timezone.now() - datetime.timedelta(days=14)
    )
    assert not old.filter(minutes__isnull=True).exists()
    for m in minutes.filter(state__in=SIGNED).select_related("meeting"):
        assert m.meeting.starts_at < m.drafted_at < m.signed_at, m
        assert m.signed_by_id == m.meeting.presider_id
    assert not minutes.filter(state=NS.FILED, filed_on__isnull=True).exists()
    assert not minutes.filter(state__in=(NS.DISPATCHED, NS.FILED), dispatched_at=None).exists()


def test_decided_topics_have_signed_minutes_and_decided_items(demo):
    for topic in Topic.objects.filter(state=TS.DECIDED).prefetch_related("agenda_items"):
        (item,) = topic.agenda_items.all()
        assert item.meeting.minutes.state in SIGNED, topic
        assert 1 <= item.decided_items.count() <= 4, topic
    # Signed minutes leave no topic of their meeting merely scheduled.
    signed_meetings = Meeting.objects.filter(minutes__state__in=SIGNED)
    on_them = Topic.objects.filter(agenda_items__meeting__in=signed_meetings)
    assert not on_them.filter(state=TS.SCHEDULED).exists()
    assert on_them.filter(state__in=(TS.DEFERRED, TS.ADMITTED)).count() <= 10
    for item in DecidedItem.objects.select_related("minutes__meeting")[:400]:
        assert item.deadline > timezone.localtime(item.minutes.meeting.starts_at).date()
        assert item.lead_unit_id not in {u.pk for u in item.co_units.all()}
    work = Minutes.objects.filter(meeting__meeting_type__kind=K.SPECIAL)
    assert not work.filter(decided_items__isnull=True).exists()


def test_topics_pass_coordination_and_legal_review_before_the_pool(demo):
    on_agenda = Topic.objects.filter(agenda_items__isnull=False)
    assert not on_agenda.filter(admitted_at__isnull=True).exists()
    assert not on_agenda.exclude(legal_opinion__in=("legal", "legal_after_changes")).exists()
    assert not TopicOpinion.objects.filter(topic__in=on_agenda, given_at__isnull=True).exists()
    assert TopicOpinion.objects.filter(agrees=False).exists()
    assert not Topic.objects.filter(
        Exists(TopicOpinion.objects.filter(topic=OuterRef("pk"), agrees=False)),
        state__in=(TS.LEGAL_REVIEW, TS.ADMITTED, TS.SCHEDULED, TS.DECIDED),
        disagreements="",
    ).exists()
    for state in (TS.DEFERRED, TS.WITHDRAWN, TS.RETURNED):
        assert Topic.objects.filter(state=state).exists(), state
    for topic in Topic.objects.filter(state__in=(TS.ADMITTED, TS.SCHEDULED, TS.DECIDED)):
        assert topic.submitted_at < topic.admitted_at, topic


def test_attendance_leave_observers_and_sign_in(demo):
    held = Attendance.objects.filter(meeting__state=MS.HELD)
    leave = held.filter(answer=Attendance.Answer.LEAVE)
    assert leave.exists() and not leave.filter(leave_reason="").exists()
    assert not leave.filter(signed_in_at__isnull=False).exists()
    assert held.filter(role=Attendance.Role.OBSERVER).exists()
    for attendance in held.exclude(answer=Attendance.Answer.LEAVE).select_related("meeting")[:500]:
        meeting = attendance.meeting
        assert attendance.signed_in_at is not None
        assert meeting.starts_at - datetime.timedelta(hours=1) <= attendance.signed_in_at
        assert attendance.signed_in_at <= meeting.ends_at
    # The presider attends every meeting; the reporting units' heads sit in (列席).
    for meeting in Meeting.objects.all():
        assert meeting.attendances.filter(person=meeting.presider, role="attendee").exists()
    heads = {u.unit_id: u for u in User.objects.filter(groups__name=Role.UNIT_HEAD)}
    for item in AgendaItem.objects.filter(reporting_unit__in=list(heads)):
        assert item.meeting.attendances.filter(
            person=heads[item.reporting_unit_id], role=Attendance.Role.OBSERVER
        ).exists()


def test_dispatched_minutes_have_a_receipt_per_unit_concerned(demo):
    dispatched = Minutes.objects.filter(state__in=(NS.DISPATCHED, NS.FILED)).select_related(
        "meeting"
    )
    assert dispatched.count() > 100
    assert not MinutesReceipt.objects.exclude(minutes__in=dispatched).exists()
    minutes_type = ContentType.objects.get_for_model(Minutes)
    opinions = dict(
        TrailEvent.objects.filter(content_type=minutes_type, action="dispatch").values_list(
            "object_id", "opinion"
        )
    )
    for minutes in dispatched:
        units = dispatch_units(minutes)
        receipts = list(minutes.receipts.order_by("id"))
        assert [r.unit_id for r in receipts] == [u.pk for u in units], minutes
        assert opinions[minutes.pk] == "印发：" + "、".join(u.name for u in units)
        due = add_working_hours(minutes.dispatched_at, SIGNING_HOURS)
        assert {(r.sent_at, r.due_at) for r in receipts} == {(minutes.dispatched_at, due)}


def test_receipts_signed_by_the_unit_or_recorded_by_the_secretary(demo):
    now = timezone.now()
    receipts = MinutesReceipt.objects.select_related("minutes", "unit", "received_by")
    signing = can.units_that_sign(receipts.values_list("unit_id", flat=True))
    assert signing and receipts.exclude(unit__in=signing).exists()
    minutes_type = ContentType.objects.get_for_model(Minutes)
    trail = defaultdict(list)
    for row in TrailEvent.objects.filter(
        content_type=minutes_type, action__in=("sign_for", "record_receipt")
    ).values_list("object_id", "action", "action_label", "actor", "at", "opinion"):
        trail[row[0]].append(row[1:])
    signed = receipts.filter(received_at__isnull=False)
    for r in signed:
        assert r.sent_at < r.received_at <= now, r
        if r.unit_id in signing:
            scope = scope_for(r.received_by)
            assert r.unit_id in scope.unit_ids and scope.roles & set(can.SIGNING_ROLES), r
            event = ("sign_for", "签收", r.received_by_id, r.received_at, r.unit.name)
        else:
            assert can.is_secretary(r.received_by), r
            opinion = f"{r.unit.name}（单位在本系统中无人签收，由秘书登记）"
            event = ("record_receipt", "登记签收", r.received_by_id, r.received_at, opinion)
        assert event in trail[r.minutes_id], r
    assert sum(len(events) for events in trail.values()) == signed.count()
    # Most units sign within hours, well before their deadline; heads sign now and then.
    assert signed.filter(received_at__lte=F("due_at")).count() >= 0.85 * signed.count()
    heads = User.objects.filter(groups__name=Role.UNIT_HEAD)
    assert signed.filter(received_by__in=heads).exists()


def test_a_few_recent_receipts_wait_one_of_them_red(demo):
    now = timezone.now()
    unsigned = MinutesReceipt.objects.filter(received_at__isnull=True).select_related("minutes")
    assert 2 <= unsigned.count() <= 20
    dispatched = Minutes.objects.filter(dispatched_at__isnull=False)
    latest = dispatched.order_by("-dispatched_at").values_list("pk", flat=True)[:10]
    assert {r.minutes_id for r in unsigned} <= set(latest)
    red = [r for r in unsigned if r.due_at < now]
    waiting = [r for r in unsigned if r.due_at >= now]
    assert red and waiting
    # The red one is on the desk of a person of its unit, red.
    (late,) = [r for r in red if r.unit_id in can.units_that_sign([r.unit_id])][:1]
    person = User.objects.filter(unit=late.unit_id, groups__name__in=can.SIGNING_ROLES).first()
    title = f"{late.minutes.meeting.meeting_type.minutes_title} {late.minutes.issue_text}"
    assert any(
        item.title == title and item.light == Light.RED for item in meetings_desk_items(person)
    )


def test_the_trail_chains_every_state(demo):
    for model in (Topic, Meeting, Minutes):
        content_type = ContentType.objects.get_for_model(model)
        labels = dict(model.State.choices)
        events = defaultdict(list)
        for object_id, from_state, to_state in (
            TrailEvent.objects.filter(content_type=content_type)
            .exclude(to_state="")
            .order_by("at", "id")
            .values_list("object_id", "from_state", "to_state")
        ):
            events[object_id].append((from_state, to_state))
        for pk, state in model.objects.values_list("pk", "state"):
            chain = events[pk]
            assert chain, (model, pk)
            assert chain[0][0] == "" and chain[-1][1] == labels[state], (model, pk, chain)
            for (_, after), (before, _) in zip(chain, chain[1:], strict=False):
                assert before == after, (model, pk, chain)


def test_every_demo_persona_has_something_to_do(demo):
    users = demo["users"]
    now = timezone.now()
    secretaries = User.objects.filter(groups__name=Role.SECRETARY)
    assert secretaries.count() >= 5
    for secretary in secretaries:
        visible = topics_visible_to(secretary)
        waiting = visible.filter(state=TS.SUBMITTED)
        assert waiting.exists() and can.can_coordinate(secretary, waiting.first())
        assert topic_pool(secretary).exists()
        assert can.can_schedule(secretary)
        assert minutes_visible_to(secretary).filter(
            state__in=(NS.DRAFT, NS.DISPATCHED)
        ).exists() or (
            meetings_visible_to(secretary).filter(state=MS.HELD, minutes__isnull=True).exists()
        )
    adviser = users["secretary_legal"]
    reviewing = topics_visible_to(adviser).filter(state=TS.LEGAL_REVIEW)
    assert reviewing.count() >= 2
    assert all(can.can_legality_review(adviser, t) for t in reviewing)
    for key in (
        "mayor",
        "executive_vice_mayor",
        "vice_mayor_social",
        "vice_mayor_construction",
        "vice_mayor_security",
    ):
        leader = users[key]
        to_sign = minutes_visible_to(leader).filter(state=NS.IN_REVIEW)
        assert any(can.can_sign_minutes(leader, m) for m in to_sign), key
    for leader in User.objects.filter(groups__name=Role.LEADER):
        invited = meetings_visible_to(leader).filter(
            starts_at__gt=now,
            attendances__person=leader,
            attendances__answer=Attendance.Answer.PENDING,
        )
        assert invited.exists(), leader
    bound = User.objects.filter(groups__name__in=(Role.UNIT_HANDLER, Role.UNIT_HEAD))
    assert bound.count() >= 10
    for person in bound:
        asked = topics_visible_to(person).filter(state=TS.COORDINATING)
        assert any(can.can_give_opinion(person, t) for t in asked), person
    for key in ("education_handler", "housing_handler"):
        returned = topics_visible_to(users[key]).filter(state=TS.RETURNED)
        assert any(can.can_resubmit(users[key], t) for t in returned), key
    for supervisor in User.objects.filter(groups__name=Role.SUPERVISOR):
        assert minutes_visible_to(supervisor).filter(state__in=SIGNED).exists()
    assert decided_items_to_supervise().count() >= 500


def test_running_again_adds_nothing(seeded):
    def counts():
        return (
            Meeting.objects.count(),
            Topic.objects.count(),
            TopicOpinion.objects.count(),
            AgendaItem.objects.count(),
            Attendance.objects.count(),
            Minutes.objects.count(),
            DecidedItem.objects.count(),
            DecidedItem.co_units.through.objects.count(),
            MinutesReceipt.objects.count(),
            MinutesReceipt.objects.filter(received_at__isnull=True).count(),
            MeetingType.objects.count(),
            Room.objects.count(),
            LegalAdviser.objects.count(),
            SerialNumber.objects.count(),
            TrailEvent.objects.count(),
            tuple(
                SerialCounter.objects.order_by("key", "year").values_list("last_number", flat=True)
            ),
        )

    before = counts()
    states = dict(Topic.objects.values_list("pk", "state"))
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        again = run_seeders(SEEDERS)
    assert counts() == before
    assert dict(Topic.objects.values_list("pk", "state")) == states
    assert again["meetings"] == seeded[0]["meetings"]


def test_the_seeder_is_fast(seeded):
    print(f"meetings.seed: {seeded[1]:.1f} s")
    assert seeded[1] < 20
