"""办会 forms: input checks only; the rules live in workflow.py and services.py."""

from django import forms

from office.forms import MultipleFileField
from office.models import Unit, User
from office.roles import Role
from office.selectors import active_leaders

from .models import MeetingType, Room, Topic
from .services import TopicSubmission

MATERIAL_HELP = "请示、方案、起草说明、征求意见汇总等，可多选；PDF、OFD、Word、图片或扫描件，按文件内容识别类型。"
PICK_MANY = {"size": 8, "class": "pick-many"}


def _consulted_units():
    """Units that may be asked for a 会前协调 opinion: the departments, districts and enterprises."""
    return (
        Unit.objects.filter(is_active=True)
        .exclude(kind__in=(*Unit.INTERNAL_KINDS, Unit.Kind.HIGHER))
        .order_by("sort_order", "id")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.real_name}（{obj.title}）" if obj.title else obj.real_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        unit = obj.unit.short_name if obj.unit_id else ""
        return f"{obj.real_name}（{unit}）" if unit else obj.real_name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TopicForm(forms.Form):
    """提请议题: what the unit asks the meeting to decide, for which meeting, who reports it."""

    title = forms.CharField(label="议题名称", max_length=200)
    meeting_type = forms.ModelChoiceField(
        label="拟提交会议", queryset=MeetingType.objects.filter(is_active=True)
    )
    reporting_leader = PersonChoiceField(
        label="汇报领导", queryset=User.objects.none(), help_text="分管该项工作的市政府领导。"
    )
    summary = forms.CharField(
        label="议题说明",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="提请审议的事项、依据和建议。",
    )
    materials = MultipleFileField(label="议题材料", help_text=MATERIAL_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporting_leader"].queryset = active_leaders()

    def submission(self):
        data = self.cleaned_data
        return TopicSubmission(
            title=data["title"],
            meeting_type=data["meeting_type"],
            reporting_leader=data["reporting_leader"],
            summary=data["summary"],
        )


# --- the steps on a topic's page --------------------------------------------------------------


class ConfirmForm(forms.Form):
    """A step that needs nothing more than the click."""


class CoordinateForm(forms.Form):
    units = UnitsChoiceField(
        label="征求意见单位",
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs=PICK_MANY),
        help_text="点击即选中或取消，可输入名称筛选。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _consulted_units()


class OpinionForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label="意见",
        choices=[("yes", "同意"), ("no", "不同意")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label="具体意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不同意时须写明理由。",
    )


class FinishCoordinationForm(forms.Form):
    disagreements = forms.CharField(
        label="分歧意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="有单位不同意的，须如实记录分歧意见。",
    )


class LegalReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="审查结论", choices=Topic.LegalOpinion.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(label="审查意见", widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="撤回理由", widget=forms.Textarea(attrs={"rows": 2}))


class MaterialsForm(forms.Form):
    files = MultipleFileField(label="补充材料", help_text=MATERIAL_HELP)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("请选择要上传的议题材料。")
        return files


# --- 议题库 filters ----------------------------------------------------------------------------


class PoolFilterForm(forms.Form):
    meeting_type = forms.ModelChoiceField(
        label="拟提交会议", queryset=MeetingType.objects.all(), required=False, empty_label="全部"
    )
    unit = forms.ModelChoiceField(
        label="提请单位", queryset=Unit.objects.none(), required=False, empty_label="全部"
    )
    leader = PersonChoiceField(
        label="汇报领导", queryset=User.objects.none(), required=False, empty_label="全部"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by(
            "sort_order", "id"
        )
        self.fields["leader"].queryset = active_leaders()

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v is not None}


# --- 办会设置 ---------------------------------------------------------------------------------


class MeetingTypeForm(forms.ModelForm):
    """Input checks only; meetings.services.meeting_type_save writes it."""

    default_presider = PersonChoiceField(
        label="默认主持人", queryset=User.objects.none(), required=False
    )
    members = PeopleChoiceField(
        label="组成人员",
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs=PICK_MANY),
        help_text="点击即选中或取消，可输入姓名筛选。",
    )

    class Meta:
        model = MeetingType
        fields = [
            "name",
            "kind",
            "minutes_title",
            "default_presider",
            "members",
            "sort_order",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_presider"].queryset = active_leaders()
        self.fields["members"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(groups__name__in=[Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
            .select_related("unit")
            .order_by("leader_order", "id")
        )

    def validate_unique(self):
        """The service checks the name (and says so in Chinese)."""


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "location", "capacity", "is_active"]

    def validate_unique(self):
        """The service checks the name (and says so in Chinese)."""


class LegalAdvisersForm(forms.Form):
    advisers = PeopleChoiceField(
        label="法律顾问",
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs=PICK_MANY),
        help_text="所选人员负责议题的合法性审查；取消选择即停止，已作的审查保留。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisers"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(groups__name__in=[Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
            .select_related("unit")
            .order_by("unit__sort_order", "id")
        )
