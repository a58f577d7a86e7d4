"""Demo 建议提案办理 for `manage.py seed_demo` at DOMAIN.md §7's scale: the year's 人大 session
(e.g. 十六届人大五次会议) with 191 suggestions (6 key, each led by the vice mayor whose portfolio
holds the lead unit) and 2 bills, and the 政协 session (十三届政协五次会议) with 446 proposals (20
key), told from the import after the sessions through the 交办会 about two weeks later to the
present moment (proposals.seed.life): a few 申请调整 approved and rejected, co-units' opinions,
contacts, reply letters about A 55% / B 35% / C 10%, first ratings about 97% 满意 or 基本满意,
some 不满意 re-handled and rated again, two 并案 pairs across 人大 and 政协, and a few items still
with the units (overdue ones red) or waiting for the proposer's rating (the office's desk).

The sessions are this year's once their first round is due (from July), else last year's. Each
session is looked up by its name, each item by (session, kind, number): a second run adds
nothing. No notifications: the demo's people find their work on their desks.
"""

import datetime

from django.utils import timezone

from office.models import User
from office.roles import Role
from office.seed.clock import Clock
from office.seed.rows import WorkingDays

from ..models import Proposal, Session
from . import plan as planning
from .life import Anchors, Life
from .writer import write

__all__ = ["seed_proposals"]

COUNTS = {"suggestion": 191, "bill": 2, "proposal": 446, "key_suggestion": 6, "key_proposal": 20}
# The terms the names count from: 十六届人大 and 十三届政协 hold their first sessions in 2022.
NPC_TERM, CPPCC_TERM, TERM_FIRST_YEAR = 16, 13, 2022
SESSIONS_PER_TERM = 5
LIAISON = {
    Session.Body.NPC: "珠海市人大常委会代表工作委员会",
    Session.Body.CPPCC: "珠海市政协提案委员会",
}
DIGITS = "零一二三四五六七八九"


def chinese_number(n):
    """1 → 一, 13 → 十三, 20 → 二十 (up to 99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def session_name(body, year):
    """十六届人大五次会议 for 2026: the term and the session within it, from TERM_FIRST_YEAR."""
    offset = year - TERM_FIRST_YEAR
    term = (NPC_TERM if body == Session.Body.NPC else CPPCC_TERM) + offset // SESSIONS_PER_TERM
    number = offset % SESSIONS_PER_TERM + 1
    word = "人大" if body == Session.Body.NPC else "政协"
    return f"{chinese_number(term)}届{word}{chinese_number(number)}次会议"


def session_year(today):
    return today.year if today >= datetime.date(today.year, 7, 1) else today.year - 1


class Cast:
    """Who acts: the office's 建议提案办理科, and each unit's handler and head."""

    def __init__(self, demo, sessions):
        self.units = demo["units"]
        users = demo["users"]
        self.office = users["secretary_proposals"]
        self.sessions = sessions
        roles = set(
            User.objects.filter(pk__in=[u.pk for u in users.values()]).values_list(
                "pk", "groups__name"
            )
        )
        handler, head = {}, {}
        for user in sorted(users.values(), key=lambda u: u.pk):
            if user.unit_id and (user.pk, Role.UNIT_HANDLER) in roles:
                handler.setdefault(user.unit_id, user)
            if user.unit_id and (user.pk, Role.UNIT_HEAD) in roles:
                head.setdefault(user.unit_id, user)
        self.people = {pk: (handler.get(pk), head.get(pk)) for pk in set(handler) | set(head)}
        key_of = {unit.pk: key for key, unit in self.units.items()}
        self.with_people = {key_of[pk] for pk in self.people if pk in key_of}
        self.with_head = {key_of[pk] for pk in head if pk in key_of}

    def title(self, spec):
        return "代表" if spec.body == Session.Body.NPC else "委员"

    def label(self, spec):
        return (
            f"{self.sessions[spec.body].name}{Proposal.Kind(spec.kind).label}第{spec.number:04d}号"
        )

    def pair_names(self, spec):
        return "、".join(
            self.label(s) for s in sorted((spec, spec.merge_with), key=lambda s: s.body != "npc")
        )


def _sessions(year, clock):
    """The two sessions, opened at the end of January (政协 a day before 人大), four days each."""
    cppcc_opens = clock.add(datetime.date(year, 1, 23), 1)
    npc_opens = clock.add(cppcc_opens, 1)
    sessions = {}
    for body, opened in ((Session.Body.NPC, npc_opens), (Session.Body.CPPCC, cppcc_opens)):
        sessions[body], _ = Session.objects.update_or_create(
            body=body,
            name=session_name(body, year),
            defaults={
                "year": year,
                "opened_on": opened,
                "closed_on": opened + datetime.timedelta(days=3),
                "reply_months": 3,
                "reassignment_working_days": 5,
                "rehandle_months": 1,
                "liaison_body": LIAISON[body],
                "is_active": True,
            },
        )
    return sessions


def seed_proposals(demo):
    """Returns {"proposal_sessions": {name: id}, "proposals": {"<session> 建议第0012号": id}}."""
    now = timezone.now()
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now)
    year = session_year(today)
    working = WorkingDays(datetime.date(year - 1, 12, 1), today + datetime.timedelta(days=120))
    clock = Clock(working, now, tz)
    sessions = _sessions(year, clock)
    closed = sessions[Session.Body.NPC].closed_on
    anchors = Anchors(
        registered=clock.add(closed, 3), merged=clock.add(closed, 5), assigned=clock.add(closed, 9)
    )
    cast = Cast(demo, sessions)
    specs = planning.plan(COUNTS, cast.with_people, cast.with_head)
    existing = set(
        Proposal.objects.filter(session__in=sessions.values()).values_list(
            "session_id", "kind", "number"
        )
    )
    stories = []
    for spec in specs:
        session = sessions[spec.body]
        if (session.pk, spec.kind, spec.number) in existing:
            continue
        spec.key_leader = demo["users"][spec.leader] if spec.is_key else None
        rng = planning.rng_for("life", spec.body, spec.kind, spec.number)
        life = Life(spec, session=session, rng=rng, clock=clock, anchors=anchors, cast=cast)
        stories.append(life.tell())
    write(stories, sessions, cast.office)
    made = {}
    for session_id, kind, number, pk in Proposal.objects.filter(
        session__in=sessions.values()
    ).values_list("session_id", "kind", "number", "pk"):
        session = next(s for s in sessions.values() if s.pk == session_id)
        made[f"{session.name} {Proposal.Kind(kind).label}第{number:04d}号"] = pk
    return {
        "proposal_sessions": {s.name: s.pk for s in sessions.values()},
        "proposals": made,
    }
