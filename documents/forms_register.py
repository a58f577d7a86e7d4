"""The register's (收文登记簿) filter form: input checks only; the query is
documents.search.register_queryset."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from office.forms import UnitFilterChoices
from office.models import Clearance, Unit, Urgency
from office.permissions import scope_for

from .models import DocType, IncomingDocument
from .search import DEFAULT_SORT, DONE, MAX_QUERY_LENGTH, OPEN, REGISTER_SORTS


def _all(label, choices):
    return [("", label), *choices]


class QuickSelect(forms.Select):
    """A <select> whose options are written here rather than through Django's widget templates,
    which include one template per <option>: for this form's ~80 options that cost about 7 ms of
    CPU on every full page load (measured). Same markup, same escaping."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class RegisterFilterForm(forms.Form):
    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "标题、来文单位、文号或收文编号"}
        ),
    )
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=1949,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "全部年度"}),
    )
    sender = forms.CharField(label="来文单位", required=False, max_length=100)
    doc_type = forms.ChoiceField(
        label="文种", required=False, choices=_all("全部文种", DocType.choices), widget=QuickSelect
    )
    kind = forms.ChoiceField(
        label="办件/阅件",
        required=False,
        choices=_all("全部", IncomingDocument.Kind.choices),
        widget=QuickSelect,
    )
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=_all(
            "全部状态",
            [
                (OPEN, "在办（全部未办结）"),
                (DONE, "已办结（含已归档）"),
                *IncomingDocument.State.choices,
            ],
        ),
        widget=QuickSelect,
    )
    urgency = forms.ChoiceField(
        label="紧急程度", required=False, choices=_all("全部", Urgency.choices), widget=QuickSelect
    )
    classification = forms.TypedChoiceField(
        label="密级", required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    lead_unit = forms.ModelChoiceField(
        label="主办单位", required=False, queryset=Unit.objects.all(), widget=QuickSelect
    )
    overdue = forms.BooleanField(label="仅看逾期", required=False)
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[(key, sort.label) for key, sort in REGISTER_SORTS.items()],
        widget=QuickSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        clearance = scope_for(user).clearance
        # A level above the user's clearance is not even offered (DOMAIN.md §2).
        self.fields["classification"].choices = _all(
            "全部密级", [(value, label) for value, label in Clearance.choices if value <= clearance]
        )
        # Read once, and only when the form is drawn (not for the htmx partial).
        self.fields["lead_unit"].choices = UnitFilterChoices()

    def filters(self):
        """The valid filters as keyword arguments of register_queryset; invalid fields are left
        out (the page says which)."""
        data = dict(getattr(self, "cleaned_data", {}))
        data["sort"] = data.get("sort") or DEFAULT_SORT
        return data
