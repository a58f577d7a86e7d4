"""The life of a suggestion or proposal (DOMAIN.md §7) — the only code that assigns its `.state`:

    registered 已登记 ──assign 交办──▶ assigned 已交办 ──accept 接收──▶ handling 办理中
        assigned ──request_reassignment──▶ reassignment_requested 申请调整
                    ──approve_reassignment / reject_reassignment──▶ assigned
    handling ──submit_reply──▶ reply_submitted 答复待审 ──approve_reply 签发──▶ reply_approved
        reply_submitted ──return_reply 退回──▶ handling
    reply_approved ──send_reply 答复──▶ replied 已答复 ──rate 评价──▶ rated 已评价
    rated ──close 办结──▶ closed (满意/基本满意, or the second round)
    rated ──rehandle 重新办理──▶ handling, round 2 with a new deadline (first round 不满意)

A reply cannot be submitted before a contact with the proposer (沟通联系) is recorded in the round
and before every co-unit (会办单位) has sent its opinion. Ratings come from the office (entered
from the returned form) or from the proposer through a signed, expiring link; the handling unit
never rates (permissions.can_rate).

Every function checks permission before looking at the input, refuses in Chinese, writes the
trail and tells the next actor in the same transaction (office.workflow)."""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from office import trail
from office.calendar import add_working_days
from office.models import User
from office.notifications import notify
from office.selectors import unit_people
from office.workflow import InvalidTransition, Transition, Workflow, require, required_text

from . import permissions as can
from .models import (
    Contact,
    CoOpinion,
    Proposal,
    Rating,
    ReassignmentRequest,
    ReplyLetter,
    add_months,
)
from .permissions import OFFICE_ROLES

S = Proposal.State
RATING_LINK_DAYS = 60
RATING_SALT = "proposals.rating"


def _system(user, proposal):
    """Steps the workflow takes itself after a rating (办结, 重新办理): never offered as buttons."""
    return True


def _rating_allowed(user, proposal):
    """The office enters a rating (user given); the proposer's signed link has no user."""
    return user is None or can.can_rate(user, proposal)


PROPOSAL = Workflow(
    Proposal,
    [
        Transition("assign", "交办", (S.REGISTERED,), S.ASSIGNED, can.can_manage),
        Transition("accept", "接收", (S.ASSIGNED,), S.HANDLING, can.can_handle),
        Transition(
            "request_reassignment",
            "申请调整",
            (S.ASSIGNED,),
            S.REASSIGNMENT_REQUESTED,
            can.can_handle,
        ),
        Transition(
            "approve_reassignment",
            "同意调整",
            (S.REASSIGNMENT_REQUESTED,),
            S.ASSIGNED,
            can.can_manage,
        ),
        Transition(
            "reject_reassignment",
            "不同意调整",
            (S.REASSIGNMENT_REQUESTED,),
            S.ASSIGNED,
            can.can_manage,
        ),
        Transition("submit_reply", "提交答复", (S.HANDLING,), S.REPLY_SUBMITTED, can.can_handle),
        Transition(
            "return_reply", "退回答复", (S.REPLY_SUBMITTED,), S.HANDLING, can.can_sign_reply
        ),
        Transition(
            "approve_reply", "签发答复", (S.REPLY_SUBMITTED,), S.REPLY_APPROVED, can.can_sign_reply
        ),
        Transition("send_reply", "答复", (S.REPLY_APPROVED,), S.REPLIED, can.can_handle),
        Transition("rate", "评价", (S.REPLIED,), S.RATED, _rating_allowed),
        Transition("close", "办结", (S.RATED,), S.CLOSED, _system),
        Transition("rehandle", "重新办理", (S.RATED,), S.HANDLING, _system),
    ],
)

# Buttons offered on a page: the steps people take (办结 and 重新办理 follow a rating).
PEOPLE_STEPS = tuple(n for n in PROPOSAL.transitions if n not in ("close", "rehandle"))


def proposal_url(proposal):
    return reverse("proposals:proposal-detail", args=[proposal.pk])


def _office_staff():
    return list(User.objects.filter(is_active=True, groups__name__in=OFFICE_ROLES).distinct())


def _tell(users, proposal, title, body=""):
    notify(users, title=title, body=body, url=proposal_url(proposal), obj=proposal)


def _label(proposal):
    return f"{proposal.session.name} {proposal.get_kind_display()}{proposal.number_text}"


def reply_deadline(proposal, assigned_on):
    """答复期限: the session's months from assignment (重点件 may have their own)."""
    session = proposal.session
    months = session.reply_months
    if proposal.is_key and session.key_reply_months:
        months = session.key_reply_months
    return add_months(assigned_on, months)


# --- 交办 / 接收 / 申请调整 --------------------------------------------------------------------


def assign(proposal, *, actor, lead_unit, co_units=(), ip=None):
    """交办 to a lead unit (主办) and co-units (会办): the reply is due in the session's months,
    and the lead unit may ask for reassignment within the session's working days."""
    require(can.can_manage(actor), "只有建议提案办理人员可以交办。")
    if lead_unit is None:
        raise ValidationError("请选择主办单位。")
    co_units = [u for u in co_units if u.pk != lead_unit.pk]
    today = timezone.localdate()
    with transaction.atomic():
        PROPOSAL.perform(
            proposal,
            "assign",
            actor=actor,
            opinion=f"主办：{lead_unit.name}"
            + (f"；会办：{'、'.join(u.name for u in co_units)}" if co_units else ""),
            ip=ip,
            updates={
                "lead_unit": lead_unit,
                "assigned_on": today,
                "deadline": reply_deadline(proposal, today),
                "reassign_until": add_working_days(
                    today, proposal.session.reassignment_working_days
                ),
            },
        )
        proposal.co_units.set(co_units)
        body = f"答复期限：{proposal.deadline:%Y年%m月%d日}；申请调整截止：{proposal.reassign_until:%Y年%m月%d日}"
        _tell(
            unit_people(lead_unit.pk), proposal, f"建议提案交办（主办）：{_label(proposal)}", body
        )
        if co_units:
            _tell(
                unit_people([u.pk for u in co_units]),
                proposal,
                f"建议提案交办（会办）：{_label(proposal)}",
                body,
            )
    return proposal


def accept(proposal, *, actor, ip=None):
    """接收: the lead unit takes the item on (it can no longer ask for reassignment)."""
    return PROPOSAL.perform(proposal, "accept", actor=actor, ip=ip)


def request_reassignment(proposal, *, actor, reason, suggested_unit=None, ip=None):
    """申请调整 within the session's window, with the reason (and the unit it should go to)."""
    require(can.can_handle(actor, proposal), "只有主办单位可以申请调整。")
    reason = required_text(reason, "请说明申请调整的理由。")
    today = timezone.localdate()
    if proposal.reassign_until and today > proposal.reassign_until:
        raise ValidationError(
            f"申请调整须在 {proposal.reassign_until:%Y年%m月%d日} 前提出，已超过期限。"
        )
    with transaction.atomic():
        PROPOSAL.perform(proposal, "request_reassignment", actor=actor, opinion=reason, ip=ip)
        ReassignmentRequest.objects.create(
            proposal=proposal,
            unit=proposal.lead_unit,
            reason=reason,
            suggested_unit=suggested_unit,
            requested_by=actor,
        )
        _tell(_office_staff(), proposal, f"申请调整承办单位：{_label(proposal)}", reason)
    return proposal


def _pending_request(proposal):
    request = proposal.reassignments.filter(outcome=ReassignmentRequest.Outcome.PENDING).first()
    if request is None:
        raise InvalidTransition("没有待审核的调整申请。")
    return request


def approve_reassignment(proposal, *, actor, lead_unit, co_units=(), opinion="", ip=None):
    """同意调整: the item goes to the new lead unit (its own reassignment window; the reply
    deadline stays)."""
    require(can.can_manage(actor), "只有建议提案办理人员可以审核调整申请。")
    if lead_unit is None:
        raise ValidationError("请选择调整后的主办单位。")
    if lead_unit.pk == proposal.lead_unit_id:
        raise ValidationError("调整后的主办单位与原主办单位相同。")
    today = timezone.localdate()
    with transaction.atomic():
        request = _pending_request(proposal)
        old = proposal.lead_unit
        PROPOSAL.perform(
            proposal,
            "approve_reassignment",
            actor=actor,
            opinion=f"由{old.name}调整为{lead_unit.name}" + (f"；{opinion}" if opinion else ""),
            ip=ip,
            updates={
                "lead_unit": lead_unit,
                "reassign_until": add_working_days(
                    today, proposal.session.reassignment_working_days
                ),
            },
        )
        proposal.co_units.set([u for u in co_units if u.pk != lead_unit.pk])
        ReassignmentRequest.objects.filter(pk=request.pk).update(
            outcome=ReassignmentRequest.Outcome.APPROVED,
            decided_by=actor,
            decided_at=timezone.now(),
            opinion=(opinion or "")[:300],
        )
        _tell(unit_people(old.pk), proposal, f"调整申请已同意：{_label(proposal)}", opinion)
        _tell(
            unit_people(lead_unit.pk),
            proposal,
            f"建议提案交办（主办，调整）：{_label(proposal)}",
            f"答复期限：{proposal.deadline:%Y年%m月%d日}",
        )
    return proposal


def reject_reassignment(proposal, *, actor, opinion, ip=None):
    """不同意调整 with the reason: the unit keeps the item."""
    require(can.can_manage(actor), "只有建议提案办理人员可以审核调整申请。")
    opinion = required_text(opinion, "不同意调整须说明理由。")
    with transaction.atomic():
        request = _pending_request(proposal)
        PROPOSAL.perform(proposal, "reject_reassignment", actor=actor, opinion=opinion, ip=ip)
        ReassignmentRequest.objects.filter(pk=request.pk).update(
            outcome=ReassignmentRequest.Outcome.REJECTED,
            decided_by=actor,
            decided_at=timezone.now(),
            opinion=opinion[:300],
        )
        _tell(
            unit_people(proposal.lead_unit_id),
            proposal,
            f"调整申请未同意：{_label(proposal)}",
            opinion,
        )
    return proposal


# --- 办理：沟通联系、会办意见、答复函 -------------------------------------------------------------


def record_contact(proposal, *, actor, contacted_on, way, people, content, ip=None):
    """沟通联系 with the proposer (date, way, who, content), in the current round."""
    require(can.can_handle(actor, proposal), "只有主办单位可以记录沟通联系。")
    if proposal.state != S.HANDLING:
        raise ValidationError(f"当前状态为“{proposal.get_state_display()}”，不能记录沟通联系。")
    if contacted_on is None:
        raise ValidationError("请填写联系日期。")
    if contacted_on > timezone.localdate():
        raise ValidationError("联系日期不能晚于今天。")
    if way not in Contact.Way.values:
        raise ValidationError("请选择联系方式。")
    people = required_text(people, "请填写参加人员。")
    content = required_text(content, "请填写沟通内容。")
    with transaction.atomic():
        contact = Contact.objects.create(
            proposal=proposal,
            round=proposal.round,
            contacted_on=contacted_on,
            way=way,
            people=people,
            content=content,
            unit=proposal.lead_unit,
            recorded_by=actor,
        )
        trail.record(
            action="record_contact",
            action_label="沟通联系",
            actor=actor,
            obj=proposal,
            opinion=f"{contacted_on:%Y-%m-%d} {contact.get_way_display()}：{content[:100]}",
            ip=ip,
        )
    return contact


def give_co_opinion(proposal, *, actor, text, ip=None):
    """会办意见 of a co-unit, to the lead unit; it may be revised until the reply is submitted."""
    unit = can.co_unit_of(actor, proposal)
    require(unit is not None, "只有会办单位可以填写会办意见。")
    if proposal.state not in (S.ASSIGNED, S.HANDLING):
        raise ValidationError(f"当前状态为“{proposal.get_state_display()}”，不能填写会办意见。")
    text = required_text(text, "请填写会办意见。")
    with transaction.atomic():
        opinion, _ = CoOpinion.objects.update_or_create(
            proposal=proposal,
            round=proposal.round,
            unit=unit,
            defaults={"text": text, "submitted_by": actor, "submitted_at": timezone.now()},
        )
        trail.record(
            action="give_co_opinion",
            action_label="会办意见",
            actor=actor,
            obj=proposal,
            opinion=f"{unit.name}：{text[:100]}",
            ip=ip,
        )
        _tell(
            unit_people(proposal.lead_unit_id),
            proposal,
            f"收到会办意见（{unit.name}）：{_label(proposal)}",
            text[:100],
        )
    return opinion


def draft_reply(
    proposal, *, actor, reply_class, body, contact_person="", contact_phone="", ip=None
):
    """拟答复函 of the round (saving again replaces the draft) with its class (A/B/C …)."""
    require(can.can_handle(actor, proposal), "只有主办单位可以拟写答复函。")
    if proposal.state != S.HANDLING:
        raise ValidationError(f"当前状态为“{proposal.get_state_display()}”，不能修改答复函。")
    if reply_class not in proposal.session.reply_class_codes():
        raise ValidationError("请选择答复分类。")
    body = required_text(body, "请填写答复内容。")
    with transaction.atomic():
        letter, _ = ReplyLetter.objects.update_or_create(
            proposal=proposal,
            round=proposal.round,
            defaults={
                "reply_class": reply_class,
                "body": body,
                "unit": proposal.lead_unit,
                "contact_person": (contact_person or "").strip(),
                "contact_phone": (contact_phone or "").strip(),
                "drafted_by": actor,
                "drafted_at": timezone.now(),
            },
        )
        trail.record(
            action="draft_reply",
            action_label="拟答复函",
            actor=actor,
            obj=proposal,
            opinion=f"{reply_class}类",
            ip=ip,
        )
    return letter


def missing_for_reply(proposal):
    """What the lead unit must do before submitting the reply, in words (empty when ready)."""
    missing = []
    if not proposal.replies.filter(round=proposal.round).exists():
        missing.append("尚未拟写答复函")
    if not proposal.contacts.filter(round=proposal.round).exists():
        missing.append("尚未记录与领衔人的沟通联系")
    given = set(proposal.co_opinions.filter(round=proposal.round).values_list("unit_id", flat=True))
    waiting = [u.name for u in proposal.co_units.all() if u.pk not in given]
    if waiting:
        missing.append(f"尚未收到会办意见：{'、'.join(waiting)}")
    return missing


def submit_reply(proposal, *, actor, ip=None):
    """提交答复 to the unit head — only after a contact and every co-unit's opinion."""
    require(can.can_handle(actor, proposal), "只有主办单位可以提交答复。")
    missing = missing_for_reply(proposal)
    if missing and proposal.state == S.HANDLING:
        raise ValidationError("不能提交答复：" + "；".join(missing) + "。")
    with transaction.atomic():
        PROPOSAL.perform(proposal, "submit_reply", actor=actor, ip=ip)
        heads = unit_people([proposal.lead_unit_id], roles=("unit_head",))
        _tell(heads, proposal, f"请签发答复函：{_label(proposal)}")
    return proposal


def return_reply(proposal, *, actor, opinion, ip=None):
    require(can.can_sign_reply(actor, proposal), "只有主办单位负责人可以退回答复函。")
    opinion = required_text(opinion, "退回须填写意见。")
    with transaction.atomic():
        PROPOSAL.perform(proposal, "return_reply", actor=actor, opinion=opinion, ip=ip)
        letter = proposal.replies.get(round=proposal.round)
        _tell([letter.drafted_by], proposal, f"答复函被退回：{_label(proposal)}", opinion)
    return proposal


def approve_reply(proposal, *, actor, ip=None):
    """签发 by the lead unit's head."""
    with transaction.atomic():
        PROPOSAL.perform(proposal, "approve_reply", actor=actor, ip=ip)
        ReplyLetter.objects.filter(proposal=proposal, round=proposal.round).update(
            signed_by=actor, signed_at=timezone.now()
        )
    return proposal


def send_reply(proposal, *, actor, ip=None):
    """答复: the signed letter goes to the proposer and a copy to the liaison body; the office
    is told, and asks the proposer to rate it."""
    today = timezone.localdate()
    with transaction.atomic():
        liaison = proposal.session.liaison_body
        PROPOSAL.perform(
            proposal,
            "send_reply",
            actor=actor,
            opinion=f"抄送{liaison}" if liaison else "",
            ip=ip,
            updates={"replied_on": today},
        )
        ReplyLetter.objects.filter(proposal=proposal, round=proposal.round).update(sent_on=today)
        _tell(_office_staff(), proposal, f"已答复，待评价：{_label(proposal)}")
    return proposal


# --- 评价 ---------------------------------------------------------------------------------------


def rating_token(proposal):
    """The proposer's rating link: signed, for this item and round, valid RATING_LINK_DAYS."""
    return signing.TimestampSigner(salt=RATING_SALT).sign_object(
        {"p": proposal.pk, "r": proposal.round}
    )


def proposal_for_token(token):
    """(proposal, round) for a valid rating link; ValidationError in Chinese otherwise."""
    try:
        data = signing.TimestampSigner(salt=RATING_SALT).unsign_object(
            token, max_age=RATING_LINK_DAYS * 86400
        )
    except signing.SignatureExpired:
        raise ValidationError("评价链接已过期，请与建议提案办理部门联系。") from None
    except signing.BadSignature:
        raise ValidationError("评价链接无效。") from None
    proposal = Proposal.objects.select_related("session").filter(pk=data.get("p")).first()
    if proposal is None:
        raise ValidationError("评价链接无效。")
    return proposal, data.get("r")


def rate(proposal, *, actor=None, attitude, result, remarks="", ip=None):
    """评价 of the round's reply: by the office (actor, from the returned form) or by the proposer
    through the link (actor None). 满意/基本满意 — or any rating of the second round — closes the
    item (办结); 不满意 in the first round reopens it for 重新办理 with a new deadline."""
    require(_rating_allowed(actor, proposal), "承办单位不能录入或修改对本单位办理工作的评价。")
    levels = Rating.Level.values
    if attitude not in levels or result not in levels:
        raise ValidationError("请对办理态度和办理结果分别作出评价。")
    today = timezone.localdate()
    channel = Rating.Channel.LINK if actor is None else Rating.Channel.OFFICE
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                proposal=proposal,
                round=proposal.round,
                attitude=attitude,
                result=result,
                remarks=(remarks or "").strip(),
                channel=channel,
                entered_by=actor,
            )
            words = (
                f"办理态度{rating.get_attitude_display()}，办理结果{rating.get_result_display()}"
                f"（{rating.get_channel_display()}）"
            )
            PROPOSAL.perform(proposal, "rate", actor=actor, opinion=words, ip=ip)
            if rating.satisfied or proposal.round >= 2:
                PROPOSAL.perform(
                    proposal, "close", actor=actor, ip=ip, updates={"closed_on": today}
                )
                _tell(
                    unit_people(proposal.lead_unit_id),
                    proposal,
                    f"已办结：{_label(proposal)}",
                    words,
                )
            else:
                deadline = add_months(today, proposal.session.rehandle_months)
                PROPOSAL.perform(
                    proposal,
                    "rehandle",
                    actor=actor,
                    opinion=f"评价不满意，重新办理，答复期限 {deadline:%Y-%m-%d}",
                    ip=ip,
                    updates={"round": 2, "deadline": deadline, "replied_on": None},
                )
                _tell(
                    unit_people(proposal.lead_unit_id),
                    proposal,
                    f"评价不满意，请重新办理：{_label(proposal)}",
                    f"答复期限：{deadline:%Y年%m月%d日}。{rating.remarks}",
                )
    except IntegrityError:
        raise InvalidTransition("本轮答复已有评价，不能重复评价。") from None
    return rating
