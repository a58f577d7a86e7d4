"""督查督办 data (DOMAIN.md §6): the supervision items (督办事项) of the ledger (台账), their
milestones (节点目标), progress reports (进展反馈) with their files, urgings (催办记录), extension
requests (延期申请) and links between items on the same matter.

An item keeps a generic link to what it came from — a leader's instruction, a decided item of
minutes … — as (content type, id, label, URL): the ledger never imports the duty apps, and the
unique (source_type, source_id) makes taking the same source twice impossible.

Lights are date comparisons only (supervision.measures): every open item carries the dates on
which it turns yellow or red besides its deadline — `report_due_on` (the next progress report due
by its cadence) and `behind_on` (the first day its reported progress falls behind the elapsed
share of its time or a milestone is due unreached). The workflow keeps them up to date, so the
ledger filters and sorts by light in SQL at any size.

Rules live in workflow.py (the only code that assigns `.state`), services.py and permissions.py.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from office.models import Clearance, StoredUpload, Unit


class Source(models.TextChoices):
    """来源 of a supervision item (DOMAIN.md §6)."""

    INSTRUCTION = "instruction", "领导批示"
    MEETING_DECISION = "meeting_decision", "会议议定事项"
    WORK_REPORT_TASK = "work_report_task", "政府工作报告目标任务"
    LIVELIHOOD_PROJECT = "livelihood_project", "为民办实事"
    HIGHER_ASSIGNMENT = "higher_assignment", "上级交办"
    PUBLIC_APPEAL = "public_appeal", "网络诉求"
    OTHER = "other", "其他"


class Cadence(models.TextChoices):
    """报送周期: how often the lead unit reports progress."""

    NONE = "none", "不定期"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"


class ItemGroup(models.Model):
    """关联事项: items on the same matter (e.g. a leader's instruction and a meeting decision);
    one progress report counts for all of them."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="关联人"
    )
    created_at = models.DateTimeField("关联时间", default=timezone.now)

    class Meta:
        verbose_name = "关联事项组"
        verbose_name_plural = "关联事项组"

    def __str__(self):
        return f"关联组 {self.pk}"


class SupervisionItem(models.Model):
    """督办事项."""

    class State(models.TextChoices):
        OPENED = "opened", "已立项"
        ASSIGNED = "assigned", "已交办"
        IN_PROGRESS = "in_progress", "办理中"
        CLOSE_REQUESTED = "close_requested", "申请办结"
        CLOSED = "closed", "已销号"
        SUSPENDED = "suspended", "已中止"

    OPEN_STATES = (State.OPENED, State.ASSIGNED, State.IN_PROGRESS, State.CLOSE_REQUESTED)

    item_number = models.CharField("督办编号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    title = models.CharField("事项名称", max_length=300)
    requirement = models.TextField("工作要求", blank=True)
    source = models.CharField("来源", max_length=30, choices=Source.choices)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_label = models.CharField(
        "来源文件",
        max_length=300,
        blank=True,
        help_text="如“市政府常务会议纪要 2026年第12期 第3项”。",
    )
    source_url = models.CharField("来源链接", max_length=300, blank=True)
    classification = models.IntegerField("密级", choices=Clearance.choices, default=Clearance.NONE)
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位"
    )
    co_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="配合单位")
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="责任领导",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="督查员",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OPENED)
    opened_on = models.DateField("立项日期", default=timezone.localdate)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="立项人"
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    deadline = models.DateField("办结时限")
    original_deadline = models.DateField("原定时限", help_text="延期后仍按原定时限计算按期办结。")
    report_cadence = models.CharField(
        "报送周期", max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    report_day = models.PositiveSmallIntegerField(
        "报送日", default=25, help_text="每月（每季度末月）几日前；每周为星期几（1–5）。"
    )
    report_due_on = models.DateField("下次报送时限", null=True, blank=True)
    behind_on = models.DateField(
        "序时进度落后日期",
        null=True,
        blank=True,
        help_text="已报进度或未完成的节点目标自此日起落后于序时进度。",
    )
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    latest_report = models.ForeignKey(
        "ProgressReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最新进展",
    )
    group = models.ForeignKey(
        ItemGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="关联事项组",
    )
    red_since = models.DateField("亮红灯日期", null=True, blank=True)
    escalated_on = models.DateField("报责任领导日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="销号人",
    )
    suspended_reason = models.CharField("中止原因", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=Q(source_id__isnull=False),
                name="supervision_item_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="supervision_item_progress_at_most_100"
            ),
        ]
        indexes = [
            models.Index(fields=["lead_unit", "-id"], name="item_lead_unit_idx"),
            models.Index(fields=["responsible_leader", "-id"], name="item_leader_idx"),
            models.Index(fields=["state", "deadline"], name="item_state_deadline_idx"),
            models.Index(fields=["deadline", "id"], name="item_deadline_idx"),
            # The reminder sweeper's range scans: only open items are ever due.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(state__in=["opened", "assigned", "in_progress", "close_requested"]),
                name="item_open_deadline_idx",
            ),
            models.Index(
                fields=["report_due_on", "id"],
                condition=Q(state__in=["assigned", "in_progress"]),
                name="item_open_report_due_idx",
            ),
            # The sweeper's upkeep of red_since touches only the items that are red now.
            models.Index(
                fields=["red_since"],
                condition=Q(red_since__isnull=False),
                name="item_red_since_idx",
            ),
        ]

    def __str__(self):
        return f"{self.item_number} {self.title}"

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES

    @property
    def extended(self):
        return self.deadline != self.original_deadline


class Milestone(models.Model):
    """节点目标, e.g. a quarterly target of a work-report task."""

    item = models.ForeignKey(
        SupervisionItem,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name="督办事项",
    )
    position = models.PositiveSmallIntegerField("序号")
    title = models.CharField("节点目标", max_length=300)
    due_on = models.DateField("完成时限")
    reached_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "节点目标"
        verbose_name_plural = "节点目标"
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="milestone_position_once")
        ]

    def __str__(self):
        return self.title


class ProgressReport(models.Model):
    """进展反馈 (or, with kind=completion, 申请办结 with its evidence) by the lead unit; it counts
    once the unit head has approved it."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "进展反馈"
        COMPLETION = "completion", "申请办结"

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待单位审核"
        APPROVED = "approved", "已审核"
        RETURNED = "returned", "已退回"

    class Flag(models.TextChoices):
        NONE = "", "无"
        REPEATS_PREVIOUS = "repeats_previous", "内容与上次反馈重复"
        NO_EVIDENCE = "no_evidence", "申请办结未附佐证材料"

    item = models.ForeignKey(
        SupervisionItem, on_delete=models.CASCADE, related_name="reports", verbose_name="督办事项"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.PROGRESS)
    text = models.TextField("进展情况")
    progress = models.PositiveSmallIntegerField("进度（%）", null=True, blank=True)
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="完成节点",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="报送单位"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    state = models.CharField(
        "审核状态", max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_opinion = models.CharField("审核意见", max_length=300, blank=True)
    flag = models.CharField("提示", max_length=30, choices=Flag.choices, default="", blank=True)

    class Meta:
        verbose_name = "进展反馈"
        verbose_name_plural = "进展反馈"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["item", "-submitted_at"], name="report_item_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.submitted_at:%Y-%m-%d}"


class ReportFile(StoredUpload):
    """A file attached to a progress report (佐证材料)."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="files", verbose_name="进展反馈"
    )
    file = models.FileField("文件", upload_to="supervision/%Y/%m/")

    class Meta(StoredUpload.Meta):
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"


class Urging(models.Model):
    """催办记录: every reminder, automatic or by hand, recorded on the item. Automatic ones are
    unique per (item, kind, day): a sweeper running twice sends nothing twice."""

    class Kind(models.TextChoices):
        MANUAL = "manual", "人工催办"
        DUE_SOON = "due_soon", "临期提醒"
        OVERDUE = "overdue", "逾期催办"
        REPORT_MISSING = "report_missing", "催报进展"
        ESCALATED = "escalated", "报责任领导"

    item = models.ForeignKey(
        SupervisionItem, on_delete=models.CASCADE, related_name="urgings", verbose_name="督办事项"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    day = models.DateField("日期", default=timezone.localdate)
    at = models.DateTimeField("时间", default=timezone.now)
    message = models.TextField("催办内容", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="催办人",
        help_text="空为系统自动催办。",
    )

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "kind", "day"],
                condition=~Q(kind="manual"),
                name="urging_automatic_once_a_day",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.day}"


class Extension(models.Model):
    """延期申请 by the lead unit, decided by the responsible leader."""

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        REFUSED = "refused", "不同意"

    item = models.ForeignKey(
        SupervisionItem,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name="督办事项",
    )
    requested_deadline = models.DateField("申请延至")
    previous_deadline = models.DateField("原时限")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    state = models.CharField(
        "审批状态", max_length=20, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    opinion = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(state="pending"), name="extension_one_pending"
            )
        ]

    def __str__(self):
        return f"延期至 {self.requested_deadline}"


class SavedFilter(models.Model):
    """A ledger filter a user keeps under a name (e.g. “本周到期的红灯事项”)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户"
    )
    name = models.CharField("名称", max_length=60)
    query = models.CharField("筛选条件", max_length=1000)
    created_at = models.DateTimeField("保存时间", default=timezone.now)

    class Meta:
        verbose_name = "常用筛选"
        verbose_name_plural = "常用筛选"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_filter_name_once")
        ]

    def __str__(self):
        return self.name


class Bulletin(models.Model):
    """督查通报 (kind `bulletin`) or 督查专报 (kind `special_report`): one model, told apart by
    `kind`, each kind numbered in its own register (2026年第N期).

    Generated for a period from the ledger (supervision.bulletins), edited, submitted to a
    leader, signed off (numbered then), printed and dispatched (印发) to units. Its figures are
    frozen as of `period_end` in `figures`, `counted` (for every figure, the ids of the items it
    counted) and `overdue`: regenerated while a draft, never after sign-off."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", "督查通报"
        SPECIAL_REPORT = "special_report", "督查专报"

    class State(models.TextChoices):
        DRAFT = "draft", "起草中"
        IN_REVIEW = "in_review", "待签发"
        RETURNED = "returned", "退回修改"
        SIGNED = "signed", "已签发"
        DISPATCHED = "dispatched", "已印发"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.BULLETIN)
    title = models.CharField("标题", max_length=200)
    period_start = models.DateField("统计起始日期")
    period_end = models.DateField("统计截止日期", help_text="通报的数据截至此日。")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    opening = models.TextField(
        "导语", blank=True, help_text="编者按或开头段落，印在“一、总体情况”之前。"
    )
    good_examples = models.TextField("工作成效和典型经验", blank=True)
    bad_examples = models.TextField("存在问题", blank=True)
    requirements = models.TextField("下一步工作要求", blank=True)
    figures = models.JSONField(
        "统计数据", default=dict, help_text="截至统计截止日期的数据，签发后不再变化。"
    )
    counted = models.JSONField("统计事项", default=dict, help_text="每个数字所统计的督办事项 id。")
    overdue = models.JSONField("逾期未办结事项", default=list)
    generated_at = models.DateTimeField("数据生成时间", default=timezone.now)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="起草人"
    )
    drafted_at = models.DateTimeField("起草时间", default=timezone.now)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="送签领导",
    )
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
        "期号文字", max_length=40, blank=True, help_text="如“2026年第3期”。"
    )
    recipients = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="印发单位")
    dispatched_at = models.DateTimeField("印发时间", null=True, blank=True)

    class Meta:
        verbose_name = "督查通报"
        verbose_name_plural = "督查通报"
        ordering = ["-drafted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "issue_year", "issue_number"],
                condition=Q(issue_number__isnull=False),
                name="bulletin_issue_once_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="bulletin_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.issue_text or '（未编号）'}"

    @property
    def as_of(self):
        """The day the figures are counted on: the period's end."""
        return self.period_end
