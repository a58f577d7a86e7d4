"""Who may take each step of 建议提案办理 (DOMAIN.md §1 roles, §7).

- The office's staff who handle suggestions and proposals (建议提案办理科): secretaries and
  supervisors — sessions, intake, 交办, decisions on 申请调整, entering ratings from the returned
  forms (办公室录入).
- The lead unit (主办) — its handlers and head: 接收, 申请调整, 沟通联系, the reply letter; its head
  signs the reply off (or returns it). Co-units (会办) send their opinions.
- A handling unit never rates its own work (DOMAIN.md §7; issue 7 item 5): ratings are the
  office's or the proposer's through a signed link.
Each `can_<verb>(user, proposal)` answers for an item the user can already see."""

from office.permissions import scope_for
from office.roles import Role

OFFICE_ROLES = frozenset({Role.SECRETARY, Role.SUPERVISOR})
UNIT_PEOPLE = frozenset({Role.UNIT_HANDLER, Role.UNIT_HEAD})


def can_manage(user, proposal=None):
    """The office's steps: register, import, assign, decide reassignment, enter ratings."""
    return bool(scope_for(user).roles & OFFICE_ROLES)


def _of_unit(user, unit_id, roles):
    scope = scope_for(user)
    return unit_id is not None and bool(scope.roles & roles) and unit_id in scope.unit_ids


def can_handle(user, proposal):
    """The lead unit's handler or head: 接收, 申请调整, 沟通联系, 拟答复函, 发出答复."""
    return _of_unit(user, proposal.lead_unit_id, UNIT_PEOPLE)


def can_sign_reply(user, proposal):
    """The lead unit's head signs the reply letter off (or returns it)."""
    return _of_unit(user, proposal.lead_unit_id, {Role.UNIT_HEAD})


def co_unit_of(user, proposal):
    """The co-unit (会办单位) the user speaks for on this item, or None."""
    scope = scope_for(user)
    if not scope.roles & UNIT_PEOPLE:
        return None
    return next((u for u in proposal.co_units.all() if u.pk in scope.unit_ids), None)


def can_give_co_opinion(user, proposal):
    return co_unit_of(user, proposal) is not None


def can_rate(user, proposal):
    """Entering a rating from the returned form: the office only — never a handling unit."""
    return can_manage(user) and not (
        _of_unit(user, proposal.lead_unit_id, UNIT_PEOPLE) or co_unit_of(user, proposal)
    )
