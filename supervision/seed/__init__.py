"""Demo 督查督办 for `manage.py seed_demo`: a year of supervision items at DOMAIN.md §6's scale
from every source, each told from 立项 to the present moment (supervision.seed.life), with about
nine in ten of the items due by today closed (a few late), a handful overdue and red now, some
yellow (due soon or behind schedule) and the rest green.

督办编号 (督〔2026〕15号) are the register's numbers (services.NUMBER_KEY), contiguous per year in
the order of 立项, their counter raised past them. Idempotent: an item is made only if its source
has none (the generic source link) or, for items opened by hand, no item of that source, title
and year exists; trail rows are written only for what this run made. No notifications: the
demo's people find their work on their desks and in the ledger.

Then the 督查通报 of the last three complete months, drafted, signed off and dispatched through
supervision.bulletins itself, and a 督查专报 in draft (supervision.seed.bulletins).
"""

import datetime

from django.utils import timezone

from office.models import SerialCounter, User
from office.roles import Role
from office.seed.clock import Clock
from office.seed.rows import WorkingDays, raise_counter

from ..models import ItemGroup, Source, SupervisionItem
from ..services import NUMBER_KEY, NUMBER_PATTERN
from .bulletins import seed_bulletins
from .life import Life
from .sources import Sources, rng_for
from .writer import write

__all__ = ["seed_supervision"]

# Pairs of open items on one matter (a leader's instruction and a meeting decision of the same
# lead unit) that the supervisor links (关联).
LINKED_PAIRS = 5


def _fresh(specs):
    sourced = set(
        SupervisionItem.objects.filter(source_id__isnull=False).values_list(
            "source_type_id", "source_id"
        )
    )
    by_hand = set(
        SupervisionItem.objects.filter(source_id__isnull=True).values_list(
            "source", "title", "year"
        )
    )
    fresh = []
    for spec in specs:
        if spec.source_id is not None:
            if (spec.source_type_id, spec.source_id) in sourced:
                continue
        elif (spec.source, spec.title, spec.opened_at.year) in by_hand:
            continue
        fresh.append(spec)
    return fresh


def _number(specs, clock):
    """督办编号 per year in the order of 立项, after the numbers the register already gave."""
    specs.sort(key=lambda s: (s.opened_at, s.key))
    last = dict(SerialCounter.objects.filter(key=NUMBER_KEY).values_list("year", "last_number"))
    for spec in specs:
        year = spec.opened_at.astimezone(clock.tz).year
        last[year] = last.get(year, 0) + 1
        spec.year, spec.serial = year, last[year]
        spec.number = NUMBER_PATTERN.format(year=year, number=last[year])
    return last


def _people(demo):
    """{unit id: (handler, head)} of the demo's unit people."""
    users = list(demo["users"].values())
    roles = set(User.objects.filter(pk__in=[u.pk for u in users]).values_list("pk", "groups__name"))
    handler, head = {}, {}
    for user in sorted(users, key=lambda u: u.pk):
        if user.unit_id and (user.pk, Role.UNIT_HANDLER) in roles:
            handler.setdefault(user.unit_id, user)
        if user.unit_id and (user.pk, Role.UNIT_HEAD) in roles:
            head.setdefault(user.unit_id, user)
    return handler, head


def _link(stories, clock):
    """关联: an item from another source (a leader's instruction first) and a meeting decision
    of the same lead unit, both open and in the unit's hands, linked after their last step (so
    every report so far counted alone)."""
    open_states = (SupervisionItem.State.ASSIGNED, SupervisionItem.State.IN_PROGRESS)
    candidates = [t for t in stories if t.fields["state"] in open_states]
    candidates.sort(key=lambda t: t.spec.source != Source.INSTRUCTION)
    decisions = {}
    for told in candidates:
        if told.spec.source == Source.MEETING_DECISION:
            decisions.setdefault(told.spec.lead_unit.pk, []).append(told)
    groups = []
    for told in candidates:
        if len(groups) >= LINKED_PAIRS or told.spec.source == Source.MEETING_DECISION:
            continue
        others = decisions.get(told.spec.lead_unit.pk)
        if not others:
            continue
        other = others.pop()
        rng = rng_for(("link", *told.spec.key))
        last = max(e[0] for e in told.events + other.events)
        at = last + datetime.timedelta(minutes=rng.randint(30, 600))
        if at > clock.now:
            continue
        supervisor = told.spec.supervisor
        pair = sorted((told, other), key=lambda t: t.spec.number)
        numbers = "、".join(t.spec.number for t in pair)
        for member in pair:
            member.events.append(
                (at, supervisor, "link", "关联事项", "", "", f"与 {numbers} 关联，进展反馈共用")
            )
        groups.append((ItemGroup(created_by=supervisor, created_at=at), pair, at))
    return groups


def seed_supervision(demo):
    """A year of 督查督办 up to now, and the bulletins of the last months. Returns
    {"supervision_items": {督办编号: id}, "bulletins": {"督查通报 2026年10月": id}}."""
    now = timezone.now()
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now)
    working = WorkingDays(
        today - datetime.timedelta(days=420), today + datetime.timedelta(days=500)
    )
    clock = Clock(working, now, tz)
    specs = _fresh(Sources(demo, clock).specs())
    last = _number(specs, clock)
    handler, head = _people(demo)
    stories = []
    for spec in specs:
        people = (handler.get(spec.lead_unit.pk), head.get(spec.lead_unit.pk))
        stories.append(Life(spec, rng_for(("life", *spec.key)), clock, people).tell())
    groups = _link(stories, clock)
    write(stories, groups)
    for year, number in last.items():
        raise_counter(NUMBER_KEY, year, number)
    made = dict(SupervisionItem.objects.values_list("item_number", "pk"))
    return {"supervision_items": made, "bulletins": seed_bulletins(demo, today)}
