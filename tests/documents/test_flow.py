"""The whole way of a 办件 and a 阅件 through the office, step by step through the services."""

import pytest
from django.core.exceptions import PermissionDenied

from documents import services, workflow
from documents.models import Assignment, IncomingDocument
from office.models import Notification, TrailEvent
from office.roles import Role
from tests.conftest import make_user
from tests.documents.conftest import registration

S = IncomingDocument.State


@pytest.fixture
def head_b(units):
    return make_user("fuzeren_b", "吴局长", unit=units["b"], roles=[Role.UNIT_HEAD])


def test_an_urgent_action_document_from_registration_to_filing(
    personas, units, django_capture_on_commit_callbacks
):
    secretary, leader = personas["secretary"], personas["leader"]
    doc = services.incoming_register(registration(), actor=secretary)
    assert doc.registration_number == "收〔2026〕0001号"
    workflow.screen(doc, actor=secretary)
    workflow.propose_handling(
        doc,
        actor=secretary,
        opinion="拟请李副市长阅示，由市教育局办理。",
        leaders=[leader],
        lead_unit=units["a"],
    )
    assert Notification.objects.filter(recipient=leader, title__contains="请批示").exists()
    doc.refresh_from_db()
    workflow.instruct(doc, actor=leader, instruction="请市教育局抓紧落实。", to_supervise=True)
    doc.refresh_from_db()
    assert doc.state == S.HANDLING and doc.lead_unit == units["a"]
    assert doc.deadline is not None
    lead = doc.assignments.get()
    handler, head = personas["handler_a"], personas["head_a"]
    assert Notification.objects.filter(recipient=handler).exists()
    workflow.accept(lead, actor=handler)
    services.record_progress(lead, actor=handler, text="已召开专题会研究。")
    workflow.submit(lead, actor=handler, result="已全面排查整改。")
    with pytest.raises(PermissionDenied):
        workflow.approve(lead, actor=handler)
    workflow.approve(lead, actor=head)
    doc.refresh_from_db()
    assert doc.state == S.AWAITING_COMPLETION
    workflow.complete(doc, actor=secretary)
    doc.refresh_from_db()
    assert doc.state == S.COMPLETED and doc.completed_on
    workflow.archive(doc, actor=secretary)
    doc.refresh_from_db()
    assert doc.state == S.ARCHIVED and doc.archive_number.endswith("-0001")
    actions = list(
        TrailEvent.objects.filter(object_id=doc.pk, content_type__model="incomingdocument")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[:4] == ["register", "screen", "propose_handling", "instruct"]
    assert "complete" in actions and actions[-1] == "archive"


def test_a_reading_document_circulates_in_order(personas, units):
    secretary, leader = personas["secretary"], personas["leader"]
    second = make_user(
        "lingdao2", "张秘书长", unit=units["government"], roles=[Role.LEADER], clearance=3
    )
    doc = services.incoming_register(registration(kind="reading"), actor=secretary)
    workflow.screen(doc, actor=secretary)
    workflow.circulate(doc, actor=secretary, leaders=[leader, second])
    doc.refresh_from_db()
    with pytest.raises(PermissionDenied):
        workflow.initial(doc, actor=second)
    workflow.initial(doc, actor=leader, remark="阅。")
    assert Notification.objects.filter(recipient=second, title__contains="请阅").exists()
    workflow.initial(doc, actor=second)
    doc.refresh_from_db()
    assert doc.state == S.COMPLETED


def test_a_wrongly_assigned_lead_unit_hands_it_back(personas, units, head_b):
    secretary = personas["secretary"]
    doc = services.incoming_register(registration(), actor=secretary)
    workflow.screen(doc, actor=secretary)
    workflow.assign(doc, actor=secretary, lead_unit=units["b"], co_units=[units["a"]])
    lead = doc.assignments.get(role=Assignment.Role.LEAD)
    workflow.request_hand_back(lead, actor=personas["handler_b"], reason="不属于我局职责。")
    workflow.grant_hand_back(lead, actor=secretary)
    doc.refresh_from_db()
    assert doc.state == S.INSTRUCTED and doc.lead_unit is None
    workflow.assign(doc, actor=secretary, lead_unit=units["a"])
    doc.refresh_from_db()
    assert doc.lead_unit == units["a"]
    # The former co-unit becomes the lead unit and keeps its part (one live part per unit).
    assert doc.assignments.get(unit=units["a"]).role == "lead"


def test_no_assignment_past_a_leader_still_to_instruct(personas, units):
    """A leader's turn is never skipped: the secretary assigns only after the instructions."""
    secretary, leader = personas["secretary"], personas["leader"]
    doc = services.incoming_register(registration(), actor=secretary)
    workflow.screen(doc, actor=secretary)
    workflow.propose_handling(doc, actor=secretary, opinion="请阅示。", leaders=[leader])
    doc.refresh_from_db()
    with pytest.raises(PermissionDenied):
        workflow.assign(doc, actor=secretary, lead_unit=units["a"])


def test_only_leaders_within_clearance_receive_a_document(personas, units):
    from django.core.exceptions import ValidationError

    secretary = personas["secretary"]
    doc = services.incoming_register(
        registration(classification=1, secrecy_period="1年"), actor=secretary
    )
    workflow.screen(doc, actor=secretary)
    low = make_user("lingdao3", "低密级领导", unit=units["government"], roles=[Role.LEADER])
    with pytest.raises(ValidationError, match="涉密等级低于"):
        workflow.propose_handling(doc, actor=secretary, opinion="请阅示。", leaders=[low])
    with pytest.raises(ValidationError, match="不是领导"):
        workflow.propose_handling(
            doc, actor=secretary, opinion="请阅示。", leaders=[personas["handler_a"]]
        )


def test_co_units_may_get_an_earlier_deadline(personas, units):
    from django.core.exceptions import ValidationError

    from office.calendar import add_working_days

    secretary = personas["secretary"]
    doc = services.incoming_register(registration(), actor=secretary)
    workflow.screen(doc, actor=secretary)
    from django.utils import timezone

    today = timezone.localdate()
    lead_due, co_due = add_working_days(today, 10), add_working_days(today, 5)
    with pytest.raises(ValidationError, match="协办期限不能晚于"):
        workflow.assign(
            doc,
            actor=secretary,
            lead_unit=units["a"],
            co_units=[units["b"]],
            deadline=co_due,
            co_deadline=lead_due,
        )
    workflow.assign(
        doc,
        actor=secretary,
        lead_unit=units["a"],
        co_units=[units["b"]],
        deadline=lead_due,
        co_deadline=co_due,
    )
    assert doc.assignments.get(unit=units["a"]).deadline == lead_due
    assert doc.assignments.get(unit=units["b"]).deadline == co_due


def test_an_instruction_marked_for_supervision_is_offered_to_the_ledger(personas, units):
    from documents.selectors import instructions_to_supervise

    secretary, leader = personas["secretary"], personas["leader"]
    doc = services.incoming_register(registration(), actor=secretary)
    workflow.screen(doc, actor=secretary)
    workflow.propose_handling(doc, actor=secretary, opinion="请阅示。", leaders=[leader])
    doc.refresh_from_db()
    workflow.instruct(doc, actor=leader, instruction="请督查室跟踪督办。", to_supervise=True)
    [item] = instructions_to_supervise()
    assert item.document == doc and item.leader == leader
    assert item.instruction == "请督查室跟踪督办。"


def test_a_refused_hand_back_returns_the_part_to_where_it_was(personas, units):
    secretary, handler = personas["secretary"], personas["handler_a"]
    doc = services.incoming_register(registration(), actor=secretary)
    workflow.screen(doc, actor=secretary)
    workflow.assign(doc, actor=secretary, lead_unit=units["a"])
    part = doc.assignments.get()
    workflow.request_hand_back(part, actor=handler, reason="不是我局职责。")
    workflow.refuse_hand_back(part, actor=secretary, opinion="属于教育局职责，请办理。")
    part.refresh_from_db()
    assert part.state == Assignment.State.ASSIGNED  # nobody had accepted it: 待接收 again
    workflow.accept(part, actor=handler)
    workflow.request_hand_back(part, actor=handler, reason="仍认为不属于我局。")
    workflow.refuse_hand_back(part, actor=secretary, opinion="请继续办理。")
    part.refresh_from_db()
    assert part.state == Assignment.State.ACCEPTED and part.handler == handler


def test_routing_goes_up_the_hierarchy_through_the_linked_deputy(personas, units):
    """联线领导服务制: a vice mayor's items pass through the linked deputy secretary-general; in
    order, the most junior leader instructs first and the mayor last."""
    secretary = personas["secretary"]
    gov = units["government"]
    deputy = make_user(
        "fumishu", "许副秘书长", unit=gov, roles=[Role.LEADER], clearance=3, leader_order=70
    )
    vice = make_user(
        "fushizhang",
        "刘副市长",
        unit=gov,
        roles=[Role.LEADER],
        clearance=3,
        leader_order=30,
        liaison=deputy,
    )
    mayor = make_user(
        "shizhang", "陈市长", unit=gov, roles=[Role.LEADER], clearance=3, leader_order=10
    )
    doc = services.incoming_register(registration(), actor=secretary)
    workflow.screen(doc, actor=secretary)
    workflow.propose_handling(doc, actor=secretary, opinion="请阅示。", leaders=[mayor, vice])
    order = list(doc.instructions.order_by("sequence").values_list("leader__real_name", "sequence"))
    assert order == [("许副秘书长", 1), ("刘副市长", 2), ("陈市长", 3)]
    assert Notification.objects.filter(recipient=deputy, title__contains="请批示").exists()
    assert not Notification.objects.filter(recipient=mayor).exists()

    parallel = services.incoming_register(
        registration(sender_number="粤应急函〔2026〕16号"), actor=secretary
    )
    workflow.screen(parallel, actor=secretary)
    workflow.propose_handling(
        parallel, actor=secretary, opinion="请阅示。", leaders=[mayor, vice], parallel=True
    )
    rounds = dict(parallel.instructions.values_list("leader__real_name", "sequence"))
    assert rounds == {"许副秘书长": 1, "刘副市长": 2, "陈市长": 2}
