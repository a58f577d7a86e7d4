"""会议纪要 forms: input checks only; the rules (who may edit, when, what a decided item needs)
live in meetings/minutes.py, whose refusals come back on these forms."""

from django import forms
from django.db.models import Q

from office.forms import DATE_INPUT, LeaderField, UnitField, UnitsField
from office.models import Unit, User
from office.selectors import active_leaders, responsible_units

from .minutes import Decision, dispatch_units
from .models import AgendaItem


class AgendaItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.position}. {obj.topic.title}"


class MinutesBodyForm(forms.Form):
    body = forms.CharField(
        label="纪要正文",
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace-cjk"}),
        help_text="每段一行；以“一、”“（一）”“1.”“（1）”开头的段落自动识别为各级标题。",
    )


class DecisionForm(forms.Form):
    """One 议定事项. Only the content is checked here; that each item names a responsible unit,
    leader and deadline is minutes.revise's rule, and its refusal is shown above the items."""

    content = forms.CharField(label="议定事项", widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = AgendaItemField(
        label="所属议题", queryset=AgendaItem.objects.none(), required=False
    )
    lead_unit = UnitField(label="责任单位", queryset=Unit.objects.none(), required=False)
    co_units = UnitsField(
        label="协办单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "pick-many"}),
        help_text="点击即选中或取消，可输入名称筛选。",
    )
    leader = LeaderField(label="责任领导", queryset=User.objects.none(), required=False)
    deadline = forms.DateField(label="完成时限", widget=DATE_INPUT, required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.select_related("topic")
        units = responsible_units()
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["leader"].queryset = active_leaders()

    def decision(self):
        data = self.cleaned_data
        return Decision(
            content=data["content"],
            lead_unit=data["lead_unit"],
            leader=data["leader"],
            deadline=data["deadline"],
            co_units=tuple(data["co_units"]),
            agenda_item=data["agenda_item"],
        )

    @staticmethod
    def initial_from(item):
        return {
            "content": item.content,
            "agenda_item": item.agenda_item_id,
            "lead_unit": item.lead_unit_id,
            "co_units": [unit.pk for unit in item.co_units.all()],
            "leader": item.leader_id,
            "deadline": item.deadline,
        }


DecisionFormSet = forms.formset_factory(DecisionForm, extra=2, can_delete=True)


def decision_formset(minutes, data=None):
    initial = [
        DecisionForm.initial_from(item)
        for item in minutes.decided_items.prefetch_related("co_units").order_by("position")
    ]
    return DecisionFormSet(
        data, initial=initial, prefix="decisions", form_kwargs={"meeting": minutes.meeting}
    )


def decisions_from(formset):
    """The decided items in order: the saved rows and the filled new ones, less those marked for
    deletion (untouched blank rows are skipped)."""
    saved = formset.initial_form_count()
    return [
        form.decision()
        for index, form in enumerate(formset.forms)
        if (index < saved or form.has_changed()) and not form.cleaned_data.get("DELETE")
    ]


class StepForm(forms.Form):
    """A step's form on the minutes page; it is given the minutes (for choices that depend on
    them)."""

    def __init__(self, *args, minutes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.minutes = minutes


class ConfirmForm(StepForm):
    """A step that needs nothing more than the click."""


class DispatchForm(StepForm):
    """印发: the units concerned are pre-selected (and always sent to: minutes.dispatch_units);
    the secretary may add others."""

    units = UnitsField(
        label="印发单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "pick-many"}),
        help_text="议定事项的责任单位、协办单位和各议题的汇报单位已预选，必发；可再选其他单位。"
        "各单位须在印发后 8 个工作小时内签收。",
    )

    def __init__(self, *args, minutes=None, **kwargs):
        super().__init__(*args, minutes=minutes, **kwargs)
        concerned = [u.pk for u in dispatch_units(minutes)] if minutes is not None else []
        self.fields["units"].queryset = Unit.objects.filter(
            Q(pk__in=responsible_units().values("pk")) | Q(pk__in=concerned)
        ).order_by("sort_order", "id")
        self.fields["units"].initial = concerned


class ReturnForm(StepForm):
    opinion = forms.CharField(
        label="退回意见", widget=forms.Textarea(attrs={"rows": 3}), help_text="写明需要修改之处。"
    )


class ListFilterForm(forms.Form):
    """纪要 by series (meeting type) and year."""

    series = forms.ModelChoiceField(label="纪要系列", queryset=None, required=False)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, **kwargs):
        from .models import MeetingType

        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = MeetingType.objects.all()
        self.fields["series"].label_from_instance = lambda t: t.minutes_title
