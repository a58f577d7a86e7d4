"""办会 services: the steps that are not state transitions — submitting a topic."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from office import trail
from office.permissions import has_role
from office.roles import Role

from . import permissions as can


@dataclass(frozen=True)
class TopicSubmission:
    """What a unit fills in when it submits a topic (提请议题)."""

    title: str
    meeting_type: object
    reporting_leader: object
    summary: str


def topic_submit(data: TopicSubmission, *, actor, ip=None):
    """提请议题: the topic is submitted by the actor's unit and waits for 会前协调."""
    from .models import Topic

    if not can.can_submit_topic(actor):
        raise ValidationError("只有承办单位人员或秘书可以提请议题。")
    if not data.title.strip() or not data.summary.strip():
        raise ValidationError("请填写议题名称和议题说明。")
    if not has_role(data.reporting_leader, Role.LEADER):
        raise ValidationError("汇报领导须为市政府领导。")
    with transaction.atomic():
        topic = Topic.objects.create(
            title=data.title.strip(),
            meeting_type=data.meeting_type,
            submitting_unit_id=actor.unit_id,
            submitted_by=actor,
            reporting_leader=data.reporting_leader,
            summary=data.summary.strip(),
        )
        trail.record(
            action="submit_topic",
            action_label="提请议题",
            actor=actor,
            obj=topic,
            to_state=Topic.State.SUBMITTED.label,
            ip=ip,
        )
    return topic
