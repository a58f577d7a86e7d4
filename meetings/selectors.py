"""Reads of 办会: who sees which topics, meetings and minutes (one SQL filter each, as for the
documents: a list, a count and a URL all start here; what a user may not see is a 404).

- Topics: office staff (secretaries, leaders, supervisors) see all; a unit's people see the topics
  their unit submitted and those it was asked to give an opinion on; a legal adviser sees the
  topics waiting for 合法性审查 and those they reviewed.
- Meetings and their minutes: office staff see all; anyone invited (出席, 列席, 代会) sees the
  meeting; a unit sees the minutes whose decided items name it or that were sent to it (印发,
  MinutesReceipt).
"""

from django.db.models import Q

from office.permissions import Visibility, get_visible_or_404, scope_for, visible
from office.roles import Role

from .models import LegalAdviser, Meeting, Minutes, Topic

S = Topic.State

TOPIC_VISIBILITY = Visibility(
    clearance_field=None, unit_fields=("submitting_unit", "opinions__unit"), office_wide=True
)
MEETING_VISIBILITY = Visibility(
    clearance_field=None, user_fields=("attendances__person",), office_wide=True
)
MINUTES_VISIBILITY = Visibility(
    clearance_field=None,
    unit_fields=("decided_items__lead_unit", "decided_items__co_units", "receipts__unit"),
    user_fields=("meeting__attendances__person",),
    office_wide=True,
)


def _legal_adviser(user):
    return LegalAdviser.objects.filter(user=user, is_active=True).exists()


def topics_visible_to(user, queryset=None):
    qs = Topic.objects.all() if queryset is None else queryset
    seen = visible(qs, user, TOPIC_VISIBILITY)
    if user.is_authenticated and _legal_adviser(user):
        reviewing = qs.filter(Q(state=Topic.State.LEGAL_REVIEW) | Q(legal_reviewer=user))
        seen = qs.filter(Q(pk__in=seen.values("pk")) | Q(pk__in=reviewing.values("pk")))
    return seen


def topic_get_or_404(user, pk, queryset=None):
    from django.http import Http404

    qs = Topic.objects.all() if queryset is None else queryset
    try:
        return topics_visible_to(user, qs).get(pk=pk)
    except Topic.DoesNotExist:
        raise Http404("没有找到该议题，或您无权查看。") from None


def topic_pool(user, *, meeting_type=None, unit=None, leader=None):
    """议题库: admitted topics waiting for a meeting, oldest first, filterable."""
    qs = topics_visible_to(user).filter(state=Topic.State.ADMITTED)
    if meeting_type is not None:
        qs = qs.filter(meeting_type=meeting_type)
    if unit is not None:
        qs = qs.filter(submitting_unit=unit)
    if leader is not None:
        qs = qs.filter(reporting_leader=leader)
    return qs.select_related("submitting_unit", "reporting_leader", "meeting_type").order_by(
        "admitted_at", "id"
    )


def meetings_visible_to(user, queryset=None):
    qs = Meeting.objects.all() if queryset is None else queryset
    return visible(qs, user, MEETING_VISIBILITY)


def meeting_get_or_404(user, pk, queryset=None):
    qs = Meeting.objects.all() if queryset is None else queryset
    return get_visible_or_404(qs, user, MEETING_VISIBILITY, pk=pk)


ISSUED = (Minutes.State.SIGNED, Minutes.State.DISPATCHED, Minutes.State.FILED)


def minutes_visible_to(user, queryset=None):
    """Office staff see minutes from the first draft; the units and people they concern see them
    once signed (a draft is not yet what the meeting decided)."""
    qs = Minutes.objects.all() if queryset is None else queryset
    seen = visible(qs, user, MINUTES_VISIBILITY)
    if not scope_for(user).office_wide:
        seen = seen.filter(state__in=ISSUED)
    return seen


def minutes_get_or_404(user, pk, queryset=None):
    from django.http import Http404

    try:
        return minutes_visible_to(user, queryset).get(pk=pk)
    except Minutes.DoesNotExist:
        raise Http404("没有找到该会议纪要，或您无权查看。") from None


def topic_todo(user):
    """待办: secretaries — topics to coordinate and coordinations whose answers are all in; a
    unit — opinions it owes and its returned topics; legal advisers — topics in legal review."""
    scope = scope_for(user)
    wanted = Q(pk__in=[])
    if scope.has(Role.SECRETARY):
        answered = Q(state=S.COORDINATING) & ~Q(
            pk__in=Topic.objects.filter(opinions__given_at__isnull=True).values("pk")
        )
        wanted |= Q(state=S.SUBMITTED) | answered
    if scope.roles & {Role.UNIT_HANDLER, Role.UNIT_HEAD}:
        owed = Topic.objects.filter(
            opinions__unit_id__in=scope.unit_ids, opinions__given_at__isnull=True
        )
        wanted |= Q(state=S.COORDINATING, pk__in=owed.values("pk"))
        wanted |= Q(state=S.RETURNED, submitting_unit_id__in=scope.unit_ids)
    if LegalAdviser.objects.filter(user=user, is_active=True).exists():
        wanted |= Q(state=S.LEGAL_REVIEW)
    return topics_visible_to(user).filter(wanted)


def topics_submitted_by(user):
    return topics_visible_to(user).filter(submitted_by=user)
