"""办会 data (DOMAIN.md §5): the meeting types with their minutes series, the rooms, and the topics
(议题) that units submit and that must pass 会前协调 and 合法性审查 before they wait in the pool
(议题库) for a meeting — 「不成熟不上会」.

Rules live in workflow.py (the only code that assigns `.state`), services.py and permissions.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from office.models import StoredUpload, Unit


class MeetingType(models.Model):
    """会议类型 with its own minutes series (市政府常务会议纪要 2026年第12期), default presiding
    leader and members."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", "政府全体会议"
        EXECUTIVE = "executive", "常务会议"
        MAYOR_OFFICE = "mayor_office", "市长办公会议"
        SPECIAL = "special", "专题会议"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    name = models.CharField("名称", max_length=60, unique=True, help_text="如“市政府常务会议”。")
    minutes_title = models.CharField(
        "纪要名称", max_length=60, help_text="纪要版头，如“市政府常务会议纪要”。"
    )
    default_presider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="默认主持人",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="组成人员"
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "会议类型"
        verbose_name_plural = "会议类型"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Room(models.Model):
    """会议室: never booked twice for overlapping times."""

    name = models.CharField("名称", max_length=60, unique=True)
    location = models.CharField("位置", max_length=100, blank=True)
    capacity = models.PositiveIntegerField("容纳人数", default=20)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "会议室"
        verbose_name_plural = "会议室"
        ordering = ["name"]

    def __str__(self):
        return self.name


class LegalAdviser(models.Model):
    """法律顾问: who may give the 合法性审查 opinion on topics (set by the system administrator)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="legal_adviser",
        verbose_name="人员",
    )
    is_active = models.BooleanField("在任", default=True)

    class Meta:
        verbose_name = "法律顾问"
        verbose_name_plural = "法律顾问"

    def __str__(self):
        return str(self.user)


class Topic(models.Model):
    """议题: submitted by a unit with its material and the concerned units' opinions; admitted to
    the pool only after 会前协调 and 合法性审查."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        COORDINATING = "coordinating", "会前协调中"
        LEGAL_REVIEW = "legal_review", "合法性审查中"
        RETURNED = "returned", "退回修改"
        ADMITTED = "admitted", "已入议题库"
        SCHEDULED = "scheduled", "已安排上会"
        DECIDED = "decided", "已审议"
        DEFERRED = "deferred", "缓议"
        WITHDRAWN = "withdrawn", "已撤回"

    class LegalOpinion(models.TextChoices):
        LEGAL = "legal", "合法"
        LEGAL_AFTER_CHANGES = "legal_after_changes", "修改后合法"
        ILLEGAL = "illegal", "不合法"

    title = models.CharField("议题名称", max_length=200)
    meeting_type = models.ForeignKey(
        MeetingType, on_delete=models.PROTECT, related_name="topics", verbose_name="拟提交会议"
    )
    submitting_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="提请单位"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提交人"
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    reporting_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="汇报（分管）领导",
    )
    summary = models.TextField("议题说明", help_text="提请审议的事项、依据和建议。")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SUBMITTED)
    disagreements = models.TextField(
        "分歧意见", blank=True, help_text="会前协调中未能达成一致的意见，如实记录。"
    )
    legal_opinion = models.CharField(
        "合法性审查结论", max_length=20, choices=LegalOpinion.choices, blank=True
    )
    legal_opinion_text = models.TextField("合法性审查意见", blank=True)
    legal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审查人",
    )
    legal_reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)
    admitted_at = models.DateTimeField("入库时间", null=True, blank=True)

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["state", "meeting_type", "-submitted_at"], name="topic_pool_idx"),
        ]

    def __str__(self):
        return self.title


class TopicOpinion(models.Model):
    """会前协调: one concerned unit's opinion on a topic — agreed, or not, and why."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="opinions", verbose_name="议题"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="征求意见单位"
    )
    requested_at = models.DateTimeField("征求时间", default=timezone.now)
    agrees = models.BooleanField("同意", null=True)
    opinion = models.TextField("意见", blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="反馈人",
    )
    given_at = models.DateTimeField("反馈时间", null=True, blank=True)

    class Meta:
        verbose_name = "会前协调意见"
        verbose_name_plural = "会前协调意见"
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "unit"], name="topic_opinion_once_per_unit")
        ]

    def __str__(self):
        return f"{self.unit} 对 {self.topic}"


class Meeting(models.Model):
    """会议: a meeting of one type, at a time in a room, presided over by a leader, with its
    agenda (议题, in order) and the people invited. A room is never booked twice for overlapping
    times: the scheduling service checks under a lock on the room, and on PostgreSQL an exclusion
    constraint (migration 0002) refuses any overlapping row however it was written."""

    class State(models.TextChoices):
        # Scheduling sends the notice in the same transaction (meetings.scheduling): a planned
        # meeting has always been notified, so there is no separate 已发通知 state.
        PLANNED = "planned", "已安排"
        HELD = "held", "已召开"
        CANCELLED = "cancelled", "已取消"

    meeting_type = models.ForeignKey(
        MeetingType, on_delete=models.PROTECT, related_name="meetings", verbose_name="会议类型"
    )
    title = models.CharField("会议名称", max_length=100, help_text="如“市政府第12次常务会议”。")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="meetings", verbose_name="会议室"
    )
    presider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="主持人"
    )
    press_invited = models.BooleanField("邀请媒体列席", default=False)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="安排人"
    )
    created_at = models.DateTimeField("安排时间", default=timezone.now)

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
            )
        ]
        indexes = [models.Index(fields=["room", "starts_at"], name="meeting_room_time_idx")]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    """议程: one topic on a meeting, in order, with its reporting unit and time."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name="会议"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="agenda_items", verbose_name="议题"
    )
    position = models.PositiveSmallIntegerField("顺序")
    reporting_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="汇报单位"
    )
    minutes_allotted = models.PositiveSmallIntegerField("汇报时间（分钟）", default=15)

    class Meta:
        verbose_name = "议程"
        verbose_name_plural = "议程"
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position"),
            models.UniqueConstraint(fields=["meeting", "topic"], name="agenda_topic_once"),
        ]

    def __str__(self):
        return f"{self.position}. {self.topic}"


class Attendance(models.Model):
    """出席 / 列席 of one person at a meeting: the answer to the notice (参加 or 请假 with reason and
    substitute) and the sign-in."""

    class Role(models.TextChoices):
        ATTENDEE = "attendee", "出席"
        OBSERVER = "observer", "列席"

    class Answer(models.TextChoices):
        PENDING = "pending", "未回复"
        CONFIRMED = "confirmed", "参加"
        LEAVE = "leave", "请假"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name="会议"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="人员"
    )
    role = models.CharField("出席/列席", max_length=10, choices=Role.choices)
    answer = models.CharField("回复", max_length=10, choices=Answer.choices, default=Answer.PENDING)
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代会人员",
    )
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)

    class Meta:
        verbose_name = "参会人员"
        verbose_name_plural = "参会人员"
        ordering = ["meeting", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_person")
        ]

    def __str__(self):
        return f"{self.person} {self.get_role_display()}"


def material_path(instance, filename):
    """Stored under a random name: the user's file name is data, never a path."""
    return f"meetings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class TopicMaterial(StoredUpload):
    """议题材料: the files a unit submits with its topic (typed from their content, served only
    through a permission-checked view)."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="materials", verbose_name="议题"
    )
    file = models.FileField("文件", upload_to=material_path, max_length=200)

    class Meta:
        verbose_name = "议题材料"
        verbose_name_plural = "议题材料"
        ordering = ["uploaded_at", "id"]


class Minutes(models.Model):
    """会议纪要 of one meeting: drafted from its agenda, reviewed, signed off by the presiding
    leader — the issue number of its series (市政府常务会议纪要 2026年第12期) is taken then — sent
    to the units concerned and filed."""

    class State(models.TextChoices):
        DRAFT = "draft", "起草中"
        IN_REVIEW = "in_review", "审核中"
        RETURNED = "returned", "退回修改"
        SIGNED = "signed", "已签发"
        DISPATCHED = "dispatched", "已印发"
        FILED = "filed", "已归档"

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name="会议"
    )
    body = models.TextField("纪要正文", help_text="每段一行；各议题一段，按议程顺序。")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="起草人"
    )
    drafted_at = models.DateTimeField("起草时间", default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签发人",
    )
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    issue_year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    issue_number = models.PositiveIntegerField("期号", null=True, blank=True)
    issue_text = models.CharField(
        "期号文字", max_length=40, blank=True, help_text="如“2026年第12期”。"
    )
    dispatched_at = models.DateTimeField("印发时间", null=True, blank=True)
    filed_on = models.DateField("归档日期", null=True, blank=True)

    class Meta:
        verbose_name = "会议纪要"
        verbose_name_plural = "会议纪要"
        ordering = ["-drafted_at", "-id"]

    def __str__(self):
        return f"{self.meeting.meeting_type.minutes_title} {self.issue_text or '（未编号）'}"


class DecidedItem(models.Model):
    """议定事项: one decision of the meeting, with the unit responsible, the co-units, the leader
    and the deadline — each becomes a supervision item (督办事项) linked back here."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="decided_items", verbose_name="会议纪要"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_items",
        verbose_name="所属议题",
    )
    position = models.PositiveSmallIntegerField("序号")
    content = models.TextField("议定事项")
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="责任单位"
    )
    co_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="协办单位")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="责任领导",
    )
    deadline = models.DateField("完成时限")

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ["minutes", "position"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "position"], name="decided_item_position")
        ]

    def __str__(self):
        return f"{self.position}. {self.content[:30]}"


# The office's rule for anything sent to a unit to sign for: within 8 working hours of sending
# (office hours on working days, office.calendar.add_working_hours).
SIGNING_HOURS = 8


class MinutesReceipt(models.Model):
    """签收回执（纪要）: one unit's receipt of dispatched (印发) minutes — the units with decided items
    and the reporting units of the agenda, and any the secretary adds. The unit's handler or head
    signs (签收) within SIGNING_HOURS working hours; for a unit with nobody in this system the
    secretary records the receipt (登记签收). Filing does not wait for the receipts."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="receipts", verbose_name="会议纪要"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="收文单位"
    )
    sent_at = models.DateTimeField("印发时间", default=timezone.now)
    due_at = models.DateTimeField("签收时限", help_text="印发后 8 个工作小时。")
    received_at = models.DateTimeField("签收时间", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签收人",
    )

    class Meta:
        verbose_name = "纪要签收回执"
        verbose_name_plural = "纪要签收回执"
        ordering = ["minutes", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "unit"], name="minutes_receipt_once_per_unit"
            )
        ]
        indexes = [
            models.Index(
                fields=["unit", "due_at"],
                condition=Q(received_at__isnull=True),
                name="minutes_receipt_unsigned_idx",
            )
        ]

    def __str__(self):
        return f"{self.minutes} · {self.unit}"
