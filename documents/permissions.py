"""Who may take each step of 收文办理 (DOMAIN.md §1 roles; 条例 art. 24).

Each `can_<verb>(user, obj)` answers for an object the user can already see (the views fetch it
through selectors, so an object out of reach is a 404 before any of these is asked). The workflow
engine calls the same functions on every transition, and the document page uses them to decide
which buttons to show — the server enforces them again on POST.

The checks read `document.instructions.all()` and `document.circulations.all()`, so a page that
prefetches them asks the database nothing more.
"""

from office.permissions import has_role, scope_for
from office.roles import Role

from .models import IncomingDocument


def is_secretary(user):
    return has_role(user, Role.SECRETARY)


def is_leader(user):
    return has_role(user, Role.LEADER)


def is_supervisor(user):
    return has_role(user, Role.SUPERVISOR)


def _unit_member(user, unit_id, *roles):
    """The user holds one of `roles` in the unit (or a unit above it in the tree)."""
    scope = scope_for(user)
    return bool(scope.roles & set(roles)) and unit_id in scope.unit_ids


# --- turns of leaders -------------------------------------------------------------------------


def current_instructions(document):
    """The pending instructions of the current round: leaders of one round instruct in parallel,
    the next round waits for them."""
    pending = [i for i in document.instructions.all() if i.instructed_at is None]
    if not pending:
        return []
    first = min(i.sequence for i in pending)
    return [i for i in pending if i.sequence == first]


def current_circulations(document):
    unread = [c for c in document.circulations.all() if c.read_at is None]
    if not unread:
        return []
    first = min(c.sequence for c in unread)
    return [c for c in unread if c.sequence == first]


def my_current_instruction(user, document):
    return next((i for i in current_instructions(document) if i.leader_id == user.pk), None)


def my_current_circulation(user, document):
    return next((c for c in current_circulations(document) if c.leader_id == user.pk), None)


def _has_instructed(user, document):
    return any(i.leader_id == user.pk for i in document.instructions.all())


# --- document steps ---------------------------------------------------------------------------


def can_screen(user, document):
    """初审 and 退文: the secretaries who sign for and register documents."""
    return is_secretary(user)


can_return_to_sender = can_screen


def can_edit_registration(user, document):
    """Registration data may be corrected until the document is completed; filed ones are
    read-only."""
    return is_secretary(user) and document.is_open


def can_propose_handling(user, document):
    """拟办: the secretary proposes leaders and units for a 办件."""
    return is_secretary(user) and document.kind == IncomingDocument.Kind.ACTION


def can_instruct(user, document):
    """批示: a leader whose turn it is."""
    return is_leader(user) and my_current_instruction(user, document) is not None


def can_conclude_instructions(user, document):
    """The last instruction hands the document on; its leader (or a secretary) moves it."""
    return is_secretary(user) or (is_leader(user) and _has_instructed(user, document))


def can_assign(user, document):
    """分办 to handling units: the secretary, or a leader who instructed on it — never while a
    leader's instruction is still awaited (that leader's turn would be lost)."""
    if document.kind != IncomingDocument.Kind.ACTION or current_instructions(document):
        return False
    return is_secretary(user) or (is_leader(user) and _has_instructed(user, document))


def can_circulate(user, document):
    """传阅 is for 阅件."""
    return is_secretary(user) and document.kind == IncomingDocument.Kind.READING


def can_initial(user, document):
    """圈阅: a leader whose turn it is on the circulation list."""
    return is_leader(user) and my_current_circulation(user, document) is not None


def can_finish_circulation(user, document):
    """The circulation ends when the last leader has read it, or when a secretary ends it early."""
    if is_secretary(user):
        return True
    on_list = any(c.leader_id == user.pk for c in document.circulations.all())
    return is_leader(user) and on_list and not current_circulations(document)


def can_submit_for_completion(user, document):
    """The lead unit's head approving its result hands the document to the secretary."""
    lead = document.lead_unit_id
    return lead is not None and _unit_member(user, lead, Role.UNIT_HEAD)


def can_complete(user, document):
    """办结 is confirmed by the secretary (首问责任制: the office closes what it opened)."""
    return is_secretary(user)


can_return_result = can_complete
can_reassign = can_complete


def can_archive(user, document):
    return is_secretary(user)


def can_urge(user, document):
    """催办 by hand: secretaries and supervision staff."""
    return (is_secretary(user) or is_supervisor(user)) and document.state in (
        IncomingDocument.State.INSTRUCTING,
        IncomingDocument.State.HANDLING,
        IncomingDocument.State.CIRCULATING,
        IncomingDocument.State.INSTRUCTED,
    )


def can_add_original(user, document):
    """Scans and files of the document itself: the secretary, until it is filed."""
    return is_secretary(user) and document.state != IncomingDocument.State.ARCHIVED


# --- a handling unit's steps ------------------------------------------------------------------


def can_accept(user, assignment):
    return _unit_member(user, assignment.unit_id, Role.UNIT_HANDLER)


can_submit = can_accept
can_record_progress = can_accept


def can_approve(user, assignment):
    """The unit head approves what the unit submits (DOMAIN.md §1)."""
    return _unit_member(user, assignment.unit_id, Role.UNIT_HEAD)


can_reject = can_approve


def can_request_hand_back(user, assignment):
    """退回重新分办: a wrongly assigned item is handed back with a reason."""
    return _unit_member(user, assignment.unit_id, Role.UNIT_HANDLER, Role.UNIT_HEAD)


def can_decide_hand_back(user, assignment):
    return is_secretary(user)


def can_reopen(user, assignment):
    return is_secretary(user)


# --- outgoing documents (发文) ------------------------------------------------------------------


def _is_drafter(user, document):
    return document.drafter_id == user.pk


def can_submit_draft(user, document):
    """送审 / 修改: the drafter, or a secretary for the office."""
    return _is_drafter(user, document) or is_secretary(user)


can_revise_draft = can_submit_draft


def can_review(user, document):
    """审核 at the current level: one of that level's reviewers for the issuing unit."""
    from .models import ReviewLevel

    return ReviewLevel.objects.filter(
        unit_id=document.issuing_unit_id, level=document.review_level, reviewers=user
    ).exists()


def can_sign_off(user, document):
    """签发: a leader."""
    return is_leader(user)


def can_return_draft(user, document):
    """退回修改: the reviewer of the current level, or a leader at sign-off."""
    from .models import OutgoingDocument

    if document.state == OutgoingDocument.State.AWAITING_SIGN_OFF:
        return can_sign_off(user, document)
    return can_review(user, document)


def my_pending_co_signature(user, document):
    scope = scope_for(user)
    if not scope.roles & {Role.UNIT_HEAD, Role.UNIT_HANDLER}:
        return None
    return document.co_signatures.filter(unit_id__in=scope.unit_ids, signed_at__isnull=True).first()


def can_co_sign(user, document):
    """会签: a person of a unit asked to co-sign that has not yet given its opinion."""
    return my_pending_co_signature(user, document) is not None


def can_number(user, document):
    """复核编号: the secretaries who keep the 发文 register."""
    return is_secretary(user)


def can_finish_co_signing(user, document):
    """The last unit's opinion ends the co-signature: a person of a unit that co-signed, once no
    unit is still to give its opinion."""
    scope = scope_for(user)
    signed = document.co_signatures.filter(unit_id__in=scope.unit_ids, signed_at__isnull=False)
    pending = document.co_signatures.filter(signed_at__isnull=True)
    return signed.exists() and not pending.exists()


def can_seal(user, document):
    """用印 and 核发 are done by the secretaries who keep the seals and the 发文 register."""
    return is_secretary(user)


can_dispatch = can_seal
can_archive_outgoing = can_seal


def my_pending_receipt(user, document):
    """The receipt of the user's unit still to be signed for (签收)."""
    scope = scope_for(user)
    if not scope.roles & {Role.UNIT_HEAD, Role.UNIT_HANDLER, Role.SECRETARY}:
        return None
    unit_ids = scope.unit_ids or ({user.unit_id} if user.unit_id else set())
    return document.receipts.filter(
        unit_id__in=unit_ids, received_at__isnull=True, channel="exchange"
    ).first()


def units_that_sign(unit_ids):
    """Of `unit_ids`, the units with someone in this system who can sign for a document (签收):
    an active handler, head or secretary of the unit."""
    from office.models import User

    return set(
        User.objects.filter(
            is_active=True,
            unit_id__in=unit_ids,
            groups__name__in=[Role.UNIT_HANDLER, Role.UNIT_HEAD, Role.SECRETARY],
        ).values_list("unit_id", flat=True)
    )


def recorded_by_sender(receipt, signing_units):
    """A receipt the sender's secretary records (登记签收): a paper copy, or a unit with nobody in
    this system to sign (`signing_units`: units_that_sign of the receipts' units)."""
    return receipt.channel == "paper" or receipt.unit_id not in signing_units


def can_draft_outgoing(user):
    """起草: office staff and the units' people (a unit drafts for the government, 代拟稿)."""
    scope = scope_for(user)
    return bool(user.unit_id) and bool(
        scope.roles & {Role.SECRETARY, Role.SUPERVISOR, Role.UNIT_HANDLER, Role.UNIT_HEAD}
    )


def can_manage_seals(user):
    """印章印模: uploaded and kept by the security administrator (三员分立)."""
    return has_role(user, Role.SECADMIN)


def can_read_outgoing_register(user):
    """发文登记簿 and 印章使用登记台账: the office staff."""
    return scope_for(user).office_wide
