"""The lifecycle of an outgoing document (发文办理, 条例 arts. 19–23, 25; DOMAIN.md §4), from the
draft to its number:

    draft 起草中 ──submit──▶ in_review 审核中 (level 1, 2, … of the issuing unit, 多级复核)
      ▲  (no review levels: submit_for_sign_off)      │pass_review (to the next level)
      │                                               ├─finish_review ──▶ awaiting_sign_off 待签发
    returned 退回修改 ◀──return_for_revision──────────┤                     ▲ finish_co_signing
      ▲                                               └─send_to_co_sign ──▶ co_signing 会签中
      └──────────── return_for_revision (the signer) ── awaiting_sign_off ──sign_off──▶ signed 已签发
                                                                 signed ──number──▶ numbered 已编号

The 发文字号 is allocated only at `number` (复核编号), by the core allocator in the same
transaction (no gaps, a document keeps its number). Then:

    numbered ──seal──▶ sealed 已用印 ──dispatch / dispatch_on_paper──▶ dispatched 已核发 ──archive──▶ archived

Each 主送/抄送 unit signs for a dispatched document (签收, `receive`); documents at 机密 or above
are never sent electronically (条例 art. 25; DOMAIN.md §2), only recorded as sent on paper.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from office import numbering
from office.models import Clearance, User
from office.notifications import notify
from office.roles import Role
from office.workflow import InvalidTransition, Transition, Workflow, required_text

from .. import permissions as can
from ..models import CoSignature, NumberFamily, NumberRule, OutgoingDocument, ReviewLevel
from .incoming import unit_people

S = OutgoingDocument.State

OUTGOING = Workflow(
    OutgoingDocument,
    [
        Transition("submit", "送审", (S.DRAFT, S.RETURNED), S.IN_REVIEW, can.can_submit_draft),
        Transition(
            "submit_for_sign_off",
            "送签发",
            (S.DRAFT, S.RETURNED),
            S.AWAITING_SIGN_OFF,
            can.can_submit_draft,
        ),
        Transition(
            "submit_for_co_sign",
            "送会签",
            (S.DRAFT, S.RETURNED),
            S.CO_SIGNING,
            can.can_submit_draft,
        ),
        Transition("pass_review", "审核通过", (S.IN_REVIEW,), S.IN_REVIEW, can.can_review),
        Transition(
            "finish_review", "审核通过", (S.IN_REVIEW,), S.AWAITING_SIGN_OFF, can.can_review
        ),
        Transition(
            "send_to_co_sign", "审核通过，送会签", (S.IN_REVIEW,), S.CO_SIGNING, can.can_review
        ),
        Transition(
            "return_for_revision",
            "退回修改",
            (S.IN_REVIEW, S.AWAITING_SIGN_OFF),
            S.RETURNED,
            can.can_return_draft,
        ),
        Transition("co_sign", "会签", (S.CO_SIGNING,), S.CO_SIGNING, can.can_co_sign),
        Transition(
            "finish_co_signing",
            "会签完毕",
            (S.CO_SIGNING,),
            S.AWAITING_SIGN_OFF,
            can.can_finish_co_signing,
        ),
        Transition("sign_off", "签发", (S.AWAITING_SIGN_OFF,), S.SIGNED, can.can_sign_off),
        Transition("number", "复核编号", (S.SIGNED,), S.NUMBERED, can.can_number),
        Transition("void_number", "编号作废", (S.NUMBERED,), S.SIGNED, can.can_number),
        Transition("seal", "用印", (S.NUMBERED,), S.SEALED, can.can_seal),
        Transition("dispatch", "核发", (S.SEALED,), S.DISPATCHED, can.can_dispatch),
        Transition(
            "dispatch_on_paper", "核发（纸质）", (S.SEALED,), S.DISPATCHED, can.can_dispatch
        ),
        Transition("archive", "归档", (S.DISPATCHED,), S.ARCHIVED, can.can_archive_outgoing),
    ],
)


def outgoing_url(document):
    try:
        return reverse("documents:outgoing-detail", args=[document.pk])
    except NoReverseMatch:  # the pages come with the rest of 发文办理
        return ""


def _tell(users, document, title, body=""):
    notify(users, title=title, body=body, url=outgoing_url(document), obj=document)


def review_levels(document):
    """The issuing unit's review levels (审核级次), in order."""
    return list(ReviewLevel.objects.filter(unit=document.issuing_unit).order_by("level"))


def _reviewers(document, level):
    found = ReviewLevel.objects.filter(unit=document.issuing_unit, level=level).first()
    return list(found.reviewers.filter(is_active=True)) if found else []


def _secretaries():
    return list(User.objects.filter(is_active=True, groups__name=Role.SECRETARY).distinct())


def submit(document, *, actor, co_sign_units=(), ip=None):
    """送审: to the issuing unit's first review level, or straight to sign-off when the unit has
    no review levels. Co-signing units are named now and asked after the last review."""
    with transaction.atomic():
        # The text may have changed since any earlier round: every co-signing unit signs again
        # (their earlier opinions stay in the trail).
        document.co_signatures.exclude(unit__in=list(co_sign_units)).delete()
        for unit in co_sign_units:
            CoSignature.objects.update_or_create(
                document=document,
                unit=unit,
                defaults={"signed_at": None, "signed_by": None, "opinion": ""},
            )
        levels = review_levels(document)
        if not levels and co_sign_units:
            OUTGOING.perform(document, "submit_for_co_sign", actor=actor, ip=ip)
            _ask_co_signers(document)
            return document
        if not levels:
            OUTGOING.perform(document, "submit_for_sign_off", actor=actor, ip=ip)
            _tell(_signers(), document, f"请签发：{document.title}")
            return document
        OUTGOING.perform(document, "submit", actor=actor, ip=ip, updates={"review_level": 1})
        _tell(_reviewers(document, 1), document, f"请审核：{document.title}")
    return document


def _ask_co_signers(document):
    for co in document.co_signatures.filter(signed_at__isnull=True):
        people = unit_people(co.unit_id, Role.UNIT_HEAD) or unit_people(
            co.unit_id, Role.UNIT_HANDLER
        )
        _tell(people, document, f"请会签：{document.title}")


def _stale(document, locked):
    """The page the user acted on no longer shows the document as it is (someone acted first)."""
    if (locked.state, locked.review_level) != (document.state, document.review_level):
        raise InvalidTransition("该稿件已被他人处理，请刷新页面后查看。")


def _signers():
    return list(User.objects.filter(is_active=True, groups__name=Role.LEADER).distinct())


def review(document, *, actor, opinion="", ip=None):
    """审核通过 at the current level: on to the next level, to the co-signing units, or to
    sign-off. The reviewed version is recorded with the decision."""
    from ..models import ReviewRecord

    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        _stale(document, locked)
        original, document = document, locked
        level = document.review_level
        later = [lv.level for lv in review_levels(document) if lv.level > level]
        pending_co = document.co_signatures.filter(signed_at__isnull=True).exists()
        if later:
            step, updates = "pass_review", {"review_level": later[0]}
        elif pending_co:
            step, updates = "send_to_co_sign", {}
        else:
            step, updates = "finish_review", {}
        OUTGOING.perform(document, step, actor=actor, opinion=opinion, ip=ip, updates=updates)
        ReviewRecord.objects.create(
            document=document,
            level=level,
            version=document.versions.order_by("-number").first(),
            reviewer=actor,
            outcome=ReviewRecord.Outcome.APPROVED,
            opinion=opinion,
        )
        if later:
            _tell(_reviewers(document, later[0]), document, f"请审核：{document.title}")
        elif pending_co:
            _ask_co_signers(document)
        else:
            _tell(_signers(), document, f"请签发：{document.title}")
    original.refresh_from_db()
    return original


def return_for_revision(document, *, actor, opinion, ip=None):
    """退回修改 with comments, by a reviewer or by the signer; the drafter revises and resubmits."""
    from ..models import ReviewRecord

    opinion = required_text(opinion, "退回修改须填写意见。")
    with transaction.atomic():
        level = document.review_level
        OUTGOING.perform(
            document,
            "return_for_revision",
            actor=actor,
            opinion=opinion,
            ip=ip,
            updates={"review_level": 0},
        )
        ReviewRecord.objects.create(
            document=document,
            level=level,
            version=document.versions.order_by("-number").first(),
            reviewer=actor,
            outcome=ReviewRecord.Outcome.RETURNED,
            opinion=opinion,
        )
        _tell([document.drafter], document, f"发文稿被退回修改：{document.title}", opinion)
    return document


def co_sign(document, *, actor, opinion, ip=None):
    """会签 by a concerned unit; the last unit's opinion sends the document to sign-off."""
    opinion = required_text(opinion, "请填写会签意见。")
    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        _stale(document, locked)
        original, document = document, locked
        mine = can.my_pending_co_signature(actor, document)
        if mine is None and _unit_has_signed(actor, document):
            raise InvalidTransition("本单位已会签，请刷新页面后查看。")
        OUTGOING.perform(document, "co_sign", actor=actor, opinion=opinion, ip=ip)
        mine.opinion, mine.signed_by, mine.signed_at = opinion, actor, timezone.now()
        mine.save(update_fields=["opinion", "signed_by", "signed_at"])
        if not document.co_signatures.filter(signed_at__isnull=True).exists():
            OUTGOING.perform(document, "finish_co_signing", actor=actor, ip=ip)
            _tell(_signers(), document, f"请签发：{document.title}")
    original.refresh_from_db()
    return original


def _unit_has_signed(actor, document):
    from office.permissions import scope_for

    unit_ids = scope_for(actor).unit_ids
    return document.co_signatures.filter(unit_id__in=unit_ids, signed_at__isnull=False).exists()


def sign_off(document, *, actor, opinion="", ip=None):
    """签发 by a leader, with opinion and date (上行文 print the 签发人)."""
    with transaction.atomic():
        OUTGOING.perform(
            document,
            "sign_off",
            actor=actor,
            opinion=opinion,
            ip=ip,
            updates={"signer": actor, "signed_at": timezone.now(), "sign_off_opinion": opinion},
        )
        _tell(_secretaries(), document, f"已签发，请复核编号：{document.title}")
    return document


def register_key(document):
    """The number register of the document's issuing unit and 文种 family, and its pattern."""
    family = document.number_family
    rule = NumberRule.objects.filter(unit=document.issuing_unit, family=family).first()
    if rule is not None:
        return rule.code, rule.pattern
    code = document.issuing_unit.code
    if not code:
        raise ValidationError(f"{document.issuing_unit.name}没有机关代字，不能编号。")
    suffix = {NumberFamily.LETTER: "函", NumberFamily.ORDER: "令"}.get(family, "")
    return code + suffix, numbering.DEFAULT_PATTERN


def number(document, *, actor, ip=None):
    """复核编号: the 发文字号 (e.g. 珠府〔2026〕12号) is taken now and only now, in this transaction."""
    with transaction.atomic():
        key, pattern = register_key(document)
        year = timezone.localdate().year
        serial = numbering.allocate(key, year=year, obj=document, actor=actor, pattern=pattern)
        OUTGOING.perform(
            document,
            "number",
            actor=actor,
            opinion=serial.text,
            ip=ip,
            updates={
                "document_number": serial.text,
                "year": year,
                "serial": serial.number,
                "numbered_at": timezone.now(),
            },
        )
    return document


def void_number(document, *, actor, reason, ip=None):
    """编号作废 before 用印 (a wrong register, a number taken twice on paper): the number stays in
    the 发文登记簿 as 作废 with the reason and is never reissued; the document goes back to 已签发
    and takes the next number when numbered again."""
    from django.contrib.contenttypes.models import ContentType

    from office.models import SerialNumber

    reason = required_text(reason, "作废编号须填写原因。")
    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        _stale(document, locked)
        issued = SerialNumber.objects.filter(
            content_type=ContentType.objects.get_for_model(OutgoingDocument),
            object_id=document.pk,
            status=SerialNumber.Status.ISSUED,
        ).first()
        old = document.document_number
        OUTGOING.perform(
            document,
            "void_number",
            actor=actor,
            opinion=f"{old}：{reason}",
            ip=ip,
            updates={"document_number": "", "year": None, "serial": None, "numbered_at": None},
        )
        if issued is not None:
            numbering.void(issued, actor=actor, reason=reason)
    return document


def seal(document, *, actor, seal, copies, ip=None):
    """用印: the use is entered in the seal ledger (applicant, approver = the leader who signed it
    off, copies, time); only after this does the final print carry the seal image."""
    from ..models import SealLedgerEntry

    if seal.unit_id != document.issuing_unit_id or not seal.is_active:
        raise ValidationError("只能使用发文机关在用的印章。")
    if copies < 1:
        raise ValidationError("用印份数至少为 1。")
    with transaction.atomic():
        OUTGOING.perform(
            document,
            "seal",
            actor=actor,
            opinion=f"{seal.name}，{copies}份",
            ip=ip,
            updates={"sealed_at": timezone.now()},
        )
        SealLedgerEntry.objects.create(
            seal=seal, document=document, copies=copies, applicant=actor, approver=document.signer
        )
    return document


ELECTRONIC_LIMIT = Clearance.SECRET  # 机密 and above never go through electronic exchange


def dispatch(document, *, actor, on_paper=False, ip=None):
    """核发 to every 主送 and 抄送 unit, each of which signs for it. A document at 机密 or above is
    refused for electronic exchange, with the reason, and can only be recorded as sent on paper.
    Each electronic receipt is due SIGNING_HOURS (8) working hours after dispatch (DOMAIN.md §4;
    documents.receipts chases it after that); a paper receipt has no deadline."""
    from office.calendar import add_working_hours

    from ..models import Receipt
    from ..receipts import SIGNING_HOURS

    if document.classification > ELECTRONIC_LIMIT and not on_paper:
        raise ValidationError(
            "机密级及以上公文不得通过电子公文交换发送（《党政机关公文处理工作条例》），"
            "请以纸质方式发送并在此登记。"
        )
    recipients = [(u, Receipt.Role.MAIN) for u in document.main_recipients.all()] + [
        (u, Receipt.Role.CC)
        for u in document.cc_recipients.all()
        if not document.main_recipients.filter(pk=u.pk).exists()
    ]
    if not recipients:
        raise ValidationError("没有主送或抄送单位，不能核发。")
    channel = Receipt.Channel.PAPER if on_paper else Receipt.Channel.EXCHANGE
    now = timezone.now()
    due_at = None if on_paper else add_working_hours(now, SIGNING_HOURS)
    with transaction.atomic():
        OUTGOING.perform(
            document,
            "dispatch_on_paper" if on_paper else "dispatch",
            actor=actor,
            opinion="、".join(u.short_name for u, _ in recipients),
            ip=ip,
            updates={"dispatched_at": now},
        )
        Receipt.objects.bulk_create(
            Receipt(
                document=document, unit=unit, role=role, channel=channel, sent_at=now, due_at=due_at
            )
            for unit, role in recipients
        )
        if not on_paper:
            for unit, _ in recipients:
                people = unit_people(unit.pk, Role.UNIT_HANDLER) or unit_people(
                    unit.pk, Role.UNIT_HEAD
                )
                _tell(people, document, f"请签收：{document.document_number} {document.title}")
    return document


def receive(document, *, actor, ip=None):
    """签收 by a receiving unit: recorded on its receipt and in the document's trail."""
    from office import trail

    with transaction.atomic():
        from ..models import Receipt

        receipt = can.my_pending_receipt(actor, document)
        # A conditional UPDATE: of two people of the unit clicking at once, one signs.
        if receipt is None or not Receipt.objects.filter(
            pk=receipt.pk, received_at__isnull=True
        ).update(received_at=timezone.now(), received_by=actor):
            raise InvalidTransition("本单位没有待签收的该公文，或已签收。")
        receipt.refresh_from_db()
        trail.record(
            action="receive",
            action_label="签收",
            actor=actor,
            obj=document,
            opinion=receipt.unit.name,
            ip=ip,
        )
    return receipt


def record_receipt(receipt, *, actor, ip=None):
    """登记签收 by the sender's secretary: for a copy sent on paper, or for a unit that has no one
    in this system to sign (a higher authority, an outside body — its receipt comes back through
    the exchange system or by phone)."""
    from office import trail

    from ..models import Receipt

    if not can.can_dispatch(actor, receipt.document):
        raise InvalidTransition("只有秘书可以登记签收。")
    on_paper = receipt.channel == Receipt.Channel.PAPER
    if not can.recorded_by_sender(receipt, can.units_that_sign([receipt.unit_id])):
        raise InvalidTransition(f"{receipt.unit.name}在本系统中签收，不能代为登记。")
    with transaction.atomic():
        updated = Receipt.objects.filter(pk=receipt.pk, received_at__isnull=True).update(
            received_at=timezone.now(), received_by=actor
        )
        if not updated:
            raise InvalidTransition("该单位已签收。")
        receipt.refresh_from_db()
        trail.record(
            action="receive",
            action_label="登记签收",
            actor=actor,
            obj=receipt.document,
            opinion=f"{receipt.unit.name}（{'纸质' if on_paper else '外单位回执'}）",
            ip=ip,
        )
    return receipt


def archive(document, *, actor, ip=None):
    """归档 of a dispatched document; it is read-only from then on."""
    return OUTGOING.perform(
        document,
        "archive",
        actor=actor,
        ip=ip,
        updates={"archived_on": timezone.localdate()},
    )
