"""The one definition of every figure of 建议提案办理 (DOMAIN.md §7; issue 7 item 7). The statistics
page, its charts, the xlsx export's 「分单位统计」 and the year-end report all count through this
module, so a figure means the same wherever it is printed.

Over a set of items (a session's, or the sessions of a year — always `proposals_visible_to(user)`
first, the caller's job), on the day `as_of` (today unless given):
- 收到 received: every item of the set, whatever its state (重点 key: those with `is_key`).
- 交办 assigned: items with a 交办日期 (`assigned_on` set).
- 办复 replied: items whose first reply was sent — a 答复函 (ReplyLetter) with `sent_on`.
  办复率 reply rate = 办复 ÷ 交办.
- 答复分类 A/B/C(/D) split: each replied item counted once, under the class of its latest sent
  reply (the second round's, when re-handled); the codes are the sessions' `reply_classes`.
  A class's share = its items ÷ 办复.
- 满意率 satisfaction rate of the result (办理结果): (满意 + 基本满意) ÷ rated —
  初次 first: over the round-1 ratings; 最终 final: over each rated item's latest rating (its
  round-2 rating when re-handled and rated again, else its round-1 rating).
  The attitude (办理态度) has its rates the same way (态度满意率, 初次 and 最终).
- 重新办理 re-handled: items in round 2 (rated 不满意 in round 1).
- 逾期 overdue (逾期未答复): items in the unit's hands (`Proposal.IN_HAND`, 已交办 … 答复已签发)
  past their 答复期限 on `as_of` — exactly the red light of proposals.lights.
- 逾期答复 replied late: items whose first reply was sent after the deadline that applied to it:
  the 答复期限 of round 1, i.e. `deadline` while the item is in round 1; for a re-handled item
  (whose `deadline` is now the re-handling one) the round-1 deadline workflow.reply_deadline
  gives from its 交办日期, as 交办 set it.
Rates are percentages with one decimal, half up, and None when the denominator is 0
(office.figures.percent): 191 assigned, 190 replied → 99.5%.

The per-item facts are read in one query (`item_facts`: the item's own fields and, by
subqueries, its first and latest sent reply and its round-1 and latest rating); `tally` folds any
group of them into `Figures`, so the total, each session and each unit are one read whatever
their number."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Subquery
from django.utils import timezone

from office.calendar import Light
from office.figures import percent, rate_text

from .lights import light_q
from .models import Rating, ReplyLetter
from .workflow import reply_deadline

Level = Rating.Level

# The terms and their definitions, as the page, the export and the report print them.
DEFINITIONS = (
    ("收到", "本届次（年度）的全部建议、议案、提案，不论办理状态；其中重点件单独列出。"),
    ("交办", "已交办承办单位（有交办日期）的件数。"),
    ("办复", "已发出答复函（首次答复已发出）的件数。"),
    ("办复率", "办复 ÷ 交办。"),
    (
        "答复分类",
        "已办复件按最后一次发出的答复函的分类（A类、B类、C类等）统计；占比 = 该类件数 ÷ 办复。",
    ),
    (
        "满意率",
        "（满意 + 基本满意）÷ 已评价件数，按办理结果评价计算；"
        "初次满意率按第一轮评价，最终满意率按每件最后一次评价（重新办理的以第二轮评价为准）。"
        "办理态度满意率同样计算。",
    ),
    ("重新办理", "初次评价不满意、进入第二轮办理的件数。"),
    ("逾期未答复", "仍在承办单位办理中（已交办至答复已签发）且已超过答复期限的件数（红灯）。"),
    ("逾期答复", "首次答复函发出日期晚于第一轮答复期限的件数。"),
    ("比率", "百分比保留一位小数（四舍五入）；分母为 0 时不计算，显示“—”。"),
)


@dataclass(frozen=True)
class ItemFacts:
    """What the figures need to know of one item."""

    pk: int
    session_id: int
    kind: str
    is_key: bool
    lead_unit_id: int | None
    assigned: bool
    replied: bool
    replied_late: bool
    overdue: bool
    rehandled: bool
    reply_class: str  # of the latest sent reply, "" when none was sent
    first_result: str  # round-1 rating's result, "" when not rated
    first_attitude: str
    final_result: str  # latest rating's result, "" when never rated
    final_attitude: str


@dataclass
class Satisfaction:
    """Ratings of one aspect (result or attitude) of one round choice (初次 or 最终)."""

    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0

    @property
    def rated(self):
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def content(self):
        """满意 + 基本满意."""
        return self.satisfied + self.basically_satisfied

    @property
    def rate(self):
        """满意率 = (满意 + 基本满意) ÷ rated."""
        return percent(self.content, self.rated)

    def add(self, level):
        if level == Level.SATISFIED:
            self.satisfied += 1
        elif level == Level.BASICALLY_SATISFIED:
            self.basically_satisfied += 1
        elif level == Level.DISSATISFIED:
            self.dissatisfied += 1


@dataclass
class Figures:
    """The counts of one group of items and the rates derived from them (see the module
    docstring for each definition)."""

    received: int = 0
    key: int = 0
    assigned: int = 0
    replied: int = 0
    replied_late: int = 0
    rehandled: int = 0
    overdue: int = 0
    classes: Counter = field(default_factory=Counter)
    result_first: Satisfaction = field(default_factory=Satisfaction)
    result_final: Satisfaction = field(default_factory=Satisfaction)
    attitude_first: Satisfaction = field(default_factory=Satisfaction)
    attitude_final: Satisfaction = field(default_factory=Satisfaction)

    @property
    def unassigned(self):
        """收到 − 交办: items not yet assigned."""
        return self.received - self.assigned

    @property
    def reply_rate(self):
        """办复率 = 办复 ÷ 交办."""
        return percent(self.replied, self.assigned)

    @property
    def first_satisfaction_rate(self):
        """初次满意率 (办理结果)."""
        return self.result_first.rate

    @property
    def final_satisfaction_rate(self):
        """最终满意率 (办理结果)."""
        return self.result_final.rate

    @property
    def first_attitude_rate(self):
        return self.attitude_first.rate

    @property
    def final_attitude_rate(self):
        return self.attitude_final.rate

    @property
    def text(self):
        """The rates as people read them ("98.9%", "—"), for templates."""
        return {
            name: rate_text(getattr(self, name))
            for name in (
                "reply_rate",
                "first_satisfaction_rate",
                "final_satisfaction_rate",
                "first_attitude_rate",
                "final_attitude_rate",
            )
        }

    def class_count(self, code):
        return self.classes.get(code, 0)

    def class_share(self, code):
        """A class's share of the replied items."""
        return percent(self.class_count(code), self.replied)

    def add(self, facts):
        self.received += 1
        self.key += facts.is_key
        self.assigned += facts.assigned
        self.replied += facts.replied
        self.replied_late += facts.replied_late
        self.rehandled += facts.rehandled
        self.overdue += facts.overdue
        if facts.replied and facts.reply_class:
            self.classes[facts.reply_class] += 1
        self.result_first.add(facts.first_result)
        self.result_final.add(facts.final_result)
        self.attitude_first.add(facts.first_attitude)
        self.attitude_final.add(facts.final_attitude)


def tally(facts):
    """The Figures of an iterable of ItemFacts."""
    figures = Figures()
    for one in facts:
        figures.add(one)
    return figures


def tally_by(facts, key):
    """{key(facts): Figures} in the order the keys first appear."""
    groups = {}
    for one in facts:
        groups.setdefault(key(one), Figures()).add(one)
    return groups


def _sent_replies():
    return ReplyLetter.objects.filter(proposal=OuterRef("pk"), sent_on__isnull=False)


def _ratings():
    return Rating.objects.filter(proposal=OuterRef("pk"))


def with_facts(queryset, *, as_of=None):
    """`queryset` annotated with what ItemFacts reads, in SQL (subqueries on the unique
    (proposal, round) indexes of 答复函 and 评价)."""
    as_of = as_of or timezone.localdate()
    first_sent = _sent_replies().order_by("round")
    latest_sent = _sent_replies().order_by("-round")
    first_rating = _ratings().filter(round=1)
    latest_rating = _ratings().order_by("-round")
    return queryset.annotate(
        first_sent_on=Subquery(first_sent.values("sent_on")[:1]),
        latest_class=Subquery(latest_sent.values("reply_class")[:1]),
        latest_sent_on=Subquery(latest_sent.values("sent_on")[:1]),
        first_result=Subquery(first_rating.values("result")[:1]),
        first_attitude=Subquery(first_rating.values("attitude")[:1]),
        final_result=Subquery(latest_rating.values("result")[:1]),
        final_attitude=Subquery(latest_rating.values("attitude")[:1]),
        is_overdue=ExpressionWrapper(light_q(Light.RED, as_of), output_field=BooleanField()),
    )


def first_deadline(proposal):
    """The 答复期限 that applied to the first reply (see the module docstring)."""
    if proposal.round == 1 or proposal.assigned_on is None:
        return proposal.deadline
    return reply_deadline(proposal, proposal.assigned_on)


def facts_of(proposal):
    """ItemFacts of one item annotated by `with_facts`."""
    first_sent_on = proposal.first_sent_on
    deadline = first_deadline(proposal) if first_sent_on else None
    return ItemFacts(
        pk=proposal.pk,
        session_id=proposal.session_id,
        kind=proposal.kind,
        is_key=proposal.is_key,
        lead_unit_id=proposal.lead_unit_id,
        assigned=proposal.assigned_on is not None,
        replied=first_sent_on is not None,
        replied_late=bool(deadline and first_sent_on > deadline),
        overdue=bool(proposal.is_overdue),
        rehandled=proposal.round == 2,
        reply_class=proposal.latest_class or "",
        first_result=proposal.first_result or "",
        first_attitude=proposal.first_attitude or "",
        final_result=proposal.final_result or "",
        final_attitude=proposal.final_attitude or "",
    )


FACT_FIELDS = (
    "id",
    "session_id",
    "kind",
    "is_key",
    "lead_unit_id",
    "round",
    "assigned_on",
    "deadline",
    "state",
    "session__reply_months",
    "session__key_reply_months",
)


def item_facts(queryset, *, as_of=None):
    """[ItemFacts] of every item of `queryset`, in one query."""
    rows = (
        with_facts(queryset, as_of=as_of)
        .select_related("session")
        .only(*FACT_FIELDS)
        .order_by("session_id", "kind", "number")
    )
    return [facts_of(row) for row in rows]


def figures(queryset, *, as_of=None):
    """The Figures of a set of items on `as_of`, in one query (and the calendar's, which
    proposals.lights reads for its warning window)."""
    return tally(item_facts(queryset, as_of=as_of))
