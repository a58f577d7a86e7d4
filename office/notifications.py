"""Notifications: the in-app inbox and the outbox behind it (FIELD_NOTES.md).

`notify` writes the inbox rows and one Delivery row per outside channel in the caller's
transaction, then queues the relay with `on_commit`. If the process dies after the commit and
before the task is queued, the periodic relay (office.tasks.relay_outbox) still finds the pending
rows, so nothing is lost; `relay_pending` claims rows with SELECT … FOR UPDATE SKIP LOCKED and
marks each sent once, so running it twice, or twice at once, sends nothing twice.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Delivery, Notification

log = logging.getLogger(__name__)


def notify(recipients, *, title, body="", url="", obj=None, urgent=False):
    """Write one inbox notification per recipient, and their outbox rows; relay after commit."""
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    created = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        note = Notification.objects.create(
            recipient=user,
            title=title[:200],
            body=body,
            url=url,
            urgent=urgent,
            content_type=content_type,
            object_id=obj.pk if obj is not None else None,
        )
        deliveries = []
        if user.email:
            deliveries.append(
                Delivery(notification=note, channel=Delivery.Channel.MAIL, address=user.email)
            )
        if urgent and user.phone:
            deliveries.append(
                Delivery(notification=note, channel=Delivery.Channel.SMS, address=user.phone)
            )
        Delivery.objects.bulk_create(deliveries)
        created.append(note)
    if created:
        _queue_relay()
    return created


def _relay_after_commit():
    from .tasks import relay_outbox

    relay_outbox.delay()


def _queue_relay():
    """One relay task per transaction, however many notifications it wrote (a sweeper's morning
    of reminders would otherwise queue a task per reminder)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is _relay_after_commit for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_relay_after_commit)


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification_ids=None):
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


MAX_ATTEMPTS = 5


def _send(delivery):
    note = delivery.notification
    text = note.body or note.title
    if delivery.channel == Delivery.Channel.MAIL:
        send_mail(
            subject=f"[政务办公] {note.title}",
            message=f"{text}\n\n{note.url}".strip(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[delivery.address],
        )
    else:
        import_string(settings.SMS_BACKEND)().send(delivery.address, f"【政务办公】{note.title}")


def relay_pending(batch_size=100):
    """Send pending outbox rows once each. Returns how many were sent."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("notification")
                .filter(status=Delivery.Status.PENDING)
                .order_by("created_at", "id")[:batch_size]
            )
            if not batch:
                return sent
            for delivery in batch:
                delivery.attempts += 1
                try:
                    _send(delivery)
                except Exception as exc:  # the gateway's failure is data, kept on the row
                    log.warning("delivery %s failed: %s", delivery.pk, exc)
                    delivery.last_error = str(exc)[:2000]
                    if delivery.attempts >= MAX_ATTEMPTS:
                        delivery.status = Delivery.Status.FAILED
                else:
                    delivery.status = Delivery.Status.SENT
                    delivery.sent_at = timezone.now()
                    sent += 1
                delivery.save(update_fields=["status", "attempts", "last_error", "sent_at"])
            if any(d.status == Delivery.Status.PENDING for d in batch):
                return sent  # failures wait for the next periodic relay
