"""The shared core's data: units, people, the working-day calendar overrides, serial numbers,
the trail, notifications with their outbox, reminders and background PDF jobs.

Business rules live in the modules named after them (calendar.py, numbering.py, trail.py,
notifications.py, reminders.py, permissions.py, pdf.py); these models hold the data and the
single-row invariants only.
"""

import uuid

import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Clearance(models.IntegerChoices):
    """密级, also a person's clearance. Higher numbers are more secret (条例 art. 9)."""

    NONE = 0, "非密"
    SECRET = 1, "秘密"
    CONFIDENTIAL = 2, "机密"
    TOP_SECRET = 3, "绝密"


class Urgency(models.TextChoices):
    """紧急程度 (条例 art. 9; GB/T 9704 7.2.3)."""

    NORMAL = "normal", "平件"
    URGENT = "urgent", "加急"
    EXTRA_URGENT = "extra_urgent", "特急"


class Unit(models.Model):
    """单位: the government, its office and sections, and the units that carry work out."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        OFFICE = "office", "政府办公室"
        SECTION = "section", "内设科室"
        DEPARTMENT = "department", "市直部门"
        DISTRICT = "district", "区（县）政府"
        ENTERPRISE = "enterprise", "国有企业"
        HIGHER = "higher", "上级机关"
        OTHER = "other", "其他单位"

    INTERNAL_KINDS = (Kind.GOVERNMENT, Kind.OFFICE, Kind.SECTION)

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级单位",
    )
    name = models.CharField("全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40)
    code = models.CharField(
        "机关代字", max_length=20, blank=True, help_text="用于发文字号，如“珠府”“珠府办”。"
    )
    header_text = models.CharField(
        "发文机关标志", max_length=60, blank=True, help_text="红头文字，如“珠海市人民政府文件”。"
    )
    kind = models.CharField("单位类别", max_length=20, choices=Kind.choices)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True, help_text="停用的单位保留历史记录。")

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    @property
    def is_internal(self):
        return self.kind in self.INTERNAL_KINDS


class User(AbstractUser):
    """A person who signs in. Roles are groups named by the codes in office.roles.Role."""

    real_name = models.CharField("姓名", max_length=30)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="所在单位",
    )
    title = models.CharField("职务", max_length=60, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    clearance = models.IntegerField("涉密等级", choices=Clearance.choices, default=Clearance.NONE)
    portfolio = models.CharField(
        "分管领域", max_length=300, blank=True, help_text="领导分管的工作，如“发展改革、财政”。"
    )
    liaison = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_for",
        verbose_name="联线副秘书长",
        help_text="联线领导服务制：送该领导的事项经此副秘书长。",
    )
    leader_order = models.PositiveIntegerField("领导排序", default=100)
    oversees_all = models.BooleanField(
        "主持全面工作",
        default=False,
        help_text="市长、秘书长等主持全面工作的领导：督查督办看全部事项，其他领导看分管的事项。",
    )
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["leader_order", "id"]

    def __str__(self):
        return self.real_name or self.username

    def get_full_name(self):
        return self.real_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def get_short_name(self):
        return self.real_name or self.username


class SecurityPolicy(models.Model):
    """安全策略: one row, edited by the security administrator (等保 2.0 vs ASVS: her choice)."""

    min_length = models.PositiveSmallIntegerField("密码最短长度", default=8)
    required_classes = models.PositiveSmallIntegerField(
        "须含字符种类数",
        default=3,
        help_text="大写字母、小写字母、数字、符号四类中至少几类（0 为不限）。",
    )
    max_age_days = models.PositiveSmallIntegerField(
        "密码有效期（天）", default=90, help_text="到期须修改密码；0 为不强制定期修改。"
    )
    idle_minutes = models.PositiveSmallIntegerField("空闲自动退出（分钟）", default=30)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"

    def __str__(self):
        return "安全策略"

    @classmethod
    def current(cls):
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class CalendarOverride(models.Model):
    """A date the office marks as a working day or a day off, overriding the shipped calendar."""

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=60, blank=True, help_text="如“春节”“调休上班”。")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="修改人"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_working_day else '休息'}"


class SerialCounter(models.Model):
    """The last number taken in one register for one year; locked with SELECT … FOR UPDATE."""

    key = models.CharField("登记簿", max_length=40)
    year = models.PositiveSmallIntegerField("年份")
    last_number = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="serial_counter_key_year_unique")
        ]

    def __str__(self):
        return f"{self.key} {self.year}: {self.last_number}"


class SerialNumber(models.Model):
    """Every number ever taken, so that a voided number stays on record as 作废."""

    class Status(models.TextChoices):
        ISSUED = "issued", "已使用"
        VOID = "void", "作废"

    key = models.CharField("登记簿", max_length=40)
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveIntegerField("序号")
    text = models.CharField("编号", max_length=60)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ISSUED)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="取号人",
    )
    allocated_at = models.DateTimeField("取号时间", default=timezone.now)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="作废人",
    )
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "编号"
        verbose_name_plural = "编号"
        ordering = ["key", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["key", "year", "number"], name="serial_number_unique"),
            # One live number per object per register: a document keeps the number it has.
            models.UniqueConstraint(
                fields=["key", "content_type", "object_id"],
                condition=Q(status="issued", object_id__isnull=False),
                name="serial_number_one_per_object",
            ),
        ]

    def __str__(self):
        return self.text


@pgtrigger.register(
    pgtrigger.Protect(name="trail_append_only_update", operation=pgtrigger.Update),
    pgtrigger.Protect(name="trail_append_only_delete", operation=pgtrigger.Delete),
)
class TrailEvent(models.Model):
    """留痕: one workflow step, sign-in or opening of a classified object. Append-only; the
    database refuses UPDATE and DELETE (pgtrigger), so nothing in or outside the app edits it."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=60, blank=True)
    action = models.CharField("动作", max_length=40, db_index=True)
    action_label = models.CharField("动作名称", max_length=40)
    outcome = models.CharField("结果", max_length=10, default="success")
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name="对象类型"
    )
    object_id = models.PositiveBigIntegerField("对象编号", null=True, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    classification = models.IntegerField("密级", choices=Clearance.choices, default=0)
    from_state = models.CharField("原状态", max_length=40, blank=True)
    to_state = models.CharField("新状态", max_length=40, blank=True)
    opinion = models.TextField("意见", blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)

    class Meta:
        verbose_name = "留痕记录"
        verbose_name_plural = "留痕记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="trail_object_idx"),
            models.Index(fields=["actor", "at"], name="trail_actor_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action_label} {self.object_repr}"


class Notification(models.Model):
    """An in-app message (the inbox) written in the same transaction as the step that causes it;
    its Delivery rows are the outbox relayed to mail/SMS by a Celery task."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    urgent = models.BooleanField("紧急", default=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """Outbox row: one notification to be sent over one outside channel."""

    class Channel(models.TextChoices):
        MAIL = "mail", "邮件"
        SMS = "sms", "短信"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    address = models.CharField("地址", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最后错误", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "外发通知"
        verbose_name_plural = "外发通知"
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="delivery_pending_idx",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"


class Reminder(models.Model):
    """A reminder that was sent, recorded under a unique (object, kind, day) key so that a
    sweeper running twice, or two sweepers at once, send nothing twice."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField("提醒类型", max_length=40)
    day = models.DateField("日期")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "day"], name="reminder_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.day}"


class StoredUpload(models.Model):
    """What every uploaded business file keeps besides the file itself (a duty's attachment,
    material …): the user's file name as data, the type read from the content, the size, the
    SHA-256, who uploaded it and when. The file field, with its storage path, is the subclass's."""

    name = models.CharField("文件名", max_length=200)
    media_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class PdfJob(models.Model):
    """A PDF rendered in the background: a row with a status that a page polls."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        PROCESSING = "processing", "生成中"
        READY = "ready", "已完成"
        FAILED = "failed", "失败"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField("名称", max_length=200)
    template_name = models.CharField(max_length=200)
    context = models.JSONField(default=dict)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    file = models.FileField("文件", upload_to="pdf/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    total = models.PositiveIntegerField(
        "件数", default=0, help_text="批量打印的文件件数；0 表示单件。"
    )
    done = models.PositiveIntegerField("已完成件数", default=0)
    last_error = models.TextField("错误信息", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "PDF 生成任务"
        verbose_name_plural = "PDF 生成任务"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title
