"""建议提案统计's filter bar: 年度 and 届次 (one session, or every session of the year). Input checks
only; a value that does not pass is named in Chinese and the page falls back to the default
(this year, all its sessions). A session alone decides the year (a link ?session=…); with a
year it belongs to another year, the year wins (the year was just changed in the bar)."""

from django import forms

from office.forms import YearFilterForm

from .models import Session


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.year}年 {obj.name}"


class StatisticsFilterForm(YearFilterForm):
    year = forms.TypedChoiceField(
        label="年度",
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "没有这个年度，已按今年统计。"},
    )
    session = SessionChoiceField(
        label="届次",
        required=False,
        queryset=Session.objects.order_by("-year", "-body", "opened_on", "id"),  # 人大 first
        empty_label="本年度全部届次",
        error_messages={"invalid_choice": "没有这个届次，已按年度统计。"},
    )

    def choice(self):
        """(year, session or None): the valid values asked for, the defaults for the rest."""
        data = {}
        if self.is_bound:
            self.is_valid()  # the fields that did not pass are left out of cleaned_data
            data = self.cleaned_data
        session, year = data.get("session"), data.get("year") or None
        if session is not None and year in (None, session.year):
            return session.year, session
        return year or self.today.year, None
