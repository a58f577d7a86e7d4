"""The life of one demo 建议提案, told step by step as proposals.workflow takes it (DOMAIN.md §7):
登记 at the import after the session, 并案 for the merged pairs, 交办 at the 交办会, 申请调整 and
the office's decision, 接收, 会办意见, 沟通联系, the reply letter drafted from
proposals.reply_templates, submitted, now and then 退回, 签发 and sent, the proposer's 评价 — then
办结, or 重新办理 after 不满意 with the second round rated again.

The steps' dates are planned from the session's anchors (the import, the 交办会, the 答复期限) and,
for the items still moving, from today; the story stops at the present moment, so each item's
state, dates and rows are what the workflow would have left (a replied item has its sent letter, a
rated one its rating, a re-handled one two of each)."""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from office.seed.clock import Cut

from ..models import (
    Contact,
    CoOpinion,
    Proposal,
    Rating,
    ReassignmentRequest,
    ReplyLetter,
    add_months,
)
from ..reply_templates import reply_text
from ..workflow import PROPOSAL
from . import texts

S = Proposal.State
L = Rating.Level
OPENS, CLOSES = 8 * 60 + 40, 17 * 60 + 40
WAYS = (
    (Contact.Way.PHONE, 35),
    (Contact.Way.VISIT, 25),
    (Contact.Way.MEETING, 15),
    (Contact.Way.SITE, 10),
    (Contact.Way.ONLINE, 10),
    (Contact.Way.LETTER, 5),
)
ROUND1_CLASSES = {"closed": "AAAAAAAAAAAAAAAAAAAAAAABBBBBBBBBBBBBBCCCC", "awaiting": "AABBC"}


@dataclass
class Anchors:
    registered: datetime.date  # the import after the session
    merged: datetime.date
    assigned: datetime.date  # 交办会


@dataclass
class Told:
    spec: object
    fields: dict = field(default_factory=dict)
    co_units: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    co_opinions: list = field(default_factory=list)
    letters: dict = field(default_factory=dict)  # round → ReplyLetter
    ratings: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (at, actor, action, label, from, to, opinion)


class Life:
    def __init__(self, spec, *, session, rng, clock, anchors, cast):
        self.s, self.session, self.rng, self.clock, self.a = spec, session, rng, clock, anchors
        self.cast = cast
        self.told = Told(spec)
        self.state = None
        self.round = 1
        self.lead = None
        self.co = []
        self.f = {
            "assigned_on": None,
            "reassign_until": None,
            "deadline": None,
            "replied_on": None,
            "closed_on": None,
        }
        self.last_at = None
        self.registered_at = None
        self.merged = False

    # --- moments, people and the trail ---------------------------------------------------------

    def moment(self, day, minute=None):
        if minute is None:
            minute = self.rng.randint(OPENS, CLOSES)
        at = self.clock.at(day, minute)
        if self.last_at is not None and at <= self.last_at:
            at = self.last_at + datetime.timedelta(minutes=self.rng.randint(3, 40))
        if at > self.clock.now:
            raise Cut
        self.last_at = at
        return at

    def local(self, at):
        return at.astimezone(self.clock.tz).date()

    def event(self, at, actor, action, label, before="", after="", opinion=""):
        self.told.events.append((at, actor, action, label, before, after, opinion))

    def move(self, at, actor, name, opinion=""):
        t = PROPOSAL.transitions[name]
        assert self.state in t.sources, (self.s.number, self.state, name)
        self.event(at, actor, name, t.label, S(self.state).label, S(t.target).label, opinion)
        self.state = t.target

    def person(self, unit):
        """Who of the unit acts (its handler, else its head), or None when nobody of it is here."""
        handler, head = self.cast.people.get(unit.pk, (None, None))
        return handler or head

    def actor(self, unit):
        """The trail's actor for a unit's step: its person, or the unit itself."""
        return self.person(unit) or unit

    def writer(self, unit):
        """Who a unit's row is recorded by: its person, or the office's staff (代录)."""
        return self.person(unit) or self.cast.office

    def head(self, unit):
        return self.cast.people.get(unit.pk, (None, None))[1]

    # --- the story -----------------------------------------------------------------------------

    def tell(self):
        try:
            self.intake()
            self.assignment()
            getattr(self, f"fate_{self.s.fate}")()
        except Cut:
            pass
        self.told.fields = {
            **self.f,
            "state": self.state,
            "round": self.round,
            "lead_unit": self.lead,
            "registered_at": self.registered_at,
        }
        self.told.co_units = list(self.co)
        return self.told

    def intake(self):
        office = self.cast.office
        at = self.moment(self.a.registered, 9 * 60 + 30)
        self.registered_at = at
        self.state = S.REGISTERED
        self.event(at, office, "register", "登记", "", S.REGISTERED.label)
        if self.s.merge_with is not None:
            at = self.moment(self.a.merged, 15 * 60)
            self.merged = True
            self.event(
                at,
                office,
                "merge",
                "并案办理",
                "",
                "",
                f"与 {self.cast.pair_names(self.s)} 并案办理",
            )

    def assignment(self):
        s, units, clock, rng = self.s, self.cast.units, self.clock, self.rng
        lead = units[s.first_lead or s.lead]
        co = [units[k] for k in s.co if k != (s.first_lead or s.lead)]
        at = self.moment(self.a.assigned, 10 * 60 + rng.randint(0, 50))
        day = self.local(at)
        opinion = f"主办：{lead.name}" + (f"；会办：{'、'.join(u.name for u in co)}" if co else "")
        self.move(at, self.cast.office, "assign", opinion)
        self.lead, self.co = lead, co
        months = self.session.reply_months
        if s.is_key and self.session.key_reply_months:
            months = self.session.key_reply_months
        self.f["assigned_on"] = day
        self.f["deadline"] = add_months(day, months)
        self.f["reassign_until"] = clock.add(day, self.session.reassignment_working_days)
        if s.reassignment:
            self.reassignment(day)
        else:
            at = self.moment(clock.add(day, rng.choice((0, 1, 1, 2, 3))))
            self.move(at, self.actor(self.lead), "accept")

    def reassignment(self, day):
        s, units, clock, rng = self.s, self.cast.units, self.clock, self.rng
        target = units[s.lead] if s.reassignment == "approved" else units[s.suggested]
        reason = rng.choice(texts.REASSIGN_REASONS).format(o=s.subject, u=target.name)
        at = self.moment(clock.add(day, rng.randint(1, 3)))
        self.move(at, self.actor(self.lead), "request_reassignment", reason)
        request = ReassignmentRequest(
            unit=self.lead,
            reason=reason,
            suggested_unit=target,
            requested_by=self.writer(self.lead),
            requested_at=at,
        )
        self.told.requests.append(request)
        at = self.moment(clock.add(self.local(at), rng.randint(1, 2)))
        office = self.cast.office
        request.decided_by, request.decided_at = office, at
        if s.reassignment == "approved":
            old = self.lead
            request.outcome = ReassignmentRequest.Outcome.APPROVED
            request.opinion = "同意调整。"
            self.move(
                at, office, "approve_reassignment", f"由{old.name}调整为{target.name}；同意调整。"
            )
            self.lead = target
            self.co = [u for u in self.co if u.pk != target.pk]
            self.f["reassign_until"] = clock.add(
                self.local(at), self.session.reassignment_working_days
            )
        else:
            request.outcome = ReassignmentRequest.Outcome.REJECTED
            request.opinion = rng.choice(texts.REJECT_OPINIONS).format(u=target.name)
            self.move(at, office, "reject_reassignment", request.opinion)
        at = self.moment(clock.add(self.local(at), rng.choice((0, 1, 2))))
        self.move(at, self.actor(self.lead), "accept")

    # --- the steps of a round ------------------------------------------------------------------

    def days_after(self, day, low, high):
        return day + datetime.timedelta(days=self.rng.randint(low, max(low, high)))

    def co_opinions(self, start, before):
        for unit in self.co:
            day = self.days_after(start, 3, (before - start).days - 2)
            at = self.moment(min(day, before))
            text = self.rng.choice(texts.CO_OPINIONS).format(o=self.s.subject)
            self.told.co_opinions.append(
                CoOpinion(
                    round=self.round,
                    unit=unit,
                    text=text,
                    submitted_by=self.writer(unit),
                    submitted_at=at,
                )
            )
            self.event(
                at,
                self.actor(unit),
                "give_co_opinion",
                "会办意见",
                "",
                "",
                f"{unit.name}：{text[:100]}",
            )

    def contact(self, day, way=None):
        rng, s = self.rng, self.s
        if way is None:
            way = rng.choices([w for w, _ in WAYS], [n for _, n in WAYS])[0]
        at = self.moment(day)
        lead = s.authors[0]
        title = "" if not lead[3] and lead[1] in texts.COLLECTIVE.values() else self.cast.title(s)
        staff = f"{rng.choice(texts.SURNAMES)}{rng.choice(texts.CONTACT_STAFF)}"
        people = f"{lead[1]}{title}；{self.lead.short_name or self.lead.name}{staff}"
        measure = rng.choice(texts.MEASURES[s.category])
        content = (
            f"就《{s.title}》与{lead[1]}{title}沟通，介绍我单位{measure}等工作情况及下一步打算，"
            f"听取意见建议。{rng.choice(texts.CONTACT_RESPONSES).format(t=self.cast.title(s))}"
        )
        if self.round == 2:
            content = "重新办理：" + content
        self.told.contacts.append(
            Contact(
                round=self.round,
                contacted_on=self.local(at),
                way=way,
                people=people,
                content=content,
                unit=self.lead,
                recorded_by=self.writer(self.lead),
                recorded_at=at,
            )
        )
        shown = Contact.Way(way).label
        self.event(
            at,
            self.actor(self.lead),
            "record_contact",
            "沟通联系",
            "",
            "",
            f"{self.local(at):%Y-%m-%d} {shown}：{content[:100]}",
        )

    def body(self, reply_class):
        s, rng = self.s, self.rng
        stand_in = SimpleNamespace(
            lead_author=SimpleNamespace(name=s.authors[0][1]),
            session=self.session,
            title=s.title,
            get_kind_display=lambda: Proposal.Kind(s.kind).label,
            number_text=f"第{s.number:04d}号",
        )
        text = reply_text(stand_in, reply_class)
        m = texts.MEASURES[s.category]
        unit = self.lead.short_name or self.lead.name
        substance = (
            f"{unit}高度重视您提出的意见建议，结合职责认真研究办理。"
            f"一是{m[0]}；二是{m[1]}；三是{m[2]}。下一步，我们将会同有关单位持续抓好落实。"
        )
        if self.round == 2:
            substance = "根据您的评价意见，我们对该件重新进行了研究办理。" + substance
        text = text.replace("　　……\n", f"　　{substance}\n", 1)
        return text.replace("受……等条件限制", f"受{rng.choice(texts.C_REASONS)}等条件限制", 1)

    def draft(self, day, reply_class):
        at = self.moment(day)
        handler = self.writer(self.lead)
        person = self.person(self.lead)
        letter = self.told.letters.get(self.round) or ReplyLetter(round=self.round)
        letter.reply_class = reply_class
        letter.body = self.body(reply_class)
        letter.unit = self.lead
        letter.contact_person = person.real_name if person else ""
        letter.contact_phone = person.phone if person else ""
        letter.drafted_by = handler
        letter.drafted_at = at
        self.told.letters[self.round] = letter
        self.event(at, self.actor(self.lead), "draft_reply", "拟答复函", "", "", f"{reply_class}类")

    def reply(self, start, send, reply_class, stop=None):
        """One round from its start to the letter sent on `send` (or up to `stop`)."""
        clock, rng = self.clock, self.rng
        approve = clock.add(send, -rng.choice((0, 0, 1, 2)))
        submit = clock.add(approve, -rng.choice((0, 1, 1, 2, 3)))
        draft = clock.add(submit, -rng.choice((0, 1, 2)))
        if self.s.returned:
            first_draft = clock.add(draft, -4)
        else:
            first_draft = draft
        self.co_opinions(start, first_draft)
        contacts = 2 if self.s.is_key else 1
        for n in range(contacts):
            way = (Contact.Way.MEETING, Contact.Way.SITE)[n] if self.s.is_key else None
            self.contact(self.days_after(start, 4, (first_draft - start).days - 2), way)
        if stop == "contact":
            return
        if self.s.returned:
            self.draft(first_draft, "B" if reply_class == "A" else reply_class)
            at = self.moment(clock.add(first_draft, 1))
            self.move(at, self.actor(self.lead), "submit_reply")
            at = self.moment(clock.add(first_draft, 2))
            self.move(
                at,
                self.head(self.lead) or self.lead,
                "return_reply",
                rng.choice(texts.RETURN_OPINIONS),
            )
        self.draft(draft, reply_class)
        at = self.moment(submit)
        self.move(at, self.actor(self.lead), "submit_reply")
        if stop == "submit":
            return
        at = self.moment(approve)
        self.move(at, self.head(self.lead) or self.lead, "approve_reply")
        letter = self.told.letters[self.round]
        letter.signed_by, letter.signed_at = self.head(self.lead), at
        if stop == "approve":
            return
        at = self.moment(send)
        liaison = self.session.liaison_body
        self.move(at, self.actor(self.lead), "send_reply", f"抄送{liaison}" if liaison else "")
        letter.sent_on = self.f["replied_on"] = self.local(at)

    def rate(self, day, result, *, link=None, remarks=""):
        rng = self.rng
        if link is None:
            link = rng.random() < 0.3
        if result == L.DISSATISFIED:
            attitude = rng.choice((L.SATISFIED, L.BASICALLY_SATISFIED))
        else:
            attitude = L.SATISFIED if rng.random() < 0.93 else L.BASICALLY_SATISFIED
        if not link:
            day = self.clock.add(day, 0)
        at = self.moment(day)
        actor = None if link else self.cast.office
        rating = Rating(
            round=self.round,
            attitude=attitude,
            result=result,
            remarks=remarks,
            channel=Rating.Channel.LINK if link else Rating.Channel.OFFICE,
            entered_by=actor,
            rated_at=at,
        )
        self.told.ratings.append(rating)
        words = (
            f"办理态度{L(attitude).label}，办理结果{L(result).label}"
            f"（{Rating.Channel(rating.channel).label}）"
        )
        self.move(at, actor, "rate", words)
        day = self.local(at)
        if result != L.DISSATISFIED or self.round >= 2:
            self.move(at, actor, "close")
            self.f["closed_on"] = day
        else:
            deadline = add_months(day, self.session.rehandle_months)
            self.move(at, actor, "rehandle", f"评价不满意，重新办理，答复期限 {deadline:%Y-%m-%d}")
            self.round = 2
            self.f["deadline"], self.f["replied_on"] = deadline, None

    def satisfied(self):
        return L.SATISFIED if self.rng.random() < 0.8 else L.BASICALLY_SATISFIED

    def first_send(self):
        """The first reply's day: within the three months (weighted to the second half), or a
        few weeks late."""
        a, deadline, rng = self.f["assigned_on"], self.f["deadline"], self.rng
        if self.s.late:
            return self.clock.add(deadline + datetime.timedelta(days=rng.randint(3, 25)), 0)
        span = (deadline - a).days
        day = a + datetime.timedelta(days=int(rng.triangular(30, span - 1, span * 0.75)))
        return min(self.clock.add(day, 0), self.clock.add(deadline, -1))

    def accepted_on(self):
        return self.local(self.last_at)

    def recent(self, days_ago, floor_days=45):
        """A day `days_ago` before today, but not before the 交办会 + `floor_days`."""
        floor = self.f["assigned_on"] + datetime.timedelta(days=floor_days)
        return max(floor, self.clock.today - datetime.timedelta(days=days_ago))

    # --- fates ---------------------------------------------------------------------------------

    def fate_closed(self):
        send = self.first_send()
        self.reply(self.accepted_on(), send, self.rng.choice(ROUND1_CLASSES["closed"]))
        self.rate(self.days_after(send, 7, 40), self.satisfied())

    def fate_awaiting(self):
        send = self.clock.add(self.recent(self.rng.randint(6, 30)), 0)
        self.reply(self.accepted_on(), send, self.rng.choice(ROUND1_CLASSES["awaiting"]))

    def fate_stuck(self):
        start = self.accepted_on()
        self.reply(start, start + datetime.timedelta(days=60), "B", stop="contact")

    def fate_submitted(self):
        self.reply(self.accepted_on(), self.clock.add(self.clock.today, -1), "B", stop="submit")

    def dissatisfied(self, rated_on):
        """Round 1 replied (mostly C) and rated 不满意 on `rated_on` (through the link, any day)."""
        send = self.clock.add(rated_on - datetime.timedelta(days=self.rng.randint(10, 25)), 0)
        reply_class = "C" if self.rng.random() < 0.7 else "B"
        self.reply(self.accepted_on(), send, reply_class)
        remarks = self.rng.choice(texts.DISSATISFIED_REMARKS)
        self.rate(rated_on, L.DISSATISFIED, link=True, remarks=remarks)

    def second_class(self):
        return self.rng.choice("AAABBBBBBC")

    def fate_rehandled(self):
        send = self.first_send()
        self.dissatisfied(self.days_after(send, 12, 30))
        start = self.local(self.last_at)
        send2 = self.clock.add(start + datetime.timedelta(days=self.rng.randint(15, 26)), 0)
        self.reply(start, min(send2, self.clock.add(self.f["deadline"], -1)), self.second_class())
        level = self.rng.choices((L.SATISFIED, L.BASICALLY_SATISFIED, L.DISSATISFIED), (5, 4, 1))[0]
        self.rate(
            self.days_after(self.f["replied_on"], 5, 20),
            level,
            remarks=self.rng.choice(texts.SECOND_REMARKS),
        )

    def rated_for_deadline(self, working_days_ahead):
        """The day a 不满意 rating gives a 重新办理 deadline `working_days_ahead` from today."""
        target = self.clock.add(self.clock.today, working_days_ahead)
        floor = self.f["assigned_on"] + datetime.timedelta(days=60)
        return max(floor, add_months(target, -self.session.rehandle_months))

    def fate_r2_green(self):
        self.dissatisfied(self.rated_for_deadline(8))
        start = self.local(self.last_at)
        self.reply(start, start + datetime.timedelta(days=40), "B", stop="contact")

    def fate_r2_yellow(self):
        self.dissatisfied(self.rated_for_deadline(2))
        start = self.local(self.last_at)
        self.reply(start, start + datetime.timedelta(days=40), "B", stop="contact")

    def fate_r2_approved(self):
        self.dissatisfied(self.rated_for_deadline(10))
        start = self.local(self.last_at)
        yesterday = self.clock.add(self.clock.today, -1)
        self.reply(start, yesterday, self.second_class(), stop="approve")

    def fate_r2_awaiting(self):
        self.dissatisfied(self.recent(45, 60))
        start = self.local(self.last_at)
        send = self.clock.add(max(start + datetime.timedelta(days=10), self.recent(8, 80)), 0)
        self.reply(start, min(send, self.clock.add(self.f["deadline"], -1)), self.second_class())
