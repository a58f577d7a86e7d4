"""自动催办 (documents.deadlines): who is reminded when, across the 2026 Mid-Autumn and National
Day holidays, and once per (item, kind, day) however often and however many sweepers run — in
threads and in real Celery worker processes on Redis."""

import ast
import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from documents.deadlines import (
    DUE_SOON,
    ESCALATED,
    INSTRUCTION_WAITING,
    OVERDUE,
    reminders_for,
    send_deadline_reminders,
)
from documents.models import Assignment, HandlingPolicy, IncomingDocument, LeaderInstruction
from documents.tasks import sweep_incoming_deadlines
from documents.workflow import document_url
from office import calendar
from office.celery import app as celery_app
from office.models import CalendarOverride, Notification, Reminder, Urgency
from office.roles import Role
from tests.concurrency import race
from tests.conftest import make_user
from tests.documents.conftest import make_incoming

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db

S = IncomingDocument.State
A = Assignment.State
NOTHING = {DUE_SOON: 0, OVERDUE: 0, ESCALATED: 0, INSTRUCTION_WAITING: 0}


def day(month, dom):
    return datetime.date(2026, month, dom)


def at(month, dom, hour=10):
    return timezone.make_aware(datetime.datetime(2026, month, dom, hour))


def counts(**sent):
    return {**NOTHING, **sent}


@pytest.fixture
def head_b(units):
    return make_user("fuzeren_b", "吴局长", unit=units["b"], roles=[Role.UNIT_HEAD])


def handling(personas, unit, *, deadline, title="关于做好防汛防台风工作的通知", **fields):
    """A document in 承办中 with its lead unit's part, straight in the database."""
    return make_incoming(
        personas["secretary"],
        lead_unit=unit,
        deadline=deadline,
        title=title,
        state=S.HANDLING,
        received_on=day(9, 21),
        **fields,
    )


def co_unit(document, unit, *, state=A.ACCEPTED):
    return Assignment.objects.create(
        document=document,
        unit=unit,
        role=Assignment.Role.CO,
        state=state,
        deadline=document.deadline,
        assigned_by=document.registered_by,
    )


def instructed(document, leader, when=None):
    return LeaderInstruction.objects.create(
        document=document,
        leader=leader,
        requested_by=document.registered_by,
        requested_at=at(9, 21, 9),
        instruction="请抓紧办理。",
        instructed_at=when or at(9, 22),
    )


def titles(user):
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True)
    )


class TestWhoIsReminded:
    def test_due_soon_goes_to_each_units_handlers(self, personas, units, head_b):
        doc = handling(personas, units["a"], deadline=day(10, 9))
        co_unit(doc, units["b"])
        # 9-30 → 10-9: 10-8 and 10-9 are the working days left (10-1…10-7 National Day).
        assert send_deadline_reminders(today=day(9, 30)) == counts(**{DUE_SOON: 2})
        expected = "收文即将到期：关于做好防汛防台风工作的通知（2026年10月9日到期）"
        assert titles(personas["handler_a"]) == [expected]
        assert titles(personas["handler_b"]) == [expected]
        assert titles(personas["head_a"]) == titles(head_b) == titles(personas["leader"]) == []
        note = Notification.objects.get(recipient=personas["handler_a"])
        assert note.url == document_url(doc) and not note.urgent
        assert "市教育局（主办）" in note.body
        assert "协办" in Notification.objects.get(recipient=personas["handler_b"]).body

    def test_a_result_waiting_for_the_head_also_reminds_the_head(self, personas, units):
        handling(personas, units["a"], deadline=day(10, 9), assignment_state=A.SUBMITTED)
        assert send_deadline_reminders(today=day(10, 8)) == counts(**{DUE_SOON: 1})
        assert len(titles(personas["handler_a"])) == len(titles(personas["head_a"])) == 1

    def test_overdue_goes_to_handlers_and_head_urgently(self, personas, units):
        leader = personas["leader"]
        doc = handling(personas, units["a"], deadline=day(10, 9), assignment_state=A.ACCEPTED)
        instructed(doc, leader)
        # 10-10 is a Saturday worked in exchange for the holiday: 10-10 and 10-12 are two days.
        assert send_deadline_reminders(today=day(10, 12)) == counts(**{OVERDUE: 1})
        expected = ["收文已逾期2个工作日：关于做好防汛防台风工作的通知"]
        assert titles(personas["handler_a"]) == titles(personas["head_a"]) == expected
        assert titles(leader) == []
        assert all(n.urgent for n in Notification.objects.all())

    def test_more_than_the_escalation_days_late_also_tells_the_instructing_leaders(
        self, personas, units
    ):
        leader = personas["leader"]
        second = make_user("lingdao2", "张秘书长", unit=units["government"], roles=[Role.LEADER])
        pending = make_user("lingdao3", "黄副市长", unit=units["government"], roles=[Role.LEADER])
        doc = handling(personas, units["a"], deadline=day(10, 9))
        instructed(doc, leader)
        instructed(doc, second, at(9, 23))
        LeaderInstruction.objects.create(document=doc, leader=pending, requested_by=leader)
        # 10-13: three working days late, not more than escalate_after_days (3).
        assert send_deadline_reminders(today=day(10, 13)) == counts(**{OVERDUE: 1})
        assert titles(leader) == []
        # 10-14: four working days late.
        assert send_deadline_reminders(today=day(10, 14)) == counts(**{OVERDUE: 1, ESCALATED: 1})
        expected = ["逾期督促：市教育局办理的关于做好防汛防台风工作的通知已逾期4个工作日"]
        assert titles(leader) == titles(second) == expected
        assert titles(pending) == [] and titles(personas["secretary"]) == []
        assert Notification.objects.get(recipient=leader).urgent
        assert "收文已逾期4个工作日：关于做好防汛防台风工作的通知" in titles(personas["head_a"])

    def test_without_an_instructing_leader_the_registering_secretary_is_told(self, personas, units):
        handling(personas, units["b"], deadline=day(10, 9), title="关于报送统计数据的函")
        sent = send_deadline_reminders(today=day(10, 15))
        assert sent == counts(**{OVERDUE: 1, ESCALATED: 1})
        assert titles(personas["secretary"]) == [
            "逾期督促：市住建局办理的关于报送统计数据的函已逾期5个工作日"
        ]
        assert titles(personas["handler_b"]) == ["收文已逾期5个工作日：关于报送统计数据的函"]

    def test_the_escalation_days_are_the_policys(self, personas, units):
        policy = HandlingPolicy.current()
        policy.escalate_after_days = 1
        policy.save()
        doc = handling(personas, units["a"], deadline=day(10, 9))
        instructed(doc, personas["leader"])
        assert send_deadline_reminders(today=day(10, 12))[ESCALATED] == 1

    def test_finished_parts_and_documents_not_in_handling_are_left_alone(self, personas, units):
        secretary = personas["secretary"]
        handling(personas, units["a"], deadline=day(10, 9), assignment_state=A.APPROVED)
        handling(personas, units["a"], deadline=day(10, 9), assignment_state=A.WITHDRAWN)
        make_incoming(
            secretary, lead_unit=units["a"], deadline=day(10, 9), state=S.AWAITING_COMPLETION
        )
        make_incoming(secretary, lead_unit=units["a"], deadline=day(10, 9), state=S.COMPLETED)
        handling(personas, units["a"], deadline=day(10, 30))  # green
        assert send_deadline_reminders(today=day(10, 14)) == NOTHING
        assert not Notification.objects.exists() and not Reminder.objects.exists()

    def test_a_unit_with_nobody_in_the_role_does_not_swallow_the_reminder(self, personas, units):
        personas["handler_b"].is_active = False
        personas["handler_b"].save()
        handling(personas, units["b"], deadline=day(10, 9))
        assert send_deadline_reminders(today=day(10, 9)) == counts(**{DUE_SOON: 1})
        assert titles(personas["secretary"]) == [
            "收文即将到期：关于做好防汛防台风工作的通知（2026年10月9日到期）"
        ]

    def test_not_due_items_cost_nothing(self, personas, units, django_assert_max_num_queries):
        HandlingPolicy.current()
        ContentType.objects.get_for_models(Assignment, LeaderInstruction)
        for _ in range(12):
            handling(personas, units["a"], deadline=day(11, 30))
        with django_assert_max_num_queries(8):
            assert send_deadline_reminders(today=day(10, 12)) == NOTHING


class TestAcrossTheHolidays:
    """2026 in chinese-calendar: 9-25…9-27 Mid-Autumn, 10-1…10-7 National Day, 10-10 (a
    Saturday) worked in exchange. Warning window 3 working days, escalation after 3."""

    def test_deadline_counts_working_days_across_national_day(self):
        # Three working days from Monday 9-28: 9-29, 9-30 and — after the holiday — 10-8.
        assert calendar.add_working_days(day(9, 28), 3) == day(10, 8)
        assert calendar.add_working_days(day(9, 30), 3) == day(10, 10)
        assert calendar.working_days_between(day(10, 8), day(10, 13)) == 4

    def test_lights_and_reminders_day_by_day(self, personas, units):
        deadline = calendar.add_working_days(day(9, 28), 3)
        doc = handling(personas, units["a"], deadline=deadline)
        instructed(doc, personas["leader"])
        expected = {
            day(9, 24): ("green", NOTHING),  # 9-28, 9-29, 9-30, 10-8: four working days left
            day(9, 25): ("green", NOTHING),  # Mid-Autumn: nothing is sent on a day off
            day(9, 28): ("yellow", counts(**{DUE_SOON: 1})),
            day(9, 30): ("yellow", counts(**{DUE_SOON: 1})),
            day(10, 3): ("yellow", NOTHING),  # National Day
            day(10, 8): ("yellow", counts(**{DUE_SOON: 1})),  # due today, not yet late
            day(10, 9): ("red", counts(**{OVERDUE: 1})),
            day(10, 10): ("red", counts(**{OVERDUE: 1})),  # the worked Saturday
            day(10, 11): ("red", NOTHING),  # Sunday
            day(10, 12): ("red", counts(**{OVERDUE: 1})),
            day(10, 13): ("red", counts(**{OVERDUE: 1, ESCALATED: 1})),
        }
        for today, (light, sent) in expected.items():
            assert calendar.traffic_light(deadline, today=today, warning=3) == light, today
            assert send_deadline_reminders(today=today) == sent, today
        handler = titles(personas["handler_a"])
        assert handler.count("收文即将到期：关于做好防汛防台风工作的通知（2026年10月8日到期）") == 3
        assert [t for t in handler if "逾期" in t] == [
            "收文已逾期1个工作日：关于做好防汛防台风工作的通知",
            "收文已逾期2个工作日：关于做好防汛防台风工作的通知",
            "收文已逾期3个工作日：关于做好防汛防台风工作的通知",
            "收文已逾期4个工作日：关于做好防汛防台风工作的通知",
        ]
        assert titles(personas["leader"]) == [
            "逾期督促：市教育局办理的关于做好防汛防台风工作的通知已逾期4个工作日"
        ]

    def test_an_office_day_off_is_respected(self, personas, units):
        CalendarOverride.objects.create(
            date=day(10, 12),
            is_working_day=False,
            note="防台风停工",
            updated_by=personas["sysadmin"],
        )
        handling(personas, units["a"], deadline=day(10, 9))
        assert send_deadline_reminders(today=day(10, 12)) == NOTHING
        send_deadline_reminders(today=day(10, 13))
        assert titles(personas["handler_a"]) == [
            "收文已逾期2个工作日：关于做好防汛防台风工作的通知"
        ]


class TestOncePerDay:
    def test_twice_the_same_day_sends_nothing_twice_and_the_next_working_day_again(
        self, personas, units
    ):
        doc = handling(personas, units["a"], deadline=day(10, 9))
        instructed(doc, personas["leader"])
        handling(personas, units["a"], deadline=day(10, 15), title="关于开展安全生产检查的通知")
        first = sweep_incoming_deadlines(today="2026-10-14")
        assert first == counts(**{DUE_SOON: 1, OVERDUE: 1, ESCALATED: 1})
        notes = Notification.objects.count()
        assert notes == 4  # handler (yellow, red), head (red), leader (escalated)
        assert sweep_incoming_deadlines(today="2026-10-14") == NOTHING
        assert Notification.objects.count() == notes
        assert sweep_incoming_deadlines(today="2026-10-15") == first
        assert Notification.objects.count() == 2 * notes
        assert Reminder.objects.count() == 6

    def test_reminders_for_the_document_page(self, personas, units, django_assert_max_num_queries):
        doc = handling(personas, units["a"], deadline=day(10, 9))
        co_unit(doc, units["b"])
        instructed(doc, personas["leader"])
        other = handling(personas, units["a"], deadline=day(10, 9))
        for today in (day(10, 9), day(10, 13), day(10, 14)):
            send_deadline_reminders(today=today)
        ContentType.objects.get_for_models(Assignment, LeaderInstruction)
        with django_assert_max_num_queries(3):
            rows = reminders_for(doc)
        # 10-9 yellow ×2; 10-13 red ×2; 10-14 red ×2 and escalated ×2.
        assert len(rows) == 8
        assert rows[0].day == day(10, 14) and rows[-1].day == day(10, 9)
        assert {(r.kind_label, r.about) for r in rows if r.day == day(10, 14)} == {
            ("逾期催办", "市教育局"),
            ("逾期催办", "市住建局"),
            ("逾期督促", "市教育局"),
            ("逾期督促", "市住建局"),
        }
        assert [r.kind_label for r in rows if r.day == day(10, 9)] == ["临期提醒"] * 2
        assert len(reminders_for(other)) == 4
        fresh = make_incoming(personas["secretary"])
        assert reminders_for(fresh) == []


class TestWaitingInstructions:
    def test_the_leader_whose_turn_it_is_is_reminded_after_the_urgencys_days(self, personas, units):
        leader = personas["leader"]
        later = make_user("lingdao2", "张秘书长", unit=units["government"], roles=[Role.LEADER])
        doc = make_incoming(
            personas["secretary"],
            state=S.INSTRUCTING,
            urgency=Urgency.URGENT,
            title="关于申请专项资金的请示",
            received_on=day(9, 29),
        )
        for leader_, sequence in ((leader, 1), (later, 2)):
            LeaderInstruction.objects.create(
                document=doc,
                leader=leader_,
                sequence=sequence,
                requested_by=personas["secretary"],
                requested_at=at(9, 30),
            )
        # 加急: 3 working days. By 10-10 it has waited 10-8, 10-9, 10-10 — not more than three.
        assert send_deadline_reminders(today=day(10, 10)) == NOTHING
        assert send_deadline_reminders(today=day(10, 12)) == counts(**{INSTRUCTION_WAITING: 1})
        assert send_deadline_reminders(today=day(10, 12)) == NOTHING
        assert titles(leader) == ["请尽快批示：关于申请专项资金的请示（已呈送4个工作日）"]
        assert titles(later) == []
        # The first leader instructs on 10-12; the second leader's wait starts then.
        LeaderInstruction.objects.filter(leader=leader).update(
            instructed_at=at(10, 12), instruction="同意。"
        )
        assert send_deadline_reminders(today=day(10, 15)) == NOTHING
        assert send_deadline_reminders(today=day(10, 16)) == counts(**{INSTRUCTION_WAITING: 1})
        assert titles(later) == ["请尽快批示：关于申请专项资金的请示（已呈送4个工作日）"]


def overdue_and_due_soon(personas, units, head_b, *, overdue, due_soon):
    """`overdue` documents of unit A five working days late on 10-15 (instructed by the leader)
    and `due_soon` documents of unit B due on 10-16."""
    for i in range(overdue):
        doc = handling(personas, units["a"], deadline=day(10, 9), title=f"逾期件{i}")
        instructed(doc, personas["leader"])
    for i in range(due_soon):
        handling(personas, units["b"], deadline=day(10, 16), title=f"临期件{i}")


def assert_each_reminder_once(personas, head_b, *, overdue, due_soon):
    assert Reminder.objects.filter(kind=OVERDUE).count() == overdue
    assert Reminder.objects.filter(kind=ESCALATED).count() == overdue
    assert Reminder.objects.filter(kind=DUE_SOON).count() == due_soon
    assert Notification.objects.filter(recipient=personas["handler_a"]).count() == overdue
    assert Notification.objects.filter(recipient=personas["head_a"]).count() == overdue
    assert Notification.objects.filter(recipient=personas["leader"]).count() == overdue
    assert Notification.objects.filter(recipient=personas["handler_b"]).count() == due_soon
    assert not Notification.objects.filter(recipient=head_b).exists()
    per_recipient_and_title = Notification.objects.values_list("recipient", "title")
    assert len(set(per_recipient_and_title)) == len(per_recipient_and_title)


def sum_counts(results):
    return {kind: sum(r[kind] for r in results) for kind in NOTHING}


@pytest.mark.django_db(transaction=True)
def test_four_sweepers_at_once_send_each_reminder_once(personas, units, head_b):
    overdue_and_due_soon(personas, units, head_b, overdue=16, due_soon=8)
    results = race(lambda: send_deadline_reminders(today=day(10, 15)), 4)
    assert sum_counts(results) == counts(**{OVERDUE: 16, ESCALATED: 16, DUE_SOON: 8})
    assert_each_reminder_once(personas, head_b, overdue=16, due_soon=8)


# --- real Celery workers ----------------------------------------------------------------------

QUEUE = "test-documents-deadlines"
SUCCEEDED = re.compile(r"sweep_incoming_deadlines\[[^\]]+\] succeeded in [^:]+: (\{.*\})")


def worker_env():
    """The environment of this test run, pointed at the test database the tests write to."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["DATABASE_URL"] = (
        f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def deadline_workers(tmp_path, settings):
    """Two `celery -A office worker` processes with two pool processes each, consuming a queue of
    their own on the Redis the tests use; yields their log files."""
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "this test needs Redis"
    assert not celery_app.conf.task_always_eager
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_declare(queue=QUEUE, durable=True, auto_delete=False)
        conn.default_channel.queue_purge(QUEUE)
    env = worker_env()
    logs, workers = [], []
    try:
        for i in range(2):
            log = tmp_path / f"worker{i}.log"
            logs.append(log)
            command = [sys.executable, "-m", "celery", "-A", "office", "worker", "-Q", QUEUE]
            command += ["-c", "2", "-n", f"deadlines{i}@%h", "-l", "INFO", "--without-mingle"]
            command += ["--without-gossip"]
            with log.open("w") as out:
                workers.append(
                    subprocess.Popen(
                        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                    )
                )
        ready = wait_for(lambda: all("ready." in log.read_text() for log in logs), 60)
        assert ready, "\n".join(log.read_text()[-2000:] for log in logs)
        yield logs
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


@pytest.mark.django_db(transaction=True)
def test_real_workers_run_the_sweep_four_times_and_send_each_reminder_once(
    personas, units, head_b, deadline_workers
):
    overdue_and_due_soon(personas, units, head_b, overdue=16, due_soon=8)
    for _ in range(4):
        sweep_incoming_deadlines.apply_async(args=["2026-10-15"], queue=QUEUE)

    def results():
        return [
            ast.literal_eval(match)
            for log in deadline_workers
            for match in SUCCEEDED.findall(log.read_text())
        ]

    done = wait_for(lambda: len(results()) == 4, 90)
    assert done, "\n".join(log.read_text()[-3000:] for log in deadline_workers)
    assert sum_counts(results()) == counts(**{OVERDUE: 16, ESCALATED: 16, DUE_SOON: 8})
    assert_each_reminder_once(personas, head_b, overdue=16, due_soon=8)
