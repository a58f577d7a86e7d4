"""What the demo's sessions received and where each item is heading (DOMAIN.md §7): the 人大
session's 191 suggestions (6 key) and 2 bills, the 政协 session's 446 proposals (20 key), each with
its title from the category's subjects, proposers (领衔 + 附议) with their 代表团 or 界别, lead and
co-units (会办 on about three in ten), the key leader (the vice mayor whose portfolio holds the lead
unit) and its fate — closed after the first round for most, re-handled after 不满意 for about three
in a hundred, and a few still with the units or waiting for the proposer's rating."""

import random
from dataclasses import dataclass, field

from ..models import Proposal
from . import texts

K = Proposal.Kind

# Key leaders by the lead unit (office.seed.core's portfolios).
PORTFOLIOS = {
    "executive_vice_mayor": (
        "development finance audit state_assets statistics industry commerce data"
    ),
    "vice_mayor_social": (
        "education health medical_insurance civil_affairs human_resources veterans culture"
    ),
    "vice_mayor_construction": (
        "housing natural_resources transport water urban_management ecology agriculture "
        "xiangzhou doumen jinwan"
    ),
    "vice_mayor_security": "public_security justice emergency petitions market science",
}
LEADER_OF = {unit: leader for leader, units in PORTFOLIOS.items() for unit in units.split()}

# 申请调整 that the office approves: the item was first assigned to the unit on the right, which
# asks (with reason) to hand it to the unit on the left.
FIRST_ASSIGNED_TO = {
    "urban_management": "housing",
    "public_security": "transport",
    "medical_insurance": "health",
    "data": "development",
    "human_resources": "finance",
    "agriculture": "xiangzhou",
    "water": "housing",
    "civil_affairs": "health",
}
CO_SHARE = 0.3

# Fates: (NPC suggestions, CPPCC proposals); "closed" takes the rest.
FATES = {
    "stuck": (2, 3),  # accepted and contacted, no reply: overdue, red
    "submitted": (1, 1),  # reply submitted, waiting for the head's sign-off: red
    "awaiting": (3, 5),  # replied lately, the proposer's rating not back yet
    "rehandled": (3, 10),  # 不满意 → 重新办理 → replied again, rated, closed
    "r2_green": (1, 1),  # 不满意 lately: round 2 in hand, due in about eight working days
    "r2_yellow": (0, 1),  # round 2 due within the warning window
    "r2_approved": (1, 0),  # round 2 reply signed, to be sent
    "r2_awaiting": (0, 1),  # round 2 reply sent, rating not back
}
# Fates that show work on a unit's desk go to units with demo people.
UNIT_WORK = ("stuck", "submitted", "r2_green", "r2_yellow", "r2_approved")
REASSIGNMENTS = {"approved": (3, 4), "rejected": (2, 3)}
RETURNED_SHARE = 0.04
LATE_SHARE = 0.04
MERGED_PAIRS = 2


def rng_for(*key):
    return random.Random("proposals-" + "-".join(str(part) for part in key))


@dataclass(frozen=True)
class Topic:
    category: str
    subject: str
    verbs: tuple
    lead: str
    co: tuple


def topics():
    found = []
    for category, block in texts.TOPICS.items():
        for line in block.strip().splitlines():
            subject, verbs, lead, co = (part.strip() for part in line.split(":"))
            found.append(Topic(category, subject, tuple(verbs.split("/")), lead, tuple(co.split())))
    return found


@dataclass
class Spec:
    body: str  # "npc" / "cppcc"
    kind: str
    number: int
    title: str
    subject: str
    category: str
    lead: str  # unit key, final
    co: tuple = ()
    authors: list = field(
        default_factory=list
    )  # (role, name, delegation, affiliation, phone, address)
    is_key: bool = False
    leader: str = ""
    fate: str = "closed"
    reassignment: str = ""  # "", "approved", "rejected"
    first_lead: str = ""  # before an approved reassignment
    suggested: str = ""  # the unit a rejected request named
    returned: bool = False
    late: bool = False
    merge_with: object = None  # the Spec of the other body's item handled together
    content: str = ""
    key_leader: object = None  # the User, set by the seeder from `leader`


class People:
    """The session's deputies or members: names, delegation/sector, work unit, phone, address."""

    def __init__(self, rng, groups, templates, count):
        self.rng = rng
        weighted = [name for name, weight in groups for _ in range(weight)]
        names, self.pool = set(), []
        while len(self.pool) < count:
            name = rng.choice(texts.SURNAMES) + "".join(
                rng.choice(texts.GIVEN) for _ in range(rng.choice((1, 2, 2)))
            )
            if name in names:
                continue
            names.add(name)
            self.pool.append((name, rng.choice(weighted), self.affiliation(templates)))
        self.by_group = {}
        for person in self.pool:
            self.by_group.setdefault(person[1], []).append(person)

    def affiliation(self, templates):
        r = self.rng
        return r.choice(templates).format(
            c=r.choice(texts.COMPANY),
            d=r.choice(("香洲区拱北街道", "香洲区吉大街道", "香洲区前山街道", "金湾区三灶镇")),
            n=r.choice(texts.COMMUNITY),
            k=r.choice("一二三四五六七八九"),
            s=r.choice(texts.SPECIALTIES),
            t=r.choice(texts.TOWNS),
            j=r.choice(texts.JINWAN_TOWNS),
            v=r.choice(texts.VILLAGES),
        )

    def contact(self):
        r = self.rng
        phone = r.choice(("139", "138", "137", "136", "135", "189", "186", "159")) + "".join(
            r.choice("0123456789") for _ in range(8)
        )
        address = f"珠海市{r.choice(texts.STREETS)}{r.randint(1, 399)}号"
        return phone, address

    def authors(self, co_count, collective=None):
        lead = self.rng.choice(self.pool)
        if collective:
            return [("lead", collective, lead[1], "", "", "")]
        rows = [("lead", lead[0], lead[1], lead[2], *self.contact())]
        same = [p for p in self.by_group[lead[1]] if p is not lead]
        others = self.rng.sample(same, min(len(same), co_count))
        while len(others) < co_count:
            extra = self.rng.choice(self.pool)
            if extra is not lead and extra not in others:
                others.append(extra)
        rows += [("co", p[0], p[1], p[2], "", "") for p in others]
        return rows


def _numbers(rng, count, span):
    """The NPC's / CPPCC's numbers of the items handed to the government: some of theirs go to
    other bodies (courts, the party committee), so there are gaps."""
    return sorted(rng.sample(range(1, span + 1), count))


def _co_units(rng, topic, must):
    if not topic.co or not (must or rng.random() < CO_SHARE):
        return ()
    return tuple(rng.sample(topic.co, rng.choice((1, 1, 2)) if len(topic.co) > 1 else 1))


def _items(rng, body, kind, count, span, chosen, people):
    suffix = "建议" if body == "npc" else "提案"
    numbers = _numbers(rng, count, span)
    specs = []
    for number, (topic, verb) in zip(numbers, chosen, strict=True):
        if body == "npc":
            authors = people.authors(rng.choice((0, 0, 1, 2, 3, 3, 4, 5, 6, 8)))
        else:
            collective = None
            if rng.random() < 0.1:
                sector = rng.choice(sorted(texts.COLLECTIVE))
                collective = texts.COLLECTIVE[sector]
            authors = people.authors(rng.choice((0, 0, 1, 1, 2, 3, 4)), collective)
            if collective:
                authors = [(r, n, sector, a, p, ad) for r, n, _, a, p, ad in authors]
        specs.append(
            Spec(
                body=body,
                kind=kind,
                number=number,
                title=f"关于{verb}{topic.subject}的{suffix}",
                subject=topic.subject,
                category=topic.category,
                lead=topic.lead,
                co=_co_units(rng, topic, False),
                authors=authors,
            )
        )
    return specs


def plan(counts, has_people, has_head):
    """[Spec] of the 人大 session (suggestions then bills) and the 政协 session.
    `counts`: {"suggestion": 191, "bill": 2, "proposal": 446, "key_suggestion": 6,
    "key_proposal": 20}; `has_people`/`has_head`: unit keys with a handler/head in the demo."""
    rng = rng_for("plan")
    everything = topics()
    combos = [(t, v) for t in everything for v in t.verbs]
    npc_people = People(rng_for("npc"), texts.DELEGATIONS, texts.AFFILIATIONS_NPC, 300)
    cppcc_people = People(rng_for("cppcc"), texts.SECTORS, texts.AFFILIATIONS_CPPCC, 380)
    npc_combos = rng.sample(combos, counts["suggestion"])
    cppcc_combos = rng.sample(combos, counts["proposal"])
    npc = _items(rng, "npc", K.SUGGESTION, counts["suggestion"], 236, npc_combos, npc_people)
    bills = []
    for number, (title, category, lead, co) in enumerate(texts.BILLS[: counts["bill"]], 1):
        bills.append(Spec("npc", K.BILL, number, title, title[3:-3], category, lead, co))
        bills[-1].authors = npc_people.authors(rng.randint(9, 12))
    cppcc = _items(rng, "cppcc", K.PROPOSAL, counts["proposal"], 532, cppcc_combos, cppcc_people)
    _merge(npc, cppcc)
    _fates(rng, npc, 0, has_people, has_head)
    _fates(rng, cppcc, 1, has_people, has_head)
    _key(rng, npc, counts["key_suggestion"])
    _key(rng, cppcc, counts["key_proposal"])
    for spec in npc + bills + cppcc:
        spec.content = content(rng, spec)
        spec.returned = spec.fate != "stuck" and rng.random() < RETURNED_SHARE
        spec.late = spec.fate == "closed" and rng.random() < LATE_SHARE
    return npc + bills + cppcc


def content(rng, spec):
    """The item's text: the situation, the problems and three asks."""
    problems = "、".join(texts.PROBLEMS[spec.category])
    asks = rng.sample(texts.ASKS, 3)
    lines = [
        f"{texts.SITUATION[spec.category]}{spec.subject}方面仍存在{problems}等问题，"
        "群众反映较为强烈。",
        "为此建议：",
    ]
    lines += [f"{n}是{ask.format(o=spec.subject)}。" for n, ask in zip("一二三", asks, strict=True)]
    return "\n".join(lines)


def _merge(npc, cppcc):
    """并案: an NPC suggestion and a CPPCC proposal on the same subject, handled by the same
    units."""
    by_subject = {}
    for spec in cppcc:
        by_subject.setdefault(spec.subject, spec)
    pairs = 0
    for spec in npc:
        other = by_subject.get(spec.subject)
        if other is None or pairs >= MERGED_PAIRS:
            continue
        co = spec.co or other.co
        spec.co = other.co = co
        spec.merge_with, other.merge_with = other, spec
        pairs += 1


def _fates(rng, specs, column, has_people, has_head):
    free = [s for s in specs if s.merge_with is None]
    rng.shuffle(free)
    taken = set()
    for fate, counts in FATES.items():
        needed = counts[column]
        if fate in UNIT_WORK:
            keys = has_head if fate in ("submitted", "r2_approved") else has_people
            pool = [s for s in free if s.lead in keys and not s.co and id(s) not in taken]
        else:
            pool = [s for s in free if id(s) not in taken]
        for spec in pool[:needed]:
            spec.fate = fate
            taken.add(id(spec))
    closed = [s for s in free if s.fate == "closed"]
    for outcome, counts in REASSIGNMENTS.items():
        needed = counts[column]
        for spec in closed:
            if needed == 0:
                break
            if spec.reassignment:
                continue
            if outcome == "approved" and spec.lead in FIRST_ASSIGNED_TO:
                spec.first_lead = FIRST_ASSIGNED_TO[spec.lead]
            elif outcome == "rejected" and spec.lead in has_people and spec.co:
                spec.suggested = spec.co[0]
            else:
                continue
            spec.reassignment = outcome
            needed -= 1


def _key(rng, specs, count):
    """重点: chosen among the items closed after their first round or re-handled, with co-units
    (a key item is handled jointly), led by the vice mayor whose portfolio holds the lead unit."""
    pool = [
        s
        for s in specs
        if s.fate in ("closed", "rehandled") and not s.reassignment and s.merge_with is None
    ]
    for spec in rng.sample(pool, count):
        spec.is_key = True
        spec.leader = LEADER_OF.get(spec.lead, "executive_vice_mayor")
        if not spec.co:
            spec.co = tuple(u for u in ("finance", "development") if u != spec.lead)[:1]
