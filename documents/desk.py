"""How 收文 shows on the shell's desk (工作台) and in its global search (office.registry)."""

from django.urls import reverse

from office.calendar import Light, traffic_light
from office.registry import DeskItem

from . import selectors
from .models import HandlingPolicy, IncomingDocument

DESK_LIMIT = 30


def incoming_desk_items(user):
    """The user's 待办 incoming documents, nearest deadline first (the desk sorts by light)."""
    policy = HandlingPolicy.current()
    rows = selectors.for_list(selectors.incoming_todo(user)).order_by("deadline", "-received_on")[
        :DESK_LIMIT
    ]
    items = []
    for document in rows:
        light = (
            traffic_light(document.deadline, warning=policy.warning_days)
            if document.deadline and document.is_open
            else Light.GREEN
        )
        items.append(
            DeskItem(
                app_label="收文",
                title=document.title,
                url=reverse("documents:incoming-detail", args=[document.pk]),
                due=document.deadline if document.is_open else None,
                light=light,
                state_label=IncomingDocument.State(document.state).label,
            )
        )
    return items


def incoming_search_hits(user, query, limit):
    from .search import search_provider

    return search_provider(user, query, limit)


def outgoing_search_hits(user, query, limit):
    from .search import outgoing_search_provider

    return outgoing_search_provider(user, query, limit)


def outgoing_desk_items(user):
    """The user's 待办 发文 (drafts returned, reviews, co-signatures, sign-offs, the secretaries'
    numbering to filing) and the unit's documents still to be signed for (签收)."""
    from django.utils import timezone

    from .models import OutgoingDocument
    from .receipts import is_overdue

    items = []
    rows = selectors.outgoing_for_list(selectors.outgoing_todo(user)).order_by("-created_at")
    for document in rows[:DESK_LIMIT]:
        items.append(
            DeskItem(
                app_label="发文",
                title=document.title,
                url=reverse("documents:outgoing-detail", args=[document.pk]),
                light=Light.YELLOW if document.urgency != "normal" else Light.GREEN,
                state_label=OutgoingDocument.State(document.state).label,
            )
        )
    now = timezone.now()
    pending = selectors.receipts_for_unit(user).filter(received_at__isnull=True)
    for receipt in pending[:DESK_LIMIT]:
        overdue = is_overdue(receipt, now)
        items.append(
            DeskItem(
                app_label="签收",
                title=f"{receipt.document.document_number} {receipt.document.title}",
                url=reverse("documents:outgoing-detail", args=[receipt.document_id]),
                due=timezone.localdate(receipt.due_at) if receipt.due_at else None,
                light=Light.RED if overdue else Light.YELLOW,
                state_label="逾期未签收" if overdue else "待签收",
            )
        )
    return items
