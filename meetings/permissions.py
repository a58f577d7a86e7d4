"""Who may take each step of 办会 (DOMAIN.md §1 roles, §5).

Each `can_<verb>(user, topic)` answers for a topic the user can already see; the workflow engine
asks the same functions on every transition."""

from office.permissions import has_role, scope_for
from office.roles import Role


def is_secretary(user):
    return has_role(user, Role.SECRETARY)


def _of_submitting_unit(user, topic):
    scope = scope_for(user)
    return bool(scope.roles & {Role.UNIT_HANDLER, Role.UNIT_HEAD}) and (
        topic.submitting_unit_id in scope.unit_ids
    )


def can_submit_topic(user):
    """提请议题: a unit's handler or head, or a secretary for the office."""
    scope = scope_for(user)
    return bool(user.unit_id) and bool(
        scope.roles & {Role.UNIT_HANDLER, Role.UNIT_HEAD, Role.SECRETARY}
    )


def can_coordinate(user, topic):
    """会前协调 is organised by the office's secretaries."""
    return is_secretary(user)


def my_pending_opinion(user, topic):
    scope = scope_for(user)
    if not scope.roles & {Role.UNIT_HANDLER, Role.UNIT_HEAD}:
        return None
    return topic.opinions.filter(unit_id__in=scope.unit_ids, given_at__isnull=True).first()


def can_give_opinion(user, topic):
    """A concerned unit gives its opinion while coordination is open."""
    return my_pending_opinion(user, topic) is not None


def can_legality_review(user, topic):
    """合法性审查: an active legal adviser."""
    from .models import LegalAdviser

    return LegalAdviser.objects.filter(user=user, is_active=True, user__is_active=True).exists()


def can_resubmit(user, topic):
    """修改后重新提交: the submitting unit, or the secretary who submitted it."""
    return topic.submitted_by_id == user.pk or _of_submitting_unit(user, topic)


def can_withdraw(user, topic):
    """撤回: the submitting unit, or a secretary."""
    return can_resubmit(user, topic) or is_secretary(user)


def can_schedule(user, topic=None):
    """安排会议 (and putting topics on its agenda) is the secretaries' work."""
    return is_secretary(user)


def can_draft_minutes(user, minutes=None):
    """会议纪要 are drafted (and revised, sent for review, dispatched, filed) by secretaries."""
    return is_secretary(user)


def can_sign_minutes(user, minutes):
    """签发: the leader who presided over the meeting."""
    return minutes.meeting.presider_id == user.pk


def can_return_minutes(user, minutes):
    """退回修改: the presiding leader."""
    return can_sign_minutes(user, minutes)


def can_decide(user, topic):
    """已审议 is recorded when the presiding leader signs the minutes."""
    return has_role(user, Role.LEADER)


# --- 签收 of dispatched minutes (MinutesReceipt) -------------------------------------------------

SIGNING_ROLES = (Role.UNIT_HANDLER, Role.UNIT_HEAD)


def can_sign_for(user, receipt):
    """签收: a handler or head of the receiving unit, while the unit has not signed."""
    scope = scope_for(user)
    return (
        receipt.received_at is None
        and bool(scope.roles & set(SIGNING_ROLES))
        and receipt.unit_id in scope.unit_ids
    )


def units_that_sign(unit_ids):
    """Of `unit_ids`, the units with someone in this system who can sign for minutes: an active
    handler or head of the unit (the same rule as 发文's 签收, for the people who sign here)."""
    from office.models import User

    return set(
        User.objects.filter(
            is_active=True, unit_id__in=unit_ids, groups__name__in=SIGNING_ROLES
        ).values_list("unit_id", flat=True)
    )


def can_record_receipt(user, receipt, signing_units):
    """登记签收: a secretary, for a unit with nobody in this system to sign (`signing_units`:
    units_that_sign of the receipts' units) — its receipt comes back on paper or by phone."""
    return (
        is_secretary(user) and receipt.received_at is None and receipt.unit_id not in signing_units
    )
