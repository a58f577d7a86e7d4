"""The shared transition engine: permission, conditional state move, trail — in one transaction."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from office.models import TrailEvent
from office.permissions import has_role
from office.roles import Role
from office.workflow import InvalidTransition, Transition, Workflow
from tests.concurrency import race
from tests.workflow_app.models import Memo

S = Memo.State
WORKFLOW = Workflow(
    Memo,
    [
        Transition(
            "submit", "送签", (S.DRAFT,), S.SUBMITTED, lambda u, m: has_role(u, Role.SECRETARY)
        ),
        Transition(
            "sign_off", "签发", (S.SUBMITTED,), S.SIGNED, lambda u, m: has_role(u, Role.LEADER)
        ),
        Transition(
            "return_draft", "退回", (S.SUBMITTED,), S.DRAFT, lambda u, m: has_role(u, Role.LEADER)
        ),
    ],
)


@pytest.fixture
def memo(units):
    return Memo.objects.create(title="关于调整市政府领导分工的通知", unit=units["office"])


@pytest.mark.django_db
class TestPerform:
    def test_allowed_actor_moves_the_state_and_leaves_a_trail(self, memo, personas):
        WORKFLOW.perform(memo, "submit", actor=personas["secretary"], ip="10.0.0.8")
        now = timezone.now()
        WORKFLOW.perform(
            memo, "sign_off", actor=personas["leader"], opinion="同意。", updates={"signed_at": now}
        )
        memo.refresh_from_db()
        assert memo.state == S.SIGNED and memo.signed_at == now
        events = list(TrailEvent.objects.filter(object_id=memo.pk).order_by("id"))
        assert [(e.action_label, e.from_state, e.to_state) for e in events] == [
            ("送签", "起草", "待签发"),
            ("签发", "待签发", "已签发"),
        ]
        assert events[0].ip == "10.0.0.8" and events[1].opinion == "同意。"

    def test_wrong_state_is_refused_with_a_chinese_message(self, memo, personas):
        with pytest.raises(InvalidTransition, match="当前状态为“起草”，不能执行“签发”"):
            WORKFLOW.perform(memo, "sign_off", actor=personas["leader"])
        assert not TrailEvent.objects.filter(object_id=memo.pk).exists()

    def test_unauthorised_user_is_refused(self, memo, personas):
        with pytest.raises(PermissionDenied):
            WORKFLOW.perform(memo, "submit", actor=personas["handler_a"])
        memo.refresh_from_db()
        assert memo.state == S.DRAFT

    def test_someone_acting_first_is_not_silently_overwritten(self, memo, personas):
        WORKFLOW.perform(memo, "submit", actor=personas["secretary"])
        stale = Memo.objects.get(pk=memo.pk)  # a second browser window
        WORKFLOW.perform(memo, "return_draft", actor=personas["leader"], opinion="请补充依据。")
        with pytest.raises(InvalidTransition, match="已被他人处理"):
            WORKFLOW.perform(stale, "sign_off", actor=personas["leader"])
        memo.refresh_from_db()
        assert memo.state == S.DRAFT

    def test_a_failure_later_in_the_step_undoes_state_and_trail(self, memo, personas):
        with pytest.raises(RuntimeError), transaction.atomic():
            WORKFLOW.perform(memo, "submit", actor=personas["secretary"])
            raise RuntimeError("notification could not be written")
        memo.refresh_from_db()
        assert memo.state == S.DRAFT
        assert not TrailEvent.objects.filter(object_id=memo.pk).exists()

    def test_buttons_come_from_the_same_checks(self, memo, personas):
        assert WORKFLOW.available(memo, personas["secretary"]) == {
            "submit": True,
            "sign_off": False,
            "return_draft": False,
        }
        WORKFLOW.perform(memo, "submit", actor=personas["secretary"])
        assert WORKFLOW.available(memo, personas["leader"]) == {
            "submit": False,
            "sign_off": True,
            "return_draft": True,
        }

    def test_unknown_states_in_the_table_are_caught_at_import(self):
        with pytest.raises(ValueError, match="unknown state"):
            Workflow(
                Memo, [Transition("archive", "归档", (S.SIGNED,), "archived", lambda u, m: True)]
            )


@pytest.mark.django_db(transaction=True)
def test_two_leaders_signing_at_once_sign_once(units, personas):
    memo = Memo.objects.create(title="特急件", unit=units["office"], state=S.SUBMITTED)

    def sign():
        try:
            WORKFLOW.perform(Memo.objects.get(pk=memo.pk), "sign_off", actor=personas["leader"])
        except InvalidTransition:
            return "refused"
        return "signed"

    outcomes = race(sign, 2)
    assert sorted(outcomes) == ["refused", "signed"]
    assert TrailEvent.objects.filter(action="sign_off", object_id=memo.pk).count() == 1


def test_only_workflow_modules_assign_a_state():
    """STYLE.md: a workflow's state changes only through its transitions."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"\.state\s*=(?!=)")  # outbox rows and PDF jobs have a status, not a state
    offenders = []
    for app in ("office", "documents", "meetings", "supervision", "proposals"):
        for path in (root / app).rglob("*.py"):
            # Demo seeders build unsaved rows directly in their final state (and write the trail
            # those steps would have written); they move nothing that exists.
            seeder = path.name == "seed.py" or path.name.startswith("seed_")
            if path.name == "workflow.py" or seeder or {"migrations", "seed"} & set(path.parts):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
