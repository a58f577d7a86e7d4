"""The inbox, the outbox and reminders: written with the step, relayed after commit, sent once.

These run a real Celery worker on Redis (the broker the office runs on) in a thread."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.utils import timezone

from office import notifications, reminders
from office.celery import app as celery_app
from office.models import Delivery, Notification, Reminder, SecurityPolicy
from office.tasks import sweep_password_expiry
from tests.concurrency import race


def wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def redis_worker(settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "these tests need Redis"
    celery_app.conf.task_always_eager = False
    with start_worker(
        celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10
    ):
        yield


@pytest.mark.django_db
def test_rolled_back_step_leaves_no_notification(personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        notifications.notify([personas["leader"]], title="请审批")
        raise RuntimeError("the step failed")
    assert not Notification.objects.exists() and not Delivery.objects.exists()


@pytest.mark.django_db
def test_notify_writes_inbox_and_outbox_and_queues_relay_after_commit(
    personas, django_capture_on_commit_callbacks
):
    leader = personas["leader"]
    leader.email, leader.phone = "li@zhuhai.example", "13800000001"
    leader.save()
    with django_capture_on_commit_callbacks() as callbacks:
        notifications.notify(
            [leader, leader, personas["secretary"]], title="特急件待批示", urgent=True
        )
    assert Notification.objects.filter(recipient=leader).count() == 1
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"mail", "sms"}
    assert len(callbacks) == 1
    assert notifications.unread_count(leader) == 1
    notifications.mark_read(leader)
    assert notifications.unread_count(leader) == 0


@pytest.mark.django_db(transaction=True)
def test_worker_relays_each_delivery_once_however_often_the_relay_runs(personas, redis_worker):
    leader = personas["leader"]
    leader.email = "li@zhuhai.example"
    leader.save()
    with transaction.atomic():
        notifications.notify([leader], title="会议通知：市政府常务会议")
    assert wait_for(lambda: Delivery.objects.filter(status="sent").count() == 1)
    from office.tasks import relay_outbox

    relay_outbox.delay()
    relay_outbox.delay()
    time.sleep(1.5)
    assert len(mail.outbox) == 1
    assert "市政府常务会议" in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_send_nothing_twice(personas):
    for i in range(30):
        user = personas["leader"] if i % 2 else personas["secretary"]
        user.email = f"{user.username}@zhuhai.example"
        user.save()
        with transaction.atomic():
            Notification.objects.create(recipient=user, title=f"通知{i}")
            Delivery.objects.create(
                notification=Notification.objects.latest("id"), channel="mail", address=user.email
            )
    sent = race(lambda: notifications.relay_pending(batch_size=5), 2)
    assert sum(sent) == 30
    assert len(mail.outbox) == 30
    assert Delivery.objects.filter(status="sent").count() == 30


@pytest.mark.django_db
def test_failed_delivery_keeps_its_error_and_is_retried(personas, settings):
    settings.EMAIL_BACKEND = "tests.office.failing_mail.Backend"
    user = personas["leader"]
    user.email = "li@zhuhai.example"
    user.save()
    notifications.notify([user], title="通知")
    notifications.relay_pending()
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "邮件网关" in delivery.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notifications.relay_pending()
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db
class TestRemindOnce:
    def test_once_per_object_kind_and_day(self, personas, units):
        item = units["a"]
        kwargs = dict(kind="due_soon", recipients=[personas["handler_a"]], title="办理时限将至")
        assert reminders.remind_once(item, day=datetime.date(2026, 11, 23), **kwargs)
        assert reminders.remind_once(item, day=datetime.date(2026, 11, 23), **kwargs) == []
        assert reminders.remind_once(item, day=datetime.date(2026, 11, 24), **kwargs)
        assert reminders.remind_once(
            item, day=datetime.date(2026, 11, 24), **{**kwargs, "kind": "overdue"}
        )
        assert Notification.objects.filter(recipient=personas["handler_a"]).count() == 3

    def test_password_expiry_sweeper_runs_twice_and_sends_once(self, personas):
        policy = SecurityPolicy.current()
        policy.max_age_days = 90
        policy.save()
        user = personas["handler_a"]
        user.password_changed_at = timezone.now() - datetime.timedelta(days=85)
        user.save()
        assert sweep_password_expiry(today="2026-11-23") == 1
        assert sweep_password_expiry(today="2026-11-23") == 0
        note = Notification.objects.get(recipient=user)
        assert "将于" in note.title and note.url == "/password/"
        assert Reminder.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_send_one_reminder(personas, units):
    workers = 8

    def sweep():
        notes = reminders.remind_once(
            units["a"],
            kind="overdue",
            recipients=[personas["head_a"]],
            title="已逾期",
            day=datetime.date(2026, 11, 23),
        )
        return len(notes)

    sent = race(sweep, workers)
    assert sorted(sent) == [0] * (workers - 1) + [1]
    assert Notification.objects.filter(recipient=personas["head_a"]).count() == 1
