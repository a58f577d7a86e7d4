"""收文办理's two state machines (documents/workflow.py), transition by transition.

STYLE.md "Workflows": every transition has four tests — the allowed actor succeeds and leaves a
trail row (and whoever acts next is told); the wrong state raises InvalidTransition; an
unauthorised user gets PermissionDenied (403); a user who cannot see the document gets 404 from
the selector every view fetches through. Then the rules of 条例 art. 24 that live in the
workflow: rounds of leaders, units chosen by the leaders, required texts, default deadlines by
urgency (办文办事限时制), co-units' opinions, and two people acting at once.

Documents are built through the services and transitions, as the office builds them.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from documents import permissions as can
from documents import services, workflow
from documents.models import Assignment, Circulation, IncomingDocument, LeaderInstruction
from documents.selectors import incoming_get_or_404
from office.calendar import add_working_days
from office.models import Clearance, Notification, SerialNumber, TrailEvent, Urgency
from office.roles import Role
from office.workflow import InvalidTransition
from tests.concurrency import race
from tests.conftest import make_user
from tests.documents.conftest import registration
from tests.steps import assert_step, events, fresh, told

S = IncomingDocument.State
A = Assignment.State


# --- helpers ----------------------------------------------------------------------------------


def world():
    """Everything a refused step must leave exactly as it was."""
    return (
        list(
            IncomingDocument.objects.order_by("pk").values_list(
                "pk", "state", "lead_unit", "deadline", "proposed_lead_unit", "return_reason"
            )
        ),
        list(
            Assignment.objects.order_by("pk").values_list(
                "pk", "state", "handler", "result", "hand_back_reason"
            )
        ),
        list(
            LeaderInstruction.objects.order_by("pk").values_list(
                "pk", "instructed_at", "instruction", "to_supervise"
            )
        ),
        list(Circulation.objects.order_by("pk").values_list("pk", "read_at", "remark")),
        TrailEvent.objects.count(),
        Notification.objects.count(),
        SerialNumber.objects.count(),
    )


@contextmanager
def nothing_changes():
    before = world()
    yield
    assert world() == before


def step(name, actor, **kwargs):
    """`workflow.<name>(target, actor=…, **kwargs)` with the actor, units ("a", "b") and leaders
    ("l1") given by name and looked up in the Build when the step runs."""

    def call(b, target):
        values = {key: b.resolve(key, value) for key, value in kwargs.items()}
        return getattr(workflow, name)(target, actor=b.who(actor), **values)

    return call


def engine(name, actor):
    """The transition table itself, for the transitions reached only through another step
    (conclude_instructions, reassign, submit_for_completion, reopen)."""

    def call(b, target):
        machine = workflow.ASSIGNMENT if isinstance(target, Assignment) else workflow.DOCUMENT
        return machine.perform(target, name, actor=b.who(actor))

    return call


P = pytest.param


class Build:
    """Documents and handling units' parts at each stage, built step by step as the office does.
    Besides the personas: leaders l1 李副市长 (the persona), l2 张秘书长 and l3 陈副市长, and
    head_b 吴局长, head of unit B."""

    def __init__(self, personas, units, *, secretary=None, **defaults):
        self.p, self.u = personas, units
        self.l1 = personas["leader"]
        self.l2 = make_user(
            "lingdao2",
            "张秘书长",
            unit=units["government"],
            roles=[Role.LEADER],
            clearance=Clearance.TOP_SECRET,
        )
        self.l3 = make_user(
            "lingdao3",
            "陈副市长",
            unit=units["government"],
            roles=[Role.LEADER],
            clearance=Clearance.TOP_SECRET,
        )
        self.head_b = make_user("fuzeren_b", "吴局长", unit=units["b"], roles=[Role.UNIT_HEAD])
        self.secretary = secretary or personas["secretary"]
        self.defaults = defaults  # registration fields for every document built

    def who(self, name):
        extra = {"secretary": self.secretary, "l1": self.l1, "l2": self.l2, "l3": self.l3}
        extra["head_b"] = self.head_b
        return extra.get(name) or self.p[name]

    def resolve(self, key, value):
        """Units and people named in a step's arguments ("a", ["l1", "l2"])."""
        if key == "lead_unit":
            return value and self.u[value]
        if key == "co_units":
            return [self.u[name] for name in value]
        if key in ("leaders", "further_leaders"):
            return [self.who(name) for name in value]
        return value

    def part(self, document, unit="a"):
        return (
            Assignment.objects.select_related("document", "unit")
            .exclude(state=A.WITHDRAWN)
            .get(document=document, unit=self.u[unit])
        )

    # the document

    def registered(self, **fields):
        data = registration(**{**self.defaults, **fields})
        # Stages are built from the same typical document: each registration is confirmed.
        return fresh(
            services.incoming_register(data, actor=self.secretary, confirmed_duplicate=True)
        )

    def registered_reading(self):
        return self.registered(kind="reading")

    def returned(self):
        doc = self.registered()
        workflow.return_to_sender(doc, actor=self.secretary, reason="不属于本机关办理范围。")
        return fresh(doc)

    def accepted(self, **fields):
        doc = self.registered(**fields)
        workflow.screen(doc, actor=self.secretary)
        return fresh(doc)

    def accepted_reading(self):
        return self.accepted(kind="reading")

    def instructing(self, leaders=None, *, parallel=False, lead_unit=None, co_units=(), **fields):
        doc = self.accepted(**fields)
        workflow.propose_handling(
            doc,
            actor=self.secretary,
            opinion="拟请领导阅示。",
            leaders=leaders or [self.l1],
            parallel=parallel,
            lead_unit=lead_unit,
            co_units=co_units,
        )
        return fresh(doc)

    def instructing_ordered(self):
        return self.instructing([self.l1, self.l2])

    def instructing_parallel(self):
        return self.instructing([self.l1, self.l2], parallel=True)

    def instructed(self):
        doc = self.instructing()
        workflow.instruct(doc, actor=self.l1, instruction="请秘书科研究分办。")
        return fresh(doc)

    def handling(self, *, co_units=(), **fields):
        doc = self.accepted(**fields)
        workflow.assign(doc, actor=self.secretary, lead_unit=self.u["a"], co_units=co_units)
        return fresh(doc)

    def handling_with_co(self):
        return self.handling(co_units=[self.u["b"]])

    def handling_with_pending_instruction(self):
        """A document in handling with a leader's instruction row still open (the services no
        longer let a secretary assign past a pending instruction; older data may hold one)."""
        doc = self.handling()
        LeaderInstruction.objects.create(document=doc, leader=self.l1, requested_by=self.secretary)
        return fresh(doc)

    def awaiting_completion(self):
        part = self.submitted_part()
        workflow.approve(part, actor=self.p["head_a"], opinion="同意上报。")
        return fresh(part.document)

    def completed(self):
        doc = self.awaiting_completion()
        workflow.complete(doc, actor=self.secretary, opinion="同意办结。")
        return fresh(doc)

    def archived(self):
        doc = self.completed()
        workflow.archive(doc, actor=self.secretary)
        return fresh(doc)

    def circulating(self, leaders=None, *, parallel=False):
        doc = self.accepted_reading()
        workflow.circulate(
            doc, actor=self.secretary, leaders=leaders or [self.l1], parallel=parallel
        )
        return fresh(doc)

    def circulating_ordered(self):
        return self.circulating([self.l1, self.l2])

    def circulating_parallel(self):
        return self.circulating([self.l1, self.l2], parallel=True)

    def finished_early(self):
        """A 阅件 whose circulation the secretary ended before 李副市长 read it."""
        doc = self.circulating()
        workflow.finish_circulation(doc, actor=self.secretary, opinion="领导出差，传阅结束。")
        return fresh(doc)

    # the lead unit's part (unit A) and a co-unit's part (unit B)

    def assigned_part(self):
        return self.part(self.handling())

    def accepted_part(self):
        part = self.assigned_part()
        workflow.accept(part, actor=self.p["handler_a"])
        return fresh(part)

    def submitted_part(self):
        part = self.accepted_part()
        workflow.submit(part, actor=self.p["handler_a"], result="已完成排查整改。")
        return fresh(part)

    def approved_part(self):
        return self.part(self.awaiting_completion())

    def hand_back_requested(self):
        part = self.accepted_part()
        workflow.request_hand_back(part, actor=self.p["handler_a"], reason="不属于我局职责。")
        return fresh(part)

    def accepted_co_part(self):
        part = self.part(self.handling_with_co(), "b")
        workflow.accept(part, actor=self.p["handler_b"])
        return fresh(part)


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


# --- (a) the allowed actor succeeds, with its trail row; whoever acts next is told -------------


class TestDocumentSteps:
    def test_screen(self, build):
        doc = build.registered()
        workflow.screen(doc, actor=build.secretary, opinion="属本机关办理范围。", ip="10.0.0.8")
        assert fresh(doc).state == S.ACCEPTED
        assert_step(doc, "screen", build.secretary, ("待初审", "待拟办"), "属本机关办理范围。")
        assert events(doc, "screen").get().ip == "10.0.0.8"

    @pytest.mark.parametrize("stage, label", [("registered", "待初审"), ("accepted", "待拟办")])
    def test_return_to_sender_keeps_the_reason(self, build, stage, label):
        doc = getattr(build, stage)()
        workflow.return_to_sender(doc, actor=build.secretary, reason=" 请径送市住建局。 ")
        doc = fresh(doc)
        assert doc.state == S.RETURNED and doc.return_reason == "请径送市住建局。"
        assert_step(doc, "return_to_sender", build.secretary, (label, "已退文"), "请径送市住建局。")

    def test_propose_handling_to_leaders_in_order(self, build, units):
        doc = build.accepted()
        opinion = "拟请李副市长、张秘书长阅示，由市教育局主办。"
        workflow.propose_handling(
            doc,
            actor=build.secretary,
            opinion=opinion,
            leaders=[build.l1, build.l2],
            lead_unit=units["a"],
            co_units=[units["b"]],
        )
        doc = fresh(doc)
        assert doc.state == S.INSTRUCTING
        assert (doc.proposed_handling, doc.proposed_by, doc.proposed_lead_unit) == (
            opinion,
            build.secretary,
            units["a"],
        )
        assert list(doc.proposed_co_units.all()) == [units["b"]]
        assert [(i.leader, i.sequence) for i in doc.instructions.all()] == [
            (build.l1, 1),
            (build.l2, 2),
        ]
        assert_step(doc, "propose_handling", build.secretary, ("待拟办", "待批示"), opinion)
        assert told(build.l1, doc, "请批示") and not told(build.l2, doc, "请批示")

    def test_propose_handling_to_leaders_at_once(self, build):
        doc = build.accepted()
        workflow.propose_handling(
            doc,
            actor=build.secretary,
            opinion="拟请两位领导阅示。",
            leaders=[build.l1, build.l2],
            parallel=True,
        )
        doc = fresh(doc)
        assert [(i.leader, i.sequence) for i in doc.instructions.all()] == [
            (build.l1, 1),
            (build.l2, 1),
        ]
        assert told(build.l1, doc, "请批示") and told(build.l2, doc, "请批示")

    def test_instruct_passes_the_turn_to_the_next_leader(self, build):
        doc = build.instructing_ordered()
        workflow.instruct(doc, actor=build.l1, instruction="请张秘书长阅处。", to_supervise=True)
        doc = fresh(doc)
        assert doc.state == S.INSTRUCTING
        mine = doc.instructions.get(leader=build.l1)
        assert mine.instruction == "请张秘书长阅处。" and mine.instructed_at and mine.to_supervise
        assert_step(doc, "instruct", build.l1, ("待批示", "待批示"), "请张秘书长阅处。")
        assert told(build.l2, doc, "请批示")
        assert [i.leader for i in can.current_instructions(doc)] == [build.l2]

    def test_the_last_instruction_sends_it_to_the_proposed_units(self, build, personas, units):
        doc = build.instructing(lead_unit=units["a"], co_units=[units["b"]])
        workflow.instruct(doc, actor=build.l1, instruction="请市教育局牵头，市住建局配合。")
        doc = fresh(doc)
        assert doc.state == S.HANDLING and doc.lead_unit == units["a"]
        assert sorted((a.unit.short_name, a.role) for a in doc.assignments.all()) == [
            ("市住建局", "co"),
            ("市教育局", "lead"),
        ]
        assert_step(
            doc, "instruct", build.l1, ("待批示", "待批示"), "请市教育局牵头，市住建局配合。"
        )
        assert_step(
            doc,
            "assign",
            build.l1,
            ("待批示", "承办中"),
            "主办：珠海市教育局；协办：珠海市住房和城乡建设局",
        )
        assert told(personas["handler_a"], doc, "新交办（主办）")
        assert told(personas["handler_b"], doc, "新交办（协办）")

    def test_conclude_instructions_without_units_goes_to_the_secretary(self, build):
        doc = build.instructing()
        workflow.instruct(doc, actor=build.l1, instruction="请秘书科研究提出分办意见。")
        doc = fresh(doc)
        assert doc.state == S.INSTRUCTED and not doc.assignments.exists()
        assert_step(doc, "conclude_instructions", build.l1, ("待批示", "待分办"), "")
        assert told(build.secretary, doc, "领导已批示，请分办")

    @pytest.mark.parametrize(
        "stage, label, actor",
        [
            ("accepted", "待拟办", "secretary"),
            ("instructed", "待分办", "secretary"),
            ("instructed", "待分办", "l1"),  # the leader who instructed
        ],
    )
    def test_assign(self, build, personas, units, stage, label, actor):
        doc, who = getattr(build, stage)(), build.who(actor)
        deadline = add_working_days(timezone.localdate(), 5)
        workflow.assign(
            doc,
            actor=who,
            lead_unit=units["a"],
            co_units=[units["b"]],
            deadline=deadline,
            opinion="请按期办结。",
        )
        doc = fresh(doc)
        assert (doc.state, doc.lead_unit, doc.deadline) == (S.HANDLING, units["a"], deadline)
        assert sorted(
            (a.unit.short_name, a.role, a.state, a.deadline, a.assigned_by)
            for a in doc.assignments.all()
        ) == [
            ("市住建局", "co", A.ASSIGNED, deadline, who),
            ("市教育局", "lead", A.ASSIGNED, deadline, who),
        ]
        assert_step(doc, "assign", who, (label, "承办中"), "请按期办结。")
        assert told(personas["handler_a"], doc, "新交办（主办）")
        assert told(personas["handler_b"], doc, "新交办（协办）")

    def test_reassign_when_the_lead_unit_hands_it_back(self, build, personas):
        part = build.hand_back_requested()
        workflow.grant_hand_back(part, actor=build.secretary, opinion="同意退回。")
        doc = fresh(part.document)
        assert (doc.state, doc.lead_unit, doc.deadline) == (S.INSTRUCTED, None, None)
        assert fresh(part).state == A.WITHDRAWN
        assert_step(
            part, "grant_hand_back", build.secretary, ("申请退回", "已退回重新分办"), "同意退回。"
        )
        assert_step(
            doc,
            "reassign",
            build.secretary,
            ("承办中", "待分办"),
            "珠海市教育局退回：不属于我局职责。",
        )
        assert told(personas["handler_a"], doc, "退回申请已同意")

    def test_submit_for_completion_when_the_lead_units_head_approves(self, build, personas):
        part, head = build.submitted_part(), personas["head_a"]
        workflow.approve(part, actor=head, opinion="同意上报。")
        doc = fresh(part.document)
        assert doc.state == S.AWAITING_COMPLETION
        assert (fresh(part).state, fresh(part).approved_by) == (A.APPROVED, head)
        assert_step(part, "approve", head, ("待单位审核", "已办结"), "同意上报。")
        assert_step(doc, "submit_for_completion", head, ("承办中", "待办结"), "")
        assert told(build.secretary, doc, "请确认办结")

    def test_return_result_reopens_the_lead_units_part(self, build, personas):
        doc = build.awaiting_completion()
        workflow.return_result(doc, actor=build.secretary, opinion="请补充整改台账。")
        doc, part = fresh(doc), build.part(doc)
        assert (doc.state, part.state) == (S.HANDLING, A.ACCEPTED)
        assert_step(doc, "return_result", build.secretary, ("待办结", "承办中"), "请补充整改台账。")
        assert_step(part, "reopen", build.secretary, ("已办结", "办理中"), "请补充整改台账。")
        assert told(personas["handler_a"], doc, "办理结果被退回")
        # the unit completes its part again and it comes back to the secretary
        workflow.submit(part, actor=personas["handler_a"], result="已补充整改台账。")
        workflow.approve(part, actor=personas["head_a"])
        assert fresh(doc).state == S.AWAITING_COMPLETION

    def test_complete(self, build, personas):
        doc = build.awaiting_completion()
        workflow.complete(doc, actor=build.secretary, opinion="同意办结。")
        doc = fresh(doc)
        assert (doc.state, doc.completed_on, doc.completed_by) == (
            S.COMPLETED,
            timezone.localdate(),
            build.secretary,
        )
        assert not doc.completed_late
        assert_step(doc, "complete", build.secretary, ("待办结", "已办结"), "同意办结。")
        assert told(personas["handler_a"], doc, "已办结")

    def test_circulate_in_order(self, build):
        doc = build.accepted_reading()
        workflow.circulate(
            doc, actor=build.secretary, leaders=[build.l1, build.l2], opinion="请领导阅知。"
        )
        doc = fresh(doc)
        assert doc.state == S.CIRCULATING
        assert [(c.leader, c.sequence) for c in doc.circulations.all()] == [
            (build.l1, 1),
            (build.l2, 2),
        ]
        assert_step(doc, "circulate", build.secretary, ("待拟办", "传阅中"), "请领导阅知。")
        assert told(build.l1, doc, "请阅") and not told(build.l2, doc, "请阅")

    def test_circulate_to_all_at_once_names_them_in_the_trail(self, build):
        doc = build.accepted_reading()
        workflow.circulate(doc, actor=build.secretary, leaders=[build.l1, build.l2], parallel=True)
        doc = fresh(doc)
        assert [c.sequence for c in doc.circulations.all()] == [1, 1]
        assert_step(
            doc, "circulate", build.secretary, ("待拟办", "传阅中"), "传阅：李副市长、张秘书长"
        )
        assert told(build.l1, doc, "请阅") and told(build.l2, doc, "请阅")

    def test_initial_passes_it_on_and_the_last_reader_completes_it(self, build):
        doc = build.circulating_ordered()
        workflow.initial(doc, actor=build.l1, remark=" 阅。 ")
        doc = fresh(doc)
        assert doc.state == S.CIRCULATING
        mine = doc.circulations.get(leader=build.l1)
        assert mine.read_at and mine.remark == "阅。"
        assert_step(doc, "initial", build.l1, ("传阅中", "传阅中"), "阅。")
        assert told(build.l2, doc, "请阅")
        workflow.initial(doc, actor=build.l2)
        doc = fresh(doc)
        assert (doc.state, doc.completed_by) == (S.COMPLETED, build.l2)
        assert_step(doc, "finish_circulation", build.l2, ("传阅中", "已办结"), "")
        assert told(build.secretary, doc, "传阅完毕")

    def test_finish_circulation_early_names_who_has_not_read_it(self, build):
        doc = build.circulating_ordered()
        workflow.initial(doc, actor=build.l1)
        workflow.finish_circulation(doc, actor=build.secretary)
        doc = fresh(doc)
        assert (doc.state, doc.completed_on) == (S.COMPLETED, timezone.localdate())
        assert_step(
            doc, "finish_circulation", build.secretary, ("传阅中", "已办结"), "未圈阅：张秘书长"
        )
        assert told(build.secretary, doc, "传阅完毕")

    @pytest.mark.parametrize("stage, label", [("completed", "已办结"), ("returned", "已退文")])
    def test_archive(self, build, stage, label):
        doc = getattr(build, stage)()
        workflow.archive(doc, actor=build.secretary)
        doc, today = fresh(doc), timezone.localdate()
        number = f"{today.year}-0001"
        assert (doc.state, doc.archive_number, doc.archived_on, doc.archived_by) == (
            S.ARCHIVED,
            number,
            today,
            build.secretary,
        )
        assert_step(doc, "archive", build.secretary, (label, "已归档"), f"归档号 {number}")


class TestAssignmentSteps:
    def test_accept(self, build, personas):
        part, handler = build.assigned_part(), personas["handler_a"]
        workflow.accept(part, actor=handler)
        part = fresh(part)
        assert (part.state, part.handler) == (A.ACCEPTED, handler) and part.accepted_at
        assert_step(part, "accept", handler, ("待接收", "办理中"), "")

    def test_submit(self, build, personas):
        part, handler = build.accepted_part(), personas["handler_a"]
        workflow.submit(part, actor=handler, result=" 已全面排查整改。 ")
        part = fresh(part)
        assert (part.state, part.result) == (A.SUBMITTED, "已全面排查整改。") and part.submitted_at
        assert_step(part, "submit", handler, ("办理中", "待单位审核"), "已全面排查整改。")
        assert told(personas["head_a"], part.document, "请审核办理结果")

    def test_approving_a_co_units_opinion_tells_the_lead_unit(self, build, personas):
        co = build.accepted_co_part()
        workflow.submit(co, actor=personas["handler_b"], result="同意市教育局的意见。")
        workflow.approve(co, actor=build.head_b, opinion="同意。")
        doc = fresh(co.document)
        assert fresh(co).state == A.APPROVED
        assert doc.state == S.HANDLING  # only the lead unit's result ends the handling
        assert_step(co, "approve", build.head_b, ("待单位审核", "已办结"), "同意。")
        assert not events(doc, "submit_for_completion").exists()
        assert told(personas["handler_a"], doc, "市住建局的协办意见已送达")

    def test_reject(self, build, personas):
        part = build.submitted_part()
        workflow.reject(part, actor=personas["head_a"], opinion="请补充整改照片。")
        assert fresh(part).state == A.ACCEPTED
        assert_step(
            part, "reject", personas["head_a"], ("待单位审核", "办理中"), "请补充整改照片。"
        )
        assert told(personas["handler_a"], part.document, "被退回修改")

    @pytest.mark.parametrize(
        "stage, label, actor",
        [
            ("assigned_part", "待接收", "handler_a"),
            ("accepted_part", "办理中", "handler_a"),
            ("assigned_part", "待接收", "head_a"),
        ],
    )
    def test_request_hand_back(self, build, stage, label, actor):
        part, who = getattr(build, stage)(), build.who(actor)
        workflow.request_hand_back(part, actor=who, reason="不属于我局职责，建议由市住建局办理。")
        part = fresh(part)
        assert (part.state, part.hand_back_reason) == (
            A.HAND_BACK_REQUESTED,
            "不属于我局职责，建议由市住建局办理。",
        )
        assert_step(
            part,
            "request_hand_back",
            who,
            (label, "申请退回"),
            "不属于我局职责，建议由市住建局办理。",
        )
        assert told(build.secretary, part.document, "申请退回重新分办")

    def test_grant_hand_back_of_a_co_unit_leaves_the_document_with_the_lead_unit(
        self, build, personas, units
    ):
        doc = build.handling_with_co()
        co = build.part(doc, "b")
        workflow.request_hand_back(co, actor=personas["handler_b"], reason="与我局职责无关。")
        workflow.grant_hand_back(co, actor=build.secretary, opinion="同意。")
        doc = fresh(doc)
        assert fresh(co).state == A.WITHDRAWN
        assert (doc.state, doc.lead_unit) == (S.HANDLING, units["a"])
        assert_step(
            co, "grant_hand_back", build.secretary, ("申请退回", "已退回重新分办"), "同意。"
        )
        assert not events(doc, "reassign").exists()
        assert told(personas["handler_b"], doc, "退回申请已同意")

    def test_refuse_hand_back(self, build, personas):
        part = build.hand_back_requested()
        opinion = "属于你局职责，请继续办理。"
        workflow.refuse_hand_back(part, actor=build.secretary, opinion=opinion)
        assert fresh(part).state == A.ACCEPTED
        assert_step(part, "refuse_hand_back", build.secretary, ("申请退回", "办理中"), opinion)
        assert told(personas["handler_a"], part.document, "退回申请未同意")

    # reopen: see TestDocumentSteps.test_return_result_reopens_the_lead_units_part


# --- (b) the wrong state raises InvalidTransition and changes nothing --------------------------


WRONG_STATE = [  # stage, step, the state's label, the transition's label
    P("accepted", step("screen", "secretary"), "待拟办", "初审通过", id="screen"),
    P(
        "handling",
        step("return_to_sender", "secretary", reason="不属本机关办理。"),
        "承办中",
        "退文",
        id="return_to_sender",
    ),
    P(
        "registered",
        step("propose_handling", "secretary", opinion="拟请领导阅示。", leaders=["l1"]),
        "待初审",
        "拟办",
        id="propose_handling",
    ),
    P(
        "handling_with_pending_instruction",
        step("instruct", "l1", instruction="同意。"),
        "承办中",
        "批示",
        id="instruct",
    ),
    P(
        "accepted",
        engine("conclude_instructions", "secretary"),
        "待拟办",
        "批示完毕，转分办",
        id="conclude_instructions",
    ),
    P("registered", step("assign", "secretary", lead_unit="a"), "待初审", "交办", id="assign"),
    P("handling", step("assign", "secretary", lead_unit="b"), "承办中", "交办", id="assign-again"),
    P(
        "awaiting_completion",
        engine("reassign", "secretary"),
        "待办结",
        "退回重新分办",
        id="reassign",
    ),
    P(
        "awaiting_completion",
        engine("submit_for_completion", "head_a"),
        "待办结",
        "报请办结",
        id="submit_for_completion",
    ),
    P(
        "completed",
        step("return_result", "secretary", opinion="请补充。"),
        "已办结",
        "退回承办单位",
        id="return_result-completed",
    ),
    P(
        "handling",
        step("return_result", "secretary", opinion="请补充。"),
        "承办中",
        "退回承办单位",
        id="return_result-handling",
    ),
    P("handling", step("complete", "secretary"), "承办中", "办结", id="complete"),
    P(
        "registered_reading",
        step("circulate", "secretary", leaders=["l1"]),
        "待初审",
        "传阅",
        id="circulate",
    ),
    P("finished_early", step("initial", "l1", remark="阅。"), "已办结", "圈阅", id="initial"),
    P(
        "finished_early",
        step("finish_circulation", "secretary"),
        "已办结",
        "传阅完毕",
        id="finish_circulation",
    ),
    P("handling", step("archive", "secretary"), "承办中", "归档", id="archive"),
    P("accepted_part", step("accept", "handler_a"), "办理中", "接收", id="accept"),
    P(
        "assigned_part",
        step("submit", "handler_a", result="已办理。"),
        "待接收",
        "提交办理结果",
        id="submit",
    ),
    P("accepted_part", step("approve", "head_a"), "办理中", "审核通过", id="approve"),
    P(
        "accepted_part",
        step("reject", "head_a", opinion="请修改。"),
        "办理中",
        "退回修改",
        id="reject",
    ),
    P(
        "submitted_part",
        step("request_hand_back", "handler_a", reason="非我局职责。"),
        "待单位审核",
        "申请退回重新分办",
        id="request_hand_back",
    ),
    P(
        "accepted_part",
        step("grant_hand_back", "secretary"),
        "办理中",
        "同意退回",
        id="grant_hand_back",
    ),
    P(
        "accepted_part",
        step("refuse_hand_back", "secretary", opinion="请继续办理。"),
        "办理中",
        "不同意退回",
        id="refuse_hand_back",
    ),
    P("accepted_part", engine("reopen", "secretary"), "办理中", "退回重办", id="reopen"),
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


def test_archiving_in_the_wrong_state_takes_no_archive_number(build):
    with pytest.raises(InvalidTransition):
        workflow.archive(build.handling(), actor=build.secretary)
    doc = build.completed()
    workflow.archive(doc, actor=build.secretary)
    assert fresh(doc).archive_number == f"{timezone.localdate().year}-0001"


# --- (c) an unauthorised user gets PermissionDenied and nothing changes ------------------------

FORBIDDEN = [  # stage, step
    P("registered", step("screen", "handler_a"), id="screen-handler"),
    P("registered", step("screen", "l1"), id="screen-leader"),
    P("registered", step("screen", "outsider"), id="screen-outsider"),
    P("registered", step("return_to_sender", "l1", reason="不属本机关。"), id="return-leader"),
    P(
        "accepted",
        step("propose_handling", "l1", opinion="拟办。", leaders=["l1"]),
        id="propose_handling-leader",
    ),
    P(
        "accepted_reading",
        step("propose_handling", "secretary", opinion="拟办。", leaders=["l1"]),
        id="propose_handling-reading-document",
    ),
    P(
        "instructing_ordered",
        step("instruct", "l2", instruction="同意。"),
        id="instruct-second-round-too-early",
    ),
    P("instructing", step("instruct", "l3", instruction="同意。"), id="instruct-leader-not-asked"),
    P("instructing", step("instruct", "secretary", instruction="同意。"), id="instruct-secretary"),
    P("instructing", engine("conclude_instructions", "l2"), id="conclude-leader-not-asked"),
    P("instructing", engine("conclude_instructions", "handler_a"), id="conclude-handler"),
    P("accepted", step("assign", "handler_a", lead_unit="a"), id="assign-handler"),
    P("instructing", step("assign", "l2", lead_unit="a"), id="assign-leader-who-did-not-instruct"),
    P("accepted_reading", step("assign", "secretary", lead_unit="a"), id="assign-reading-document"),
    P("handling", engine("reassign", "head_a"), id="reassign-unit-head"),
    P(
        "submitted_part",
        step("approve", "secretary"),
        id="submit_for_completion-secretary-approving-a-units-result",
    ),
    P("handling", engine("submit_for_completion", "handler_a"), id="submit_for_completion-handler"),
    P(
        "awaiting_completion",
        step("return_result", "head_a", opinion="请补充。"),
        id="return_result-unit-head",
    ),
    P("awaiting_completion", step("complete", "head_a"), id="complete-unit-head"),
    P("awaiting_completion", step("complete", "l1"), id="complete-leader"),
    P("accepted_reading", step("circulate", "l1", leaders=["l1"]), id="circulate-leader"),
    P("accepted", step("circulate", "secretary", leaders=["l1"]), id="circulate-action-document"),
    P("circulating_ordered", step("initial", "l2"), id="initial-leader-whose-turn-it-is-not"),
    P("circulating", step("initial", "l3"), id="initial-leader-not-on-the-list"),
    P("circulating", step("initial", "secretary"), id="initial-secretary"),
    P("circulating", step("finish_circulation", "handler_a"), id="finish_circulation-handler"),
    P(
        "circulating_ordered",
        step("finish_circulation", "l2"),
        id="finish_circulation-leader-whose-turn-it-is-not",
    ),
    P("completed", step("archive", "l1"), id="archive-leader"),
    P("assigned_part", step("accept", "handler_b"), id="accept-other-units-handler"),
    P("assigned_part", step("accept", "secretary"), id="accept-secretary"),
    P(
        "accepted_part",
        step("submit", "handler_b", result="已办理。"),
        id="submit-other-units-handler",
    ),
    P("submitted_part", step("approve", "handler_a"), id="approve-the-units-own-handler"),
    P("submitted_part", step("approve", "head_b"), id="approve-other-units-head"),
    P("submitted_part", step("reject", "handler_a", opinion="请修改。"), id="reject-handler"),
    P(
        "accepted_part",
        step("request_hand_back", "handler_b", reason="非我局。"),
        id="request_hand_back-other-units-handler",
    ),
    P(
        "accepted_part",
        step("request_hand_back", "secretary", reason="非该局。"),
        id="request_hand_back-secretary",
    ),
    P("hand_back_requested", step("grant_hand_back", "handler_a"), id="grant_hand_back-handler"),
    P("hand_back_requested", step("grant_hand_back", "l1"), id="grant_hand_back-leader"),
    P(
        "hand_back_requested",
        step("refuse_hand_back", "head_a", opinion="请继续办理。"),
        id="refuse_hand_back-unit-head",
    ),
    P(
        "awaiting_completion",
        step("return_result", "handler_a", opinion="请补充。"),
        id="reopen-through-return_result-handler",
    ),
    P("approved_part", engine("reopen", "head_a"), id="reopen-unit-head"),
]


@pytest.mark.parametrize("stage, act", FORBIDDEN)
def test_unauthorised_user_is_refused_and_nothing_changes(build, stage, act):
    target = getattr(build, stage)()
    with nothing_changes(), pytest.raises(PermissionDenied, match="您无权执行"):
        act(build, target)


# --- (d) who cannot see the document gets 404 (every view fetches through the selector) --------

DOCUMENT_STAGES = [
    "registered",
    "returned",
    "accepted",
    "instructing",
    "instructed",
    "handling",
    "awaiting_completion",
    "completed",
    "archived",
    "circulating",
]
ASSIGNED_TO_A = {"handling", "awaiting_completion", "completed", "archived"}


@pytest.mark.parametrize("stage", DOCUMENT_STAGES)
def test_a_unit_that_was_not_assigned_the_document_gets_404(build, personas, stage):
    doc = getattr(build, stage)()
    for hidden in ("handler_b", "outsider", "sysadmin"):
        with pytest.raises(Http404):
            incoming_get_or_404(personas[hidden], doc.pk)
    assert incoming_get_or_404(personas["secretary"], doc.pk) == doc
    if stage in ASSIGNED_TO_A:
        assert incoming_get_or_404(personas["handler_a"], doc.pk) == doc
    else:
        with pytest.raises(Http404):
            incoming_get_or_404(personas["handler_a"], doc.pk)


@pytest.fixture
def confidential(personas, units):
    """Documents classified 机密, registered and routed by a secretary cleared for them."""
    cleared = make_user(
        "mishu2",
        "黄秘书",
        unit=units["secretariat"],
        roles=[Role.SECRETARY],
        clearance=Clearance.CONFIDENTIAL,
    )
    return Build(
        personas,
        units,
        secretary=cleared,
        classification=Clearance.CONFIDENTIAL,
        secrecy_period="10年",
    )


@pytest.mark.parametrize("stage", DOCUMENT_STAGES)
def test_a_document_above_the_users_clearance_gets_404(confidential, personas, stage):
    doc = getattr(confidential, stage)()
    assert doc.classification == Clearance.CONFIDENTIAL
    for below in ("secretary", "supervisor"):  # cleared for 秘密 only
        with pytest.raises(Http404):
            incoming_get_or_404(personas[below], doc.pk)
    assert incoming_get_or_404(confidential.secretary, doc.pk) == doc
    assert incoming_get_or_404(personas["leader"], doc.pk) == doc


# --- leaders: in order, all at once, and the ones they add ------------------------------------


def test_ordered_leaders_instruct_one_after_the_other(build, units):
    doc = build.instructing([build.l1, build.l2], lead_unit=units["a"])
    with pytest.raises(PermissionDenied):
        workflow.instruct(doc, actor=build.l2, instruction="同意。")
    workflow.instruct(doc, actor=build.l1, instruction="请张秘书长阅处。")
    assert fresh(doc).state == S.INSTRUCTING and not Assignment.objects.exists()
    workflow.instruct(doc, actor=build.l2, instruction="请市教育局办理。")
    doc = fresh(doc)
    assert (doc.state, doc.lead_unit) == (S.HANDLING, units["a"])


def test_parallel_leaders_instruct_in_any_order_and_it_moves_on_after_both(build, units):
    doc = build.instructing([build.l1, build.l2], parallel=True, lead_unit=units["a"])
    workflow.instruct(doc, actor=build.l2, instruction="同意。")
    assert fresh(doc).state == S.INSTRUCTING
    assert [i.leader for i in can.current_instructions(fresh(doc))] == [build.l1]
    workflow.instruct(doc, actor=build.l1, instruction="同意，请市教育局办理。")
    assert fresh(doc).state == S.HANDLING


def test_further_leaders_in_order_get_it_after_the_one_who_added_them(build):
    doc = build.instructing()
    workflow.instruct(
        doc,
        actor=build.l1,
        instruction="请张秘书长、陈副市长阅示。",
        further_leaders=[build.l2, build.l3],
        parallel=False,
    )
    doc = fresh(doc)
    assert doc.state == S.INSTRUCTING
    assert [(i.leader, i.sequence, i.requested_by) for i in doc.instructions.all()] == [
        (build.l1, 1, build.secretary),
        (build.l2, 2, build.l1),
        (build.l3, 3, build.l1),
    ]
    assert told(build.l2, doc, "请批示") and not told(build.l3, doc, "请批示")
    with pytest.raises(PermissionDenied):
        workflow.instruct(doc, actor=build.l3, instruction="同意。")
    workflow.instruct(doc, actor=build.l2, instruction="同意。")
    assert told(build.l3, doc, "请批示")
    workflow.instruct(doc, actor=build.l3, instruction="同意。")
    assert fresh(doc).state == S.INSTRUCTED


def test_a_leader_added_in_a_parallel_round_waits_for_the_whole_round(build):
    doc = build.instructing_parallel()
    workflow.instruct(
        doc, actor=build.l1, instruction="另请陈副市长阅示。", further_leaders=[build.l3]
    )
    doc = fresh(doc)
    assert doc.instructions.get(leader=build.l3).sequence == 2
    assert not told(build.l3, doc, "请批示")
    with pytest.raises(PermissionDenied):
        workflow.instruct(doc, actor=build.l3, instruction="同意。")
    workflow.instruct(doc, actor=build.l2, instruction="同意。")
    assert told(build.l3, doc, "请批示")
    assert [i.leader for i in can.current_instructions(fresh(doc))] == [build.l3]


def test_further_leaders_come_after_the_rounds_already_planned(build):
    doc = build.instructing_ordered()
    workflow.instruct(
        doc, actor=build.l1, instruction="另请陈副市长阅示。", further_leaders=[build.l3]
    )
    doc = fresh(doc)
    assert [(i.leader, i.sequence) for i in doc.instructions.all()] == [
        (build.l1, 1),
        (build.l2, 2),
        (build.l3, 3),
    ]
    assert [i.leader for i in can.current_instructions(doc)] == [build.l2]


def test_a_leaders_change_of_units_decides_where_it_goes_when_the_last_leader_instructs(
    build, personas, units
):
    doc = build.instructing([build.l1, build.l2], lead_unit=units["b"])
    workflow.instruct(
        doc,
        actor=build.l1,
        instruction="改由市教育局主办，市住建局协办。",
        change_units=True,
        lead_unit=units["a"],
        co_units=[units["b"]],
    )
    doc = fresh(doc)
    assert doc.state == S.INSTRUCTING and doc.proposed_lead_unit == units["a"]
    assert list(doc.proposed_co_units.all()) == [units["b"]]
    assert not Assignment.objects.exists()
    workflow.instruct(doc, actor=build.l2, instruction="同意。")
    doc = fresh(doc)
    assert (doc.state, doc.lead_unit) == (S.HANDLING, units["a"])
    roles = {a.unit_id: a.role for a in doc.assignments.all()}
    assert roles == {units["a"].pk: "lead", units["b"].pk: "co"}
    assert told(personas["handler_a"], doc, "新交办（主办）")


def test_a_leader_can_clear_the_proposed_units_and_leave_the_assignment_to_the_secretary(
    build, units
):
    doc = build.instructing(lead_unit=units["a"])
    workflow.instruct(
        doc, actor=build.l1, instruction="请秘书科另行研究。", change_units=True, lead_unit=None
    )
    doc = fresh(doc)
    assert doc.state == S.INSTRUCTED and not doc.assignments.exists()
    assert told(build.secretary, doc, "领导已批示，请分办")


@pytest.mark.parametrize("to_supervise", [True, False])
def test_a_leaders_instruction_is_kept_with_whether_it_becomes_a_supervision_item(
    build, to_supervise
):
    doc = build.instructing()
    workflow.instruct(
        doc, actor=build.l1, instruction="请督查室跟踪督办。", to_supervise=to_supervise
    )
    mine = LeaderInstruction.objects.get(document=doc, leader=build.l1)
    assert (mine.instruction, mine.to_supervise) == ("请督查室跟踪督办。", to_supervise)


# --- required texts and wrong choices: a Chinese ValidationError, and nothing changes ----------

REQUIRED = [  # stage, step, the Chinese message
    P(
        "registered",
        step("return_to_sender", "secretary", reason="  "),
        "退文须填写理由",
        id="return-reason",
    ),
    P(
        "accepted",
        step("propose_handling", "secretary", opinion="", leaders=["l1"]),
        "请填写拟办意见",
        id="proposed-handling",
    ),
    P(
        "accepted",
        step("propose_handling", "secretary", opinion="拟办。", leaders=[]),
        "请选择呈送批示的领导",
        id="proposed-leaders",
    ),
    P(
        "instructing",
        step("instruct", "l1", instruction=" \n "),
        "请填写批示意见",
        id="instruction",
    ),
    P("accepted", step("assign", "secretary", lead_unit=None), "请选择主办单位", id="lead-unit"),
    P(
        "accepted",
        step("assign", "secretary", lead_unit="a", deadline=datetime.date(2020, 1, 6)),
        "办理期限不能早于今天",
        id="deadline-in-the-past",
    ),
    P(
        "accepted_reading",
        step("circulate", "secretary", leaders=[]),
        "请选择传阅的领导",
        id="circulation-leaders",
    ),
    P("accepted_part", step("submit", "handler_a", result=""), "请填写办理结果", id="result"),
    P(
        "accepted_co_part",
        step("submit", "handler_b", result=""),
        "请填写协办意见",
        id="co-opinion",
    ),
    P(
        "submitted_part",
        step("reject", "head_a", opinion=""),
        "请填写退回修改的意见",
        id="reject-opinion",
    ),
    P(
        "awaiting_completion",
        step("return_result", "secretary", opinion=""),
        "请填写退回理由",
        id="return-result-reason",
    ),
    P(
        "accepted_part",
        step("request_hand_back", "handler_a", reason=""),
        "请填写申请退回的理由",
        id="hand-back-reason",
    ),
    P(
        "hand_back_requested",
        step("refuse_hand_back", "secretary", opinion=""),
        "请填写不同意退回的理由",
        id="refuse-hand-back-reason",
    ),
    # 主办 and 协办 are different units
    P(
        "accepted",
        step(
            "propose_handling",
            "secretary",
            opinion="拟办。",
            lead_unit="a",
            co_units=["a"],
            leaders=["l1"],
        ),
        "同一单位不能既主办又协办",
        id="same-unit-proposed",
    ),
    P(
        "instructing",
        step(
            "instruct",
            "l1",
            instruction="同意。",
            change_units=True,
            lead_unit="a",
            co_units=["b", "a"],
        ),
        "同一单位不能既主办又协办",
        id="same-unit-instructed",
    ),
    P(
        "accepted",
        step("assign", "secretary", lead_unit="a", co_units=["a"]),
        "同一单位不能既主办又协办",
        id="same-unit-assigned",
    ),
]


@pytest.mark.parametrize("stage, act, message", REQUIRED)
def test_missing_or_wrong_input_is_refused_in_chinese_and_changes_nothing(
    build, stage, act, message
):
    target = getattr(build, stage)()
    with nothing_changes(), pytest.raises(ValidationError, match=message):
        act(build, target)


# --- deadlines (办文办事限时制) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "urgency, days",
    [(Urgency.EXTRA_URGENT, 1), (Urgency.URGENT, 3), (Urgency.NORMAL, 10)],
)
def test_the_default_deadline_counts_working_days_by_urgency(build, units, urgency, days):
    doc = build.accepted(urgency=urgency)
    workflow.assign(doc, actor=build.secretary, lead_unit=units["a"], co_units=[units["b"]])
    expected = add_working_days(timezone.localdate(), days)
    doc = fresh(doc)
    assert doc.deadline == expected
    assert {a.deadline for a in doc.assignments.all()} == {expected}


def test_a_deadline_chosen_by_the_secretary_is_kept(build, units):
    doc = build.accepted(urgency=Urgency.EXTRA_URGENT)
    chosen = add_working_days(timezone.localdate(), 20)
    workflow.assign(doc, actor=build.secretary, lead_unit=units["a"], deadline=chosen)
    assert fresh(doc).deadline == chosen and build.part(doc).deadline == chosen


def test_an_instruction_that_assigns_uses_the_default_deadline(build, units):
    doc = build.instructing(lead_unit=units["a"], urgency=Urgency.EXTRA_URGENT)
    workflow.instruct(doc, actor=build.l1, instruction="特急，请立即办理。")
    assert fresh(doc).deadline == add_working_days(timezone.localdate(), 1)


# --- hand-backs and a new lead unit -----------------------------------------------------------


def test_a_former_co_unit_made_lead_after_a_hand_back_can_bring_it_to_completion(
    build, personas, units
):
    """The lead unit hands it back; the secretary makes the co-unit the new lead unit. That unit's
    approved result must reach the secretary, or the document can never be completed."""
    doc = build.accepted()
    workflow.assign(doc, actor=build.secretary, lead_unit=units["b"], co_units=[units["a"]])
    lead_b = build.part(doc, "b")
    workflow.request_hand_back(lead_b, actor=personas["handler_b"], reason="不属于我局职责。")
    workflow.grant_hand_back(lead_b, actor=build.secretary)
    workflow.assign(fresh(doc), actor=build.secretary, lead_unit=units["a"])
    part = build.part(doc, "a")
    workflow.accept(part, actor=personas["handler_a"])
    workflow.submit(part, actor=personas["handler_a"], result="已办理完毕。")
    workflow.approve(part, actor=personas["head_a"])
    doc = fresh(doc)
    assert (doc.state, doc.lead_unit) == (S.AWAITING_COMPLETION, units["a"])


# --- two browsers and two people at once ------------------------------------------------------

STALE = [  # stage, the trail action, step
    P("registered", "screen", step("screen", "secretary"), id="screen"),
    P(
        "registered",
        "return_to_sender",
        step("return_to_sender", "secretary", reason="不属本机关。"),
        id="return_to_sender",
    ),
    P(
        "accepted",
        "propose_handling",
        step("propose_handling", "secretary", opinion="拟办。", leaders=["l1"]),
        id="propose_handling",
    ),
    P(
        "instructing_parallel",
        "instruct",
        step("instruct", "l1", instruction="同意。"),
        id="instruct",
    ),
    P("accepted", "assign", step("assign", "secretary", lead_unit="a"), id="assign"),
    P(
        "awaiting_completion",
        "return_result",
        step("return_result", "secretary", opinion="请补充。"),
        id="return_result",
    ),
    P("awaiting_completion", "complete", step("complete", "secretary"), id="complete"),
    P("completed", "archive", step("archive", "secretary"), id="archive"),
    P("circulating_parallel", "initial", step("initial", "l1"), id="initial"),
    P(
        "circulating",
        "finish_circulation",
        step("finish_circulation", "secretary"),
        id="finish_circulation",
    ),
    P("assigned_part", "accept", step("accept", "handler_a"), id="accept"),
    P("accepted_part", "submit", step("submit", "handler_a", result="已办理。"), id="submit"),
    P("submitted_part", "approve", step("approve", "head_a"), id="approve"),
    P("submitted_part", "reject", step("reject", "head_a", opinion="请修改。"), id="reject"),
    P(
        "accepted_part",
        "request_hand_back",
        step("request_hand_back", "handler_a", reason="非我局。"),
        id="request_hand_back",
    ),
    P(
        "hand_back_requested",
        "grant_hand_back",
        step("grant_hand_back", "secretary"),
        id="grant_hand_back",
    ),
    P(
        "hand_back_requested",
        "refuse_hand_back",
        step("refuse_hand_back", "secretary", opinion="请继续办理。"),
        id="refuse_hand_back",
    ),
]


@pytest.mark.parametrize("stage, action, act", STALE)
def test_the_same_step_from_a_second_browser_is_refused(build, stage, action, act):
    """Two windows on the same page: the second click meets a document that has moved on."""
    target = getattr(build, stage)()
    stale = fresh(target)
    act(build, target)
    with nothing_changes(), pytest.raises(InvalidTransition):
        act(build, stale)
    assert TrailEvent.objects.filter(action=action).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_completing_at_once_complete_it_once(personas, units):
    doc = Build(personas, units).awaiting_completion()

    def complete():
        try:
            workflow.complete(fresh(doc), actor=personas["secretary"], opinion="同意办结。")
        except InvalidTransition:
            return "refused"
        return "completed"

    assert sorted(race(complete, 2)) == ["completed", "refused"]
    assert fresh(doc).state == S.COMPLETED
    assert events(doc, "complete").count() == 1
    assert (
        Notification.objects.filter(
            recipient=personas["handler_a"], title__startswith="已办结"
        ).count()
        == 1
    )
