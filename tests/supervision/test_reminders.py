"""自动催办 of supervision items (supervision.reminders): who is reminded of what on a working day,
nothing on a day off, escalation to the responsible leader after N working days of red, and each
(item, kind, day) once however often and however many sweepers run — in threads and through a
real Celery worker on Redis.

The sweep day is Wednesday 2026-12-09; items are opened and assigned today through the workflow,
then their dates are moved with queryset.update to where each case needs them."""

import collections
import datetime
import re
import time

import pytest
from django.utils import timezone

from office import calendar
from office.models import CalendarOverride, Notification
from office.roles import Role
from supervision import reminders
from supervision.models import SupervisionItem, Urging
from supervision.tasks import sweep_supervision
from supervision.workflow import close, suspend
from tests.concurrency import race
from tests.conftest import make_user
from tests.office.test_notifications import redis_worker, wait_for  # noqa: F401  (a fixture)
from tests.steps import fresh
from tests.supervision.test_workflow import assigned_item

pytestmark = pytest.mark.django_db

K = Urging.Kind
DAY = datetime.date(2026, 12, 9)
NOW = timezone.make_aware(datetime.datetime(2026, 12, 9, 10, 0))
NOTHING = {K.DUE_SOON: 0, K.OVERDUE: 0, K.REPORT_MISSING: 0, K.ESCALATED: 0}


def counts(**sent):
    return {**NOTHING, **{K(kind): n for kind, n in sent.items()}}


def item(personas, units, *, lead="a", title="关于推进老旧小区改造的批示", **dates):
    """An item assigned today, then moved to `dates` (deadline, report_due_on, red_since …) in
    the database; by default due far after the sweep day with no report due."""
    created = assigned_item(personas, units, lead=lead, title=title)
    fields = {"deadline": DAY + datetime.timedelta(days=60), "report_due_on": None, **dates}
    SupervisionItem.objects.filter(pk=created.pk).update(**fields)
    return fresh(created)


def notes(user):
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("id")
        .values_list("title", "urgent", "object_id")
    )


def reminded(kind):
    return sorted(Urging.objects.filter(kind=kind, day=DAY).values_list("item_id", flat=True))


class TestEachKind:
    def test_due_soon_reminds_the_lead_unit_once(self, personas, units):
        soon = item(personas, units, deadline=calendar.add_working_days(DAY, 2))
        later = item(personas, units, deadline=calendar.add_working_days(DAY, 4))
        Notification.objects.all().delete()
        assert reminders.sweep(NOW) == counts(due_soon=1)
        expected = [(f"督办事项即将到期：{soon.item_number} {soon.title}", False, soon.pk)]
        assert notes(personas["handler_a"]) == expected
        assert notes(personas["head_a"]) == expected
        assert notes(personas["handler_b"]) == []
        assert reminded(K.DUE_SOON) == [soon.pk]
        urging = Urging.objects.get(item=soon)
        assert urging.by is None and "还有2个工作日到期" in urging.message
        assert later.pk not in reminded(K.DUE_SOON)

    def test_the_last_day_of_the_warning_window_is_due_soon(self, personas, units):
        edge = item(personas, units, deadline=calendar.add_working_days(DAY, 3))
        today = item(personas, units, deadline=DAY)
        assert reminders.sweep(NOW) == counts(due_soon=2)
        assert reminded(K.DUE_SOON) == sorted([edge.pk, today.pk])
        assert "今天到期" in Urging.objects.get(item=today).message

    def test_overdue_reminds_the_lead_unit_urgently(self, personas, units):
        late = item(personas, units, deadline=calendar.add_working_days(DAY, -2))
        Notification.objects.all().delete()
        assert reminders.sweep(NOW) == counts(overdue=1)
        expected = [(f"督办事项已逾期：{late.item_number} {late.title}", True, late.pk)]
        assert notes(personas["handler_a"]) == expected
        assert notes(personas["head_a"]) == expected
        assert "已逾期2个工作日" in Urging.objects.get(item=late).message

    def test_a_missed_progress_report_is_chased(self, personas, units):
        missing = item(personas, units, report_due_on=DAY - datetime.timedelta(days=1))
        on_time = item(personas, units, report_due_on=DAY)
        Notification.objects.all().delete()
        assert reminders.sweep(NOW) == counts(report_missing=1)
        expected = [
            (f"督办事项未按期报送进展：{missing.item_number} {missing.title}", False, missing.pk)
        ]
        assert notes(personas["handler_a"]) == expected
        assert reminded(K.REPORT_MISSING) == [missing.pk]
        assert on_time.pk not in reminded(K.REPORT_MISSING)

    def test_several_items_of_one_unit_come_in_one_message(self, personas, units):
        first = item(personas, units, deadline=calendar.add_working_days(DAY, -1), title="甲事项")
        second = item(personas, units, deadline=calendar.add_working_days(DAY, -3), title="乙事项")
        other = item(personas, units, lead="b", deadline=calendar.add_working_days(DAY, -1))
        Notification.objects.all().delete()
        assert reminders.sweep(NOW) == counts(overdue=3)
        [(title, urgent, obj)] = notes(personas["handler_a"])
        assert (title, urgent, obj) == ("2项督办事项已逾期", True, None)
        body = Notification.objects.get(recipient=personas["handler_a"]).body
        assert first.item_number in body and second.item_number in body
        assert notes(personas["handler_b"]) == [
            (f"督办事项已逾期：{other.item_number} {other.title}", True, other.pk)
        ]
        assert reminded(K.OVERDUE) == sorted([first.pk, second.pk, other.pk])

    def test_items_not_in_the_units_hands_are_left_alone(self, personas, units):
        past = calendar.add_working_days(DAY, -2)
        done = item(personas, units, deadline=past + datetime.timedelta(days=90))
        SupervisionItem.objects.filter(pk=done.pk).update(
            state=SupervisionItem.State.CLOSE_REQUESTED
        )
        stopped = item(personas, units)
        suspend(stopped, actor=personas["supervisor"], reason="上级已另行部署")
        SupervisionItem.objects.filter(pk__in=[done.pk, stopped.pk]).update(
            deadline=past, report_due_on=past
        )
        assert reminders.sweep(NOW) == NOTHING
        assert not Urging.objects.exists()


class TestWorkingDays:
    def test_nothing_on_a_day_off(self, personas, units):
        item(personas, units, deadline=calendar.add_working_days(DAY, -2))
        saturday = timezone.make_aware(datetime.datetime(2026, 12, 12, 10, 0))
        assert reminders.sweep(saturday) == NOTHING
        CalendarOverride.objects.create(
            date=DAY, is_working_day=False, note="防台风停工", updated_by=personas["sysadmin"]
        )
        assert reminders.sweep(NOW) == NOTHING
        assert not Urging.objects.exists()
        assert SupervisionItem.objects.get().red_since is None

    def test_twice_the_same_day_sends_nothing_twice_and_the_next_working_day_again(
        self, personas, units
    ):
        item(personas, units, deadline=calendar.add_working_days(DAY, -1))
        item(personas, units, deadline=calendar.add_working_days(DAY, 1))
        item(personas, units, report_due_on=DAY - datetime.timedelta(days=3))
        Notification.objects.all().delete()
        first = sweep_supervision("2026-12-09T10:00:00+08:00")
        assert first == counts(due_soon=1, overdue=1, report_missing=1)
        sent = Notification.objects.count()
        assert sent == 6  # handler and head of unit A, three kinds
        assert sweep_supervision("2026-12-09T15:30:00+08:00") == NOTHING
        assert Notification.objects.count() == sent
        assert sweep_supervision("2026-12-10T10:00:00") == first
        assert Urging.objects.count() == 6

    def test_not_due_items_cost_nothing(self, personas, units, django_assert_max_num_queries):
        for i in range(30):
            item(personas, units, title=f"未到期事项{i}")
        # The calendar (3 lookups), red_since (2 updates), and per kind one empty chunk (its
        # SELECT … FOR UPDATE between a savepoint and its release inside the test's transaction).
        with django_assert_max_num_queries(17):
            assert reminders.sweep(NOW) == NOTHING


class TestEscalation:
    @pytest.fixture
    def liaison(self, units, personas):
        deputy = make_user("fumishuzhang", "钱副秘书长", unit=units["office"], roles=[Role.LEADER])
        personas["leader"].liaison = deputy
        personas["leader"].save()
        return deputy

    def test_red_for_n_working_days_is_reported_to_the_leader_and_liaison(
        self, personas, units, liaison, settings
    ):
        settings.SUPERVISION_ESCALATE_AFTER_WORKING_DAYS = 3
        three = calendar.add_working_days(DAY, -3)
        two = calendar.add_working_days(DAY, -2)
        long_red = item(
            personas, units, deadline=three - datetime.timedelta(days=1), red_since=three
        )
        short_red = item(
            personas, units, deadline=three - datetime.timedelta(days=1), red_since=two
        )
        assert calendar.working_days_between(three, DAY) == 3
        Notification.objects.all().delete()
        assert reminders.sweep(NOW) == counts(overdue=2, escalated=1)
        expected = [
            (f"督办事项持续亮红灯：{long_red.item_number} {long_red.title}", True, long_red.pk)
        ]
        assert notes(personas["leader"]) == expected
        assert notes(liaison) == expected
        assert fresh(long_red).escalated_on == DAY
        assert fresh(short_red).escalated_on is None
        assert "已亮红灯3个工作日" in Urging.objects.get(kind=K.ESCALATED).message
        # The next working day the other one has its three days too; the first is not told again
        # in the same red spell.
        next_day = calendar.add_working_days(DAY, 1)
        later = timezone.make_aware(datetime.datetime.combine(next_day, datetime.time(10)))
        assert reminders.sweep(later) == counts(overdue=2, escalated=1)
        assert Urging.objects.filter(kind=K.ESCALATED).count() == 2
        assert fresh(short_red).escalated_on == next_day

    def test_the_setting_decides_n(self, personas, units, settings):
        settings.SUPERVISION_ESCALATE_AFTER_WORKING_DAYS = 5
        red = item(
            personas,
            units,
            deadline=DAY - datetime.timedelta(days=30),
            red_since=calendar.add_working_days(DAY, -4),
        )
        assert reminders.sweep(NOW)[K.ESCALATED] == 0
        SupervisionItem.objects.filter(pk=red.pk).update(
            red_since=calendar.add_working_days(DAY, -5)
        )
        assert reminders.sweep(NOW)[K.ESCALATED] == 1

    def test_red_since_is_set_once_and_cleared_when_no_longer_red(self, personas, units):
        late = item(personas, units, deadline=calendar.add_working_days(DAY, -1))
        missing = item(personas, units, report_due_on=DAY - datetime.timedelta(days=1))
        green = item(personas, units)
        reminders.sweep(NOW)
        assert (fresh(late).red_since, fresh(missing).red_since, fresh(green).red_since) == (
            DAY,
            DAY,
            None,
        )
        next_day = calendar.add_working_days(DAY, 1)
        later = timezone.make_aware(datetime.datetime.combine(next_day, datetime.time(10)))
        reminders.sweep(later)
        assert fresh(late).red_since == DAY  # still red: the first day stays
        # The leader extends one (no longer past its deadline); the other is closed.
        SupervisionItem.objects.filter(pk=late.pk).update(
            deadline=DAY + datetime.timedelta(days=30)
        )
        SupervisionItem.objects.filter(pk=missing.pk).update(
            state=SupervisionItem.State.CLOSE_REQUESTED
        )
        close(fresh(missing), actor=personas["supervisor"], opinion="核验属实，予以销号。")
        reminders.sweep(later)
        assert fresh(late).red_since is None
        assert fresh(missing).red_since is None


def overdue_and_due_soon(personas, units, *, overdue, due_soon):
    for i in range(overdue):
        item(
            personas,
            units,
            title=f"逾期事项{i}",
            deadline=DAY - datetime.timedelta(days=20),
            red_since=DAY - datetime.timedelta(days=10),
        )
    for i in range(due_soon):
        item(personas, units, lead="b", title=f"临期事项{i}", deadline=DAY)


def mentions(user, label):
    """How often each item number appears in the user's notifications whose title has `label`
    (a notification about one item names it in the title, a list names each in the body)."""
    rows = Notification.objects.filter(recipient=user, title__contains=label)
    text = "\n".join(f"{title}\n{body}" for title, body in rows.values_list("title", "body"))
    return collections.Counter(re.findall(r"督〔\d+〕\d+号", text))


def assert_each_reminder_once(personas, *, overdue, due_soon):
    assert Urging.objects.filter(kind=K.OVERDUE).count() == overdue
    assert Urging.objects.filter(kind=K.ESCALATED).count() == overdue
    assert Urging.objects.filter(kind=K.DUE_SOON).count() == due_soon
    # Each recipient is told of each of their items exactly once.
    for user, label, n in (
        (personas["handler_a"], "已逾期", overdue),
        (personas["head_a"], "已逾期", overdue),
        (personas["leader"], "持续亮红灯", overdue),
        (personas["handler_b"], "即将到期", due_soon),
    ):
        told = mentions(user, label)
        assert len(told) == n and set(told.values()) == {1}, (user, label, told)
    assert SupervisionItem.objects.filter(escalated_on=DAY).count() == overdue


def sum_counts(results):
    return {kind: sum(r[kind] for r in results) for kind in NOTHING}


@pytest.mark.django_db(transaction=True)
def test_four_sweepers_at_once_send_each_reminder_once(personas, units, monkeypatch):
    monkeypatch.setattr(reminders, "CHUNK_SIZE", 5)  # several chunks each, claimed in turn
    overdue_and_due_soon(personas, units, overdue=16, due_soon=8)
    results = race(lambda: reminders.sweep(NOW), 4)
    assert sum_counts(results) == counts(overdue=16, escalated=16, due_soon=8)
    assert_each_reminder_once(personas, overdue=16, due_soon=8)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_worker")
def test_a_celery_worker_on_redis_runs_the_sweep(personas, units):
    overdue_and_due_soon(personas, units, overdue=3, due_soon=2)
    for _ in range(3):
        sweep_supervision.delay("2026-12-09T10:00:00+08:00")
    assert wait_for(lambda: Urging.objects.count() == 3 + 3 + 2, timeout=30)
    assert wait_for(lambda: SupervisionItem.objects.filter(escalated_on=DAY).count() == 3)
    assert_each_reminder_once(personas, overdue=3, due_soon=2)
    time.sleep(1.5)  # the repeated runs finish, and add nothing
    assert Urging.objects.count() == 3 + 3 + 2
    assert_each_reminder_once(personas, overdue=3, due_soon=2)
