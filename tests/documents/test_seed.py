"""The demo's year of 收文 (documents.seed, DOMAIN.md §3): its size and rates, numbers without gaps,
data consistent with each state, a trail for every step, work waiting for every demo account,
and a second run that adds nothing.

The demo is seeded once for the module inside a transaction that is rolled back at the end (the
trail refuses DELETE, so nothing else could clean it up); each test runs in a savepoint inside it.
"""

import datetime
import time
from collections import Counter, defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone

from documents.models import (
    Assignment,
    Circulation,
    HandlingPolicy,
    IncomingDocument,
    LeaderInstruction,
    Sender,
)
from documents.seed import DAILY_DOCUMENTS, LABELS
from documents.selectors import incoming_todo
from documents.services import REGISTRATION_REGISTER
from documents.workflow import ARCHIVE_REGISTER
from office import numbering
from office.calendar import WorkingCalendar, add_working_days
from office.models import Clearance, SerialCounter, SerialNumber, TrailEvent, User
from office.roles import Role
from office.seed import run_seeders

pytestmark = pytest.mark.django_db

S = IncomingDocument.State
A = Assignment.State


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """(demo, seconds the whole seed_demo took)."""
    with django_db_blocker.unblock(), transaction.atomic():
        # Argon2 would spend most of the time on the demo passwords; the tests hash cheaply.
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            started = time.monotonic()
            demo = run_seeders()
            elapsed = time.monotonic() - started
        # Check the deferred foreign keys now, once, rather than at every test's teardown.
        connection.check_constraints()
        yield demo, elapsed
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded):
    return seeded[0]


def year_documents():
    return IncomingDocument.objects.filter(year=timezone.localdate().year)


def working_days_so_far():
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    calendar = WorkingCalendar(start, today)
    return [
        start + datetime.timedelta(days=i)
        for i in range((today - start).days + 1)
        if calendar.is_working_day(start + datetime.timedelta(days=i))
    ]


def share(part, whole):
    return part / whole if whole else 0


def test_a_year_of_documents_received_on_working_days(demo):
    documents = year_documents()
    days = working_days_so_far()
    total = documents.count()
    assert total == pytest.approx(DAILY_DOCUMENTS * len(days), rel=0.08)
    assert len(demo["incoming"]) == total
    received = set(documents.values_list("received_on", flat=True))
    assert received <= set(days)
    assert len(received) >= 0.95 * (len(days) - 1)
    levels = Counter(documents.values_list("sender_level", flat=True))
    assert share(levels[Sender.Level.LOWER], total) == pytest.approx(0.74, abs=0.04)
    assert levels[Sender.Level.HIGHER] > levels[Sender.Level.PEER] > 0
    reading = documents.filter(kind=IncomingDocument.Kind.READING).count()
    assert 0.15 <= share(reading, total) <= 0.20
    urgency = Counter(documents.values_list("urgency", flat=True))
    assert urgency["normal"] > urgency["urgent"] > urgency["extra_urgent"] > 0
    classified = documents.exclude(classification=Clearance.NONE)
    assert 0 < classified.count() < 0.02 * total
    assert not classified.exclude(classification=Clearance.SECRET).exists()
    assert not classified.filter(secrecy_period="").exists()


def test_senders_are_the_city_units_the_province_and_the_neighbours(demo):
    lower = Sender.objects.filter(level=Sender.Level.LOWER)
    assert lower.count() >= 30
    assert not lower.filter(unit__isnull=True).exists()
    assert lower.filter(name="珠海市香洲区人民政府", unit=demo["units"]["xiangzhou"]).exists()
    higher = set(Sender.objects.filter(level=Sender.Level.HIGHER).values_list("name", flat=True))
    assert {"国务院办公厅", "广东省人民政府", "广东省人民政府办公厅", "广东省应急管理厅"} <= higher
    assert Sender.objects.get(name="广东省人民政府").unit == demo["units"]["province"]
    peers = set(Sender.objects.filter(level=Sender.Level.PEER).values_list("name", flat=True))
    assert {"广州市人民政府", "深圳市人民政府", "中山市人民政府", "江门市人民政府"} <= peers
    documents = year_documents()
    sample = documents.get(serial=1)
    assert sample.sender_name == sample.sender.name
    assert sample.sender_level == sample.sender.level
    assert documents.filter(sender_number__regex=r"^粤府办〔\d{4}〕[1-9]\d*号$").exists()
    assert documents.filter(sender_number__regex=r"^珠教〔\d{4}〕[1-9]\d*号$").exists()
    assert documents.filter(sender_number__regex=r"^穗府函〔\d{4}〕[1-9]\d*号$").exists()


def test_titles_read_like_the_registers_and_are_searchable(demo):
    documents = year_documents()
    assert documents.filter(doc_type="request", title__regex=r"^关于.+的请示$").count() > 1000
    assert documents.filter(title__startswith="关于做好", title__endswith="工作的通知").exists()
    for word in ("消防", "督办", "防汛防风", "营商环境", "城市更新", "乡村振兴", "医保"):
        assert documents.filter(title__contains=word).count() >= 5, word
    assert documents.values("title").distinct().count() > 0.3 * documents.count()


def test_about_95_percent_completed_mostly_on_time_and_mostly_filed(demo):
    documents = year_documents()
    total = documents.count()
    done = documents.filter(state__in=IncomingDocument.DONE_STATES)
    assert 0.93 <= share(done.count(), total) <= 0.975
    for level, expected in ((["lower"], 0.95), (["higher", "peer"], 0.97)):
        of_level = documents.filter(sender_level__in=level)
        rate = share(
            of_level.filter(state__in=IncomingDocument.DONE_STATES).count(), of_level.count()
        )
        assert rate == pytest.approx(expected, abs=0.025), level
    completed_action = done.filter(kind=IncomingDocument.Kind.ACTION)
    on_time = completed_action.filter(completed_on__lte=F("deadline")).count()
    assert 0.90 <= share(on_time, completed_action.count()) <= 0.97
    assert share(documents.filter(state=S.ARCHIVED).count(), done.count()) >= 0.8
    returned = documents.filter(state=S.RETURNED)
    assert 0 < returned.count() < 0.02 * total
    # The open ones are mostly the recent weeks', some red, some yellow.
    open_documents = documents.filter(state__in=IncomingDocument.OPEN_STATES)
    recent = timezone.localdate() - datetime.timedelta(days=30)
    assert (
        share(open_documents.filter(received_on__gte=recent).count(), open_documents.count()) > 0.6
    )
    today = timezone.localdate()
    with_deadline = open_documents.filter(deadline__isnull=False)
    assert with_deadline.filter(deadline__lt=today).exists()
    yellow_until = add_working_days(today, HandlingPolicy.current().warning_days)
    assert with_deadline.filter(deadline__gte=today, deadline__lte=yellow_until).exists()
    states = set(open_documents.values_list("state", flat=True))
    assert {S.ACCEPTED, S.INSTRUCTING, S.HANDLING, S.AWAITING_COMPLETION, S.CIRCULATING} <= states


def test_numbers_run_without_gaps_and_the_register_continues(demo):
    year = timezone.localdate().year
    pattern = HandlingPolicy.current().registration_pattern
    documents = year_documents()
    total = documents.count()
    numbers = SerialNumber.objects.filter(key=REGISTRATION_REGISTER, year=year)
    assert sorted(numbers.values_list("number", flat=True)) == list(range(1, total + 1))
    counter = SerialCounter.objects.get(key=REGISTRATION_REGISTER, year=year)
    assert counter.last_number == total
    document_type = ContentType.objects.get_for_model(IncomingDocument)
    by_document = {n.object_id: n for n in numbers}
    for document in documents.only("pk", "serial", "registration_number"):
        expected = numbering.format_number(
            pattern, key=REGISTRATION_REGISTER, year=year, number=document.serial
        )
        assert document.registration_number == expected
        serial = by_document[document.pk]
        assert (serial.number, serial.text, serial.content_type_id) == (
            document.serial,
            expected,
            document_type.pk,
        )
    assert documents.filter(serial=1).get().registration_number == f"收〔{year}〕0001号"
    # The received order is the registration order.
    ordered = list(documents.order_by("serial").values_list("registered_at", flat=True))
    assert ordered == sorted(ordered)
    # Filing numbers: one per filed document, consecutive, the counter at the last.
    archived = documents.filter(state=S.ARCHIVED)
    archive_numbers = SerialNumber.objects.filter(key=ARCHIVE_REGISTER, year=year)
    assert sorted(archive_numbers.values_list("number", flat=True)) == list(
        range(1, archived.count() + 1)
    )
    assert (
        SerialCounter.objects.get(key=ARCHIVE_REGISTER, year=year).last_number == archived.count()
    )
    assert set(archived.values_list("archive_number", flat=True)) == set(
        archive_numbers.values_list("text", flat=True)
    )
    assert archived.filter(archive_number=f"{year}-0001").exists()
    # A user's registration takes the next number.
    with transaction.atomic():
        serial = numbering.allocate(REGISTRATION_REGISTER, year=year, pattern=pattern)
    assert serial.number == total + 1


def test_every_state_carries_the_data_it_implies(demo):
    documents = year_documents()
    pending = LeaderInstruction.objects.filter(instructed_at__isnull=True)
    unread = Circulation.objects.filter(read_at__isnull=True)
    live = Assignment.objects.exclude(state=A.WITHDRAWN)
    lead = live.filter(role=Assignment.Role.LEAD)

    registered = documents.filter(state__in=[S.REGISTERED, S.ACCEPTED, S.RETURNED])
    assert not registered.filter(proposed_by__isnull=False).exists()
    assert not live.filter(document__in=registered).exists()
    assert not documents.filter(state=S.RETURNED, return_reason="").exists()

    instructing = documents.filter(state=S.INSTRUCTING)
    assert instructing.exists()
    assert not instructing.exclude(pk__in=pending.values("document")).exists()
    assert not instructing.filter(proposed_handling="").exists()
    assert not live.filter(document__in=instructing).exists()
    assert not pending.exclude(document__state=S.INSTRUCTING).exists()

    supervised = LeaderInstruction.objects.filter(to_supervise=True)
    assert 20 <= supervised.count() <= 150  # 领导批示件 for 督查: a few dozen a year
    assert not supervised.filter(instructed_at__isnull=True).exists()

    instructed = documents.filter(state=S.INSTRUCTED)
    assert not instructed.filter(pk__in=pending.values("document")).exists()
    assert not live.filter(document__in=instructed).exists()

    handling = documents.filter(state=S.HANDLING)
    assert handling.count() > 50
    active_leads = lead.filter(state__in=Assignment.ACTIVE_STATES)
    assert not handling.exclude(pk__in=active_leads.values("document")).exists()
    assert not active_leads.exclude(document__state=S.HANDLING).exists()

    awaiting = documents.filter(state=S.AWAITING_COMPLETION)
    assert not awaiting.exclude(pk__in=lead.filter(state=A.APPROVED).values("document")).exists()

    circulating = documents.filter(state=S.CIRCULATING)
    assert circulating.exists()
    assert not circulating.exclude(pk__in=unread.values("document")).exists()
    assert not unread.exclude(document__state=S.CIRCULATING).exists()

    done = documents.filter(state__in=IncomingDocument.DONE_STATES)
    assert not done.filter(Q(completed_on__isnull=True) | Q(completed_by__isnull=True)).exists()
    done_action = done.filter(kind=IncomingDocument.Kind.ACTION)
    approved_leads = lead.filter(state=A.APPROVED, approved_at__isnull=False).exclude(result="")
    assert not done_action.exclude(pk__in=approved_leads.values("document")).exists()
    assert not live.filter(document__in=done).exclude(state=A.APPROVED).exists()
    assert not Circulation.objects.filter(document__in=done, read_at__isnull=True).exists()
    assert not done.filter(kind=IncomingDocument.Kind.ACTION, deadline__isnull=True).exists()

    archived = documents.filter(state=S.ARCHIVED)
    assert not archived.filter(
        Q(archive_number="") | Q(archived_on__isnull=True) | Q(archived_by__isnull=True)
    ).exists()
    assert not documents.exclude(state=S.ARCHIVED).exclude(archive_number="").exists()

    # Reading documents are circulated, never assigned; action documents the other way round.
    assert not live.filter(document__kind=IncomingDocument.Kind.READING).exists()
    assert not Circulation.objects.filter(document__kind=IncomingDocument.Kind.ACTION).exists()


def test_dates_follow_the_steps_and_deadlines_the_handling_policy(demo):
    policy = HandlingPolicy.current()
    documents = year_documents()
    for document in documents.filter(deadline__isnull=False).order_by("?")[:60]:
        assignments = list(document.assignments.all())
        leads = [a for a in assignments if a.role == Assignment.Role.LEAD]
        assert len(leads) == 1
        (lead,) = leads
        assert document.lead_unit_id == lead.unit_id
        assert document.deadline == lead.deadline
        assigned_on = timezone.localtime(lead.assigned_at).date()
        assert lead.deadline == add_working_days(assigned_on, policy.days_for(document.urgency))
        assert timezone.localdate(document.registered_at) == document.received_on
        assert assigned_on >= document.received_on
        for part in assignments:
            moments = [part.assigned_at, part.accepted_at, part.submitted_at, part.approved_at]
            reached = [m for m in moments if m is not None]
            assert reached == sorted(reached)
        if document.completed_on:
            assert document.completed_on >= timezone.localtime(lead.approved_at).date()
        if document.archived_on:
            assert document.archived_on >= document.completed_on
    today = timezone.localdate()
    assert not documents.filter(
        Q(completed_on__gt=today) | Q(archived_on__gt=today) | Q(received_on__gt=today)
    ).exists()
    assert not TrailEvent.objects.filter(at__gt=timezone.now()).exists()


def test_secret_documents_reach_only_people_cleared_for_them(demo):
    secret = year_documents().filter(classification=Clearance.SECRET)
    units = Assignment.objects.filter(document__in=secret).values("unit")
    assert not User.objects.filter(unit__in=units, clearance__lt=Clearance.SECRET).exists()
    people = set(secret.values_list("registered_by", flat=True)) | set(
        LeaderInstruction.objects.filter(document__in=secret).values_list("leader", flat=True)
    )
    assert not User.objects.filter(pk__in=people, clearance__lt=Clearance.SECRET).exists()


def test_the_trail_records_every_step_as_the_workflow_names_it(demo):
    documents = year_documents()
    document_type = ContentType.objects.get_for_model(IncomingDocument)
    part_type = ContentType.objects.get_for_model(Assignment)
    trail = TrailEvent.objects.filter(content_type__in=[document_type, part_type])
    assert trail.count() > 8 * documents.count()
    for action, label in trail.values_list("action", "action_label").distinct():
        assert LABELS[action] == label
    assert trail.filter(action="register", content_type=document_type).count() == documents.count()
    assert not trail.filter(actor_name="").exists()
    # Each document's own history chains its states from 待初审 to where it stands.
    events = defaultdict(list)
    for object_id, before, after in (
        trail.filter(content_type=document_type)
        .order_by("at", "id")
        .values_list("object_id", "from_state", "to_state")
    ):
        events[object_id].append((before, after))
    states = dict(documents.values_list("pk", "state"))
    for pk, state in states.items():
        chain = events[pk]
        assert chain[0] == ("", S.REGISTERED.label), pk
        for (_, previous), (current, _) in zip(chain, chain[1:], strict=False):
            assert current == previous, pk
        assert chain[-1][1] == S(state).label, pk
    # A unit's part: 接收 → 提交办理结果 → 审核通过, on the assignment, matching its state.
    parts = defaultdict(list)
    for object_id, action in (
        trail.filter(content_type=part_type).order_by("at", "id").values_list("object_id", "action")
    ):
        parts[object_id].append(action)
    steps = {A.ASSIGNED: [], A.ACCEPTED: ["accept"], A.SUBMITTED: ["accept", "submit"]}
    steps[A.APPROVED] = ["accept", "submit", "approve"]
    for pk, state in Assignment.objects.filter(document__in=documents).values_list("pk", "state"):
        assert parts.get(pk, []) == steps[state], pk
    sample = documents.filter(state=S.ARCHIVED, kind=IncomingDocument.Kind.ACTION).first()
    actions = list(
        trail.filter(content_type=document_type, object_id=sample.pk)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions[:2] == ["register", "screen"] and actions[-2:] == ["complete", "archive"]
    assert "assign" in actions


def test_every_demo_account_has_work_waiting(demo):
    users = demo["users"]
    for key in ("secretary_documents", "secretary_chief"):
        assert incoming_todo(users[key]).exists(), key
    for leader in User.objects.filter(groups__name=Role.LEADER):
        todo = incoming_todo(leader)
        assert todo.filter(state=S.INSTRUCTING).exists(), leader
        assert todo.filter(state=S.CIRCULATING).exists(), leader
    handlers = User.objects.filter(groups__name=Role.UNIT_HANDLER)
    assert handlers.count() >= 5
    for handler in handlers:
        states = set(
            Assignment.objects.filter(unit=handler.unit, role=Assignment.Role.LEAD).values_list(
                "state", flat=True
            )
        )
        assert {A.ASSIGNED, A.ACCEPTED, A.SUBMITTED} <= states, handler
        assert incoming_todo(handler).count() >= 3, handler
        handled = Assignment.objects.filter(handler=handler, state=A.APPROVED)
        assert handled.exists(), handler
    for head in User.objects.filter(groups__name=Role.UNIT_HEAD):
        assert incoming_todo(head).filter(assignments__state=A.SUBMITTED).exists(), head
    tanxiaofang = users["education_handler"]
    open_parts = Assignment.objects.filter(
        unit=tanxiaofang.unit, state__in=Assignment.ACTIVE_STATES
    )
    assert open_parts.values("state").annotate(n=Count("id")).count() >= 3


def test_running_again_adds_nothing(seeded):
    def counts():
        return (
            IncomingDocument.objects.count(),
            Sender.objects.count(),
            LeaderInstruction.objects.count(),
            Assignment.objects.count(),
            Circulation.objects.count(),
            SerialNumber.objects.count(),
            TrailEvent.objects.count(),
            tuple(
                SerialCounter.objects.order_by("key", "year").values_list("last_number", flat=True)
            ),
        )

    before = counts()
    states = dict(IncomingDocument.objects.values_list("pk", "state"))
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        again = run_seeders()
    assert counts() == before
    assert dict(IncomingDocument.objects.values_list("pk", "state")) == states
    assert again["incoming"] == seeded[0]["incoming"]


def test_seed_demo_runs_in_reasonable_time(seeded):
    print(f"seed_demo: {seeded[1]:.1f} s")
    assert seeded[1] < 90
