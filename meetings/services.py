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


# --- 议题材料 ---------------------------------------------------------------------------------

MATERIAL_MAX_MB = 50


def topic_add_materials(topic, files, *, actor, ip=None):
    """议题材料: typed from their content (not the name or the browser's claim), SHA-256 kept,
    written in one transaction; files already on disk are removed if it does not commit.

    The submitting unit (or the secretary who submitted) adds material while the topic is with it
    or waiting for 会前协调: submitted or returned for changes."""
    from django.core.exceptions import PermissionDenied

    from office.uploads import StoredFiles, check_upload, save_file

    from .models import Topic, TopicMaterial

    if not can.can_resubmit(actor, topic):
        raise PermissionDenied("只有提请单位可以添加议题材料。")
    if topic.state not in (Topic.State.SUBMITTED, Topic.State.RETURNED):
        raise ValidationError(f"议题当前状态为“{topic.get_state_display()}”，不能添加材料。")
    files = list(files or [])
    if not files:
        raise ValidationError("请选择要上传的议题材料。")
    checked = [(upload, check_upload(upload, max_mb=MATERIAL_MAX_MB)) for upload in files]
    with StoredFiles() as stored, transaction.atomic():
        rows = []
        for upload, info in checked:
            material = TopicMaterial(
                topic=topic,
                name=(upload.name or "材料")[:200],
                media_type=info.media_type,
                size=info.size,
                sha256=info.sha256,
                uploaded_by=actor,
            )
            save_file(stored, material.file, material.name, upload)
            material.save()
            rows.append(material)
        trail.record(
            action="add_topic_materials",
            action_label="上传议题材料",
            actor=actor,
            obj=topic,
            opinion="、".join(m.name for m in rows),
            ip=ip,
        )
    return rows


def topic_submit_with_materials(data: TopicSubmission, files, *, actor, ip=None):
    """提请议题 with its material in one transaction: a refused file leaves no topic behind."""
    with transaction.atomic():
        topic = topic_submit(data, actor=actor, ip=ip)
        if files:
            topic_add_materials(topic, files, actor=actor, ip=ip)
    return topic


# --- 办会设置 (system administrator) ---------------------------------------------------------


def _require_configure(actor):
    from office.permissions import can_configure

    if not can_configure(actor):
        raise ValidationError("只有系统管理员可以修改办会设置。")


def _changes(obj, values, labels):
    return [
        f"{labels[name]}：{_shown(getattr(obj, name, ''))} → {_shown(value)}"
        for name, value in values.items()
        if getattr(obj, name, None) != value
    ]


def _shown(value):
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def meeting_type_save(
    meeting_type,
    *,
    actor,
    name,
    kind,
    minutes_title,
    default_presider,
    members,
    sort_order=100,
    is_active=True,
    ip=None,
):
    """会议类型 (new when `meeting_type` is None): its name, kind, minutes series title, default
    presiding leader and members; every change is written to the trail."""
    from .models import MeetingType

    _require_configure(actor)
    name, minutes_title = (name or "").strip(), (minutes_title or "").strip()
    if not name or not minutes_title:
        raise ValidationError("请填写会议类型名称和纪要名称。")
    if default_presider is not None and not has_role(default_presider, Role.LEADER):
        raise ValidationError("默认主持人须为市政府领导。")
    values = {
        "name": name,
        "kind": kind,
        "minutes_title": minutes_title,
        "default_presider": default_presider,
        "sort_order": sort_order,
        "is_active": is_active,
    }
    labels = {f.name: str(f.verbose_name) for f in MeetingType._meta.fields}
    with transaction.atomic():
        if (
            MeetingType.objects.filter(name=name)
            .exclude(pk=getattr(meeting_type, "pk", None))
            .exists()
        ):
            raise ValidationError(f"已有名为“{name}”的会议类型。")
        created = meeting_type is None
        if created:
            meeting_type = MeetingType(**values)
            changes = [f"新增会议类型“{name}”"]
        else:
            meeting_type = MeetingType.objects.select_for_update().get(pk=meeting_type.pk)
            changes = _changes(meeting_type, values, labels)
            for field, value in values.items():
                setattr(meeting_type, field, value)
        meeting_type.save()
        before = set() if created else set(meeting_type.members.values_list("pk", flat=True))
        members = list(members)
        if {m.pk for m in members} != before:
            meeting_type.members.set(members)
            changes.append("组成人员：" + ("、".join(m.real_name for m in members) or "（无）"))
        if changes:
            trail.record(
                action="meeting_type_save",
                action_label="新增会议类型" if created else "修改会议类型",
                actor=actor,
                obj=meeting_type,
                opinion="；".join(changes),
                ip=ip,
            )
    return meeting_type


def room_save(room, *, actor, name, location="", capacity=20, is_active=True, ip=None):
    """会议室 (new when `room` is None): name, location, capacity, in use or not."""
    from .models import Room

    _require_configure(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写会议室名称。")
    values = {
        "name": name,
        "location": (location or "").strip(),
        "capacity": capacity,
        "is_active": is_active,
    }
    labels = {f.name: str(f.verbose_name) for f in Room._meta.fields}
    with transaction.atomic():
        if Room.objects.filter(name=name).exclude(pk=getattr(room, "pk", None)).exists():
            raise ValidationError(f"已有名为“{name}”的会议室。")
        created = room is None
        if created:
            room = Room(**values)
            changes = [f"新增会议室“{name}”"]
        else:
            room = Room.objects.select_for_update().get(pk=room.pk)
            changes = _changes(room, values, labels)
            for field, value in values.items():
                setattr(room, field, value)
        room.save()
        if changes:
            trail.record(
                action="room_save",
                action_label="新增会议室" if created else "修改会议室",
                actor=actor,
                obj=room,
                opinion="；".join(changes),
                ip=ip,
            )
    return room


def legal_advisers_set(users, *, actor, ip=None):
    """法律顾问: the chosen people are the active advisers; the others stay on record, inactive
    (their earlier reviews keep their name)."""
    from .models import LegalAdviser

    _require_configure(actor)
    chosen = {u.pk: u for u in users}
    with transaction.atomic():
        rows = {
            a.user_id: a for a in LegalAdviser.objects.select_for_update().select_related("user")
        }
        added, removed = [], []
        for pk, user in chosen.items():
            row = rows.get(pk)
            if row is None:
                LegalAdviser.objects.create(user=user, is_active=True)
                added.append(user.real_name)
            elif not row.is_active:
                LegalAdviser.objects.filter(pk=row.pk).update(is_active=True)
                added.append(user.real_name)
        for pk, row in rows.items():
            if pk not in chosen and row.is_active:
                LegalAdviser.objects.filter(pk=row.pk).update(is_active=False)
                removed.append(row.user.real_name)
        if added or removed:
            parts = []
            if added:
                parts.append("指定：" + "、".join(added))
            if removed:
                parts.append("停止：" + "、".join(removed))
            trail.record(
                action="legal_advisers_set",
                action_label="设置法律顾问",
                actor=actor,
                opinion="；".join(parts),
                ip=ip,
            )
    return added, removed
