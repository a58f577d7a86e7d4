"""督查统计's filter bar: 年度, 截至日期, 来源. Input checks only; a value that does not pass is
named in Chinese, kept in its field, and the dashboard falls back to the default for it (this
year, today, every source)."""

from django import forms

from office.forms import DATE_INPUT, YearFilterForm

from .dashboard import Scope
from .models import Source


class DashboardFilterForm(YearFilterForm):
    year = forms.TypedChoiceField(
        label="年度",
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "请选择统计年度。"},
    )
    as_of = forms.DateField(
        label="截至日期",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": "请按“年-月-日”填写截至日期，如 2026-06-30。"},
    )
    source = forms.ChoiceField(
        label="来源",
        required=False,
        choices=[("", "全部来源"), *Source.choices],
        error_messages={"invalid_choice": "没有这个来源，已按全部来源统计。"},
    )

    def __init__(self, *args, years, today, **kwargs):
        super().__init__(*args, years=years, today=today, **kwargs)
        self.fields["as_of"].widget.attrs["max"] = today.isoformat()

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of and as_of > self.today:
            raise forms.ValidationError("截至日期不能晚于今天，已按今天统计。")
        return as_of

    def scope(self):
        """The dashboard's Scope: the valid values asked for, the defaults for the rest."""
        data = {}
        if self.is_bound:
            self.is_valid()  # the fields that did not pass are left out of cleaned_data
            data = self.cleaned_data
        return Scope(
            year=data.get("year") or self.today.year,
            as_of=data.get("as_of") or self.today,
            source=data.get("source") or "",
        )
