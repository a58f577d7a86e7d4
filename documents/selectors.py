"""Reads of 收文办理: who sees which documents, and the querysets the pages list.

Visibility is one SQL filter (office.permissions): office staff (secretaries, leaders,
supervisors) see every document within their clearance; a handling unit's people see only the
documents assigned to their unit; a document above the user's clearance does not exist for them —
no list entry, no count, no search hit, no export row, 404 on its URL (DOMAIN.md §2).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Prefetch, Q

from office.models import TrailEvent
from office.permissions import Visibility, get_visible_or_404, scope_for, visible
from office.roles import Role

from .models import Assignment, Attachment, Circulation, IncomingDocument, LeaderInstruction

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


# --- my lists: 待办 / 已办 / 我登记的 ---------------------------------------------------------

SECRETARY_STATES = (
    IncomingDocument.State.REGISTERED,
    IncomingDocument.State.ACCEPTED,
    IncomingDocument.State.INSTRUCTED,
    IncomingDocument.State.AWAITING_COMPLETION,
    IncomingDocument.State.COMPLETED,
)


def _my_turn_as_leader(user):
    """Documents where a pending instruction or unread circulation of this leader is in the
    current round (no earlier round still pending)."""
    earlier_instruction = LeaderInstruction.objects.filter(
        document=OuterRef("document"),
        instructed_at__isnull=True,
        sequence__lt=OuterRef("sequence"),
    )
    instructions = LeaderInstruction.objects.filter(
        leader=user, instructed_at__isnull=True, document__state=IncomingDocument.State.INSTRUCTING
    ).filter(~Exists(earlier_instruction))
    earlier_circulation = Circulation.objects.filter(
        document=OuterRef("document"), read_at__isnull=True, sequence__lt=OuterRef("sequence")
    )
    circulations = Circulation.objects.filter(
        leader=user, read_at__isnull=True, document__state=IncomingDocument.State.CIRCULATING
    ).filter(~Exists(earlier_circulation))
    return Q(pk__in=instructions.values("document_id")) | Q(
        pk__in=circulations.values("document_id")
    )


def incoming_todo_filter(user):
    """What waits for this user (待办): the secretaries' steps, a leader's turn, a unit's part."""
    scope = scope_for(user)
    q = Q(pk__in=[])
    if scope.has(Role.SECRETARY):
        q |= Q(state__in=SECRETARY_STATES)
    if scope.has(Role.LEADER):
        q |= _my_turn_as_leader(user)
    unit_states = []
    if scope.has(Role.UNIT_HANDLER):
        unit_states += [Assignment.State.ASSIGNED, Assignment.State.ACCEPTED]
    if scope.has(Role.UNIT_HEAD):
        unit_states += [Assignment.State.SUBMITTED]
    if unit_states and scope.unit_ids:
        q |= Q(
            pk__in=Assignment.objects.filter(
                unit_id__in=scope.unit_ids, state__in=unit_states
            ).values("document_id")
        )
    return q


def incoming_todo(user):
    return incoming_visible_to(user).filter(incoming_todo_filter(user))


def incoming_done(user):
    """已办: documents on which this user took a step (the trail knows), newest first."""
    document_type = ContentType.objects.get_for_model(IncomingDocument)
    assignment_type = ContentType.objects.get_for_model(Assignment)
    on_documents = TrailEvent.objects.filter(
        actor=user, content_type=document_type, action__in=STEP_ACTIONS
    ).values("object_id")
    on_parts = Assignment.objects.filter(
        pk__in=TrailEvent.objects.filter(actor=user, content_type=assignment_type).values(
            "object_id"
        )
    ).values("document_id")
    return incoming_visible_to(user).filter(Q(pk__in=on_documents) | Q(pk__in=on_parts))


# Trail actions that are steps of the work (not mere openings of a classified document).
STEP_ACTIONS = (
    "register",
    "screen",
    "return_to_sender",
    "propose_handling",
    "instruct",
    "conclude_instructions",
    "assign",
    "reassign",
    "submit_for_completion",
    "return_result",
    "complete",
    "circulate",
    "initial",
    "finish_circulation",
    "archive",
    "urge",
    "progress",
    "attach",
    "edit_registration",
)


def incoming_registered_by(user):
    """我登记的 (首问责任制: the registrar owns it until it is handed on)."""
    return incoming_visible_to(user).filter(registered_by=user)


def incoming_archive(user, year):
    """The year's archive list (归档目录), in archive-number order."""
    return incoming_visible_to(user).filter(
        state=IncomingDocument.State.ARCHIVED, archived_on__year=year
    )


LIST_COLUMNS = (
    "id",
    "registration_number",
    "year",
    "serial",
    "sender_name",
    "sender_number",
    "title",
    "doc_type",
    "kind",
    "classification",
    "urgency",
    "received_on",
    "state",
    "lead_unit__short_name",
    "deadline",
    "completed_on",
    "archive_number",
    "archived_on",
)


def for_list(queryset):
    """The columns a list shows, and no more (list pages never fetch what they do not show)."""
    return queryset.select_related("lead_unit").only(*LIST_COLUMNS)


# --- one document's page ----------------------------------------------------------------------


def incoming_for_page(user, pk):
    """The document with everything its page and its permission checks read, in a fixed number
    of queries."""
    queryset = IncomingDocument.objects.select_related(
        "registered_by", "proposed_by", "proposed_lead_unit", "lead_unit", "completed_by", "sender"
    ).prefetch_related(
        "proposed_co_units",
        Prefetch(
            "instructions",
            queryset=LeaderInstruction.objects.select_related("leader", "requested_by"),
        ),
        Prefetch("circulations", queryset=Circulation.objects.select_related("leader")),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related(
                "unit", "handler", "approved_by", "assigned_by", "document"
            ).prefetch_related("progress_notes__author", "attachments"),
        ),
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(purpose=Attachment.Purpose.ORIGINAL).select_related(
                "uploaded_by"
            ),
            to_attr="originals",
        ),
    )
    return incoming_get_or_404(user, pk, queryset)


def ordered_assignments(document):
    """主办 first, then 协办 in the order assigned; withdrawn parts last."""
    return sorted(
        document.assignments.all(),
        key=lambda a: (a.state == Assignment.State.WITHDRAWN, not a.is_lead, a.assigned_at, a.pk),
    )


def document_history(document):
    """流转记录: the document's own steps and its handling units' steps, oldest first."""
    document_type = ContentType.objects.get_for_model(IncomingDocument)
    assignment_type = ContentType.objects.get_for_model(Assignment)
    part_ids = [a.pk for a in document.assignments.all()]
    return (
        TrailEvent.objects.filter(
            Q(content_type=document_type, object_id=document.pk)
            | Q(content_type=assignment_type, object_id__in=part_ids)
        )
        .exclude(action="open")
        .order_by("at", "id")
    )


def instructions_to_supervise(*, since=None):
    """领导批示件: leaders' instructions marked to become supervision items, newest first — the
    entry point the supervision ledger uses (STYLE.md: apps reach each other through selectors).
    Each row carries its document (number, title, lead unit, deadline) and its leader."""
    qs = (
        LeaderInstruction.objects.filter(to_supervise=True, instructed_at__isnull=False)
        .select_related("leader", "document", "document__lead_unit")
        .order_by("-instructed_at", "-id")
    )
    if since is not None:
        qs = qs.filter(instructed_at__gte=since)
    return qs


# --- outgoing documents (发文) ------------------------------------------------------------------

OUTGOING_VISIBILITY = Visibility(
    clearance_field="classification",
    unit_fields=("drafting_unit", "co_signatures__unit", "receipts__unit"),
    office_wide=True,
)


def outgoing_visible_to(user, queryset=None):
    """Office staff see every outgoing document within clearance; a unit sees what it drafted,
    what it was asked to co-sign and what was dispatched to it."""
    from .models import OutgoingDocument

    qs = OutgoingDocument.objects.all() if queryset is None else queryset
    return visible(qs, user, OUTGOING_VISIBILITY)


def version_changes(older, newer):
    """What changed between two versions, line by line (difflib), for the reviewers."""
    import difflib

    return list(
        difflib.unified_diff(
            older.body.splitlines(),
            newer.body.splitlines(),
            fromfile=f"第{older.number}稿",
            tofile=f"第{newer.number}稿",
            lineterm="",
        )
    )


def outgoing_get_or_404(user, pk, queryset=None):
    from .models import OutgoingDocument

    qs = OutgoingDocument.objects.all() if queryset is None else queryset
    return get_visible_or_404(qs, user, OUTGOING_VISIBILITY, pk=pk)


def outgoing_for_page(user, pk):
    """The 发文 with what its page and its permission checks read."""
    from .models import (
        CoSignature,
        DraftVersion,
        OutgoingAttachment,
        OutgoingDocument,
        Receipt,
        ReviewRecord,
        SealLedgerEntry,
    )

    queryset = OutgoingDocument.objects.select_related(
        "issuing_unit", "drafter", "drafting_unit", "signer", "printing_unit"
    ).prefetch_related(
        "main_recipients",
        "cc_recipients",
        Prefetch("versions", queryset=DraftVersion.objects.select_related("author")),
        Prefetch("reviews", queryset=ReviewRecord.objects.select_related("reviewer", "version")),
        Prefetch("co_signatures", queryset=CoSignature.objects.select_related("unit", "signed_by")),
        Prefetch(
            "seal_uses",
            queryset=SealLedgerEntry.objects.select_related("seal", "applicant", "approver"),
        ),
        Prefetch("receipts", queryset=Receipt.objects.select_related("unit", "received_by")),
        Prefetch("attachments", queryset=OutgoingAttachment.objects.select_related("uploaded_by")),
    )
    return outgoing_get_or_404(user, pk, queryset)


def _outgoing_todo_filter(user):
    """What waits for this user: the drafter's returned drafts, a reviewer's level, a unit's
    co-signature, a leader's sign-off, the secretaries' numbering, sealing, dispatch and filing."""
    from .models import CoSignature, OutgoingDocument, ReviewLevel

    S = OutgoingDocument.State
    scope = scope_for(user)
    q = Q(drafter=user, state__in=(S.DRAFT, S.RETURNED))
    q |= Q(
        Exists(
            ReviewLevel.objects.filter(
                unit=OuterRef("issuing_unit"), level=OuterRef("review_level"), reviewers=user
            )
        ),
        state=S.IN_REVIEW,
    )
    if scope.roles & {Role.UNIT_HEAD, Role.UNIT_HANDLER} and scope.unit_ids:
        q |= Q(
            Exists(
                CoSignature.objects.filter(
                    document=OuterRef("pk"), unit_id__in=scope.unit_ids, signed_at__isnull=True
                )
            ),
            state=S.CO_SIGNING,
        )
    if scope.has(Role.LEADER):
        q |= Q(state=S.AWAITING_SIGN_OFF)
    if scope.has(Role.SECRETARY):
        q |= Q(state__in=(S.SIGNED, S.NUMBERED, S.SEALED, S.DISPATCHED))
    return q


def outgoing_todo(user):
    return outgoing_visible_to(user).filter(_outgoing_todo_filter(user))


OUTGOING_STEP_ACTIONS = (
    "draft",
    "revise",
    "submit",
    "submit_for_sign_off",
    "submit_for_co_sign",
    "pass_review",
    "finish_review",
    "send_to_co_sign",
    "return_for_revision",
    "co_sign",
    "finish_co_signing",
    "sign_off",
    "number",
    "void_number",
    "seal",
    "dispatch",
    "dispatch_on_paper",
    "archive",
)


def outgoing_done(user):
    """已办: documents on which this user took a step (the trail knows)."""
    from .models import OutgoingDocument

    steps = TrailEvent.objects.filter(
        actor=user,
        content_type=ContentType.objects.get_for_model(OutgoingDocument),
        action__in=OUTGOING_STEP_ACTIONS,
    ).values("object_id")
    return outgoing_visible_to(user).filter(pk__in=steps)


def outgoing_drafted_by(user):
    return outgoing_visible_to(user).filter(drafter=user)


OUTGOING_LIST_COLUMNS = (
    "id",
    "title",
    "doc_type",
    "state",
    "urgency",
    "classification",
    "document_number",
    "created_at",
    "drafter__real_name",
    "issuing_unit__short_name",
)


def outgoing_for_list(queryset):
    return queryset.select_related("drafter", "issuing_unit").only(*OUTGOING_LIST_COLUMNS)


def receipts_for_unit(user):
    """签收: the receipts of the user's unit(s) for documents it may see, unsigned first."""
    from .models import Receipt

    scope = scope_for(user)
    unit_ids = scope.unit_ids or ({user.unit_id} if user.unit_id else set())
    return (
        Receipt.objects.filter(
            unit_id__in=unit_ids,
            channel=Receipt.Channel.EXCHANGE,
            document__in=outgoing_visible_to(user),
        )
        .select_related("document", "document__issuing_unit", "unit", "received_by")
        .order_by(F("received_at").desc(nulls_first=True), "-sent_at", "-id")
    )


def outgoing_history(document):
    from .models import OutgoingDocument

    return (
        TrailEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(OutgoingDocument),
            object_id=document.pk,
        )
        .exclude(action="open")
        .order_by("at", "id")
    )


REGISTER_VIEWS = {
    "": "全部编号",
    "archived": "已归档（归档目录）",
    "open": "未归档",
    "void": "作废号",
}


def outgoing_register(user, *, year, key=None, view=""):
    """发文登记簿: every number of the year's 发文 registers, void ones included, in order; each
    with its document if the user may see it (a number is never hidden, a title may be).
    `view`: archived (the year's 归档目录), open (numbered, not yet filed) or void numbers."""
    from office.models import SerialNumber

    from .models import OutgoingDocument

    numbers = SerialNumber.objects.filter(
        content_type=ContentType.objects.get_for_model(OutgoingDocument), year=year
    ).select_related("allocated_by", "voided_by")
    if key:
        numbers = numbers.filter(key=key)
    if view == "void":
        return numbers.filter(status=SerialNumber.Status.VOID)
    if view in ("archived", "open"):
        archived = OutgoingDocument.objects.filter(state=OutgoingDocument.State.ARCHIVED).values(
            "pk"
        )
        numbers = numbers.filter(status=SerialNumber.Status.ISSUED)
        if view == "archived":
            return numbers.filter(object_id__in=archived)
        return numbers.exclude(object_id__in=archived)
    return numbers


def outgoing_register_keys(year):
    from office.models import SerialNumber

    from .models import OutgoingDocument

    return list(
        SerialNumber.objects.filter(
            content_type=ContentType.objects.get_for_model(OutgoingDocument), year=year
        )
        .values_list("key", flat=True)
        .distinct()
        .order_by("key")
    )
