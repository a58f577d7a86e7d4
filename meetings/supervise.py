"""议定事项 → 督办事项 (DOMAIN.md §5: "each decided item … becomes a supervision item with a link
back to the minutes"), and the decided items' implementation rate per meeting (落实率), read from
the supervision ledger.

Minutes reach the ledger only through `supervision.services.open_item` and its selectors and
measures (STYLE.md: apps reach each other through services and selectors). The supervision item
keeps a generic link to its decided item, unique per source: signing, re-running the intake or
saving the minutes again never opens a second item for the same decision.
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from supervision import measures
from supervision import selectors as supervision_selectors
from supervision.models import Cadence, Source
from supervision.services import ItemPlan, open_item

from .minutes import decided_items_to_supervise
from .models import DecidedItem

TITLE_LENGTH = 60


def item_title(decided):
    """The ledger's 事项名称 for a decision: its first sentence, shortened."""
    text = " ".join(decided.content.split())
    first = text.split("。")[0] or text
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1] + "…"


def source_label(decided):
    minutes = decided.minutes
    return (
        f"{minutes.meeting.meeting_type.minutes_title} {minutes.issue_text} "
        f"第{decided.position}项议定事项"
    )


def supervise_decided_items(minutes, *, actor, ip=None):
    """Open one supervision item per decided item of signed minutes (once each); returns them."""
    url = reverse("meetings:minutes-detail", args=[minutes.pk])
    opened = []
    for decided in decided_items_to_supervise().filter(minutes=minutes):
        plan = ItemPlan(
            title=item_title(decided),
            requirement=decided.content,
            source=Source.MEETING_DECISION,
            lead_unit=decided.lead_unit,
            co_units=tuple(decided.co_units.all()),
            responsible_leader=decided.leader,
            deadline=decided.deadline,
            report_cadence=Cadence.MONTHLY,
            source_label=source_label(decided),
            source_url=f"{url}#decided-{decided.position}",
        )
        opened.append(open_item(plan, actor=actor, source_object=decided, ip=ip))
    return opened


def supervision_items_of(user, minutes):
    """{decided item id: supervision item} for the minutes' page (only items the user may see)."""
    ids = minutes.decided_items.values_list("pk", flat=True)
    return supervision_selectors.items_for_sources(
        user, ContentType.objects.get_for_model(DecidedItem), ids
    )


def implementation_by_meeting(user, minutes_list):
    """{minutes id: Rates} — the decided items' 落实率 (办结率 of their supervision items, as the
    ledger defines it in supervision.measures) for each of the given minutes, in two queries."""
    groups = {}
    for minutes_id, decided_id in DecidedItem.objects.filter(
        minutes__in=[m.pk for m in minutes_list]
    ).values_list("minutes_id", "pk"):
        groups.setdefault(minutes_id, []).append(decided_id)
    items = supervision_selectors.items_visible_to(user).filter(
        source_type=ContentType.objects.get_for_model(DecidedItem)
    )
    return measures.rates_grouped(items, field="source_id", groups=groups)
