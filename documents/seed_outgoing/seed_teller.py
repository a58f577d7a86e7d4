"""Telling the demo 发文 stories: each planned document goes through the workflow's steps
(起草 … 归档) at moments on working days, as the workflow would have done them, up to the present
moment or the step it is held at.

The module's name starts with seed_ because it gives unsaved plans their states directly
(tests/office/test_workflow.py lets only workflow modules and demo seeders assign a state).
"""

import datetime

from django.utils import timezone

from office.calendar import add_working_hours
from office.models import Clearance

from ..models import DocType, OutgoingDocument, Receipt
from ..receipts import SIGNING_HOURS
from ..seed import later_moment, office_minute
from .configuration import LEVEL_ONE, LEVEL_TWO, SEAL_NAMES
from .topics import (
    CO_SIGN_OPINIONS,
    LEVEL_TWO_OPINIONS,
    RETURN_OPINIONS,
    REVIEW_OPINIONS,
    SIGN_OFF_OPINIONS,
    body_text,
    leader_name,
)

S = OutgoingDocument.State
D = DocType


class Cut(Exception):
    """The story reached the present moment, or the step it is held at."""


class Teller:
    """Tells the stories: each step at a moment (working-day index, minute), as the workflow
    would have done it, up to the present or the step the story is held at."""

    def __init__(self, demo, working_days, now_at):
        self.units = demo["units"]
        self.users = demo["users"]
        self.wd = working_days
        self.now_at = now_at
        self.tz = timezone.get_current_timezone()
        self.moments = {}

    def moment(self, at):
        if at not in self.moments:
            day, minute = at
            time = datetime.time(min(minute, 24 * 60 - 1) // 60, minute % 60)
            self.moments[at] = datetime.datetime.combine(self.wd.days[day], time, tzinfo=self.tz)
        return self.moments[at]

    # one step ------------------------------------------------------------------------------

    def step(self, plan, at, actor, action, to_state=None, opinion=""):
        if at > self.now_at:
            raise Cut
        before = S(plan.state).label if to_state is not None and action != "draft" else ""
        after = S(to_state).label if to_state is not None else ""
        plan.events.append((at, actor, action, before, after, opinion))
        if to_state is not None:
            plan.state = to_state
        return self.moment(at)

    def held(self, plan, state, detail=None):
        if plan.hold == (state, detail):
            raise Cut

    def tell(self, plan):
        try:
            self._tell(plan)
        except Cut:
            pass
        return plan

    def _tell(self, plan):
        rng, users = plan.rng, self.users
        at = (plan.day, office_minute(rng))
        created = self.step(plan, at, plan.drafter, "draft", S.DRAFT)
        plan.fields["created_at"] = created
        plan.versions.append((1, plan.title, body_text(plan), plan.drafter, created, ""))
        self.held(plan, S.DRAFT)
        classified = plan.fields["classification"]
        level_one = [users[k] for k in LEVEL_ONE if users[k].clearance >= classified]
        returns = rng.choices((0, 1, 2), (70, 25, 5))[0]
        where = [rng.choices(("one", "two", "signer"), (5, 3, 2))[0] for _ in range(returns)]
        if plan.co_units:  # a text the signer sends back is co-signed again: keep it simple
            where = [w if w != "signer" else "two" for w in where]
        if plan.hold == (S.RETURNED, None) and not where:
            where = ["one"]
        leader = self.leader_for(plan)
        level_two = users[self.topic_secretary_general(plan)]
        round_ = 0
        while True:
            returning = where[round_] if round_ < len(where) else None
            at = later_moment(rng, at, rng.choice((0, 0, 1)))
            self.step(plan, at, plan.drafter, "submit", S.IN_REVIEW)
            plan.review_level = 1
            self.held(plan, S.IN_REVIEW, 1)
            version = plan.versions[-1][0]
            reviewer = rng.choice(level_one)
            at = later_moment(rng, at, rng.choice((0, 0, 1)), 20, 240)
            if returning == "one":
                at = self.send_back(plan, at, reviewer, 1, version)
                round_ += 1
                continue
            opinion = rng.choice(REVIEW_OPINIONS)
            self.step(plan, at, reviewer, "pass_review", S.IN_REVIEW, opinion)
            plan.reviews.append((1, version, reviewer, "approved", opinion, self.moment(at)))
            plan.review_level = 2
            self.held(plan, S.IN_REVIEW, 2)
            at = later_moment(rng, at, rng.choice((0, 1, 1)), 20, 240)
            if returning == "two":
                at = self.send_back(plan, at, level_two, 2, version)
                round_ += 1
                continue
            opinion = rng.choice(LEVEL_TWO_OPINIONS).format(leader=leader_name(leader))
            if plan.co_units:
                self.step(plan, at, level_two, "send_to_co_sign", S.CO_SIGNING, opinion)
            else:
                self.step(plan, at, level_two, "finish_review", S.AWAITING_SIGN_OFF, opinion)
            plan.reviews.append((2, version, level_two, "approved", opinion, self.moment(at)))
            if plan.co_units:
                at = self.co_sign(plan, at)
            self.held(plan, S.AWAITING_SIGN_OFF)
            at = later_moment(rng, at, rng.choice((0, 1, 1, 2)), 30, 300)
            if returning == "signer":
                at = self.send_back(plan, at, leader, 0, version, signer=True)
                round_ += 1
                continue
            break
        opinion = rng.choice(SIGN_OFF_OPINIONS)
        plan.signer, plan.sign_off_opinion = leader, opinion
        plan.signed_at = self.step(plan, at, leader, "sign_off", S.SIGNED, opinion)
        self.held(plan, S.SIGNED)
        self.finish(plan, at)

    def send_back(self, plan, at, reviewer, level, version, *, signer=False):
        """退回修改 with comments; the drafter revises (a new 稿本) and the story goes on."""
        rng = plan.rng
        opinion = rng.choice(RETURN_OPINIONS)
        self.step(plan, at, reviewer, "return_for_revision", S.RETURNED, opinion)
        plan.reviews.append((level, version, reviewer, "returned", opinion, self.moment(at)))
        plan.review_level = 0
        self.held(plan, S.RETURNED)
        at = later_moment(rng, at, rng.choice((0, 1, 1)), 60, 300)
        number = version + 1
        note = "根据审核意见修改" if not signer else "根据领导意见修改"
        revised = self.step(plan, at, plan.drafter, "revise", None, f"第{number}稿：{note}")
        plan.versions.append(
            (number, plan.title, body_text(plan, number), plan.drafter, revised, note)
        )
        return at

    def co_sign(self, plan, at):
        """会签 by each concerned unit in parallel; the last opinion sends it to sign-off."""
        rng = plan.rng
        requested = self.moment(at)
        plan.co_signs = [[unit, requested, "", None, None] for unit in plan.co_units]
        answers = sorted(
            (later_moment(rng, at, rng.choice((0, 1, 1, 2)), 30, 300), index)
            for index in range(len(plan.co_units))
        )
        for position, (when, index) in enumerate(answers):
            if plan.hold == (S.CO_SIGNING, None) and position == len(answers) - 1:
                raise Cut  # the last unit (a demo unit) is still to give its opinion
            unit = self.units[plan.co_units[index]]
            person = self.unit_person(plan.co_units[index])
            opinion = rng.choice(CO_SIGN_OPINIONS)
            actor = person or unit
            signed_at = self.step(plan, when, actor, "co_sign", S.CO_SIGNING, opinion)
            plan.co_signs[index][2:] = [opinion, person, signed_at]
            at = when
        self.step(plan, at, actor, "finish_co_signing", S.AWAITING_SIGN_OFF)
        return at

    def finish(self, plan, at):
        """复核编号, 用印, 核发, the units' 签收 and 归档."""
        rng, users = plan.rng, self.users
        confidential = plan.fields["classification"] >= Clearance.CONFIDENTIAL
        clerk = (
            users["secretary_chief"]
            if confidential
            else rng.choice((users["secretary_documents"], users["secretary_documents_clerk"]))
        )
        at = later_moment(rng, at, rng.choice((0, 1, 1)), 30, 240)
        if plan.void is not None:
            taken = at
            at = later_moment(rng, at, 0, 10, 40)
            plan.void = (taken, at, plan.void[2])
            at = later_moment(rng, at, 0, 2, 10)
        self.step(plan, at, clerk, "number", S.NUMBERED)  # opinion: the number, given later
        plan.numbered = (at, clerk)
        self.held(plan, S.NUMBERED)
        at = later_moment(rng, at, rng.choice((0, 0, 1)), 30, 180)
        copies = plan.fields["print_copies"]
        self.step(plan, at, clerk, "seal", S.SEALED, f"{SEAL_NAMES[plan.issuer]}，{copies}份")
        plan.sealed_at = self.moment(at)
        plan.seal_use = (plan.issuer, copies, clerk, plan.signer, plan.sealed_at)
        self.held(plan, S.SEALED)
        at = later_moment(rng, at, 0, 10, 90)
        recipients = [(u, Receipt.Role.MAIN) for u in plan.main] + [
            (u, Receipt.Role.CC) for u in plan.cc if u not in plan.main
        ]
        names = "、".join(self.units[u].short_name for u, _ in recipients)
        on_paper = confidential
        action = "dispatch_on_paper" if on_paper else "dispatch"
        plan.dispatched_at = self.step(plan, at, clerk, action, S.DISPATCHED, names)
        sent_at = at
        stubborn = plan.hold is None and rng.random() < 0.012  # a unit that never signs
        pending = plan.hold[1] if plan.hold and plan.hold[0] == S.DISPATCHED else ()
        signed_all = True
        due = None if on_paper else self.receipt_due(sent_at)
        for position, (unit_key, role) in enumerate(recipients):
            receipt = {
                "unit": unit_key,
                "role": role,
                "channel": Receipt.Channel.PAPER if on_paper else Receipt.Channel.EXCHANGE,
                "sent_at": plan.dispatched_at,
                "due_at": self.moment(due) if due else None,
                "received_at": None,
                "received_by": None,
                "chased_at": None,
            }
            plan.receipts.append(receipt)
            # A unit with nobody in the system (a higher authority): the secretary records it.
            person = (
                self.unit_person(unit_key, handler_first=True)
                or self.users["secretary_documents_clerk"]
            )
            late = rng.random() < 0.08
            if on_paper:
                when = later_moment(rng, sent_at, rng.choice((0, 1)), 60, 300)
            elif late:
                when = (due[0] + rng.choice((0, 1)), min(due[1] + rng.randint(30, 240), 23 * 60))
            else:
                when = later_moment(rng, sent_at, 0, 15, 360)
            never = unit_key in pending or (stubborn and position == len(recipients) - 1)
            if never or when > self.now_at:
                signed_all = False
                if due and due < self.now_at and rng.random() < 0.7:
                    chased = later_moment(rng, due, 0, 10, 60)
                    if chased <= self.now_at:
                        receipt["chased_at"] = self.moment(chased)
                continue
            receipt["received_at"] = self.moment(when)
            receipt["received_by"] = person
            plan.events.append((when, person, "receive", "", "", self.units[unit_key].name))
        if not signed_all or pending:
            return
        last = max((e[0] for e in plan.events), default=at)
        at = later_moment(rng, last, rng.randint(2, 12))
        self.step(plan, at, users["secretary_documents_clerk"], "archive", S.ARCHIVED)
        plan.archived_at = self.moment(at)

    # who ---------------------------------------------------------------------------------------

    def receipt_due(self, sent):
        """签收时限: SIGNING_HOURS working hours after sending (office hours on working days), as
        documents.workflow.outgoing.dispatch sets it."""
        due = timezone.localtime(add_working_hours(self.moment(sent), SIGNING_HOURS))
        return (self.wd.index_on_or_before(due.date()), due.hour * 60 + due.minute)

    def unit_person(self, unit_key, *, handler_first=False):
        """The demo account who acts for a unit (head, or handler first for receipts), if any."""
        unit = self.units[unit_key]
        order = ("handler", "head") if handler_first else ("head", "handler")
        for suffix in order:
            user = self.users.get(f"{unit_key}_{suffix}")
            if user is not None and user.unit_id == unit.pk:
                return user
        return None

    def leader_for(self, plan):
        """签发人: the mayor for 令 and 决定, the vice mayor of the field for the government's
        other documents, the secretary-general or the linked deputy for the office's."""
        users, rng = self.users, plan.rng
        if plan.issuer == "government":
            if plan.doc_type in (D.ORDER, D.DECISION, D.REQUEST) or rng.random() < 0.15:
                return users["mayor"]
            return users[plan.topic.leader]
        if rng.random() < 0.4:
            return users["secretary_general"]
        return users[self.topic_secretary_general(plan)]

    def topic_secretary_general(self, plan):
        liaison = self.users[plan.topic.leader].liaison
        return next(
            (key for key in LEVEL_TWO if liaison and self.users[key].pk == liaison.pk), LEVEL_TWO[0]
        )
