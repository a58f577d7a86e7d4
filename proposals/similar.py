"""相似件 at intake (issue 7 item 2; DOMAIN.md §7): items on the same subject — across the 人大 and
政协 sessions of the same year too — shown side by side, so the office can assign them to the
same unit or handle them together (并案办理, services.merge), each still getting its own reply.

Similar means: the titles' bigram overlap (Dice coefficient of their sets of two-character
pieces, after dropping punctuation and the words every title has — 关于…的建议/提案/议案) is at
least MIN_SCORE, and the categories agree when both items have one. Bigrams suit Chinese titles
(FIELD_NOTES.md: most Chinese words are two characters) and, unlike difflib, let an inverted index
compare each item only with the items sharing a bigram with it: a year's 650 items take
milliseconds."""

import re
from dataclasses import dataclass

from .models import Proposal, Session

MIN_SCORE = 0.5
LIMIT = 5  # matches shown for one item
PAIR_LIMIT = 300  # pairs shown on a session's 相似件 page

_NOISE = re.compile(r"[\s，。；、,.;：:！!？?“”\"'‘’（）()《》〈〉【】\[\]〔〕—\-·…]+")
_FRAME = re.compile(r"^关于|(?:的)?(?:建议|提案|议案|意见)$")


def normalized(title):
    """The title without punctuation and its frame: 「关于加快老旧小区改造的建议」 → 加快老旧小区改造."""
    text = _NOISE.sub("", title or "")
    previous = None
    while previous != text:
        previous, text = text, _FRAME.sub("", text)
    return text


def bigrams(title):
    text = normalized(title)
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def score(a, b):
    """Dice coefficient of two bigram sets (0 … 1)."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def title_similarity(title_a, title_b):
    return score(bigrams(title_a), bigrams(title_b))


def _same_category(a, b):
    return not a.category or not b.category or a.category == b.category


@dataclass(frozen=True)
class Match:
    score: float
    item: Proposal
    other: Proposal

    @property
    def percent(self):
        return round(self.score * 100)

    @property
    def merged(self):
        return self.item.group_id is not None and self.item.group_id == self.other.group_id


def year_items(year, queryset=None):
    """The items of every session of `year` (人大 and 政协), with what the pages show."""
    qs = Proposal.objects.all() if queryset is None else queryset
    return (
        qs.filter(session__year=year)
        .select_related("session", "lead_unit")
        .only(
            "id",
            "kind",
            "number",
            "title",
            "category",
            "group_id",
            "state",
            "is_key",
            "session__id",
            "session__name",
            "session__body",
            "session__year",
            "lead_unit__id",
            "lead_unit__short_name",
            "lead_unit__name",
        )
        .order_by("session_id", "kind", "number")
    )


class _Index:
    """Bigram → items, to compare an item only with those sharing a bigram with it."""

    def __init__(self, items):
        self.items = list(items)
        self.grams = {item.pk: bigrams(item.title) for item in self.items}
        self.postings = {}
        for item in self.items:
            for gram in self.grams[item.pk]:
                self.postings.setdefault(gram, []).append(item)

    def matches(self, item, grams=None):
        grams = self.grams.get(item.pk) if grams is None else grams
        seen = {}
        for gram in grams or ():
            for other in self.postings.get(gram, ()):
                if other.pk != item.pk:
                    seen[other.pk] = other
        found = []
        for other in seen.values():
            value = score(grams, self.grams[other.pk])
            if value >= MIN_SCORE and _same_category(item, other):
                found.append(Match(value, item, other))
        found.sort(key=lambda m: (-m.score, m.other.session_id, m.other.number))
        return found


def similar_to(proposal, queryset=None, *, limit=LIMIT):
    """[Match] best first: items of the same year (any session) on the same subject."""
    index = _Index(year_items(proposal.session.year, queryset).exclude(pk=proposal.pk))
    return index.matches(proposal, bigrams(proposal.title))[:limit]


def similar_pairs(session: Session, queryset=None, *, limit=PAIR_LIMIT):
    """[Match] for the session's 相似件 page: each pair of similar items with at least one in
    `session` (the other in any session of the year), once, best first."""
    index = _Index(year_items(session.year, queryset))
    pairs, seen = [], set()
    for item in index.items:
        if item.session_id != session.pk:
            continue
        for match in index.matches(item):
            key = frozenset((item.pk, match.other.pk))
            if key not in seen:
                seen.add(key)
                pairs.append(match)
    pairs.sort(key=lambda m: (-m.score, m.item.number, m.other.number))
    return pairs[:limit]
