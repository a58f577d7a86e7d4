"""The life of a supervision item (supervision.workflow, supervision.services): for every
transition of workflow.ITEM, the allowed actor succeeds and a trail row says so, the wrong state
raises InvalidTransition, an unauthorised user gets PermissionDenied; and the rules around
progress reports, urging, extensions, linking and 立项 from a source object.

(Visibility — a user who cannot see an item gets 404 — is the pages' test: the workflow is only
reached through selectors.item_get_or_404.)"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from office.models import Notification, SerialNumber
from office.workflow import InvalidTransition
from supervision.models import Extension, ProgressReport, Source, SupervisionItem, Urging
from supervision.services import NUMBER_KEY, ItemPlan, link_items, open_item
from supervision.workflow import (
    approve_report,
    assign,
    close,
    decide_extension,
    request_extension,
    resume,
    return_report,
    send_back,
    submit_report,
    suspend,
    urge,
)
from tests.concurrency import race
from tests.steps import assert_step, events, fresh, told

pytestmark = pytest.mark.django_db

S = SupervisionItem.State
R = ProgressReport
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def plan(personas, units, *, lead="a", title="关于推进老旧小区改造的批示", days=90, **extra):
    return ItemPlan(
        title=title,
        source=Source.INSTRUCTION,
        lead_unit=units[lead],
        responsible_leader=personas["leader"],
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        requirement="年底前完成改造并报送成效。",
        **extra,
    )


def opened_item(personas, units, **kwargs):
    return open_item(plan(personas, units, **kwargs), actor=personas["supervisor"])


def assigned_item(personas, units, **kwargs):
    item = opened_item(personas, units, **kwargs)
    return assign(item, actor=personas["supervisor"], message="请按要求办理。")


def in_progress_item(personas, units, **kwargs):
    item = assigned_item(personas, units, **kwargs)
    submit_report(item, actor=personas["head_a"], text="已完成摸底调查。", progress=30)
    return fresh(item)


def close_requested_item(personas, units, **kwargs):
    item = in_progress_item(personas, units, **kwargs)
    submit_report(
        item, actor=personas["head_a"], text="改造全部完成。", completion=True, files=[evidence()]
    )
    return fresh(item)


def evidence(name="验收报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- 交办 --------------------------------------------------------------------------------------


class TestAssign:
    def test_the_supervisor_assigns_and_the_units_are_told(self, personas, units):
        item = opened_item(personas, units, co_units=(units["b"],))
        assign(item, actor=personas["supervisor"], message="请按要求办理。")
        item = fresh(item)
        assert item.state == S.ASSIGNED and item.assigned_on == timezone.localdate()
        assert item.report_due_on is not None
        assert_step(item, "assign", personas["supervisor"], ("已立项", "已交办"), "请按要求办理。")
        assert told(personas["handler_a"], item, "督办交办")
        assert told(personas["head_a"], item, "督办交办")
        assert told(personas["handler_b"], item, "督办交办（配合）")

    def test_twice_is_refused(self, personas, units):
        item = assigned_item(personas, units)
        with pytest.raises(InvalidTransition):
            assign(item, actor=personas["supervisor"])

    def test_a_unit_cannot_assign(self, personas, units):
        item = opened_item(personas, units)
        with pytest.raises(PermissionDenied):
            assign(item, actor=personas["head_a"])
        assert fresh(item).state == S.OPENED


# --- 进展反馈 (report_progress) ----------------------------------------------------------------


class TestReportProgress:
    def test_a_handlers_report_counts_once_the_head_approves(self, personas, units):
        item = assigned_item(personas, units)
        report = submit_report(
            item, actor=personas["handler_a"], text="已完成摸底调查。", progress=30
        )
        assert report.state == R.State.SUBMITTED and fresh(item).state == S.ASSIGNED
        assert told(personas["head_a"], item, "请审核进展反馈")
        approve_report(report, actor=personas["head_a"])
        item = fresh(item)
        assert (item.state, item.progress, item.latest_report) == (S.IN_PROGRESS, 30, report)
        assert_step(
            item, "report_progress", personas["head_a"], ("已交办", "办理中"), "已完成摸底调查。"
        )

    def test_a_heads_own_report_counts_at_once(self, personas, units):
        item = assigned_item(personas, units)
        report = submit_report(item, actor=personas["head_a"], text="已完成摸底调查。", progress=30)
        assert fresh(report).state == R.State.APPROVED
        assert fresh(item).state == S.IN_PROGRESS

    def test_approving_after_the_item_was_suspended_is_refused(self, personas, units):
        item = assigned_item(personas, units)
        report = submit_report(item, actor=personas["handler_a"], text="已完成摸底调查。")
        suspend(fresh(item), actor=personas["supervisor"], reason="上级已另行部署")
        with pytest.raises(InvalidTransition):
            approve_report(fresh(report), actor=personas["head_a"])
        assert fresh(report).state == R.State.SUBMITTED  # rolled back with the transition

    def test_only_the_lead_units_head_approves(self, personas, units):
        item = assigned_item(personas, units)
        report = submit_report(item, actor=personas["handler_a"], text="已完成摸底调查。")
        for user in (personas["handler_a"], personas["handler_b"], personas["supervisor"]):
            with pytest.raises(PermissionDenied):
                approve_report(report, actor=user)
        assert fresh(item).state == S.ASSIGNED

    def test_approving_twice_is_refused(self, personas, units):
        item = assigned_item(personas, units)
        report = submit_report(item, actor=personas["handler_a"], text="已完成摸底调查。")
        approve_report(report, actor=personas["head_a"])
        with pytest.raises(InvalidTransition):
            approve_report(report, actor=personas["head_a"])


# --- 申请办结 (request_close) ------------------------------------------------------------------


class TestRequestClose:
    def test_an_approved_completion_report_applies_for_closing(self, personas, units):
        item = in_progress_item(personas, units)
        report = submit_report(
            item,
            actor=personas["handler_a"],
            text="改造全部完成。",
            completion=True,
            files=[evidence()],
        )
        assert report.flag == "" and report.files.count() == 1
        approve_report(report, actor=personas["head_a"])
        item = fresh(item)
        assert (item.state, item.progress) == (S.CLOSE_REQUESTED, 100)
        assert_step(
            item, "request_close", personas["head_a"], ("办理中", "申请办结"), "改造全部完成。"
        )
        assert told(personas["supervisor"], item, "申请办结，请核验")

    def test_applying_after_suspension_is_refused(self, personas, units):
        item = in_progress_item(personas, units)
        report = submit_report(
            item, actor=personas["handler_a"], text="改造全部完成。", completion=True
        )
        suspend(fresh(item), actor=personas["supervisor"], reason="上级已另行部署")
        with pytest.raises(InvalidTransition):
            approve_report(fresh(report), actor=personas["head_a"])
        assert fresh(item).state == S.SUSPENDED

    def test_another_unit_cannot_apply(self, personas, units):
        item = in_progress_item(personas, units)
        with pytest.raises(PermissionDenied):
            submit_report(item, actor=personas["handler_b"], text="完成。", completion=True)
        report = submit_report(item, actor=personas["handler_a"], text="完成。", completion=True)
        with pytest.raises(PermissionDenied):
            approve_report(report, actor=personas["handler_a"])
        assert fresh(item).state == S.IN_PROGRESS


# --- 核验销号 / 退回 / 中止 / 恢复 ---------------------------------------------------------------


class TestClose:
    def test_the_supervisor_closes_after_verifying(self, personas, units):
        item = close_requested_item(personas, units)
        close(item, actor=personas["supervisor"], opinion="核验属实，予以销号。")
        item = fresh(item)
        assert (item.state, item.closed_on, item.closed_by) == (
            S.CLOSED,
            timezone.localdate(),
            personas["supervisor"],
        )
        assert item.report_due_on is None
        assert_step(
            item, "close", personas["supervisor"], ("申请办结", "已销号"), "核验属实，予以销号。"
        )
        assert told(personas["leader"], item, "已销号")
        assert told(personas["handler_a"], item, "已销号")

    def test_an_item_not_applied_for_cannot_be_closed(self, personas, units):
        item = in_progress_item(personas, units)
        with pytest.raises(InvalidTransition):
            close(item, actor=personas["supervisor"])

    def test_only_the_supervision_office_closes(self, personas, units):
        item = close_requested_item(personas, units)
        for user in (personas["head_a"], personas["leader"]):
            with pytest.raises(PermissionDenied):
                close(item, actor=user)
        assert fresh(item).state == S.CLOSE_REQUESTED


class TestSendBack:
    def test_the_supervisor_sends_back_with_reasons(self, personas, units):
        item = close_requested_item(personas, units)
        send_back(item, actor=personas["supervisor"], opinion="佐证材料不全，请补充验收报告。")
        item = fresh(item)
        assert (item.state, item.progress) == (S.IN_PROGRESS, 99)
        assert item.report_due_on is not None
        assert_step(
            item,
            "send_back",
            personas["supervisor"],
            ("申请办结", "办理中"),
            "佐证材料不全，请补充验收报告。",
        )
        assert told(personas["handler_a"], item, "办结申请被退回")

    def test_reasons_are_required(self, personas, units):
        item = close_requested_item(personas, units)
        with pytest.raises(ValidationError):
            send_back(item, actor=personas["supervisor"], opinion="  ")
        assert fresh(item).state == S.CLOSE_REQUESTED

    def test_only_an_application_is_sent_back(self, personas, units):
        item = in_progress_item(personas, units)
        with pytest.raises(InvalidTransition):
            send_back(item, actor=personas["supervisor"], opinion="材料不全")

    def test_a_unit_cannot_send_back(self, personas, units):
        item = close_requested_item(personas, units)
        with pytest.raises(PermissionDenied):
            send_back(item, actor=personas["head_a"], opinion="材料不全")


class TestSuspendAndResume:
    @pytest.mark.parametrize("make", [opened_item, assigned_item, in_progress_item])
    def test_any_open_item_can_be_suspended(self, personas, units, make):
        item = make(personas, units)
        before = item.get_state_display()
        suspend(item, actor=personas["supervisor"], reason="上级已另行部署")
        item = fresh(item)
        assert (item.state, item.suspended_reason) == (S.SUSPENDED, "上级已另行部署")
        assert_step(item, "suspend", personas["supervisor"], (before, "已中止"), "上级已另行部署")

    def test_a_closed_item_cannot_be_suspended(self, personas, units):
        item = close_requested_item(personas, units)
        close(item, actor=personas["supervisor"])
        with pytest.raises(InvalidTransition):
            suspend(fresh(item), actor=personas["supervisor"], reason="上级已另行部署")

    def test_suspending_needs_the_supervision_office_and_a_reason(self, personas, units):
        item = assigned_item(personas, units)
        with pytest.raises(PermissionDenied):
            suspend(item, actor=personas["head_a"], reason="上级已另行部署")
        with pytest.raises(ValidationError):
            suspend(item, actor=personas["supervisor"], reason="")

    def test_resume(self, personas, units):
        item = assigned_item(personas, units)
        suspend(item, actor=personas["supervisor"], reason="上级已另行部署")
        resume(fresh(item), actor=personas["supervisor"])
        item = fresh(item)
        assert (item.state, item.suspended_reason) == (S.IN_PROGRESS, "")
        assert item.report_due_on is not None
        assert_step(item, "resume", personas["supervisor"], ("已中止", "办理中"), "")
        assert told(personas["handler_a"], item, "恢复督办")

    def test_only_a_suspended_item_resumes(self, personas, units):
        item = assigned_item(personas, units)
        with pytest.raises(InvalidTransition):
            resume(item, actor=personas["supervisor"])

    def test_a_unit_cannot_resume(self, personas, units):
        item = assigned_item(personas, units)
        suspend(item, actor=personas["supervisor"], reason="上级已另行部署")
        with pytest.raises(PermissionDenied):
            resume(fresh(item), actor=personas["head_a"])


# --- report rules ------------------------------------------------------------------------------


class TestReportRules:
    def test_a_report_repeating_the_previous_one_is_flagged_to_the_supervisor(
        self, personas, units
    ):
        item = in_progress_item(personas, units)
        report = submit_report(item, actor=personas["handler_a"], text="已完成摸底调查！")
        assert report.flag == R.Flag.REPEATS_PREVIOUS
        approve_report(report, actor=personas["head_a"])
        assert told(personas["supervisor"], item, "内容与上次反馈重复")
        other = submit_report(item, actor=personas["handler_a"], text="已开工改造 12 个小区。")
        assert other.flag == ""

    def test_an_application_without_evidence_is_flagged(self, personas, units):
        item = in_progress_item(personas, units)
        report = submit_report(
            item, actor=personas["head_a"], text="改造全部完成。", completion=True
        )
        assert fresh(report).flag == R.Flag.NO_EVIDENCE
        assert told(personas["supervisor"], item, "申请办结未附佐证材料")

    def test_one_pending_report_at_a_time(self, personas, units):
        item = assigned_item(personas, units)
        submit_report(item, actor=personas["handler_a"], text="已完成摸底调查。")
        with pytest.raises(ValidationError, match="尚待单位负责人审核"):
            submit_report(item, actor=personas["handler_a"], text="已开工。")
        assert R.objects.filter(item=item).count() == 1

    def test_bad_input_is_refused_in_chinese(self, personas, units):
        item = assigned_item(personas, units)
        with pytest.raises(ValidationError, match="请填写进展情况"):
            submit_report(item, actor=personas["handler_a"], text=" ")
        with pytest.raises(ValidationError, match="0 到 100"):
            submit_report(item, actor=personas["handler_a"], text="进展", progress=120)
        with pytest.raises(PermissionDenied):
            submit_report(item, actor=personas["outsider"], text="进展")

    def test_no_report_before_assignment_or_after_closing(self, personas, units):
        item = opened_item(personas, units)
        with pytest.raises(ValidationError, match="不能报送进展"):
            submit_report(item, actor=personas["head_a"], text="进展")

    def test_return_report(self, personas, units):
        item = assigned_item(personas, units)
        report = submit_report(item, actor=personas["handler_a"], text="已完成摸底调查。")
        with pytest.raises(PermissionDenied):
            return_report(report, actor=personas["handler_a"], opinion="请补充数据")
        with pytest.raises(ValidationError):
            return_report(report, actor=personas["head_a"], opinion="")
        return_report(report, actor=personas["head_a"], opinion="请补充改造户数。")
        assert fresh(report).state == R.State.RETURNED
        assert fresh(item).state == S.ASSIGNED  # a returned report does not count
        assert events(item, "return_report").last().opinion == "请补充改造户数。"
        assert told(personas["handler_a"], item, "进展反馈被退回")
        with pytest.raises(InvalidTransition):
            return_report(report, actor=personas["head_a"], opinion="再次退回")
        # The returned one no longer blocks the next report.
        submit_report(item, actor=personas["handler_a"], text="已完成摸底调查，共 1200 户。")


# --- 催办 --------------------------------------------------------------------------------------


class TestUrge:
    def test_a_manual_urging_is_recorded_and_sent_urgently(self, personas, units):
        item = assigned_item(personas, units)
        Notification.objects.all().delete()
        urge(item, actor=personas["supervisor"], message="请于本周五前报送进展。")
        urge(item, actor=personas["supervisor"], message="再次催办。")
        urgings = Urging.objects.filter(item=item, kind=Urging.Kind.MANUAL)
        assert urgings.count() == 2  # by hand: no once-a-day limit
        assert urgings.first().by == personas["supervisor"]
        assert events(item, "urge").count() == 2
        note = Notification.objects.filter(recipient=personas["handler_a"]).first()
        assert note.urgent and "督办催办" in note.title

    def test_urging_rules(self, personas, units):
        item = assigned_item(personas, units)
        with pytest.raises(PermissionDenied):
            urge(item, actor=personas["head_a"], message="催")
        with pytest.raises(ValidationError):
            urge(item, actor=personas["supervisor"], message="")
        suspend(item, actor=personas["supervisor"], reason="上级已另行部署")
        with pytest.raises(ValidationError, match="无需催办"):
            urge(fresh(item), actor=personas["supervisor"], message="催")


# --- 延期 --------------------------------------------------------------------------------------


class TestExtension:
    def test_the_leader_approves_and_the_original_deadline_is_kept(self, personas, units):
        item = assigned_item(personas, units)
        original = item.deadline
        later = original + datetime.timedelta(days=30)
        extension = request_extension(
            item, actor=personas["handler_a"], deadline=later, reason="汛期影响施工。"
        )
        assert told(personas["leader"], item, "请审批延期申请")
        with pytest.raises(PermissionDenied):
            decide_extension(extension, actor=personas["supervisor"], approve=True)
        decide_extension(extension, actor=personas["leader"], approve=True)
        item = fresh(item)
        assert (item.deadline, item.original_deadline, item.extended) == (later, original, True)
        assert events(item, "decide_extension").last().action_label == "同意延期"
        with pytest.raises(InvalidTransition):
            decide_extension(extension, actor=personas["leader"], approve=False, opinion="不同意")

    def test_a_refusal_needs_an_opinion_and_keeps_the_deadline(self, personas, units):
        item = assigned_item(personas, units)
        extension = request_extension(
            item,
            actor=personas["head_a"],
            deadline=item.deadline + datetime.timedelta(days=10),
            reason="汛期影响施工。",
        )
        with pytest.raises(ValidationError):
            decide_extension(extension, actor=personas["leader"], approve=False)
        decide_extension(
            extension, actor=personas["leader"], approve=False, opinion="按原时限完成。"
        )
        assert fresh(extension).state == Extension.State.REFUSED
        assert fresh(item).deadline == item.deadline

    def test_one_pending_extension_at_a_time(self, personas, units):
        item = assigned_item(personas, units)
        later = item.deadline + datetime.timedelta(days=10)
        request_extension(item, actor=personas["head_a"], deadline=later, reason="汛期影响施工。")
        with pytest.raises(ValidationError, match="已有待审批的延期申请"):
            request_extension(item, actor=personas["head_a"], deadline=later, reason="再申请。")
        assert Extension.objects.filter(item=item).count() == 1

    def test_request_rules(self, personas, units):
        item = assigned_item(personas, units)
        with pytest.raises(PermissionDenied):
            request_extension(
                item, actor=personas["handler_b"], deadline=item.deadline, reason="理由"
            )
        with pytest.raises(ValidationError, match="须晚于现办结时限"):
            request_extension(item, actor=personas["head_a"], deadline=item.deadline, reason="理由")
        with pytest.raises(ValidationError, match="延期理由"):
            request_extension(
                item,
                actor=personas["head_a"],
                deadline=item.deadline + datetime.timedelta(days=1),
                reason="",
            )


# --- 关联 --------------------------------------------------------------------------------------


class TestLinkItems:
    def test_a_linked_item_takes_the_approved_report_too(self, personas, units):
        first = assigned_item(personas, units, title="关于推进老旧小区改造的批示")
        second = assigned_item(personas, units, title="常务会议议定：加快老旧小区改造")
        with pytest.raises(PermissionDenied):
            link_items([first, second], actor=personas["head_a"])
        group = link_items([first, second], actor=personas["supervisor"])
        assert set(group.items.all()) == {first, second}
        report = submit_report(
            fresh(first), actor=personas["head_a"], text="已开工改造 12 个小区。", progress=40
        )
        for item in (fresh(first), fresh(second)):
            assert (item.state, item.progress, item.latest_report) == (S.IN_PROGRESS, 40, report)
        linked = events(second, "report_progress").last()
        assert first.item_number in linked.opinion

    def test_only_items_of_one_lead_unit_are_linked(self, personas, units):
        first = assigned_item(personas, units)
        other = assigned_item(personas, units, lead="b")
        with pytest.raises(ValidationError, match="牵头单位相同"):
            link_items([first, other], actor=personas["supervisor"])
        with pytest.raises(ValidationError, match="至少选择两个"):
            link_items([first], actor=personas["supervisor"])


# --- 立项 from a source object -----------------------------------------------------------------


class TestOpenFromSource:
    def test_the_same_source_twice_gives_the_same_item_and_one_number(self, personas, units):
        source = units["b"]  # any model row stands in for a decided item or an instruction
        first = open_item(plan(personas, units), actor=personas["leader"], source_object=source)
        again = open_item(plan(personas, units), actor=personas["leader"], source_object=source)
        assert again == first
        assert SupervisionItem.objects.count() == 1
        assert SerialNumber.objects.filter(key=NUMBER_KEY).count() == 1
        assert first.item_number == f"督〔{timezone.localdate().year}〕1号"

    def test_by_hand_only_the_supervision_office_opens(self, personas, units):
        with pytest.raises(PermissionDenied):
            open_item(plan(personas, units), actor=personas["leader"])
        with pytest.raises(ValidationError):
            open_item(plan(personas, units, days=-1), actor=personas["supervisor"])


@pytest.mark.django_db(transaction=True)
def test_the_same_source_from_four_threads_opens_one_item(personas, units):
    source = units["b"]

    def take():
        return open_item(plan(personas, units), actor=personas["leader"], source_object=source).pk

    results = race(take, 4)
    assert len(set(results)) == 1
    assert SupervisionItem.objects.count() == 1
    assert SerialNumber.objects.filter(key=NUMBER_KEY).count() == 1
