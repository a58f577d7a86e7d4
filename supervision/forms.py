"""督查督办 forms: input checks only. The rules (who may, when, what an item needs) live in
supervision/services.py and workflow.py, whose refusals come back on these forms next to the field
they concern (office.forms.add_service_errors)."""

import datetime
import re

from django import forms

from office.forms import DATE_INPUT, LeaderField, MultipleFileField, UnitField, UnitsField
from office.models import Clearance, Unit, User
from office.selectors import active_leaders, responsible_units

from .models import Cadence, Milestone, Source
from .services import ItemPlan

FILE_HELP = "PDF、OFD、Word、扫描件或图片，可多选，每个不超过 20 MB；按文件内容识别类型。"
FILES_AGAIN = "出于安全原因，浏览器不会保留已选择的文件，请重新选择。"


# --- 立项 --------------------------------------------------------------------------------------

_DATE_AT_START = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*[，,：:、\s]*(.*)$"
)


def parse_milestones(text):
    """节点目标, one a line: 「2026-12-31 完成主体工程」 (also 2026/12/31, 2026年12月31日).
    Returns [(title, due_on)]; a bad line raises a ValidationError naming its line."""
    milestones = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        match = _DATE_AT_START.match(line)
        if match is None:
            raise forms.ValidationError(
                f"第{number}行应以完成时限开头，如“2026-12-31 完成主体工程”。"
            )
        year, month, day, title = match.groups()
        try:
            due_on = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"第{number}行的日期“{year}-{month}-{day}”不存在。"
            ) from None
        if not title.strip():
            raise forms.ValidationError(f"第{number}行缺少节点目标的内容。")
        milestones.append((title.strip()[:300], due_on))
    return milestones


class ItemForm(forms.Form):
    """立项 by hand. 密级 offers only what the actor is cleared for."""

    source = forms.ChoiceField(label="来源", choices=[("", "—— 请选择 ——"), *Source.choices])
    title = forms.CharField(label="事项名称", max_length=300)
    requirement = forms.CharField(
        label="工作要求", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    lead_unit = UnitField(label="牵头单位", queryset=Unit.objects.none())
    co_units = UnitsField(
        label="配合单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "pick-many"}),
        help_text="点击即选中或取消，可输入名称筛选。",
    )
    responsible_leader = LeaderField(label="责任领导", queryset=User.objects.none())
    deadline = forms.DateField(
        label="办结时限",
        widget=DATE_INPUT,
        required=False,
        help_text="网络诉求不填时按答复时限自动计算（立项后若干个工作日）。",
    )
    report_cadence = forms.ChoiceField(
        label="报送周期", choices=Cadence.choices, initial=Cadence.MONTHLY
    )
    report_day = forms.IntegerField(
        label="报送日",
        min_value=1,
        max_value=31,
        initial=25,
        help_text="每月（每季度末月）几日前报送；每周报送的填星期几（1–5）。",
    )
    classification = forms.TypedChoiceField(
        label="密级", coerce=int, choices=Clearance.choices, initial=Clearance.NONE
    )
    milestones = forms.CharField(
        label="节点目标",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-06-30 完成立项审批"}),
        help_text="可不填。每行一个：完成时限在前，内容在后，如“2026-12-31 完成主体工程”。",
    )
    source_label = forms.CharField(
        label="来源文件",
        max_length=300,
        required=False,
        help_text="如“市政府常务会议纪要 2026年第12期 第3项”。",
    )
    source_url = forms.CharField(
        label="来源链接",
        max_length=300,
        required=False,
        help_text="本系统内的地址（以 / 开头）或 http(s):// 网址。",
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        units = responsible_units()
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["responsible_leader"].queryset = active_leaders()
        self.fields["classification"].choices = [
            (value, label) for value, label in Clearance.choices if value <= actor.clearance
        ]

    def clean_milestones(self):
        return parse_milestones(self.cleaned_data["milestones"])

    def clean_source_url(self):
        url = self.cleaned_data["source_url"].strip()
        if url and not (url.startswith("/") and not url.startswith("//")):
            if not re.match(r"^https?://[^\s]+$", url):
                raise forms.ValidationError(
                    "来源链接应为本系统内的地址（以 / 开头）或 http(s):// 网址。"
                )
        return url

    def clean(self):
        data = super().clean()
        if not data.get("deadline") and data.get("source") != Source.PUBLIC_APPEAL:
            self.add_error("deadline", "请填写办结时限。")
        return data

    def plan(self):
        data = self.cleaned_data
        return ItemPlan(
            title=data["title"],
            source=data["source"],
            lead_unit=data["lead_unit"],
            responsible_leader=data["responsible_leader"],
            deadline=data["deadline"],
            requirement=data["requirement"],
            co_units=tuple(data["co_units"]),
            milestones=tuple(data["milestones"]),
            report_cadence=data["report_cadence"],
            report_day=data["report_day"],
            classification=data["classification"],
            source_label=data["source_label"].strip(),
            source_url=data["source_url"],
        )


# --- the item's steps --------------------------------------------------------------------------


class StepForm(forms.Form):
    """A step's form on the item's page; it is given the item (for choices that depend on it)."""

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item


class ConfirmForm(StepForm):
    """A step that needs nothing more than the click."""


class AssignForm(StepForm):
    message = forms.CharField(
        label="交办意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="可不填；随交办通知发给牵头单位和配合单位。",
    )


class UrgeForm(StepForm):
    message = forms.CharField(
        label="催办内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="以加急通知发给牵头单位承办人和负责人，并记入催办记录。",
    )


class CloseForm(StepForm):
    opinion = forms.CharField(
        label="核验意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(StepForm):
    """退回 / 中止督办: the reason is required (the workflow refuses an empty one too)."""

    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class SendBackForm(ReasonForm):
    reason = forms.CharField(
        label="退回理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明未达到销号条件之处，牵头单位据此继续办理。",
    )


class SuspendForm(ReasonForm):
    reason = forms.CharField(label="中止原因", widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(StepForm):
    other = forms.IntegerField(widget=forms.HiddenInput)


class MilestoneField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.due_on:%Y-%m-%d} {obj.title}"


class ReportForm(StepForm):
    """进展反馈: text, progress in percent and/or a milestone reached, files."""

    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.IntegerField(
        label="进度（%）",
        min_value=0,
        max_value=100,
        required=False,
        help_text="可不填；不填则沿用上次进度。",
    )
    milestone = MilestoneField(
        label="完成节点目标", queryset=None, required=False, empty_label="—— 无 ——"
    )
    files = MultipleFileField(label="附件", help_text=FILE_HELP)

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, item=item, **kwargs)
        unreached = [m.pk for m in item.milestones.all() if m.reached_on is None] if item else []
        if unreached:
            self.fields["milestone"].queryset = Milestone.objects.filter(pk__in=unreached)
        else:
            del self.fields["milestone"]


class CompletionForm(StepForm):
    """申请办结 with the evidence (佐证材料); without files it is flagged to the supervisor."""

    text = forms.CharField(
        label="办结情况", widget=forms.Textarea(attrs={"rows": 4}), help_text="说明完成情况。"
    )
    files = MultipleFileField(
        label="佐证材料", help_text="未附佐证材料的办结申请将提示督查室。" + FILE_HELP
    )


class ExtensionForm(StepForm):
    deadline = forms.DateField(label="申请延至", widget=DATE_INPUT)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(forms.Form):
    """单位负责人审核 a report, 责任领导审批 an extension: the opinion (required for 退回 /
    不同意, which the workflow enforces)."""

    opinion = forms.CharField(
        label="意见",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
