"""The demo's year of 收文 (documents.seed, DOMAIN.md §3) and twelve months of 发文
(documents.seed_outgoing, DOMAIN.md §4): their size and rates, numbers without gaps, data
consistent with each state, a trail for every step, work waiting for every demo account, and a
second run that adds nothing.

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

from documents import permissions as can
from documents.models import (
    Assignment,
    Circulation,
    CoSignature,
    DraftVersion,
    HandlingPolicy,
    IncomingDocument,
    LeaderInstruction,
    NumberRule,
    OutgoingDocument,
    Receipt,
    ReviewLevel,
    ReviewRecord,
    Seal,
    SealLedgerEntry,
    Sender,
)
from documents.receipts import SIGNING_HOURS
from documents.seed import DAILY_DOCUMENTS, LABELS
from documents.seed_outgoing import LABELS as OUTGOING_LABELS
from documents.seed_outgoing import RULES, YEAR_DOCUMENTS
from documents.selectors import incoming_todo
from documents.services import REGISTRATION_REGISTER
from documents.workflow import ARCHIVE_REGISTER
from office import numbering
from office.calendar import WorkingCalendar, add_working_days, add_working_hours
from office.models import Clearance, SerialCounter, SerialNumber, TrailEvent, User
from office.roles import Role
from office.seed import run_seeders

pytestmark = pytest.mark.django_db

S = IncomingDocument.State
A = Assignment.State


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """(demo, seconds the whole seed_demo took). The seals' images go to a temporary MEDIA_ROOT."""
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with django_db_blocker.unblock(), transaction.atomic(), media:
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
            OutgoingDocument.objects.count(),
            DraftVersion.objects.count(),
            ReviewRecord.objects.count(),
            Receipt.objects.count(),
            SealLedgerEntry.objects.count(),
            Seal.objects.count(),
            ReviewLevel.objects.count(),
            NumberRule.objects.count(),
        )

    before = counts()
    states = dict(IncomingDocument.objects.values_list("pk", "state"))
    outgoing_states = dict(OutgoingDocument.objects.values_list("pk", "state"))
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        again = run_seeders()
    assert counts() == before
    assert dict(IncomingDocument.objects.values_list("pk", "state")) == states
    assert again["incoming"] == seeded[0]["incoming"]
    assert again["outgoing"] == seeded[0]["outgoing"]
    assert dict(OutgoingDocument.objects.values_list("pk", "state")) == outgoing_states


def test_seed_demo_runs_in_reasonable_time(seeded):
    print(f"seed_demo: {seeded[1]:.1f} s")
    assert seeded[1] < 90


# --- 发文 (documents.seed_outgoing) ---------------------------------------------------------------

OS = OutgoingDocument.State
ISSUED = (OS.NUMBERED, OS.SEALED, OS.DISPATCHED, OS.ARCHIVED)


def test_twelve_months_of_outgoing_documents(demo):
    documents = OutgoingDocument.objects.all()
    total = documents.count()
    assert total == pytest.approx(YEAR_DOCUMENTS, rel=0.05)
    assert len(demo["outgoing"]) >= 0.9 * total
    today = timezone.localdate()
    created = [timezone.localdate(at) for at in documents.values_list("created_at", flat=True)]
    assert today - datetime.timedelta(days=366) < min(created) and max(created) <= today
    # Mostly filed or dispatched; a few dozen in flight, at every step.
    states = Counter(documents.values_list("state", flat=True))
    assert share(states[OS.ARCHIVED] + states[OS.DISPATCHED], total) >= 0.85
    assert 30 <= total - states[OS.ARCHIVED] - states[OS.DISPATCHED] <= 80
    assert set(OS.values) <= set(states)
    # 文种 as an office issues them; 请示 and 报告 go up, 函 sideways, the rest down.
    kinds = Counter(documents.values_list("doc_type", flat=True))
    assert kinds["notice"] > kinds["letter"] > kinds["reply"] > kinds["order"] > 0
    expected = {"opinion", "report", "request", "circular", "decision", "minutes", "announcement"}
    assert expected <= set(kinds)
    directions = dict(documents.values_list("doc_type", "direction").distinct())
    assert directions["request"] == directions["report"] == "upward"
    assert directions["letter"] == "parallel" and directions["notice"] == "downward"
    assert not documents.filter(direction="upward").exclude(doc_type__in=["request", "report"])
    issuers = Counter(documents.values_list("issuing_unit__code", flat=True))
    assert set(issuers) == {"珠府", "珠府办"} and min(issuers.values()) > 0.3 * total
    urgency = Counter(documents.values_list("urgency", flat=True))
    assert urgency["normal"] > urgency["urgent"] > urgency["extra_urgent"] > 0
    classified = documents.exclude(classification=Clearance.NONE)
    assert 0 < classified.count() < 0.06 * total
    assert classified.filter(classification=Clearance.CONFIDENTIAL).exists()
    assert not classified.filter(Q(secrecy_period="") | ~Q(copy_number__regex=r"^\d{6}$"))
    assert not documents.filter(classification=Clearance.NONE).exclude(copy_number="")
    # Titles read like the register.
    assert documents.filter(title__regex=r"^关于.+的请示$", doc_type="request").exists()
    assert documents.filter(title__regex=r"^关于同意.+的批复$", doc_type="reply").exists()
    assert documents.filter(title__startswith="市人民政府", doc_type="minutes").exists()


def test_configuration_review_levels_rules_and_seals(demo):
    units, users = demo["units"], demo["users"]
    for issuer in ("government", "office"):
        levels = list(ReviewLevel.objects.filter(unit=units[issuer]).order_by("level"))
        assert [(lv.level, lv.label) for lv in levels] == [(1, "科室核稿"), (2, "秘书长审核")]
        assert users["secretary_chief"] in levels[0].reviewers.all()
        assert users["deputy_secretary_general_1"] in levels[1].reviewers.all()
        seal = Seal.objects.get(unit=units[issuer], is_active=True)
        assert seal.image.name and seal.image.storage.exists(seal.image.name)
        with seal.image.open("rb") as image:
            assert image.read(8) == b"\x89PNG\r\n\x1a\n"
    codes = set(NumberRule.objects.values_list("code", flat=True))
    assert {"珠府", "珠府函", "珠府办", "珠府办函"} <= codes


def test_outgoing_numbers_are_contiguous_per_register_and_year(demo):
    issued = OutgoingDocument.objects.filter(state__in=ISSUED)
    assert not issued.filter(Q(document_number="") | Q(serial__isnull=True))
    assert not OutgoingDocument.objects.exclude(state__in=ISSUED).exclude(document_number="")
    document_type = ContentType.objects.get_for_model(OutgoingDocument)
    keys = {code for _, _, code in RULES}
    registers = defaultdict(list)
    for serial in SerialNumber.objects.filter(key__in=keys):
        registers[(serial.key, serial.year)].append(serial)
    assert ("珠府", timezone.localdate().year) in registers
    voids = 0
    for (key, year), serials in registers.items():
        numbers = sorted(s.number for s in serials)
        assert numbers == list(range(1, len(numbers) + 1)), (key, year)
        assert SerialCounter.objects.get(key=key, year=year).last_number == len(numbers)
        for serial in serials:
            assert serial.text == numbering.format_number(
                numbering.DEFAULT_PATTERN, key=key, year=year, number=serial.number
            )
            if serial.status == SerialNumber.Status.VOID:
                voids += 1
                assert serial.void_reason and serial.voided_by and serial.voided_at
                # The document it was taken for holds a live number in another register.
                holder = OutgoingDocument.objects.get(pk=serial.object_id)
                assert holder.document_number and holder.document_number != serial.text
                continue
            document = OutgoingDocument.objects.get(pk=serial.object_id)
            assert serial.content_type_id == document_type.pk
            assert (document.document_number, document.year, document.serial) == (
                serial.text,
                year,
                serial.number,
            )
            assert timezone.localtime(document.numbered_at).year == year
        # Numbers are taken in the order of 复核编号.
        live = sorted((s for s in serials if s.status == "issued"), key=lambda s: s.number)
        moments = [s.allocated_at for s in live]
        assert moments == sorted(moments), (key, year)
    assert 1 <= voids <= 12
    assert SerialNumber.objects.filter(key__in=keys, status="issued").count() == issued.count()
    assert not TrailEvent.objects.filter(action="void_number").exclude(opinion__contains="作废")


def test_issued_documents_carry_their_whole_history(demo):
    documents = OutgoingDocument.objects.all()
    versions = Counter(DraftVersion.objects.values_list("document", flat=True))
    assert set(versions) == set(documents.values_list("pk", flat=True))
    assert {1, 2, 3} <= set(versions.values())
    for pk, numbers in (
        DraftVersion.objects.values("document").annotate(n=Count("id")).values_list("document", "n")
    ):
        assert numbers == versions[pk]
    returned = ReviewRecord.objects.filter(outcome="returned")
    assert returned.exists() and not returned.filter(opinion="")
    assert not ReviewRecord.objects.exclude(version__document=F("document"))
    signed = documents.filter(state__in=[OS.SIGNED, *ISSUED])
    leaders = User.objects.filter(groups__name=Role.LEADER)
    assert not signed.filter(Q(signer__isnull=True) | Q(signed_at__isnull=True))
    assert not signed.exclude(signer__in=leaders)
    assert not documents.exclude(state__in=[OS.SIGNED, *ISSUED]).filter(signer__isnull=False)
    for document in signed.filter(state__in=ISSUED).order_by("?")[:80]:
        approved = {r.level for r in document.reviews.all() if r.outcome == "approved"}
        assert approved == {1, 2}, document
        moments = [document.created_at, document.signed_at, document.numbered_at]
        moments += [document.sealed_at, document.dispatched_at]
        reached = [m for m in moments if m is not None]
        assert reached == sorted(reached), document
    # 用印: one ledger entry per sealed document, approved by its signer.
    sealed = documents.filter(state__in=[OS.SEALED, OS.DISPATCHED, OS.ARCHIVED])
    ledger = SealLedgerEntry.objects.filter(document__in=sealed)
    assert ledger.count() == sealed.count()
    assert not ledger.exclude(approver=F("document__signer"))
    assert not ledger.exclude(seal__unit=F("document__issuing_unit"))
    # 会签: every co-signing unit of a signed document gave its opinion.
    co = CoSignature.objects.filter(document__in=signed)
    assert co.exists() and not co.filter(signed_at__isnull=True)
    now = timezone.now()
    assert not documents.filter(
        Q(created_at__gt=now) | Q(signed_at__gt=now) | Q(dispatched_at__gt=now)
    )


def test_every_dispatched_document_has_receipts_for_all_its_recipients(demo):
    dispatched = OutgoingDocument.objects.filter(state__in=[OS.DISPATCHED, OS.ARCHIVED])
    assert dispatched.count() > 400
    for document in dispatched.prefetch_related("main_recipients", "cc_recipients", "receipts"):
        main = {u.pk for u in document.main_recipients.all()}
        cc = {u.pk for u in document.cc_recipients.all()} - main
        receipts = {r.unit_id: r for r in document.receipts.all()}
        assert main and set(receipts) == main | cc, document
        assert {u for u, r in receipts.items() if r.role == "main"} == main, document
        paper = document.classification >= Clearance.CONFIDENTIAL  # never electronically
        # 8 working hours, as the workflow's dispatch sets it.
        due = None if paper else add_working_hours(document.dispatched_at, SIGNING_HOURS)
        for receipt in receipts.values():
            assert receipt.channel == ("paper" if paper else "exchange"), document
            assert receipt.sent_at == document.dispatched_at
            assert receipt.due_at == due, document
        if document.state == OS.ARCHIVED:
            assert all(r.received_at for r in receipts.values()), document
    receipts = Receipt.objects.filter(document__in=dispatched)
    signed = receipts.filter(received_at__isnull=False)
    assert share(signed.count(), receipts.count()) > 0.98
    late = signed.filter(received_at__gt=F("due_at")).count()
    assert 0.03 < share(late, signed.count()) < 0.15
    assert not signed.filter(received_at__lt=F("sent_at"))
    # The red flag: a few receipts unsigned past their deadline.
    overdue = receipts.filter(received_at__isnull=True, due_at__lt=timezone.now())
    assert overdue.count() >= 3
    # Every signature has a name: the unit's person, or the secretary for a unit with nobody here.
    assert not signed.filter(received_by__isnull=True).exists()


def test_many_addressees_print_as_one_collective_name_and_the_text_does_not_repeat_it(demo):
    from documents.models import DraftVersion

    collective = OutgoingDocument.objects.exclude(addressee_text="")
    assert collective.count() > 50
    assert not DraftVersion.objects.filter(body__startswith=collective.first().addressee_text)
    assert not DraftVersion.objects.filter(body__regex=r"^[^\n]{0,40}：\n").exists()


def test_the_outgoing_trail_chains_every_documents_states(demo):
    document_type = ContentType.objects.get_for_model(OutgoingDocument)
    trail = TrailEvent.objects.filter(content_type=document_type)
    for action, label in trail.values_list("action", "action_label").distinct():
        assert OUTGOING_LABELS[action] == label
    assert not trail.filter(actor_name="").exists()
    chains = defaultdict(list)
    for object_id, before, after in (
        trail.exclude(to_state="")
        .order_by("at", "id")
        .values_list("object_id", "from_state", "to_state")
    ):
        chains[object_id].append((before, after))
    for pk, state in OutgoingDocument.objects.values_list("pk", "state"):
        chain = chains[pk]
        assert chain[0] == ("", OS.DRAFT.label), pk
        for (_, previous), (current, _) in zip(chain, chain[1:], strict=False):
            assert current == previous, pk
        assert chain[-1][1] == OS(state).label, pk
    numbered = trail.filter(action="number")
    assert numbered.count() == OutgoingDocument.objects.filter(state__in=ISSUED).count()
    assert not numbered.exclude(opinion__regex=r"^珠府.*〔\d{4}〕[1-9]\d*号$")
    receipts = Receipt.objects.filter(received_at__isnull=False).count()
    assert trail.filter(action="receive").count() == receipts


def test_every_demo_persona_has_outgoing_work_waiting(demo):
    users = demo["users"]
    documents = list(OutgoingDocument.objects.exclude(state=OS.ARCHIVED))

    def waiting(user):
        work = []
        for document in documents:
            state = document.state
            if state in (OS.DRAFT, OS.RETURNED) and document.drafter_id == user.pk:
                work.append(document)
            elif state == OS.IN_REVIEW and can.can_review(user, document):
                work.append(document)
            elif state == OS.CO_SIGNING and can.can_co_sign(user, document):
                work.append(document)
            elif state == OS.AWAITING_SIGN_OFF and can.can_sign_off(user, document):
                work.append(document)
            elif state in (OS.SIGNED, OS.NUMBERED, OS.SEALED) and can.can_number(user, document):
                work.append(document)
            elif state == OS.DISPATCHED and can.my_pending_receipt(user, document):
                work.append(document)
        return work

    idle = ("sysadmin", "secadmin", "auditor")
    for key, user in users.items():
        if key not in idle:
            assert waiting(user), key
    for key in ("secretary_chief", "secretary_deputy"):
        assert any(d.state == OS.IN_REVIEW and d.review_level == 1 for d in waiting(users[key]))
    for key in ("deputy_secretary_general_1", "deputy_secretary_general_2"):
        assert any(d.state == OS.IN_REVIEW and d.review_level == 2 for d in waiting(users[key]))
    for key in ("education_handler", "housing_handler", "finance_handler", "transport_handler"):
        states = {d.state for d in waiting(users[key])}
        assert {OS.CO_SIGNING, OS.DISPATCHED} <= states, key
