"""The shell's own pages: 工作台 (the desk), global search and the notification inbox.

The duty apps reach these pages only through office.registry (desk and search providers), so the
core never imports them (STYLE.md).
"""

import datetime

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import registry
from ..calendar import Light, is_working_day
from ..models import Notification
from ..notifications import mark_read
from ..pagination import keyset_page
from ..permissions import scope_for

LIGHT_ORDER = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2}
LATEST_NOTIFICATIONS = 5
INBOX_PAGE_SIZE = 20
SEARCH_LIMIT = 20
QUERY_MAX_LENGTH = 100


def _greeting(now):
    hour = timezone.localtime(now).hour
    return "上午好" if hour < 12 else "下午好" if hour < 18 else "晚上好"


def _desk_order(item):
    """Red before yellow before green (DOMAIN.md §2), then the nearest deadline first."""
    return (
        LIGHT_ORDER.get(item.light, len(LIGHT_ORDER)),
        item.due is None,
        item.due or datetime.date.max,
    )


def _desk_rows(user):
    items = [item for provider in registry.desk_providers() for item in provider(user)]
    items.sort(key=_desk_order)
    rows = [{"item": item, "label": Light.LABELS.get(item.light, "")} for item in items]
    summary = [
        {
            "light": light,
            "label": Light.LABELS[light],
            "count": sum(i.light == light for i in items),
        }
        for light in LIGHT_ORDER
    ]
    return rows, summary


def desk(request):
    scope = scope_for(request.user)
    today = timezone.localdate()
    admin_only = scope.is_admin and not scope.has_business_role
    rows, summary = ([], []) if admin_only else _desk_rows(request.user)
    context = {
        "greeting": _greeting(timezone.now()),
        "today": today,
        "working_day": is_working_day(today),
        "admin_only": admin_only,
        "rows": rows,
        "summary": summary,
        "latest": Notification.objects.filter(recipient=request.user)[:LATEST_NOTIFICATIONS],
    }
    return render(request, "office/desk.html", context)


def search(request):
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    groups = {}
    if query:
        for provider in registry.search_providers():
            for hit in provider(request.user, query, limit=SEARCH_LIMIT):
                groups.setdefault(hit.app_label, []).append(hit)
    context = {
        "shell_query": query,
        "groups": [{"app_label": label, "hits": hits} for label, hits in groups.items()],
        "hit_count": sum(len(hits) for hits in groups.values()),
    }
    return render(request, "office/search.html", context)


def notifications(request):
    """The inbox, newest first, in keyset pages on (created_at, id): no page counts rows."""
    after = request.GET.get("after")
    page = keyset_page(
        Notification.objects.filter(recipient=request.user),
        order=("-created_at", "-id"),
        after=after,
        size=INBOX_PAGE_SIZE,
    )
    context = {"page": page, "is_first_page": not after}
    return render(request, "office/notification_list.html", context)


def notification_open(request, pk):
    """Opening a notification marks it read; only its recipient may (others get 404)."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(request.user, [note.pk])
    safe = url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if note.url and safe:
        return HttpResponseRedirect(note.url)
    return redirect("office:notifications")


@require_POST
def notifications_read_all(request):
    count = mark_read(request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return redirect("office:notifications")


def notifications_badge(request):
    """The bell's unread count, polled by htmx; the count is the shell context's shell_unread."""
    return render(request, "office/_notification_badge.html")


urlpatterns = [
    path("", desk, name="desk"),
    path("search/", search, name="search"),
    path("notifications/", notifications, name="notifications"),
    path("notifications/<int:pk>/open/", notification_open, name="notification-open"),
    path("notifications/read-all/", notifications_read_all, name="notifications-read-all"),
    path("notifications/badge/", notifications_badge, name="notifications-badge"),
]
