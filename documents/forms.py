"""收文 forms: input checks only; the rules live in workflow.py and services.py."""

import datetime

from django import forms
from django.utils import timezone

from office.forms import LeadersField, MultipleFileField, UnitField, UnitsField
from office.models import Clearance, Unit, Urgency, User
from office.permissions import scope_for
from office.selectors import active_leaders, responsible_units

from .models import DocType, HandlingPolicy, IncomingDocument, Sender
from .services import Registration

ATTACHMENT_HELP = "扫描件、PDF、OFD、Word 或图片，可多选；按文件内容识别类型。"


class RegistrationForm(forms.Form):
    """登记 from the keyboard: the fields in the order the paper in hand shows them."""

    sender_name = forms.CharField(
        label="来文单位",
        max_length=100,
        widget=forms.TextInput(attrs={"list": "sender-names", "autocomplete": "off"}),
        help_text="输入关键字从已有单位中选择；新单位直接输入全称。",
    )
    sender_level = forms.ChoiceField(
        label="来文层级",
        choices=Sender.Level.choices,
        initial=Sender.Level.LOWER,
        help_text="仅对新来文单位生效。",
    )
    sender_number = forms.CharField(label="来文字号", max_length=60, required=False)
    title = forms.CharField(label="标题", max_length=300)
    doc_type = forms.ChoiceField(label="文种", choices=DocType.choices, initial=DocType.NOTICE)
    kind = forms.ChoiceField(
        label="办件/阅件",
        choices=IncomingDocument.Kind.choices,
        initial=IncomingDocument.Kind.ACTION,
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    classification = forms.TypedChoiceField(
        label="密级", coerce=int, choices=Clearance.choices, initial=Clearance.NONE
    )
    secrecy_period = forms.CharField(
        label="保密期限", max_length=20, required=False, help_text="如“1年”“长期”，非密件不填。"
    )
    copies = forms.IntegerField(label="份数", min_value=1, max_value=9999, initial=1)
    pages = forms.IntegerField(label="页数", min_value=1, max_value=9999, initial=1)
    received_on = forms.DateField(
        label="收文日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    channel = forms.ChoiceField(
        label="来文方式",
        choices=IncomingDocument.Channel.choices,
        initial=IncomingDocument.Channel.PAPER,
    )
    remarks = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = MultipleFileField(label="附件", help_text=ATTACHMENT_HELP)
    confirm_duplicate = forms.BooleanField(
        label="我已核对，这不是重复登记", required=False, widget=forms.CheckboxInput
    )

    def __init__(self, *args, user, with_files=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        clearance = scope_for(user).clearance
        self.fields["classification"].choices = [
            (value, label) for value, label in Clearance.choices if value <= clearance
        ]
        if not with_files:
            del self.fields["attachments"]
            del self.fields["confirm_duplicate"]

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("收文日期不能晚于今天。")
        if day < timezone.localdate() - datetime.timedelta(days=366):
            raise forms.ValidationError("收文日期早于一年前，请核对。")
        return day

    def clean(self):
        data = super().clean()
        if data.get("classification") and not data.get("secrecy_period", "").strip():
            self.add_error("secrecy_period", "涉密文件请填写保密期限。")
        return data

    def registration(self):
        data = self.cleaned_data
        return Registration(
            sender_name=data["sender_name"],
            sender_level=data["sender_level"],
            sender_number=data["sender_number"],
            title=data["title"],
            doc_type=data["doc_type"],
            kind=data["kind"],
            classification=data["classification"],
            secrecy_period=data["secrecy_period"],
            urgency=data["urgency"],
            copies=data["copies"],
            pages=data["pages"],
            received_on=data["received_on"],
            channel=data["channel"],
            remarks=data["remarks"],
        )

    @classmethod
    def initial_from(cls, document):
        return {
            "sender_name": document.sender_name,
            "sender_level": document.sender_level,
            **{
                name: getattr(document, name)
                for name in (
                    "sender_number",
                    "title",
                    "doc_type",
                    "kind",
                    "urgency",
                    "classification",
                    "secrecy_period",
                    "copies",
                    "pages",
                    "received_on",
                    "channel",
                    "remarks",
                )
            },
        }


# --- the steps' forms -------------------------------------------------------------------------


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    opinion = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class ProposeForm(forms.Form):
    opinion = forms.CharField(
        label="拟办意见",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：拟请××副市长阅示，由市××局牵头办理。",
    )
    leaders = LeadersField(
        label="呈送领导", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    parallel = forms.BooleanField(
        label="同时呈送（并行批示）",
        required=False,
        help_text="不勾选时按职务由低到高依次呈送，前一位领导批示后再送下一位；"
        "送副市长的件先经其联线副秘书长（联线领导服务制）。",
    )
    lead_unit = UnitField(label="拟主办单位", queryset=Unit.objects.none(), required=False)
    co_units = UnitsField(
        label="拟协办单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="可多选（按住 Ctrl 点选）；不要再选主办单位。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = active_leaders()
        self.fields["lead_unit"].queryset = responsible_units()
        self.fields["co_units"].queryset = responsible_units()


class InstructForm(forms.Form):
    instruction = forms.CharField(label="批示意见", widget=forms.Textarea(attrs={"rows": 3}))
    to_supervise = forms.BooleanField(
        label="转为督办事项（领导批示件，由督查室立项督办）", required=False
    )
    change_units = forms.BooleanField(label="指定或调整承办单位", required=False)
    lead_unit = UnitField(label="主办单位", queryset=Unit.objects.none(), required=False)
    co_units = UnitsField(
        label="协办单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="可多选（按住 Ctrl 点选）；不要再选主办单位。",
    )
    further_leaders = LeadersField(
        label="再呈其他领导",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    parallel = forms.BooleanField(label="同时呈送（并行）", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = responsible_units()
        self.fields["co_units"].queryset = responsible_units()
        self.fields["further_leaders"].queryset = active_leaders().exclude(pk=user.pk)

    def clean(self):
        data = super().clean()
        if data.get("change_units") and not data.get("lead_unit"):
            self.add_error("lead_unit", "指定承办单位时请选择主办单位。")
        return data


class AssignForm(forms.Form):
    lead_unit = UnitField(label="主办单位", queryset=Unit.objects.none())
    co_units = UnitsField(
        label="协办单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="可多选（按住 Ctrl 点选）；不要再选主办单位。",
    )
    deadline = forms.DateField(
        label="办理期限",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="默认按紧急程度计算工作日（特急、加急、平件），可调整。",
    )
    co_deadline = forms.DateField(
        label="协办期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="协办单位向主办单位反馈意见的期限；不填则与办理期限相同。",
    )
    opinion = forms.CharField(
        label="交办意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = responsible_units()
        self.fields["co_units"].queryset = responsible_units()

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day < timezone.localdate():
            raise forms.ValidationError("办理期限不能早于今天。")
        return day

    def clean(self):
        data = super().clean()
        deadline, co_deadline = data.get("deadline"), data.get("co_deadline")
        if deadline and co_deadline and co_deadline > deadline:
            self.add_error("co_deadline", "协办期限不能晚于办理期限。")
        if co_deadline and co_deadline < timezone.localdate():
            self.add_error("co_deadline", "协办期限不能早于今天。")
        return data


class CirculateForm(forms.Form):
    leaders = LeadersField(
        label="传阅领导", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    parallel = forms.BooleanField(
        label="同时传阅（并行）", required=False, help_text="不勾选时按所列顺序依次传阅。"
    )
    opinion = forms.CharField(
        label="传阅说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = active_leaders()


class InitialForm(forms.Form):
    remark = forms.CharField(
        label="批注（可不填）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResultForm(forms.Form):
    result = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label="办理结果材料", help_text=ATTACHMENT_HELP)


class ProgressForm(forms.Form):
    text = forms.CharField(label="办理进展", widget=forms.Textarea(attrs={"rows": 2}))


class UrgeForm(forms.Form):
    message = forms.CharField(
        label="催办内容",
        widget=forms.Textarea(attrs={"rows": 2}),
        initial="请抓紧办理，按期报送办理结果。",
    )


class UploadForm(forms.Form):
    files = MultipleFileField(label="添加附件", help_text=ATTACHMENT_HELP)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("请选择要上传的文件。")
        return files


class HandlingPolicyForm(forms.ModelForm):
    class Meta:
        model = HandlingPolicy
        fields = [
            "extra_urgent_days",
            "urgent_days",
            "normal_days",
            "warning_days",
            "escalate_after_days",
            "registration_pattern",
            "max_attachment_mb",
        ]

    def clean_registration_pattern(self):
        from office.numbering import format_number

        pattern = self.cleaned_data["registration_pattern"]
        try:
            sample = format_number(pattern, key="收文", year=2026, number=153)
        except (KeyError, IndexError, ValueError):
            raise forms.ValidationError(
                "格式无效：只能使用 {year} 和 {number}（可写成 {number:04d}）。"
            ) from None
        if "153" not in sample:
            raise forms.ValidationError("格式中须包含序号 {number}。")
        return pattern

    def clean(self):
        data = super().clean()
        for name in ("extra_urgent_days", "urgent_days", "normal_days"):
            if data.get(name) == 0:
                self.add_error(name, "办理期限至少为 1 个工作日。")
        return data
