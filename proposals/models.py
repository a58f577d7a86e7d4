"""建议提案办理 data (DOMAIN.md §7): the sessions (届次/会次) of the people's congress (人大) and the
political consultative conference (政协), the suggestions, bills and proposals they hand to the
government (one model, `Proposal`, with its `kind`), their proposers (领衔人, 附议人), the scanned
originals, requests to reassign (申请调整), contacts with the proposer (沟通联系), co-units'
opinions (会办意见), reply letters (答复函) and ratings (评价) — per handling round, so that a
re-handled item (重新办理) keeps the history of both rounds.

Rules live in workflow.py (the only code that assigns `.state`), services.py and permissions.py.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from office.models import StoredUpload, Unit

# A reply class set (答复分类) as DOMAIN.md §7 describes the usual one; a session may use another,
# e.g. the national NPC's four classes.
DEFAULT_REPLY_CLASSES = [
    {"code": "A", "label": "所提问题已经解决或基本解决、建议已被采纳"},
    {"code": "B", "label": "所提问题已列入计划、正在解决"},
    {"code": "C", "label": "所提问题因条件限制或其他原因暂时不能解决、留作参考"},
]


def default_reply_classes():
    return [dict(c) for c in DEFAULT_REPLY_CLASSES]


class Session(models.Model):
    """届次/会次, e.g. 十六届人大三次会议 or 十三届政协三次会议, with its deadline rules."""

    class Body(models.TextChoices):
        NPC = "npc", "人大"
        CPPCC = "cppcc", "政协"

    body = models.CharField("机关", max_length=10, choices=Body.choices)
    name = models.CharField("届次会次", max_length=60, help_text="如“十六届人大三次会议”。")
    year = models.PositiveSmallIntegerField("年度")
    opened_on = models.DateField("会议开幕日期")
    closed_on = models.DateField("会议闭幕日期", null=True, blank=True)
    reply_months = models.PositiveSmallIntegerField(
        "答复期限（月）", default=3, help_text="自交办之日起几个月内答复。"
    )
    key_reply_months = models.PositiveSmallIntegerField(
        "重点件答复期限（月）", null=True, blank=True, help_text="不填则与一般件相同。"
    )
    reassignment_working_days = models.PositiveSmallIntegerField(
        "申请调整期限（工作日）", default=5, help_text="交办后几个工作日内可申请调整承办单位。"
    )
    rehandle_months = models.PositiveSmallIntegerField(
        "重新办理期限（月）", default=1, help_text="评价不满意后重新办理的答复期限。"
    )
    reply_classes = models.JSONField(
        "答复分类", default=default_reply_classes, help_text="如 A/B/C，或 A/B/C/D。"
    )
    liaison_body = models.CharField(
        "联络机构",
        max_length=100,
        blank=True,
        help_text="答复函抄送的机构，如“市人大常委会代表工作室”“市政协提案委员会”。",
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "届次会次"
        verbose_name_plural = "届次会次"
        ordering = ["-year", "body", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="session_name_once")]

    def __str__(self):
        return self.name

    def reply_class_codes(self):
        return [c["code"] for c in self.reply_classes]

    def reply_class_label(self, code):
        return next((c["label"] for c in self.reply_classes if c["code"] == code), code)


class MergeGroup(models.Model):
    """并案办理: items on the same subject (across 人大 and 政协 too), handled together by the
    same units; each still gets its own reply."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="并案人"
    )
    created_at = models.DateTimeField("并案时间", default=timezone.now)

    class Meta:
        verbose_name = "并案组"
        verbose_name_plural = "并案组"

    def __str__(self):
        return f"并案 {self.pk}"


class Proposal(models.Model):
    """建议、议案或提案 (one of a session's items handed to the government)."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", "建议"
        BILL = "bill", "议案"
        PROPOSAL = "proposal", "提案"

    class State(models.TextChoices):
        REGISTERED = "registered", "已登记"
        ASSIGNED = "assigned", "已交办"
        REASSIGNMENT_REQUESTED = "reassignment_requested", "申请调整"
        HANDLING = "handling", "办理中"
        REPLY_SUBMITTED = "reply_submitted", "答复待审"
        REPLY_APPROVED = "reply_approved", "答复已签发"
        REPLIED = "replied", "已答复"
        RATED = "rated", "已评价"
        CLOSED = "closed", "已办结"

    # With a unit, before its reply is out: what reminders and lights are about.
    IN_HAND = (
        State.ASSIGNED,
        State.REASSIGNMENT_REQUESTED,
        State.HANDLING,
        State.REPLY_SUBMITTED,
        State.REPLY_APPROVED,
    )

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="proposals", verbose_name="届次会次"
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    number = models.PositiveIntegerField(
        "编号", help_text="人大、政协编定的号，如 123（第0123号）。"
    )
    title = models.CharField("标题", max_length=300)
    content = models.TextField("内容", blank=True)
    category = models.CharField("分类", max_length=60, blank=True, help_text="如“教育”“城市建设”。")
    is_key = models.BooleanField("重点", default=False)
    key_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="领办领导",
        help_text="重点建议提案由市政府领导领办。",
    )
    state = models.CharField("状态", max_length=30, choices=State.choices, default=State.REGISTERED)
    lead_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="主办单位",
    )
    co_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="会办单位")
    group = models.ForeignKey(
        MergeGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name="并案组",
    )
    round = models.PositiveSmallIntegerField(
        "办理轮次", default=1, help_text="评价不满意后重新办理为第 2 轮。"
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    reassign_until = models.DateField("申请调整截止", null=True, blank=True)
    deadline = models.DateField("答复期限", null=True, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    registered_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "建议提案"
        verbose_name_plural = "建议提案"
        ordering = ["session", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "number"], name="proposal_number_once_per_session"
            ),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="proposal_round_1_or_2"),
        ]
        indexes = [
            models.Index(fields=["lead_unit", "state"], name="proposal_unit_state_idx"),
            models.Index(
                fields=["deadline", "id"],
                condition=Q(
                    state__in=[
                        "assigned",
                        "reassignment_requested",
                        "handling",
                        "reply_submitted",
                        "reply_approved",
                    ]
                ),
                name="proposal_open_deadline_idx",
            ),
        ]

    def __str__(self):
        return f"{self.number_text} {self.title}"

    @property
    def number_text(self):
        """第0123号: as the NPC and CPPCC print it (four digits)."""
        return f"第{self.number:04d}号"

    @property
    def lead_author(self):
        return next((a for a in self.authors.all() if a.role == Author.Role.LEAD), None)

    @property
    def co_authors(self):
        return [a for a in self.authors.all() if a.role == Author.Role.CO]


class Author(models.Model):
    """领衔人 or 附议人 of an item: a deputy (代表) or member (委员), who has no account here."""

    class Role(models.TextChoices):
        LEAD = "lead", "领衔"
        CO = "co", "附议"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="authors", verbose_name="建议提案"
    )
    role = models.CharField("身份", max_length=10, choices=Role.choices)
    position = models.PositiveSmallIntegerField("排序", default=1)
    name = models.CharField("姓名", max_length=30)
    delegation = models.CharField(
        "代表团/界别",
        max_length=60,
        blank=True,
        help_text="人大代表所在代表团，或政协委员所在界别。",
    )
    affiliation = models.CharField("工作单位及职务", max_length=120, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("通讯地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "领衔人/附议人"
        verbose_name_plural = "领衔人/附议人"
        ordering = ["proposal", "-role", "position", "id"]  # 领衔 (lead) before 附议 (co)
        indexes = [models.Index(fields=["name"], name="author_name_idx")]

    def __str__(self):
        return self.name


class Scan(StoredUpload):
    """原件扫描件 of an item."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="scans", verbose_name="建议提案"
    )
    file = models.FileField("文件", upload_to="proposals/%Y/%m/")

    class Meta(StoredUpload.Meta):
        verbose_name = "原件扫描件"
        verbose_name_plural = "原件扫描件"


class ReassignmentRequest(models.Model):
    """申请调整: the lead unit asks, within the session's window, to hand the item to another
    unit; the office approves (choosing the new units) or rejects."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "同意调整"
        REJECTED = "rejected", "不同意调整"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="reassignments", verbose_name="建议提案"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="申请单位"
    )
    reason = models.TextField("申请理由")
    suggested_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="建议承办单位",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    outcome = models.CharField(
        "审核结果", max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    opinion = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "申请调整"
        verbose_name_plural = "申请调整"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.unit} 申请调整"


class Contact(models.Model):
    """沟通联系 with the proposer before replying (date, way, who, content)."""

    class Way(models.TextChoices):
        VISIT = "visit", "登门走访"
        MEETING = "meeting", "座谈会"
        PHONE = "phone", "电话"
        SITE = "site", "现场察看"
        LETTER = "letter", "书面"
        ONLINE = "online", "网络"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="contacts", verbose_name="建议提案"
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    contacted_on = models.DateField("联系日期")
    way = models.CharField("方式", max_length=20, choices=Way.choices)
    people = models.CharField(
        "参加人员", max_length=200, help_text="双方参加人员，如“张代表；市教育局王处长”。"
    )
    content = models.TextField("沟通内容")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="承办单位"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "沟通联系"
        verbose_name_plural = "沟通联系"
        ordering = ["proposal", "contacted_on", "id"]

    def __str__(self):
        return f"{self.contacted_on} {self.get_way_display()}"


class CoOpinion(models.Model):
    """会办意见: a co-unit's opinion, sent to the lead unit before it replies."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="co_opinions", verbose_name="建议提案"
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="会办单位"
    )
    text = models.TextField("会办意见")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填写人"
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "会办意见"
        verbose_name_plural = "会办意见"
        ordering = ["proposal", "round", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "round", "unit"], name="co_opinion_once_per_round"
            )
        ]

    def __str__(self):
        return f"{self.unit} 会办意见"


class ReplyLetter(models.Model):
    """答复函 of one handling round: drafted by the lead unit with its class (A/B/C), signed off by
    the unit head, sent to the proposer and copied to the liaison body."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="replies", verbose_name="建议提案"
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    reply_class = models.CharField("答复分类", max_length=5)
    body = models.TextField("答复内容")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="答复单位"
    )
    contact_person = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="拟稿人"
    )
    drafted_at = models.DateTimeField("拟稿时间", default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签发人",
    )
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    sent_on = models.DateField("答复日期", null=True, blank=True)

    class Meta:
        verbose_name = "答复函"
        verbose_name_plural = "答复函"
        ordering = ["proposal", "round"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="reply_once_per_round")
        ]

    def __str__(self):
        return f"{self.proposal} 第{self.round}轮答复（{self.reply_class}类）"


class Rating(models.Model):
    """评价 of one round by the proposer: the handling attitude and the result. Entered by the
    office from the returned form, or by the proposer through a signed link — never by the
    handling unit."""

    class Level(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
        DISSATISFIED = "dissatisfied", "不满意"

    class Channel(models.TextChoices):
        OFFICE = "office", "办公室据反馈表录入"
        LINK = "link", "代表委员在线评价"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="ratings", verbose_name="建议提案"
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    attitude = models.CharField("办理态度", max_length=30, choices=Level.choices)
    result = models.CharField("办理结果", max_length=30, choices=Level.choices)
    remarks = models.TextField("意见和建议", blank=True)
    channel = models.CharField("评价方式", max_length=10, choices=Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    rated_at = models.DateTimeField("评价时间", default=timezone.now)

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        ordering = ["proposal", "round"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="rating_once_per_round")
        ]

    def __str__(self):
        return f"第{self.round}轮：{self.get_result_display()}"

    @property
    def satisfied(self):
        """满意 or 基本满意 with the result (满意率 counts the result)."""
        return self.result != self.Level.DISSATISFIED


def add_months(day, months):
    """The same day `months` later (the last day of a shorter month): 3 months from 30 November
    is 28 (29) February."""
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
