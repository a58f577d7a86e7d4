"""疑似重复事项 (issue 6, "Report progress"): when an item looks like one already open — same lead
unit, similar title, e.g. a leader's instruction and a meeting decision on the same matter — the
supervisor is offered to link them (services.link_items), and one progress report then counts for
both.

Similar means: another open item of the same lead unit, not already linked with this one, visible
to the user, whose title's difflib ratio with this title is at least 0.5; the best five."""

import difflib
import re

from .models import SupervisionItem
from .selectors import items_visible_to

MIN_RATIO = 0.5
LIMIT = 5
# A unit rarely has this many open items; the newest are compared, the rest ignored.
CANDIDATES = 2000

_NOISE = re.compile(r"[\s，。；、,.;：:“”\"'（）()《》〔〕]+")


def _normalized(title):
    return _NOISE.sub("", title or "")


def similar_open_items(item, user):
    """[(ratio, item)] best first: the open items of `item`'s lead unit that look like it."""
    if not item.is_open:
        return []
    candidates = (
        items_visible_to(user)
        .filter(lead_unit_id=item.lead_unit_id, state__in=SupervisionItem.OPEN_STATES)
        .exclude(pk=item.pk)
        .only("id", "item_number", "title", "state", "group_id", "deadline")
        .order_by("-id")[:CANDIDATES]
    )
    title = _normalized(item.title)
    matcher = difflib.SequenceMatcher(None, b=title, autojunk=False)
    scored = []
    for other in candidates:
        if item.group_id and other.group_id == item.group_id:
            continue
        matcher.set_seq1(_normalized(other.title))
        if matcher.real_quick_ratio() < MIN_RATIO or matcher.quick_ratio() < MIN_RATIO:
            continue
        ratio = matcher.ratio()
        if ratio >= MIN_RATIO:
            scored.append((ratio, other))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return scored[:LIMIT]
