"""建议提案统计 (issue 7 item 7): the figures of proposals.measures for one session (届次/会次) or
for every session of a year side by side (the people's congress's and the political consultative
conference's), in total, per session and per lead unit (主办单位), with the 答复分类 split.
Reads only.

Every count is over selectors.proposals_visible_to(user): the office's staff count every item, a
leader the key items they lead, a unit's people the items their unit leads or co-handles — the
same items the list shows them. Per unit is by lead unit; items not yet assigned are one row
「未交办」.

Queries: the sessions of the year, the facts of the items (one query, measures.item_facts) and the
names of the units — three, however many items."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from office.calendar import Light
from office.models import Unit

from . import measures
from .models import Proposal, Session
from .selectors import proposals_visible_to

NO_LEAD_UNIT_LABEL = "未交办"

# The proposal list's filters (proposals.forms.ProposalFilterForm: 届次, 主办单位, 重点, 状态, 灯) a
# number links through. A figure links only where they select exactly its items: 收到 (the
# session's items, of a unit), 重点 and 逾期未答复 (the red light, which measures counts as
# overdue); 未交办 items are the registered ones (交办 is what sets the lead unit).
LIST_FILTERS = {
    "session": "session",
    "lead_unit": "lead_unit",
    "key": ("is_key", "1"),
    "overdue": ("light", Light.RED),
    "unassigned": ("state", Proposal.State.REGISTERED),
}


@dataclass(frozen=True)
class Scope:
    """What is counted: the items of `sessions` (one session, or every session of `year`), with
    overdue items as of `as_of`."""

    year: int
    sessions: tuple
    session: Session | None = None
    as_of: datetime.date = None

    @property
    def label(self):
        """「十六届人大三次会议」 or 「2026年度」."""
        return self.session.name if self.session is not None else f"{self.year}年度"

    @property
    def sessions_text(self):
        return "、".join(s.name for s in self.sessions)


@dataclass
class Row:
    """One line of a table: a session or a unit (`key` its id, None for 未交办), its Figures and
    the list query of each figure that can be listed ({} when none)."""

    key: object
    label: str
    figures: measures.Figures
    links: dict = field(default_factory=dict)
    class_counts: list = field(default_factory=list)  # in Statistics.classes' order


@dataclass
class Statistics:
    scope: Scope
    total: measures.Figures
    total_links: dict
    by_session: list
    by_unit: list
    by_session_kind: dict  # {(session id, Proposal.Kind): Figures} of the kinds present
    classes: list  # [(code, label)] of the sessions counted, in their order

    @property
    def total_class_counts(self):
        return [self.total.class_count(code) for code, _ in self.classes]

    @property
    def class_rows(self):
        """[(code, label, count, share)] of the total, for the split table and chart."""
        return [
            (code, label, self.total.class_count(code), self.total.class_share(code))
            for code, label in self.classes
        ]


def statistics_years(today=None):
    """The years that have sessions, newest first, and this year."""
    today = today or timezone.localdate()
    years = set(Session.objects.values_list("year", flat=True).distinct())
    return sorted({*years, today.year}, reverse=True)


def sessions_of(year):
    """The sessions of a year: the people's congress's first, then the political consultative
    conference's."""
    sessions = Session.objects.filter(year=year)
    return sorted(sessions, key=lambda s: (s.body != Session.Body.NPC, s.opened_on, s.pk))


def class_codes(sessions):
    """[(code, label)] of the sessions' 答复分类, each code once (the first session's label)."""
    seen = {}
    for session in sessions:
        for entry in session.reply_classes:
            seen.setdefault(entry["code"], entry["label"])
    return list(seen.items())


def list_url():
    return reverse("proposals:proposal-list")


def list_links(*, session=None, unit=None, unassigned=False):
    """{figure: list query} of the figures the list's filters select exactly (LIST_FILTERS),
    for the items of `session` — of the lead `unit`, or not yet assigned. Nothing without a
    session: the list filters one session at a time, not a year."""
    if session is None:
        return {}
    params = {LIST_FILTERS["session"]: session}
    if unit is not None:
        params[LIST_FILTERS["lead_unit"]] = unit
    if unassigned:
        params.update([LIST_FILTERS["unassigned"]])
    return {
        "received": urlencode(params),
        "key": urlencode({**params, **dict([LIST_FILTERS["key"]])}),
        "overdue": urlencode({**params, **dict([LIST_FILTERS["overdue"]])}),
    }


def proposal_statistics(user, *, year, session=None, as_of=None):
    """The Statistics of the items `user` may see of `session` (a Session of `year`) or, without
    it, of every session of `year`."""
    as_of = as_of or timezone.localdate()
    sessions = (session,) if session is not None else tuple(sessions_of(year))
    scope = Scope(year=year, sessions=sessions, session=session, as_of=as_of)
    items = proposals_visible_to(user, Proposal.objects.filter(session__in=sessions))
    facts = measures.item_facts(items, as_of=as_of) if sessions else []
    single = session.pk if session is not None else None

    per_session = measures.tally_by(facts, lambda f: f.session_id)
    by_session = [
        Row(s.pk, s.name, per_session.get(s.pk) or measures.Figures(), list_links(session=s.pk))
        for s in sessions
    ]

    per_unit = measures.tally_by(facts, lambda f: f.lead_unit_id)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[k for k in per_unit if k is not None])}
    by_unit = sorted(
        (
            Row(
                pk,
                units[pk].name if pk is not None else NO_LEAD_UNIT_LABEL,
                figures,
                list_links(session=single, unit=pk, unassigned=pk is None),
            )
            for pk, figures in per_unit.items()
        ),
        key=lambda row: (
            row.key is None,
            -row.figures.received,
            units[row.key].sort_order if row.key is not None else 0,
            row.label,
        ),
    )
    total = measures.tally(facts)
    classes = class_codes(sessions)
    known = {code for code, _ in classes}
    classes += [(code, f"{code}类") for code in sorted(total.classes) if code not in known]
    for row in (*by_session, *by_unit):
        row.class_counts = [row.figures.class_count(code) for code, _ in classes]
    return Statistics(
        scope=scope,
        total=total,
        total_links=list_links(session=single),
        by_session=by_session,
        by_unit=by_unit,
        by_session_kind=measures.tally_by(facts, lambda f: (f.session_id, f.kind)),
        classes=classes,
    )
