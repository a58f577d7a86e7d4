"""发文办理 data (DOMAIN.md §4; 条例 arts. 19–23, 25): the office's own documents from the first
draft to the archive — every saved version, the review levels, co-signatures, the sign-off and
the number, which is allocated only after sign-off.

Rules live in workflow.py (the only code that assigns `.state`), services.py and permissions.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from office.models import Clearance, Unit, Urgency

from .incoming import DocType, attachment_path


class Direction(models.TextChoices):
    """行文方向: 上行文 print the 签发人 on the number line (GB/T 9704 7.2.4)."""

    UPWARD = "upward", "上行文"
    PARALLEL = "parallel", "平行文"
    DOWNWARD = "downward", "下行文"


class NumberFamily(models.TextChoices):
    """文种 families that share a number register within one issuing unit: 珠府〔2026〕12号 for
    most 公文, 珠府函〔2026〕7号 for 函, 珠府令〔2026〕1号 for 命令（令）, 纪要 in their own series."""

    GENERAL = "general", "公文"
    LETTER = "letter", "函"
    ORDER = "order", "令"
    MINUTES = "minutes", "纪要"

    @classmethod
    def for_doc_type(cls, doc_type):
        return {
            DocType.LETTER: cls.LETTER,
            DocType.ORDER: cls.ORDER,
            DocType.MINUTES: cls.MINUTES,
        }.get(doc_type, cls.GENERAL)


OUTGOING_DOC_TYPES = [(value, label) for value, label in DocType.choices if value != DocType.OTHER]


class NumberRule(models.Model):
    """发文字号 rule of one issuing unit and family: the 机关代字 the register is keyed on (e.g.
    “珠府办函”) and the pattern. Without a rule, the unit's 机关代字 is used, with 函/令 appended
    for those families."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="发文机关"
    )
    family = models.CharField("文种类别", max_length=10, choices=NumberFamily.choices)
    code = models.CharField("机关代字", max_length=20, help_text="如“珠府办函”。")
    pattern = models.CharField(
        "编号格式",
        max_length=60,
        default="{key}〔{year}〕{number}号",
        help_text="GB/T 9704：六角括号，序号不编虚位、不加“第”。",
    )

    class Meta:
        verbose_name = "发文字号规则"
        verbose_name_plural = "发文字号规则"
        constraints = [
            models.UniqueConstraint(fields=["unit", "family"], name="number_rule_unit_family")
        ]

    def __str__(self):
        return f"{self.unit.short_name} {self.get_family_display()}：{self.code}"


class ReviewLevel(models.Model):
    """One level of 审核（核稿） configured for an issuing unit: documents of that unit pass the
    levels in order (多级复核) before co-signature and sign-off."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name="发文机关"
    )
    level = models.PositiveSmallIntegerField("审核级次")
    label = models.CharField("名称", max_length=30, help_text="如“科室核稿”“秘书长审核”。")
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name="审核人"
    )

    class Meta:
        verbose_name = "审核级次"
        verbose_name_plural = "审核级次"
        ordering = ["unit", "level"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "level"], name="review_level_unit_level")
        ]

    def __str__(self):
        return f"{self.unit.short_name} 第{self.level}级 {self.label}"


class OutgoingDocument(models.Model):
    """发文: one document of the office, drafted, reviewed, signed off, numbered, printed, sealed,
    dispatched and filed."""

    class State(models.TextChoices):
        DRAFT = "draft", "起草中"
        IN_REVIEW = "in_review", "审核中"
        RETURNED = "returned", "退回修改"
        CO_SIGNING = "co_signing", "会签中"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "待签发"
        SIGNED = "signed", "已签发"
        NUMBERED = "numbered", "已编号"
        SEALED = "sealed", "已用印"
        DISPATCHED = "dispatched", "已核发"
        ARCHIVED = "archived", "已归档"

    doc_type = models.CharField("文种", max_length=20, choices=OUTGOING_DOC_TYPES)
    issuing_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="发文机关"
    )
    direction = models.CharField(
        "行文方向", max_length=10, choices=Direction.choices, default=Direction.DOWNWARD
    )
    title = models.CharField("标题", max_length=300)
    main_recipients = models.ManyToManyField(
        Unit, related_name="+", blank=True, verbose_name="主送机关"
    )
    cc_recipients = models.ManyToManyField(
        Unit, related_name="+", blank=True, verbose_name="抄送机关"
    )
    addressee_text = models.CharField(
        "主送机关（印制文字）",
        max_length=200,
        blank=True,
        help_text="如“各区人民政府，市政府各部门、各直属机构”；留空则印所选主送机关全称。",
    )
    classification = models.IntegerField("密级", choices=Clearance.choices, default=Clearance.NONE)
    secrecy_period = models.CharField("保密期限", max_length=20, blank=True)
    urgency = models.CharField(
        "紧急程度", max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    copy_number = models.CharField(
        "份号",
        max_length=6,
        blank=True,
        help_text="涉密公文的份号，6 位阿拉伯数字（如 000001）。",
    )
    print_copies = models.PositiveIntegerField("印制份数", default=1)
    printing_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="印发机关",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="拟稿人"
    )
    drafting_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="拟稿单位"
    )
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    review_level = models.PositiveSmallIntegerField(
        "当前审核级次", default=0, help_text="0 表示尚未送审。"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签发人",
    )
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    sign_off_opinion = models.TextField("签发意见", blank=True)
    document_number = models.CharField("发文字号", max_length=60, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    serial = models.PositiveIntegerField("序号", null=True, blank=True)
    numbered_at = models.DateTimeField("编号时间", null=True, blank=True)
    sealed_at = models.DateTimeField("用印时间", null=True, blank=True)
    dispatched_at = models.DateTimeField("核发时间", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发文"
        verbose_name_plural = "发文"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="outgoing_document_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="outgoing_state_idx"),
            models.Index(fields=["issuing_unit", "-year", "-serial"], name="outgoing_number_idx"),
            models.Index(fields=["drafter", "-created_at"], name="outgoing_drafter_idx"),
        ]

    def __str__(self):
        return f"{self.document_number or '（未编号）'} {self.title}"

    @property
    def is_upward(self):
        return self.direction == Direction.UPWARD

    @property
    def number_family(self):
        return NumberFamily.for_doc_type(self.doc_type)


class DraftVersion(models.Model):
    """稿本: every saved version of the text is kept, so reviewers see what changed."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="versions", verbose_name="发文"
    )
    number = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文")
    attachment_note = models.TextField("附件说明", blank=True)
    remarks = models.CharField("附注", max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人"
    )
    created_at = models.DateTimeField("保存时间", default=timezone.now)
    note = models.CharField("修改说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "稿本"
        verbose_name_plural = "稿本"
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="draft_version_number")
        ]

    def __str__(self):
        return f"第{self.number}稿"


class OutgoingAttachment(models.Model):
    """附件 of a 发文: its name (listed in the 附件说明), the text printed on its own page after the
    body (GB/T 9704: 附件 start on a new page before the 版记), and optionally the drafter's file
    (typed from its content, served only through a permission-checked view)."""

    document = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name="发文",
    )
    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("附件名称", max_length=200)
    body = models.TextField("附件正文", blank=True)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200, blank=True)
    name = models.CharField("文件名", max_length=200, blank=True)
    media_type = models.CharField("文件类型", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "发文附件"
        verbose_name_plural = "发文附件"
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="outgoing_attachment_number"
            )
        ]

    def __str__(self):
        return f"附件{self.number} {self.title}"


class ReviewRecord(models.Model):
    """审核意见: one reviewer's decision at one level — 同意 or 退回修改 with comments."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "审核通过"
        RETURNED = "returned", "退回修改"

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="reviews", verbose_name="发文"
    )
    level = models.PositiveSmallIntegerField("审核级次")
    version = models.ForeignKey(
        DraftVersion, on_delete=models.PROTECT, related_name="+", verbose_name="审核稿本"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="审核人"
    )
    outcome = models.CharField("结论", max_length=10, choices=Outcome.choices)
    opinion = models.TextField("审核意见", blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ["at", "id"]

    def __str__(self):
        return f"第{self.level}级 {self.get_outcome_display()}"


class CoSignature(models.Model):
    """会签: a concerned unit's opinion, gathered in parallel before sign-off."""

    document = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.CASCADE,
        related_name="co_signatures",
        verbose_name="发文",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="会签单位"
    )
    requested_at = models.DateTimeField("送会签时间", default=timezone.now)
    opinion = models.TextField("会签意见", blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="会签人",
    )
    signed_at = models.DateTimeField("会签时间", null=True, blank=True)

    class Meta:
        verbose_name = "会签"
        verbose_name_plural = "会签"
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="co_signature_once_per_unit")
        ]

    def __str__(self):
        return f"{self.unit} 会签"


class Seal(models.Model):
    """印章 of a unit; its image (uploaded by the security administrator) is overlaid on the final
    PDF only after the seal was applied and entered in the ledger."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    name = models.CharField("印章名称", max_length=60)
    image = models.FileField("印模图片", upload_to="seals/", blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "印章"
        verbose_name_plural = "印章"

    def __str__(self):
        return self.name


class SealLedgerEntry(models.Model):
    """印章使用登记台账: which seal, on which document, how many copies, who applied, who
    approved, when."""

    seal = models.ForeignKey(
        Seal, on_delete=models.PROTECT, related_name="uses", verbose_name="印章"
    )
    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.PROTECT, related_name="seal_uses", verbose_name="发文"
    )
    copies = models.PositiveIntegerField("用印份数")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="批准人"
    )
    at = models.DateTimeField("用印时间", default=timezone.now)

    class Meta:
        verbose_name = "用印登记"
        verbose_name_plural = "印章使用登记台账"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.seal} {self.document_id} ×{self.copies}"


class Receipt(models.Model):
    """签收回执: one 主送/抄送 unit's receipt of a dispatched document."""

    class Role(models.TextChoices):
        MAIN = "main", "主送"
        CC = "cc", "抄送"

    class Channel(models.TextChoices):
        EXCHANGE = "exchange", "电子公文交换"
        PAPER = "paper", "纸质"

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="receipts", verbose_name="发文"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="收文单位"
    )
    role = models.CharField("主送/抄送", max_length=10, choices=Role.choices)
    channel = models.CharField("发送方式", max_length=10, choices=Channel.choices)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    due_at = models.DateTimeField(
        "签收时限", null=True, blank=True, help_text="发送后 8 个工作小时；纸质发送不设时限。"
    )
    chased_at = models.DateTimeField("催收时间", null=True, blank=True)
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
        verbose_name = "签收回执"
        verbose_name_plural = "签收回执"
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="receipt_once_per_unit")
        ]
        indexes = [
            models.Index(
                fields=["due_at", "id"],
                condition=Q(received_at__isnull=True),
                name="receipt_unsigned_idx",
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.get_role_display()}"
