"""发文办理's state machine (documents/workflow/outgoing.py, OUTGOING), transition by transition.

STYLE.md "Workflows": every transition has four tests — (a) the allowed actor succeeds, leaves a
trail row (actor, from → to, opinion) and whoever acts next is told; (b) the wrong state raises
InvalidTransition and changes nothing; (c) an unauthorised user gets PermissionDenied (403) and
nothing changes; (d) a user who cannot see the document gets 404 from the selector every view
fetches through. Then: revising a draft, two browsers doing the same step, and the leader's
return at sign-off.

Documents are built through the services and transitions, as the office builds them.
"""

from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from documents import services
from documents.models import (
    CoSignature,
    DraftVersion,
    OutgoingDocument,
    Receipt,
    ReviewLevel,
    ReviewRecord,
    Seal,
    SealLedgerEntry,
)
from documents.selectors import OUTGOING_VISIBILITY
from documents.workflow import outgoing as flow
from office.models import Clearance, Notification, SerialCounter, SerialNumber, TrailEvent
from office.permissions import get_visible_or_404
from office.roles import Role
from office.workflow import InvalidTransition
from tests.conftest import make_user
from tests.documents.test_outgoing_workflow import draft
from tests.steps import assert_step, events, fresh, told

S = OutgoingDocument.State
P = pytest.param


# --- helpers ----------------------------------------------------------------------------------


def world():
    """Everything a refused step must leave exactly as it was."""
    return (
        list(
            OutgoingDocument.objects.order_by("pk").values_list(
                "pk",
                "state",
                "review_level",
                "title",
                "signer",
                "signed_at",
                "document_number",
                "serial",
                "numbered_at",
            )
        ),
        list(
            CoSignature.objects.order_by("pk").values_list(
                "pk", "document", "unit", "opinion", "signed_by", "signed_at"
            )
        ),
        list(ReviewRecord.objects.order_by("pk").values_list("pk", "level", "outcome")),
        DraftVersion.objects.count(),
        TrailEvent.objects.count(),
        Notification.objects.count(),
        list(SerialNumber.objects.order_by("pk").values_list("pk", "status")),
        list(SerialCounter.objects.order_by("pk").values_list("key", "year", "last_number")),
        list(OutgoingDocument.objects.order_by("pk").values_list("sealed_at", "dispatched_at")),
        list(OutgoingDocument.objects.order_by("pk").values_list("archived_on", flat=True)),
        SealLedgerEntry.objects.count(),
        list(Receipt.objects.order_by("pk").values_list("pk", "received_at", "received_by")),
    )


@contextmanager
def nothing_changes():
    before = world()
    yield
    assert world() == before


class Build:
    """Outgoing documents at each stage. 市政府 (issuing unit) has two review levels: r1 黄核稿
    (科室核稿) and r2 张秘书长 (秘书长审核); 市府办 has none, so its documents go straight to
    sign-off. low 钱秘书 is a secretary without clearance."""

    def __init__(self, personas, units, **defaults):
        self.p, self.u = personas, units
        self.r1 = make_user(
            "hegao",
            "黄核稿",
            unit=units["office"],
            roles=[Role.SECRETARY],
            clearance=Clearance.SECRET,
        )
        self.r2 = make_user(
            "mishuzhang",
            "张秘书长",
            unit=units["office"],
            roles=[Role.SECRETARY],
            clearance=Clearance.SECRET,
        )
        self.low = make_user("dimi", "钱秘书", unit=units["office"], roles=[Role.SECRETARY])
        first = ReviewLevel.objects.create(unit=units["government"], level=1, label="科室核稿")
        first.reviewers.add(self.r1)
        second = ReviewLevel.objects.create(unit=units["government"], level=2, label="秘书长审核")
        second.reviewers.add(self.r2)
        self.defaults = defaults

    def who(self, name):
        return {"r1": self.r1, "r2": self.r2, "low": self.low}.get(name) or self.p[name]

    # stages

    def drafted(self, **fields):
        return fresh(draft(self.p, self.u, **{**self.defaults, **fields}))

    def drafted_by_handler(self):
        data = dict(
            doc_type="notice",
            issuing_unit=self.u["government"],
            direction="downward",
            title="关于报送2027年教育工作要点的请示",
            body="一、工作目标\n二、主要任务",
        )
        return fresh(services.outgoing_draft(services.Draft(**data), actor=self.p["handler_a"]))

    def drafted_unreviewed(self):
        return self.drafted(issuing_unit=self.u["office"])

    def in_review(self, co=()):
        doc = self.drafted()
        flow.submit(doc, actor=self.p["secretary"], co_sign_units=[self.u[name] for name in co])
        return fresh(doc)

    def returned(self):
        doc = self.in_review()
        flow.return_for_revision(doc, actor=self.r1, opinion="请补充责任分工。")
        return fresh(doc)

    def second_level(self, co=()):
        doc = self.in_review(co)
        flow.review(doc, actor=self.r1, opinion="同意。")
        return fresh(doc)

    def second_level_with_co(self):
        return self.second_level(co=("a",))

    def co_signing(self, co=("a",)):
        doc = self.second_level(co)
        flow.review(doc, actor=self.r2, opinion="同意，送会签。")
        return fresh(doc)

    def co_signing_two(self):
        return self.co_signing(("a", "b"))

    def half_co_signed(self):
        doc = self.co_signing_two()
        flow.co_sign(doc, actor=self.p["head_a"], opinion="同意。")
        return fresh(doc)

    def co_signed(self):
        doc = self.co_signing()
        flow.co_sign(doc, actor=self.p["head_a"], opinion="同意。")
        return fresh(doc)

    def awaiting_sign_off(self):
        doc = self.second_level()
        flow.review(doc, actor=self.r2, opinion="同意，请签发。")
        return fresh(doc)

    def signed(self):
        doc = self.awaiting_sign_off()
        flow.sign_off(doc, actor=self.p["leader"], opinion="同意印发。")
        return fresh(doc)

    def numbered(self):
        doc = self.signed()
        flow.number(doc, actor=self.p["secretary"])
        return fresh(doc)

    @property
    def seal(self):
        return Seal.objects.get_or_create(unit=self.u["government"], name="珠海市人民政府印章")[0]

    def sealed(self):
        doc = self.numbered()
        flow.seal(doc, actor=self.p["secretary"], seal=self.seal, copies=30)
        return fresh(doc)

    def dispatched(self):
        doc = self.sealed()
        flow.dispatch(doc, actor=self.p["secretary"])
        return fresh(doc)

    def received(self):
        doc = self.dispatched()
        flow.receive(doc, actor=self.p["handler_a"])
        return fresh(doc)

    def archived(self):
        doc = self.dispatched()
        flow.archive(doc, actor=self.p["secretary"])
        return fresh(doc)


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


def step(name, actor, **kwargs):
    """`flow.<name>(document, actor=…, **kwargs)`, the actor given by name."""

    def call(b, target):
        return getattr(flow, name)(target, actor=b.who(actor), **kwargs)

    return call


def engine(name, actor):
    """The transition table itself, for a transition the functions reach only in its state."""

    def call(b, target):
        return flow.OUTGOING.perform(target, name, actor=b.who(actor))

    return call


# --- (a) the allowed actor succeeds, with its trail row; whoever acts next is told -------------


@pytest.mark.parametrize(
    "stage, label, actor",
    [
        ("drafted", "起草中", "secretary"),
        ("returned", "退回修改", "secretary"),
        ("drafted_by_handler", "起草中", "handler_a"),  # the drafter
        ("drafted_by_handler", "起草中", "secretary"),  # a secretary for the office
    ],
)
def test_submit_goes_to_the_first_review_level(build, units, stage, label, actor):
    doc, who = getattr(build, stage)(), build.who(actor)
    flow.submit(doc, actor=who, co_sign_units=[units["a"]], ip="10.0.0.8")
    doc = fresh(doc)
    assert (doc.state, doc.review_level) == (S.IN_REVIEW, 1)
    assert_step(doc, "submit", who, (label, "审核中"), "")
    assert events(doc, "submit").last().ip == "10.0.0.8"
    assert told(build.r1, doc, "请审核") and not told(build.r2, doc, "请审核")
    # the co-signing unit is named now and asked only after the last review
    assert doc.co_signatures.get().unit == units["a"]
    assert not told(build.p["head_a"], doc, "请会签")


def test_submit_for_sign_off_when_the_unit_has_no_review_levels(build, personas):
    doc = build.drafted_unreviewed()
    flow.submit(doc, actor=personas["secretary"])
    doc = fresh(doc)
    assert (doc.state, doc.review_level) == (S.AWAITING_SIGN_OFF, 0)
    assert_step(doc, "submit_for_sign_off", personas["secretary"], ("起草中", "待签发"), "")
    assert not events(doc, "submit").exists()
    assert told(personas["leader"], doc, "请签发")
    assert not told(build.r1, doc, "请审核")


def test_pass_review_goes_to_the_next_level(build):
    doc = build.in_review()
    flow.review(doc, actor=build.r1, opinion="同意。")
    doc = fresh(doc)
    assert (doc.state, doc.review_level) == (S.IN_REVIEW, 2)
    assert_step(doc, "pass_review", build.r1, ("审核中", "审核中"), "同意。")
    assert told(build.r2, doc, "请审核")
    record = doc.reviews.get()
    assert (record.level, record.reviewer, record.outcome, record.version.number) == (
        1,
        build.r1,
        ReviewRecord.Outcome.APPROVED,
        1,
    )


def test_finish_review_goes_to_the_leaders_for_sign_off(build, personas):
    doc = build.second_level()
    flow.review(doc, actor=build.r2, opinion="同意，请签发。")
    doc = fresh(doc)
    assert (doc.state, doc.review_level) == (S.AWAITING_SIGN_OFF, 2)
    assert_step(doc, "finish_review", build.r2, ("审核中", "待签发"), "同意，请签发。")
    assert told(personas["leader"], doc, "请签发")
    assert [(r.level, r.outcome) for r in doc.reviews.all()] == [(1, "approved"), (2, "approved")]


def test_send_to_co_sign_asks_each_units_head_or_handler(build, personas):
    doc = build.second_level(co=("a", "b"))
    flow.review(doc, actor=build.r2, opinion="同意，送会签。")
    doc = fresh(doc)
    assert doc.state == S.CO_SIGNING
    assert_step(doc, "send_to_co_sign", build.r2, ("审核中", "会签中"), "同意，送会签。")
    assert told(personas["head_a"], doc, "请会签")
    assert not told(personas["handler_a"], doc, "请会签")  # unit A has a head
    assert told(personas["handler_b"], doc, "请会签")  # unit B has none: its handler
    assert not told(personas["leader"], doc, "请签发")


@pytest.mark.parametrize(
    "stage, label, actor, level",
    [
        ("in_review", "审核中", "r1", 1),
        ("second_level", "审核中", "r2", 2),
        ("awaiting_sign_off", "待签发", "leader", 2),  # the signer
    ],
)
def test_return_for_revision_goes_back_to_the_drafter(build, personas, stage, label, actor, level):
    doc, who = getattr(build, stage)(), build.who(actor)
    flow.return_for_revision(doc, actor=who, opinion=" 第二部分请补充责任分工。 ")
    doc = fresh(doc)
    assert (doc.state, doc.review_level) == (S.RETURNED, 0)
    assert_step(doc, "return_for_revision", who, (label, "退回修改"), "第二部分请补充责任分工。")
    assert told(personas["secretary"], doc, "退回修改")  # the drafter
    note = Notification.objects.get(recipient=personas["secretary"], object_id=doc.pk)
    assert note.body == "第二部分请补充责任分工。"
    record = doc.reviews.last()
    assert (record.level, record.reviewer, record.outcome) == (level, who, "returned")


def test_co_sign_records_the_units_opinion_and_waits_for_the_others(build, personas):
    doc = build.co_signing_two()
    flow.co_sign(doc, actor=personas["head_a"], opinion="同意，无修改意见。")
    doc = fresh(doc)
    assert doc.state == S.CO_SIGNING
    assert_step(doc, "co_sign", personas["head_a"], ("会签中", "会签中"), "同意，无修改意见。")
    mine = doc.co_signatures.get(unit=build.u["a"])
    assert (mine.opinion, mine.signed_by) == ("同意，无修改意见。", personas["head_a"])
    assert mine.signed_at is not None
    assert doc.co_signatures.get(unit=build.u["b"]).signed_at is None
    assert not events(doc, "finish_co_signing").exists()
    assert not told(personas["leader"], doc, "请签发")


def test_finish_co_signing_with_the_last_units_opinion(build, personas):
    doc = build.half_co_signed()
    flow.co_sign(doc, actor=personas["handler_b"], opinion="同意。")
    doc = fresh(doc)
    assert doc.state == S.AWAITING_SIGN_OFF
    assert_step(doc, "co_sign", personas["handler_b"], ("会签中", "会签中"), "同意。")
    assert_step(doc, "finish_co_signing", personas["handler_b"], ("会签中", "待签发"), "")
    assert told(personas["leader"], doc, "请签发")


def test_sign_off(build, personas):
    doc = build.awaiting_sign_off()
    flow.sign_off(doc, actor=personas["leader"], opinion="同意印发。")
    doc = fresh(doc)
    assert (doc.state, doc.signer, doc.sign_off_opinion) == (
        S.SIGNED,
        personas["leader"],
        "同意印发。",
    )
    assert doc.signed_at is not None and doc.document_number == ""
    assert_step(doc, "sign_off", personas["leader"], ("待签发", "已签发"), "同意印发。")
    for secretary in (personas["secretary"], build.r1, build.low):
        assert told(secretary, doc, "已签发，请复核编号")


def test_number_takes_the_number_now(build, personas):
    doc = build.signed()
    flow.number(doc, actor=personas["secretary"])
    doc = fresh(doc)
    year = timezone.localdate().year
    expected = f"珠府〔{year}〕1号"
    assert (doc.state, doc.document_number, doc.year, doc.serial) == (
        S.NUMBERED,
        expected,
        year,
        1,
    )
    assert doc.numbered_at is not None
    assert_step(doc, "number", personas["secretary"], ("已签发", "已编号"), expected)
    serial = SerialNumber.objects.get()
    assert (serial.text, serial.object_id, serial.allocated_by) == (
        expected,
        doc.pk,
        personas["secretary"],
    )


# --- (b) the wrong state raises InvalidTransition and changes nothing --------------------------


WRONG_STATE = [  # stage, step, the state's label, the transition's label
    P("in_review", step("submit", "secretary"), "审核中", "送审", id="submit"),
    P(
        "awaiting_sign_off",
        step("submit", "secretary", co_sign_units=()),
        "待签发",
        "送审",
        id="submit-awaiting-sign-off",
    ),
    P("signed", engine("submit_for_sign_off", "secretary"), "已签发", "送签发", id="sfso-engine"),
    P(
        "awaiting_sign_off",
        engine("pass_review", "r2"),
        "待签发",
        "审核通过",
        id="pass_review",
    ),
    P(
        "awaiting_sign_off",
        step("review", "r2"),
        "待签发",
        "审核通过",
        id="finish_review",
    ),
    P(
        "signed",
        step("review", "r2"),
        "已签发",
        "审核通过",
        id="finish_review-signed",
    ),
    P(
        "co_signing",
        step("review", "r2"),
        "会签中",
        "审核通过，送会签",
        id="send_to_co_sign",
    ),
    P(
        "co_signing",
        step("return_for_revision", "r2", opinion="请修改。"),
        "会签中",
        "退回修改",
        id="return_for_revision-co-signing",
    ),
    P(
        "signed",
        step("return_for_revision", "r2", opinion="请修改。"),
        "已签发",
        "退回修改",
        id="return_for_revision-signed",
    ),
    P(
        "second_level_with_co",
        step("co_sign", "head_a", opinion="同意。"),
        "审核中",
        "会签",
        id="co_sign-before-review-ends",
    ),
    P(
        "co_signed",
        engine("finish_co_signing", "head_a"),
        "待签发",
        "会签完毕",
        id="finish_co_signing",
    ),
    P("drafted", step("sign_off", "leader"), "起草中", "签发", id="sign_off-draft"),
    P("signed", step("sign_off", "leader"), "已签发", "签发", id="sign_off-again"),
    P(
        "awaiting_sign_off",
        step("number", "secretary"),
        "待签发",
        "复核编号",
        id="number-before-sign-off",
    ),
    P("numbered", step("number", "secretary"), "已编号", "复核编号", id="number-again"),
]


@pytest.mark.parametrize("stage, act, state_label, step_label", WRONG_STATE)
def test_wrong_state_is_refused_and_changes_nothing(build, stage, act, state_label, step_label):
    target = getattr(build, stage)()
    with (
        nothing_changes(),
        pytest.raises(
            InvalidTransition, match=f"当前状态为“{state_label}”，不能执行“{step_label}”"
        ),
    ):
        act(build, target)


# --- (c) an unauthorised user gets PermissionDenied and nothing changes ------------------------

FORBIDDEN = [  # stage, step
    P("drafted", step("submit", "handler_a"), id="submit-other-units-handler"),
    P("drafted", step("submit", "leader"), id="submit-leader"),
    P("drafted_by_handler", step("submit", "head_a"), id="submit-drafters-head"),
    P("drafted_unreviewed", step("submit", "handler_a"), id="submit_for_sign_off-handler"),
    P("drafted_unreviewed", step("submit", "outsider"), id="submit_for_sign_off-outsider"),
    P("in_review", step("review", "r2"), id="pass_review-next-levels-reviewer"),
    P("in_review", step("review", "secretary"), id="pass_review-drafter"),
    P("in_review", step("review", "leader"), id="pass_review-leader"),
    P("second_level", step("review", "r1"), id="finish_review-previous-levels-reviewer"),
    P("second_level", step("review", "leader"), id="finish_review-leader"),
    P("second_level_with_co", step("review", "r1"), id="send_to_co_sign-previous-reviewer"),
    P("second_level_with_co", step("review", "head_a"), id="send_to_co_sign-co-units-head"),
    P(
        "in_review",
        step("return_for_revision", "r2", opinion="请修改。"),
        id="return_for_revision-other-levels-reviewer",
    ),
    P(
        "in_review",
        step("return_for_revision", "leader", opinion="请修改。"),
        id="return_for_revision-leader-during-review",
    ),
    P(
        "awaiting_sign_off",
        step("return_for_revision", "r2", opinion="请修改。"),
        id="return_for_revision-reviewer-at-sign-off",
    ),
    P(
        "awaiting_sign_off",
        step("return_for_revision", "secretary", opinion="请修改。"),
        id="return_for_revision-secretary-at-sign-off",
    ),
    P("co_signing", step("co_sign", "handler_b", opinion="同意。"), id="co_sign-unit-not-asked"),
    P("co_signing", step("co_sign", "secretary", opinion="同意。"), id="co_sign-secretary"),
    P("co_signing", step("co_sign", "leader", opinion="同意。"), id="co_sign-leader"),
    P("co_signing", engine("finish_co_signing", "head_a"), id="finish_co_signing-before-opinion"),
    P(
        "half_co_signed",
        engine("finish_co_signing", "head_a"),
        id="finish_co_signing-while-another-unit-is-pending",
    ),
    P("co_signing", engine("finish_co_signing", "secretary"), id="finish_co_signing-secretary"),
    P("awaiting_sign_off", step("sign_off", "secretary"), id="sign_off-secretary"),
    P("awaiting_sign_off", step("sign_off", "r2"), id="sign_off-last-reviewer"),
    P("awaiting_sign_off", step("sign_off", "supervisor"), id="sign_off-supervisor"),
    P("signed", step("number", "handler_a"), id="number-handler"),
    P("signed", step("number", "leader"), id="number-leader"),
    P("signed", step("number", "sysadmin"), id="number-sysadmin"),
]


@pytest.mark.parametrize("stage, act", FORBIDDEN)
def test_unauthorised_user_is_refused_and_nothing_changes(build, stage, act):
    target = getattr(build, stage)()
    with nothing_changes(), pytest.raises(PermissionDenied, match="您无权执行"):
        act(build, target)


# --- (d) who cannot see the document gets 404 (every view fetches through the selector) --------

# transition, the stage it starts from, the person who may perform it there
STARTS = [
    P("drafted", "secretary", id="submit"),
    P("returned", "secretary", id="submit-returned"),
    P("drafted_unreviewed", "secretary", id="submit_for_sign_off"),
    P("in_review", "r1", id="pass_review"),
    P("second_level", "r2", id="finish_review"),
    P("second_level_with_co", "r2", id="send_to_co_sign"),
    P("in_review", "r1", id="return_for_revision"),
    P("awaiting_sign_off", "leader", id="return_for_revision-at-sign-off"),
    P("co_signing", "head_a", id="co_sign"),
    P("co_signing", "head_a", id="finish_co_signing"),
    P("awaiting_sign_off", "leader", id="sign_off"),
    P("signed", "secretary", id="number"),
]


def fetch(user, document):
    return get_visible_or_404(
        OutgoingDocument.objects.all(), user, OUTGOING_VISIBILITY, pk=document.pk
    )


@pytest.mark.parametrize("stage, actor", STARTS)
def test_a_unit_not_involved_gets_404(build, personas, stage, actor):
    doc = getattr(build, stage)()
    for hidden in ("handler_b", "outsider", "sysadmin"):
        with pytest.raises(Http404):
            fetch(personas[hidden], doc)
    assert fetch(build.who(actor), doc) == doc


@pytest.fixture
def classified(personas, units):
    """The same documents classified 秘密 (the drafting secretary and reviewers are cleared)."""
    return Build(personas, units, classification=Clearance.SECRET, secrecy_period="1年")


@pytest.mark.parametrize("stage, actor", STARTS)
def test_a_document_above_the_users_clearance_gets_404(classified, personas, stage, actor):
    doc = getattr(classified, stage)()
    assert doc.classification == Clearance.SECRET
    hidden = [classified.low, personas["handler_b"]]
    if doc.co_signatures.exists():
        hidden.append(personas["handler_a"])  # of the co-signing unit, but not cleared
    for user in hidden:
        with pytest.raises(Http404):
            fetch(user, doc)
    assert fetch(classified.who(actor), doc) == doc


# --- revising a draft: only the drafter or a secretary, only in draft or returned --------------


@pytest.mark.parametrize(
    "actor, allowed",
    [
        ("handler_a", True),  # the drafter
        ("secretary", True),
        ("head_a", False),  # the drafter's head is not the drafter
        ("handler_b", False),
        ("leader", False),
        ("outsider", False),
    ],
)
def test_revise_only_by_the_drafter_or_a_secretary(build, actor, allowed):
    doc, who = build.drafted_by_handler(), build.who(actor)
    assert doc.drafter == build.p["handler_a"]

    def revise():
        return services.outgoing_revise(
            doc, actor=who, title="关于报送教育工作要点的请示", body="修改后的正文"
        )

    if allowed:
        version = revise()
        assert (version.number, version.author) == (2, who)
        assert fresh(doc).title == "关于报送教育工作要点的请示"
        assert events(doc, "revise").get().opinion == "第2稿"
    else:
        with nothing_changes(), pytest.raises(ValidationError, match="只有拟稿人或秘书"):
            revise()


@pytest.mark.parametrize(
    "stage, allowed",
    [
        ("drafted", True),
        ("returned", True),
        ("in_review", False),
        ("co_signing", False),
        ("awaiting_sign_off", False),
        ("signed", False),
        ("numbered", False),
    ],
)
def test_revise_only_in_draft_or_returned(build, personas, stage, allowed):
    doc = getattr(build, stage)()

    def revise():
        return services.outgoing_revise(
            doc, actor=personas["secretary"], title="新标题", body="新正文", note="按意见修改"
        )

    if allowed:
        assert revise().number == 2
        assert fresh(doc).state == doc.state  # revising moves no state
    else:
        with nothing_changes(), pytest.raises(ValidationError, match="只有起草中或退回修改"):
            revise()


# --- two browsers: the second to do the same step is told someone acted first ------------------

TWICE = [  # stage, step, the action whose trail row must appear once
    P("drafted", step("submit", "secretary"), "submit", id="submit"),
    P("drafted_unreviewed", step("submit", "secretary"), "submit_for_sign_off", id="sfso"),
    P("in_review", step("review", "r1"), "pass_review", id="pass_review"),
    P("second_level", step("review", "r2"), "finish_review", id="finish_review"),
    P("second_level_with_co", step("review", "r2"), "send_to_co_sign", id="send_to_co_sign"),
    P(
        "in_review",
        step("return_for_revision", "r1", opinion="请修改。"),
        "return_for_revision",
        id="return_for_revision",
    ),
    P(
        "awaiting_sign_off",
        step("return_for_revision", "leader", opinion="请修改。"),
        "return_for_revision",
        id="return_for_revision-at-sign-off",
    ),
    P("co_signing", step("co_sign", "head_a", opinion="同意。"), "co_sign", id="co_sign"),
    P("awaiting_sign_off", step("sign_off", "leader"), "sign_off", id="sign_off"),
    P("signed", step("number", "secretary"), "number", id="number"),
]


@pytest.mark.parametrize("stage, act, action", TWICE)
def test_the_same_step_from_a_stale_page_is_refused(build, stage, act, action):
    doc = getattr(build, stage)()
    first, second = fresh(doc), fresh(doc)  # two browsers opened the same page
    act(build, first)
    with nothing_changes(), pytest.raises(InvalidTransition):
        act(build, second)
    assert events(doc, action).count() == 1
    assert SerialNumber.objects.count() == (1 if action == "number" else 0)


def test_two_people_of_the_co_signing_unit_sign_at_once(build, personas):
    """head_a and handler_a both open the page; the second is told the unit already signed."""
    doc = build.co_signing()
    first, second = fresh(doc), fresh(doc)
    flow.co_sign(first, actor=personas["head_a"], opinion="同意。")
    with nothing_changes(), pytest.raises(InvalidTransition):
        flow.co_sign(second, actor=personas["handler_a"], opinion="同意。")
    assert events(doc, "co_sign").count() == 1


# --- the leader returns at sign-off: back to the drafter and through review again -------------


def test_a_leader_returns_at_sign_off_and_review_starts_again(build, personas):
    doc = build.awaiting_sign_off()
    assert doc.review_level == 2
    flow.return_for_revision(doc, actor=personas["leader"], opinion="请再斟酌第二部分。")
    doc = fresh(doc)
    assert (doc.state, doc.review_level, doc.signer) == (S.RETURNED, 0, None)
    assert_step(
        doc, "return_for_revision", personas["leader"], ("待签发", "退回修改"), "请再斟酌第二部分。"
    )
    assert told(personas["secretary"], doc, "退回修改")
    services.outgoing_revise(
        doc, actor=personas["secretary"], title=doc.title, body="修改后的正文", note="按领导意见"
    )
    flow.submit(doc, actor=personas["secretary"])
    doc = fresh(doc)
    assert (doc.state, doc.review_level) == (S.IN_REVIEW, 1)
    assert Notification.objects.filter(recipient=build.r1, object_id=doc.pk).count() == 2
    with pytest.raises(PermissionDenied):  # level 2 waits for level 1 again
        flow.review(doc, actor=build.r2)
    flow.review(doc, actor=build.r1)
    assert fresh(doc).review_level == 2


# --- after the number: 编号作废, 用印, 核发, 签收, 归档 — the same four tests ------------------------


def test_void_number_keeps_the_number_as_void_and_the_next_numbering_takes_the_next(
    build, personas
):
    doc = build.numbered()
    old = doc.document_number
    flow.void_number(doc, actor=personas["secretary"], reason=" 字号用错。 ")
    doc = fresh(doc)
    assert (doc.state, doc.document_number, doc.serial, doc.numbered_at) == (
        S.SIGNED,
        "",
        None,
        None,
    )
    assert_step(
        doc, "void_number", personas["secretary"], ("已编号", "已签发"), f"{old}：字号用错。"
    )
    voided = SerialNumber.objects.get()
    assert (voided.status, voided.void_reason, voided.voided_by) == (
        SerialNumber.Status.VOID,
        "字号用错。",
        personas["secretary"],
    )
    flow.number(doc, actor=personas["secretary"])
    assert fresh(doc).serial == 2  # never reissued


def test_void_number_needs_a_reason(build, personas):
    doc = build.numbered()
    with nothing_changes(), pytest.raises(ValidationError, match="须填写原因"):
        flow.void_number(doc, actor=personas["secretary"], reason="  ")


def test_seal_enters_the_ledger_with_the_signer_as_approver(build, personas):
    doc = build.numbered()
    flow.seal(doc, actor=personas["secretary"], seal=build.seal, copies=30)
    doc = fresh(doc)
    assert doc.state == S.SEALED and doc.sealed_at is not None
    assert_step(
        doc, "seal", personas["secretary"], ("已编号", "已用印"), "珠海市人民政府印章，30份"
    )
    entry = SealLedgerEntry.objects.get()
    assert (entry.document, entry.copies, entry.applicant, entry.approver) == (
        doc,
        30,
        personas["secretary"],
        personas["leader"],
    )


def test_dispatch_makes_a_receipt_per_unit_and_asks_each_to_sign(build, personas, units):
    doc = build.sealed()
    flow.dispatch(doc, actor=personas["secretary"])
    doc = fresh(doc)
    assert doc.state == S.DISPATCHED and doc.dispatched_at is not None
    assert_step(doc, "dispatch", personas["secretary"], ("已用印", "已核发"), "市教育局、市住建局")
    assert {(r.unit, r.channel) for r in doc.receipts.all()} == {
        (units["a"], "exchange"),
        (units["b"], "exchange"),
    }
    assert told(personas["handler_a"], doc, "请签收") and told(personas["handler_b"], doc, "请签收")


def test_dispatch_on_paper_records_paper_receipts_and_tells_nobody(build, personas):
    doc = build.sealed()
    flow.dispatch(doc, actor=personas["secretary"], on_paper=True)
    doc = fresh(doc)
    assert_step(
        doc, "dispatch_on_paper", personas["secretary"], ("已用印", "已核发"), "市教育局、市住建局"
    )
    assert {r.channel for r in doc.receipts.all()} == {"paper"}
    assert not told(personas["handler_a"], doc, "请签收")
    # the unit cannot sign for paper in the system; the secretary records it
    with pytest.raises(InvalidTransition):
        flow.receive(doc, actor=personas["handler_a"])
    receipt = doc.receipts.get(unit=build.u["a"])
    flow.record_receipt(receipt, actor=personas["secretary"])
    assert fresh(doc).receipts.get(unit=build.u["a"]).received_by == personas["secretary"]
    event = events(doc, "receive").get()
    assert (event.action_label, event.opinion) == ("登记签收", f"{build.u['a'].name}（纸质）")
    with nothing_changes(), pytest.raises(InvalidTransition, match="已签收"):
        flow.record_receipt(receipt, actor=personas["secretary"])


def test_the_secretary_records_receipts_only_for_units_without_anyone_to_sign(build, personas):
    from tests.conftest import make_unit

    higher = make_unit("广东省人民政府办公厅", "省府办公厅", "higher")
    doc = build.numbered()
    doc.cc_recipients.add(higher)
    flow.seal(doc, actor=personas["secretary"], seal=build.seal, copies=3)
    flow.dispatch(doc, actor=personas["secretary"])
    own = doc.receipts.get(unit=build.u["a"])  # unit A has people: it signs itself
    with nothing_changes(), pytest.raises(InvalidTransition, match="在本系统中签收"):
        flow.record_receipt(own, actor=personas["secretary"])
    outside = doc.receipts.get(unit=higher)
    with nothing_changes(), pytest.raises(InvalidTransition, match="只有秘书"):
        flow.record_receipt(outside, actor=personas["handler_a"])
    flow.record_receipt(outside, actor=personas["secretary"])
    assert events(doc, "receive").get().opinion == "广东省人民政府办公厅（外单位回执）"


def test_receive_signs_the_units_receipt_once(build, personas):
    doc = build.dispatched()
    flow.receive(doc, actor=personas["handler_a"])
    receipt = doc.receipts.get(unit=build.u["a"])
    assert receipt.received_by == personas["handler_a"] and receipt.received_at is not None
    assert events(doc, "receive").get().opinion == build.u["a"].name
    with nothing_changes(), pytest.raises(InvalidTransition, match="已签收"):
        flow.receive(fresh(doc), actor=personas["head_a"])  # the same unit, a second person


def test_archive_files_the_dispatched_document(build, personas):
    doc = build.dispatched()
    flow.archive(doc, actor=personas["secretary"])
    doc = fresh(doc)
    assert doc.state == S.ARCHIVED and doc.archived_on == timezone.localdate()
    assert_step(doc, "archive", personas["secretary"], ("已核发", "已归档"), "")


LATER_WRONG_STATE = [
    P("signed", step("void_number", "secretary", reason="错号。"), "已签发", "编号作废", id="void"),
    P(
        "sealed",
        step("void_number", "secretary", reason="错号。"),
        "已用印",
        "编号作废",
        id="void2",
    ),
    P(
        "signed",
        lambda b, d: flow.seal(d, actor=b.p["secretary"], seal=b.seal, copies=1),
        "已签发",
        "用印",
        id="seal-before-number",
    ),
    P(
        "sealed",
        lambda b, d: flow.seal(d, actor=b.p["secretary"], seal=b.seal, copies=1),
        "已用印",
        "用印",
        id="seal-again",
    ),
    P("numbered", step("dispatch", "secretary"), "已编号", "核发", id="dispatch-before-seal"),
    P("dispatched", step("dispatch", "secretary"), "已核发", "核发", id="dispatch-again"),
    P(
        "numbered",
        step("dispatch", "secretary", on_paper=True),
        "已编号",
        "核发（纸质）",
        id="dispatch_on_paper-before-seal",
    ),
    P("sealed", step("archive", "secretary"), "已用印", "归档", id="archive-before-dispatch"),
    P("archived", step("archive", "secretary"), "已归档", "归档", id="archive-again"),
]


@pytest.mark.parametrize("stage, act, state_label, step_label", LATER_WRONG_STATE)
def test_later_steps_in_the_wrong_state_change_nothing(build, stage, act, state_label, step_label):
    target = getattr(build, stage)()
    with (
        nothing_changes(),
        pytest.raises(
            InvalidTransition, match=f"当前状态为“{state_label}”，不能执行“{step_label}”"
        ),
    ):
        act(build, target)


LATER_FORBIDDEN = [
    P("numbered", step("void_number", "leader", reason="错号。"), id="void-leader"),
    P("numbered", step("void_number", "handler_a", reason="错号。"), id="void-handler"),
    P(
        "numbered",
        lambda b, d: flow.seal(d, actor=b.p["leader"], seal=b.seal, copies=1),
        id="seal-leader",
    ),
    P(
        "numbered",
        lambda b, d: flow.seal(d, actor=b.p["secadmin"], seal=b.seal, copies=1),
        id="seal-secadmin",
    ),
    P("sealed", step("dispatch", "handler_a"), id="dispatch-handler"),
    P("sealed", step("dispatch", "supervisor"), id="dispatch-supervisor"),
    P("sealed", step("dispatch", "leader", on_paper=True), id="dispatch_on_paper-leader"),
    P("dispatched", step("archive", "handler_a"), id="archive-receiving-unit"),
    P("dispatched", step("archive", "leader"), id="archive-leader"),
]


@pytest.mark.parametrize("stage, act", LATER_FORBIDDEN)
def test_later_steps_by_the_wrong_person_change_nothing(build, stage, act):
    target = getattr(build, stage)()
    with nothing_changes(), pytest.raises(PermissionDenied, match="您无权执行"):
        act(build, target)


def test_receiving_units_cannot_sign_for_what_was_not_sent_to_them(build, personas, units):
    doc = build.dispatched()
    for who in ("secretary", "leader", "outsider"):
        with nothing_changes(), pytest.raises(InvalidTransition):
            flow.receive(fresh(doc), actor=personas[who])


LATER_STARTS = [
    P("numbered", "secretary", id="void_number"),
    P("numbered", "secretary", id="seal"),
    P("sealed", "secretary", id="dispatch"),
    P("dispatched", "secretary", id="archive"),
]


@pytest.mark.parametrize("stage, actor", LATER_STARTS)
def test_later_steps_a_unit_not_involved_gets_404(build, personas, stage, actor):
    doc = getattr(build, stage)()
    hidden = ["outsider", "sysadmin"]
    if stage in ("numbered", "sealed"):
        hidden += ["handler_a", "handler_b"]  # the receiving units see it from dispatch on
    for who in hidden:
        with pytest.raises(Http404):
            fetch(personas[who], doc)
    assert fetch(build.who(actor), doc) == doc


def test_a_receiving_unit_sees_the_dispatched_document_but_a_low_clearance_does_not(
    classified, personas
):
    personas["handler_a"].clearance = Clearance.SECRET
    personas["handler_a"].save()
    doc = classified.dispatched()
    assert fetch(personas["handler_a"], doc) == doc
    with pytest.raises(Http404):
        fetch(personas["handler_b"], doc)  # a receiving unit's handler without clearance


LATER_TWICE = [
    P("numbered", step("void_number", "secretary", reason="错号。"), "void_number", id="void"),
    P("sealed", step("dispatch", "secretary"), "dispatch", id="dispatch"),
    P("dispatched", step("archive", "secretary"), "archive", id="archive"),
]


@pytest.mark.parametrize("stage, act, action", LATER_TWICE)
def test_later_steps_from_a_stale_page_are_refused(build, stage, act, action):
    doc = getattr(build, stage)()
    first, second = fresh(doc), fresh(doc)
    act(build, first)
    with nothing_changes(), pytest.raises(InvalidTransition):
        act(build, second)
    assert events(doc, action).count() == 1
