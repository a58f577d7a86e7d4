"""收文办理 data (DOMAIN.md §3; 条例 art. 24): the incoming document, its senders, the leaders'
instructions, the handling units' assignments, circulation to leaders and attachments.

Rules live elsewhere: the lifecycle in workflow.py (the only code that assigns `.state`), other
writes in services.py, reads in selectors.py, who may do what in permissions.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from office.models import Clearance, StoredUpload, Unit, Urgency


class DocType(models.TextChoices):
    """文种: the 15 kinds of 公文 of 条例 art. 8, plus 其他 for what arrives outside them
    (简报、工作动态、会议材料…)."""

    RESOLUTION = "resolution", "决议"
    DECISION = "decision", "决定"
    ORDER = "order", "命令（令）"
    COMMUNIQUE = "communique", "公报"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLIC_NOTICE = "public_notice", "通告"
    OPINION = "opinion", "意见"
    NOTICE = "notice", "通知"
    CIRCULAR = "circular", "通报"
    REPORT = "report", "报告"
    REQUEST = "request", "请示"
    REPLY = "reply", "批复"
    BILL = "bill", "议案"
    LETTER = "letter", "函"
    MINUTES = "minutes", "纪要"
    OTHER = "other", "其他"


class Sender(models.Model):
    """来文单位. Secretaries add new senders while registering; the level (上级/平级/下级来文)
    feeds the statistics the office reports."""

    class Level(models.TextChoices):
        HIGHER = "higher", "上级来文"
        PEER = "peer", "平级来文"
        LOWER = "lower", "下级来文"

    name = models.CharField("来文单位", max_length=100, unique=True)
    level = models.CharField("来文层级", max_length=10, choices=Level.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="对应单位",
        help_text="来文单位是本系统中的单位时填写。",
    )
    created_at = models.DateTimeField("添加时间", default=timezone.now)

    class Meta:
        verbose_name = "来文单位"
        verbose_name_plural = "来文单位"
        ordering = ["name"]

    def __str__(self):
        return self.name


class HandlingPolicy(models.Model):
    """收文办理设置: one row, edited by the system administrator — default deadlines by urgency
    (办文办事限时制), the warning window, when reminders escalate to the leader, the registration
    number's pattern and the attachment size limit."""

    extra_urgent_days = models.PositiveSmallIntegerField("特急件办理期限（工作日）", default=1)
    urgent_days = models.PositiveSmallIntegerField("加急件办理期限（工作日）", default=3)
    normal_days = models.PositiveSmallIntegerField("平件办理期限（工作日）", default=10)
    warning_days = models.PositiveSmallIntegerField(
        "临期预警（工作日）", default=3, help_text="期限前这么多个工作日起亮黄灯并提醒承办单位。"
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        "逾期升级提醒（工作日）",
        default=3,
        help_text="逾期超过这么多个工作日，每日催办同时提醒批示领导。",
    )
    registration_pattern = models.CharField(
        "收文编号格式",
        max_length=60,
        default="收〔{year}〕{number:04d}号",
        help_text="{year} 为年份，{number:04d} 为四位序号，如“收〔2026〕0153号”。",
    )
    max_attachment_mb = models.PositiveSmallIntegerField("附件大小上限（MB）", default=50)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "收文办理设置"
        verbose_name_plural = "收文办理设置"

    def __str__(self):
        return "收文办理设置"

    @classmethod
    def current(cls):
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy

    def days_for(self, urgency):
        return {
            Urgency.EXTRA_URGENT: self.extra_urgent_days,
            Urgency.URGENT: self.urgent_days,
        }.get(urgency, self.normal_days)


class IncomingDocument(models.Model):
    """收文: one document that reached the office, from registration to filing."""

    class Kind(models.TextChoices):
        ACTION = "action", "办件"
        READING = "reading", "阅件"

    class Channel(models.TextChoices):
        PAPER = "paper", "纸质来文"
        EXCHANGE = "exchange", "电子公文交换"
        OTHER = "other", "其他（传真、机要交通等）"

    class State(models.TextChoices):
        REGISTERED = "registered", "待初审"
        RETURNED = "returned", "已退文"
        ACCEPTED = "accepted", "待拟办"
        INSTRUCTING = "instructing", "待批示"
        INSTRUCTED = "instructed", "待分办"
        HANDLING = "handling", "承办中"
        AWAITING_COMPLETION = "awaiting_completion", "待办结"
        CIRCULATING = "circulating", "传阅中"
        COMPLETED = "completed", "已办结"
        ARCHIVED = "archived", "已归档"

    OPEN_STATES = (
        State.REGISTERED,
        State.ACCEPTED,
        State.INSTRUCTING,
        State.INSTRUCTED,
        State.HANDLING,
        State.AWAITING_COMPLETION,
        State.CIRCULATING,
    )
    DONE_STATES = (State.COMPLETED, State.ARCHIVED)

    registration_number = models.CharField("收文编号", max_length=60, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号", default=0)
    sender = models.ForeignKey(
        Sender, on_delete=models.PROTECT, related_name="documents", verbose_name="来文单位"
    )
    sender_name = models.CharField("来文单位名称", max_length=100)  # kept for search and lists
    sender_level = models.CharField("来文层级", max_length=10, choices=Sender.Level.choices)
    sender_number = models.CharField("来文字号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=300)
    doc_type = models.CharField("文种", max_length=20, choices=DocType.choices)
    kind = models.CharField("办件/阅件", max_length=10, choices=Kind.choices, default=Kind.ACTION)
    classification = models.IntegerField("密级", choices=Clearance.choices, default=Clearance.NONE)
    secrecy_period = models.CharField("保密期限", max_length=20, blank=True)
    urgency = models.CharField(
        "紧急程度", max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    copies = models.PositiveSmallIntegerField("份数", default=1)
    pages = models.PositiveSmallIntegerField("页数", default=1)
    received_on = models.DateField("收文日期", default=timezone.localdate)
    channel = models.CharField(
        "来文方式", max_length=10, choices=Channel.choices, default=Channel.PAPER
    )
    remarks = models.TextField("备注", blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.REGISTERED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="登记人",
        help_text="首问责任制：登记人对该件负责到交出为止。",
    )
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    return_reason = models.TextField("退文理由", blank=True)
    proposed_handling = models.TextField("拟办意见", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="拟办人",
    )
    proposed_at = models.DateTimeField("拟办时间", null=True, blank=True)
    # The handling units the 拟办意见 proposes; leaders may change them when they instruct, and
    # when the last leader has instructed the document goes to them (or to the secretary to
    # assign when none is named).
    proposed_lead_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="拟主办单位",
    )
    proposed_co_units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name="拟协办单位"
    )
    # The lead unit's current assignment, kept here for the register's filters, lights and the
    # reminder sweeper's index (the assignments are the truth).
    lead_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="主办单位",
    )
    deadline = models.DateField("办理期限", null=True, blank=True)
    completed_on = models.DateField("办结日期", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办结确认人",
    )
    archive_number = models.CharField("归档号", max_length=40, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="归档人",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "收文"
        verbose_name_plural = "收文"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="incoming_registration_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(copies__gte=1) & Q(pages__gte=1), name="incoming_copies_pages_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["-received_on", "-id"], name="incoming_received_idx"),
            models.Index(fields=["-year", "-serial", "-id"], name="incoming_serial_idx"),
            models.Index(fields=["state", "-received_on"], name="incoming_state_idx"),
            models.Index(fields=["sender", "sender_number", "year"], name="incoming_duplicate_idx"),
            models.Index(fields=["lead_unit", "-received_on"], name="incoming_lead_unit_idx"),
            models.Index(
                fields=["deadline", "id"],
                condition=Q(
                    state__in=["instructing", "instructed", "handling", "awaiting_completion"]
                ),
                name="incoming_open_deadline_idx",
            ),
            models.Index(fields=["registered_by", "-registered_at"], name="incoming_owner_idx"),
            # The register sorted by 办理期限 (keyset on deadline, id): 136 ms → 0.3 ms at 100k.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(deadline__isnull=False),
                name="incoming_deadline_idx",
            ),
        ]

    def __str__(self):
        return f"{self.registration_number or '（未编号）'} {self.title}"

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES

    @property
    def is_done(self):
        return self.state in self.DONE_STATES

    @property
    def completed_late(self):
        """逾期办结: completed, but after the deadline."""
        return bool(self.completed_on and self.deadline and self.completed_on > self.deadline)


class LeaderInstruction(models.Model):
    """批示: one leader's turn on a document. Leaders in the same round (`sequence`) instruct in
    parallel; the next round's leaders get the document when the round is complete."""

    document = models.ForeignKey(
        IncomingDocument,
        on_delete=models.CASCADE,
        related_name="instructions",
        verbose_name="收文",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="领导"
    )
    sequence = models.PositiveSmallIntegerField("批示顺序", default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="呈送人",
    )
    requested_at = models.DateTimeField("呈送时间", default=timezone.now)
    instruction = models.TextField("批示内容", blank=True)
    instructed_at = models.DateTimeField("批示时间", null=True, blank=True)
    to_supervise = models.BooleanField(
        "转为督办事项", default=False, help_text="领导批示件，由督查室立项督办。"
    )

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["sequence", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "leader"],
                condition=Q(instructed_at__isnull=True),
                name="instruction_one_pending_per_leader",
            )
        ]
        indexes = [
            models.Index(
                fields=["leader", "document"],
                condition=Q(instructed_at__isnull=True),
                name="instruction_pending_idx",
            ),
            models.Index(
                fields=["-instructed_at"],
                condition=Q(to_supervise=True),
                name="instruction_supervise_idx",
            ),
        ]

    def __str__(self):
        return f"{self.leader} 批示 {self.document_id}"

    @property
    def is_done(self):
        return self.instructed_at is not None


class Assignment(models.Model):
    """承办: one handling unit's part of a 办件 — the lead unit (主办) or a co-unit (协办), each with
    its own deadline in working days."""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        CO = "co", "协办"

    class State(models.TextChoices):
        ASSIGNED = "assigned", "待接收"
        ACCEPTED = "accepted", "办理中"
        SUBMITTED = "submitted", "待单位审核"
        APPROVED = "approved", "已办结"
        HAND_BACK_REQUESTED = "hand_back_requested", "申请退回"
        WITHDRAWN = "withdrawn", "已退回重新分办"

    ACTIVE_STATES = (State.ASSIGNED, State.ACCEPTED, State.SUBMITTED, State.HAND_BACK_REQUESTED)

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="assignments", verbose_name="收文"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="承办单位"
    )
    role = models.CharField("承办类型", max_length=10, choices=Role.choices)
    state = models.CharField(
        "办理状态", max_length=20, choices=State.choices, default=State.ASSIGNED
    )
    deadline = models.DateField("办理期限")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="交办人"
    )
    assigned_at = models.DateTimeField("交办时间", default=timezone.now)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
    )
    accepted_at = models.DateTimeField("接收时间", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    hand_back_reason = models.TextField("申请退回理由", blank=True)

    class Meta:
        verbose_name = "承办"
        verbose_name_plural = "承办"
        ordering = ["role", "id"]  # 主办 ("lead") sorts after "co": views order explicitly
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit"],
                condition=~Q(state="withdrawn"),
                name="assignment_one_live_per_unit",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(role="lead") & ~Q(state="withdrawn"),
                name="assignment_one_live_lead",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state", "deadline"], name="assignment_unit_state_idx"),
            models.Index(
                fields=["deadline", "id"],
                condition=Q(state__in=["assigned", "accepted", "submitted", "hand_back_requested"]),
                name="assignment_open_deadline_idx",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_role_display()}"

    @property
    def classification(self):
        """The document's 密级: the trail files this part's steps at the document's level."""
        return self.document.classification

    @property
    def is_lead(self):
        return self.role == self.Role.LEAD

    @property
    def is_active(self):
        return self.state in self.ACTIVE_STATES


class ProgressNote(models.Model):
    """办理进展: what a handling unit reports while it works on its part."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="progress_notes", verbose_name="承办"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    text = models.TextField("进展情况")

    class Meta:
        verbose_name = "办理进展"
        verbose_name_plural = "办理进展"
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:40]


class Circulation(models.Model):
    """传阅: one leader on a 阅件's circulation list; 圈阅 marks it read, with an optional remark.
    Leaders with the same `sequence` read in parallel, the next sequence after them."""

    document = models.ForeignKey(
        IncomingDocument,
        on_delete=models.CASCADE,
        related_name="circulations",
        verbose_name="收文",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="领导"
    )
    sequence = models.PositiveSmallIntegerField("传阅顺序", default=1)
    sent_at = models.DateTimeField("送阅时间", default=timezone.now)
    read_at = models.DateTimeField("圈阅时间", null=True, blank=True)
    remark = models.TextField("批注", blank=True)

    class Meta:
        verbose_name = "传阅"
        verbose_name_plural = "传阅"
        ordering = ["sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "leader"], name="circulation_once_each")
        ]
        indexes = [
            models.Index(
                fields=["leader", "document"],
                condition=Q(read_at__isnull=True),
                name="circulation_unread_idx",
            )
        ]

    def __str__(self):
        return f"{self.leader} 传阅 {self.document_id}"


def attachment_path(instance, filename):
    """Stored under a random name: the user's file name is data, never a path."""
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(StoredUpload):
    """附件: the document's scans and files, or a handling unit's result materials. Its type is
    taken from the content, its SHA-256 kept; it is served only through a permission-checked
    view and never inline as HTML."""

    class Purpose(models.TextChoices):
        ORIGINAL = "original", "来文及附件"
        RESULT = "result", "办理结果材料"

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="attachments", verbose_name="收文"
    )
    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name="承办",
    )
    purpose = models.CharField(
        "用途", max_length=10, choices=Purpose.choices, default=Purpose.ORIGINAL
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]
