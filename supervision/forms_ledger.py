"""台账 forms: the filter bar, 常用筛选 (saved filters) and the bulk actions' input. Input checks
only: which rows a query string means is supervision.filters (the one parser the page and the
xlsx export share), so the filter bar only draws the fields and says in Chinese which values it
could not use — the parser leaves exactly those out."""

from urllib.parse import urlencode

from django import forms

from office.calendar import Light
from office.forms import DATE_INPUT, LeaderField, TickedIdsField, UnitFilterChoices
from office.models import Unit, User
from office.selectors import active_leaders

from .filters import KEYWORD_LENGTH, STATISTIC_PARAMS, YEARS
from .measures import LIGHT_LABELS
from .models import SavedFilter, Source, SupervisionItem
from .selectors import LEDGER_ORDERS

OPEN = "open"
SORT_LABELS = {
    "-id": "督办编号（新→旧）",
    "item_number": "督办编号（旧→新）",
    "deadline": "办结时限（近→远）",
    "-deadline": "办结时限（远→近）",
}
DATE_MESSAGE = "请按“年-月-日”填写日期，如 2026-06-30。"


def _all(label, choices):
    return [("", label), *choices]


class LedgerFilterForm(forms.Form):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "事项名称或督办编号",
                "maxlength": KEYWORD_LENGTH,
            }
        ),
    )
    source = forms.ChoiceField(
        label="来源", required=False, choices=_all("全部来源", Source.choices)
    )
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=_all(
            "全部状态", [(OPEN, "在办（未销号、未中止）"), *SupervisionItem.State.choices]
        ),
    )
    light = forms.ChoiceField(
        label="灯",
        required=False,
        choices=_all(
            "全部",
            [(light, LIGHT_LABELS[light]) for light in (Light.RED, Light.YELLOW, Light.GREEN)],
        ),
    )
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", required=False, queryset=Unit.objects.all()
    )
    responsible_leader = LeaderField(
        label="责任领导", required=False, queryset=User.objects.none(), empty_label="全部领导"
    )
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=YEARS[0],
        max_value=YEARS[1],
        error_messages={
            "invalid": "请填写四位数年份，如 2026。",
            "min_value": "年度不能早于 %(limit_value)s 年。",
            "max_value": "年度不能晚于 %(limit_value)s 年。",
        },
        widget=forms.NumberInput(attrs={"placeholder": "全部年度"}),
    )
    deadline_from = forms.DateField(
        label="办结时限自",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": DATE_MESSAGE},
    )
    deadline_to = forms.DateField(
        label="办结时限至",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": DATE_MESSAGE},
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in LEDGER_ORDERS],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_leader"].queryset = active_leaders()
        # The unit tree is read only when the select is drawn (not for the htmx results).
        self.fields["lead_unit"].choices = UnitFilterChoices()

    def clean(self):
        data = super().clean()
        start, end = data.get("deadline_from"), data.get("deadline_to")
        if start and end and start > end:
            self.add_error(None, "办结时限的截止日期早于起始日期，没有符合条件的事项。")
        return data


def ledger_query(params):
    """The ledger's own parameters out of a query string (a QueryDict), re-encoded: what a saved
    filter keeps, what the export and the bulk actions carry back. Paging and anything else are
    dropped, so a saved filter always opens on its first page."""
    names = [*LedgerFilterForm.base_fields, *STATISTIC_PARAMS]  # with a dashboard number's
    pairs = [(name, value) for name in names for value in params.getlist(name) if value.strip()]
    return urlencode(pairs)


class SavedFilterForm(forms.Form):
    """常用筛选: the current query kept under a name, unique among the user's own."""

    name = forms.CharField(
        label="名称",
        max_length=60,
        error_messages={"required": "请为常用筛选起个名称。"},
        widget=forms.TextInput(attrs={"placeholder": "如“本周到期的红灯事项”"}),
    )

    def __init__(self, *args, owner, query, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.query = query

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请为常用筛选起个名称。")
        if SavedFilter.objects.filter(owner=self.owner, name=name).exists():
            raise forms.ValidationError(f"您已有名为“{name}”的常用筛选，请换一个名称。")
        return name

    def clean(self):
        data = super().clean()
        if not self.query:
            raise forms.ValidationError("当前没有筛选条件，请先设置筛选条件再保存。")
        if len(self.query) > SavedFilter._meta.get_field("query").max_length:
            raise forms.ValidationError("筛选条件过长，无法保存。")
        return data


ASSIGN, URGE = "assign", "urge"
BULK_LIMIT = 200


class BulkForm(forms.Form):
    """批量交办 / 批量催办 over the ticked items of the ledger."""

    action = forms.ChoiceField(
        label="操作",
        choices=[(ASSIGN, "批量交办"), (URGE, "批量催办")],
        error_messages={"required": "请选择批量操作。", "invalid_choice": "请选择批量操作。"},
    )
    items = TickedIdsField(label="督办事项", required=False)
    message = forms.CharField(
        label="交办意见或催办内容",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        ids = data.get("items")
        if ids is not None and not ids:
            self.add_error("items", "请先勾选督办事项。")
        elif ids and len(ids) > BULK_LIMIT:
            self.add_error("items", f"一次最多处理 {BULK_LIMIT} 项，请分批操作。")
        if data.get("action") == URGE and not (data.get("message") or "").strip():
            self.add_error("message", "批量催办须填写催办内容。")
        return data
