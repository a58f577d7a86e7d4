"""自动催办 of supervision items (DOMAIN.md §6, issue 6 "Urge"; 条例 art. 24 — 催办 before and
after the deadline). Celery beat runs `sweep` every 30 minutes in office hours
(supervision.tasks.sweep_supervision); on a day off it does nothing.

On each working day, for the items in the lead unit's hands (交办 and 办理中, `UNIT_STATES`: an
item not yet assigned, or waiting for the supervision office to verify its completion, is the
office's to move, not the unit's):

- 临期提醒 `Urging.Kind.DUE_SOON`: the deadline is today or within the warning window
  (add_working_days(today, WARNING_WORKING_DAYS), the yellow of supervision.measures) → the lead
  unit's handlers and head;
- 逾期催办 `OVERDUE`: the deadline has passed → the lead unit's people, urgent (SMS);
- 催报进展 `REPORT_MISSING`: the progress report due by the cadence (`report_due_on`) was not
  made → the lead unit's people;
- 报责任领导 `ESCALATED`: red (measures.light_q) for SUPERVISION_ESCALATE_AFTER_WORKING_DAYS
  working days → the responsible leader and their 联线副秘书长 (`User.liaison`, 联线领导服务制),
  urgent, once per red spell (`escalated_on` records the day).

`red_since` is the day the sweep first saw the item red: set for newly red items, cleared for
items no longer red (closed, suspended, extended, reported; the workflow also clears it when a
report is approved). Escalation counts working days from it.

Every reminder is an `Urging` row (催办记录, shown on the item) under the unique key
`urging_automatic_once_a_day` (item, kind, day), and is sent only when this run inserted the row,
in the same transaction as the row: beat firing twice, a redelivered task or two workers at once
send nothing twice, and a run that dies half-way is completed by the next one.

How (FIELD_NOTES.md, "Reminders and background work"): one range query per kind on the partial
indexes `item_open_deadline_idx` and `item_open_report_due_idx`, read in chunks of CHUNK_SIZE by
keyset and claimed with SELECT … FOR UPDATE SKIP LOCKED (two sweeps share the work instead of
waiting on each other); per chunk one INSERT … ON CONFLICT DO NOTHING RETURNING item_id for all
its reminders and one notification per recipient group (a unit, a leader) listing its items —
a unit with five overdue items gets one message, not five. The cost grows with the items due,
not with all items.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from office import calendar
from office.reminders import SweepRun, groups, sweep_chunks, tell_group

from . import measures
from .models import SupervisionItem, Urging
from .workflow import item_url

S = SupervisionItem.State
K = Urging.Kind
UNIT_STATES = (S.ASSIGNED, S.IN_PROGRESS)
KINDS = (K.DUE_SOON, K.OVERDUE, K.REPORT_MISSING, K.ESCALATED)
CHUNK_SIZE = 500
# What a reminder needs of an item.
FIELDS = (
    "id",
    "item_number",
    "title",
    "deadline",
    "report_due_on",
    "red_since",
    "lead_unit_id",
    "responsible_leader_id",
)
# A notification lists at most this many items; the ledger link shows them all.
LISTED = 10


def escalate_after():
    """Working days an item stays red before its responsible leader is told (settings)."""
    return settings.SUPERVISION_ESCALATE_AFTER_WORKING_DAYS


def sweep(now=None):
    """Send today's reminders (see the module docstring); returns {kind: reminders sent}, which
    counts only what this call sent — a second run the same day returns zeros."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = dict.fromkeys((kind.value for kind in KINDS), 0)
    if not calendar.is_working_day(today):
        return sent
    track_red(today)
    run = _Sweep(today, now)
    for kind in KINDS:
        sent[kind.value] = run.send(kind)
    return sent


def track_red(today):
    """Keep `red_since` (the day an item turned red, as the sweep saw it) in step with the light:
    newly red items get today — a conditional UPDATE (… WHERE red_since IS NULL), so a second
    sweep keeps the first day — and items no longer red lose it."""
    red = measures.light_q(calendar.Light.RED, today)
    newly = SupervisionItem.objects.filter(red, red_since__isnull=True).update(red_since=today)
    cleared = (
        SupervisionItem.objects.filter(red_since__isnull=False).exclude(red).update(red_since=None)
    )
    return newly, cleared


def escalation_cutoff(today):
    """Items red since before this day have been red for at least N working days on `today`
    (a working day): office.calendar.working_days_between(red_since, today) >= N."""
    n = escalate_after()
    if n <= 0:
        return today + datetime.timedelta(days=1)
    return calendar.add_working_days(today, 1 - n)


def due(kind, today):
    """The items a kind of reminder is due for today, as one range query on a partial index
    (ordered by its key so chunks are read by keyset)."""
    unit = SupervisionItem.objects.filter(state__in=UNIT_STATES)
    if kind == K.DUE_SOON:
        warn_until = calendar.add_working_days(today, calendar.WARNING_WORKING_DAYS)
        return unit.filter(deadline__gte=today, deadline__lte=warn_until), "deadline"
    if kind == K.OVERDUE:
        return unit.filter(deadline__lt=today), "deadline"
    if kind == K.REPORT_MISSING:
        return unit.filter(report_due_on__lt=today), "report_due_on"
    if kind == K.ESCALATED:
        # Red (so the planner can combine the two partial indexes) for N working days, and not
        # yet told in this red spell.
        return (
            unit.filter(
                measures.light_q(calendar.Light.RED, today),
                red_since__lt=escalation_cutoff(today),
            ).filter(Q(escalated_on__isnull=True) | Q(escalated_on__lt=F("red_since"))),
            "id",
        )
    raise ValueError(kind)


def reminder_text(kind, *, deadline, days, report_due_on=None, red_since=None, unit_name=""):
    """The words of an automatic reminder (the Urging row's message). `days` counts working days:
    left until the deadline (临期), past it (逾期), or since the item turned red (报责任领导)."""
    due_on = f"{deadline:%Y年%-m月%-d日}"
    if kind == K.DUE_SOON:
        when = "今天到期" if days == 0 else f"还有{days}个工作日到期"
        return f"办结时限为{due_on}，{when}。请抓紧办理，按期申请办结。"
    if kind == K.OVERDUE:
        return f"办结时限为{due_on}，已逾期{days}个工作日。请立即办理并报送进展。"
    if kind == K.REPORT_MISSING:
        return f"进展应于{report_due_on:%Y年%-m月%-d日}前报送，至今未报。请尽快报送进展。"
    return (
        f"牵头单位{unit_name}；办结时限为{due_on}；已亮红灯{days}个工作日"
        f"（自{red_since:%Y年%-m月%-d日}起），已多次催办。请督促办理。"
    )


class _Sweep(SweepRun):
    """One run's day, time and caches (office.reminders.SweepRun)."""

    def __init__(self, today, now):
        super().__init__(today)
        self.now = now

    def send(self, kind):
        """Every chunk of the kind's due items, one transaction each (office.reminders.
        sweep_chunks); returns reminders sent."""
        queryset, key = due(kind, self.today)
        # Plain rows, not model instances: a run reads thousands of them.
        return sweep_chunks(
            queryset.values_list(*FIELDS, named=True),
            key=key,
            size=CHUNK_SIZE,
            handle=lambda chunk: self.remind(kind, chunk),
        )

    def remind(self, kind, chunk):
        """Record the chunk's reminders (one INSERT … ON CONFLICT DO NOTHING) and tell each
        recipient group about the items this call recorded; returns how many it recorded."""
        messages = {item.id: self.message(kind, item) for item in chunk}
        inserted = _insert(kind, self.today, self.now, messages)
        if not inserted:
            return 0
        items = [item for item in chunk if item.id in inserted]
        if kind == K.ESCALATED:
            SupervisionItem.objects.filter(pk__in=[i.id for i in items]).update(
                escalated_on=self.today
            )
            for leader_id, group in groups(items, lambda i: i.responsible_leader_id):
                self.tell(self.leader_recipients(leader_id), kind, group, messages)
        else:
            for unit_id, group in groups(items, lambda i: i.lead_unit_id):
                self.tell(self.unit_recipients(unit_id), kind, group, messages)
        return len(items)

    def message(self, kind, item):
        """The reminder's words for one item: the Urging row's message and a notification line."""
        if kind == K.DUE_SOON:
            days = self.working_days(self.today, item.deadline)
        elif kind == K.OVERDUE:
            days = self.working_days(item.deadline, self.today)
        elif kind == K.ESCALATED:
            days = self.working_days(item.red_since, self.today)
        else:
            days = 0
        return reminder_text(
            kind,
            deadline=item.deadline,
            days=days,
            report_due_on=item.report_due_on,
            red_since=item.red_since,
            unit_name=self.unit_name(item.lead_unit_id) if kind == K.ESCALATED else "",
        )

    def tell(self, recipients, kind, items, messages):
        """One notification per recipient group: about the item when there is one, else a list
        of the items with a link to the ledger's red or yellow items."""
        urgent = kind in (K.OVERDUE, K.ESCALATED)
        label = {
            K.DUE_SOON: "督办事项即将到期",
            K.OVERDUE: "督办事项已逾期",
            K.REPORT_MISSING: "督办事项未按期报送进展",
            K.ESCALATED: "督办事项持续亮红灯",
        }[kind]
        light = calendar.Light.YELLOW if kind == K.DUE_SOON else calendar.Light.RED
        tell_group(
            recipients,
            items,
            messages=messages,
            label=label,
            name=lambda i: f"{i.item_number} {i.title}",
            model=SupervisionItem,
            url=item_url,
            counter="项",
            listed=LISTED,
            more="督查督办台账",
            list_url=f"{reverse('supervision:ledger')}?state=open&light={light}",
            urgent=urgent,
        )


def _insert(kind, day, now, messages):
    """INSERT the chunk's Urging rows; the ids of the items whose row this call inserted (the
    others were already reminded today, by an earlier run or a concurrent one)."""
    table = connection.ops.quote_name(Urging._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (item_id, kind, day, at, message, by_id) "  # noqa: S608
            "SELECT item_id, %s, %s, %s, message, NULL "
            "FROM unnest(%s::bigint[], %s::text[]) AS r(item_id, message) "
            "ON CONFLICT (item_id, kind, day) WHERE NOT (kind = 'manual') DO NOTHING "
            "RETURNING item_id",
            [kind, day, now, list(messages), list(messages.values())],
        )
        return {row[0] for row in cursor.fetchall()}
