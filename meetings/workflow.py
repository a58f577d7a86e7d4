"""The lifecycle of a topic (议题, DOMAIN.md §5) up to the pool:

    submitted 已提交 ──coordinate──▶ coordinating 会前协调中 ──give_opinion (each unit)──┐
        ▲                                   │ finish_coordination (all units answered)◀┘
        │resubmit                           ▼
    returned 退回修改 ◀──return_illegal── legal_review 合法性审查中 ──admit──▶ admitted 已入议题库

    admitted ──schedule (meetings.scheduling.meeting_schedule)──▶ scheduled 已安排上会
    scheduled ──decide (when the minutes are signed)──▶ decided 已审议
    scheduled ──defer (the meeting put it off)──▶ deferred 缓议 ──readmit──▶ admitted

`withdraw` (已撤回) from any state before the topic is on a meeting. 「不成熟不上会」: only an
admitted topic can be put on an agenda; `missing_for_agenda` says what a topic still lacks. The
steps after the pool (scheduled, decided, deferred) come with the meetings.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from office.models import User
from office.notifications import notify
from office.roles import Role
from office.workflow import InvalidTransition, Transition, Workflow, required_text

from . import permissions as can
from .models import LegalAdviser, Meeting, Topic, TopicOpinion

S = Topic.State
BEFORE_A_MEETING = (S.SUBMITTED, S.COORDINATING, S.LEGAL_REVIEW, S.RETURNED, S.ADMITTED)

TOPIC = Workflow(
    Topic,
    [
        Transition("coordinate", "会前协调", (S.SUBMITTED,), S.COORDINATING, can.can_coordinate),
        Transition(
            "give_opinion", "反馈协调意见", (S.COORDINATING,), S.COORDINATING, can.can_give_opinion
        ),
        Transition(
            "finish_coordination",
            "协调完毕，送合法性审查",
            (S.COORDINATING,),
            S.LEGAL_REVIEW,
            can.can_coordinate,
        ),
        Transition(
            "admit", "审查通过，入议题库", (S.LEGAL_REVIEW,), S.ADMITTED, can.can_legality_review
        ),
        Transition(
            "return_illegal",
            "审查不通过，退回",
            (S.LEGAL_REVIEW,),
            S.RETURNED,
            can.can_legality_review,
        ),
        Transition("resubmit", "修改后重新提交", (S.RETURNED,), S.SUBMITTED, can.can_resubmit),
        Transition("schedule", "安排上会", (S.ADMITTED,), S.SCHEDULED, can.can_schedule),
        Transition("unschedule", "撤出议程", (S.SCHEDULED,), S.ADMITTED, can.can_schedule),
        Transition("defer", "缓议", (S.SCHEDULED,), S.DEFERRED, can.can_schedule),
        Transition("readmit", "重新入库", (S.DEFERRED,), S.ADMITTED, can.can_schedule),
        Transition("decide", "已审议", (S.SCHEDULED,), S.DECIDED, can.can_decide),
        Transition("withdraw", "撤回", BEFORE_A_MEETING, S.WITHDRAWN, can.can_withdraw),
    ],
)


def _url(name, obj):
    try:
        return reverse(f"meetings:{name}", args=[obj.pk])
    except NoReverseMatch:
        return ""


def topic_url(topic):
    return _url("topic-detail", topic)


def meeting_url(meeting):
    return _url("meeting-detail", meeting)


def minutes_url(minutes):
    return _url("minutes-detail", minutes)


def _may(step, obj, actor, machine=None):
    """The step's permission, asked before its input is checked: someone who may not take the
    step is told so, not what the input lacks."""
    transition = (machine or TOPIC).transitions[step]
    if not transition.permission(actor, obj):
        raise PermissionDenied(f"您无权执行“{transition.label}”。")


def _tell(users, topic, title, body=""):
    notify(users, title=title, body=body, url=topic_url(topic), obj=topic)


def _secretaries():
    return list(User.objects.filter(is_active=True, groups__name=Role.SECRETARY).distinct())


def _unit_people(unit_id):
    return list(
        User.objects.filter(
            is_active=True,
            unit_id=unit_id,
            groups__name__in=[Role.UNIT_HEAD, Role.UNIT_HANDLER],
        ).distinct()
    )


def _stale(topic, locked):
    if locked.state != topic.state:
        raise InvalidTransition("该议题已被他人处理，请刷新页面后查看。")


def coordinate(topic, *, actor, units, ip=None):
    """会前协调: ask each concerned unit for its opinion (at least one unit)."""
    _may("coordinate", topic, actor)
    units = list(units)
    if not units:
        raise ValidationError("请选择需要征求意见的单位。")
    with transaction.atomic():
        TOPIC.perform(
            topic,
            "coordinate",
            actor=actor,
            opinion="征求意见：" + "、".join(u.short_name or u.name for u in units),
            ip=ip,
        )
        TopicOpinion.objects.bulk_create(TopicOpinion(topic=topic, unit=u) for u in units)
        for unit in units:
            _tell(_unit_people(unit.pk), topic, f"请反馈会前协调意见：{topic.title}")
    return topic


def give_opinion(topic, *, actor, agrees, opinion, ip=None):
    """A concerned unit's opinion: agreed or not, with its reasons (required when it disagrees)."""
    opinion = (opinion or "").strip()
    if not agrees and not opinion:
        raise ValidationError("不同意时须写明理由。")
    with transaction.atomic():
        # The topic row is the lock: of two people of one unit answering at once, one answers.
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        _stale(topic, locked)
        mine = can.my_pending_opinion(actor, locked)
        if mine is None and locked.state == S.COORDINATING and _answered(actor, locked):
            raise InvalidTransition("本单位已反馈协调意见，请刷新页面后查看。")
        TOPIC.perform(
            locked,
            "give_opinion",
            actor=actor,
            opinion=("同意。" if agrees else "不同意。") + opinion,
            ip=ip,
        )
        mine.agrees, mine.opinion, mine.given_by, mine.given_at = (
            agrees,
            opinion,
            actor,
            timezone.now(),
        )
        mine.save(update_fields=["agrees", "opinion", "given_by", "given_at"])
        if not locked.opinions.filter(given_at__isnull=True).exists():
            _tell(_secretaries(), locked, f"协调意见已齐：{locked.title}")
    topic.refresh_from_db()
    return topic


def _answered(actor, topic):
    from office.permissions import scope_for

    units = scope_for(actor).unit_ids
    return topic.opinions.filter(unit_id__in=units, given_at__isnull=False).exists()


def finish_coordination(topic, *, actor, disagreements="", ip=None):
    """协调完毕: every unit has answered; disagreements are recorded as they stand, and the topic
    goes to the legal advisers."""
    _may("finish_coordination", topic, actor)
    pending = list(topic.opinions.filter(given_at__isnull=True).select_related("unit"))
    if pending:
        names = "、".join(o.unit.name for o in pending)
        raise ValidationError(f"{names}尚未反馈协调意见，不能结束会前协调。")
    disagreements = (disagreements or "").strip()
    if topic.opinions.filter(agrees=False).exists() and not disagreements:
        raise ValidationError("有单位不同意，请如实记录分歧意见。")
    with transaction.atomic():
        TOPIC.perform(
            topic,
            "finish_coordination",
            actor=actor,
            opinion=disagreements,
            ip=ip,
            updates={"disagreements": disagreements},
        )
        advisers = [
            a.user for a in LegalAdviser.objects.filter(is_active=True).select_related("user")
        ]
        _tell(advisers, topic, f"请进行合法性审查：{topic.title}")
    return topic


def legality_review(topic, *, actor, outcome, opinion, ip=None):
    """合法性审查: 合法 or 修改后合法 admits the topic to the pool; 不合法 returns it to the unit."""
    opinion = required_text(opinion, "请填写合法性审查意见。")
    if outcome not in Topic.LegalOpinion.values:
        raise ValidationError("请选择审查结论。")
    step = "return_illegal" if outcome == Topic.LegalOpinion.ILLEGAL else "admit"
    now = timezone.now()
    updates = {
        "legal_opinion": outcome,
        "legal_opinion_text": opinion,
        "legal_reviewer": actor,
        "legal_reviewed_at": now,
    }
    if step == "admit":
        updates["admitted_at"] = now
    label = Topic.LegalOpinion(outcome).label
    with transaction.atomic():
        TOPIC.perform(
            topic, step, actor=actor, opinion=f"{label}：{opinion}", ip=ip, updates=updates
        )
        if step == "admit":
            _tell(_secretaries(), topic, f"议题已入议题库：{topic.title}")
        else:
            _tell([topic.submitted_by], topic, f"议题未通过合法性审查：{topic.title}", opinion)
    return topic


def resubmit(topic, *, actor, ip=None):
    """修改后重新提交: back to the start; coordination and review are done again."""
    with transaction.atomic():
        TOPIC.perform(
            topic,
            "resubmit",
            actor=actor,
            ip=ip,
            updates={
                "legal_opinion": "",
                "legal_opinion_text": "",
                "legal_reviewer": None,
                "legal_reviewed_at": None,
                "disagreements": "",
            },
        )
        topic.opinions.all().delete()  # the earlier round's opinions stay in the trail
        _tell(_secretaries(), topic, f"议题已修改后重新提交：{topic.title}")
    return topic


def withdraw(topic, *, actor, reason, ip=None):
    reason = required_text(reason, "请填写撤回理由。")
    with transaction.atomic():
        TOPIC.perform(topic, "withdraw", actor=actor, opinion=reason, ip=ip)
    return topic


def missing_for_agenda(topic):
    """「不成熟不上会」: what the topic still lacks before it may go on an agenda (empty: ready)."""
    if topic.state == S.ADMITTED:
        return []
    if topic.state in (S.SCHEDULED, S.DECIDED, S.DEFERRED, S.WITHDRAWN):
        return [f"议题当前状态为“{topic.get_state_display()}”"]
    missing = []
    if topic.state in (S.SUBMITTED, S.COORDINATING, S.RETURNED):
        missing.append("尚未完成会前协调")
    missing.append("尚未通过合法性审查")
    return missing


# --- the meeting itself -------------------------------------------------------------------------

M = Meeting.State

MEETING = Workflow(
    Meeting,
    [
        Transition("hold", "会议已召开", (M.PLANNED,), M.HELD, can.can_schedule),
        Transition("cancel", "取消会议", (M.PLANNED,), M.CANCELLED, can.can_schedule),
    ],
)


def hold(meeting, *, actor, ip=None):
    """会议已召开: recorded once the meeting has begun; the minutes follow."""
    if timezone.now() < meeting.starts_at:
        raise ValidationError("会议尚未开始，不能登记为已召开。")
    return MEETING.perform(meeting, "hold", actor=actor, ip=ip)


def cancel(meeting, *, actor, reason, ip=None):
    """取消会议: its topics go back to the pool, the room is free again, everyone is told."""
    reason = required_text(reason, "请填写取消原因。")
    with transaction.atomic():
        MEETING.perform(meeting, "cancel", actor=actor, opinion=reason, ip=ip)
        for item in meeting.agenda.select_related("topic"):
            TOPIC.perform(
                item.topic, "unschedule", actor=actor, opinion=f"{meeting.title}已取消", ip=ip
            )
        people = [a.person for a in meeting.attendances.select_related("person")]
        notify(
            people,
            title=f"会议取消：{meeting.title}",
            body=reason,
            url=meeting_url(meeting),
            obj=meeting,
        )
    return meeting


def defer(topic, *, actor, reason, ip=None):
    """缓议: the meeting put the topic off; it leaves the minutes' decided topics and may later be
    readmitted to the pool."""
    reason = required_text(reason, "请填写缓议原因。")
    return TOPIC.perform(topic, "defer", actor=actor, opinion=reason, ip=ip)


def readmit(topic, *, actor, ip=None):
    """重新入库: a deferred topic waits in the pool again."""
    return TOPIC.perform(topic, "readmit", actor=actor, ip=ip)
