"""Writes of 收文办理 that are not state transitions: registration (登记), attachments, progress
notes, manual urging (催办) and the handling policy. Each is one transaction that writes the trail
(留痕) with it.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from office import numbering, trail
from office.models import Clearance
from office.roles import Role
from office.uploads import StoredFiles, check_upload, save_file

from . import permissions as can
from .models import Assignment, Attachment, HandlingPolicy, IncomingDocument, Sender
from .workflow import _tell, unit_people

REGISTRATION_REGISTER = "收文"


@dataclass(frozen=True)
class Registration:
    """What the secretary types in (登记, 条例 art. 24 (1))."""

    sender_name: str
    sender_level: str
    sender_number: str
    title: str
    doc_type: str
    kind: str
    classification: int
    secrecy_period: str
    urgency: str
    copies: int
    pages: int
    received_on: object
    channel: str
    remarks: str = ""


def find_duplicates(*, sender_name, sender_number, year, exclude_pk=None):
    """Documents of this year with the same sender and sender's number — the commonest
    registration mistake is registering the same document twice."""
    sender_number = (sender_number or "").strip()
    if not sender_number:
        return IncomingDocument.objects.none()
    qs = IncomingDocument.objects.filter(
        sender__name=sender_name.strip(), sender_number=sender_number, year=year
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("id")


def sender_for(name, level):
    """The sender of that name, added on first use (new senders are allowed at registration)."""
    name = name.strip()
    if not name:
        raise ValidationError("请填写来文单位。")
    sender, created = Sender.objects.get_or_create(name=name, defaults={"level": level})
    return sender


def _check_clearance(actor, classification):
    if classification > actor.clearance:
        raise ValidationError(
            f"您的涉密等级为“{Clearance(actor.clearance).label}”，不能登记“{Clearance(classification).label}”文件。"
        )


class PossibleDuplicate(ValidationError):
    """The same sender's document with the same number is registered this year already."""

    def __init__(self, duplicates):
        super().__init__("今年已登记过同一来文单位、同一来文字号的文件，请核对是否重复登记。")
        self.duplicates = duplicates


def incoming_register(data: Registration, *, actor, files=(), confirmed_duplicate=False, ip=None):
    """登记: the document, its registration number from the 收文 register (allocated in this
    transaction: no gaps, a document keeps its number) and its scans, or nothing at all. A likely
    duplicate (same sender and sender's number this year) is refused until the secretary confirms
    it is not one — the commonest registration mistake."""
    if not can.is_secretary(actor):
        raise ValidationError("只有秘书（文书）可以登记收文。")
    _check_clearance(actor, data.classification)
    if not confirmed_duplicate:
        duplicates = list(
            find_duplicates(
                sender_name=data.sender_name,
                sender_number=data.sender_number,
                year=data.received_on.year,
            )
        )
        if duplicates:
            raise PossibleDuplicate(duplicates)
    policy = HandlingPolicy.current()
    checked = [(upload, check_upload(upload, max_mb=policy.max_attachment_mb)) for upload in files]
    with StoredFiles() as stored, transaction.atomic():
        sender = sender_for(data.sender_name, data.sender_level)
        document = IncomingDocument.objects.create(
            year=data.received_on.year,
            sender=sender,
            sender_name=sender.name,
            sender_level=sender.level,
            sender_number=data.sender_number.strip(),
            title=data.title.strip(),
            doc_type=data.doc_type,
            kind=data.kind,
            classification=data.classification,
            secrecy_period=data.secrecy_period.strip()
            if data.classification > Clearance.NONE
            else "",
            urgency=data.urgency,
            copies=data.copies,
            pages=data.pages,
            received_on=data.received_on,
            channel=data.channel,
            remarks=data.remarks.strip(),
            registered_by=actor,
        )
        serial = numbering.allocate(
            REGISTRATION_REGISTER,
            year=document.year,
            obj=document,
            actor=actor,
            pattern=policy.registration_pattern,
        )
        IncomingDocument.objects.filter(pk=document.pk).update(
            registration_number=serial.text, serial=serial.number
        )
        document.registration_number, document.serial = serial.text, serial.number
        trail.record(
            action="register",
            action_label="登记",
            actor=actor,
            obj=document,
            to_state=IncomingDocument.State.REGISTERED.label,
            opinion=f"{sender.name} {document.sender_number}".strip(),
            ip=ip,
        )
        _store(document, checked, actor=actor, purpose=Attachment.Purpose.ORIGINAL, stored=stored)
    return document


REGISTRATION_FIELDS = (
    "sender_number",
    "title",
    "doc_type",
    "kind",
    "classification",
    "secrecy_period",
    "urgency",
    "copies",
    "pages",
    "received_on",
    "channel",
    "remarks",
)


def incoming_update_registration(document, data: Registration, *, actor, ip=None):
    """Correct the registration data of an open document; the number stays, the change is kept."""
    if not can.can_edit_registration(actor, document):
        raise ValidationError("只有秘书可以在办结前修改登记信息；已办结或已归档的收文只读。")
    _check_clearance(actor, data.classification)
    if data.kind != document.kind and document.state not in (
        IncomingDocument.State.REGISTERED,
        IncomingDocument.State.ACCEPTED,
    ):
        raise ValidationError("已拟办或传阅的收文不能改变办件/阅件。")
    with transaction.atomic():
        current = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        sender = sender_for(data.sender_name, data.sender_level)
        values = {name: getattr(data, name) for name in REGISTRATION_FIELDS}
        values["sender_number"] = values["sender_number"].strip()
        values["title"] = values["title"].strip()
        if data.classification == Clearance.NONE:
            values["secrecy_period"] = ""
        values.update(sender=sender, sender_name=sender.name, sender_level=sender.level)
        shown_fields = ("sender_name", *REGISTRATION_FIELDS)
        before = trail.snapshot(current, shown_fields)
        IncomingDocument.objects.filter(pk=document.pk).update(**values)
        current.refresh_from_db()
        opinion = trail.changes(current, before, shown_fields)
        if opinion:
            trail.record(
                action="edit_registration",
                action_label="修改登记信息",
                actor=actor,
                obj=current,
                opinion=opinion,
                ip=ip,
            )
    return current


def _store(document, checked, *, actor, purpose, stored, assignment=None):
    rows = []
    for upload, info in checked:
        attachment = Attachment(
            document=document,
            assignment=assignment,
            purpose=purpose,
            name=(upload.name or "附件")[:200],
            media_type=info.media_type,
            size=info.size,
            sha256=info.sha256,
            uploaded_by=actor,
        )
        save_file(stored, attachment.file, attachment.name, upload)
        attachment.save()
        rows.append(attachment)
    return rows


def add_attachments(document, files, *, actor, assignment=None, ip=None):
    """Add scans to the document (secretary) or result materials to a unit's part (its handler)."""
    if assignment is None:
        if not can.can_add_original(actor, document):
            raise ValidationError("只有秘书可以为未归档的收文添加附件。")
        purpose = Attachment.Purpose.ORIGINAL
    else:
        if not (
            can.can_submit(actor, assignment) and assignment.state == Assignment.State.ACCEPTED
        ):
            raise ValidationError("只有承办人在办理中可以上传办理结果材料。")
        purpose = Attachment.Purpose.RESULT
    if not files:
        raise ValidationError("请选择要上传的文件。")
    policy = HandlingPolicy.current()
    checked = [(upload, check_upload(upload, max_mb=policy.max_attachment_mb)) for upload in files]
    with StoredFiles() as stored, transaction.atomic():
        rows = _store(
            document, checked, actor=actor, purpose=purpose, assignment=assignment, stored=stored
        )
        trail.record(
            action="attach",
            action_label="上传附件",
            actor=actor,
            obj=document,
            opinion="、".join(a.name for a in rows),
            ip=ip,
        )
    return rows


def record_progress(assignment, *, actor, text, ip=None):
    """办理进展 reported by the unit's handler while the item is in hand."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写办理进展。")
    if not can.can_record_progress(actor, assignment):
        raise ValidationError("只有本单位承办人可以填报办理进展。")
    if assignment.state != Assignment.State.ACCEPTED:
        raise ValidationError("接收后、提交办理结果前才能填报办理进展。")
    with transaction.atomic():
        note = assignment.progress_notes.create(author=actor, text=text)
        trail.record(
            action="progress",
            action_label=f"{assignment.unit.short_name}填报进展",
            actor=actor,
            obj=assignment.document,
            opinion=text,
            ip=ip,
        )
    return note


def urge(document, *, actor, message, ip=None):
    """催办 by hand: the message goes to whoever holds the document now — the leaders whose turn
    it is, or the handling units' people — and is kept in the routing history."""
    message = (message or "").strip()
    if not message:
        raise ValidationError("请填写催办内容。")
    if not can.can_urge(actor, document):
        raise ValidationError("该收文当前不能催办。")
    recipients = holders(document)
    if not recipients:
        raise ValidationError("该收文当前没有可催办的对象。")
    with transaction.atomic():
        trail.record(
            action="urge",
            action_label="催办",
            actor=actor,
            obj=document,
            opinion=f"{message}（催办：{'、'.join(u.real_name for u in recipients)}）",
            ip=ip,
        )
        _tell(recipients, document, f"催办：{document.title}", message)
    return recipients


def holders(document):
    """Who holds the document now (DOMAIN.md: "who holds it")."""
    S = IncomingDocument.State
    if document.state == S.INSTRUCTING:
        return [i.leader for i in can.current_instructions(document)]
    if document.state == S.CIRCULATING:
        return [c.leader for c in can.current_circulations(document)]
    if document.state in (S.REGISTERED, S.ACCEPTED, S.INSTRUCTED, S.AWAITING_COMPLETION):
        return [document.registered_by]
    if document.state == S.HANDLING:
        people = []
        active = [a for a in document.assignments.all() if a.state in Assignment.ACTIVE_STATES]
        for assignment in active:
            if assignment.state == Assignment.State.HAND_BACK_REQUESTED:
                people.append(document.registered_by)  # the secretary decides on it
                continue
            role = (
                Role.UNIT_HEAD
                if assignment.state == Assignment.State.SUBMITTED
                else Role.UNIT_HANDLER
            )
            people += unit_people(assignment.unit_id, role)
        people = list({person.pk: person for person in people}.values())
        return people
    return []


def handling_policy_update(*, actor, values, ip=None):
    """The system administrator's settings for deadlines, warnings and escalation."""
    from office.permissions import can_configure

    if not can_configure(actor):
        raise ValidationError("只有系统管理员可以修改收文办理设置。")
    with transaction.atomic():
        policy = HandlingPolicy.objects.select_for_update().get(pk=HandlingPolicy.current().pk)
        before = trail.snapshot(policy, values)
        for name, value in values.items():
            setattr(policy, name, value)
        opinion = trail.changes(policy, before, values)
        if opinion:
            policy.save()
            trail.record(
                action="handling_policy",
                action_label="修改收文办理设置",
                actor=actor,
                obj=policy,
                opinion=opinion,
                ip=ip,
            )
    return policy


def submit_result(assignment, *, actor, result, files=(), ip=None):
    """提交办理结果 with its materials: the files and the step land together or not at all."""
    from . import workflow

    with transaction.atomic():
        if files:
            add_attachments(assignment.document, files, actor=actor, assignment=assignment, ip=ip)
        return workflow.submit(assignment, actor=actor, result=result, ip=ip)


# --- outgoing documents (发文): drafting ----------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """What the drafter fills in (起草, 条例 art. 19)."""

    doc_type: str
    issuing_unit: object
    direction: str
    title: str
    body: str
    main_recipients: tuple = ()
    cc_recipients: tuple = ()
    classification: int = 0
    secrecy_period: str = ""
    urgency: str = "normal"
    attachment_note: str = ""
    remarks: str = ""
    print_copies: int = 1
    printing_unit: object = None
    copy_number: str = ""
    addressee_text: str = ""


def outgoing_draft(data: Draft, *, actor, ip=None):
    """起草: the document and its first version (第1稿)."""
    from .models import DraftVersion, OutgoingDocument

    _check_clearance(actor, data.classification)
    _check_draft(data)
    if actor.unit_id is None:
        raise ValidationError("您没有所在单位，不能起草发文。")
    with transaction.atomic():
        document = OutgoingDocument.objects.create(
            doc_type=data.doc_type,
            issuing_unit=data.issuing_unit,
            direction=data.direction,
            title=data.title.strip(),
            classification=data.classification,
            secrecy_period=data.secrecy_period.strip() if data.classification else "",
            urgency=data.urgency,
            print_copies=data.print_copies,
            printing_unit=data.printing_unit or data.issuing_unit,
            copy_number=data.copy_number if data.classification else "",
            addressee_text=data.addressee_text.strip(),
            drafter=actor,
            drafting_unit_id=actor.unit_id,
        )
        document.main_recipients.set(data.main_recipients)
        document.cc_recipients.set(data.cc_recipients)
        DraftVersion.objects.create(
            document=document,
            number=1,
            title=document.title,
            body=data.body.strip(),
            attachment_note=data.attachment_note.strip(),
            remarks=data.remarks.strip(),
            author=actor,
        )
        trail.record(
            action="draft",
            action_label="起草",
            actor=actor,
            obj=document,
            to_state=OutgoingDocument.State.DRAFT.label,
            ip=ip,
        )
    return document


def outgoing_revise(
    document, *, actor, title, body, attachment_note="", remarks="", note="", ip=None
):
    """修改: a new version; earlier versions are kept for the reviewers to compare."""
    from .models import DraftVersion, OutgoingDocument

    if not can.can_revise_draft(actor, document):
        raise ValidationError("只有拟稿人或秘书可以修改稿件。")
    if document.state not in (OutgoingDocument.State.DRAFT, OutgoingDocument.State.RETURNED):
        raise ValidationError("只有起草中或退回修改的稿件可以修改。")
    if not title.strip() or not body.strip():
        raise ValidationError("请填写标题和正文。")
    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        last = locked.versions.order_by("-number").first()
        version = DraftVersion.objects.create(
            document=locked,
            number=last.number + 1,
            title=title.strip(),
            body=body.strip(),
            attachment_note=attachment_note.strip(),
            remarks=remarks.strip(),
            author=actor,
            note=note.strip(),
        )
        OutgoingDocument.objects.filter(pk=locked.pk).update(title=version.title)
        trail.record(
            action="revise",
            action_label="修改稿件",
            actor=actor,
            obj=locked,
            opinion=f"第{version.number}稿" + (f"：{version.note}" if version.note else ""),
            ip=ip,
        )
    return version


def _check_draft(data: Draft):
    if not data.title.strip() or not data.body.strip():
        raise ValidationError("请填写标题和正文。")
    if data.classification and not data.secrecy_period.strip():
        raise ValidationError("涉密公文须填写保密期限（如“1年”“长期”）。")


PARTICULARS = (
    "doc_type",
    "issuing_unit",
    "direction",
    "addressee_text",
    "classification",
    "secrecy_period",
    "copy_number",
    "urgency",
    "print_copies",
    "printing_unit",
)


def _recipient_names(document):
    main = "、".join(u.short_name or u.name for u in document.main_recipients.all())
    cc = "、".join(u.short_name or u.name for u in document.cc_recipients.all())
    return f"{main or '（空）'} / {cc or '（空）'}"


def outgoing_update(document, data: Draft, *, actor, note="", ip=None):
    """修改 a draft or a returned draft: its particulars, and a new version (第N稿) when the text
    changed — the earlier versions stay for the reviewers to compare."""
    from .models import OutgoingDocument

    if not can.can_revise_draft(actor, document):
        raise ValidationError("只有拟稿人或秘书可以修改稿件。")
    if document.state not in (OutgoingDocument.State.DRAFT, OutgoingDocument.State.RETURNED):
        raise ValidationError("只有起草中或退回修改的稿件可以修改。")
    _check_clearance(actor, data.classification)
    _check_draft(data)
    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if locked.state != document.state:
            raise ValidationError("该稿件已被他人处理，请刷新页面后查看。")
        before = trail.snapshot(locked, PARTICULARS)
        recipients_before = _recipient_names(locked)
        for field in ("doc_type", "issuing_unit", "direction", "classification", "urgency"):
            setattr(locked, field, getattr(data, field))
        locked.print_copies = data.print_copies
        locked.addressee_text = data.addressee_text.strip()
        locked.secrecy_period = data.secrecy_period.strip() if data.classification else ""
        locked.copy_number = data.copy_number if data.classification else ""
        locked.printing_unit = data.printing_unit or data.issuing_unit
        locked.save()
        locked.main_recipients.set(data.main_recipients)
        locked.cc_recipients.set(data.cc_recipients)
        changed = trail.changes(locked, before, PARTICULARS)
        recipients_after = _recipient_names(locked)
        if recipients_after != recipients_before:
            changed = "；".join(
                filter(None, [changed, f"主送/抄送：{recipients_before} → {recipients_after}"])
            )
        if changed:
            trail.record(
                action="edit_particulars",
                action_label="修改发文要素",
                actor=actor,
                obj=locked,
                opinion=changed,
                ip=ip,
            )
        last = locked.versions.order_by("-number").first()
        text = (data.title.strip(), data.body.strip(), data.attachment_note.strip())
        if (last.title, last.body, last.attachment_note) != text or last.remarks != (
            data.remarks.strip()
        ):
            outgoing_revise(
                locked,
                actor=actor,
                title=data.title,
                body=data.body,
                attachment_note=data.attachment_note,
                remarks=data.remarks,
                note=note,
                ip=ip,
            )
    document.refresh_from_db()
    return document


def _attachments_editable(actor, document):
    from .models import OutgoingDocument

    if not can.can_revise_draft(actor, document) or document.state not in (
        OutgoingDocument.State.DRAFT,
        OutgoingDocument.State.RETURNED,
    ):
        raise ValidationError("只有拟稿人或秘书可以在起草中或退回修改时增删附件。")


def outgoing_add_attachment(document, *, actor, title, body="", upload=None, ip=None):
    """附件: its name (for the 附件说明), the text printed on its own page, and optionally a file."""
    from .models import OutgoingAttachment

    _attachments_editable(actor, document)
    title = (title or "").strip()
    if not title:
        raise ValidationError("请填写附件名称。")
    if not (body or "").strip() and upload is None:
        raise ValidationError("请填写附件正文或选择附件文件。")
    info = (
        check_upload(upload, max_mb=HandlingPolicy.current().max_attachment_mb) if upload else None
    )
    with StoredFiles() as stored, transaction.atomic():
        last = document.attachments.select_for_update().order_by("-number").first()
        attachment = OutgoingAttachment(
            document=document,
            number=(last.number if last else 0) + 1,
            title=title,
            body=(body or "").strip(),
            uploaded_by=actor,
        )
        if upload is not None:
            attachment.name = (upload.name or "附件")[:200]
            attachment.media_type, attachment.size = info.media_type, info.size
            attachment.sha256 = info.sha256
            save_file(stored, attachment.file, attachment.name, upload)
        attachment.save()
        trail.record(
            action="attach",
            action_label="添加附件",
            actor=actor,
            obj=document,
            opinion=f"附件{attachment.number}：{title}",
            ip=ip,
        )
    return attachment


def outgoing_remove_attachment(attachment, *, actor, ip=None):
    """删除附件; the later ones move up so the 附件说明 stays numbered 1, 2, 3 …"""
    document = attachment.document
    _attachments_editable(actor, document)
    with transaction.atomic():
        rows = list(document.attachments.select_for_update().order_by("number"))
        attachment.delete()
        later = [row for row in rows if row.number > attachment.number]
        for row in later:  # one at a time, lowest first, to keep (document, number) unique
            row.number -= 1
            row.save(update_fields=["number"])
        trail.record(
            action="detach",
            action_label="删除附件",
            actor=actor,
            obj=document,
            opinion=f"附件{attachment.number}：{attachment.title}",
            ip=ip,
        )
    if attachment.file:
        attachment.file.delete(save=False)


SEAL_IMAGE_TYPES = {"image/png"}
SEAL_IMAGE_MAX_BYTES = 2 * 1024 * 1024


def seal_save(*, actor, unit, name, image=None, is_active=True, seal=None, ip=None):
    """印模 kept by the security administrator: a transparent PNG (checked by its content), at
    most 2 MB. Every change is in the trail."""
    import filetype

    from .models import Seal

    if not can.can_manage_seals(actor):
        raise ValidationError("只有安全管理员可以管理印章印模。")
    if not (name or "").strip():
        raise ValidationError("请填写印章名称。")
    if image is not None:
        image.seek(0)
        kind = filetype.guess(image.read(512))
        image.seek(0)
        if kind is None or kind.mime not in SEAL_IMAGE_TYPES:
            raise ValidationError("印模图片须为 PNG 格式（透明背景）。")
        if image.size > SEAL_IMAGE_MAX_BYTES:
            raise ValidationError("印模图片不能超过 2 MB。")
    with StoredFiles() as stored, transaction.atomic():
        creating = seal is None
        seal = seal or Seal(unit=unit)
        seal.unit, seal.name, seal.is_active = unit, name.strip(), is_active
        old_file = seal.image.name if seal.image else ""
        if image is not None:
            save_file(stored, seal.image, f"{uuid.uuid4().hex}.png", image)
        seal.save()
        trail.record(
            action="seal_create" if creating else "seal_update",
            action_label="新增印章" if creating else "修改印章",
            actor=actor,
            obj=seal,
            opinion=seal.name + ("，已上传印模" if image is not None else ""),
            ip=ip,
        )
    if image is not None and old_file:
        # The old image stays referenced by nothing; prints already made are unaffected.
        seal.image.storage.delete(old_file)
    return seal


def outgoing_settings_update(unit, *, levels, rules, actor, ip=None):
    """发文设置 of one issuing unit (system administrator): its review levels (审核级次, each with
    its reviewers) and its number rules (发文字号规则), replaced as a whole in one transaction.

    `levels`: [{"level", "label", "reviewers"}], numbered 1, 2, 3 …; `rules`: [{"family",
    "code", "pattern"}]. A level that documents are being reviewed at cannot be removed."""
    from office.permissions import can_configure

    from .models import NumberRule, OutgoingDocument, ReviewLevel

    if not can_configure(actor):
        raise ValidationError("只有系统管理员可以修改发文设置。")
    if not unit.code:
        raise ValidationError(f"{unit.name}没有机关代字，不是发文机关。")
    for row in levels:
        if not row["reviewers"]:
            raise ValidationError(f"第{row['level']}级审核（{row['label']}）须至少指定一名审核人。")
    with transaction.atomic():
        kept = {row["level"] for row in levels}
        stuck = list(
            OutgoingDocument.objects.filter(
                issuing_unit=unit, state=OutgoingDocument.State.IN_REVIEW
            )
            .exclude(review_level__in=kept)
            .values_list("review_level", flat=True)
        )
        if stuck:
            removed = "、".join(f"第{n}级" for n in sorted(set(stuck)))
            raise ValidationError(
                f"有 {len(stuck)} 件公文正在{removed}审核，不能删除该审核级次；请待其审核完毕后再修改。"
            )
        before = _settings_summary(unit)
        ReviewLevel.objects.filter(unit=unit).exclude(level__in=kept).delete()
        for row in levels:
            level, _ = ReviewLevel.objects.update_or_create(
                unit=unit, level=row["level"], defaults={"label": row["label"].strip()}
            )
            level.reviewers.set(row["reviewers"])
        families = {row["family"] for row in rules}
        NumberRule.objects.filter(unit=unit).exclude(family__in=families).delete()
        for row in rules:
            NumberRule.objects.update_or_create(
                unit=unit,
                family=row["family"],
                defaults={"code": row["code"].strip(), "pattern": row["pattern"].strip()},
            )
        after = _settings_summary(unit)
        if after != before:
            trail.record(
                action="outgoing_settings",
                action_label="修改发文设置",
                actor=actor,
                obj=unit,
                opinion=f"{before} → {after}",
                ip=ip,
            )


def _settings_summary(unit):
    from .models import NumberRule, ReviewLevel

    levels = [
        f"{lv.level}.{lv.label}（{'、'.join(u.real_name for u in lv.reviewers.all())}）"
        for lv in ReviewLevel.objects.filter(unit=unit).prefetch_related("reviewers")
    ]
    rules = [
        f"{rule.get_family_display()}：{rule.code} {rule.pattern}"
        for rule in NumberRule.objects.filter(unit=unit).order_by("family")
    ]
    return f"审核：{'；'.join(levels) or '无'}；编号：{'；'.join(rules) or '按机关代字'}"
