"""Forms of the office core's administration pages: input checks only (STYLE.md). The rules —
三员分立, unit tree, password policy, calendar — are enforced by office.services, whose
ValidationErrors `add_service_errors` puts back on the form next to the field they concern."""

from django import forms
from django.contrib.contenttypes.models import ContentType

from . import selectors
from .models import CalendarOverride, SecurityPolicy, Unit, User
from .roles import Role

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

ROLE_HELP = (
    "三员分立：系统管理员、安全管理员、审计管理员三者只能选其一，且不能兼任秘书、领导、督查员、"
    "承办人、单位负责人等业务角色。"
)


def add_service_errors(form, exc, rename=None):
    """Show a service's refusal on the form: keyed errors next to their field when the form has
    it, everything else at the top of the form."""
    rename = rename or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            name = rename.get(name, name)
            target = name if name in form.fields and not form.fields[name].disabled else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class UnitChoiceField(forms.ModelChoiceField):
    """Units as a select in tree order, indented by depth. Only active units are offered,
    plus `keep` (the current value, so an old record stays editable)."""

    def __init__(self, *, units, keep=None, **kwargs):
        ids = [unit.pk for unit in units]
        if keep is not None and keep.pk not in ids:
            units = [*units, keep]
            keep.depth = 0
            ids.append(keep.pk)
        super().__init__(queryset=Unit.objects.filter(pk__in=ids), **kwargs)
        self.choices = [("", "—— 请选择 ——")] + [
            (unit.pk, "　" * unit.depth + unit.name + ("" if unit.is_active else "（已停用）"))
            for unit in units
        ]


# --- fields every duty's forms use ---------------------------------------------------------------


class UnitField(forms.ModelChoiceField):
    """A unit by its full name (the queryset is set by the form)."""

    def label_from_instance(self, obj):
        return obj.name


class UnitsField(forms.ModelMultipleChoiceField):
    """Several units by their full names."""

    def label_from_instance(self, obj):
        return obj.name


def leader_label(obj):
    return f"{obj.real_name}（{obj.title}）" if obj.title else obj.real_name


class LeaderField(forms.ModelChoiceField):
    """A leader as 「姓名（职务）」."""

    def label_from_instance(self, obj):
        return leader_label(obj)


class LeadersField(forms.ModelMultipleChoiceField):
    """Several leaders as 「姓名（职务）」."""

    def label_from_instance(self, obj):
        return leader_label(obj)


class UnitFilterChoices:
    """The choices of a filter bar's unit select: 「全部单位」, then the unit tree by short name,
    indented by depth. Read once, and only when something asks for them (the select is drawn, or
    a value is validated) — not for an htmx request that redraws only the results. Set an
    instance as a ChoiceField's `choices`."""

    def __init__(self):
        self._choices = None

    def __call__(self):
        if self._choices is None:
            self._choices = [("", "全部单位")] + [
                (unit.pk, "　" * unit.depth + unit.short_name) for unit in selectors.unit_choices()
            ]
        return self._choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


# --- units -------------------------------------------------------------------------------------


# The years a filter accepts (a year typed into the address bar outside them is no year).
YEARS = (2000, 2100)


class TickedIdsField(forms.Field):
    """The ticked rows' ids (checkboxes named `items`) of a list's bulk action: sorted, each
    once; anything but whole numbers is refused with the `invalid` message."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "所选事项无效，请刷新页面后重新勾选。"}

    def to_python(self, value):
        try:
            return sorted({int(v) for v in value or ()})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class YearFilterForm(forms.Form):
    """A statistics page's filter bar whose `year` select (declared by the page's form) offers
    the years given, and a year typed into the address bar if it is a year at all; this year by
    default."""

    def __init__(self, *args, years, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        asked = self._asked_year()
        years = sorted({*years, *([asked] if asked else [])}, reverse=True)
        self.fields["year"].choices = [(year, f"{year}年") for year in years]
        self.fields["year"].initial = today.year

    def _asked_year(self):
        """A year typed into the address bar is offered too, if it is a year at all."""
        value = (self.data.get("year") or "").strip() if self.is_bound else ""
        if value.isascii() and value.isdigit() and YEARS[0] <= int(value) <= YEARS[1]:
            return int(value)
        return None


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "parent", "code", "header_text", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance if self.instance.pk else None
        self.fields["parent"] = UnitChoiceField(
            units=selectors.unit_choices(exclude=instance),
            keep=instance.parent if instance else None,
            required=False,
            label="上级单位",
            help_text="不选则为顶层单位。",
        )


# --- people ------------------------------------------------------------------------------------


class UserForm(forms.ModelForm):
    """One page for a person: profile, unit, clearance, roles, portfolio and liaison."""

    roles = forms.MultipleChoiceField(
        label="角色",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=ROLE_HELP,
    )

    field_order = [
        "username",
        "real_name",
        "unit",
        "title",
        "roles",
        "clearance",
        "phone",
        "email",
        "portfolio",
        "liaison",
        "leader_order",
        "oversees_all",
    ]

    class Meta:
        model = User
        fields = [
            "real_name",
            "unit",
            "title",
            "phone",
            "email",
            "clearance",
            "portfolio",
            "liaison",
            "leader_order",
            "oversees_all",
        ]

    def __init__(self, *args, editing_self=False, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance if self.instance.pk else None
        self.fields["unit"] = UnitChoiceField(
            units=selectors.unit_choices(),
            keep=instance.unit if instance else None,
            required=False,
            label="所在单位",
        )
        self.fields["liaison"].queryset = selectors.liaison_candidates(exclude=instance)
        self.fields["liaison"].empty_label = "—— 无 ——"
        self.fields["email"].label = "电子邮箱"
        self.fields["email"].help_text = "用于接收待办通知。"
        self.fields["phone"].help_text = "特急事项以短信提醒。"
        if instance is not None:
            self.fields["roles"].initial = selectors.role_codes_of(instance)
        if editing_self:
            for name in ("roles", "clearance"):
                self.fields[name].disabled = True
                self.fields[
                    name
                ].help_text = "不能修改自己的角色和涉密等级，请由另一名安全管理员办理。"

    def profile(self):
        """The cleaned profile fields, as office.services.user_update takes them."""
        return {
            name: self.cleaned_data[name] for name in UserForm.Meta.fields if name != "clearance"
        }


class UserCreateForm(UserForm):
    password1 = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        help_text="须符合安全策略；用户首次登录时须修改。",
    )
    password2 = forms.CharField(
        label="确认初始密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )

    class Meta(UserForm.Meta):
        fields = ["username", *UserForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = "登录用的账号名：字母、数字和 @ . + - _。"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return cleaned


class ResetPasswordForm(forms.Form):
    password = forms.CharField(
        label="临时密码",
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="留空则由系统生成；用户下次登录时须修改。",
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label="姓名或用户名", required=False, max_length=50)
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.all(), required=False)
    role = forms.ChoiceField(
        label="角色", required=False, choices=[("", "全部角色"), *Role.choices]
    )
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("active", "在用"), ("inactive", "已停用"), ("all", "全部")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部单位")] + [
            (unit.pk, "　" * unit.depth + unit.short_name) for unit in selectors.unit_tree()
        ]


# --- security policy and calendar --------------------------------------------------------------


class SecurityPolicyForm(forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = ["min_length", "required_classes", "max_age_days", "idle_minutes"]


class CalendarOverrideForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE_INPUT)
    is_working_day = forms.TypedChoiceField(
        label="设为",
        choices=[("1", "工作日（上班）"), ("0", "休息日")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=CalendarOverride._meta.get_field("note").max_length,
        help_text="如“春节”“国庆节调休上班”。",
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2004, max_value=2100)


# --- the trail ---------------------------------------------------------------------------------


class TrailFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False, max_length=60)
    action = forms.ChoiceField(label="动作", required=False)
    date_from = forms.DateField(label="起始日期", required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label="截止日期", required=False, widget=DATE_INPUT)
    content_type = forms.TypedChoiceField(label="对象类型", required=False, coerce=int)
    outcome = forms.ChoiceField(
        label="结果",
        required=False,
        choices=[("", "全部"), ("success", "成功"), ("failure", "失败")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部动作")] + [
            (code, f"{label}（{code}）") for code, label in selectors.trail_actions()
        ]
        self.fields["content_type"].choices = [("", "全部类型")] + [
            (ct.pk, f"{ct.name}") for ct in selectors.trail_content_types()
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return cleaned

    def filters(self):
        """The cleaned filters as office.selectors.trail_list takes them."""
        data = dict(self.cleaned_data)
        content_type = data.pop("content_type", None)
        data["content_type"] = (
            ContentType.objects.get_for_id(content_type) if content_type else None
        )
        return data
