"""签收时限 and 催收: a dispatched document unsigned 8 working hours after dispatch is flagged red
and chased (DOMAIN.md §4, step 7: "the sender checks receipts — within 8 hours — and chases what
is not signed for").

- `dispatch` (documents.workflow.outgoing) gives each electronic-exchange receipt
  `due_at = add_working_hours(sent_at, SIGNING_HOURS)`: only office hours (OFFICE_HOURS) on
  working days count (office.calendar). Paper receipts have no deadline and are never chased.
- `overdue(now)` / `is_overdue(receipt, now)` / `light(receipt, now)`: unsigned electronic
  receipts past `due_at` — red.
- `sweep_unsigned_receipts(now)`: beat runs it every 30 minutes in office hours. Each overdue
  receipt not yet chased today is chased once that day: the receiving unit's handlers and head
  get an urgent reminder (SMS), `chased_at` is recorded, and the sender — the document's drafter
  and the office's secretaries — gets one notification per document per sweep listing the units.

How (FIELD_NOTES.md, "Reminders and background work"): one range query on the partial index
`receipt_unsigned_idx` (due_at, id WHERE received_at IS NULL); its cost grows with the receipts
due, not with all receipts. A receipt is claimed for today by a conditional UPDATE of
`chased_at` (… WHERE chased_at is before today), and the reminder goes through
`office.reminders.remind_once` under the (receipt, kind, day) key in the same transaction: a
second sweep the same day, beat firing twice or two workers at once send nothing twice.
"""

import datetime
import itertools

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from office import calendar
from office.notifications import notify
from office.reminders import remind_once
from office.roles import Role

from .models import Receipt
from .workflow.incoming import unit_people
from .workflow.outgoing import _secretaries, outgoing_url

# The office's rule: a unit signs for an electronically sent document within 8 working hours.
SIGNING_HOURS = 8
CHASE = "receipt_unsigned"
CHUNK_SIZE = 500


def overdue(now=None):
    """Unsigned electronic receipts whose signing deadline has passed (red), oldest first."""
    now = now or timezone.now()
    return Receipt.objects.filter(
        received_at__isnull=True, channel=Receipt.Channel.EXCHANGE, due_at__lt=now
    ).order_by("due_at", "id")


def is_overdue(receipt, now=None):
    """The same rule as `overdue`, for one receipt already loaded (a page's red flag)."""
    now = now or timezone.now()
    return (
        receipt.received_at is None
        and receipt.channel == Receipt.Channel.EXCHANGE
        and receipt.due_at is not None
        and receipt.due_at < now
    )


def light(receipt, now=None):
    """The receipt's 红黄绿灯 (office.calendar.Light): red once overdue, green otherwise — a
    signed or paper receipt is never red."""
    return calendar.Light.RED if is_overdue(receipt, now) else calendar.Light.GREEN


def _start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def sweep_unsigned_receipts(now=None):
    """Chase today's overdue receipts (see the module docstring); returns how many receipts this
    call chased — a second run the same day returns 0. Nothing is sent on a day off."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not calendar.is_working_day(today):
        return 0
    since = _start_of_day(today)
    due = (
        overdue(now)
        .filter(Q(chased_at__isnull=True) | Q(chased_at__lt=since))
        .select_related("document", "document__drafter", "unit")
        # One dispatch gives all its receipts the same due_at: a document's receipts are adjacent.
        .order_by("due_at", "document_id", "id")
    )
    sweep = _Sweep(now, today, since)
    chased = 0
    rows = due.iterator(chunk_size=CHUNK_SIZE)
    for _, receipts in itertools.groupby(rows, key=lambda r: r.document_id):
        chased += sweep.chase_document(list(receipts))
    return chased


class _Sweep:
    """One run's moment and caches (the people of a unit, the secretaries) — looked up once."""

    def __init__(self, now, today, since):
        self.now, self.today, self.since = now, today, since
        self._people = {}
        self._secretaries = None

    def unit_recipients(self, unit_id):
        if unit_id not in self._people:
            self._people[unit_id] = unit_people(unit_id, Role.UNIT_HANDLER) + unit_people(
                unit_id, Role.UNIT_HEAD
            )
        return self._people[unit_id]

    def secretaries(self):
        if self._secretaries is None:
            self._secretaries = _secretaries()
        return self._secretaries

    def chase_document(self, receipts):
        """Chase one document's overdue receipts in one transaction; tell its sender once,
        listing the units this call chased. Returns how many receipts this call chased."""
        document = receipts[0].document
        label = f"{document.document_number} {document.title}".strip()
        url = outgoing_url(document)
        with transaction.atomic():
            units = [receipt.unit for receipt in receipts if self.chase(receipt, label, url)]
            if units:
                reminded = [u.name for u in units if self.unit_recipients(u.pk)]
                outside = [u.name for u in units if not self.unit_recipients(u.pk)]
                body = f"{'、'.join(reminded + outside)}超过{SIGNING_HOURS}个工作小时未签收。"
                if reminded:
                    body += f"已提醒{'、'.join(reminded)}签收。"
                if outside:
                    body += (
                        f"{'、'.join(outside)}在本系统中无人签收，请电话催收，"
                        "收到回执后在发文页“登记签收”。"
                    )
                notify(
                    [document.drafter, *self.secretaries()],
                    title=f"有{len(units)}个单位超时未签收：{label}",
                    body=body,
                    url=url,
                    obj=document,
                )
        return len(units)

    def chase(self, receipt, label, url):
        """Claim the receipt for today (a conditional UPDATE: of two sweeps at once, one wins)
        and send the unit its reminder; True if this call chased it."""
        claimed = (
            Receipt.objects.filter(pk=receipt.pk, received_at__isnull=True)
            .filter(Q(chased_at__isnull=True) | Q(chased_at__lt=self.since))
            .update(chased_at=self.now)
        )
        if not claimed:
            return False
        receipt.chased_at = self.now
        due = timezone.localtime(receipt.due_at)
        sent = timezone.localtime(receipt.sent_at)
        remind_once(
            receipt,
            kind=CHASE,
            day=self.today,
            recipients=self.unit_recipients(receipt.unit_id),
            title=f"请尽快签收：{label}",
            body=(
                f"该公文于{sent:%Y年%-m月%-d日 %H:%M}通过电子公文交换发送给{receipt.unit.name}"
                f"（{receipt.get_role_display()}），应于{due:%-m月%-d日 %H:%M}前签收"
                f"（{SIGNING_HOURS}个工作小时），至今未签收。请立即登录系统签收。"
            ),
            url=url,
            urgent=True,
        )
        return True
