"""自动催办 of suggestions and proposals (DOMAIN.md §7 — replies are due within the session's
months of 交办; issue 7 item 6 "Follow up": reminders as in supervision, idempotent, escalating).
Celery beat runs `sweep` every 30 minutes in office hours (proposals.tasks.sweep_proposals); on a
day off it does nothing.

On each working day, for the items in the lead unit's hands with a deadline (`Proposal.IN_HAND`:
交办 to 签发, before the reply is sent):

- 临期提醒 `DUE_SOON`: the reply is due today or within the warning window
  (add_working_days(today, office.calendar.WARNING_WORKING_DAYS), the yellow of the lights) →
  the lead unit's handlers and head;
- 逾期催办 `OVERDUE`: the deadline has passed → the lead unit's handlers and head, urgent (SMS),
  every working day, with the working days late;
- 逾期督促 `ESCALATED`: at least PROPOSALS_ESCALATE_AFTER_WORKING_DAYS working days late →
  the leader who leads a key item (领办领导) and their 联线副秘书长 (联线领导服务制), and the
  office's 建议提案 staff (secretaries, supervisors) for every item; urgent, once per overdue
  spell (recorded under the item's deadline: a re-handled item's new deadline starts a new one).

Each reminder is recorded in office.reminders under the key (item, kind, day) and sent only when
this run recorded it, in the same transaction: beat firing twice, a redelivered task or two
workers at once send nothing twice, and a run that dies half-way is completed by the next one.

How (FIELD_NOTES.md, "Reminders and background work"): one range query per kind on the partial
index `proposal_open_deadline_idx` (deadline, id for the IN_HAND states), read in chunks of
CHUNK_SIZE by keyset and claimed with SELECT … FOR UPDATE SKIP LOCKED
(office.reminders.sweep_chunks); per chunk one INSERT … ON CONFLICT DO NOTHING for its
reminders (office.reminders.claim_many) and one notification per recipient group (a unit, a
leader, the office) listing its items — a unit with five overdue items gets one message.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from office import calendar
from office.models import User
from office.reminders import SweepRun, claim_many, groups, sweep_chunks, tell_group

from .models import Proposal
from .permissions import OFFICE_ROLES
from .workflow import proposal_url

DUE_SOON = "proposal_due_soon"
OVERDUE = "proposal_overdue"
ESCALATED = "proposal_escalated"
KINDS = (DUE_SOON, OVERDUE, ESCALATED)
KIND_LABELS = {DUE_SOON: "临期提醒", OVERDUE: "逾期催办", ESCALATED: "逾期督促"}
TITLES = {
    DUE_SOON: "建议提案答复即将到期",
    OVERDUE: "建议提案答复已逾期",
    ESCALATED: "建议提案答复逾期督促",
}
CHUNK_SIZE = 500
# What a reminder needs of an item.
FIELDS = (
    "id",
    "session__name",
    "kind",
    "number",
    "title",
    "deadline",
    "lead_unit_id",
    "is_key",
    "key_leader_id",
)
# A notification lists at most this many items; the list page shows them all.
LISTED = 10


def escalate_after():
    """Working days a reply may be overdue before 逾期督促 (settings)."""
    return settings.PROPOSALS_ESCALATE_AFTER_WORKING_DAYS


def sweep(now=None):
    """Send today's reminders (see the module docstring); returns {kind: reminders sent}, which
    counts only what this call sent — a second run the same day returns zeros."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = dict.fromkeys(KINDS, 0)
    if not calendar.is_working_day(today):
        return sent
    run = _Sweep(today)
    for kind in KINDS:
        sent[kind] = run.send(kind)
    return sent


def escalation_cutoff(today):
    """Items due before this day are at least N working days late on `today` (a working day):
    office.calendar.working_days_between(deadline, today) >= N."""
    n = escalate_after()
    if n <= 0:
        return today
    return calendar.add_working_days(today, 1 - n)


def due(kind, today):
    """The items a kind of reminder is due for today: one range query on the partial index
    (ordered by deadline, id so chunks are read by keyset)."""
    in_hand = Proposal.objects.filter(state__in=Proposal.IN_HAND, deadline__isnull=False)
    if kind == DUE_SOON:
        warn_until = calendar.add_working_days(today, calendar.WARNING_WORKING_DAYS)
        return in_hand.filter(deadline__gte=today, deadline__lte=warn_until)
    if kind == OVERDUE:
        return in_hand.filter(deadline__lt=today)
    if kind == ESCALATED:
        return in_hand.filter(deadline__lt=escalation_cutoff(today))
    raise ValueError(kind)


def reminder_text(kind, *, deadline, days, unit_name=""):
    """The words of an automatic reminder. `days` counts working days: left until the deadline
    (临期) or past it (逾期, 督促)."""
    due_on = f"{deadline:%Y年%-m月%-d日}"
    if kind == DUE_SOON:
        when = "今天到期" if days == 0 else f"还有{days}个工作日到期"
        return f"答复期限为{due_on}，{when}。请抓紧办理，与代表委员沟通后按期答复。"
    if kind == OVERDUE:
        return f"答复期限为{due_on}，已逾期{days}个工作日。请立即办理并答复。"
    return (
        f"主办单位{unit_name}；答复期限为{due_on}，已逾期{days}个工作日，已每日催办。请督促办理。"
    )


def item_label(row):
    """「十六届人大三次会议 建议第0123号 标题」 for a reminder about one item."""
    kind = Proposal.Kind(row.kind).label
    return f"{row.session__name} {kind}第{row.number:04d}号 {row.title}"


class _Sweep(SweepRun):
    """One run's day and caches (office.reminders.SweepRun), and the office's staff."""

    def __init__(self, today):
        super().__init__(today)
        self._office = None

    def office_recipients(self):
        """The office's 建议提案 staff (permissions.OFFICE_ROLES)."""
        if self._office is None:
            self._office = list(
                User.objects.filter(is_active=True, groups__name__in=OFFICE_ROLES)
                .distinct()
                .order_by("id")
            )
        return self._office

    def send(self, kind):
        """Every chunk of the kind's due items, one transaction each; returns reminders sent."""
        return sweep_chunks(
            due(kind, self.today).values_list(*FIELDS, named=True),
            key="deadline",
            size=CHUNK_SIZE,
            handle=lambda chunk: self.remind(kind, chunk),
        )

    def remind(self, kind, chunk):
        """Record the chunk's reminders (one INSERT) and tell each recipient group about the
        items this call recorded; returns how many it recorded."""
        if kind == ESCALATED:
            # Once per overdue spell, as supervision escalates: the spell is the deadline
            # (重新办理 gives a new one), so the reminder's day is the deadline, not today.
            recorded = set()
            for deadline, group in groups(chunk, lambda r: r.deadline):
                recorded |= set(claim_many(Proposal, kind, deadline, [r.id for r in group]))
        else:
            recorded = claim_many(Proposal, kind, self.today, [row.id for row in chunk])
        rows = [row for row in chunk if row.id in recorded]
        if not rows:
            return 0
        messages = {row.id: self.message(kind, row) for row in rows}
        if kind == ESCALATED:
            self.tell(self.office_recipients(), kind, rows, messages)
            keyed = [r for r in rows if r.is_key and r.key_leader_id]
            for leader_id, group in groups(keyed, lambda r: r.key_leader_id):
                self.tell(self.leader_recipients(leader_id), kind, group, messages)
        else:
            for unit_id, group in groups(rows, lambda r: r.lead_unit_id):
                self.tell(self.unit_recipients(unit_id), kind, group, messages)
        return len(rows)

    def message(self, kind, row):
        if kind == DUE_SOON:
            days = self.working_days(self.today, row.deadline)
        else:
            days = self.working_days(row.deadline, self.today)
        unit = self.unit_name(row.lead_unit_id) if kind == ESCALATED else ""
        return reminder_text(kind, deadline=row.deadline, days=days, unit_name=unit)

    def tell(self, recipients, kind, rows, messages):
        """One notification per recipient group (office.reminders.tell_group), a list linked
        to the list of items."""
        tell_group(
            recipients,
            rows,
            messages=messages,
            label=TITLES[kind],
            name=item_label,
            model=Proposal,
            url=proposal_url,
            counter="件",
            listed=LISTED,
            more="建议提案列表",
            list_url=reverse("proposals:proposal-list"),
            urgent=kind in (OVERDUE, ESCALATED),
        )
