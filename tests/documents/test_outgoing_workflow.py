"""发文 from the draft to its number: versions, review levels, co-signature, sign-off and the
发文字号 allocated only at 复核编号 — each step allowed, refused from the wrong state, refused to
the wrong person, and invisible to those who cannot see the document."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from documents import services
from documents.models import NumberRule, OutgoingDocument, ReviewLevel, ReviewRecord
from documents.selectors import outgoing_visible_to, version_changes
from documents.workflow import outgoing as flow
from office.models import Clearance, Notification, SerialNumber, TrailEvent
from office.permissions import get_visible_or_404
from office.roles import Role
from office.workflow import InvalidTransition
from tests.concurrency import race
from tests.conftest import make_user

S = OutgoingDocument.State


@pytest.fixture
def reviewer(units):
    return make_user("hegao", "核稿人", unit=units["office"], roles=[Role.SECRETARY])


@pytest.fixture
def two_levels(units, reviewer, personas):
    first = ReviewLevel.objects.create(unit=units["government"], level=1, label="科室核稿")
    first.reviewers.add(reviewer)
    second = ReviewLevel.objects.create(unit=units["government"], level=2, label="秘书长审核")
    second.reviewers.add(personas["leader"])
    return first, second


def draft(personas, units, **overrides):
    values = dict(
        doc_type="notice",
        issuing_unit=units["government"],
        direction="downward",
        title="关于做好2027年元旦春节期间安全生产工作的通知",
        body="一、提高思想认识\n各区、各部门要高度重视。\n二、压实工作责任",
        main_recipients=(units["a"], units["b"]),
    )
    values.update(overrides)
    return services.outgoing_draft(services.Draft(**values), actor=personas["secretary"])


def steps(document):
    return list(
        TrailEvent.objects.filter(object_id=document.pk, content_type__model="outgoingdocument")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_draft_review_in_two_levels_sign_off_and_number(personas, units, reviewer, two_levels):
    doc = draft(personas, units)
    flow.submit(doc, actor=personas["secretary"])
    assert doc.state == S.IN_REVIEW and doc.review_level == 1
    assert Notification.objects.filter(recipient=reviewer, title__contains="请审核").exists()
    flow.review(doc, actor=reviewer, opinion="同意。")
    doc.refresh_from_db()
    assert doc.state == S.IN_REVIEW and doc.review_level == 2
    flow.review(doc, actor=personas["leader"], opinion="同意，请签发。")
    doc.refresh_from_db()
    assert doc.state == S.AWAITING_SIGN_OFF
    assert doc.document_number == ""  # no number before sign-off
    flow.sign_off(doc, actor=personas["leader"], opinion="同意印发。")
    flow.number(doc, actor=personas["secretary"])
    doc.refresh_from_db()
    assert doc.state == S.NUMBERED
    assert doc.document_number.startswith("珠府〔") and doc.document_number.endswith("〕1号")
    assert steps(doc) == ["draft", "submit", "pass_review", "finish_review", "sign_off", "number"]
    assert ReviewRecord.objects.filter(document=doc, outcome="approved").count() == 2


def test_a_returned_draft_is_revised_and_the_versions_compared(
    personas, units, reviewer, two_levels
):
    doc = draft(personas, units)
    flow.submit(doc, actor=personas["secretary"])
    with pytest.raises(ValidationError):
        flow.return_for_revision(doc, actor=reviewer, opinion="")
    flow.return_for_revision(doc, actor=reviewer, opinion="第二部分请补充责任分工。")
    assert doc.state == S.RETURNED
    assert Notification.objects.filter(
        recipient=personas["secretary"], title__contains="退回修改"
    ).exists()
    version = services.outgoing_revise(
        doc,
        actor=personas["secretary"],
        title=doc.title,
        body="一、提高思想认识\n各区、各部门要高度重视。\n二、压实工作责任\n各单位主要负责人为第一责任人。",
        note="按审核意见补充责任分工",
    )
    assert version.number == 2
    diff = version_changes(doc.versions.get(number=1), version)
    assert "+各单位主要负责人为第一责任人。" in diff
    flow.submit(doc, actor=personas["secretary"])
    assert doc.state == S.IN_REVIEW and doc.review_level == 1


def test_co_signing_units_give_their_opinions_before_sign_off(personas, units):
    doc = draft(personas, units)
    flow.submit(doc, actor=personas["secretary"], co_sign_units=[units["a"]])
    # No review levels configured: straight to the co-signing units, never past them.
    assert doc.state == S.CO_SIGNING
    assert Notification.objects.filter(
        recipient=personas["head_a"], title__contains="请会签"
    ).exists()
    with pytest.raises(InvalidTransition):
        flow.sign_off(doc, actor=personas["leader"])
    # With a review level, co-signing comes after the review.
    doc2 = draft(personas, units, title="关于会签事项的通知")
    level = ReviewLevel.objects.create(unit=units["government"], level=1, label="核稿")
    level.reviewers.add(personas["leader"])
    flow.submit(doc2, actor=personas["secretary"], co_sign_units=[units["a"]])
    flow.review(doc2, actor=personas["leader"])
    doc2.refresh_from_db()
    assert doc2.state == S.CO_SIGNING
    with pytest.raises(PermissionDenied):
        flow.co_sign(doc2, actor=personas["handler_b"], opinion="同意。")
    flow.co_sign(doc2, actor=personas["head_a"], opinion="同意，无修改意见。")
    doc2.refresh_from_db()
    assert doc2.state == S.AWAITING_SIGN_OFF
    assert doc2.co_signatures.get().opinion == "同意，无修改意见。"


def test_wrong_state_and_wrong_person_change_nothing(personas, units, reviewer, two_levels):
    doc = draft(personas, units)
    with pytest.raises(InvalidTransition):
        flow.sign_off(doc, actor=personas["leader"])
    with pytest.raises(InvalidTransition):
        flow.number(doc, actor=personas["secretary"])
    assert SerialNumber.objects.count() == 0  # a refused numbering consumes no number
    flow.submit(doc, actor=personas["secretary"])
    with pytest.raises(PermissionDenied):
        flow.review(doc, actor=personas["handler_a"])
    with pytest.raises(PermissionDenied):
        flow.submit(doc, actor=personas["handler_a"])
    doc.refresh_from_db()
    assert doc.state == S.IN_REVIEW and doc.review_level == 1
    flow.review(doc, actor=reviewer)
    flow.review(doc, actor=personas["leader"])
    doc.refresh_from_db()
    with pytest.raises(PermissionDenied):
        flow.sign_off(doc, actor=personas["secretary"])
    flow.sign_off(doc, actor=personas["leader"])
    with pytest.raises(PermissionDenied):
        flow.number(doc, actor=personas["handler_a"])
    assert doc.document_number == ""


def test_a_unit_outside_the_document_and_a_low_clearance_cannot_see_it(personas, units):
    doc = draft(personas, units, classification=Clearance.SECRET, secrecy_period="1年")
    rule = outgoing_visible_to
    assert rule(personas["secretary"]).filter(pk=doc.pk).exists()
    assert not rule(personas["handler_b"]).filter(pk=doc.pk).exists()
    low = make_user("dimi", "低密级秘书", unit=units["office"], roles=[Role.SECRETARY])
    assert not rule(low).filter(pk=doc.pk).exists()
    from documents.selectors import OUTGOING_VISIBILITY

    with pytest.raises(Http404):
        get_visible_or_404(OutgoingDocument.objects.all(), low, OUTGOING_VISIBILITY, pk=doc.pk)


def test_letters_use_their_own_register_and_rules_are_configurable(personas, units):
    letter = draft(personas, units, doc_type="letter", title="关于商请支持的函")
    assert flow.register_key(letter)[0] == "珠府函"
    NumberRule.objects.create(unit=units["government"], family="letter", code="珠府办函")
    assert flow.register_key(letter)[0] == "珠府办函"


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_numberings_give_fifty_contiguous_numbers(units, personas):
    """FIELD_NOTES.md: no duplicates, no gaps, whatever the concurrency (the counter row is
    locked FOR UPDATE in each numbering transaction)."""
    documents = []
    for index in range(50):
        doc = draft(personas, units, title=f"关于第{index + 1}项工作的通知")
        flow.submit(doc, actor=personas["secretary"])
        flow.sign_off(doc, actor=personas["leader"])
        documents.append(doc.pk)
    queue = list(documents)

    def number_one():
        pk = queue.pop()
        return flow.number(OutgoingDocument.objects.get(pk=pk), actor=personas["secretary"]).serial

    serials = race(number_one, 50)
    assert sorted(serials) == list(range(1, 51))
    assert OutgoingDocument.objects.filter(state=S.NUMBERED).count() == 50
    connection.close()


def test_a_revised_text_is_co_signed_again(personas, units):
    doc = draft(personas, units)
    flow.submit(doc, actor=personas["secretary"], co_sign_units=[units["a"]])
    flow.co_sign(doc, actor=personas["head_a"], opinion="同意。")
    doc.refresh_from_db()
    flow.return_for_revision(doc, actor=personas["leader"], opinion="请压缩篇幅。")
    services.outgoing_revise(
        doc, actor=personas["secretary"], title=doc.title, body="压缩后的正文。"
    )
    flow.submit(doc, actor=personas["secretary"], co_sign_units=[units["a"]])
    doc.refresh_from_db()
    assert doc.state == S.CO_SIGNING
    assert doc.co_signatures.get().signed_at is None


def signed_and_numbered(personas, units, **overrides):
    doc = draft(personas, units, **overrides)
    flow.submit(doc, actor=personas["secretary"])
    flow.sign_off(doc, actor=personas["leader"], opinion="同意。")
    flow.number(doc, actor=personas["secretary"])
    doc.refresh_from_db()
    return doc


@pytest.fixture
def government_seal(units):
    from documents.models import Seal

    return Seal.objects.create(unit=units["government"], name="珠海市人民政府印章")


def test_seal_dispatch_receipts_and_filing(personas, units, government_seal):
    from documents.models import Receipt, SealLedgerEntry

    doc = signed_and_numbered(personas, units, cc_recipients=(units["office"],))
    flow.seal(doc, actor=personas["secretary"], seal=government_seal, copies=30)
    entry = SealLedgerEntry.objects.get(document=doc)
    assert (entry.copies, entry.applicant, entry.approver) == (
        30,
        personas["secretary"],
        personas["leader"],
    )
    flow.dispatch(doc, actor=personas["secretary"])
    assert doc.state == S.DISPATCHED
    receipts = {r.unit_id: r for r in doc.receipts.all()}
    assert set(receipts) == {units["a"].pk, units["b"].pk, units["office"].pk}
    assert receipts[units["office"].pk].role == Receipt.Role.CC
    assert Notification.objects.filter(
        recipient=personas["handler_a"], title__contains="请签收"
    ).exists()
    # Unit A sees the document now and signs for it, once.
    assert outgoing_visible_to(personas["handler_a"]).filter(pk=doc.pk).exists()
    flow.receive(doc, actor=personas["handler_a"])
    with pytest.raises(InvalidTransition):
        flow.receive(doc, actor=personas["handler_a"])
    receipt = doc.receipts.get(unit=units["a"])
    assert receipt.received_by == personas["handler_a"] and receipt.received_at
    assert doc.receipts.filter(received_at__isnull=True).count() == 2
    flow.archive(doc, actor=personas["secretary"])
    doc.refresh_from_db()
    assert doc.state == S.ARCHIVED and doc.archived_on
    assert steps(doc)[-4:] == ["seal", "dispatch", "receive", "archive"]


def test_confidential_documents_are_never_sent_electronically(personas, units, government_seal):
    personas["secretary"].clearance = Clearance.CONFIDENTIAL
    personas["secretary"].save()
    doc = signed_and_numbered(
        personas, units, classification=Clearance.CONFIDENTIAL, secrecy_period="10年"
    )
    flow.seal(doc, actor=personas["secretary"], seal=government_seal, copies=5)
    with pytest.raises(ValidationError, match="不得通过电子公文交换"):
        flow.dispatch(doc, actor=personas["secretary"])
    doc.refresh_from_db()
    assert doc.state == S.SEALED and not doc.receipts.exists()
    flow.dispatch(doc, actor=personas["secretary"], on_paper=True)
    assert {r.channel for r in doc.receipts.all()} == {"paper"}
    assert not Notification.objects.filter(title__contains="请签收").exists()


def test_only_the_issuing_units_seal_and_only_after_numbering(personas, units, government_seal):
    from documents.models import Seal

    doc = draft(personas, units)
    with pytest.raises(InvalidTransition):
        flow.seal(doc, actor=personas["secretary"], seal=government_seal, copies=1)
    doc = signed_and_numbered(personas, units, title="关于另一事项的通知")
    other = Seal.objects.create(unit=units["a"], name="珠海市教育局印章")
    with pytest.raises(ValidationError, match="发文机关在用的印章"):
        flow.seal(doc, actor=personas["secretary"], seal=other, copies=1)
    with pytest.raises(PermissionDenied):
        flow.seal(doc, actor=personas["handler_a"], seal=government_seal, copies=1)
