"""Who may take each step of 督查督办 (DOMAIN.md §1 roles, §6).

Each `can_<verb>(user, item)` answers for an item the user can already see (visibility lives in
selectors); the workflow engine asks the same functions on every transition, and the pages show
their buttons from them."""

from office.permissions import has_role, scope_for
from office.roles import Role


def is_supervisor(user):
    return has_role(user, Role.SUPERVISOR)


def can_open(user):
    """立项 by hand: the supervision office (督查室)."""
    return is_supervisor(user)


def can_supervise(user, item=None):
    """交办, 催办, 核验销号, 退回, 中止, 关联: the supervision office's own steps."""
    return is_supervisor(user)


def _of_lead_unit(user, item, roles):
    scope = scope_for(user)
    return bool(scope.roles & roles) and item.lead_unit_id in scope.unit_ids


def can_report(user, item):
    """进展反馈, 申请办结, 申请延期: the lead unit's handler or head."""
    return _of_lead_unit(user, item, {Role.UNIT_HANDLER, Role.UNIT_HEAD})


def can_review_reports(user, item):
    """A report counts once the lead unit's head has approved it (单位负责人审核)."""
    return _of_lead_unit(user, item, {Role.UNIT_HEAD})


def can_decide_extension(user, item):
    """延期 is approved by the item's responsible leader."""
    return bool(user.is_authenticated) and item.responsible_leader_id == user.pk


def can_export(user):
    """The ledger's xlsx export: office staff who see the ledger (never unit people's whole
    list beyond their own items — the export runs on the same visible queryset either way)."""
    return scope_for(user).has_business_role


# --- 督查通报 / 督查专报 (supervision.bulletins) ------------------------------------------------


def can_draft_bulletins(user, bulletin=None):
    """起草、修改、重新生成、送签、印发 a bulletin: the supervision office (督查室)."""
    return is_supervisor(user)


def can_sign_bulletin(user, bulletin):
    """签发 or 退回修改: the leader the bulletin was submitted to (any leader may be chosen; the
    office's head of supervision is usually a 副秘书长, who holds the leader role)."""
    return (
        bool(user.is_authenticated)
        and bulletin.signer_id == user.pk
        and has_role(user, Role.LEADER)
    )
