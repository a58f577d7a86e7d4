"""签收回执（纪要） of the demo's dispatched minutes, as meetings.minutes.dispatch makes them and
sign_for / record_receipt fill them in (DOMAIN.md §5; README 印发与签收).

One receipt per unit concerned, in dispatch_units' order (the decided items' lead and co-units,
then the agenda's reporting units, each once), sent at 印发 and due SIGNING_HOURS working hours
later (office.calendar.add_working_hours, as dispatch computes it). A unit with a handler or head
in this system (permissions.units_that_sign) signs for itself within hours — mostly the handler,
now and then the head, once in a while only the next working day; for a unit with nobody here the
secretary who dispatched the minutes records the paper or telephone receipt (登记签收) later the
same day or the next. The story is cut at the present moment: a receipt whose signing lies ahead
is still unsigned. The minutes dispatched just now (the story the planner holds at 印发) wait for
some of their units, not yet due; and one unit of the latest minutes dispatched before them has
let its deadline pass (red on its desk and on the minutes' page)."""

import random

from office.calendar import add_working_hours
from office.models import User
from office.roles import Role

from ..models import SIGNING_HOURS, Minutes, MinutesReceipt
from ..permissions import SIGNING_ROLES, units_that_sign

HEAD_SIGNS = 0.2  # the head rather than the handler signs
NEXT_DAY = 0.08  # a unit signs only the next working day (sometimes past its deadline)


def recipients(story):
    """The units concerned, in meetings.minutes.dispatch_units' order, each once."""
    units = {}
    for item, cos in sorted(story.decided, key=lambda pair: pair[0].position):
        units.setdefault(item.lead_unit.pk, item.lead_unit)
        for unit in sorted(cos, key=lambda u: (u.sort_order, u.pk)):  # Unit's ordering
            units.setdefault(unit.pk, unit)
    for agenda in sorted(story.agenda, key=lambda a: a.position):
        units.setdefault(agenda.reporting_unit.pk, agenda.reporting_unit)
    return list(units.values())


def dispatch_opinion(units):
    """The trail's 意见 of 印发, as dispatch writes it."""
    return "印发：" + "、".join(u.name for u in units) if units else ""


class Receipts:
    def __init__(self, clock, now):
        self.clock, self.now = clock, now
        self.signings = {}  # id(receipt) -> its trail event

    def tell(self, stories):
        """Give every story with dispatched minutes its receipts and their signing (story.receipts
        and story.events)."""
        dispatched = [s for s in stories if s.minutes is not None and s.minutes.dispatched_at]
        signing = units_that_sign({u.pk for s in dispatched for u in recipients(s)})
        people = _people(signing)
        for story in dispatched:
            self._tell(story, signing, people)
        self._one_late(dispatched, signing)

    def _tell(self, story, signing, people):
        rng = random.Random(f"receipts-{story.key}")
        minutes, clock = story.minutes, self.clock
        sent = minutes.dispatched_at
        due = add_working_hours(sent, SIGNING_HOURS)
        dispatcher = next(e[1] for e in story.events if e[2] == "dispatch")
        for unit in recipients(story):
            receipt = MinutesReceipt(minutes=minutes, unit=unit, sent_at=sent, due_at=due)
            story.receipts.append(receipt)
            if unit.pk in signing:
                handlers, heads = people[unit.pk]
                if handlers and heads:
                    person = rng.choice(heads if rng.random() < HEAD_SIGNS else handlers)
                else:
                    person = rng.choice(handlers or heads)
                days = 1 if rng.random() < NEXT_DAY else 0
                at = clock.later(rng, sent, days, 10, 240)
                event = (at, person, "sign_for", "签收", "", "", unit.name, minutes)
            else:
                at = clock.later(rng, sent, rng.choice((0, 0, 1)), 60, 300)
                opinion = f"{unit.name}（单位在本系统中无人签收，由秘书登记）"
                event = (at, dispatcher, "record_receipt", "登记签收", "", "", opinion, minutes)
            if at <= self.now:
                receipt.received_at, receipt.received_by = at, event[1]
                self.signings[id(receipt)] = event
                story.events.append(event)
        if story.hold == Minutes.State.DISPATCHED and story.receipts:
            if all(r.received_at for r in story.receipts):
                self._unsign(story, story.receipts[-1])

    def _one_late(self, dispatched, signing):
        """One unit of the latest minutes dispatched past their deadline (before the ones held
        just now) has not signed: a unit with people, whose desk shows it red, if there is one."""
        late = [
            s
            for s in dispatched
            if s.hold != Minutes.State.DISPATCHED and s.receipts and s.receipts[0].due_at < self.now
        ]
        with_people = [s for s in late if any(r.unit.pk in signing for r in s.receipts)]
        if not late:
            return
        story = max(with_people or late, key=lambda s: s.minutes.dispatched_at)
        receipts = [r for r in story.receipts if r.unit.pk in signing] or story.receipts
        self._unsign(story, receipts[-1])

    def _unsign(self, story, receipt):
        event = self.signings.pop(id(receipt), None)
        if event is not None:
            story.events.remove(event)
        receipt.received_at = receipt.received_by = None


def _people(unit_ids):
    """{unit id: ([handlers], [heads])}: who may sign for each unit (permissions.can_sign_for)."""
    rows = list(
        User.objects.filter(is_active=True, unit_id__in=unit_ids, groups__name__in=SIGNING_ROLES)
        .order_by("pk")
        .values_list("pk", "unit_id", "groups__name")
    )
    users = User.objects.in_bulk({pk for pk, _, _ in rows})
    people = {pk: ([], []) for pk in unit_ids}
    for pk, unit_id, role in rows:
        people[unit_id][0 if role == Role.UNIT_HANDLER else 1].append(users[pk])
    return people
