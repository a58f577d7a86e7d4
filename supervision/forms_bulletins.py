"""督查通报 forms: input checks only. The rules (who may, when, which period, which leader, which
units) live in supervision/bulletins.py, whose refusals come back on these forms next to the
field they concern (office.forms.add_service_errors)."""

import datetime

from django import forms

from office.forms import DATE_INPUT, LeaderField, UnitsField
from office.models import Unit
from office.selectors import responsible_units

from .bulletins import signing_leaders
from .models import Bulletin


def previous_month(today):
    """The default period: the last whole month."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


class BulletinNewForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=Bulletin.Kind.choices, initial=Bulletin.Kind.BULLETIN
    )
    period_start = forms.DateField(label="统计起始日期", widget=DATE_INPUT)
    period_end = forms.DateField(
        label="统计截止日期",
        widget=DATE_INPUT,
        help_text="通报的各项数据截至此日；统计此期间在办的督办事项。",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "统计截止日期不能早于起始日期。")
        return data


class BulletinTextForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    opening = forms.CharField(
        label="导语",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="编者按或开头段落，印在“一、总体情况”之前；每段一行。",
    )
    good_examples = forms.CharField(
        label="工作成效和典型经验",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每段一行；可用“（一）”“1.”分层次。留空则不印此部分。",
    )
    bad_examples = forms.CharField(
        label="存在问题",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="点名通报的问题写在这里。留空则不印此部分。",
    )
    requirements = forms.CharField(
        label="下一步工作要求",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="留空则不印此部分。",
    )

    @classmethod
    def for_bulletin(cls, bulletin, data=None):
        initial = {
            name: getattr(bulletin, name)
            for name in ("title", "opening", "good_examples", "bad_examples", "requirements")
        }
        return cls(data, initial=initial, prefix="text")


class ConfirmForm(forms.Form):
    def __init__(self, *args, bulletin=None, **kwargs):
        super().__init__(*args, **kwargs)


class SubmitForm(forms.Form):
    signer = LeaderField(label="送签领导", queryset=signing_leaders())

    def __init__(self, *args, bulletin=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = signing_leaders()
        if bulletin is not None and bulletin.signer_id:
            self.fields["signer"].initial = bulletin.signer_id


class ReturnForm(forms.Form):
    opinion = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, bulletin=None, **kwargs):
        super().__init__(*args, **kwargs)


class DispatchForm(forms.Form):
    units = UnitsField(
        label="印发单位",
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10, "class": "pick-many"}),
        help_text="默认为本期有牵头事项的单位；点击即选中或取消，可输入名称筛选。",
    )

    def __init__(self, *args, bulletin=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = responsible_units().order_by("sort_order", "id")
        if bulletin is not None:
            self.fields["units"].initial = list(bulletin.recipients.values_list("pk", flat=True))


class ListFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=[("", "全部")] + list(Bulletin.Kind.choices), required=False
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
