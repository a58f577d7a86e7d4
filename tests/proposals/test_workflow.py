"""The life of a suggestion or proposal (proposals.workflow): for every transition of
workflow.PROPOSAL the allowed actor succeeds and a trail row says so, the wrong state raises
InvalidTransition and an unauthorised user gets PermissionDenied; and the rules around them — no
reply before a contact with the proposer and every co-unit's opinion (the refusal says what is
missing), the reassignment window, ratings by the office or the proposer's link but never by a
handling unit, 不满意 reopening the item for a second round with a new deadline and both rounds
kept, one rating per round, and the key items' own deadline.

(Visibility — a user who cannot see an item gets 404 — is the pages' test: the workflow is only
reached through selectors.proposal_get_or_404.)

The helpers below build items in each state through the workflow; the other proposals tests
use them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from office.calendar import add_working_days
from office.roles import Role
from office.workflow import InvalidTransition
from proposals import workflow as flow
from proposals.models import (
    Contact,
    Proposal,
    Rating,
    ReassignmentRequest,
    ReplyLetter,
    Session,
    add_months,
)
from proposals.services import AuthorEntry, ProposalEntry, register_proposal
from tests.conftest import make_user
from tests.steps import assert_step, events, fresh, told

pytestmark = pytest.mark.django_db

S = Proposal.State
L = Rating.Level
REPLY = "一、关于学位供给。今年新建学校3所，新增学位5400个。\n二、下一步工作。我们将继续推进。"


# --- builders (used by the other proposals tests) ----------------------------------------------


def make_session(*, body=Session.Body.NPC, name=None, **extra):
    defaults = {
        "name": name
        or ("十六届人大三次会议" if body == Session.Body.NPC else "十三届政协三次会议"),
        "year": 2027,
        "opened_on": datetime.date(2027, 1, 10),
        "liaison_body": "市人大常委会代表工作室"
        if body == Session.Body.NPC
        else "市政协提案委员会",
    }
    return Session.objects.create(body=body, **{**defaults, **extra})


def registered(personas, session, number=123, *, title="关于增加城区学位供给的建议", **extra):
    kind = extra.pop("kind", None) or (
        Proposal.Kind.PROPOSAL if session.body == Session.Body.CPPCC else Proposal.Kind.SUGGESTION
    )
    entry = ProposalEntry(
        session=session,
        kind=kind,
        number=number,
        title=title,
        content="城区学位紧张，建议加快新建学校。",
        authors=(
            AuthorEntry(name="张明", delegation="香洲区代表团", phone="13900000001"),
            AuthorEntry(name="李华", role="co"),
        ),
        **extra,
    )
    return register_proposal(entry, actor=personas["secretary"])


def assigned(personas, units, session, number=123, *, lead="a", co=(), **extra):
    proposal = registered(personas, session, number, **extra)
    return flow.assign(
        proposal,
        actor=personas["secretary"],
        lead_unit=units[lead],
        co_units=[units[c] for c in co],
    )


def handling(personas, units, session, number=123, **kwargs):
    proposal = assigned(personas, units, session, number, **kwargs)
    flow.accept(proposal, actor=personas["handler_a"])
    return fresh(proposal)


def contact(proposal, actor):
    return flow.record_contact(
        proposal,
        actor=actor,
        contacted_on=timezone.localdate(),
        way=Contact.Way.VISIT,
        people="张明代表；市教育局王处长",
        content="上门走访，听取意见。",
    )


def ready(personas, units, session, number=123, *, reply_class="B", **kwargs):
    """In handling with a contact, every co-unit's opinion and a drafted reply."""
    proposal = handling(personas, units, session, number, **kwargs)
    prepare_round(personas, proposal, reply_class=reply_class)
    return fresh(proposal)


def prepare_round(personas, proposal, *, reply_class="B", body=REPLY):
    contact(proposal, personas["handler_a"])
    for unit in proposal.co_units.all():
        flow.give_co_opinion(
            proposal, actor=co_person(personas, unit), text="同意主办单位意见，配合做好规划。"
        )
    flow.draft_reply(
        proposal,
        actor=personas["handler_a"],
        reply_class=reply_class,
        body=body,
        contact_person="王处长",
        contact_phone="0756-2123456",
    )


def co_person(personas, unit):
    return personas["handler_b"] if unit.short_name == "市住建局" else None


def submitted(personas, units, session, number=123, **kwargs):
    proposal = ready(personas, units, session, number, **kwargs)
    flow.submit_reply(proposal, actor=personas["handler_a"])
    return fresh(proposal)


def approved(personas, units, session, number=123, **kwargs):
    proposal = submitted(personas, units, session, number, **kwargs)
    flow.approve_reply(proposal, actor=personas["head_a"])
    return fresh(proposal)


def replied(personas, units, session, number=123, **kwargs):
    proposal = approved(personas, units, session, number, **kwargs)
    flow.send_reply(proposal, actor=personas["handler_a"])
    return Proposal.objects.select_related("session").get(pk=proposal.pk)


def second_round_replied(personas, proposal):
    """A re-handled item (round 2) through to its second reply."""
    prepare_round(
        personas, proposal, reply_class="A", body="经重新办理，现再次答复如下：问题已解决。"
    )
    flow.submit_reply(proposal, actor=personas["handler_a"])
    flow.approve_reply(fresh(proposal), actor=personas["head_a"])
    flow.send_reply(fresh(proposal), actor=personas["handler_a"])
    return Proposal.objects.select_related("session").get(pk=proposal.pk)


@pytest.fixture
def session(db):
    return make_session()


# --- 交办 --------------------------------------------------------------------------------------


class TestAssign:
    def test_the_office_assigns_with_the_sessions_deadline_and_window(
        self, personas, units, session
    ):
        proposal = registered(personas, session)
        flow.assign(
            proposal, actor=personas["secretary"], lead_unit=units["a"], co_units=[units["b"]]
        )
        proposal = fresh(proposal)
        today = timezone.localdate()
        assert proposal.state == S.ASSIGNED and proposal.lead_unit == units["a"]
        assert proposal.deadline == add_months(today, 3)
        assert proposal.reassign_until == add_working_days(today, 5)
        assert list(proposal.co_units.all()) == [units["b"]]
        assert_step(
            proposal,
            "assign",
            personas["secretary"],
            ("已登记", "已交办"),
            "主办：珠海市教育局；会办：珠海市住房和城乡建设局",
        )
        assert told(personas["handler_a"], proposal, "建议提案交办（主办）")
        assert told(personas["head_a"], proposal, "建议提案交办（主办）")
        assert told(personas["handler_b"], proposal, "建议提案交办（会办）")

    def test_key_items_are_due_in_the_sessions_key_months(self, personas, units, session):
        session.key_reply_months = 2
        session.save()
        key = assigned(personas, units, session, 1, is_key=True, key_leader=personas["leader"])
        normal = assigned(personas, units, session, 2)
        today = timezone.localdate()
        assert fresh(key).deadline == add_months(today, 2)
        assert fresh(normal).deadline == add_months(today, 3)

    def test_twice_is_refused(self, personas, units, session):
        proposal = assigned(personas, units, session)
        with pytest.raises(InvalidTransition):
            flow.assign(proposal, actor=personas["secretary"], lead_unit=units["b"])
        assert fresh(proposal).lead_unit == units["a"]

    def test_a_unit_cannot_assign(self, personas, units, session):
        proposal = registered(personas, session)
        for user in (personas["head_a"], personas["leader"], personas["outsider"]):
            with pytest.raises(PermissionDenied):
                flow.assign(proposal, actor=user, lead_unit=units["a"])
        assert fresh(proposal).state == S.REGISTERED
        assert not events(proposal, "assign").exists()


# --- 接收 --------------------------------------------------------------------------------------


class TestAccept:
    def test_the_lead_unit_accepts(self, personas, units, session):
        proposal = assigned(personas, units, session)
        flow.accept(proposal, actor=personas["handler_a"])
        assert fresh(proposal).state == S.HANDLING
        assert_step(proposal, "accept", personas["handler_a"], ("已交办", "办理中"), "")

    def test_twice_is_refused(self, personas, units, session):
        proposal = handling(personas, units, session)
        with pytest.raises(InvalidTransition):
            flow.accept(proposal, actor=personas["head_a"])

    def test_another_unit_or_a_co_unit_cannot_accept(self, personas, units, session):
        proposal = assigned(personas, units, session, co=("b",))
        for user in (personas["handler_b"], personas["secretary"]):
            with pytest.raises(PermissionDenied):
                flow.accept(proposal, actor=user)
        assert fresh(proposal).state == S.ASSIGNED


# --- 申请调整 ----------------------------------------------------------------------------------


class TestReassignment:
    def test_the_lead_unit_asks_within_the_window_and_the_office_is_told(
        self, personas, units, session
    ):
        proposal = assigned(personas, units, session)
        flow.request_reassignment(
            proposal,
            actor=personas["handler_a"],
            reason="所提事项属住建部门职责。",
            suggested_unit=units["b"],
        )
        assert fresh(proposal).state == S.REASSIGNMENT_REQUESTED
        assert_step(
            proposal,
            "request_reassignment",
            personas["handler_a"],
            ("已交办", "申请调整"),
            "所提事项属住建部门职责。",
        )
        request = ReassignmentRequest.objects.get(proposal=proposal)
        assert (request.unit, request.suggested_unit, request.outcome) == (
            units["a"],
            units["b"],
            ReassignmentRequest.Outcome.PENDING,
        )
        assert told(personas["secretary"], proposal, "申请调整承办单位")
        assert told(personas["supervisor"], proposal, "申请调整承办单位")

    def test_after_the_window_it_is_refused_with_the_date(self, personas, units, session):
        proposal = assigned(personas, units, session)
        until = timezone.localdate() - datetime.timedelta(days=1)
        Proposal.objects.filter(pk=proposal.pk).update(reassign_until=until)
        with pytest.raises(ValidationError) as refused:
            flow.request_reassignment(fresh(proposal), actor=personas["handler_a"], reason="理由")
        assert f"{until:%Y年%m月%d日}" in refused.value.messages[0]
        assert "已超过期限" in refused.value.messages[0]
        assert fresh(proposal).state == S.ASSIGNED

    def test_a_reason_is_required(self, personas, units, session):
        proposal = assigned(personas, units, session)
        with pytest.raises(ValidationError, match="请说明申请调整的理由"):
            flow.request_reassignment(proposal, actor=personas["handler_a"], reason="  ")

    def test_not_once_accepted(self, personas, units, session):
        proposal = handling(personas, units, session)
        with pytest.raises(InvalidTransition):
            flow.request_reassignment(proposal, actor=personas["handler_a"], reason="理由")

    def test_another_unit_cannot_ask(self, personas, units, session):
        proposal = assigned(personas, units, session, co=("b",))
        with pytest.raises(PermissionDenied):
            flow.request_reassignment(proposal, actor=personas["handler_b"], reason="理由")

    def requested(self, personas, units, session):
        proposal = assigned(personas, units, session)
        flow.request_reassignment(proposal, actor=personas["handler_a"], reason="不属本单位职责。")
        return fresh(proposal)

    def test_the_office_approves_and_the_item_goes_to_the_new_unit(self, personas, units, session):
        proposal = self.requested(personas, units, session)
        deadline = proposal.deadline
        flow.approve_reassignment(
            proposal, actor=personas["supervisor"], lead_unit=units["b"], opinion="同意。"
        )
        proposal = fresh(proposal)
        assert (proposal.state, proposal.lead_unit, proposal.deadline) == (
            S.ASSIGNED,
            units["b"],
            deadline,
        )
        assert_step(
            proposal,
            "approve_reassignment",
            personas["supervisor"],
            ("申请调整", "已交办"),
            "由珠海市教育局调整为珠海市住房和城乡建设局；同意。",
        )
        request = ReassignmentRequest.objects.get(proposal=proposal)
        assert (request.outcome, request.decided_by) == (
            ReassignmentRequest.Outcome.APPROVED,
            personas["supervisor"],
        )
        assert told(personas["handler_a"], proposal, "调整申请已同意")
        assert told(personas["handler_b"], proposal, "建议提案交办（主办，调整）")

    def test_the_office_rejects_with_a_reason_and_the_unit_keeps_it(self, personas, units, session):
        proposal = self.requested(personas, units, session)
        with pytest.raises(ValidationError, match="不同意调整须说明理由"):
            flow.reject_reassignment(proposal, actor=personas["secretary"], opinion="")
        flow.reject_reassignment(proposal, actor=personas["secretary"], opinion="属本单位职责。")
        proposal = fresh(proposal)
        assert (proposal.state, proposal.lead_unit) == (S.ASSIGNED, units["a"])
        assert_step(
            proposal,
            "reject_reassignment",
            personas["secretary"],
            ("申请调整", "已交办"),
            "属本单位职责。",
        )
        assert ReassignmentRequest.objects.get().outcome == ReassignmentRequest.Outcome.REJECTED
        assert told(personas["handler_a"], proposal, "调整申请未同意")

    def test_deciding_without_a_request_is_refused(self, personas, units, session):
        proposal = assigned(personas, units, session)
        with pytest.raises(InvalidTransition):
            flow.approve_reassignment(proposal, actor=personas["secretary"], lead_unit=units["b"])
        with pytest.raises(InvalidTransition):
            flow.reject_reassignment(proposal, actor=personas["secretary"], opinion="不同意")

    def test_only_the_office_decides(self, personas, units, session):
        proposal = self.requested(personas, units, session)
        for user in (personas["head_a"], personas["leader"]):
            with pytest.raises(PermissionDenied):
                flow.approve_reassignment(proposal, actor=user, lead_unit=units["b"])
            with pytest.raises(PermissionDenied):
                flow.reject_reassignment(proposal, actor=user, opinion="不同意")
        assert fresh(proposal).state == S.REASSIGNMENT_REQUESTED


# --- 提交答复 (a contact and every co-unit's opinion first) --------------------------------------


class TestSubmitReply:
    def test_the_lead_unit_submits_and_its_head_is_told(self, personas, units, session):
        proposal = ready(personas, units, session, co=("b",))
        flow.submit_reply(proposal, actor=personas["handler_a"])
        assert fresh(proposal).state == S.REPLY_SUBMITTED
        assert_step(proposal, "submit_reply", personas["handler_a"], ("办理中", "答复待审"), "")
        assert told(personas["head_a"], proposal, "请签发答复函")

    def test_refused_before_a_contact_and_the_co_units_opinions(self, personas, units, session):
        proposal = handling(personas, units, session, co=("b",))
        with pytest.raises(ValidationError) as refused:
            flow.submit_reply(proposal, actor=personas["handler_a"])
        assert refused.value.messages == [
            "不能提交答复：尚未拟写答复函；尚未记录与领衔人的沟通联系；"
            "尚未收到会办意见：珠海市住房和城乡建设局。"
        ]
        flow.draft_reply(proposal, actor=personas["handler_a"], reply_class="B", body=REPLY)
        contact(proposal, personas["handler_a"])
        with pytest.raises(ValidationError) as refused:
            flow.submit_reply(proposal, actor=personas["handler_a"])
        assert refused.value.messages == [
            "不能提交答复：尚未收到会办意见：珠海市住房和城乡建设局。"
        ]
        flow.give_co_opinion(proposal, actor=personas["handler_b"], text="同意。")
        flow.submit_reply(proposal, actor=personas["handler_a"])
        assert fresh(proposal).state == S.REPLY_SUBMITTED

    def test_a_contact_alone_is_not_enough_without_the_draft(self, personas, units, session):
        proposal = handling(personas, units, session)
        contact(proposal, personas["handler_a"])
        with pytest.raises(ValidationError, match="尚未拟写答复函"):
            flow.submit_reply(proposal, actor=personas["handler_a"])
        assert fresh(proposal).state == S.HANDLING

    def test_twice_is_refused(self, personas, units, session):
        proposal = submitted(personas, units, session)
        with pytest.raises(InvalidTransition):
            flow.submit_reply(proposal, actor=personas["handler_a"])

    def test_a_co_unit_cannot_submit(self, personas, units, session):
        proposal = ready(personas, units, session, co=("b",))
        with pytest.raises(PermissionDenied):
            flow.submit_reply(proposal, actor=personas["handler_b"])
        assert fresh(proposal).state == S.HANDLING


# --- 签发 / 退回 --------------------------------------------------------------------------------


class TestApproveAndReturnReply:
    def test_the_head_signs_off(self, personas, units, session):
        proposal = submitted(personas, units, session)
        flow.approve_reply(proposal, actor=personas["head_a"])
        assert fresh(proposal).state == S.REPLY_APPROVED
        assert_step(proposal, "approve_reply", personas["head_a"], ("答复待审", "答复已签发"), "")
        letter = ReplyLetter.objects.get(proposal=proposal)
        assert letter.signed_by == personas["head_a"] and letter.signed_at is not None

    def test_the_head_returns_with_an_opinion(self, personas, units, session):
        proposal = submitted(personas, units, session)
        with pytest.raises(ValidationError, match="退回须填写意见"):
            flow.return_reply(proposal, actor=personas["head_a"], opinion="")
        flow.return_reply(proposal, actor=personas["head_a"], opinion="请补充资金安排。")
        assert fresh(proposal).state == S.HANDLING
        assert_step(
            proposal,
            "return_reply",
            personas["head_a"],
            ("答复待审", "办理中"),
            "请补充资金安排。",
        )
        assert told(personas["handler_a"], proposal, "答复函被退回")

    def test_only_a_submitted_reply(self, personas, units, session):
        proposal = ready(personas, units, session)
        with pytest.raises(InvalidTransition):
            flow.approve_reply(proposal, actor=personas["head_a"])
        with pytest.raises(InvalidTransition):
            flow.return_reply(proposal, actor=personas["head_a"], opinion="退回")

    def test_only_the_lead_units_head(self, personas, units, session):
        proposal = submitted(personas, units, session)
        for user in (personas["handler_a"], personas["secretary"], personas["handler_b"]):
            with pytest.raises(PermissionDenied):
                flow.approve_reply(proposal, actor=user)
            with pytest.raises(PermissionDenied):
                flow.return_reply(proposal, actor=user, opinion="退回")
        assert fresh(proposal).state == S.REPLY_SUBMITTED


# --- 答复 ---------------------------------------------------------------------------------------


class TestSendReply:
    def test_the_signed_reply_is_sent_and_copied_to_the_liaison_body(
        self, personas, units, session
    ):
        proposal = approved(personas, units, session)
        flow.send_reply(proposal, actor=personas["handler_a"])
        proposal = fresh(proposal)
        today = timezone.localdate()
        assert (proposal.state, proposal.replied_on) == (S.REPLIED, today)
        assert ReplyLetter.objects.get(proposal=proposal).sent_on == today
        assert_step(
            proposal,
            "send_reply",
            personas["handler_a"],
            ("答复已签发", "已答复"),
            "抄送市人大常委会代表工作室",
        )
        assert told(personas["secretary"], proposal, "已答复，待评价")

    def test_not_before_sign_off(self, personas, units, session):
        proposal = submitted(personas, units, session)
        with pytest.raises(InvalidTransition):
            flow.send_reply(proposal, actor=personas["handler_a"])

    def test_another_unit_cannot_send(self, personas, units, session):
        proposal = approved(personas, units, session)
        with pytest.raises(PermissionDenied):
            flow.send_reply(proposal, actor=personas["handler_b"])
        assert fresh(proposal).state == S.REPLY_APPROVED


# --- 评价, 办结, 重新办理 -----------------------------------------------------------------------


class TestRate:
    def test_the_office_enters_a_satisfied_rating_and_the_item_closes(
        self, personas, units, session
    ):
        proposal = replied(personas, units, session)
        rating = flow.rate(
            proposal,
            actor=personas["secretary"],
            attitude=L.SATISFIED,
            result=L.BASICALLY_SATISFIED,
            remarks="希望加快进度。",
        )
        proposal = fresh(proposal)
        assert (proposal.state, proposal.closed_on) == (S.CLOSED, timezone.localdate())
        assert (rating.round, rating.channel, rating.entered_by) == (
            1,
            Rating.Channel.OFFICE,
            personas["secretary"],
        )
        assert_step(
            proposal,
            "rate",
            personas["secretary"],
            ("已答复", "已评价"),
            "办理态度满意，办理结果基本满意（办公室据反馈表录入）",
        )
        assert_step(proposal, "close", personas["secretary"], ("已评价", "已办结"), "")
        assert told(personas["handler_a"], proposal, "已办结")

    def test_the_proposers_link_rates_without_an_account(self, personas, units, session):
        proposal = replied(personas, units, session)
        found, round_ = flow.proposal_for_token(flow.rating_token(proposal))
        assert (found, round_) == (proposal, 1)
        rating = flow.rate(found, actor=None, attitude=L.SATISFIED, result=L.SATISFIED)
        assert (rating.channel, rating.entered_by) == (Rating.Channel.LINK, None)
        assert fresh(proposal).state == S.CLOSED
        assert_step(
            proposal,
            "rate",
            None,
            ("已答复", "已评价"),
            "办理态度满意，办理结果满意（代表委员在线评价）",
        )

    def test_a_handling_unit_never_rates_its_own_work(self, personas, units, session):
        proposal = replied(personas, units, session, co=("b",))
        # Office staff who also belong to the lead unit, or to a co-unit, are refused too.
        both_a = make_user(
            "jianzhi_a", "吴兼职", unit=units["a"], roles=[Role.SECRETARY, Role.UNIT_HANDLER]
        )
        both_b = make_user(
            "jianzhi_b", "郑兼职", unit=units["b"], roles=[Role.SUPERVISOR, Role.UNIT_HEAD]
        )
        for user in (
            personas["handler_a"],
            personas["head_a"],
            personas["handler_b"],
            both_a,
            both_b,
            personas["leader"],
        ):
            with pytest.raises(PermissionDenied, match="承办单位不能录入或修改"):
                flow.rate(proposal, actor=user, attitude=L.SATISFIED, result=L.SATISFIED)
        assert fresh(proposal).state == S.REPLIED
        assert not Rating.objects.exists()

    def test_both_ratings_are_required(self, personas, units, session):
        proposal = replied(personas, units, session)
        with pytest.raises(ValidationError, match="请对办理态度和办理结果分别作出评价"):
            flow.rate(proposal, actor=personas["secretary"], attitude=L.SATISFIED, result="")
        assert fresh(proposal).state == S.REPLIED

    def test_not_before_the_reply_is_sent(self, personas, units, session):
        proposal = approved(personas, units, session)
        with pytest.raises(InvalidTransition):
            flow.rate(
                proposal, actor=personas["secretary"], attitude=L.SATISFIED, result=L.SATISFIED
            )
        assert not Rating.objects.exists()

    def test_rating_the_same_round_twice_is_refused(self, personas, units, session):
        proposal = replied(personas, units, session)
        flow.rate(proposal, actor=None, attitude=L.SATISFIED, result=L.SATISFIED)
        with pytest.raises(InvalidTransition, match="本轮答复已有评价"):
            flow.rate(
                fresh(proposal),
                actor=personas["secretary"],
                attitude=L.DISSATISFIED,
                result=L.DISSATISFIED,
            )
        assert Rating.objects.get().result == L.SATISFIED
        assert fresh(proposal).state == S.CLOSED

    def test_dissatisfied_reopens_for_a_second_round_and_the_second_rating_closes(
        self, personas, units, session
    ):
        session.rehandle_months = 2
        session.save()
        proposal = replied(personas, units, session, co=("b",))
        flow.rate(
            proposal,
            actor=personas["supervisor"],
            attitude=L.BASICALLY_SATISFIED,
            result=L.DISSATISFIED,
            remarks="学位问题仍未解决。",
        )
        proposal = fresh(proposal)
        today = timezone.localdate()
        new_deadline = add_months(today, 2)
        assert (proposal.state, proposal.round, proposal.deadline, proposal.replied_on) == (
            S.HANDLING,
            2,
            new_deadline,
            None,
        )
        assert_step(
            proposal,
            "rehandle",
            personas["supervisor"],
            ("已评价", "办理中"),
            f"评价不满意，重新办理，答复期限 {new_deadline:%Y-%m-%d}",
        )
        assert told(personas["handler_a"], proposal, "评价不满意，请重新办理")

        # Round 2 needs its own contact, co-unit opinion and reply.
        with pytest.raises(ValidationError) as refused:
            flow.submit_reply(proposal, actor=personas["handler_a"])
        assert "尚未记录与领衔人的沟通联系" in refused.value.messages[0]
        assert "尚未收到会办意见：珠海市住房和城乡建设局" in refused.value.messages[0]
        proposal = second_round_replied(personas, proposal)
        assert proposal.state == S.REPLIED

        # The second rating closes the item whatever it says.
        flow.rate(proposal, actor=None, attitude=L.DISSATISFIED, result=L.DISSATISFIED)
        proposal = fresh(proposal)
        assert (proposal.state, proposal.round, proposal.closed_on) == (S.CLOSED, 2, today)
        assert list(
            ReplyLetter.objects.filter(proposal=proposal).values_list("round", "reply_class")
        ) == [(1, "B"), (2, "A")]
        assert list(
            Rating.objects.filter(proposal=proposal).values_list("round", "result", "channel")
        ) == [
            (1, L.DISSATISFIED, Rating.Channel.OFFICE),
            (2, L.DISSATISFIED, Rating.Channel.LINK),
        ]
        assert Contact.objects.filter(proposal=proposal).count() == 2
        assert [e.action for e in events(proposal)][-3:] == ["send_reply", "rate", "close"]

    def test_the_first_rounds_link_no_longer_rates_after_re_handling(
        self, personas, units, session
    ):
        proposal = replied(personas, units, session)
        first_link = flow.rating_token(proposal)
        flow.rate(proposal, actor=None, attitude=L.DISSATISFIED, result=L.DISSATISFIED)
        found, round_ = flow.proposal_for_token(first_link)
        assert round_ == 1 and found.round == 2

    def test_close_and_rehandle_follow_a_rating_only(self, personas, units, session):
        proposal = handling(personas, units, session)
        for name in ("close", "rehandle"):
            assert name not in flow.PEOPLE_STEPS
            with pytest.raises(InvalidTransition):
                flow.PROPOSAL.perform(proposal, name, actor=personas["secretary"])
        assert fresh(proposal).state == S.HANDLING


class TestRatingLink:
    def test_a_forged_or_expired_link_is_refused_in_chinese(self, personas, units, session):
        proposal = replied(personas, units, session)
        token = flow.rating_token(proposal)
        with pytest.raises(ValidationError, match="评价链接无效"):
            flow.proposal_for_token(token[:-2] + "xx")
        with pytest.raises(ValidationError, match="评价链接无效"):
            flow.proposal_for_token("not-a-token")
        later = timezone.now() + datetime.timedelta(days=flow.RATING_LINK_DAYS + 1)
        with freeze(later), pytest.raises(ValidationError, match="评价链接已过期"):
            flow.proposal_for_token(token)


def freeze(moment):
    """The real clock moved to `moment` (time-machine: the signer reads time.time)."""
    import time_machine

    return time_machine.travel(moment, tick=False)
