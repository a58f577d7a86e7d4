"""Forms of 建议提案 sessions and intake (issue 7 items 1, 2): input checks only — the rules are
services.session_save, services.register_proposal (via scans.register_with_scans) and
imports.parse_file, whose refusals office.forms.add_service_errors puts back on the form."""

import re

from django import forms
from django.core.exceptions import ValidationError

from office.forms import DATE_INPUT, LeaderField, MultipleFileField
from office.selectors import active_leaders

from . import imports, scans, services
from .models import DEFAULT_REPLY_CLASSES, Author, Proposal, Session

# The national NPC's four classes (DOMAIN.md §7).
NATIONAL_NPC_REPLY_CLASSES = [
    {"code": "A", "label": "已解决或基本解决"},
    {"code": "B", "label": "正在解决或列入规划"},
    {"code": "C", "label": "需待以后解决"},
    {"code": "D", "label": "留作参考"},
]
PRESETS = {
    "default": ("A/B/C（本市通行）", DEFAULT_REPLY_CLASSES),
    "national": ("A/B/C/D（全国人大）", NATIONAL_NPC_REPLY_CLASSES),
}
CUSTOM = "custom"
SCANS_HELP = f"可多选；PDF、JPEG、PNG 或 TIFF，每个不超过 {scans.SCAN_MAX_MB} MB。"
CODE_MAX = 5  # ReplyLetter.reply_class


def classes_text(classes):
    return "\n".join(f"{c['code']} {c['label']}" for c in classes)


def parse_classes(text):
    """Lines 「A 所提问题已经解决或基本解决」 → [{code, label}]; raises ValidationError."""
    classes, errors = [], []
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"[\s：:、.．]+", line, maxsplit=1)
        code = parts[0].removesuffix("类")
        label = parts[1].strip() if len(parts) > 1 else ""
        if not re.fullmatch(rf"[A-Za-z0-9]{{1,{CODE_MAX}}}", code) or not label:
            errors.append(f"第{number}行应为“代码 说明”，如“A 所提问题已经解决或基本解决”。")
            continue
        classes.append({"code": code.upper(), "label": label})
    if errors:
        raise ValidationError(errors)
    if not classes:
        raise ValidationError("请至少填写一个答复分类。")
    return classes


SESSION_FIELDS = [name for name in services.SESSION_FIELDS if name != "reply_classes"]


class SessionForm(forms.Form):
    """届次会次: its dates and deadline rules; 答复分类 from a preset or as lines."""

    preset = forms.ChoiceField(
        label="答复分类方案",
        choices=[*((key, label) for key, (label, _) in PRESETS.items()), (CUSTOM, "自定义")],
        widget=forms.RadioSelect,
        initial="default",
    )
    classes = forms.CharField(
        label="自定义答复分类",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="选“自定义”时填写：每行一类，“代码 说明”，如“A 所提问题已经解决或基本解决”。",
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(Session, fields=SESSION_FIELDS)
        for name in SESSION_FIELDS:
            self.fields[name] = fields[name]
        for name in ("opened_on", "closed_on"):
            self.fields[name].widget = DATE_INPUT
        self.order_fields([*SESSION_FIELDS, "preset", "classes"])
        if instance is not None and not self.is_bound:
            for name in SESSION_FIELDS:
                self.initial[name] = getattr(instance, name)
            preset = next(
                (key for key, (_, c) in PRESETS.items() if c == instance.reply_classes), CUSTOM
            )
            self.initial["preset"] = preset
            self.initial["classes"] = classes_text(instance.reply_classes)

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if preset in PRESETS:
            data["reply_classes"] = [dict(c) for c in PRESETS[preset][1]]
        elif preset == CUSTOM:
            try:
                data["reply_classes"] = parse_classes(data.get("classes"))
            except ValidationError as exc:
                self.add_error("classes", exc)
        opened, closed = data.get("opened_on"), data.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", "闭幕日期不能早于开幕日期。")
        return data

    def values(self):
        """Keyword arguments for services.session_save."""
        return {name: self.cleaned_data[name] for name in (*SESSION_FIELDS, "reply_classes")}


def session_choices():
    return Session.objects.filter(is_active=True).order_by("-year", "body", "id")


class SessionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.year}年）"


def parse_co_authors(text):
    """Lines 「姓名 代表团/界别 电话」 → [AuthorEntry]; raises ValidationError."""
    authors, errors = [], []
    limits = {f: Author._meta.get_field(f).max_length for f in ("name", "delegation", "phone")}
    for number, line in enumerate((text or "").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) > 3:
            errors.append(f"第{number}行应为“姓名 代表团/界别 电话”，以空格分隔。")
            continue
        values = dict(zip(("name", "delegation", "phone"), parts, strict=False))
        too_long = [f for f, v in values.items() if len(v) > limits[f]]
        if too_long:
            errors.append(
                f"第{number}行的内容过长，请检查是否用空格分隔了姓名、代表团/界别和电话。"
            )
            continue
        authors.append(services.AuthorEntry(role=Author.Role.CO, **values))
    if errors:
        raise ValidationError(errors)
    return authors


class ProposalForm(forms.Form):
    """登记 one item by hand, with its proposers and scans."""

    session = SessionField(label="届次会次", queryset=Session.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label="类别", choices=Proposal.Kind.choices)
    number = forms.CharField(
        label="编号", max_length=20, help_text="人大、政协编定的号，如 123、0123 或 第0123号。"
    )
    title = forms.CharField(label="标题", help_text=f"不超过 {services.TITLE_MAX} 字。")
    content = forms.CharField(
        label="内容", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = forms.CharField(
        label="分类", required=False, max_length=imports.CATEGORY_MAX, help_text="如“教育”。"
    )
    is_key = forms.BooleanField(label="重点建议提案", required=False)
    key_leader = LeaderField(
        label="领办领导",
        queryset=active_leaders(),
        required=False,
        help_text="重点件由市政府领导领办；非重点件不选。",
    )
    lead_name = forms.CharField(label="领衔人", max_length=30)
    lead_delegation = forms.CharField(
        label="代表团/界别", required=False, max_length=60, help_text="人大代表团或政协界别。"
    )
    lead_affiliation = forms.CharField(label="工作单位及职务", required=False, max_length=120)
    lead_phone = forms.CharField(label="联系电话", required=False, max_length=30)
    lead_address = forms.CharField(label="通讯地址", required=False, max_length=200)
    co_authors = forms.CharField(
        label="附议人",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一人：“姓名 代表团/界别 电话”，以空格分隔，后两项可不填。",
    )
    scans = MultipleFileField(
        label="原件扫描件",
        help_text=SCANS_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = session_choices()

    def clean_number(self):
        try:
            return imports.parse_number(self.cleaned_data["number"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def clean_co_authors(self):
        return parse_co_authors(self.cleaned_data["co_authors"])

    def clean(self):
        data = super().clean()
        session, kind = data.get("session"), data.get("kind")
        if session and kind and (message := imports.kind_problem(session, kind)):
            self.add_error("kind", message)
        if data.get("key_leader") and not data.get("is_key"):
            self.add_error("key_leader", "只有重点建议提案需要领办领导。")
        return data

    def entry(self):
        data = self.cleaned_data
        lead = services.AuthorEntry(
            name=data["lead_name"],
            role=Author.Role.LEAD,
            delegation=data["lead_delegation"],
            affiliation=data["lead_affiliation"],
            phone=data["lead_phone"],
            address=data["lead_address"],
        )
        return services.ProposalEntry(
            session=data["session"],
            kind=data["kind"],
            number=data["number"],
            title=data["title"],
            content=data["content"],
            category=data["category"],
            is_key=data["is_key"],
            key_leader=data["key_leader"],
            authors=(lead, *data["co_authors"]),
        )


class ImportUploadForm(forms.Form):
    session = SessionField(
        label="届次会次",
        queryset=Session.objects.none(),
        empty_label=None,
        help_text="整个文件导入该届次会次。",
    )
    file = forms.FileField(
        label="Excel 文件",
        help_text=f".xlsx 格式，不超过 {imports.MAX_MB} MB，按导入模板的列填写。",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = session_choices()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        imports.check_upload(upload)
        return upload


class ScansForm(forms.Form):
    scans = MultipleFileField(
        label="原件扫描件",
        help_text=SCANS_HELP,
    )

    def clean_scans(self):
        files = self.cleaned_data["scans"]
        if not files:
            raise ValidationError("请选择要上传的扫描件。")
        return files
