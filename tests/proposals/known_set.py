"""A known year of 建议提案 for the statistics tests, written with bulk_create (the workflow's
steps are tested elsewhere; here only the rows the figures read matter), as DOMAIN.md §7's city
office had it: 191 suggestions (6 key) of 十六届人大三次会议 led by unit A (市教育局) and 446
proposals (20 key) of 十三届政协三次会议 led by unit B (市住建局), 3 of them co-handled by A.
Figures are counted on AS_OF (1 July 2026).

十六届人大三次会议 (key items due in 2 months, others in 3; assigned 10 February):
- 1 registered, not assigned;
- 1 handling, due 10 May — overdue; 1 assigned on 1 May, due 1 August;
- 3 replied (A) on 1 April, not rated yet;
- 5 rated 不满意 in round 1 (their C replies of 20 April; attitude 基本满意) and re-handled:
  1 (key: its first deadline was 10 April, so its first reply was late) still handling round 2,
  due 15 July; 4 re-replied (B) on 20 June and rated 满意 ×2, 基本满意 ×2, attitude 满意;
- 180 closed after round 1: A 117, B 46, C 17; result 满意 150, 基本满意 30; attitude 满意 178,
  不满意 2; 10 replied late (20 May), 170 on time (1 April); 5 key.
十三届政协三次会议 (all due in 3 months; assigned 10 February):
- 2 handling and 1 reply submitted (its A letter not sent), due 10 May — overdue;
- 5 replied (B) on 1 April, not rated yet;
- 15 rated 不满意 in round 1 (C replies on 1 April; attitude 满意) and re-handled: 2 handling
  round 2; 1 re-replied (A) on 20 June, not rated; 12 re-replied (B) and rated 满意 ×7,
  基本满意 ×4, 不满意 ×1 (closed), attitude 满意;
- 423 closed after round 1: A 250, B 120, C 53; 满意 380, 基本满意 43; attitude 满意; 20 replied
  late (20 May); 20 key; the first 3 co-handled by unit A.
"""

import datetime
from itertools import zip_longest

from proposals.models import Author, Proposal, Rating, ReplyLetter, Session

S = Proposal.State
L = Rating.Level
SAT, BASIC, DISSAT = L.SATISFIED, L.BASICALLY_SATISFIED, L.DISSATISFIED

AS_OF = datetime.date(2026, 7, 1)
ASSIGNED = datetime.date(2026, 2, 10)
DEADLINE = datetime.date(2026, 5, 10)
KEY_DEADLINE = datetime.date(2026, 4, 10)
REHANDLE_DEADLINE = datetime.date(2026, 7, 15)
ON_TIME = datetime.date(2026, 4, 1)
LATE = datetime.date(2026, 5, 20)
SECOND = datetime.date(2026, 6, 20)


def spread(count, **columns):
    """`count` item specs; a column is one value for all, or [(value, n), …] adding up to
    `count` (listed in that order)."""
    specs = [{} for _ in range(count)]
    for name, value in columns.items():
        if isinstance(value, list):
            values = [v for v, n in value for _ in range(n)]
            assert len(values) == count, (name, len(values), count)
        else:
            values = [value] * count
        for spec, one in zip_longest(specs, values):
            spec[name] = one
    return specs


def npc_specs():
    closed_r2 = {"state": S.CLOSED, "round": 2, "r1": ("C", datetime.date(2026, 4, 20))}
    return [
        *spread(1, state=S.REGISTERED, assigned=False),
        *spread(1, state=S.HANDLING),
        *spread(1, state=S.ASSIGNED, assigned_on=datetime.date(2026, 5, 1)),
        *spread(3, state=S.REPLIED, r1=("A", ON_TIME)),
        *spread(
            1,
            state=S.HANDLING,
            round=2,
            key=True,
            r1=("C", datetime.date(2026, 4, 20)),
            rating1=(BASIC, DISSAT),
        ),
        *spread(
            4,
            **closed_r2,
            rating1=(BASIC, DISSAT),
            r2=("B", SECOND),
            rating2=[((SAT, SAT), 2), ((SAT, BASIC), 2)],
        ),
        *spread(
            180,
            state=S.CLOSED,
            r1=[
                (("A", LATE), 10),
                (("A", ON_TIME), 107),
                (("B", ON_TIME), 46),
                (("C", ON_TIME), 17),
            ],
            rating1=[((SAT, SAT), 148), ((DISSAT, SAT), 2), ((SAT, BASIC), 30)],
            key=[(True, 5), (False, 175)],
        ),
    ]


def cppcc_specs():
    return [
        *spread(2, state=S.HANDLING),
        *spread(1, state=S.REPLY_SUBMITTED, r1=("A", None)),
        *spread(5, state=S.REPLIED, r1=("B", ON_TIME)),
        *spread(2, state=S.HANDLING, round=2, r1=("C", ON_TIME), rating1=(SAT, DISSAT)),
        *spread(
            1,
            state=S.REPLIED,
            round=2,
            r1=("C", ON_TIME),
            rating1=(SAT, DISSAT),
            r2=("A", SECOND),
        ),
        *spread(
            12,
            state=S.CLOSED,
            round=2,
            r1=("C", ON_TIME),
            rating1=(SAT, DISSAT),
            r2=("B", SECOND),
            rating2=[((SAT, SAT), 7), ((SAT, BASIC), 4), ((SAT, DISSAT), 1)],
        ),
        *spread(
            423,
            state=S.CLOSED,
            co_a=[(True, 3), (False, 420)],
            r1=[
                (("A", LATE), 20),
                (("A", ON_TIME), 230),
                (("B", ON_TIME), 120),
                (("C", ON_TIME), 53),
            ],
            rating1=[((SAT, SAT), 380), ((SAT, BASIC), 43)],
            key=[(True, 20), (False, 403)],
        ),
    ]


def make_sessions():
    npc = Session.objects.create(
        body=Session.Body.NPC,
        name="十六届人大三次会议",
        year=2026,
        opened_on=datetime.date(2026, 1, 10),
        reply_months=3,
        key_reply_months=2,
        liaison_body="市人大常委会代表工作室",
    )
    cppcc = Session.objects.create(
        body=Session.Body.CPPCC,
        name="十三届政协三次会议",
        year=2026,
        opened_on=datetime.date(2026, 1, 8),
        liaison_body="市政协提案委员会",
    )
    return npc, cppcc


def _proposal(session, kind, number, spec, *, unit, user):
    assigned = spec.get("assigned", True)
    round_ = spec.get("round", 1)
    key = spec.get("key", False)
    assigned_on = spec.get("assigned_on", ASSIGNED) if assigned else None
    if not assigned:
        deadline = None
    elif round_ == 2:
        deadline = REHANDLE_DEADLINE
    elif "assigned_on" in spec:
        deadline = datetime.date(2026, 8, 1)
    else:
        deadline = KEY_DEADLINE if key and session.key_reply_months else DEADLINE
    word = "建议" if kind == Proposal.Kind.SUGGESTION else "提案"
    return Proposal(
        session=session,
        kind=kind,
        number=number,
        title=f"关于加强第{number}项民生实事办理工作的{word}",
        is_key=key,
        state=spec["state"],
        lead_unit=unit if assigned else None,
        round=round_,
        assigned_on=assigned_on,
        deadline=deadline,
        registered_by=user,
    )


def build(session, kind, specs, *, unit, co_unit, user):
    proposals = Proposal.objects.bulk_create(
        [
            _proposal(session, kind, number, spec, unit=unit, user=user)
            for number, spec in enumerate(specs, start=1)
        ]
    )
    replies, ratings, authors, co = [], [], [], []
    for proposal, spec in zip(proposals, specs, strict=True):
        authors.append(
            Author(
                proposal=proposal,
                role=Author.Role.LEAD,
                name=f"代表{proposal.number}",
                delegation="香洲区代表团" if kind == Proposal.Kind.SUGGESTION else "教育界",
            )
        )
        if proposal.number % 50 == 1:
            authors.append(
                Author(proposal=proposal, role=Author.Role.CO, position=1, name="附议甲")
            )
            authors.append(
                Author(proposal=proposal, role=Author.Role.CO, position=2, name="附议乙")
            )
        for round_ in (1, 2):
            letter = spec.get(f"r{round_}")
            if letter:
                code, sent_on = letter
                replies.append(
                    ReplyLetter(
                        proposal=proposal,
                        round=round_,
                        reply_class=code,
                        body="答复内容",
                        unit=unit,
                        drafted_by=user,
                        sent_on=sent_on,
                    )
                )
            rating = spec.get(f"rating{round_}")
            if rating:
                attitude, result = rating
                ratings.append(
                    Rating(
                        proposal=proposal,
                        round=round_,
                        attitude=attitude,
                        result=result,
                        channel=Rating.Channel.OFFICE,
                        entered_by=user,
                    )
                )
        if spec.get("co_a"):
            co.append(Proposal.co_units.through(proposal_id=proposal.pk, unit_id=co_unit.pk))
    ReplyLetter.objects.bulk_create(replies)
    Rating.objects.bulk_create(ratings)
    Author.objects.bulk_create(authors)
    Proposal.co_units.through.objects.bulk_create(co)
    return proposals


def known_year(personas, units):
    """(npc session, cppcc session) with the items described in the module docstring."""
    npc, cppcc = make_sessions()
    user = personas["secretary"]
    build(
        npc, Proposal.Kind.SUGGESTION, npc_specs(), unit=units["a"], co_unit=units["a"], user=user
    )
    build(
        cppcc,
        Proposal.Kind.PROPOSAL,
        cppcc_specs(),
        unit=units["b"],
        co_unit=units["a"],
        user=user,
    )
    return npc, cppcc
