"""会议 forms (安排会议, 回复会议通知, 取消会议): input checks only; the rules — 「不成熟不上会」, a room
never booked twice, a leave needs its reason — live in scheduling.py, attendance.py, workflow.py."""

import datetime

from django import forms
from django.utils import timezone

from office.models import User
from office.roles import BUSINESS_ROLES, Role

from .models import MeetingType, Room, Topic
from .scheduling import MeetingPlan
from .selectors import topics_visible_to


def _people():
    """Anyone who works in the system (not the three administrators by that role alone)."""
    return (
        User.objects.filter(is_active=True, groups__name__in=BUSINESS_ROLES)
        .distinct()
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id", "leader_order", "id")
    )


def _person_label(user):
    where = user.title or (user.unit.short_name if user.unit_id else "")
    return f"{user.real_name}（{where}）" if where else user.real_name


def _grouped_people(queryset):
    """The people by unit, for the pickers' option groups."""
    groups = {}
    for user in queryset:
        unit = user.unit.short_name or user.unit.name if user.unit_id else "其他"
        groups.setdefault(unit, []).append((user.pk, _person_label(user)))
    return list(groups.items())


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


def _pick_many(label, help_text="点击即选中或取消，可输入姓名筛选。"):
    return PeopleField(
        label=label,
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10, "class": "pick-many"}),
        help_text=help_text,
    )


class MeetingForm(forms.Form):
    """安排会议: the type, the time and room, the presider, the agenda (topics from the pool, in
    the order numbered) and the people invited. Each pool topic is a checkbox `topics` with an
    order box `order_<topic pk>` beside it."""

    meeting_type = forms.ModelChoiceField(label="会议类型", queryset=MeetingType.objects.none())
    title = forms.CharField(
        label="会议名称", max_length=100, help_text="如“市政府第12次常务会议”。"
    )
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    room = forms.ModelChoiceField(label="会议室", queryset=Room.objects.none())
    presider = PersonField(
        label="主持人",
        queryset=User.objects.none(),
        required=False,
        help_text="留空则为该会议类型的默认主持人。",
    )
    topics = forms.ModelMultipleChoiceField(
        label="议题", queryset=Topic.objects.none(), required=False
    )
    attendees = _pick_many("出席", "默认为该会议类型的组成人员；主持人自动列入出席。")
    observers = _pick_many("列席", "议题汇报单位的负责人自动列入列席，无须再选。")
    press_invited = forms.BooleanField(label="邀请媒体列席", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].queryset = MeetingType.objects.filter(is_active=True)
        self.fields["room"].queryset = Room.objects.filter(is_active=True)
        people = _people()
        leaders = people.filter(groups__name=Role.LEADER)
        self.fields["presider"].queryset = leaders
        for name in ("attendees", "observers"):
            self.fields[name].queryset = people
            self.fields[name].choices = _grouped_people(people)
        # What the user may see is what may be chosen; a chosen topic that is not (or no longer)
        # in the pool reaches the service, which says what it lacks (不成熟不上会).
        self.fields["topics"].queryset = topics_visible_to(user)

    @staticmethod
    def initial_for(meeting_type):
        """The type's defaults: its presider and its members (出席)."""
        if meeting_type is None:
            return {}
        return {
            "meeting_type": meeting_type.pk,
            "presider": meeting_type.default_presider_id,
            "attendees": [u.pk for u in meeting_type.members.all()],
        }

    def order_of(self, topic_pk):
        """The order number typed beside a topic (blank or not a number: none)."""
        raw = (self.data.get(f"order_{topic_pk}") or "").strip()
        return int(raw) if raw.isdigit() else None

    def clean_topics(self):
        chosen = list(self.cleaned_data["topics"])
        typed = {t.pk: self.order_of(t.pk) for t in chosen}
        # Numbered topics first by their number, then the rest in the order they were listed.
        listed = {pk: index for index, pk in enumerate(self.data.getlist("topics"))}
        chosen.sort(key=lambda t: (typed[t.pk] is None, typed[t.pk] or 0, listed.get(str(t.pk), 0)))
        return chosen

    def clean(self):
        data = super().clean()
        if data.get("presider") is None and data.get("meeting_type") is not None:
            default = data["meeting_type"].default_presider
            if default is None:
                self.add_error("presider", "该会议类型没有默认主持人，请选择主持人。")
            data["presider"] = default
        return data

    def _at(self, time):
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["date"], time))

    def plan(self):
        data = self.cleaned_data
        return MeetingPlan(
            meeting_type=data["meeting_type"],
            title=data["title"],
            starts_at=self._at(data["starts"]),
            ends_at=self._at(data["ends"]),
            room=data["room"],
            presider=data["presider"],
            topics=tuple(data["topics"]),
            attendees=tuple(data["attendees"]),
            observers=tuple(data["observers"]),
            press_invited=data["press_invited"],
        )


class ConfirmForm(forms.Form):
    """A step that needs nothing more than the click (会议已召开)."""


class AnswerForm(forms.Form):
    """回复会议通知: 参加, or 请假 with its reason and perhaps a substitute (代会人员)."""

    attends = forms.TypedChoiceField(
        label="回复",
        choices=[("1", "参加"), ("0", "请假")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    reason = forms.CharField(
        label="请假事由", max_length=200, required=False, help_text="请假时必填。"
    )
    substitute = PersonField(
        label="代会人员",
        queryset=User.objects.none(),
        required=False,
        help_text="请假时可指定，代会人员同样收到会议通知。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = _people()


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="取消原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
