"""Reads of 办会: who sees which topics, meetings and minutes (one SQL filter each, as for the
documents: a list, a count and a URL all start here; what a user may not see is a 404).

- Topics: office staff (secretaries, leaders, supervisors) see all; a unit's people see the topics
  their unit submitted and those it was asked to give an opinion on; a legal adviser sees the
  topics waiting for 合法性审查 and those they reviewed.
- Meetings and their minutes: office staff see all; anyone invited (出席, 列席, 代会) sees the
  meeting; a unit sees the minutes whose decided items name it.
"""

from django.db.models import Q

from office.permissions import Visibility, get_visible_or_404, visible

from .models import LegalAdviser, Meeting, Minutes, Topic

TOPIC_VISIBILITY = Visibility(
    clearance_field=None, unit_fields=("submitting_unit", "opinions__unit"), office_wide=True
)
MEETING_VISIBILITY = Visibility(
    clearance_field=None, user_fields=("attendances__person",), office_wide=True
)
MINUTES_VISIBILITY = Visibility(
    clearance_field=None,
    unit_fields=("decided_items__lead_unit", "decided_items__co_units"),
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


def minutes_visible_to(user, queryset=None):
    qs = Minutes.objects.all() if queryset is None else queryset
    return visible(qs, user, MINUTES_VISIBILITY)


def minutes_get_or_404(user, pk, queryset=None):
    qs = Minutes.objects.all() if queryset is None else queryset
    return get_visible_or_404(qs, user, MINUTES_VISIBILITY, pk=pk)
