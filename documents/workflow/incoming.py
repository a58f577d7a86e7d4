"""The lifecycle of an incoming document (收文办理, 条例 art. 24; DOMAIN.md §3) and of each
handling unit's part of it — the only code that assigns `.state` in this app.

Document:

    registered 待初审 ──screen──▶ accepted 待拟办 ──propose_handling──▶ instructing 待批示
        │return_to_sender          │circulate (阅件)                      │instruct (each leader,
        ▼                          ▼                                      │ round by round)
    returned 已退文          circulating 传阅中 ──initial (each leader)     ├─assign──▶ handling 承办中
        │archive                   │finish_circulation                    └─conclude_instructions
        ▼                          ▼                                          ▶ instructed 待分办
    archived 已归档 ◀─archive─ completed 已办结 ◀─complete─ awaiting_completion 待办结
                                                                ▲ submit_for_completion (lead
                                                                │ unit's head approves its result)
    handling ──reassign──▶ instructed (the lead unit handed it back)   return_result ▶ handling

Assignment (one per handling unit):

    assigned 待接收 ──accept──▶ accepted 办理中 ──submit──▶ submitted 待单位审核 ──approve──▶ approved
        └──request_hand_back──▶ hand_back_requested ──grant_hand_back──▶ withdrawn
                                    └──refuse_hand_back──▶ accepted      reject ▶ accepted
                                                                          reopen (approved ▶ accepted)

Each function below takes the object and the acting user, and in one transaction: checks the
permission (403), moves the state with a conditional UPDATE (someone acting first makes this
fail with a Chinese message), writes the trail with the opinion text and notifies whoever acts
next (office.workflow, office.notifications).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from office import calendar, numbering
from office.models import Urgency, User
from office.notifications import notify
from office.roles import Role
from office.workflow import InvalidTransition, Transition, Workflow, required_text

from .. import permissions as can
from ..models import Assignment, Circulation, HandlingPolicy, IncomingDocument, LeaderInstruction

S = IncomingDocument.State
A = Assignment.State

DOCUMENT = Workflow(
    IncomingDocument,
    [
        Transition("screen", "初审通过", (S.REGISTERED,), S.ACCEPTED, can.can_screen),
        Transition(
            "return_to_sender",
            "退文",
            (S.REGISTERED, S.ACCEPTED),
            S.RETURNED,
            can.can_return_to_sender,
        ),
        Transition(
            "propose_handling", "拟办", (S.ACCEPTED,), S.INSTRUCTING, can.can_propose_handling
        ),
        Transition("instruct", "批示", (S.INSTRUCTING,), S.INSTRUCTING, can.can_instruct),
        Transition(
            "conclude_instructions",
            "批示完毕，转分办",
            (S.INSTRUCTING,),
            S.INSTRUCTED,
            can.can_conclude_instructions,
        ),
        Transition(
            "assign",
            "交办",
            (S.ACCEPTED, S.INSTRUCTING, S.INSTRUCTED),
            S.HANDLING,
            can.can_assign,
        ),
        Transition("reassign", "退回重新分办", (S.HANDLING,), S.INSTRUCTED, can.can_reassign),
        Transition(
            "submit_for_completion",
            "报请办结",
            (S.HANDLING,),
            S.AWAITING_COMPLETION,
            can.can_submit_for_completion,
        ),
        Transition(
            "return_result",
            "退回承办单位",
            (S.AWAITING_COMPLETION,),
            S.HANDLING,
            can.can_return_result,
        ),
        Transition("complete", "办结", (S.AWAITING_COMPLETION,), S.COMPLETED, can.can_complete),
        Transition("circulate", "传阅", (S.ACCEPTED,), S.CIRCULATING, can.can_circulate),
        Transition("initial", "圈阅", (S.CIRCULATING,), S.CIRCULATING, can.can_initial),
        Transition(
            "finish_circulation",
            "传阅完毕",
            (S.CIRCULATING,),
            S.COMPLETED,
            can.can_finish_circulation,
        ),
        Transition("archive", "归档", (S.COMPLETED, S.RETURNED), S.ARCHIVED, can.can_archive),
    ],
)

ASSIGNMENT = Workflow(
    Assignment,
    [
        Transition("accept", "接收", (A.ASSIGNED,), A.ACCEPTED, can.can_accept),
        Transition("submit", "提交办理结果", (A.ACCEPTED,), A.SUBMITTED, can.can_submit),
        Transition("approve", "审核通过", (A.SUBMITTED,), A.APPROVED, can.can_approve),
        Transition("reject", "退回修改", (A.SUBMITTED,), A.ACCEPTED, can.can_reject),
        Transition(
            "request_hand_back",
            "申请退回重新分办",
            (A.ASSIGNED, A.ACCEPTED),
            A.HAND_BACK_REQUESTED,
            can.can_request_hand_back,
        ),
        Transition(
            "grant_hand_back",
            "同意退回",
            (A.HAND_BACK_REQUESTED,),
            A.WITHDRAWN,
            can.can_decide_hand_back,
        ),
        Transition(
            "refuse_hand_back",
            "不同意退回",
            (A.HAND_BACK_REQUESTED,),
            A.ACCEPTED,
            can.can_decide_hand_back,
        ),
        # A refused hand-back of a part nobody had accepted yet goes back to 待接收.
        Transition(
            "refuse_hand_back_unaccepted",
            "不同意退回",
            (A.HAND_BACK_REQUESTED,),
            A.ASSIGNED,
            can.can_decide_hand_back,
        ),
        Transition("reopen", "退回重办", (A.APPROVED,), A.ACCEPTED, can.can_reopen),
    ],
)


# --- who is told ------------------------------------------------------------------------------


def unit_people(unit_id, role):
    """The active people holding `role` in a unit: whom a unit's work is sent to."""
    return list(User.objects.filter(unit_id=unit_id, is_active=True, groups__name=role).distinct())


def document_url(document):
    return reverse("documents:incoming-detail", args=[document.pk])


def _tell(users, document, title, body=""):
    notify(
        users,
        title=title,
        body=body,
        url=document_url(document),
        obj=document,
        urgent=document.urgency == Urgency.EXTRA_URGENT,
    )


def _already_acted(actor, document, turns, done_field):
    """A second click by a leader who already took their turn (or on a document that moved on)
    is a stale page, not a lack of permission."""
    mine = [t for t in turns if t.leader_id == actor.pk]
    return bool(mine) and (
        document.state not in (S.INSTRUCTING, S.CIRCULATING)
        or all(getattr(t, done_field) is not None for t in mine)
    )


def _check_leaders(leaders, document):
    """Only leaders receive documents for instruction or reading, and only within their
    clearance (a document above it does not exist for them)."""
    from office.permissions import scope_for

    for person in leaders:
        scope = scope_for(person)
        if Role.LEADER not in scope.roles:
            raise ValidationError(f"{person.real_name}不是领导，不能呈送。")
        if person.clearance < document.classification:
            raise ValidationError(f"{person.real_name}的涉密等级低于该文件密级，不能呈送。")


def _locked(document):
    """Re-read the document under a row lock: steps that also touch its instructions,
    circulations or assignments serialise on it."""
    return IncomingDocument.objects.select_for_update().get(pk=document.pk)


# --- registration and review ------------------------------------------------------------------


def screen(document, *, actor, opinion="", ip=None):
    """初审通过: the document is one this office should handle, in the right format and channel."""
    return DOCUMENT.perform(document, "screen", actor=actor, opinion=opinion, ip=ip)


def return_to_sender(document, *, actor, reason, ip=None):
    """退文 with the reason, which is kept and printed on the routing slip (条例 art. 24 (2))."""
    reason = required_text(reason, "退文须填写理由。")
    return DOCUMENT.perform(
        document,
        "return_to_sender",
        actor=actor,
        opinion=reason,
        ip=ip,
        updates={"return_reason": reason},
    )


def _rounds(leaders, parallel, start):
    """(leader, sequence) pairs: all in one round when parallel, else one round each in order."""
    return [(leader, start if parallel else start + i) for i, leader in enumerate(leaders)]


def _routing(leaders, parallel):
    """Who gets the document in which round (DOMAIN.md §1). In order, it goes up the hierarchy —
    the most junior first, the mayor last — and a vice mayor's linked deputy secretary-general
    (联线领导服务制) comes just before that vice mayor. In parallel, the linked deputy
    secretaries-general read it first, then all the chosen leaders at once."""
    chosen = {leader.pk for leader in leaders}
    liaisons = []
    for leader in leaders:
        link = leader.liaison if leader.liaison_id else None
        if link is not None and link.is_active and link.pk not in chosen and link not in liaisons:
            liaisons.append(link)
    if parallel:
        rounds = _rounds(liaisons, True, 1) if liaisons else []
        return rounds + _rounds(leaders, True, 2 if liaisons else 1)
    ordered = []
    for leader in sorted(leaders, key=lambda person: (-person.leader_order, person.pk)):
        link = leader.liaison if leader.liaison_id else None
        if link is not None and link in liaisons and link not in ordered:
            ordered.append(link)
        ordered.append(leader)
    return _rounds(ordered, False, 1)


def propose_handling(
    document, *, actor, opinion, leaders, parallel=False, lead_unit=None, co_units=(), ip=None
):
    """拟办: the secretary's proposal — which leaders instruct (in order, or all at once) and which
    units should handle it."""
    opinion = required_text(opinion, "请填写拟办意见。")
    leaders = list(dict.fromkeys(leaders))
    if not leaders:
        raise ValidationError("请选择呈送批示的领导。")
    _check_leaders(leaders, document)
    _check_units(lead_unit, co_units)
    with transaction.atomic():
        DOCUMENT.perform(
            document,
            "propose_handling",
            actor=actor,
            opinion=opinion,
            ip=ip,
            updates={
                "proposed_handling": opinion,
                "proposed_by": actor,
                "proposed_at": timezone.now(),
                "proposed_lead_unit": lead_unit,
            },
        )
        document.proposed_co_units.set(co_units)
        routing = _routing(leaders, parallel)
        LeaderInstruction.objects.bulk_create(
            LeaderInstruction(document=document, leader=leader, sequence=seq, requested_by=actor)
            for leader, seq in routing
        )
        _tell(
            [leader for leader, seq in routing if seq == 1],
            document,
            f"请批示：{document.title}",
            opinion,
        )
    return document


def instruct(
    document,
    *,
    actor,
    instruction,
    to_supervise=False,
    further_leaders=(),
    parallel=True,
    lead_unit=None,
    co_units=(),
    change_units=False,
    ip=None,
):
    """批示 by the leader whose turn it is. The leader may send it on to further leaders and pick
    or change the handling units. When no instruction is left pending, the document goes to the
    chosen units (交办), or to the secretary to assign when no unit is named."""
    instruction = required_text(instruction, "请填写批示意见。")
    if change_units:
        _check_units(lead_unit, co_units)
    _check_leaders(further_leaders, document)
    with transaction.atomic():
        document = _locked(document)
        mine = can.my_current_instruction(actor, document)
        if mine is None and _already_acted(
            actor, document, document.instructions.all(), "instructed_at"
        ):
            raise InvalidTransition("您已批示过该文件，或它已转入下一环节，请刷新页面后查看。")
        DOCUMENT.perform(document, "instruct", actor=actor, opinion=instruction, ip=ip)
        mine.instruction = instruction
        mine.instructed_at = timezone.now()
        mine.to_supervise = bool(to_supervise)
        mine.save(update_fields=["instruction", "instructed_at", "to_supervise"])
        if change_units:
            IncomingDocument.objects.filter(pk=document.pk).update(proposed_lead_unit=lead_unit)
            document.proposed_lead_unit = lead_unit
            document.proposed_co_units.set(co_units)
        further = [
            leader
            for leader in dict.fromkeys(further_leaders)
            if leader.pk != actor.pk
            and not document.instructions.filter(leader=leader, instructed_at__isnull=True).exists()
        ]
        if further:
            last = max(i.sequence for i in document.instructions.all())
            LeaderInstruction.objects.bulk_create(
                LeaderInstruction(
                    document=document, leader=leader, sequence=seq, requested_by=actor
                )
                for leader, seq in _rounds(further, parallel, last + 1)
            )
        document = _locked(document)  # fresh instructions for the turn below
        waiting = can.current_instructions(document)
        if waiting:
            if waiting[0].sequence != mine.sequence:  # this round is done: the next one's turn
                _tell(
                    [i.leader for i in waiting], document, f"请批示：{document.title}", instruction
                )
            return document
        if document.proposed_lead_unit_id:
            return assign(
                document,
                actor=actor,
                lead_unit=document.proposed_lead_unit,
                co_units=list(document.proposed_co_units.all()),
                ip=ip,
            )
        DOCUMENT.perform(document, "conclude_instructions", actor=actor, ip=ip)
        _tell(
            [document.registered_by],
            document,
            f"领导已批示，请分办：{document.title}",
            instruction,
        )
        return document


def _check_units(lead_unit, co_units):
    if lead_unit is not None and any(u.pk == lead_unit.pk for u in co_units):
        raise ValidationError("同一单位不能既主办又协办。")


def default_deadline(document, start=None):
    """办文办事限时制: working days by urgency from the handling policy (特急 1, 加急 3, 平件 10)."""
    policy = HandlingPolicy.current()
    start = start or timezone.localdate()
    return calendar.add_working_days(start, policy.days_for(document.urgency))


def assign(
    document, *, actor, lead_unit, co_units=(), deadline=None, co_deadline=None, opinion="", ip=None
):
    """交办: one lead unit (主办) and optional co-units (协办), each with a deadline in working days
    (by urgency unless given; co-units may be given an earlier one, so that their opinions reach
    the lead unit in time). Units already working on it keep their part."""
    if lead_unit is None:
        raise ValidationError("请选择主办单位。")
    _check_units(lead_unit, co_units)
    deadline = deadline or default_deadline(document)
    co_deadline = co_deadline or deadline
    if min(deadline, co_deadline) < timezone.localdate():
        raise ValidationError("办理期限不能早于今天。")
    if co_deadline > deadline:
        raise ValidationError("协办期限不能晚于主办单位的办理期限。")
    with transaction.atomic():
        document = _locked(document)
        DOCUMENT.perform(
            document,
            "assign",
            actor=actor,
            opinion=opinion
            or "主办：{}{}".format(
                lead_unit.name,
                "；协办：" + "、".join(u.name for u in co_units) if co_units else "",
            ),
            ip=ip,
            updates={"lead_unit": lead_unit, "deadline": deadline},
        )
        live = {
            a.unit_id: a
            for a in document.assignments.exclude(state=A.WITHDRAWN).select_for_update()
        }
        created = []
        promoted = live.get(lead_unit.pk)
        if promoted is not None and not promoted.is_lead:
            # A co-unit made lead (after the lead unit handed it back) keeps its work so far.
            Assignment.objects.filter(pk=promoted.pk).update(
                role=Assignment.Role.LEAD, deadline=deadline
            )
            _tell(
                unit_people(lead_unit.pk, Role.UNIT_HANDLER),
                document,
                f"改为主办：{document.title}",
                f"办理期限：{deadline:%Y年%-m月%-d日}",
            )
        for unit, role in [(lead_unit, Assignment.Role.LEAD)] + [
            (u, Assignment.Role.CO) for u in co_units
        ]:
            if unit.pk in live:
                continue
            created.append(
                Assignment.objects.create(
                    document=document,
                    unit=unit,
                    role=role,
                    deadline=deadline if role == Assignment.Role.LEAD else co_deadline,
                    assigned_by=actor,
                )
            )
        for assignment in created:
            _tell(
                unit_people(assignment.unit_id, Role.UNIT_HANDLER),
                document,
                f"新交办（{assignment.get_role_display()}）：{document.title}",
                f"办理期限：{assignment.deadline:%Y年%-m月%-d日}",
            )
    return document


# --- circulation (阅件) -----------------------------------------------------------------------


def circulate(document, *, actor, leaders, parallel=False, opinion="", ip=None):
    """传阅 a 阅件 to leaders, in order or all at once."""
    leaders = list(dict.fromkeys(leaders))
    if not leaders:
        raise ValidationError("请选择传阅的领导。")
    _check_leaders(leaders, document)
    with transaction.atomic():
        DOCUMENT.perform(
            document,
            "circulate",
            actor=actor,
            opinion=opinion or "传阅：" + "、".join(str(leader) for leader in leaders),
            ip=ip,
        )
        Circulation.objects.bulk_create(
            Circulation(document=document, leader=leader, sequence=seq)
            for leader, seq in _rounds(leaders, parallel, 1)
        )
        first = [leader for leader, seq in _rounds(leaders, parallel, 1) if seq == 1]
        _tell(first, document, f"请阅：{document.title}", opinion)
    return document


def initial(document, *, actor, remark="", ip=None):
    """圈阅 by the leader whose turn it is; when the last leader has read it, it is completed."""
    with transaction.atomic():
        document = _locked(document)
        mine = can.my_current_circulation(actor, document)
        if mine is None and _already_acted(actor, document, document.circulations.all(), "read_at"):
            raise InvalidTransition("您已圈阅过该文件，或传阅已结束，请刷新页面后查看。")
        DOCUMENT.perform(document, "initial", actor=actor, opinion=remark.strip(), ip=ip)
        mine.read_at = timezone.now()
        mine.remark = remark.strip()
        mine.save(update_fields=["read_at", "remark"])
        document = _locked(document)
        waiting = can.current_circulations(document)
        if waiting:
            if waiting[0].sequence != mine.sequence:
                _tell([c.leader for c in waiting], document, f"请阅：{document.title}")
            return document
        return _finish_circulation(document, actor=actor, ip=ip)


def finish_circulation(document, *, actor, opinion="", ip=None):
    """A secretary ends a circulation early (a leader away); the unread leaders stay on record."""
    with transaction.atomic():
        return _finish_circulation(_locked(document), actor=actor, opinion=opinion, ip=ip)


def _finish_circulation(document, *, actor, opinion="", ip=None):
    unread = [c.leader.real_name for c in document.circulations.all() if c.read_at is None]
    if unread and not opinion:
        opinion = "未圈阅：" + "、".join(unread)
    DOCUMENT.perform(
        document,
        "finish_circulation",
        actor=actor,
        opinion=opinion,
        ip=ip,
        updates={"completed_on": timezone.localdate(), "completed_by": actor},
    )
    _tell([document.registered_by], document, f"传阅完毕：{document.title}")
    return document


# --- handling by the units --------------------------------------------------------------------


def _assignment_locked(assignment):
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("document", "unit")
        .get(pk=assignment.pk)
    )


def accept(assignment, *, actor, ip=None):
    """The unit's handler takes the item on; from now on they are its 承办人."""
    return ASSIGNMENT.perform(
        assignment,
        "accept",
        actor=actor,
        ip=ip,
        updates={"handler": actor, "accepted_at": timezone.now()},
    )


def submit(assignment, *, actor, result, ip=None):
    """提交办理结果 (the lead unit) or 协办意见 (a co-unit) to the unit head for approval."""
    result = required_text(result, "请填写办理结果。" if assignment.is_lead else "请填写协办意见。")
    with transaction.atomic():
        ASSIGNMENT.perform(
            assignment,
            "submit",
            actor=actor,
            opinion=result,
            ip=ip,
            updates={"result": result, "submitted_at": timezone.now(), "handler": actor},
        )
        _tell(
            unit_people(assignment.unit_id, Role.UNIT_HEAD),
            assignment.document,
            f"请审核办理结果：{assignment.document.title}",
        )
    return assignment


def approve(assignment, *, actor, opinion="", ip=None):
    """The unit head approves. A co-unit's opinion then goes to the lead unit; the lead unit's
    result sends the document to the secretary to confirm completion."""
    with transaction.atomic():
        ASSIGNMENT.perform(
            assignment,
            "approve",
            actor=actor,
            opinion=opinion,
            ip=ip,
            updates={"approved_by": actor, "approved_at": timezone.now()},
        )
        document = assignment.document
        if assignment.is_lead:
            DOCUMENT.perform(_locked(document), "submit_for_completion", actor=actor, ip=ip)
            _tell(
                [document.registered_by],
                document,
                f"承办单位已报送办理结果，请确认办结：{document.title}",
                assignment.result,
            )
        else:
            lead = document.assignments.filter(
                role=Assignment.Role.LEAD, state__in=Assignment.ACTIVE_STATES
            ).first()
            if lead is not None:
                _tell(
                    unit_people(lead.unit_id, Role.UNIT_HANDLER),
                    document,
                    f"{assignment.unit.short_name}的协办意见已送达：{document.title}",
                    assignment.result,
                )
    return assignment


def reject(assignment, *, actor, opinion, ip=None):
    """The unit head sends the submission back to the handler (退回修改)."""
    opinion = required_text(opinion, "请填写退回修改的意见。")
    with transaction.atomic():
        ASSIGNMENT.perform(assignment, "reject", actor=actor, opinion=opinion, ip=ip)
        _tell(
            [assignment.handler],
            assignment.document,
            f"办理结果被退回修改：{assignment.document.title}",
            opinion,
        )
    return assignment


def request_hand_back(assignment, *, actor, reason, ip=None):
    """退回重新分办: the unit says the item is not theirs, with a reason; the secretary decides."""
    reason = required_text(reason, "请填写申请退回的理由。")
    with transaction.atomic():
        ASSIGNMENT.perform(
            assignment,
            "request_hand_back",
            actor=actor,
            opinion=reason,
            ip=ip,
            updates={"hand_back_reason": reason},
        )
        document = assignment.document
        _tell(
            [document.registered_by],
            document,
            f"{assignment.unit.short_name}申请退回重新分办：{document.title}",
            reason,
        )
    return assignment


def grant_hand_back(assignment, *, actor, opinion="", ip=None):
    """The secretary agrees: the unit's part is withdrawn; when it was the lead unit, the document
    goes back to 待分办 for a new lead unit."""
    with transaction.atomic():
        ASSIGNMENT.perform(assignment, "grant_hand_back", actor=actor, opinion=opinion, ip=ip)
        document = assignment.document
        if assignment.is_lead:
            DOCUMENT.perform(
                _locked(document),
                "reassign",
                actor=actor,
                opinion=f"{assignment.unit.name}退回：{assignment.hand_back_reason}",
                ip=ip,
                updates={"lead_unit": None, "deadline": None},
            )
        _tell(
            unit_people(assignment.unit_id, Role.UNIT_HANDLER),
            document,
            f"退回申请已同意：{document.title}",
            opinion,
        )
    return assignment


def refuse_hand_back(assignment, *, actor, opinion, ip=None):
    """The secretary refuses: the unit keeps the item — 办理中 again, or 待接收 when nobody had
    accepted it before asking."""
    opinion = required_text(opinion, "请填写不同意退回的理由。")
    step = "refuse_hand_back" if assignment.accepted_at else "refuse_hand_back_unaccepted"
    with transaction.atomic():
        ASSIGNMENT.perform(assignment, step, actor=actor, opinion=opinion, ip=ip)
        _tell(
            unit_people(assignment.unit_id, Role.UNIT_HANDLER),
            assignment.document,
            f"退回申请未同意，请继续办理：{assignment.document.title}",
            opinion,
        )
    return assignment


# --- completion and filing --------------------------------------------------------------------


def complete(document, *, actor, opinion="", ip=None):
    """办结, confirmed by the secretary; completed after the deadline counts as 逾期办结."""
    with transaction.atomic():
        DOCUMENT.perform(
            document,
            "complete",
            actor=actor,
            opinion=opinion,
            ip=ip,
            updates={"completed_on": timezone.localdate(), "completed_by": actor},
        )
        lead = document.assignments.filter(role=Assignment.Role.LEAD, state=A.APPROVED).first()
        if lead is not None:
            _tell(
                unit_people(lead.unit_id, Role.UNIT_HANDLER), document, f"已办结：{document.title}"
            )
    return document


def return_result(document, *, actor, opinion, ip=None):
    """The secretary finds the result insufficient and sends it back to the lead unit."""
    opinion = required_text(opinion, "请填写退回理由。")
    with transaction.atomic():
        document = _locked(document)
        DOCUMENT.perform(document, "return_result", actor=actor, opinion=opinion, ip=ip)
        lead = (
            document.assignments.select_for_update()
            .filter(role=Assignment.Role.LEAD, state=A.APPROVED)
            .first()
        )
        if lead is None:
            raise InvalidTransition("主办单位的办理结果已被退回或撤回，请刷新页面后查看。")
        ASSIGNMENT.perform(lead, "reopen", actor=actor, opinion=opinion, ip=ip)
        _tell(
            unit_people(lead.unit_id, Role.UNIT_HANDLER),
            document,
            f"办理结果被退回，请补充办理：{document.title}",
            opinion,
        )
    return document


ARCHIVE_REGISTER = "归档"
ARCHIVE_PATTERN = "{year}-{number:04d}"


def archive(document, *, actor, ip=None):
    """归档 into the year's archive list with an archive number; filed documents are read-only."""
    with transaction.atomic():
        year = timezone.localdate().year
        serial = numbering.allocate(
            ARCHIVE_REGISTER, year=year, obj=document, actor=actor, pattern=ARCHIVE_PATTERN
        )
        DOCUMENT.perform(
            document,
            "archive",
            actor=actor,
            opinion=f"归档号 {serial.text}",
            ip=ip,
            updates={
                "archive_number": serial.text,
                "archived_on": timezone.localdate(),
                "archived_by": actor,
            },
        )
    return document


__all__ = [
    "ASSIGNMENT",
    "DOCUMENT",
    "InvalidTransition",
    "accept",
    "approve",
    "archive",
    "assign",
    "circulate",
    "complete",
    "finish_circulation",
    "grant_hand_back",
    "initial",
    "instruct",
    "propose_handling",
    "refuse_hand_back",
    "reject",
    "request_hand_back",
    "return_result",
    "return_to_sender",
    "screen",
    "submit",
]
