"""自动催办 of suggestions and proposals (proposals.reminders): who is reminded of what on a
working day, nothing on a day off, 逾期督促 to a key item's leader and the office after N
working days, and each (item, kind, day) once however often and however many sweepers run — in
threads and through a real Celery worker on Redis.

The sweep day is Wednesday 2026-12-09; items are assigned today through the workflow, then their
deadlines are moved with queryset.update to where each case needs them."""

import datetime
import re
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from office import calendar
from office.models import CalendarOverride, Notification, Reminder
from office.roles import Role
from proposals import reminders
from proposals.models import Proposal
from proposals.tasks import sweep_proposals
from tests.concurrency import race
from tests.conftest import make_user
from tests.office.test_notifications import redis_worker, wait_for  # noqa: F401  (a fixture)
from tests.proposals.test_workflow import assigned, make_session
from tests.steps import fresh

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 9)
NOW = timezone.make_aware(datetime.datetime(2026, 12, 9, 10, 0))
NOTHING = dict.fromkeys(reminders.KINDS, 0)
S = Proposal.State


def counts(**sent):
    return {**NOTHING, **{f"proposal_{kind}": n for kind, n in sent.items()}}


_numbers = iter(range(1, 10_000))


@pytest.fixture
def session(db):
    return make_session()


def item(personas, units, session, *, lead="a", title="关于增加城区学位供给的建议", **fields):
    """An item assigned today, then moved to `fields` (deadline, state …) in the database; by
    default due long after the sweep day."""
    created = assigned(personas, units, session, next(_numbers), lead=lead, title=title)
    fields = {"deadline": DAY + datetime.timedelta(days=60), **fields}
    Proposal.objects.filter(pk=created.pk).update(**fields)
    return fresh(created)


def notes(user):
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("id")
        .values_list("title", "urgent", "object_id")
    )


def reminded(kind):
    """The items reminded of `kind` on DAY (an escalation is recorded under the item's
    deadline: once per overdue spell)."""
    found = Reminder.objects.filter(
        content_type=ContentType.objects.get_for_model(Proposal), kind=kind
    )
    if kind != reminders.ESCALATED:
        found = found.filter(day=DAY)
    return sorted(found.values_list("object_id", flat=True))


def label(p):
    return f"{p.session.name} 建议第{p.number:04d}号 {p.title}"


class TestEachKind:
    def test_due_soon_reminds_the_lead_unit_once(self, personas, units, session):
        soon = item(personas, units, session, deadline=calendar.add_working_days(DAY, 2))
        edge = item(personas, units, session, lead="b", deadline=calendar.add_working_days(DAY, 3))
        later = item(personas, units, session, deadline=calendar.add_working_days(DAY, 4))
        Notification.objects.all().delete()
        assert reminders.sweep(NOW) == counts(due_soon=2)
        expected = [(f"建议提案答复即将到期：{label(soon)}", False, soon.pk)]
        assert notes(personas["handler_a"]) == expected
        assert notes(personas["head_a"]) == expected
        assert notes(personas["handler_b"]) == [
            (f"建议提案答复即将到期：{label(edge)}", False, edge.pk)
        ]
        body = Notification.objects.filter(recipient=personas["handler_a"]).get().body
        assert f"答复期限为{soon.deadline:%Y年%-m月%-d日}，还有2个工作日到期" in body
        assert reminded(reminders.DUE_SOON) == sorted([soon.pk, edge.pk])
        assert later.pk not in reminded(reminders.DUE_SOON)

    def test_overdue_reminds_the_lead_unit_urgently_every_working_day(
        self, personas, units, session
    ):
        late = item(personas, units, session, deadline=calendar.add_working_days(DAY, -2))
        Notification.objects.all().delete()
        assert reminders.sweep(NOW) == counts(overdue=1)
        expected = [(f"建议提案答复已逾期：{label(late)}", True, late.pk)]
        assert notes(personas["handler_a"]) == expected
        assert notes(personas["head_a"]) == expected
        assert "已逾期2个工作日" in Notification.objects.filter(object_id=late.pk).first().body
        next_day = calendar.add_working_days(DAY, 1)
        later = timezone.make_aware(datetime.datetime.combine(next_day, datetime.time(10)))
        # The next working day: reminded again, three days late — and now escalated (N = 3).
        assert reminders.sweep(later) == counts(overdue=1, escalated=1)
        note = Notification.objects.filter(recipient=personas["handler_a"]).order_by("id").last()
        assert "已逾期3个工作日" in note.body
        # Another working day: the unit is urged again, the escalation is not repeated (once
        # per overdue spell, as in supervision).
        day_after = calendar.add_working_days(DAY, 2)
        again = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time(10)))
        assert reminders.sweep(again) == counts(overdue=1)

    def test_several_items_of_one_unit_come_in_one_message(self, personas, units, session):
        first = item(personas, units, session, deadline=DAY - datetime.timedelta(days=1))
        second = item(personas, units, session, deadline=DAY - datetime.timedelta(days=2))
        Notification.objects.all().delete()
        assert reminders.sweep(NOW) == counts(overdue=2)
        [(title, urgent, obj)] = notes(personas["handler_a"])
        assert (title, urgent, obj) == ("2件建议提案答复已逾期", True, None)
        note = Notification.objects.get(recipient=personas["handler_a"])
        assert f"第{first.number:04d}号" in note.body and f"第{second.number:04d}号" in note.body
        assert note.url == "/proposals/"

    def test_items_out_of_the_units_hands_are_left_alone(self, personas, units, session):
        past = DAY - datetime.timedelta(days=10)
        for state in (S.REGISTERED, S.REPLIED, S.RATED, S.CLOSED):
            item(personas, units, session, state=state, deadline=past)
        item(personas, units, session, deadline=None)
        assert reminders.sweep(NOW) == NOTHING
        assert not Reminder.objects.exists()

    def test_every_in_hand_state_is_reminded(self, personas, units, session):
        past = DAY - datetime.timedelta(days=1)
        for state in Proposal.IN_HAND:
            item(personas, units, session, state=state, deadline=past)
        assert reminders.sweep(NOW) == counts(overdue=len(Proposal.IN_HAND))


class TestWorkingDays:
    def test_nothing_on_a_day_off(self, personas, units, session):
        item(personas, units, session, deadline=DAY - datetime.timedelta(days=5))
        saturday = timezone.make_aware(datetime.datetime(2026, 12, 12, 10, 0))
        assert reminders.sweep(saturday) == NOTHING
        CalendarOverride.objects.create(
            date=DAY, is_working_day=False, note="防台风停工", updated_by=personas["sysadmin"]
        )
        assert reminders.sweep(NOW) == NOTHING
        assert not Reminder.objects.exists()

    def test_twice_the_same_day_sends_nothing_twice_and_the_next_working_day_again(
        self, personas, units, session
    ):
        item(personas, units, session, deadline=calendar.add_working_days(DAY, -1))
        item(personas, units, session, deadline=calendar.add_working_days(DAY, 1))
        Notification.objects.all().delete()
        first = sweep_proposals("2026-12-09T10:00:00+08:00")
        assert first == counts(due_soon=1, overdue=1)
        sent = Notification.objects.count()
        assert sent == 4  # handler and head of unit A, two kinds
        assert sweep_proposals("2026-12-09T15:30:00+08:00") == NOTHING
        assert Notification.objects.count() == sent
        assert sweep_proposals("2026-12-10T10:00:00") == first
        assert Reminder.objects.count() == 4

    def test_not_due_items_cost_nothing(
        self, personas, units, session, django_assert_max_num_queries
    ):
        for i in range(30):
            item(personas, units, session, title=f"未到期建议{i}")
        # The calendar lookups, and per kind one empty chunk (its SELECT … FOR UPDATE between a
        # savepoint and its release inside the test's transaction).
        with django_assert_max_num_queries(14):
            assert reminders.sweep(NOW) == NOTHING


class TestEscalation:
    @pytest.fixture
    def liaison(self, units, personas):
        deputy = make_user("fumishuzhang", "钱副秘书长", unit=units["office"], roles=[Role.LEADER])
        personas["leader"].liaison = deputy
        personas["leader"].save()
        return deputy

    def test_n_working_days_late_goes_to_the_key_leader_and_the_office(
        self, personas, units, session, liaison, settings
    ):
        settings.PROPOSALS_ESCALATE_AFTER_WORKING_DAYS = 3
        three = calendar.add_working_days(DAY, -3)
        two = calendar.add_working_days(DAY, -2)
        key = item(
            personas,
            units,
            session,
            deadline=three,
            is_key=True,
            key_leader_id=personas["leader"].pk,
        )
        normal = item(personas, units, session, lead="b", deadline=three)
        recent = item(
            personas, units, session, deadline=two, is_key=True, key_leader_id=personas["leader"].pk
        )
        assert calendar.working_days_between(three, DAY) == 3
        Notification.objects.all().delete()
        assert reminders.sweep(NOW) == counts(overdue=3, escalated=2)
        assert reminded(reminders.ESCALATED) == sorted([key.pk, normal.pk])
        expected = [(f"建议提案答复逾期督促：{label(key)}", True, key.pk)]
        assert notes(personas["leader"]) == expected
        assert notes(liaison) == expected
        for staff in (personas["secretary"], personas["supervisor"]):
            [(title, urgent, obj)] = notes(staff)
            assert (title, urgent, obj) == ("2件建议提案答复逾期督促", True, None)
        body = Notification.objects.get(recipient=personas["secretary"]).body
        assert "主办单位珠海市教育局" in body and "主办单位珠海市住房和城乡建设局" in body
        assert "已逾期3个工作日" in body
        assert recent.pk not in reminded(reminders.ESCALATED)

    def test_the_setting_decides_n(self, personas, units, session, settings):
        settings.PROPOSALS_ESCALATE_AFTER_WORKING_DAYS = 5
        late = item(personas, units, session, deadline=calendar.add_working_days(DAY, -4))
        assert reminders.sweep(NOW)[reminders.ESCALATED] == 0
        Proposal.objects.filter(pk=late.pk).update(deadline=calendar.add_working_days(DAY, -5))
        next_run = NOW + datetime.timedelta(minutes=30)
        assert reminders.sweep(next_run)[reminders.ESCALATED] == 1


def overdue_and_due_soon(personas, units, session, *, overdue, due_soon):
    for i in range(overdue):
        item(
            personas,
            units,
            session,
            title=f"逾期建议{i}",
            deadline=DAY - datetime.timedelta(days=20),
        )
    for i in range(due_soon):
        item(personas, units, session, lead="b", title=f"临期建议{i}", deadline=DAY)


def assert_each_reminder_once(personas, *, overdue, due_soon):
    assert len(reminded(reminders.OVERDUE)) == overdue
    assert len(reminded(reminders.ESCALATED)) == overdue
    assert len(reminded(reminders.DUE_SOON)) == due_soon
    # Each recipient is told of each of their items exactly once.
    for user, words, n in (
        (personas["handler_a"], "已逾期", overdue),
        (personas["secretary"], "逾期督促", overdue),
        (personas["handler_b"], "即将到期", due_soon),
    ):
        rows = Notification.objects.filter(recipient=user, title__contains=words)
        text = "\n".join(f"{t}\n{b}" for t, b in rows.values_list("title", "body"))
        numbers = re.findall(r"第(\d{4})号", text)
        assert len(numbers) == n and len(set(numbers)) == n, (user, words, numbers)


@pytest.mark.django_db(transaction=True)
def test_four_sweepers_at_once_send_each_reminder_once(personas, units, monkeypatch):
    monkeypatch.setattr(reminders, "CHUNK_SIZE", 3)  # several chunks each, claimed in turn
    monkeypatch.setattr(reminders, "LISTED", 100)
    session = make_session()
    overdue_and_due_soon(personas, units, session, overdue=9, due_soon=6)
    results = race(lambda: reminders.sweep(NOW), 4)
    assert {k: sum(r[k] for r in results) for k in NOTHING} == counts(
        overdue=9, escalated=9, due_soon=6
    )
    assert_each_reminder_once(personas, overdue=9, due_soon=6)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_worker")
def test_a_celery_worker_on_redis_runs_the_sweep(personas, units):
    session = make_session()
    overdue_and_due_soon(personas, units, session, overdue=3, due_soon=2)
    for _ in range(3):
        sweep_proposals.delay("2026-12-09T10:00:00+08:00")
    assert wait_for(lambda: Reminder.objects.count() == 3 + 3 + 2, timeout=30)
    time.sleep(1.5)  # the repeated runs finish, and add nothing
    assert Reminder.objects.count() == 3 + 3 + 2
    assert_each_reminder_once(personas, overdue=3, due_soon=2)
