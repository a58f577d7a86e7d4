"""发文 forms: input checks only; the rules live in workflow/outgoing.py and services.py."""

import re

from django import forms
from django.core.exceptions import ValidationError

from office.forms import UnitField, UnitsField
from office.models import Clearance, Unit, Urgency
from office.numbering import DEFAULT_PATTERN, format_number
from office.permissions import scope_for

from .models import Direction, NumberFamily, Seal
from .models.outgoing import OUTGOING_DOC_TYPES
from .services import Draft

UPWARD_TYPES = {"request", "report"}
COPY_NUMBER = re.compile(r"^\d{6}$")


def _recipient_units():
    return Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.SECTION)


def _grouped_units():
    """The units by kind (上级机关, 区政府, 市直部门 …) for the pickers' option groups."""
    groups = {}
    for unit in _recipient_units().order_by("sort_order", "id"):
        groups.setdefault(unit.get_kind_display(), []).append((unit.pk, unit.name))
    return list(groups.items())


class DraftForm(forms.Form):
    """起草 / 修改: the particulars in the order of the printed page, then the text."""

    doc_type = forms.ChoiceField(label="文种", choices=OUTGOING_DOC_TYPES, initial="notice")
    issuing_unit = UnitField(
        label="发文机关",
        queryset=Unit.objects.none(),
        help_text="机关代字和红头文字取自发文机关。",
    )
    direction = forms.ChoiceField(
        label="行文方向",
        choices=Direction.choices,
        initial=Direction.DOWNWARD,
        help_text="上行文（请示、报告）在发文字号右侧印签发人。",
    )
    main_recipients = UnitsField(
        label="主送机关",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10, "class": "pick-many"}),
        help_text="点击即选中或取消，可输入名称筛选。",
    )
    addressee_text = forms.CharField(
        label="主送机关（印制文字）",
        max_length=200,
        required=False,
        help_text="主送单位较多时可写统称，如“各区人民政府，市政府各部门、各直属机构”；留空则印所选单位全称。",
    )
    cc_recipients = UnitsField(
        label="抄送机关",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10, "class": "pick-many"}),
        help_text="点击即选中或取消，可输入名称筛选。",
    )
    classification = forms.TypedChoiceField(
        label="密级", coerce=int, choices=Clearance.choices, initial=Clearance.NONE
    )
    secrecy_period = forms.CharField(
        label="保密期限", max_length=20, required=False, help_text="如“1年”“10年”“长期”。"
    )
    copy_number = forms.CharField(
        label="份号", max_length=6, required=False, help_text="涉密公文填写，6 位数字，如 000001。"
    )
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(label="标题", max_length=300)
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace-cjk"}),
        help_text="每段一行；以“一、”“（一）”“1.”“（1）”开头的段落自动识别为各级标题。",
    )
    docx = forms.FileField(
        label="从 Word 文档导入正文",
        required=False,
        help_text="选择 .docx 文件后点“导入正文”，正文框中的内容将被替换，可再修改后保存。",
    )
    attachment_note = forms.CharField(
        label="附件说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="留空则按下方添加的附件自动生成。",
    )
    remarks = forms.CharField(
        label="附注", max_length=200, required=False, help_text="如“此件公开发布”。"
    )
    print_copies = forms.IntegerField(label="印制份数", min_value=1, max_value=10000, initial=1)
    printing_unit = UnitField(label="印发机关", queryset=Unit.objects.none(), required=False)
    note = forms.CharField(
        label="修改说明",
        max_length=200,
        required=False,
        help_text="说明本稿改了什么，审核人比对稿本时可见。",
    )

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        issuing = Unit.objects.filter(is_active=True).exclude(code="")
        self.fields["issuing_unit"].queryset = issuing
        self.fields["printing_unit"].queryset = Unit.objects.filter(is_active=True).filter(
            kind__in=Unit.INTERNAL_KINDS
        )
        for name in ("main_recipients", "cc_recipients"):
            self.fields[name].queryset = _recipient_units()
            self.fields[name].choices = _grouped_units()
        clearance = scope_for(user).clearance
        self.fields["classification"].choices = [
            (value, label) for value, label in Clearance.choices if value <= clearance
        ]
        if not editing:
            del self.fields["note"]
        if not self.is_bound and not self.initial.get("issuing_unit"):
            first = issuing.first()
            if first:
                self.initial["issuing_unit"] = first.pk
        if not self.is_bound and not self.initial.get("printing_unit"):
            office = Unit.objects.filter(is_active=True, kind=Unit.Kind.OFFICE).first()
            if office:
                self.initial["printing_unit"] = office.pk

    @classmethod
    def initial_from(cls, document):
        version = document.versions.order_by("-number").first()
        return {
            "doc_type": document.doc_type,
            "issuing_unit": document.issuing_unit_id,
            "direction": document.direction,
            "main_recipients": [u.pk for u in document.main_recipients.all()],
            "cc_recipients": [u.pk for u in document.cc_recipients.all()],
            "addressee_text": document.addressee_text,
            "classification": document.classification,
            "secrecy_period": document.secrecy_period,
            "copy_number": document.copy_number,
            "urgency": document.urgency,
            "title": version.title,
            "body": version.body,
            "attachment_note": version.attachment_note,
            "remarks": version.remarks,
            "print_copies": document.print_copies,
            "printing_unit": document.printing_unit_id,
        }

    def clean_copy_number(self):
        value = self.cleaned_data["copy_number"].strip()
        if value and not COPY_NUMBER.match(value):
            raise ValidationError("份号为 6 位阿拉伯数字，如 000001。")
        return value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("classification") and not data.get("secrecy_period", "").strip():
            self.add_error("secrecy_period", "涉密公文须填写保密期限。")
        if data.get("doc_type") in UPWARD_TYPES and data.get("direction") != Direction.UPWARD:
            self.add_error("direction", "请示、报告是上行文，请将行文方向选为“上行文”。")
        main = set(data.get("main_recipients") or ())
        both = main & set(data.get("cc_recipients") or ())
        if both:
            names = "、".join(u.name for u in both)
            self.add_error("cc_recipients", f"{names}已是主送机关，不必再抄送。")
        return data

    def check_body(self):
        if not (self.cleaned_data.get("body") or "").strip():
            self.add_error("body", "请填写正文，或从 Word 文档导入。")
            return False
        return True

    def draft(self):
        data = self.cleaned_data
        return Draft(
            doc_type=data["doc_type"],
            issuing_unit=data["issuing_unit"],
            direction=data["direction"],
            title=data["title"],
            body=data["body"],
            main_recipients=tuple(data["main_recipients"]),
            cc_recipients=tuple(data["cc_recipients"]),
            addressee_text=data["addressee_text"],
            classification=data["classification"],
            secrecy_period=data["secrecy_period"],
            copy_number=data["copy_number"],
            urgency=data["urgency"],
            attachment_note=data["attachment_note"],
            remarks=data["remarks"],
            print_copies=data["print_copies"],
            printing_unit=data["printing_unit"],
        )


class AttachmentForm(forms.Form):
    title = forms.CharField(label="附件名称", max_length=200)
    body = forms.CharField(
        label="附件正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="附件正文另起一页印制；也可只上传文件。",
    )
    file = forms.FileField(label="附件文件", required=False)


class SubmitForm(forms.Form):
    """送审: the co-signing units are named now and asked after the last review level."""

    co_sign_units = UnitsField(
        label="会签单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="需要其他单位会签时勾选（可不选）。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_sign_units"].queryset = Unit.objects.filter(is_active=True).exclude(
            kind__in=(Unit.Kind.HIGHER, Unit.Kind.OTHER)
        )


class SignOffForm(forms.Form):
    opinion = forms.CharField(
        label="签发意见",
        required=False,
        initial="同意印发。",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SealForm(forms.Form):
    seal = forms.ModelChoiceField(label="印章", queryset=Seal.objects.none())
    copies = forms.IntegerField(label="用印份数", min_value=1, max_value=10000)

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seal"].queryset = Seal.objects.filter(
            unit=document.issuing_unit, is_active=True
        )
        self.fields["seal"].empty_label = None
        self.initial.setdefault("copies", document.print_copies)


class DispatchForm(forms.Form):
    on_paper = forms.BooleanField(
        label="以纸质方式发送（机密级及以上公文只能纸质发送）", required=False
    )

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        if document.classification > Clearance.SECRET:
            self.initial["on_paper"] = True


class SealAdminForm(forms.Form):
    unit = UnitField(label="单位", queryset=Unit.objects.none())
    name = forms.CharField(label="印章名称", max_length=60, help_text="如“珠海市人民政府”。")
    image = forms.FileField(
        label="印模图片", required=False, help_text="透明背景的 PNG，2 MB 以内。"
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).exclude(code="")


# --- 发文设置 (system administrator) -----------------------------------------------------------


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        unit = obj.unit.short_name if obj.unit_id else ""
        return f"{obj.real_name}（{obj.title or unit}）" if (obj.title or unit) else obj.real_name


class LevelForm(forms.Form):
    level = forms.IntegerField(
        label="级次",
        min_value=1,
        max_value=9,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    label = forms.CharField(
        label="名称",
        max_length=30,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：科室核稿"}),
    )
    reviewers = ReviewerChoiceField(
        label="审核人",
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 5, "class": "form-select pick-many"}),
    )

    def __init__(self, *args, **kwargs):
        from office.models import User
        from office.roles import Role

        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = (
            User.objects.filter(is_active=True, groups__name__in=[Role.SECRETARY, Role.LEADER])
            .select_related("unit")
            .distinct()
            .order_by("unit__sort_order", "id")
        )


class RuleForm(forms.Form):
    family = forms.ChoiceField(
        label="文种类别",
        choices=NumberFamily.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    code = forms.CharField(
        label="机关代字",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：珠府办函"}),
    )
    pattern = forms.CharField(
        label="编号格式",
        max_length=60,
        initial=DEFAULT_PATTERN,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def has_changed(self):
        """A blank row is one without a 机关代字 (its select and pattern always carry a value)."""
        return bool((self["code"].value() or "").strip()) and super().has_changed()

    def clean_pattern(self):
        pattern = self.cleaned_data["pattern"].strip()
        try:
            sample = format_number(pattern, key="珠府", year=2026, number=12)
        except (KeyError, IndexError, ValueError):
            raise ValidationError(
                "编号格式只能使用 {key}（机关代字）、{year}（年份）、{number}（序号）三个占位符。"
            ) from None
        if "{number" not in pattern:
            raise ValidationError("编号格式须包含序号 {number}。")
        self.sample = sample
        return pattern


class _UniqueFormSet(forms.BaseFormSet):
    unique_field = ""
    duplicate_message = ""

    def rows(self):
        """The rows to keep: every existing row not marked 删除, and the new rows filled in."""
        kept = []
        for index, form in enumerate(self.forms):
            if index >= self.initial_form_count() and not form.has_changed():
                continue  # the blank row for a new entry, left blank
            if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                kept.append(form.cleaned_data)
        return kept

    def clean(self):
        if any(self.errors):
            return
        values = [row[self.unique_field] for row in self.rows()]
        if len(values) != len(set(values)):
            raise ValidationError(self.duplicate_message)


class LevelFormSet(_UniqueFormSet):
    unique_field = "level"
    duplicate_message = "审核级次不能重复。"

    def clean(self):
        super().clean()
        if any(self.errors) or self.non_form_errors():
            return
        levels = sorted(row["level"] for row in self.rows())
        if levels != list(range(1, len(levels) + 1)):
            raise ValidationError("审核级次须从 1 开始连续编号（1、2、3……）。")


class RuleFormSet(_UniqueFormSet):
    unique_field = "family"
    duplicate_message = "同一文种类别只能有一条编号规则。"


LevelForms = forms.formset_factory(LevelForm, formset=LevelFormSet, extra=1, can_delete=True)
RuleForms = forms.formset_factory(RuleForm, formset=RuleFormSet, extra=1, can_delete=True)
