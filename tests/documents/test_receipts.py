"""签收时限 and 催收 (documents.receipts): an electronic receipt is due 8 working hours after
dispatch and chased once a day after that; signed and paper receipts never are. Documents are
built by the real workflow on PostgreSQL; the dispatch moment is fixed by patching the clock
(django.utils.timezone.now) around `dispatch`, and the sweeps take `now=`."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from documents import receipts
from documents.models import Receipt
from documents.tasks import sweep_unsigned_receipts
from documents.workflow import outgoing as flow
from office.celery import app as celery_app
from office.models import Notification, Reminder
from tests.concurrency import race
from tests.documents.test_outgoing_workflow import signed_and_numbered

CHASE_TITLE = "请尽快签收"


@pytest.fixture(autouse=True)
def _default_office_hours(settings):
    settings.OFFICE_HOURS = "08:30-12:00,14:30-17:30"


@pytest.fixture
def government_seal(units):
    from documents.models import Seal

    return Seal.objects.create(unit=units["government"], name="珠海市人民政府印章")


SENDER_TITLE = "超时未签收"


def at(month, day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute))


FRIDAY_1500 = at(11, 20, 15)  # a Friday; the 8th working hour ends on Monday at 16:30
MONDAY_1630 = at(11, 23, 16, 30)


def dispatched(personas, units, seal, *, moment=FRIDAY_1500, on_paper=False, **overrides):
    """A document numbered, sealed and dispatched (主送 units A and B) at `moment`."""
    document = signed_and_numbered(personas, units, **overrides)
    flow.seal(document, actor=personas["secretary"], seal=seal, copies=10)
    with time_machine.travel(moment, tick=False):  # dispatched at that moment
        flow.dispatch(document, actor=personas["secretary"], on_paper=on_paper)
    return document


def chases(user):
    return Notification.objects.filter(recipient=user, title__startswith=CHASE_TITLE)


def sender_notices(user):
    return Notification.objects.filter(recipient=user, title__contains=SENDER_TITLE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "due"),
    [
        # Across a weekend: Friday 15:00–17:30 (2.5 h), Monday 08:30–12:00 (3.5 h), 14:30–16:30.
        (FRIDAY_1500, MONDAY_1630),
        # Across a night: Monday 16:00–17:30 (1.5 h), Tuesday 08:30–12:00, 14:30–17:30 (6.5 h).
        (at(11, 23, 16), at(11, 24, 17, 30)),
    ],
)
def test_overdue_only_after_eight_working_hours(personas, units, government_seal, sent, due):
    document = dispatched(personas, units, government_seal, moment=sent)
    rows = list(document.receipts.all())
    assert len(rows) == 2
    assert {(r.channel, r.sent_at, r.due_at) for r in rows} == {("exchange", sent, due)}

    one_minute = datetime.timedelta(minutes=1)
    before = due - one_minute  # 7 h 59 min of working time after dispatch
    assert not receipts.overdue(now=before).exists()
    assert not any(receipts.is_overdue(r, now=before) for r in rows)
    assert not receipts.is_overdue(rows[0], now=due)  # due at 16:30 means: still fine at 16:30
    after = due + one_minute
    assert set(receipts.overdue(now=after)) == set(rows)
    assert all(receipts.is_overdue(r, now=after) for r in rows)


@pytest.mark.django_db
def test_the_night_and_the_weekend_do_not_count(personas, units, government_seal):
    document = dispatched(personas, units, government_seal)
    saturday_evening = at(11, 21, 20)  # 29 hours later, but only 2.5 working hours
    assert not receipts.overdue(now=saturday_evening).exists()
    assert receipts.sweep_unsigned_receipts(now=saturday_evening) == 0
    assert not any(receipts.is_overdue(r, now=saturday_evening) for r in document.receipts.all())
    assert {receipts.light(r, now=saturday_evening) for r in document.receipts.all()} == {"green"}
    assert {receipts.light(r, now=at(11, 23, 17)) for r in document.receipts.all()} == {"red"}


@pytest.mark.django_db
def test_nothing_is_chased_on_a_day_off(personas, units, government_seal):
    dispatched(personas, units, government_seal, moment=at(11, 19, 15))  # due Friday 16:30
    assert receipts.overdue(now=at(11, 21, 10)).count() == 2
    assert receipts.sweep_unsigned_receipts(now=at(11, 21, 10)) == 0  # Saturday
    assert not Notification.objects.filter(title__startswith=CHASE_TITLE).exists()
    assert receipts.sweep_unsigned_receipts(now=at(11, 23, 9)) == 2  # Monday


@pytest.mark.django_db
def test_each_overdue_receipt_is_chased_once_a_day_and_the_sender_told(
    personas, units, government_seal
):
    document = dispatched(personas, units, government_seal)
    secretary, handler_a, head_a, handler_b = (
        personas[k] for k in ("secretary", "handler_a", "head_a", "handler_b")
    )
    first = at(11, 23, 17)

    assert receipts.sweep_unsigned_receipts(now=first) == 2
    title = f"请尽快签收：{document.document_number} {document.title}"
    for person in (handler_a, head_a, handler_b):  # the units' handlers and heads
        assert list(chases(person).values_list("title", "urgent")) == [(title, True)]
    assert not chases(personas["outsider"]).exists()
    notice = sender_notices(secretary).get()  # the drafter, also a secretary: told once
    assert document.document_number in notice.title
    assert "珠海市教育局" in notice.body and "珠海市住房和城乡建设局" in notice.body
    assert set(document.receipts.values_list("chased_at", flat=True)) == {first}

    # Later the same day: nothing again.
    assert receipts.sweep_unsigned_receipts(now=at(11, 23, 17, 30)) == 0
    assert chases(handler_a).count() == 1 and sender_notices(secretary).count() == 1
    assert set(document.receipts.values_list("chased_at", flat=True)) == {first}

    # The next working day: chased again, once.
    assert receipts.sweep_unsigned_receipts(now=at(11, 24, 9)) == 2
    assert receipts.sweep_unsigned_receipts(now=at(11, 24, 9, 30)) == 0
    assert chases(handler_a).count() == 2 and sender_notices(secretary).count() == 2
    assert Reminder.objects.filter(kind=receipts.CHASE).count() == 4


@pytest.mark.django_db
def test_a_signed_receipt_is_never_chased(personas, units, government_seal):
    document = dispatched(personas, units, government_seal)
    flow.receive(document, actor=personas["handler_a"])
    signed = document.receipts.get(unit=units["a"])
    late = at(11, 25, 10)
    assert not receipts.is_overdue(signed, now=late)
    assert list(receipts.overdue(now=late)) == [document.receipts.get(unit=units["b"])]

    assert receipts.sweep_unsigned_receipts(now=late) == 1
    assert not chases(personas["handler_a"]).exists() and not chases(personas["head_a"]).exists()
    assert chases(personas["handler_b"]).count() == 1
    notice = sender_notices(personas["secretary"]).get()
    assert "珠海市住房和城乡建设局" in notice.body and "珠海市教育局" not in notice.body
    signed.refresh_from_db()
    assert signed.chased_at is None


@pytest.mark.django_db
def test_a_paper_receipt_has_no_deadline_and_is_never_chased(personas, units, government_seal):
    document = dispatched(personas, units, government_seal, on_paper=True)
    rows = list(document.receipts.all())
    assert {(r.channel, r.due_at) for r in rows} == {(Receipt.Channel.PAPER, None)}
    much_later = at(12, 15, 10)
    assert not receipts.overdue(now=much_later).exists()
    assert not any(receipts.is_overdue(r, now=much_later) for r in rows)
    assert receipts.sweep_unsigned_receipts(now=much_later) == 0
    assert not Notification.objects.filter(title__startswith=CHASE_TITLE).exists()


@pytest.mark.django_db
def test_the_task_and_its_beat_entry(personas, units, government_seal, settings):
    dispatched(personas, units, government_seal)
    entry = settings.CELERY_BEAT_SCHEDULE["documents-sweep-unsigned-receipts"]
    assert entry["task"] == "documents.tasks.sweep_unsigned_receipts"
    assert entry["task"] in celery_app.tasks
    result = sweep_unsigned_receipts.apply(args=["2026-11-23T17:00:00+08:00"])
    assert result.get() == 2
    assert sweep_unsigned_receipts.apply(args=["2026-11-23T17:30:00+08:00"]).get() == 0
    assert sweep_unsigned_receipts.apply(args=["2026-11-23T17:45"]).get() == 0  # local time


@pytest.mark.django_db(transaction=True)
def test_four_sweeps_at_once_chase_each_receipt_once(personas, units, government_seal):
    documents = [
        dispatched(personas, units, government_seal, title=f"关于第{n}项工作的通知")
        for n in range(1, 4)
    ]
    results = race(lambda: receipts.sweep_unsigned_receipts(now=at(11, 23, 17)), 4)
    assert sum(results) == 6  # 3 documents × units A and B, whichever sweep chased them
    assert chases(personas["handler_a"]).count() == 3
    assert sender_notices(personas["secretary"]).count() == len(documents)
