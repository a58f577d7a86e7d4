"""Planning the year of demo 发文: what each document is (文种, header, topic, title, drafter,
recipients, co-signing units) drawn from a random generator seeded per document, and the recent
stories held at one step (HOLDS) so that every demo account finds work waiting."""

import datetime
import random
from dataclasses import dataclass, field

from office.models import Clearance, Urgency, User

from ..models import Direction, DocType, OutgoingDocument
from .topics import (
    ANNOUNCEMENTS,
    COLLECTIVE_ADDRESSEE,
    DEPARTMENTS,
    DISTRICTS,
    KINDS,
    ORDERS,
    PEOPLE_UNITS,
    TOPICS,
    UNIT_NAMES,
    UPWARD,
    VOID_REASONS,
    Topic,
)

SEED = 20260534
YEAR_DOCUMENTS = 534  # DOMAIN.md §4: one city office's year

S = OutgoingDocument.State
D = DocType


@dataclass
class Plan:
    """One document's plan and, once told, its rows as they stand at the cut."""

    index: int
    rng: random.Random
    day: int
    doc_type: str
    issuer: str
    topic: Topic
    title: str
    drafter: User
    hold: tuple | None = None  # (state, detail) it waits at, or None for the whole story
    fields: dict = field(default_factory=dict)
    main: list = field(default_factory=list)
    cc: list = field(default_factory=list)
    co_units: list = field(default_factory=list)
    # What the story wrote:
    state: str = S.DRAFT
    review_level: int = 0
    versions: list = field(default_factory=list)  # (number, title, body, author, at, note)
    reviews: list = field(default_factory=list)  # (level, version, reviewer, outcome, opinion, at)
    co_signs: list = field(default_factory=list)  # [unit, requested_at, opinion, by, at]
    events: list = field(default_factory=list)  # (at, actor, action, before, after, opinion)
    signer: User | None = None
    signed_at: datetime.datetime | None = None
    sign_off_opinion: str = ""
    numbered: tuple | None = None  # ((day, minute), actor) of 复核编号
    void: tuple | None = None  # (allocated (day, minute), voided (day, minute), reason)
    sealed_at: datetime.datetime | None = None
    seal_use: tuple | None = None  # (issuer, copies, applicant, approver, at)
    dispatched_at: datetime.datetime | None = None
    receipts: list = field(default_factory=list)
    archived_at: datetime.datetime | None = None
    # Given once every story is told:
    register: str = ""
    year: int = 0
    serial: int = 0
    number: str = ""


class Planner:
    def __init__(self, demo, working_days):
        self.units = demo["units"]
        self.users = demo["users"]
        self.wd = working_days
        self.minutes_count = {}

    def plan(self, index, day, *, hold=None, doc_type=None, issuer=None, topic=None, drafter=None):
        rng = random.Random(SEED * 10_000 + index)
        if doc_type is None:
            kinds = [k for k, *_ in KINDS]
            doc_type = rng.choices(kinds, [w for _, w, _ in KINDS])[0]
        share = next(g for k, _, g in KINDS if k == doc_type)
        if issuer is None:
            issuer = "government" if rng.random() < share else "office"
        topic = topic or rng.choice(TOPICS)
        classification = Clearance.NONE
        if hold is None and doc_type not in (D.ORDER, D.ANNOUNCEMENT, D.MINUTES):
            roll = rng.random()
            if roll < 0.008:
                classification = Clearance.CONFIDENTIAL
            elif roll < 0.04:
                classification = Clearance.SECRET
        drafter = drafter or self.drafter(rng, doc_type, topic, classification)
        year = self.wd.days[day].year
        title = self.title(rng, doc_type, issuer, topic, year)
        plan = Plan(index, rng, day, doc_type, issuer, topic, title, drafter, hold=hold)
        urgency = rng.choices((Urgency.NORMAL, Urgency.URGENT, Urgency.EXTRA_URGENT), (85, 12, 3))[
            0
        ]
        plan.main, plan.cc = self.recipients(rng, doc_type, issuer, topic, title)
        copies = len(plan.main) + len(plan.cc) + rng.randint(5, 15)
        plan.fields = {
            "doc_type": doc_type,
            "issuing_unit": self.units[issuer],
            "direction": Direction.UPWARD
            if doc_type in UPWARD
            else Direction.PARALLEL
            if doc_type == D.LETTER
            else Direction.DOWNWARD,
            "title": title,
            "classification": classification,
            "secrecy_period": {
                Clearance.SECRET: rng.choice(("1年", "2年", "5年")),
                Clearance.CONFIDENTIAL: "10年",
            }.get(classification, ""),
            "copy_number": f"{rng.randint(1, copies):06d}" if classification else "",
            "urgency": urgency,
            "print_copies": copies,
            "printing_unit": self.units["office"],
            "drafter": drafter,
            "drafting_unit_id": drafter.unit_id,
        }
        if doc_type not in UPWARD and doc_type != D.LETTER and len(plan.main) >= 4:
            plan.fields["addressee_text"] = COLLECTIVE_ADDRESSEE
        if rng.random() < 0.15 and doc_type in (D.NOTICE, D.OPINION, D.REPLY, D.DECISION):
            choices = [u for u in topic.units if u in PEOPLE_UNITS] or list(PEOPLE_UNITS)
            plan.co_units = rng.sample(choices, min(len(choices), rng.randint(1, 2)))
        if doc_type == D.LETTER and hold is None and rng.random() < 0.02:
            plan.void = (None, None, rng.choice(VOID_REASONS))
        return plan

    def drafter(self, rng, doc_type, topic, classification):
        users = self.users
        if classification >= Clearance.CONFIDENTIAL:
            return users["secretary_chief"]
        if doc_type == D.MINUTES:
            return users["secretary_meetings"]
        if doc_type in (D.ORDER, D.DECISION):
            return users["secretary_legal"]
        if topic.drafter and classification == Clearance.NONE and rng.random() < 0.25:
            return users[topic.drafter]  # 代拟稿 by the unit that knows the field
        return users[
            rng.choices(
                ("secretary_drafting", "secretary_documents_clerk", "secretary_proposals"),
                (6, 2, 1),
            )[0]
        ]

    def title(self, rng, doc_type, issuer, topic, year):
        work = rng.choice(topic.works)
        plan = rng.choice(topic.plans)
        campaign = rng.choice(topic.campaigns)
        ask = rng.choice(topic.asks)
        requester = rng.choice(topic.units)
        requester_name = UNIT_NAMES.get(requester) or self.units[requester].short_name
        if doc_type == D.NOTICE:
            return rng.choice(
                (
                    f"关于做好{year}年{work}工作的通知",
                    f"关于印发《珠海市{plan}》的通知",
                    f"关于开展{campaign}的通知",
                    f"关于进一步加强{work}工作的通知",
                )
            )
        if doc_type == D.OPINION:
            return rng.choice(
                (f"关于进一步加强{work}工作的意见", f"关于加快推进{work}工作的实施意见")
            )
        if doc_type == D.REPLY:
            return f"关于同意{requester_name}{ask}的批复"
        if doc_type == D.LETTER:
            return f"关于{rng.choice(topic.letters)}的函"
        if doc_type == D.REPORT:
            return rng.choice(
                (f"关于{year}年{work}工作情况的报告", f"关于{campaign}开展情况的报告")
            )
        if doc_type == D.REQUEST:
            return f"关于{ask}的请示"
        if doc_type == D.CIRCULAR:
            return rng.choice(
                (f"关于{campaign}督查情况的通报", f"关于{year}年上半年{work}工作情况的通报")
            )
        if doc_type == D.DECISION:
            return rng.choice(
                (
                    f"关于表彰{year}年度{work}工作先进集体和先进个人的决定",
                    f"关于修改《珠海市{plan}》的决定",
                    "关于废止和修改部分市政府规章的决定",
                )
            )
        if doc_type == D.MINUTES:
            if issuer == "government":
                count = self.minutes_count[year] = self.minutes_count.get(year, 0) + 1
                return f"市人民政府{year}年第{count}次常务会议纪要"
            return f"关于研究{work}工作的专题会议纪要"
        if doc_type == D.ORDER:
            return rng.choice(ORDERS)
        return f"关于{rng.choice(ANNOUNCEMENTS).format(year=year)}的公告"

    def recipients(self, rng, doc_type, issuer, topic, title):
        """主送 and 抄送 that fit the 文种: 请示/报告 go up to one body, 批复 to the asker,
        函 to the units concerned, the rest down to the districts and departments."""
        if doc_type in UPWARD:
            return (["province"] if issuer == "government" else ["province_office"]), []
        if doc_type == D.REPLY:
            requester = next(
                (
                    k
                    for k in topic.units
                    if (UNIT_NAMES.get(k) or self.units[k].short_name) in title
                ),
                topic.units[0],
            )
            others = [u for u in topic.units if u != requester]
            return [requester], rng.sample(others, min(len(others), rng.randint(0, 2)))
        if doc_type == D.LETTER:
            return rng.sample(topic.units, min(len(topic.units), rng.randint(1, 3))), []
        if doc_type == D.MINUTES:
            return rng.sample(topic.units, min(len(topic.units), rng.randint(2, 5))), [
                "npc",
                "cppcc",
            ]
        if doc_type in (D.ORDER, D.DECISION, D.OPINION) or rng.random() < 0.3:
            cc = ["npc", "cppcc"] + (["province_office"] if doc_type == D.ORDER else [])
            return [*DISTRICTS, *DEPARTMENTS], cc
        main = list(DISTRICTS) + [u for u in topic.units if u not in DISTRICTS]
        return main, (["npc", "cppcc"] if issuer == "government" and rng.random() < 0.5 else [])


# Recent stories held at one step, so every demo account finds work waiting. Each line: the
# state (and level, or the units that have not signed for it yet) it waits at, issuer (GOV 珠府 /
# OFF 珠府办), 文种, drafter, topic and co-signing units.
GOV, OFF = "government", "office"
HOLDS = tuple(
    ((state, detail), issuer, doc_type, drafter, topic, tuple(co.split()))
    for state, detail, issuer, doc_type, drafter, topic, co in (
        (S.DRAFT, None, OFF, D.NOTICE, "secretary_drafting", "social", ""),
        (S.DRAFT, None, GOV, D.NOTICE, "education_handler", "education", ""),
        (S.DRAFT, None, GOV, D.REPLY, "housing_handler", "housing", ""),
        (S.DRAFT, None, OFF, D.CIRCULAR, "supervisor_chief", "government", ""),
        (S.DRAFT, None, OFF, D.CIRCULAR, "supervisor_deputy", "emergency", ""),
        (S.DRAFT, None, OFF, D.NOTICE, "supervisor_clerk", "health", ""),
        (S.DRAFT, None, GOV, D.DECISION, "secretary_legal", "government", ""),
        (S.RETURNED, None, OFF, D.LETTER, "secretary_proposals", "social", ""),
        (S.RETURNED, None, GOV, D.REQUEST, "development_handler", "development", ""),
        (S.RETURNED, None, GOV, D.REPLY, "transport_handler", "transport", ""),
        (S.RETURNED, None, OFF, D.NOTICE, "secretary_drafting", "ecology", ""),
        (S.IN_REVIEW, 1, OFF, D.NOTICE, "secretary_drafting", "emergency", ""),
        (S.IN_REVIEW, 1, GOV, D.OPINION, "secretary_drafting", "education", ""),
        (S.IN_REVIEW, 1, OFF, D.LETTER, "secretary_documents_clerk", "finance", ""),
        (S.IN_REVIEW, 1, GOV, D.NOTICE, "finance_handler", "finance", ""),
        (S.IN_REVIEW, 1, GOV, D.MINUTES, "secretary_meetings", "development", ""),
        (S.IN_REVIEW, 2, GOV, D.NOTICE, "secretary_drafting", "development", ""),
        (S.IN_REVIEW, 2, GOV, D.REPORT, "secretary_drafting", "social", ""),
        (S.IN_REVIEW, 2, OFF, D.NOTICE, "secretary_drafting", "housing", ""),
        (S.IN_REVIEW, 2, OFF, D.LETTER, "health_handler", "health", ""),
        (S.CO_SIGNING, None, GOV, D.OPINION, "secretary_drafting", "education", "education"),
        (S.CO_SIGNING, None, GOV, D.NOTICE, "secretary_drafting", "housing", "housing"),
        (S.CO_SIGNING, None, GOV, D.NOTICE, "secretary_drafting", "development", "development"),
        (S.CO_SIGNING, None, OFF, D.NOTICE, "secretary_drafting", "emergency", "xiangzhou"),
        (S.CO_SIGNING, None, GOV, D.OPINION, "secretary_drafting", "finance", "finance"),
        (S.CO_SIGNING, None, OFF, D.NOTICE, "secretary_drafting", "transport", "transport"),
        (S.CO_SIGNING, None, GOV, D.NOTICE, "secretary_drafting", "health", "health"),
        (S.AWAITING_SIGN_OFF, None, GOV, D.NOTICE, "secretary_drafting", "development", ""),
        (S.AWAITING_SIGN_OFF, None, GOV, D.REPLY, "secretary_drafting", "education", ""),
        (S.AWAITING_SIGN_OFF, None, GOV, D.OPINION, "secretary_drafting", "housing", ""),
        (S.AWAITING_SIGN_OFF, None, GOV, D.NOTICE, "secretary_drafting", "emergency", ""),
        (S.AWAITING_SIGN_OFF, None, OFF, D.NOTICE, "secretary_drafting", "government", ""),
        (S.AWAITING_SIGN_OFF, None, OFF, D.LETTER, "secretary_documents_clerk", "social", ""),
        (S.AWAITING_SIGN_OFF, None, GOV, D.REQUEST, "secretary_drafting", "ecology", ""),
        (S.SIGNED, None, OFF, D.NOTICE, "secretary_drafting", "transport", ""),
        (S.SIGNED, None, GOV, D.LETTER, "secretary_drafting", "development", ""),
        (S.SIGNED, None, GOV, D.REPLY, "secretary_drafting", "government", ""),
        (S.NUMBERED, None, OFF, D.NOTICE, "secretary_drafting", "health", ""),
        (S.NUMBERED, None, GOV, D.NOTICE, "secretary_drafting", "finance", ""),
        (S.SEALED, None, OFF, D.LETTER, "secretary_documents_clerk", "education", ""),
        (S.SEALED, None, GOV, D.NOTICE, "secretary_drafting", "social", ""),
        # 已核发, and the units with demo accounts have not signed for them yet (签收).
        (
            S.DISPATCHED,
            ("education", "health"),
            GOV,
            D.NOTICE,
            "secretary_drafting",
            "education",
            "",
        ),
        (
            S.DISPATCHED,
            ("housing", "xiangzhou"),
            GOV,
            D.NOTICE,
            "secretary_drafting",
            "housing",
            "",
        ),
        (
            S.DISPATCHED,
            ("development", "finance"),
            OFF,
            D.NOTICE,
            "secretary_drafting",
            "development",
            "",
        ),
        (S.DISPATCHED, ("transport",), OFF, D.LETTER, "secretary_drafting", "transport", ""),
    )
)


def plan_year(demo, working_days, first, last):
    """Every document of the last twelve months: the year's stories spread over the working
    days, and the held ones among the last two weeks'."""
    planner = Planner(demo, working_days)
    users = demo["users"]
    days = last - first + 1
    issued = YEAR_DOCUMENTS - len(HOLDS)
    plans = []
    for index in range(issued):
        # Spread evenly over the window, the last three weeks left to the held stories mostly.
        day = first + (index * (days - 8)) // issued
        plans.append(planner.plan(index, day))
    topics = {t.key: t for t in TOPICS}
    for offset, (hold, issuer, doc_type, drafter, topic, co_units) in enumerate(HOLDS):
        index = 100_000 + offset
        rng = random.Random(SEED * 10_000 + index)
        depth = {S.DRAFT: 1, S.RETURNED: 5, S.IN_REVIEW: 4, S.CO_SIGNING: 8}.get(hold[0], 12)
        day = max(first, last - rng.randint(depth, depth + 4))
        plan = planner.plan(
            index,
            day,
            hold=hold,
            doc_type=doc_type,
            issuer=issuer,
            topic=topics[topic],
            drafter=users[drafter],
        )
        plan.co_units = list(co_units)
        if hold[0] == S.DISPATCHED:
            plan.main = list(dict.fromkeys([*hold[1], *plan.main]))
        plans.append(plan)
    return plans
