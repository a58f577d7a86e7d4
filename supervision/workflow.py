"""The life of a supervision item (DOMAIN.md §6) — the only code that assigns its `.state`:

    opened 已立项 ──assign 交办──▶ assigned 已交办 ──report_progress──▶ in_progress 办理中
                                     │ request_close 申请办结 ◀─────────────┘
                                     ▼
                         close_requested 申请办结 ──close 核验销号──▶ closed 已销号
                                     └──send_back 退回──▶ in_progress
    suspend 中止 from any open state ──▶ suspended 已中止 ──resume 恢复督办──▶ in_progress

Progress reports (进展反馈) are written by the lead unit's handler and count once the unit head
has approved them: the approval is the item's `report_progress` (or `request_close`, for an
application with its evidence) transition, which also moves the dates its light is computed
from (supervision.schedule). Items linked on one matter take each approved report together.
Extensions (延期) are asked by the unit and decided by the responsible leader; the original
deadline is kept, so an extended item never counts as on time.

Every function checks permission before looking at the input, refuses in Chinese, writes the
trail and tells the next actor in the same transaction (office.workflow)."""

import difflib
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from office import trail
from office.models import User
from office.notifications import notify
from office.roles import Role
from office.selectors import unit_people
from office.uploads import StoredFiles, check_upload, save_file
from office.workflow import InvalidTransition, Transition, Workflow, require, required_text

from . import permissions as can
from . import schedule
from .models import Extension, Milestone, ProgressReport, ReportFile, SupervisionItem, Urging

S = SupervisionItem.State
R = ProgressReport
REPORTING = (S.ASSIGNED, S.IN_PROGRESS)
REPORT_FILE_MAX_MB = 20
# A report whose text is this similar to the previous one is flagged as a repeat.
REPEAT_SIMILARITY = 0.9

ITEM = Workflow(
    SupervisionItem,
    [
        Transition("assign", "交办", (S.OPENED,), S.ASSIGNED, can.can_supervise),
        Transition("report_progress", "进展反馈", REPORTING, S.IN_PROGRESS, can.can_review_reports),
        Transition(
            "request_close", "申请办结", REPORTING, S.CLOSE_REQUESTED, can.can_review_reports
        ),
        Transition("close", "核验销号", (S.CLOSE_REQUESTED,), S.CLOSED, can.can_supervise),
        Transition("send_back", "退回", (S.CLOSE_REQUESTED,), S.IN_PROGRESS, can.can_supervise),
        Transition(
            "suspend", "中止督办", SupervisionItem.OPEN_STATES, S.SUSPENDED, can.can_supervise
        ),
        Transition("resume", "恢复督办", (S.SUSPENDED,), S.IN_PROGRESS, can.can_supervise),
    ],
)


def item_url(item):
    return reverse("supervision:item-detail", args=[item.pk])


def _unit_people(*unit_ids):
    return unit_people(list(unit_ids))


def _unit_heads(unit_id):
    return unit_people([unit_id], roles=(Role.UNIT_HEAD,))


def _supervisors_of(item):
    if item.supervisor_id and item.supervisor.is_active:
        return [item.supervisor]
    return list(User.objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct())


def _tell(users, item, title, body="", urgent=False):
    notify(users, title=title, body=body, url=item_url(item), obj=item, urgent=urgent)


def _start(item):
    return item.assigned_on or item.opened_on


def _behind_on(item, *, progress, deadline):
    milestones = item.milestones.values_list("due_on", "reached_on")
    return schedule.behind_on(
        start=_start(item),
        deadline=deadline,
        progress=progress,
        milestones=list(milestones),
        cadence=item.report_cadence,
        report_day=item.report_day,
    )


# --- 交办 --------------------------------------------------------------------------------------


def assign(item, *, actor, message="", ip=None):
    """交办 to the lead unit and co-units: their people are told, the first report is due."""
    today = timezone.localdate()
    with transaction.atomic():
        item.assigned_on = today
        ITEM.perform(
            item,
            "assign",
            actor=actor,
            opinion=(message or "").strip(),
            ip=ip,
            updates={
                "assigned_on": today,
                "supervisor": item.supervisor or actor,
                "report_due_on": schedule.first_report_due(
                    today, item.report_cadence, item.report_day, item.deadline
                ),
                "behind_on": _behind_on(item, progress=item.progress, deadline=item.deadline),
            },
        )
        lead = _unit_people(item.lead_unit_id)
        co = _unit_people(*item.co_units.values_list("pk", flat=True))
        body = f"牵头单位：{item.lead_unit.name}；办结时限：{item.deadline:%Y年%m月%d日}"
        _tell(lead, item, f"督办交办：{item.item_number} {item.title}", body)
        _tell(
            [u for u in co if u not in lead],
            item,
            f"督办交办（配合）：{item.item_number} {item.title}",
            body,
        )
    return item


# --- 进展反馈 ----------------------------------------------------------------------------------


def _normalized(text):
    return re.sub(r"[\s，。；、,.;]+", "", text or "")


def _repeats(item, text):
    previous = (
        ProgressReport.objects.filter(item__in=_group_items(item))
        .exclude(state=R.State.RETURNED)
        .order_by("-submitted_at", "-id")
        .values_list("text", flat=True)
        .first()
    )
    if previous is None:
        return False
    a, b = _normalized(previous), _normalized(text)
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= REPEAT_SIMILARITY


def _group_items(item):
    if item.group_id:
        return SupervisionItem.objects.filter(group_id=item.group_id)
    return SupervisionItem.objects.filter(pk=item.pk)


def submit_report(
    item, *, actor, text, progress=None, milestone=None, completion=False, files=(), ip=None
):
    """进展反馈 (or, with `completion`, 申请办结 with its evidence) by the lead unit. A head's own
    report counts at once; a handler's waits for the head's approval. A text that repeats the
    previous report, or an application without evidence, is flagged to the supervisor."""
    require(can.can_report(actor, item), "只有牵头单位可以报送进展。")
    if item.state not in REPORTING:
        raise ValidationError(f"事项当前状态为“{item.get_state_display()}”，不能报送进展。")
    text = required_text(text, "请填写进展情况。")
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError("进度应在 0 到 100 之间。")
    if milestone is not None and (milestone.item_id != item.pk or milestone.reached_on):
        raise ValidationError("该节点目标不属于本事项或已完成。")
    files = list(files or [])
    checked = [(f, check_upload(f, max_mb=REPORT_FILE_MAX_MB)) for f in files]
    flag = ""
    if completion and not files:
        flag = R.Flag.NO_EVIDENCE
    elif _repeats(item, text):
        flag = R.Flag.REPEATS_PREVIOUS
    with StoredFiles() as stored, transaction.atomic():
        if ProgressReport.objects.filter(item=item, state=R.State.SUBMITTED).exists():
            raise ValidationError("上一次报送尚待单位负责人审核，审核后再报送。")
        report = ProgressReport.objects.create(
            item=item,
            kind=R.Kind.COMPLETION if completion else R.Kind.PROGRESS,
            text=text,
            progress=100 if completion else progress,
            milestone=milestone,
            unit=item.lead_unit,
            author=actor,
            flag=flag,
        )
        for upload, info in checked:
            stored_file = ReportFile(
                report=report,
                name=(upload.name or "佐证材料")[:200],
                media_type=info.media_type,
                size=info.size,
                sha256=info.sha256,
                uploaded_by=actor,
            )
            save_file(stored, stored_file.file, stored_file.name, upload)
            stored_file.save()
        trail.record(
            action="submit_report",
            action_label="报送申请办结" if completion else "报送进展",
            actor=actor,
            obj=item,
            opinion=text[:200],
            ip=ip,
        )
        if can.can_review_reports(actor, item):
            approve_report(report, actor=actor, ip=ip)
        else:
            _tell(
                _unit_heads(item.lead_unit_id),
                item,
                f"请审核{report.get_kind_display()}：{item.item_number} {item.title}",
                text[:100],
            )
    return report


def approve_report(report, *, actor, ip=None):
    """单位负责人审核通过: the report counts — for its item and the items linked with it."""
    item = report.item
    require(can.can_review_reports(actor, item), "只有牵头单位负责人可以审核进展反馈。")
    today = timezone.localdate()
    with transaction.atomic():
        moved = ProgressReport.objects.filter(pk=report.pk, state=R.State.SUBMITTED).update(
            state=R.State.APPROVED, reviewed_by=actor, reviewed_at=timezone.now()
        )
        if not moved:
            raise InvalidTransition("该进展反馈已审核或已退回，请刷新页面后查看。")
        report.state = R.State.APPROVED
        if report.milestone_id:
            Milestone.objects.filter(pk=report.milestone_id, reached_on__isnull=True).update(
                reached_on=today
            )
        targets = [item] + [
            other
            for other in _group_items(item).exclude(pk=item.pk).filter(state__in=REPORTING)
            if other.lead_unit_id == item.lead_unit_id
        ]
        for target in targets:
            _count_report(target, report, actor=actor, today=today, ip=ip)
        if report.flag:
            _tell(
                _supervisors_of(item),
                item,
                f"进展反馈提示（{report.get_flag_display()}）：{item.item_number} {item.title}",
                report.text[:100],
            )
    return report


def _count_report(item, report, *, actor, today, ip):
    if item.state not in REPORTING:
        raise InvalidTransition(f"事项当前状态为“{item.get_state_display()}”，不能计入进展。")
    linked = "" if item.pk == report.item_id else f"（关联事项 {report.item.item_number}）"
    if report.kind == R.Kind.COMPLETION:
        ITEM.perform(
            item,
            "request_close",
            actor=actor,
            opinion=report.text[:200] + linked,
            ip=ip,
            updates={"latest_report": report, "progress": 100},
        )
        _tell(
            _supervisors_of(item),
            item,
            f"申请办结，请核验：{item.item_number} {item.title}",
            report.text[:100],
        )
        return
    progress = item.progress if report.progress is None else report.progress
    ITEM.perform(
        item,
        "report_progress",
        actor=actor,
        opinion=report.text[:200] + linked,
        ip=ip,
        updates={
            "latest_report": report,
            "progress": progress,
            "report_due_on": schedule.next_report_due(
                reported_on=today,
                current_due=item.report_due_on,
                cadence=item.report_cadence,
                report_day=item.report_day,
                deadline=item.deadline,
            ),
            "behind_on": _behind_on(item, progress=progress, deadline=item.deadline),
            "red_since": None,
        },
    )


def return_report(report, *, actor, opinion, ip=None):
    """单位负责人退回 a report to its author with the reason; it does not count."""
    item = report.item
    require(can.can_review_reports(actor, item), "只有牵头单位负责人可以审核进展反馈。")
    opinion = required_text(opinion, "退回须填写意见。")
    with transaction.atomic():
        moved = ProgressReport.objects.filter(pk=report.pk, state=R.State.SUBMITTED).update(
            state=R.State.RETURNED,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
            review_opinion=opinion[:300],
        )
        if not moved:
            raise InvalidTransition("该进展反馈已审核或已退回，请刷新页面后查看。")
        report.state = R.State.RETURNED
        trail.record(
            action="return_report",
            action_label="退回进展反馈",
            actor=actor,
            obj=item,
            opinion=opinion,
            ip=ip,
        )
        _tell([report.author], item, f"进展反馈被退回：{item.item_number}", opinion)
    return report


# --- 核验销号 / 退回 / 中止 ----------------------------------------------------------------------


def close(item, *, actor, opinion="", ip=None):
    """挂牌销号 after verifying the unit's evidence."""
    today = timezone.localdate()
    with transaction.atomic():
        ITEM.perform(
            item,
            "close",
            actor=actor,
            opinion=(opinion or "").strip(),
            ip=ip,
            updates={
                "closed_on": today,
                "closed_by": actor,
                "report_due_on": None,
                "red_since": None,
            },
        )
        _tell(
            _unit_people(item.lead_unit_id) + [item.responsible_leader],
            item,
            f"督办事项已销号：{item.item_number} {item.title}",
        )
    return item


def send_back(item, *, actor, opinion, ip=None):
    """退回 an application for completion with the reasons: the unit works on and reports again."""
    require(can.can_supervise(actor, item), "只有督查室可以退回办结申请。")
    opinion = required_text(opinion, "退回须说明理由。")
    today = timezone.localdate()
    with transaction.atomic():
        ITEM.perform(
            item,
            "send_back",
            actor=actor,
            opinion=opinion,
            ip=ip,
            updates={
                "progress": min(item.progress, 99),
                "report_due_on": schedule.report_day_after(
                    today, item.report_cadence, item.report_day
                ),
            },
        )
        _tell(
            _unit_people(item.lead_unit_id),
            item,
            f"办结申请被退回：{item.item_number} {item.title}",
            opinion,
        )
    return item


def suspend(item, *, actor, reason, ip=None):
    """中止督办 (the matter no longer stands, e.g. superseded by a higher decision)."""
    require(can.can_supervise(actor, item), "只有督查室可以中止督办。")
    reason = required_text(reason, "中止督办须说明原因。")
    with transaction.atomic():
        ITEM.perform(
            item,
            "suspend",
            actor=actor,
            opinion=reason,
            ip=ip,
            updates={"suspended_reason": reason, "red_since": None},
        )
        _tell(_unit_people(item.lead_unit_id), item, f"督办事项已中止：{item.item_number}", reason)
    return item


def resume(item, *, actor, ip=None):
    today = timezone.localdate()
    with transaction.atomic():
        ITEM.perform(
            item,
            "resume",
            actor=actor,
            ip=ip,
            updates={
                "suspended_reason": "",
                "assigned_on": item.assigned_on or today,
                "report_due_on": schedule.report_day_after(
                    today, item.report_cadence, item.report_day
                ),
            },
        )
        _tell(_unit_people(item.lead_unit_id), item, f"督办事项恢复督办：{item.item_number}")
    return item


# --- 催办 --------------------------------------------------------------------------------------


def urge(item, *, actor, message, ip=None):
    """人工催办 with a message: recorded on the item, sent to the lead unit as urgent."""
    require(can.can_supervise(actor, item), "只有督查室可以催办。")
    message = required_text(message, "请填写催办内容。")
    if not item.is_open:
        raise ValidationError(f"事项当前状态为“{item.get_state_display()}”，无需催办。")
    with transaction.atomic():
        Urging.objects.create(item=item, kind=Urging.Kind.MANUAL, message=message, by=actor)
        trail.record(
            action="urge", action_label="催办", actor=actor, obj=item, opinion=message, ip=ip
        )
        _tell(
            _unit_people(item.lead_unit_id),
            item,
            f"督办催办：{item.item_number} {item.title}",
            message,
            urgent=True,
        )
    return item


# --- 延期 --------------------------------------------------------------------------------------


def request_extension(item, *, actor, deadline, reason, ip=None):
    """申请延期 by the lead unit; the responsible leader decides."""
    require(can.can_report(actor, item), "只有牵头单位可以申请延期。")
    reason = required_text(reason, "请说明延期理由。")
    if item.state not in REPORTING:
        raise ValidationError(f"事项当前状态为“{item.get_state_display()}”，不能申请延期。")
    if deadline is None or deadline <= item.deadline:
        raise ValidationError("申请延期的时限须晚于现办结时限。")
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                item=item,
                requested_deadline=deadline,
                previous_deadline=item.deadline,
                reason=reason,
                requested_by=actor,
            )
            trail.record(
                action="request_extension",
                action_label="申请延期",
                actor=actor,
                obj=item,
                opinion=f"申请延至 {deadline:%Y-%m-%d}：{reason}",
                ip=ip,
            )
            _tell(
                [item.responsible_leader],
                item,
                f"请审批延期申请：{item.item_number} {item.title}",
                reason,
            )
    except IntegrityError:
        raise ValidationError("已有待审批的延期申请。") from None
    return extension


def decide_extension(extension, *, actor, approve, opinion="", ip=None):
    """The responsible leader approves (the deadline moves; the original is kept) or refuses."""
    item = extension.item
    require(can.can_decide_extension(actor, item), "只有责任领导可以审批延期申请。")
    opinion = (opinion or "").strip()
    if not approve and not opinion:
        raise ValidationError("不同意延期须填写意见。")
    state = Extension.State.APPROVED if approve else Extension.State.REFUSED
    with transaction.atomic():
        moved = Extension.objects.filter(pk=extension.pk, state=Extension.State.PENDING).update(
            state=state, decided_by=actor, decided_at=timezone.now(), opinion=opinion[:300]
        )
        if not moved:
            raise InvalidTransition("该延期申请已审批，请刷新页面后查看。")
        extension.state = state
        summary = opinion
        if approve:
            summary = f"延至 {extension.requested_deadline:%Y-%m-%d}" + (
                f"；{opinion}" if opinion else ""
            )
        locked = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        if approve:
            deadline = extension.requested_deadline
            report_due = locked.report_due_on or schedule.report_day_after(
                timezone.localdate(), locked.report_cadence, locked.report_day
            )
            SupervisionItem.objects.filter(pk=locked.pk).update(
                deadline=deadline,
                report_due_on=report_due if report_due and report_due <= deadline else None,
                behind_on=_behind_on(locked, progress=locked.progress, deadline=deadline),
            )
        trail.record(
            action="decide_extension",
            action_label="同意延期" if approve else "不同意延期",
            actor=actor,
            obj=item,
            opinion=summary,
            ip=ip,
        )
        _tell(
            _unit_people(item.lead_unit_id) + _supervisors_of(item),
            item,
            f"延期申请{'已同意' if approve else '未同意'}：{item.item_number}",
            opinion,
        )
    item.refresh_from_db()
    return extension
