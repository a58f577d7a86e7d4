"""会议纪要 (DOMAIN.md §5): drafted from the agenda, with its decided items; reviewed and signed
off by the presiding leader, who gives it the next issue number of its series (市政府常务会议纪要
2026年第12期) in the same transaction; then 印发 to the units concerned and filed.

    draft 起草中 ──submit──▶ in_review 审核中 ──sign_off (issue number)──▶ signed 已签发
      ▲                        │return_minutes                         │dispatch
    returned 退回修改 ◀─────────┘                              dispatched 已印发 ──file──▶ filed

印发 is dispatched like an outgoing document: each unit concerned gets a receipt (签收回执) to sign
for within SIGNING_HOURS working hours (`sign_for`); for a unit with nobody in this system the
secretary records it (`record_receipt`). Filing does not wait for the receipts (a paper copy
may have been signed for on paper).

Decided items (议定事项) are edited while the minutes are a draft; at sign-off each becomes a
supervision item in the same transaction (meetings.supervise → supervision.services.open_item),
each once."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from office import numbering, trail
from office.calendar import add_working_hours
from office.models import Unit
from office.notifications import notify
from office.workflow import InvalidTransition, Transition, Workflow, required_text

from . import permissions as can
from .models import SIGNING_HOURS, DecidedItem, Meeting, Minutes, MinutesReceipt, Topic
from .workflow import TOPIC, _may, _unit_people, minutes_url

M = Minutes.State
EDITABLE = (M.DRAFT, M.RETURNED)
ISSUE_PATTERN = "{year}年第{number}期"

MINUTES = Workflow(
    Minutes,
    [
        Transition("submit", "送审", EDITABLE, M.IN_REVIEW, can.can_draft_minutes),
        Transition(
            "return_minutes", "退回修改", (M.IN_REVIEW,), M.RETURNED, can.can_return_minutes
        ),
        Transition("sign_off", "签发", (M.IN_REVIEW,), M.SIGNED, can.can_sign_minutes),
        Transition("dispatch", "印发", (M.SIGNED,), M.DISPATCHED, can.can_draft_minutes),
        Transition("file", "归档", (M.DISPATCHED,), M.FILED, can.can_draft_minutes),
    ],
)


def opening_text(meeting):
    """The draft's first lines, from the meeting and its agenda (each topic one paragraph)."""
    start = timezone.localtime(meeting.starts_at)
    presider = meeting.presider.real_name
    title = meeting.presider.title or ""
    lines = [
        f"{start.year}年{start.month}月{start.day}日，{title}{presider}主持召开{meeting.title}，"
        "研究了以下事项。现纪要如下："
    ]
    for item in meeting.agenda.select_related("topic", "reporting_unit"):
        unit = item.reporting_unit.name
        lines.append(f"{_chinese(item.position)}、{item.topic.title}")
        lines.append(
            f"会议听取了{unit}关于{item.topic.title.removeprefix('关于')}的汇报。会议原则同意……"
        )
    return "\n".join(lines)


def _chinese(n):
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def draft(meeting, *, actor, ip=None):
    """起草纪要 for a meeting that has been held, pre-filled from its agenda."""
    if not can.can_draft_minutes(actor):
        raise ValidationError("只有秘书可以起草会议纪要。")
    if meeting.state != Meeting.State.HELD:
        raise ValidationError("会议召开后才能起草纪要。")
    if Minutes.objects.filter(meeting=meeting).exists():
        raise ValidationError("该会议已有纪要。")
    with transaction.atomic():
        minutes = Minutes.objects.create(
            meeting=meeting, body=opening_text(meeting), drafted_by=actor
        )
        trail.record(
            action="draft_minutes",
            action_label="起草纪要",
            actor=actor,
            obj=minutes,
            to_state=M.DRAFT.label,
            ip=ip,
        )
    return minutes


@dataclass(frozen=True)
class Decision:
    """One decided item as the secretary writes it."""

    content: str
    lead_unit: object
    leader: object
    deadline: object
    co_units: tuple = ()
    agenda_item: object = None


def revise(minutes, *, actor, body, decisions, ip=None):
    """修改 the text and the decided items (replaced as a whole, numbered 1, 2, 3 … in order); only
    while a draft or returned. Saving the same twice leaves one set."""
    if not can.can_draft_minutes(actor, minutes):
        raise ValidationError("只有秘书可以修改会议纪要。")
    if minutes.state not in EDITABLE:
        raise ValidationError("只有起草中或退回修改的纪要可以修改。")
    body = required_text(body, "请填写纪要正文。")
    for number, d in enumerate(decisions, 1):
        if not (d.content or "").strip():
            raise ValidationError(f"第{number}项议定事项没有内容。")
        if d.deadline is None or d.lead_unit is None or d.leader is None:
            raise ValidationError(f"第{number}项议定事项须有责任单位、责任领导和完成时限。")
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if locked.state not in EDITABLE:
            raise ValidationError("该纪要已被他人处理，请刷新页面后查看。")
        Minutes.objects.filter(pk=locked.pk).update(body=body)
        locked.decided_items.all().delete()
        for number, d in enumerate(decisions, 1):
            item = DecidedItem.objects.create(
                minutes=locked,
                agenda_item=d.agenda_item,
                position=number,
                content=d.content.strip(),
                lead_unit=d.lead_unit,
                leader=d.leader,
                deadline=d.deadline,
            )
            item.co_units.set(d.co_units)
        trail.record(
            action="revise_minutes",
            action_label="修改纪要",
            actor=actor,
            obj=locked,
            opinion=f"议定事项 {len(decisions)} 项",
            ip=ip,
        )
    minutes.refresh_from_db()
    return minutes


def submit(minutes, *, actor, ip=None):
    with transaction.atomic():
        MINUTES.perform(minutes, "submit", actor=actor, ip=ip)
        presider = minutes.meeting.presider
        notify(
            [presider],
            title=f"请审签纪要：{minutes.meeting.title}",
            url=minutes_url(minutes),
            obj=minutes,
        )
    return minutes


def return_minutes(minutes, *, actor, opinion, ip=None):
    opinion = required_text(opinion, "退回修改须填写意见。")
    with transaction.atomic():
        MINUTES.perform(minutes, "return_minutes", actor=actor, opinion=opinion, ip=ip)
        notify(
            [minutes.drafted_by],
            title=f"纪要被退回修改：{minutes.meeting.title}",
            body=opinion,
            url=minutes_url(minutes),
            obj=minutes,
        )
    return minutes


def sign_off(minutes, *, actor, ip=None):
    """签发 by the presiding leader: the series' next issue number, in this transaction. The
    issue's year is the year of the signing moment (one `now` for both)."""
    series = minutes.meeting.meeting_type
    now = timezone.now()
    year = timezone.localtime(now).year
    with transaction.atomic():
        serial = numbering.allocate(
            series.minutes_title, year=year, obj=minutes, actor=actor, pattern=ISSUE_PATTERN
        )
        MINUTES.perform(
            minutes,
            "sign_off",
            actor=actor,
            opinion=f"{series.minutes_title} {serial.text}",
            ip=ip,
            updates={
                "signed_by": actor,
                "signed_at": now,
                "issue_year": year,
                "issue_number": serial.number,
                "issue_text": serial.text,
            },
        )
        notify(
            [minutes.drafted_by],
            title=f"纪要已签发：{series.minutes_title} {serial.text}",
            url=minutes_url(minutes),
            obj=minutes,
        )
        # The topics the meeting dealt with are 已审议 now (a deferred one stays 缓议).
        for item in minutes.meeting.agenda.select_related("topic"):
            if item.topic.state == Topic.State.SCHEDULED:
                TOPIC.perform(item.topic, "decide", actor=actor, opinion=serial.text, ip=ip)
        # Each decided item becomes a supervision item (督办事项) linked back here, once.
        from .supervise import supervise_decided_items

        supervise_decided_items(minutes, actor=actor, ip=ip)
    return minutes


def dispatch_units(minutes):
    """The units concerned, which the minutes are always sent to: the lead and co-units of the
    decided items and the reporting units of the agenda's topics, in that order, each once."""
    ids = []
    for item in minutes.decided_items.prefetch_related("co_units").order_by("position"):
        ids.append(item.lead_unit_id)
        ids.extend(u.pk for u in item.co_units.all())
    ids.extend(
        minutes.meeting.agenda.order_by("position").values_list("reporting_unit_id", flat=True)
    )
    ids = list(dict.fromkeys(ids))
    units = Unit.objects.in_bulk(ids)
    return [units[pk] for pk in ids]


def dispatch(minutes, *, actor, units=(), ip=None):
    """印发 to the units concerned (dispatch_units) and the further `units` the secretary adds:
    one receipt each, due SIGNING_HOURS working hours from now, and the units' people are told."""
    _may("dispatch", minutes, actor, MINUTES)
    recipients = list({u.pk: u for u in [*dispatch_units(minutes), *units]}.values())
    inactive = [u.name for u in recipients if not u.is_active]
    if inactive:
        raise ValidationError(f"{'、'.join(inactive)}已停用，不能印发。")
    now = timezone.now()
    due_at = add_working_hours(now, SIGNING_HOURS)
    with transaction.atomic():
        MINUTES.perform(
            minutes,
            "dispatch",
            actor=actor,
            opinion="印发：" + "、".join(u.name for u in recipients) if recipients else "",
            ip=ip,
            updates={"dispatched_at": now},
        )
        MinutesReceipt.objects.bulk_create(
            MinutesReceipt(minutes=minutes, unit=u, sent_at=now, due_at=due_at) for u in recipients
        )
        title = f"{minutes.meeting.meeting_type.minutes_title} {minutes.issue_text}"
        due = timezone.localtime(due_at)
        for unit in recipients:
            notify(
                _unit_people(unit.pk),
                title=f"会议纪要印发：{title}",
                body=f"请于{due:%Y年%-m月%-d日 %H:%M}前签收。",
                url=minutes_url(minutes),
                obj=minutes,
            )
    return minutes


def _receiving(receipt):
    """The receipt with its minutes and unit, read again (the caller's copy may be stale)."""
    return MinutesReceipt.objects.select_related("minutes", "unit", "received_by").get(
        pk=receipt.pk
    )


def _signed_already(receipt):
    fresh = _receiving(receipt)
    who = fresh.received_by.real_name if fresh.received_by else ""
    return InvalidTransition(f"{fresh.unit.name}已由{who}签收，请刷新页面后查看。")


def sign_for(receipt, *, actor, ip=None):
    """签收 by a handler or head of the receiving unit. A conditional UPDATE … WHERE received_at
    IS NULL: of two people of the unit clicking at once, exactly one signs; the other is told."""
    receipt = _receiving(receipt)
    if receipt.received_at is not None:
        raise _signed_already(receipt)
    if not can.can_sign_for(actor, receipt):
        raise PermissionDenied(f"只有{receipt.unit.name}的承办人或负责人可以签收。")
    with transaction.atomic():
        now = timezone.now()
        if not MinutesReceipt.objects.filter(pk=receipt.pk, received_at__isnull=True).update(
            received_at=now, received_by=actor
        ):
            raise _signed_already(receipt)
        trail.record(
            action="sign_for",
            action_label="签收",
            actor=actor,
            obj=receipt.minutes,
            opinion=receipt.unit.name,
            ip=ip,
        )
    return _receiving(receipt)


def record_receipt(receipt, *, actor, ip=None):
    """登记签收 by a secretary, only for a unit with nobody in this system to sign (its receipt
    comes back on paper or by phone); a unit with people signs for itself."""
    receipt = _receiving(receipt)
    if not can.can_draft_minutes(actor):
        raise PermissionDenied("只有秘书可以登记签收。")
    if receipt.received_at is not None:
        raise _signed_already(receipt)
    if receipt.unit_id in can.units_that_sign([receipt.unit_id]):
        raise ValidationError(f"{receipt.unit.name}在本系统中有人签收，不能代为登记。")
    with transaction.atomic():
        if not MinutesReceipt.objects.filter(pk=receipt.pk, received_at__isnull=True).update(
            received_at=timezone.now(), received_by=actor
        ):
            raise _signed_already(receipt)
        trail.record(
            action="record_receipt",
            action_label="登记签收",
            actor=actor,
            obj=receipt.minutes,
            opinion=f"{receipt.unit.name}（单位在本系统中无人签收，由秘书登记）",
            ip=ip,
        )
    return _receiving(receipt)


def file(minutes, *, actor, ip=None):
    return MINUTES.perform(
        minutes, "file", actor=actor, ip=ip, updates={"filed_on": timezone.localdate()}
    )


def decided_items_to_supervise(*, since=None):
    """议定事项 of signed minutes, oldest first — the entry point the supervision ledger takes in
    (STYLE.md: apps reach each other through selectors); it keeps its own link to each item, so
    taking the same item again does not duplicate it."""
    qs = (
        DecidedItem.objects.filter(minutes__state__in=(M.SIGNED, M.DISPATCHED, M.FILED))
        .select_related(
            "minutes__meeting__meeting_type", "lead_unit", "leader", "agenda_item__topic"
        )
        .prefetch_related("co_units")
        .order_by("minutes__signed_at", "position", "id")
    )
    if since is not None:
        qs = qs.filter(minutes__signed_at__gte=since)
    return qs
