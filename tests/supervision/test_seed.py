"""The demo's year of 督查督办 (supervision.seed, DOMAIN.md §6): items from every source at the
scale of one city office, meeting decisions linked to their decided items exactly as sign-off
links them, 督办编号 without gaps, a completion rate near 90% for the items due, every light
showing now, open items whose light dates are what supervision.schedule computes, work waiting
for the demo's people, the last three months' 督查通报 signed and dispatched with the figures the
real functions take (and a 督查专报 in draft), and a second run that adds nothing.

The demo (core, 收文 for the leaders' instructions, 办会 for the decided items, then 督查督办) is
seeded once for the module inside a transaction rolled back at the end (the trail refuses
DELETE); each test runs in a savepoint inside it.
"""

import datetime
import time
from collections import Counter, defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from documents.models import LeaderInstruction
from documents.selectors import instructions_to_supervise
from meetings.minutes import decided_items_to_supervise
from meetings.models import DecidedItem
from meetings.supervise import item_title, source_label
from office.calendar import Light, working_days_between
from office.models import Notification, SerialCounter, SerialNumber, TrailEvent
from office.seed import run_seeders
from supervision import bulletins, measures, schedule
from supervision.intake import instruction_candidates
from supervision.models import (
    Bulletin,
    Cadence,
    Extension,
    ItemGroup,
    Milestone,
    ProgressReport,
    Source,
    SupervisionItem,
    Urging,
)
from supervision.seed import seed_supervision
from supervision.selectors import bulletins_visible_to
from supervision.services import NUMBER_KEY

pytestmark = pytest.mark.django_db

SEEDERS = [
    "office.seed.core.seed_core",
    "documents.seed.seed_incoming",
    "meetings.seed.seed_meetings",
    "supervision.seed.seed_supervision",
]
S = SupervisionItem.State
R = ProgressReport


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """(demo, seconds the 督查督办 seeder took)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            demo = run_seeders(SEEDERS[:-1])
            started = time.monotonic()
            demo.update(seed_supervision(demo))
            elapsed = time.monotonic() - started
        connection.check_constraints()
        yield demo, elapsed
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded):
    return seeded[0]


def items(source=None):
    qs = SupervisionItem.objects.all()
    return qs if source is None else qs.filter(source=source)


def test_quick(seeded):
    assert seeded[1] < 20


def test_every_source_at_the_scale_of_one_city_office(demo):
    count = Counter(items().values_list("source", flat=True))
    assert count[Source.MEETING_DECISION] == decided_items_to_supervise().count() > 100
    instructions = instructions_to_supervise().count()
    assert instructions - 10 <= count[Source.INSTRUCTION] < instructions
    assert count[Source.WORK_REPORT_TASK] == 40
    assert 10 <= count[Source.LIVELIHOOD_PROJECT] <= 18
    assert count[Source.HIGHER_ASSIGNMENT] == 15
    assert count[Source.PUBLIC_APPEAL] == 30
    # The newest instructions wait for 立项 on the supervisor's list.
    waiting = instruction_candidates(demo["users"]["supervisor_chief"])
    assert len(waiting) >= 3
    assert {i.pk for i in waiting} == set(
        instructions_to_supervise().values_list("pk", flat=True)
    ) - set(items(Source.INSTRUCTION).values_list("source_id", flat=True))


def test_meeting_decisions_link_back_as_sign_off_links_them(demo):
    decided_type = ContentType.objects.get_for_model(DecidedItem)
    by_source = {i.source_id: i for i in items(Source.MEETING_DECISION)}
    assert {i.source_type_id for i in by_source.values()} == {decided_type.pk}
    for decided in decided_items_to_supervise():
        item = by_source[decided.pk]
        url = reverse("meetings:minutes-detail", args=[decided.minutes_id])
        assert item.title == item_title(decided)
        assert item.source_label == source_label(decided)
        assert item.source_url == f"{url}#decided-{decided.position}"
        assert (item.lead_unit_id, item.responsible_leader_id) == (
            decided.lead_unit_id,
            decided.leader_id,
        )
        assert item.original_deadline == decided.deadline
        assert item.opened_on == timezone.localtime(decided.minutes.signed_at).date()
        assert set(item.co_units.all()) == set(decided.co_units.all())


def test_instructions_and_hand_opened_items(demo):
    instruction_type = ContentType.objects.get_for_model(LeaderInstruction)
    for item in items(Source.INSTRUCTION).select_related("responsible_leader"):
        assert item.source_type_id == instruction_type.pk
        instruction = LeaderInstruction.objects.select_related("document").get(pk=item.source_id)
        assert item.responsible_leader_id == instruction.leader_id
        assert item.source_label.startswith(f"{instruction.leader.real_name}批示（")
        assert item.source_url == reverse(
            "documents:incoming-detail", args=[instruction.document_id]
        )
    users = demo["users"]
    for item in items(Source.WORK_REPORT_TASK):
        assert item.report_cadence == Cadence.QUARTERLY
        assert (item.original_deadline.month, item.original_deadline.day) == (12, 31)
        assert item.milestones.count() == 4
    education = items(Source.LIVELIHOOD_PROJECT).get(title="新建改扩建公办幼儿园 12 所")
    assert education.responsible_leader == users["vice_mayor_social"]
    assert education.milestones.exists()
    for item in items(Source.PUBLIC_APPEAL):
        assert 5 <= working_days_between(item.opened_on, item.original_deadline) <= 10
        assert item.report_cadence == Cadence.NONE
    appeals = measures.rates(items(Source.PUBLIC_APPEAL).filter(deadline__lt=timezone.localdate()))
    assert appeals.closed_on_time >= 0.8 * appeals.total


def test_numbers_contiguous_per_year_in_the_order_of_opening(demo):
    item_type = ContentType.objects.get_for_model(SupervisionItem)
    serials = {
        s.object_id: s for s in SerialNumber.objects.filter(key=NUMBER_KEY, content_type=item_type)
    }
    by_year = defaultdict(list)
    for item in items().order_by("opened_on", "id"):
        serial = serials[item.pk]
        assert serial.text == item.item_number == f"督〔{item.year}〕{serial.number}号"
        by_year[item.year].append((item.opened_on, serial.number))
    for year, rows in by_year.items():
        numbers = sorted(n for _, n in rows)
        assert numbers == list(range(1, len(rows) + 1))
        assert [n for _, n in sorted(rows, key=lambda r: r[1])] == numbers
        assert [d for d, _ in sorted(rows, key=lambda r: r[1])] == sorted(d for d, _ in rows)
        assert SerialCounter.objects.get(key=NUMBER_KEY, year=year).last_number == len(rows)


def test_completion_rate_near_ninety_percent_and_every_light_now(demo):
    today = timezone.localdate()
    due = measures.rates(items().filter(deadline__lte=today))
    assert 85 <= due.completion_rate <= 95
    assert 0.02 * due.total <= due.closed_late <= 0.1 * due.total
    assert due.overdue > 0
    lights = Counter(measures.with_light(items()).values_list("light", flat=True))
    assert lights[Light.RED] > 0 and lights[Light.YELLOW] > 0 and lights[Light.GREEN] > 0
    assert lights[Light.GREEN] > lights[Light.RED]
    # Behind schedule (序时进度) and report missing both show.
    assert items().filter(measures.light_q(Light.YELLOW), behind_on__lte=today).exists()
    assert items().filter(state__in=(S.ASSIGNED, S.IN_PROGRESS), report_due_on__lt=today).exists()
    # What the reminder sweep tracks: red items carry the day they turned red, no other does.
    red = items().filter(measures.light_q(Light.RED))
    assert not red.filter(red_since__isnull=True).exists()
    assert not items().exclude(measures.light_q(Light.RED)).filter(red_since__isnull=False)


def test_life_of_the_items(demo):
    assert ProgressReport.objects.filter(state=R.State.RETURNED).exists()
    assert ProgressReport.objects.filter(flag=R.Flag.REPEATS_PREVIOUS).exists()
    kinds = set(Urging.objects.values_list("kind", flat=True))
    assert kinds == set(Urging.Kind.values)
    assert {Extension.State.APPROVED, Extension.State.REFUSED} <= set(
        Extension.objects.values_list("state", flat=True)
    )
    assert ItemGroup.objects.exists()
    for group in ItemGroup.objects.all():
        linked = list(group.items.all())
        assert len(linked) == 2 and len({i.lead_unit_id for i in linked}) == 1
    states = Counter(items().values_list("state", flat=True))
    assert states[S.CLOSED] and states[S.IN_PROGRESS] and states[S.SUSPENDED]
    assert states[S.CLOSE_REQUESTED] and states[S.ASSIGNED]
    for item in items().filter(state=S.CLOSED).select_related("latest_report"):
        assert item.closed_by_id and item.closed_on and item.report_due_on is None
        assert item.latest_report.kind == R.Kind.COMPLETION
        assert item.closed_on >= item.latest_report.submitted_at.date()
    # An application for completion carries its evidence, or is flagged for lacking it.
    completions = ProgressReport.objects.filter(kind=R.Kind.COMPLETION)
    assert not completions.filter(files__isnull=True).exclude(flag=R.Flag.NO_EVIDENCE).exists()
    assert completions.filter(flag=R.Flag.NO_EVIDENCE).exists()
    stored = completions.filter(files__isnull=False).first().files.first()
    with stored.file.open("rb") as evidence:
        assert evidence.read(5) == b"%PDF-"
    extended = items().exclude(deadline=F("original_deadline"))
    assert extended.exists()
    # A unit head finds reports waiting for approval.
    heads = [demo["users"][k] for k in ("education_head", "housing_head", "finance_head")]
    assert ProgressReport.objects.filter(
        state=R.State.SUBMITTED, unit__in=[h.unit_id for h in heads]
    ).exists()


def test_open_items_carry_the_dates_the_workflow_computes(demo):
    today = timezone.localdate()
    extended = set(Extension.objects.values_list("item_id", flat=True))
    reporting = (
        items()
        .filter(state__in=(S.ASSIGNED, S.IN_PROGRESS))
        .select_related("latest_report")
        .prefetch_related("milestones")
    )
    checked = 0
    for item in reporting:
        report = item.latest_report
        if report is not None and report.kind != R.Kind.PROGRESS:
            continue  # sent back: the workflow moves only the report date
        milestones = [(m.due_on, m.reached_on) for m in item.milestones.all()]
        assert item.behind_on == schedule.behind_on(
            start=item.assigned_on,
            deadline=item.deadline,
            progress=item.progress,
            milestones=milestones,
            cadence=item.report_cadence,
            report_day=item.report_day,
        ), item
        if report is None:
            assert item.state == S.ASSIGNED and item.progress == 0
            if item.pk not in extended:
                assert item.report_due_on == schedule.first_report_due(
                    item.assigned_on, item.report_cadence, item.report_day, item.deadline
                )
        else:
            assert item.state == S.IN_PROGRESS
            assert report.state == R.State.APPROVED and item.progress == report.progress
            approved = (
                timezone.localtime(report.reviewed_at).date()
                if report.reviewed_at
                else (timezone.localtime(report.submitted_at).date())
            )
            newest = item.reports.filter(state=R.State.APPROVED).order_by("-submitted_at")[0]
            assert newest == report
            if item.report_due_on is not None:
                due = item.report_due_on
                assert due > approved and due <= item.deadline
                previous = due - datetime.timedelta(days=1)
                assert (
                    schedule.report_day_after(previous, item.report_cadence, item.report_day) == due
                )
        assert item.assigned_on <= today
        checked += 1
    assert checked > 50
    for milestone in Milestone.objects.filter(reached_on__isnull=False)[:200]:
        assert milestone.reports.filter(state=R.State.APPROVED).exists()


def test_trail_of_every_step(demo):
    item_type = ContentType.objects.get_for_model(SupervisionItem)
    trail = TrailEvent.objects.filter(content_type=item_type)
    actions = set(trail.values_list("action", flat=True))
    assert actions >= {
        "open",
        "assign",
        "submit_report",
        "report_progress",
        "request_close",
        "close",
        "send_back",
        "urge",
        "request_extension",
        "decide_extension",
        "suspend",
        "link",
        "return_report",
    }
    opened = Counter(trail.filter(action="open").values_list("object_id", flat=True))
    assert set(opened) == set(items().values_list("pk", flat=True))
    assert set(opened.values()) == {1}
    assert trail.filter(action="assign").count() == items().exclude(state=S.OPENED).count()
    assert trail.filter(action="close").count() == items().filter(state=S.CLOSED).count()
    assert not trail.filter(at__gt=timezone.now()).exists()
    manual = Urging.objects.filter(kind=Urging.Kind.MANUAL).count()
    assert trail.filter(action="urge").count() == manual


def last_months(count):
    """[(first day, last day)] of the last `count` complete months, oldest first."""
    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    months = []
    for _ in range(count):
        months.insert(0, (end.replace(day=1), end))
        end = end.replace(day=1) - datetime.timedelta(days=1)
    return months


def test_monthly_bulletins_signed_and_dispatched_with_the_real_figures(demo):
    users = demo["users"]
    supervisor, signer = users["supervisor_chief"], users["secretary_general"]
    monthly = list(Bulletin.objects.filter(kind=Bulletin.Kind.BULLETIN).order_by("period_start"))
    assert [(b.period_start, b.period_end) for b in monthly] == last_months(3)
    year = timezone.localdate().year
    assert [b.issue_text for b in monthly] == [f"{year}年第{n}期" for n in (1, 2, 3)]
    bulletin_type = ContentType.objects.get_for_model(Bulletin)
    serials = SerialNumber.objects.filter(key="督查通报", content_type=bulletin_type)
    assert sorted(serials.values_list("year", "number", "object_id")) == [
        (year, n, b.pk) for n, b in enumerate(monthly, 1)
    ]
    assert SerialCounter.objects.get(key="督查通报", year=year).last_number == 3
    for b in monthly:
        assert b.state == Bulletin.State.DISPATCHED and b.dispatched_at
        assert (b.drafted_by, b.signer, b.signed_by) == (supervisor, signer, signer)
        assert b.title == bulletins.default_title(b.kind, b.period_start, b.period_end)
        assert b.opening and b.good_examples and b.bad_examples and b.requirements
        items = bulletins.population(
            supervisor, period_start=b.period_start, period_end=b.period_end
        )
        figures, counted, overdue = bulletins.snapshot(items, as_of=b.period_end)
        assert (b.figures, b.counted, b.overdue) == (figures, counted, overdue)
        assert figures["summary"]["total"] > 50 and figures["summary"]["closed"] > 0
        recipients = set(b.recipients.values_list("pk", flat=True))
        assert recipients == {row["unit"] for row in figures["units"]}
        actions = TrailEvent.objects.filter(content_type=bulletin_type, object_id=b.pk)
        assert list(actions.order_by("id").values_list("action", flat=True)) == [
            "draft_bulletin",
            "revise_bulletin",
            "submit",
            "sign_off",
            "dispatch",
        ]
    # The newest month names its units overdue and the item overdue longest.
    newest = monthly[-1]
    if newest.overdue:
        assert newest.overdue[0]["number"] in newest.bad_examples
    # The units they were sent to see them; nobody was notified.
    head = users["education_head"]
    sent = [b for b in monthly if b.recipients.filter(pk=head.unit_id).exists()]
    assert sent and set(bulletins_visible_to(head)) >= set(sent)
    assert not Notification.objects.filter(content_type=bulletin_type).exists()


def test_a_special_report_in_draft(demo):
    (report,) = Bulletin.objects.filter(kind=Bulletin.Kind.SPECIAL_REPORT)
    today = timezone.localdate()
    end = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1) - datetime.timedelta(days=1)
    assert (report.period_start, report.period_end) == (
        end.replace(month=end.month - 2, day=1),
        end,
    )
    assert "季度" in report.title
    assert report.state == Bulletin.State.DRAFT and report.issue_number is None
    assert report.drafted_by == demo["users"]["supervisor_chief"]
    assert report.figures["summary"]["total"] > 0 and report.opening
    assert report.title == bulletins.default_title(
        report.kind, report.period_start, report.period_end
    )


def test_a_second_run_adds_nothing(demo):
    def counts():
        return (
            SupervisionItem.objects.count(),
            ProgressReport.objects.count(),
            Urging.objects.count(),
            Extension.objects.count(),
            SerialNumber.objects.filter(key=NUMBER_KEY).count(),
            Bulletin.objects.count(),
            SerialNumber.objects.filter(key__in=bulletins.REGISTERS.values()).count(),
            Notification.objects.count(),
            TrailEvent.objects.count(),
        )

    before = counts()
    seed_supervision(demo)
    assert counts() == before
