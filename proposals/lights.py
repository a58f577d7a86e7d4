"""红黄绿灯 of 建议提案 (DOMAIN.md §2, §7): an item has a light only while it is in the units'
hands (`Proposal.IN_HAND`: 已交办 … 答复已签发), measured against its 答复期限:
- 红灯 red: the 答复期限 has passed;
- 黄灯 yellow: due within the warning window (3 working days, office.calendar);
- 绿灯 green: otherwise.
Replied, rated and closed items (and items not yet assigned) have none. The list, its 灯 filter
and the desk all read the light from `with_light`, one SQL expression."""

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

from office.calendar import WARNING_WORKING_DAYS, Light, add_working_days

from .models import Proposal

LIGHT_LABELS = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}
IN_HAND = Proposal.IN_HAND


def warn_until(today):
    """答复期限 on or before this day are within the warning window."""
    return add_working_days(today, WARNING_WORKING_DAYS)


def _conditions(today):
    in_hand = Q(state__in=IN_HAND, deadline__isnull=False)
    warn = warn_until(today)
    red = in_hand & Q(deadline__lt=today)
    yellow = in_hand & Q(deadline__gte=today, deadline__lte=warn)
    green = in_hand & Q(deadline__gt=warn)
    return {Light.RED: red, Light.YELLOW: yellow, Light.GREEN: green}


def light_q(light, today=None):
    """The items showing `light` on `today`, as one filter (the list's 灯 filter)."""
    return _conditions(today or timezone.localdate())[light]


def with_light(queryset, today=None):
    """The queryset with each row's `light` ("red"/"yellow"/"green", "" when not in hand)."""
    conditions = _conditions(today or timezone.localdate())
    return queryset.annotate(
        light=Case(
            *(When(conditions[light], then=Value(light)) for light in conditions),
            default=Value(""),
            output_field=CharField(),
        )
    )


def light_words(proposal, today=None):
    """Why the item shows its light, for a tooltip: 「逾期 5 天」, 「3 个工作日内到期」."""
    today = today or timezone.localdate()
    light = getattr(proposal, "light", "")
    if light == Light.RED:
        return f"已超过答复期限 {(today - proposal.deadline).days} 天"
    if light == Light.YELLOW:
        return f"{WARNING_WORKING_DAYS} 个工作日内到期"
    return ""
