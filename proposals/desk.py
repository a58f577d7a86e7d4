"""How 建议提案办理 shows on the shell's desk (工作台), per role:
- the office's staff (建议提案办理人员): items registered and waiting to be assigned (待交办),
  requests for reassignment to decide (申请调整待审核), replied items waiting for the proposer's
  rating (待录入评价);
- a lead unit's handlers and head: items assigned to it (待接收, with the 申请调整 window), items
  in hand (办理中 / 答复已签发待发出) with their 答复期限 and light;
- a lead unit's head: reply letters waiting for sign-off (待签发答复);
- a co-unit's handlers and head: items waiting for their opinion (待提交会办意见);
- a leader: the key items they lead (领办) still in the units' hands.
Every list is one bounded query, through selectors.proposals_visible_to."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from office.calendar import Light
from office.permissions import scope_for
from office.registry import DeskItem
from office.roles import Role

from . import lights
from .models import CoOpinion, Proposal
from .permissions import OFFICE_ROLES, UNIT_PEOPLE
from .selectors import proposals_visible_to

DESK_LIMIT = 20
S = Proposal.State
APP_LABEL = "建议提案"
ROW_FIELDS = (
    "id",
    "session__name",
    "kind",
    "number",
    "title",
    "state",
    "deadline",
    "round",
    "reassign_until",
)


def _row(p, state_label, *, due=None, light=None):
    return DeskItem(
        app_label=APP_LABEL,
        title=f"{p.get_kind_display()}{p.number_text} {p.title}",
        url=reverse("proposals:proposal-detail", args=[p.pk]),
        due=due if due is not None else p.deadline,
        light=light or p.light or Light.GREEN,
        state_label=state_label,
    )


def _visible(user, today):
    rows = proposals_visible_to(user).select_related("session").only(*ROW_FIELDS)
    return lights.with_light(rows, today)


def _first(rows, *order):
    return list(rows.order_by(*order, "id")[:DESK_LIMIT])


def proposals_desk_items(user):
    scope = scope_for(user)
    if not scope.has_business_role:
        return []
    today = timezone.localdate()
    visible = _visible(user, today)
    rows = []
    if scope.roles & OFFICE_ROLES:
        rows += _office_rows(visible)
    if scope.unit_ids and scope.roles & UNIT_PEOPLE:
        rows += _unit_rows(visible, scope)
    if scope.has(Role.LEADER):
        key = visible.filter(key_leader=user, state__in=Proposal.IN_HAND)
        rows += [_row(p, f"领办重点（{p.get_state_display()}）") for p in _first(key, "deadline")]
    return rows


def _office_rows(visible):
    rows = [
        _row(p, "待交办", light=Light.YELLOW)
        for p in _first(visible.filter(state=S.REGISTERED), "kind", "number")
    ]
    rows += [
        _row(p, "申请调整，待审核", light=Light.YELLOW)
        for p in _first(visible.filter(state=S.REASSIGNMENT_REQUESTED), "deadline")
    ]
    rows += [
        _row(p, f"已答复，待录入评价（第{p.round}轮）", due=None, light=Light.GREEN)
        for p in _first(visible.filter(state=S.REPLIED), "replied_on")
    ]
    return rows


def _unit_rows(visible, scope):
    units = scope.unit_ids
    lead = visible.filter(lead_unit_id__in=units)
    rows = []
    for p in _first(lead.filter(state=S.ASSIGNED), "reassign_until"):
        until = f"，申请调整截至 {p.reassign_until:%m-%d}" if p.reassign_until else ""
        rows.append(_row(p, f"待接收{until}"))
    labels = {S.HANDLING: "办理中", S.REPLY_APPROVED: "答复已签发，待发出"}
    in_hand = lead.filter(state__in=tuple(labels))
    rows += [
        _row(p, labels[p.state] + (f"（第{p.round}轮）" if p.round > 1 else ""))
        for p in _first(in_hand, "deadline")
    ]
    if Role.UNIT_HEAD in scope.roles:
        rows += [
            _row(p, "待签发答复") for p in _first(lead.filter(state=S.REPLY_SUBMITTED), "deadline")
        ]
    co = Proposal.co_units.through.objects.filter(unit_id__in=units)
    given = CoOpinion.objects.filter(
        proposal=OuterRef("pk"), round=OuterRef("round"), unit_id__in=units
    )
    waiting = (
        visible.filter(pk__in=co.values("proposal_id"), state__in=(S.ASSIGNED, S.HANDLING))
        .exclude(lead_unit_id__in=units)
        .exclude(Exists(given))
    )
    rows += [_row(p, "待提交会办意见") for p in _first(waiting, "deadline")]
    return rows
