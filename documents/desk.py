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
