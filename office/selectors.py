"""Reads for the office core's administration pages: the unit tree, the people list, the audit
trail and the working-day calendar of a year.

Lists are keyset-paginated (office.pagination) and never count: COUNT(*) on the trail is 14×
slower at 1M rows (FIELD_NOTES.md, "Lists and pagination"). None of these reads gives access to
business documents; they serve the three administrators (三员分立, DOMAIN.md §1).
"""

import datetime
from dataclasses import dataclass, field

import chinese_calendar
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Left
from django.utils import timezone

from . import calendar, trail
from .models import CalendarOverride, Clearance, TrailEvent, Unit, User
from .pagination import keyset_page
from .permissions import unit_and_descendants
from .roles import Role

# --- units -------------------------------------------------------------------------------------


def unit_tree(*, include_inactive=True):
    """All units in tree order — each parent before its children, siblings by sort_order then
    id — each with `.depth` (0 for a root) and `.active_members` (count of active accounts).
    Two queries whatever the tree's size (units number in the hundreds, not millions)."""
    qs = Unit.objects.annotate(
        active_members=Count("members", filter=Q(members__is_active=True))
    ).order_by("sort_order", "id")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    units = list(qs)
    children, known = {}, {unit.pk for unit in units}
    for unit in units:
        parent_id = unit.parent_id if unit.parent_id in known else None
        children.setdefault(parent_id, []).append(unit)
    ordered, stack = [], [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        unit.depth = depth
        ordered.append(unit)
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.pk, [])))
    return ordered


def unit_choices(*, exclude=None):
    """Active units in tree order, labelled with indentation, for a select box; `exclude` and its
    sub-units are left out (a unit cannot be moved under itself)."""
    skipped = unit_and_descendants(exclude.pk) if exclude is not None else frozenset()
    return [unit for unit in unit_tree(include_inactive=False) if unit.pk not in skipped]


# --- people ------------------------------------------------------------------------------------

USER_STATUSES = {"active": True, "inactive": False}


def user_list(*, unit=None, role="", keyword="", status="active", after=None, size=50):
    """Accounts for the security administrator, ordered by username, keyset-paginated.

    unit: that unit and its sub-units; role: a Role code; keyword: part of the name or username;
    status: "active", "inactive" or "" for both. Three queries: the page, its roles, nothing else.
    """
    qs = User.objects.select_related("unit", "liaison").prefetch_related(
        Prefetch("groups", to_attr="prefetched_groups")
    )
    if unit is not None:
        qs = qs.filter(unit_id__in=unit_and_descendants(unit.pk))
    if role:
        qs = qs.filter(groups__name=role)
    keyword = (keyword or "").strip()
    if keyword:
        qs = qs.filter(Q(real_name__icontains=keyword) | Q(username__icontains=keyword))
    if status in USER_STATUSES:
        qs = qs.filter(is_active=USER_STATUSES[status])
    page = keyset_page(qs, order=("username", "id"), after=after, size=size)
    for user in page.rows:
        user.role_labels = [
            Role(group.name).label for group in user.prefetched_groups if group.name in Role.values
        ]
    return page


def role_codes_of(user):
    return [name for name in user.groups.values_list("name", flat=True) if name in Role.values]


def unit_people(unit_ids, roles=(Role.UNIT_HANDLER, Role.UNIT_HEAD)):
    """The active people holding one of `roles` in the given units: whom a unit's work is sent
    to (its handlers and head)."""
    if isinstance(unit_ids, int):
        unit_ids = [unit_ids]
    return list(
        User.objects.filter(unit_id__in=unit_ids, is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("id")
    )


def active_leaders():
    """The active leaders (责任领导, 送签领导, 汇报领导…) in the office's order (领导排序)."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.LEADER)
        .distinct()
        .order_by("leader_order", "id")
    )


def responsible_units():
    """Units that can be given work (承办、牵头、责任单位): bureaus, districts, companies and the
    office's sections — not the government, the office as a whole or a higher authority."""
    return Unit.objects.filter(is_active=True).exclude(
        kind__in=(Unit.Kind.GOVERNMENT, Unit.Kind.OFFICE, Unit.Kind.HIGHER)
    )


def issuing_office():
    """The unit that issues the office's prints (督办单, 督查通报, 会议纪要, 会议通知): the
    government's office (政府办公室), else the government itself; None when neither is set up."""
    for kind in (Unit.Kind.OFFICE, Unit.Kind.GOVERNMENT):
        unit = Unit.objects.filter(is_active=True, kind=kind).order_by("sort_order", "id").first()
        if unit is not None:
            return unit
    return None


def issuing_office_name():
    """The issuing office's name, or "" when none is set up."""
    office = issuing_office()
    return office.name if office is not None else ""


def liaison_candidates(*, exclude=None):
    """Active leaders (秘书长、副秘书长 hold the leader role) who can be someone's liaison."""
    qs = User.objects.filter(is_active=True, groups__name=Role.LEADER).order_by(
        "leader_order", "id"
    )
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs


# --- the trail ---------------------------------------------------------------------------------

TRAIL_OUTCOMES = {"success": "成功", "failure": "失败"}
TRAIL_APPS = ("office", "documents", "meetings", "supervision", "proposals")


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def trail_list(
    *,
    actor="",
    action="",
    date_from=None,
    date_to=None,
    content_type=None,
    outcome="",
    after=None,
    size=50,
):
    """The audit trail for the audit administrator, newest first, keyset-paginated on
    (-at, -id) without COUNT(*) (FIELD_NOTES.md). One query per page.

    actor: part of the actor's name or username; action: an action code; date_from/date_to:
    local dates, both inclusive; content_type: a ContentType; outcome: "success" or "failure".
    The opinion is cut to 200 characters (list pages never fetch body text).
    """
    qs = TrailEvent.objects.defer("opinion").annotate(opinion_excerpt=Left("opinion", 200))
    actor = (actor or "").strip()
    if actor:
        qs = qs.filter(Q(actor_name__icontains=actor) | Q(actor__username__icontains=actor))
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    if content_type is not None:
        qs = qs.filter(content_type=content_type)
    if outcome:
        qs = qs.filter(outcome=outcome)
    page = keyset_page(qs, order=("-at", "-id"), after=after, size=size)
    for event in page.rows:
        content_type = (
            ContentType.objects.get_for_id(event.content_type_id) if event.content_type_id else None
        )
        model = content_type.model_class() if content_type else None
        event.outcome_label = TRAIL_OUTCOMES.get(event.outcome, event.outcome)
        event.type_label = content_type.name if content_type else ""
        event.from_label = state_label(model, event.from_state)
        event.to_label = state_label(model, event.to_state)
    return page


# The states the core's own services record (office.services), and the clearance codes.
CORE_STATE_LABELS = {
    "active": "启用",
    "inactive": "停用",
    "working_day": "工作日",
    "day_off": "休息日",
    **{level.name.lower(): level.label for level in Clearance},
}


def state_label(model, code):
    """A trail state code in Chinese: the object's own State(TextChoices) label (STYLE.md: each
    model declares its states), else the core's, else the code itself."""
    if not code:
        return ""
    states = getattr(model, "State", None)
    if states is not None and code in getattr(states, "values", ()):
        return states(code).label
    return CORE_STATE_LABELS.get(code, code)


def trail_actions():
    """The distinct (action, label) pairs in the trail, read by a loose index scan over the
    action index: one index probe per distinct action instead of a DISTINCT over every row.
    On the embedded SQLite default (a demo, not a year of records) a plain DISTINCT does."""
    if connection.vendor != "postgresql":
        pairs = TrailEvent.objects.order_by("action").values_list("action", "action_label")
        return list(dict(pairs.distinct()).items())
    table = connection.ops.quote_name(TrailEvent._meta.db_table)
    sql = f"""
        WITH RECURSIVE actions(code) AS (
            (SELECT action FROM {table} ORDER BY action LIMIT 1)
            UNION ALL
            SELECT (SELECT action FROM {table} WHERE action > actions.code
                    ORDER BY action LIMIT 1)
            FROM actions WHERE actions.code IS NOT NULL
        )
        SELECT code, (SELECT action_label FROM {table} WHERE action = code LIMIT 1)
        FROM actions WHERE code IS NOT NULL
    """  # noqa: S608  (the only interpolation is the model's own quoted table name)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(code, label or code) for code, label in cursor.fetchall()]


def trail_content_types():
    """The object types that can appear in the trail: the office's own models."""
    return sorted(
        ContentType.objects.filter(app_label__in=TRAIL_APPS),
        key=lambda ct: (TRAIL_APPS.index(ct.app_label), ct.name),
    )


# --- the working-day calendar ------------------------------------------------------------------

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass
class CalendarDay:
    date: datetime.date
    is_working_day: bool
    kind: str  # "workday", "weekend", "holiday", "swapped_workday"
    label: str = ""
    override: CalendarOverride | None = None

    @property
    def tone(self):
        """How the page colours the day: "work", "swapped" (a weekend worked, 调休上班),
        "weekend" or "holiday" (a day off that would otherwise be worked, or a festival)."""
        weekend = self.date.weekday() >= 5
        if self.is_working_day:
            return "swapped" if weekend else "work"
        if weekend and self.kind != "holiday":
            return "weekend"
        return "holiday"


@dataclass
class CalendarMonth:
    number: int
    weeks: list = field(default_factory=list)  # lists of 7 CalendarDay or None (Monday first)


@dataclass
class CalendarYear:
    year: int
    covered: bool
    shipped: bool
    months: list
    special_days: list  # shipped holidays and swapped working days, not plain weekends
    overrides: list


def _shipped_day(day, shipped):
    weekend = day.weekday() >= 5
    if not shipped:
        return CalendarDay(day, not weekend, "weekend" if weekend else "workday")
    working = chinese_calendar.is_workday(day)
    _, name = chinese_calendar.get_holiday_detail(day)
    label = HOLIDAY_NAMES.get(name, name or "")
    if working and weekend:
        return CalendarDay(
            day, True, "swapped_workday", f"调休上班（{label}）" if label else "调休上班"
        )
    if not working and not weekend:
        return CalendarDay(day, False, "holiday", label or "休息")
    if not working and label:
        return CalendarDay(day, False, "holiday", label)
    return CalendarDay(day, working, "weekend" if weekend else "workday")


def calendar_year(year):
    """The year's days as the calendar page shows them: the shipped holidays and 调休 working
    weekends (chinese-calendar), with the office's overrides applied over them (office.calendar).
    One query (the year's overrides)."""
    shipped = True
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        shipped = False
    overrides = {
        override.date: override
        for override in CalendarOverride.objects.filter(date__year=year).select_related(
            "updated_by"
        )
    }
    months, special = [], []
    for number in range(1, 13):
        month = CalendarMonth(number)
        day = datetime.date(year, number, 1)
        week = [None] * day.weekday()
        while day.month == number:
            entry = _shipped_day(day, shipped)
            if entry.kind in ("holiday", "swapped_workday"):
                special.append(entry)
            if day in overrides:
                entry.override = overrides[day]
                entry.is_working_day = overrides[day].is_working_day
            week.append(entry)
            if len(week) == 7:
                month.weeks.append(week)
                week = []
            day += datetime.timedelta(days=1)
        if week:
            month.weeks.append(week + [None] * (7 - len(week)))
        months.append(month)
    return CalendarYear(
        year=year,
        covered=shipped or calendar.year_is_covered(year),
        shipped=shipped,
        months=months,
        special_days=special,
        overrides=list(overrides.values()),
    )


SIGN_IN_ACTIONS = ("login", "logout", "login_failed")


def change_history(obj):
    """An administered object's own change record (变更记录), oldest first. Sign-in events are
    the audit administrator's to read (三员分立), so the security administrator's pages omit them."""
    return trail.history(obj).exclude(action__in=SIGN_IN_ACTIONS)
