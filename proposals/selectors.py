"""Reads of 建议提案办理: who sees which items (one SQL filter for every list, count, statistic,
export and URL — what a user may not see is a 404).

- The office's staff (secretaries, supervisors) see every item.
- A leader who oversees the whole government's work (`User.oversees_all`) sees every item;
  another leader sees the key items they lead (领办) and, as linked deputy secretary-general
  (联线领导服务制), those of the leaders they serve.
- A unit's handlers and head see the items their unit leads (主办) or co-handles (会办).
"""

from django.db.models import Q
from django.http import Http404

from office.permissions import scope_for
from office.roles import Role

from .models import Proposal
from .permissions import OFFICE_ROLES


def proposals_visible_to(user, queryset=None):
    qs = Proposal.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if not scope.has_business_role:
        return qs.none()
    if scope.roles & OFFICE_ROLES or (scope.has(Role.LEADER) and user.oversees_all):
        return qs
    reach = Q(pk__in=[])
    if scope.has(Role.LEADER):
        reach |= Q(key_leader=user.pk) | Q(key_leader__liaison=user.pk)
    if scope.unit_bound and scope.unit_ids:
        co = Proposal.co_units.through.objects.filter(unit_id__in=scope.unit_ids)
        reach |= Q(lead_unit__in=scope.unit_ids) | Q(pk__in=co.values("proposal_id"))
    return qs.filter(reach)


def proposal_get_or_404(user, pk, queryset=None):
    try:
        return proposals_visible_to(user, queryset).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404("没有找到该建议提案，或您无权查看。") from None
