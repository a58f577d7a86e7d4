"""A topic's way to the pool (meetings/workflow.py, TOPIC), transition by transition.

STYLE.md "Workflows": each transition — (a) the allowed actor succeeds, with its trail row and the
next actor told; (b) the wrong state raises InvalidTransition and changes nothing; (c) a user not
allowed gets PermissionDenied and nothing changes. Then 「不成熟不上会」 and two people of a unit
answering at once. (Visibility and the pages come with the topic pages.)"""

import threading
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from meetings import services
from meetings import workflow as flow
from meetings.models import LegalAdviser, MeetingType, Topic, TopicOpinion
from office.models import Notification, TrailEvent
from office.roles import Role
from office.workflow import InvalidTransition
from tests.concurrency import race
from tests.conftest import make_user
from tests.steps import assert_step, events, fresh, told

S = Topic.State
P = pytest.param


def world():
    return (
        list(
            Topic.objects.order_by("pk").values_list(
                "pk", "state", "disagreements", "legal_opinion", "legal_reviewer", "admitted_at"
            )
        ),
        list(
            TopicOpinion.objects.order_by("pk").values_list(
                "pk", "unit", "agrees", "opinion", "given_by", "given_at"
            )
        ),
        TrailEvent.objects.count(),
        Notification.objects.count(),
    )


@contextmanager
def nothing_changes():
    before = world()
    yield
    assert world() == before


class Build:
    """Topics at each stage: unit A (市教育局) submits; unit B (市住建局) and, for two-unit
    coordination, unit A's own head are asked; 法律顾问 周律师 reviews."""

    def __init__(self, personas, units):
        self.p, self.u = personas, units
        self.lawyer = make_user("lvshi", "周律师", unit=units["office"], roles=[Role.SUPERVISOR])
        LegalAdviser.objects.create(user=self.lawyer)
        self.executive = MeetingType.objects.create(
            kind=MeetingType.Kind.EXECUTIVE,
            name="市政府常务会议",
            minutes_title="市政府常务会议纪要",
            default_presider=personas["leader"],
        )

    def who(self, name):
        return self.lawyer if name == "lawyer" else self.p[name]

    def submitted(self):
        return fresh(
            services.topic_submit(
                services.TopicSubmission(
                    title="关于调整全市中小学课后服务收费标准的请示",
                    meeting_type=self.executive,
                    reporting_leader=self.p["leader"],
                    summary="提请市政府常务会议审议课后服务收费标准调整方案。",
                ),
                actor=self.p["handler_a"],
            )
        )

    def coordinating(self, units=("b",)):
        topic = self.submitted()
        flow.coordinate(topic, actor=self.p["secretary"], units=[self.u[n] for n in units])
        return fresh(topic)

    def answered(self, agrees=True):
        topic = self.coordinating()
        flow.give_opinion(
            topic, actor=self.p["handler_b"], agrees=agrees, opinion="请明确资金来源。"
        )
        return fresh(topic)

    def in_legal_review(self):
        topic = self.answered()
        flow.finish_coordination(topic, actor=self.p["secretary"])
        return fresh(topic)

    def admitted(self):
        topic = self.in_legal_review()
        flow.legality_review(topic, actor=self.lawyer, outcome="legal", opinion="符合规定。")
        return fresh(topic)

    def returned(self):
        topic = self.in_legal_review()
        flow.legality_review(topic, actor=self.lawyer, outcome="illegal", opinion="缺少听证程序。")
        return fresh(topic)

    def withdrawn_while_coordinating(self):
        topic = self.coordinating()
        flow.withdraw(topic, actor=self.p["secretary"], reason="政策已调整。")
        return fresh(topic)

    def withdrawn(self):
        topic = self.submitted()
        flow.withdraw(topic, actor=self.p["handler_a"], reason="政策已调整。")
        return fresh(topic)


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


# --- (a) the allowed actor succeeds ------------------------------------------------------------


def test_a_unit_submits_a_topic(build, personas, units):
    topic = build.submitted()
    assert (topic.state, topic.submitting_unit, topic.submitted_by) == (
        S.SUBMITTED,
        units["a"],
        personas["handler_a"],
    )
    assert events(topic, "submit_topic").get().actor == personas["handler_a"]


def test_submitting_needs_a_leader_to_report_and_a_unit_role(build, personas):
    data = services.TopicSubmission(
        title="关于某事项的请示",
        meeting_type=build.executive,
        reporting_leader=personas["handler_b"],
        summary="说明。",
    )
    with pytest.raises(ValidationError, match="汇报领导须为市政府领导"):
        services.topic_submit(data, actor=personas["handler_a"])
    with pytest.raises(ValidationError, match="只有承办单位人员或秘书可以提请议题"):
        services.topic_submit(data, actor=personas["leader"])
    assert not Topic.objects.exists()


def test_coordinate_asks_each_concerned_unit(build, personas, units):
    topic = build.coordinating(units=("b", "a"))
    assert topic.state == S.COORDINATING
    assert_step(
        topic,
        "coordinate",
        personas["secretary"],
        ("已提交", "会前协调中"),
        "征求意见：市住建局、市教育局",
    )
    assert {o.unit for o in topic.opinions.all()} == {units["a"], units["b"]}
    assert told(personas["handler_b"], topic, "请反馈会前协调意见")
    assert told(personas["head_a"], topic, "请反馈会前协调意见")


def test_give_opinion_records_the_units_answer_and_tells_the_secretaries_when_all_are_in(
    build, personas
):
    topic = build.coordinating(units=("b", "a"))
    flow.give_opinion(topic, actor=personas["handler_b"], agrees=False, opinion="资金来源不明。")
    assert_step(
        topic,
        "give_opinion",
        personas["handler_b"],
        ("会前协调中", "会前协调中"),
        "不同意。资金来源不明。",
    )
    assert not told(personas["secretary"], topic, "协调意见已齐")
    flow.give_opinion(topic, actor=personas["head_a"], agrees=True, opinion="")
    mine = topic.opinions.get(unit=build.u["b"])
    assert (mine.agrees, mine.opinion, mine.given_by) == (
        False,
        "资金来源不明。",
        personas["handler_b"],
    )
    assert told(personas["secretary"], topic, "协调意见已齐")


def test_finish_coordination_records_disagreements_and_asks_the_legal_adviser(build, personas):
    topic = build.answered(agrees=False)
    with nothing_changes(), pytest.raises(ValidationError, match="如实记录分歧意见"):
        flow.finish_coordination(topic, actor=personas["secretary"])
    flow.finish_coordination(
        topic, actor=personas["secretary"], disagreements="市住建局认为资金来源不明，提请会议研究。"
    )
    topic = fresh(topic)
    assert topic.state == S.LEGAL_REVIEW and topic.disagreements.startswith("市住建局")
    assert_step(
        topic,
        "finish_coordination",
        personas["secretary"],
        ("会前协调中", "合法性审查中"),
        "市住建局认为资金来源不明，提请会议研究。",
    )
    assert told(build.lawyer, topic, "请进行合法性审查")


def test_finish_coordination_waits_for_every_unit(build, personas):
    topic = build.coordinating()
    with nothing_changes(), pytest.raises(ValidationError, match="市住房和城乡建设局尚未反馈"):
        flow.finish_coordination(topic, actor=personas["secretary"])


@pytest.mark.parametrize(
    "outcome, label", [("legal", "合法"), ("legal_after_changes", "修改后合法")]
)
def test_admit_puts_a_reviewed_topic_in_the_pool(build, personas, outcome, label):
    topic = build.in_legal_review()
    flow.legality_review(topic, actor=build.lawyer, outcome=outcome, opinion="符合规定。")
    topic = fresh(topic)
    assert (topic.state, topic.legal_opinion, topic.legal_reviewer) == (
        S.ADMITTED,
        outcome,
        build.lawyer,
    )
    assert topic.admitted_at is not None
    assert_step(
        topic, "admit", build.lawyer, ("合法性审查中", "已入议题库"), f"{label}：符合规定。"
    )
    assert told(personas["secretary"], topic, "议题已入议题库")
    assert flow.missing_for_agenda(topic) == []


def test_return_illegal_sends_it_back_and_resubmit_starts_again(build, personas):
    topic = build.returned()
    assert (topic.state, topic.legal_opinion) == (S.RETURNED, "illegal")
    assert_step(
        topic,
        "return_illegal",
        build.lawyer,
        ("合法性审查中", "退回修改"),
        "不合法：缺少听证程序。",
    )
    assert told(personas["handler_a"], topic, "未通过合法性审查")
    flow.resubmit(topic, actor=personas["handler_a"])
    topic = fresh(topic)
    assert (topic.state, topic.legal_opinion, topic.disagreements) == (S.SUBMITTED, "", "")
    assert not topic.opinions.exists()
    assert_step(topic, "resubmit", personas["handler_a"], ("退回修改", "已提交"), "")


@pytest.mark.parametrize(
    "stage", ["submitted", "coordinating", "in_legal_review", "admitted", "returned"]
)
def test_withdraw_before_a_meeting(build, personas, stage):
    topic = getattr(build, stage)()
    label = topic.get_state_display()
    flow.withdraw(topic, actor=personas["secretary"], reason="政策已调整。")
    assert fresh(topic).state == S.WITHDRAWN
    assert_step(topic, "withdraw", personas["secretary"], (label, "已撤回"), "政策已调整。")


# --- 不成熟不上会 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stage, missing",
    [
        ("submitted", ["尚未完成会前协调", "尚未通过合法性审查"]),
        ("coordinating", ["尚未完成会前协调", "尚未通过合法性审查"]),
        ("in_legal_review", ["尚未通过合法性审查"]),
        ("returned", ["尚未完成会前协调", "尚未通过合法性审查"]),
        ("admitted", []),
        ("withdrawn", ["议题当前状态为“已撤回”"]),
    ],
)
def test_only_a_topic_that_passed_both_may_go_on_an_agenda(build, stage, missing):
    assert flow.missing_for_agenda(getattr(build, stage)()) == missing


# --- (b) the wrong state changes nothing ------------------------------------------------------


def step(name, actor, **kwargs):
    def call(b, topic):
        return getattr(flow, name)(topic, actor=b.who(actor), **kwargs)

    return call


WRONG_STATE = [
    P(
        "coordinating",
        step("coordinate", "secretary", units=()),
        "会前协调中",
        "会前协调",
        id="coordinate-again",
    ),
    P(
        "withdrawn_while_coordinating",
        step("give_opinion", "handler_b", agrees=True, opinion=""),
        "已撤回",
        "反馈协调意见",
        id="give_opinion-late",
    ),
    P(
        "in_legal_review",
        step("finish_coordination", "secretary"),
        "合法性审查中",
        "协调完毕，送合法性审查",
        id="finish-again",
    ),
    P(
        "coordinating",
        step("legality_review", "lawyer", outcome="legal", opinion="合法。"),
        "会前协调中",
        "审查通过，入议题库",
        id="admit-early",
    ),
    P(
        "admitted",
        step("legality_review", "lawyer", outcome="illegal", opinion="不合法。"),
        "已入议题库",
        "审查不通过，退回",
        id="return-after-admit",
    ),
    P(
        "admitted",
        step("resubmit", "handler_a"),
        "已入议题库",
        "修改后重新提交",
        id="resubmit-admitted",
    ),
    P(
        "withdrawn",
        step("withdraw", "secretary", reason="再撤一次。"),
        "已撤回",
        "撤回",
        id="withdraw-again",
    ),
]


@pytest.mark.parametrize("stage, act, state_label, step_label", WRONG_STATE)
def test_wrong_state_is_refused_and_changes_nothing(build, stage, act, state_label, step_label):
    topic = getattr(build, stage)()
    if stage == "coordinating" and step_label == "会前协调":
        act = step("coordinate", "secretary", units=[build.u["b"]])
    with (
        nothing_changes(),
        pytest.raises(
            InvalidTransition, match=f"当前状态为“{state_label}”，不能执行“{step_label}”"
        ),
    ):
        act(build, topic)


# --- (c) who may not, changes nothing ----------------------------------------------------------

FORBIDDEN = [
    P(
        "submitted",
        lambda b, t: flow.coordinate(t, actor=b.p["handler_a"], units=[b.u["b"]]),
        id="coordinate-unit",
    ),
    P(
        "submitted",
        lambda b, t: flow.coordinate(t, actor=b.p["leader"], units=[b.u["b"]]),
        id="coordinate-leader",
    ),
    P(
        "coordinating",
        step("give_opinion", "handler_a", agrees=True, opinion=""),
        id="opinion-unit-not-asked",
    ),
    P(
        "coordinating",
        step("give_opinion", "secretary", agrees=True, opinion=""),
        id="opinion-secretary",
    ),
    P("answered", step("finish_coordination", "handler_a"), id="finish-unit"),
    P(
        "in_legal_review",
        step("legality_review", "secretary", outcome="legal", opinion="合法。"),
        id="admit-secretary",
    ),
    P(
        "in_legal_review",
        step("legality_review", "leader", outcome="illegal", opinion="不合法。"),
        id="return-leader",
    ),
    P("returned", step("resubmit", "handler_b"), id="resubmit-other-unit"),
    P("submitted", step("withdraw", "handler_b", reason="不要了。"), id="withdraw-other-unit"),
    P("submitted", step("withdraw", "leader", reason="不要了。"), id="withdraw-leader"),
]


@pytest.mark.parametrize("stage, act", FORBIDDEN)
def test_unauthorised_user_is_refused_and_nothing_changes(build, stage, act):
    topic = getattr(build, stage)()
    with nothing_changes(), pytest.raises(PermissionDenied, match="您无权执行"):
        act(build, topic)


def test_an_inactive_legal_adviser_may_not_review(build):
    topic = build.in_legal_review()
    LegalAdviser.objects.update(is_active=False)
    with nothing_changes(), pytest.raises(PermissionDenied):
        flow.legality_review(topic, actor=build.lawyer, outcome="legal", opinion="合法。")


def test_refusals_without_required_words(build, personas):
    topic = build.coordinating()
    with nothing_changes(), pytest.raises(ValidationError, match="不同意时须写明理由"):
        flow.give_opinion(topic, actor=personas["handler_b"], agrees=False, opinion=" ")
    topic = build.in_legal_review()
    with nothing_changes(), pytest.raises(ValidationError, match="请填写合法性审查意见"):
        flow.legality_review(topic, actor=build.lawyer, outcome="legal", opinion="")
    fresh_topic = build.submitted()
    with nothing_changes(), pytest.raises(ValidationError, match="请选择需要征求意见的单位"):
        flow.coordinate(fresh_topic, actor=personas["secretary"], units=[])


# --- two people of one unit answer at once ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_of_one_unit_answer_at_once_and_one_answer_counts(personas, units):
    build = Build(personas, units)
    head_b = make_user("fuzeren_b", "吴局长", unit=units["b"], roles=[Role.UNIT_HEAD])
    topic = build.coordinating()

    def answer(user):
        try:
            flow.give_opinion(fresh(topic), actor=user, agrees=True, opinion="同意。")
        except InvalidTransition:
            return "refused"
        return "answered"

    people, lock = [personas["handler_b"], head_b], threading.Lock()

    def one_of_them():
        with lock:
            return people.pop()

    outcomes = race(lambda: answer(one_of_them()), 2)
    assert sorted(outcomes) == ["answered", "refused"]
    assert events(topic, "give_opinion").count() == 1
