"""建议提案 forms of the items' pages: the list's filter bar, 批量交办, and the item's steps. Input
checks only: who may, when, and what a step needs (a contact before the reply …) are
proposals/workflow.py's, whose refusals come back on these forms."""

from django import forms
from django.utils import timezone

from office.calendar import Light
from office.forms import DATE_INPUT, TickedIdsField, UnitField, UnitFilterChoices, UnitsField
from office.models import Unit
from office.selectors import responsible_units

from .lights import LIGHT_LABELS
from .models import Contact, Proposal, Rating, Session

IN_HAND = "in_hand"
KEYWORD_LENGTH = 100


def _all(label, choices):
    return [("", label), *choices]


class SessionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProposalFilterForm(forms.Form):
    """The list's filters; a value it cannot use is named and left out."""

    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=KEYWORD_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "标题、编号或领衔人", "maxlength": 100}
        ),
    )
    session = SessionField(
        label="届次", required=False, queryset=Session.objects.all(), empty_label="全部届次"
    )
    kind = forms.ChoiceField(
        label="类别", required=False, choices=_all("全部类别", Proposal.Kind.choices)
    )
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=_all("全部状态", [(IN_HAND, "在办（未答复）"), *Proposal.State.choices]),
    )
    lead_unit = forms.ModelChoiceField(
        label="主办单位", required=False, queryset=Unit.objects.all()
    )
    is_key = forms.ChoiceField(
        label="重点", required=False, choices=[("", "全部"), ("1", "重点"), ("0", "非重点")]
    )
    category = forms.ChoiceField(label="分类", required=False)
    light = forms.ChoiceField(
        label="灯",
        required=False,
        choices=_all(
            "全部",
            [(light, LIGHT_LABELS[light]) for light in (Light.RED, Light.YELLOW, Light.GREEN)],
        ),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].choices = UnitFilterChoices()
        self.fields["category"].choices = _all("全部分类", [(c, c) for c in categories])

    def filters(self):
        """The usable filters: every field that validated and has a value."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


# --- 批量交办 ---------------------------------------------------------------------------------

BULK_LIMIT = 200


def _units_fields(form, lead_label="主办单位", co_label="会办单位"):
    units = responsible_units().order_by("sort_order", "id")
    form.fields["lead_unit"] = UnitField(
        label=lead_label,
        queryset=units,
        empty_label="—— 请选择 ——",
        error_messages={"required": "请选择主办单位。"},
    )
    form.fields["co_units"] = UnitsField(
        label=co_label,
        queryset=units,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5, "class": "pick-many"}),
        help_text="可多选，可不选；与主办单位相同的会自动去掉。",
    )


class BulkAssignForm(forms.Form):
    """批量交办 the ticked items to one lead unit (主办) and its co-units (会办)."""

    items = TickedIdsField(
        label="建议提案",
        required=False,
        error_messages={"invalid": "所选建议提案无效，请刷新页面后重新勾选。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _units_fields(self)

    def clean(self):
        data = super().clean()
        ids = data.get("items")
        if ids is not None and not ids:
            self.add_error("items", "请先勾选要交办的建议提案。")
        elif ids and len(ids) > BULK_LIMIT:
            self.add_error("items", f"一次最多交办 {BULK_LIMIT} 件，请分批操作。")
        return data


# --- the item's steps --------------------------------------------------------------------------


class StepForm(forms.Form):
    """A step's form on the item's page; it is given the item (for choices that depend on it)."""

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal


class ConfirmForm(StepForm):
    """A step that needs nothing more than the click."""


class AssignForm(StepForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _units_fields(self)


class ApproveReassignmentForm(StepForm):
    opinion = forms.CharField(
        label="审核意见", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _units_fields(self, lead_label="调整后的主办单位", co_label="调整后的会办单位")
        self.order_fields(["lead_unit", "co_units", "opinion"])
        pending = getattr(self.proposal, "pending_request", None)
        if pending is not None and pending.suggested_unit_id:
            self.fields["lead_unit"].initial = pending.suggested_unit_id


class OpinionForm(StepForm):
    """不同意调整 / 退回答复: the reason is required (the workflow refuses an empty one too)."""

    opinion = forms.CharField(
        label="意见", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectReassignmentForm(OpinionForm):
    opinion = forms.CharField(
        label="不同意调整的理由",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "不同意调整须说明理由。"},
    )


class ReturnReplyForm(OpinionForm):
    opinion = forms.CharField(
        label="退回意见",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "退回须填写意见。"},
    )


class ReassignmentRequestForm(StepForm):
    reason = forms.CharField(
        label="申请理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请说明申请调整的理由。"},
    )
    suggested_unit = UnitField(
        label="建议承办单位", queryset=Unit.objects.none(), required=False, empty_label="—— 不填 ——"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = responsible_units().order_by("sort_order", "id")
        if self.proposal is not None and self.proposal.lead_unit_id:
            units = units.exclude(pk=self.proposal.lead_unit_id)
        self.fields["suggested_unit"].queryset = units


class ContactForm(StepForm):
    contacted_on = forms.DateField(
        label="联系日期",
        widget=DATE_INPUT,
        error_messages={"required": "请填写联系日期。", "invalid": "请按“年-月-日”填写日期。"},
    )
    way = forms.ChoiceField(
        label="联系方式",
        choices=_all("—— 请选择 ——", Contact.Way.choices),
        error_messages={"required": "请选择联系方式。"},
    )
    people = forms.CharField(
        label="参加人员",
        max_length=200,
        help_text="双方参加人员，如“张代表；市教育局王处长”。",
        error_messages={"required": "请填写参加人员。"},
    )
    content = forms.CharField(
        label="沟通内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写沟通内容。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()


class DraftReplyForm(StepForm):
    """拟答复函: the class from the session's set (A/B/C …) and the body, started from the class's
    template (proposals.reply_templates)."""

    reply_class = forms.ChoiceField(
        label="答复分类", error_messages={"required": "请选择答复分类。"}
    )
    body = forms.CharField(
        label="答复内容",
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "请填写答复内容。"},
    )
    contact_person = forms.CharField(label="联系人", max_length=30, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes = self.proposal.session.reply_classes if self.proposal is not None else []
        self.fields["reply_class"].choices = _all(
            "—— 请选择 ——", [(c["code"], f"{c['code']}类：{c['label']}") for c in classes]
        )


class CoOpinionForm(StepForm):
    text = forms.CharField(
        label="会办意见",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="送主办单位；主办单位提交答复前可以修改。",
        error_messages={"required": "请填写会办意见。"},
    )


class RatingForm(StepForm):
    """录入评价 from the proposer's returned form (办公室据反馈表录入)."""

    attitude = forms.ChoiceField(
        label="办理态度",
        choices=Rating.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请对办理态度作出评价。"},
    )
    result = forms.ChoiceField(
        label="办理结果",
        choices=Rating.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请对办理结果作出评价。"},
    )
    remarks = forms.CharField(
        label="意见和建议", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
