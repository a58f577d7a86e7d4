"""Writes of 督查督办 outside the item's state machine: 立项 (`open_item`, by hand or from a
source — a decided item of minutes, a leader's instruction …) and 关联 of items on one matter.

Duty apps open items through `open_item(..., source_object=…)`: the item keeps a generic link
back (content type, id, label, URL) and the unique (source_type, source_id) makes a second call
for the same source return the item already opened — signing minutes twice, or taking the same
instruction again, never duplicates an item."""

import datetime
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from office import numbering, trail
from office.calendar import add_working_days
from office.models import Clearance, SerialNumber, User
from office.notifications import notify
from office.roles import Role

from . import permissions as can
from .models import Cadence, ItemGroup, Milestone, Source, SupervisionItem
from .workflow import item_url

# 督办编号: 督〔2026〕15号 — its own register, one serial per year (DOMAIN.md §2).
NUMBER_KEY = "督"
NUMBER_PATTERN = "督〔{year}〕{number}号"


@dataclass(frozen=True)
class ItemPlan:
    """What 立项 needs; the form and the duty apps fill it."""

    title: str
    source: str
    lead_unit: object
    responsible_leader: object
    deadline: datetime.date
    requirement: str = ""
    co_units: tuple = ()
    milestones: tuple = ()  # (title, due_on) pairs
    report_cadence: str = Cadence.MONTHLY
    report_day: int = 25
    classification: int = Clearance.NONE
    source_label: str = ""
    source_url: str = ""
    supervisor: object = None
    extra: dict = field(default_factory=dict)


def _check(plan, earliest=None):
    errors = {}
    if not (plan.title or "").strip():
        errors["title"] = "请填写事项名称。"
    if plan.source not in Source.values:
        errors["source"] = "请选择事项来源。"
    if plan.lead_unit is None:
        errors["lead_unit"] = "请选择牵头单位。"
    if plan.responsible_leader is None:
        errors["responsible_leader"] = "请选择责任领导。"
    if plan.deadline is None:
        errors["deadline"] = "请填写办结时限。"
    elif earliest is not None and plan.deadline < earliest:
        errors["deadline"] = "办结时限不能早于今天。"
    if plan.lead_unit is not None and any(u.pk == plan.lead_unit.pk for u in plan.co_units):
        errors["co_units"] = "牵头单位不必再列为配合单位。"
    for position, (title, due_on) in enumerate(plan.milestones, 1):
        if not (title or "").strip() or due_on is None:
            errors["milestones"] = f"第{position}个节点目标须有内容和完成时限。"
        elif plan.deadline is not None and due_on > plan.deadline:
            errors["milestones"] = f"第{position}个节点目标的时限晚于办结时限。"
    if plan.report_cadence not in Cadence.values:
        errors["report_cadence"] = "请选择报送周期。"
    if errors:
        raise ValidationError(errors)


def appeal_deadline(today):
    """网络诉求 are answered within a short time limit: this many working days after 立项
    (settings.SUPERVISION_APPEAL_WORKING_DAYS, default 5)."""
    return add_working_days(today, settings.SUPERVISION_APPEAL_WORKING_DAYS)


def supervisors():
    return list(User.objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct())


def open_item(plan: ItemPlan, *, actor, source_object=None, ip=None, tell_supervisors=True):
    """立项: number the item (督办编号) and record it; the supervision office is told.

    By hand only a supervisor opens items; from a source (`source_object`), whoever's step
    produced it (the leader signing minutes …) opens it on the office's behalf. With a source
    already taken, the existing item is returned unchanged. A batch (an import) passes
    `tell_supervisors=False` and sends one notice for all its items itself."""
    if source_object is None and not can.can_open(actor):
        raise PermissionDenied("只有督查室可以立项。")
    today = timezone.localdate()
    source_type = source_id = None
    if source_object is not None:
        source_type = ContentType.objects.get_for_model(source_object)
        source_id = source_object.pk
        existing = SupervisionItem.objects.filter(
            source_type=source_type, source_id=source_id
        ).first()
        if existing is not None:
            return existing
    if plan.deadline is None and plan.source == Source.PUBLIC_APPEAL:
        plan = replace(plan, deadline=appeal_deadline(today))
    # A source's own deadline stands even if already past; by hand it must lie ahead.
    _check(plan, earliest=today if source_object is None else None)
    try:
        with transaction.atomic():
            serial = numbering.allocate(
                NUMBER_KEY, year=today.year, actor=actor, pattern=NUMBER_PATTERN
            )
            item = SupervisionItem.objects.create(
                item_number=serial.text,
                year=today.year,
                title=plan.title.strip(),
                requirement=(plan.requirement or "").strip(),
                source=plan.source,
                source_type=source_type,
                source_id=source_id,
                source_label=plan.source_label,
                source_url=plan.source_url,
                classification=plan.classification,
                lead_unit=plan.lead_unit,
                responsible_leader=plan.responsible_leader,
                supervisor=plan.supervisor or (actor if can.is_supervisor(actor) else None),
                opened_on=today,
                opened_by=actor,
                deadline=plan.deadline,
                original_deadline=plan.deadline,
                report_cadence=plan.report_cadence,
                report_day=plan.report_day,
            )
            SerialNumber.objects.filter(pk=serial.pk).update(
                content_type=ContentType.objects.get_for_model(item), object_id=item.pk
            )
            item.co_units.set(plan.co_units)
            Milestone.objects.bulk_create(
                Milestone(item=item, position=position, title=title.strip(), due_on=due_on)
                for position, (title, due_on) in enumerate(plan.milestones, 1)
            )
            trail.record(
                action="open",
                action_label="立项",
                actor=actor,
                obj=item,
                to_state=SupervisionItem.State.OPENED.label,
                opinion=f"{item.get_source_display()}：{plan.source_label or item.title}",
                ip=ip,
            )
            others = [u for u in supervisors() if u.pk != actor.pk] if tell_supervisors else []
            notify(
                others,
                title=f"新立项督办事项：{item.item_number} {item.title}",
                body=f"来源：{item.get_source_display()}",
                url=item_url(item),
                obj=item,
            )
    except IntegrityError:
        # Another transaction opened this source at the same moment: theirs stands.
        if source_object is None:
            raise
        return SupervisionItem.objects.get(source_type=source_type, source_id=source_id)
    return item


def link_items(items, *, actor, ip=None):
    """关联 items on one matter (same lead unit): one progress report then counts for all."""
    items = list(items)
    if not can.can_supervise(actor):
        raise PermissionDenied("只有督查室可以关联督办事项。")
    if len(items) < 2:
        raise ValidationError("请至少选择两个督办事项。")
    if len({item.lead_unit_id for item in items}) > 1:
        raise ValidationError("只能关联牵头单位相同的督办事项。")
    if any(not item.is_open for item in items):
        raise ValidationError("已销号或已中止的事项不能关联。")
    with transaction.atomic():
        locked = list(
            SupervisionItem.objects.select_for_update().filter(pk__in=[i.pk for i in items])
        )
        groups = {item.group_id for item in locked if item.group_id}
        group = ItemGroup.objects.create(created_by=actor)
        SupervisionItem.objects.filter(pk__in=[i.pk for i in locked]).update(group=group)
        if groups:
            SupervisionItem.objects.filter(group_id__in=groups).update(group=group)
        numbers = "、".join(item.item_number for item in locked)
        for item in locked:
            trail.record(
                action="link",
                action_label="关联事项",
                actor=actor,
                obj=item,
                opinion=f"与 {numbers} 关联，进展反馈共用",
                ip=ip,
            )
    return group
