"""自动催办: reminders before and after an incoming document's deadline (办文办事限时制, DOMAIN.md
§2–3; 条例 art. 24 — 催办 before and after the deadline).

The rule, applied on every working day to each active part (Assignment.ACTIVE_STATES) of a
document in 承办中 (handling):

- 临期 `incoming_due_soon` (yellow): the deadline is today or within HandlingPolicy.warning_days
  working days → the unit's handlers (承办人), and its head while the result waits for the head's
  approval; once a day.
- 逾期 `incoming_overdue` (red): the deadline has passed → the unit's handlers and its head, every
  working day, urgent, with the number of working days late.
- 逾期升级 `incoming_escalated`: more than HandlingPolicy.escalate_after_days working days late →
  also the leaders who instructed on the document (批示领导), or the secretary who registered it
  when no leader did (首问责任制); every working day, urgent.
- 催请批示 `instruction_waiting`: a leader whose turn it is (the document is 待批示) has not
  instructed within the urgency's handling days (HandlingPolicy.days_for) since the document
  reached them → that leader, once a day.

A unit with nobody in the role does not swallow a reminder: the registering secretary gets it.

The yellow window is the one of `office.calendar.traffic_light(deadline, warning=warning_days)`,
so a reminder and the light on the page always agree. Nothing is sent on a day off: the counts
are in working days, so a reminder on a Sunday would only repeat Saturday's or Friday's.

How (FIELD_NOTES.md, "Reminders and background work"): one periodic sweeper, never a task or beat
entry per deadline. One range query on the partial index `assignment_open_deadline_idx`
(Assignment(deadline, id) for the active states) finds what is due, read in chunks, so its cost
grows with the items due and not with all items. Every reminder goes through
`office.reminders.remind_once`, which in one transaction records (item, kind, day) with
INSERT … ON CONFLICT DO NOTHING and writes the notifications only when it inserted the row: beat
firing twice, a redelivered task or two workers at once send nothing twice, and a run that dies
half-way is completed by the next one.
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils import timezone

from office import calendar
from office.models import Reminder, Urgency
from office.reminders import remind_once
from office.roles import Role

from .models import Assignment, HandlingPolicy, IncomingDocument, LeaderInstruction
from .workflow import document_url, unit_people

DUE_SOON = "incoming_due_soon"
OVERDUE = "incoming_overdue"
ESCALATED = "incoming_escalated"
INSTRUCTION_WAITING = "instruction_waiting"

KIND_LABELS = {
    DUE_SOON: "临期提醒",
    OVERDUE: "逾期催办",
    ESCALATED: "逾期督促",
    INSTRUCTION_WAITING: "催请批示",
}

CHUNK_SIZE = 500


def send_deadline_reminders(today=None):
    """Send today's reminders (see the module docstring); returns {kind: reminders sent}, which
    counts only what this call sent — a second run the same day returns zeros."""
    today = today or timezone.localdate()
    sent = dict.fromkeys(KIND_LABELS, 0)
    if not calendar.is_working_day(today):
        return sent
    sweep = _Sweep(today, HandlingPolicy.current())
    for chunk in _chunks(due_assignments(today, sweep.policy)):
        sweep.load_sent(Assignment, chunk)
        for assignment in chunk:
            for kind in sweep.remind_assignment(assignment):
                sent[kind] += 1
    for chunk in _chunks(pending_instructions(today, sweep.policy)):
        sweep.load_sent(LeaderInstruction, chunk)
        for instruction in chunk:
            if sweep.remind_instruction(instruction):
                sent[INSTRUCTION_WAITING] += 1
    return sent


def _chunks(queryset):
    """The rows in lists of CHUNK_SIZE, read through a server-side cursor with the prefetches
    done per chunk."""
    rows = queryset.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        yield chunk


def due_soon_until(today, warning_days):
    """The last deadline that is yellow today: at most `warning_days` working days after today
    (office.calendar.traffic_light counts the working days after today up to the deadline)."""
    return calendar.add_working_days(today, warning_days + 1) - datetime.timedelta(days=1)


def due_assignments(today, policy):
    """Active parts whose deadline is yellow or red today: one range query on the partial index
    `assignment_open_deadline_idx` and no join, so PostgreSQL cannot choose to scan all
    documents. Per chunk, their documents that are in handling (`handling_document`, None for the
    others) come by primary key with the instructing leaders."""
    documents = (
        IncomingDocument.objects.filter(state=IncomingDocument.State.HANDLING)
        .select_related("registered_by")
        .prefetch_related(
            Prefetch(
                "instructions",
                queryset=LeaderInstruction.objects.filter(instructed_at__isnull=False)
                .select_related("leader")
                .order_by("instructed_at", "id"),
                to_attr="instructed",
            )
        )
    )
    return (
        Assignment.objects.filter(
            state__in=Assignment.ACTIVE_STATES,
            deadline__lte=due_soon_until(today, policy.warning_days),
        )
        .prefetch_related(
            "unit", Prefetch("document", queryset=documents, to_attr="handling_document")
        )
        .order_by("deadline", "id")
    )


def pending_instructions(today, policy):
    """Pending instructions on documents 待批示 that reached their leader before the shortest
    handling time (the partial index `instruction_pending_idx` holds only pending ones);
    `_Sweep.remind_instruction` checks the document's own urgency and round."""
    shortest = min(policy.extra_urgent_days, policy.urgent_days, policy.normal_days)
    return (
        LeaderInstruction.objects.filter(
            instructed_at__isnull=True,
            document__state=IncomingDocument.State.INSTRUCTING,
            requested_at__date__lt=calendar.add_working_days(today, -shortest),
        )
        .select_related("document", "document__registered_by", "leader")
        .prefetch_related(Prefetch("document__instructions", to_attr="rounds"))
        .order_by("id")
    )


class _Sweep:
    """One run's policy and caches: a unit's people and a deadline's lateness are looked up once
    per run, and the reminders already sent today once per chunk — a second run the same day
    costs a few queries per chunk, not one per item. `remind_once` stays the guarantee."""

    def __init__(self, today, policy):
        self.today, self.policy = today, policy
        self._people, self._late, self._sent = {}, {}, set()

    def load_sent(self, model, chunk):
        self._sent = set(
            Reminder.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[obj.pk for obj in chunk],
                day=self.today,
            ).values_list("object_id", "kind")
        )

    def people(self, unit_id, role):
        if (unit_id, role) not in self._people:
            self._people[unit_id, role] = unit_people(unit_id, role)
        return self._people[unit_id, role]

    def working_days_late(self, deadline):
        if deadline not in self._late:
            self._late[deadline] = calendar.working_days_between(deadline, self.today)
        return self._late[deadline]

    def remind_assignment(self, assignment):
        """The kinds sent for one part of a document today (none unless the document is in
        handling)."""
        document = assignment.handling_document
        if document is None:
            return []
        handlers = self.people(assignment.unit_id, Role.UNIT_HANDLER)
        heads = self.people(assignment.unit_id, Role.UNIT_HEAD)
        where = f"承办单位：{assignment.unit.name}（{assignment.get_role_display()}）"
        due = f"{assignment.deadline:%Y年%-m月%-d日}"
        sent = []
        if assignment.deadline >= self.today:
            waiting_for_head = assignment.state == Assignment.State.SUBMITTED
            if self._remind(
                assignment,
                document,
                DUE_SOON,
                handlers + (heads if waiting_for_head else []),
                f"收文即将到期：{document.title}（{due}到期）",
                f"{where}；办理期限：{due}。请抓紧办理，按时报送办理结果。",
            ):
                sent.append(DUE_SOON)
            return sent
        late = self.working_days_late(assignment.deadline)
        if self._remind(
            assignment,
            document,
            OVERDUE,
            handlers + heads,
            f"收文已逾期{late}个工作日：{document.title}",
            f"{where}；办理期限：{due}，已逾期{late}个工作日。请立即办理并报送办理结果。",
            urgent=True,
        ):
            sent.append(OVERDUE)
        if late > self.policy.escalate_after_days and self._remind(
            assignment,
            document,
            ESCALATED,
            self.responsible_leaders(document),
            f"逾期督促：{assignment.unit.short_name}办理的{document.title}已逾期{late}个工作日",
            f"{where}；办理期限：{due}。已每日催办承办单位，请督促办理。",
            urgent=True,
        ):
            sent.append(ESCALATED)
        return sent

    def responsible_leaders(self, document):
        """The leaders who instructed on the document; when none did (or none is still active),
        the secretary who registered it (首问责任制)."""
        leaders = {i.leader_id: i.leader for i in document.instructed if i.leader.is_active}
        return list(leaders.values()) or [document.registered_by]

    def remind_instruction(self, instruction):
        """催请批示, when it is this leader's turn and the urgency's days have passed since the
        document reached them (the request, or the end of the previous round)."""
        document = instruction.document
        pending = [i.sequence for i in document.rounds if i.instructed_at is None]
        if instruction.sequence != min(pending):
            return False
        since = max(
            [instruction.requested_at]
            + [
                i.instructed_at
                for i in document.rounds
                if i.instructed_at is not None and i.sequence < instruction.sequence
            ]
        )
        waited = calendar.working_days_between(timezone.localdate(since), self.today)
        limit = self.policy.days_for(document.urgency)
        if waited <= limit:
            return False
        return self._remind(
            instruction,
            document,
            INSTRUCTION_WAITING,
            [instruction.leader],
            f"请尽快批示：{document.title}（已呈送{waited}个工作日）",
            f"{document.get_urgency_display()}，办理时限为{limit}个工作日。",
            urgent=document.urgency == Urgency.EXTRA_URGENT,
        )

    def _remind(self, obj, document, kind, recipients, title, body, urgent=False):
        """One reminder under the (obj, kind, day) key; True if this call sent it. A unit with
        nobody in the role does not swallow it: the secretary who registered the document
        (首问责任制) is told instead."""
        if (obj.pk, kind) in self._sent:
            return False
        return bool(
            remind_once(
                obj,
                kind=kind,
                day=self.today,
                recipients=recipients or [document.registered_by],
                title=title,
                body=body,
                url=document_url(document),
                urgent=urgent,
            )
        )


def reminders_for(document):
    """The automatic reminders sent about a document's parts and instructions, newest first, each
    with `kind_label` (临期提醒, 逾期催办…) and `about` (the unit or the leader): the document's
    page shows "已自动催办 N 次". Three small indexed queries."""
    types = ContentType.objects.get_for_models(Assignment, LeaderInstruction)
    units = dict(document.assignments.values_list("pk", "unit__short_name"))
    leaders = dict(document.instructions.values_list("pk", "leader__real_name"))
    if not units and not leaders:
        return []
    rows = list(
        Reminder.objects.filter(
            Q(content_type=types[Assignment], object_id__in=list(units))
            | Q(content_type=types[LeaderInstruction], object_id__in=list(leaders)),
            kind__in=list(KIND_LABELS),
        ).order_by("-day", "-id")
    )
    for row in rows:
        row.kind_label = KIND_LABELS[row.kind]
        row.about = (
            units[row.object_id]
            if row.content_type_id == types[Assignment].pk
            else leaders[row.object_id]
        )
    return rows
