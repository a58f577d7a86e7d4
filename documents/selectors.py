"""Reads of 收文办理: who sees which documents, and the querysets the pages list.

Visibility is one SQL filter (office.permissions): office staff (secretaries, leaders,
supervisors) see every document within their clearance; a handling unit's people see only the
documents assigned to their unit; a document above the user's clearance does not exist for them —
no list entry, no count, no search hit, no export row, 404 on its URL (DOMAIN.md §2).
"""

from office.permissions import Visibility, get_visible_or_404, visible

from .models import IncomingDocument

INCOMING_VISIBILITY = Visibility(
    clearance_field="classification",
    unit_fields=("assignments__unit",),
    office_wide=True,
)


def incoming_visible_to(user, queryset=None):
    """Every incoming document `user` may see (list, count, search and export all start here)."""
    qs = IncomingDocument.objects.all() if queryset is None else queryset
    return visible(qs, user, INCOMING_VISIBILITY)


def incoming_get_or_404(user, pk, queryset=None):
    qs = IncomingDocument.objects.all() if queryset is None else queryset
    return get_visible_or_404(qs, user, INCOMING_VISIBILITY, pk=pk)
