"""Writing the told stories: the documents, their recipients, 稿本, review and 会签 records,
numbers (and the voided ones), the 用印 ledger, receipts and the trail, in bulk."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from office.models import SerialNumber, User
from office.seed.rows import BATCH, TRAIL_COLUMNS, insert_rows

from ..models import (
    CoSignature,
    DraftVersion,
    OutgoingDocument,
    Receipt,
    ReviewRecord,
    SealLedgerEntry,
)
from ..workflow.outgoing import OUTGOING

S = OutgoingDocument.State
LABELS = {
    "draft": "起草",
    "revise": "修改稿件",
    "receive": "签收",
    "void_number": "编号作废",
    **{name: t.label for name, t in OUTGOING.transitions.items()},
}


def write(plans, voids, demo, seals, moment):
    units = demo["units"]
    documents = []
    for plan in plans:
        f = dict(plan.fields)
        document = OutgoingDocument(
            state=plan.state,
            review_level=plan.review_level if plan.state == S.IN_REVIEW else 0,
            signer=plan.signer,
            signed_at=plan.signed_at,
            sign_off_opinion=plan.sign_off_opinion,
            document_number=plan.number,
            year=plan.year or None,
            serial=plan.serial or None,
            numbered_at=moment(plan.numbered[0]) if plan.numbered else None,
            sealed_at=plan.sealed_at,
            dispatched_at=plan.dispatched_at,
            archived_on=plan.archived_at.date() if plan.archived_at else None,
            **f,
        )
        plan.document = document
        documents.append(document)
    OutgoingDocument.objects.bulk_create(documents, batch_size=BATCH)

    for relation, attribute in (("main_recipients", "main"), ("cc_recipients", "cc")):
        through = getattr(OutgoingDocument, relation).through
        through.objects.bulk_create(
            [
                through(outgoingdocument_id=p.document.pk, unit_id=units[u].pk)
                for p in plans
                for u in getattr(p, attribute)
            ],
            batch_size=BATCH,
        )
    versions = {}
    rows = []
    for plan in plans:
        for number, title, body, author, at, note in plan.versions:
            row = DraftVersion(
                document=plan.document,
                number=number,
                title=title,
                body=body,
                author=author,
                created_at=at,
                note=note,
            )
            versions[(plan.document.pk, number)] = row
            rows.append(row)
    DraftVersion.objects.bulk_create(rows, batch_size=BATCH)
    ReviewRecord.objects.bulk_create(
        [
            ReviewRecord(
                document=p.document,
                level=level,
                version=versions[(p.document.pk, version)],
                reviewer=reviewer,
                outcome=outcome,
                opinion=opinion,
                at=at,
            )
            for p in plans
            for level, version, reviewer, outcome, opinion, at in p.reviews
        ],
        batch_size=BATCH,
    )
    CoSignature.objects.bulk_create(
        [
            CoSignature(
                document=p.document,
                unit=units[unit],
                requested_at=requested,
                opinion=opinion,
                signed_by=by,
                signed_at=at,
            )
            for p in plans
            for unit, requested, opinion, by, at in p.co_signs
        ],
        batch_size=BATCH,
    )
    document_type = ContentType.objects.get_for_model(OutgoingDocument)
    serials = [
        SerialNumber(
            key=p.register,
            year=p.year,
            number=p.serial,
            text=p.number,
            content_type=document_type,
            object_id=p.document.pk,
            allocated_by=p.numbered[1],
            allocated_at=moment(p.numbered[0]),
        )
        for p in plans
        if p.number
    ]
    fresh = {id(p) for p in plans}
    void_rows = []
    for plan, key, year, number, text in voids:
        if id(plan) not in fresh:
            continue  # its document is already there, so is the voided number
        taken, voided, reason = plan.void
        void_rows.append(
            (
                plan,
                SerialNumber(
                    key=key,
                    year=year,
                    number=number,
                    text=text,
                    status=SerialNumber.Status.VOID,
                    content_type=document_type,
                    object_id=plan.document.pk,
                    allocated_by=plan.numbered[1],
                    allocated_at=moment(taken),
                    voided_by=plan.numbered[1],
                    voided_at=moment(voided),
                    void_reason=reason,
                ),
            )
        )
    SerialNumber.objects.bulk_create(serials + [row for _, row in void_rows], batch_size=BATCH)
    SealLedgerEntry.objects.bulk_create(
        [
            SealLedgerEntry(
                seal=seals[issuer],
                document=p.document,
                copies=copies,
                applicant=applicant,
                approver=approver,
                at=at,
            )
            for p in plans
            if p.seal_use
            for issuer, copies, applicant, approver, at in [p.seal_use]
        ],
        batch_size=BATCH,
    )
    Receipt.objects.bulk_create(
        [
            Receipt(document=p.document, **{**r, "unit": units[r["unit"]]})
            for p in plans
            for r in p.receipts
        ],
        batch_size=BATCH,
    )
    _write_trail(plans, void_rows, document_type, moment)


def _write_trail(plans, void_rows, document_type, moment):
    adapt = connection.ops.adapt_datetimefield_value
    serial_type = ContentType.objects.get_for_model(SerialNumber)
    events = []
    for plan in plans:
        document = plan.document
        for at, actor, action, before, after, opinion in plan.events:
            person = isinstance(actor, User)
            if action == "number":  # as documents.workflow.outgoing.number writes it
                opinion = document.document_number
            events.append(
                (
                    moment(at),
                    actor.pk if person else None,
                    actor.real_name if person else actor.short_name,
                    action,
                    LABELS[action],
                    "success",
                    document_type.pk,
                    document.pk,
                    str(document)[:200],
                    document.classification,
                    before,
                    after,
                    opinion,
                )
            )
    for _plan, serial in void_rows:
        actor = serial.voided_by
        events.append(
            (
                serial.voided_at,
                actor.pk,
                actor.real_name,
                "void_number",
                LABELS["void_number"],
                "success",
                serial_type.pk,
                serial.pk,
                str(serial)[:200],
                0,
                "",
                "",
                serial.void_reason,
            )
        )
    events.sort(key=lambda e: e[0])
    insert_rows(TRAIL_COLUMNS, [(adapt(e[0]), *e[1:]) for e in events])
