"""The shared transition engine (STYLE.md, "Workflows"; django-oscar's explicit status table).

Each duty app declares its lifecycle once — a `Workflow` over its model with a table of
`Transition`s (name → from states, to state, who may) — and writes one function per transition
in its own workflow.py that calls `perform`. In one transaction `perform`:

1. checks the transition's permission for the actor (PermissionDenied → 403);
2. moves the state with a conditional `UPDATE … WHERE pk = ? AND state = <expected>` and raises
   `InvalidTransition` when no row changed (someone moved it first: no silent overwrite);
3. writes the trail row (留痕: actor, object, from, to, opinion, IP).

The caller adds its notifications and `on_commit` tasks inside the same transaction. This module
and the apps' workflow.py are the only code that assigns a workflow's state.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import trail


class InvalidTransition(Exception):
    """The object is not in a state the transition starts from (often: someone acted first)."""


@dataclass(frozen=True)
class Transition:
    name: str  # English verb, e.g. "sign_off"
    label: str  # the Chinese word on the button and in the history, e.g. "签发"
    sources: tuple  # states it may start from
    target: str
    permission: Callable  # permission(user, obj) -> bool, from the app's permissions.py


class Workflow:
    def __init__(self, model, transitions, *, state_field="state"):
        self.model = model
        self.state_field = state_field
        self.transitions = {t.name: t for t in transitions}
        choices = model._meta.get_field(state_field).choices or ()
        self.state_labels = dict(choices)
        for t in transitions:
            for state in (*t.sources, t.target):
                if state not in self.state_labels:
                    raise ValueError(f"{model.__name__}.{t.name}: unknown state {state!r}")

    def label(self, state):
        return str(self.state_labels.get(state, state))

    def available(self, obj, user):
        """{transition name: bool} for the page's buttons: the same checks `perform` enforces."""
        state = getattr(obj, self.state_field)
        return {
            name: state in t.sources and bool(t.permission(user, obj))
            for name, t in self.transitions.items()
        }

    def perform(self, obj, name, *, actor, opinion="", ip=None, updates=None):
        """Move `obj` through transition `name`; returns `obj` with its new state.

        `updates` are further fields written by the same conditional UPDATE (e.g. signed_at)."""
        t = self.transitions[name]
        current = getattr(obj, self.state_field)
        with transaction.atomic():
            if not t.permission(actor, obj):
                raise PermissionDenied(f"您无权执行“{t.label}”。")
            if current not in t.sources:
                raise InvalidTransition(f"当前状态为“{self.label(current)}”，不能执行“{t.label}”。")
            values = {self.state_field: t.target, **(updates or {})}
            moved = self.model._default_manager.filter(
                pk=obj.pk, **{self.state_field: current}
            ).update(**values)
            if not moved:
                raise InvalidTransition(
                    f"该事项已被他人处理，不能再“{t.label}”，请刷新页面后查看。"
                )
            for field, value in values.items():
                setattr(obj, field, value)
            trail.record(
                action=name,
                action_label=t.label,
                actor=actor,
                obj=obj,
                from_state=self.label(current),
                to_state=self.label(t.target),
                opinion=opinion,
                ip=ip,
            )
        return obj


def require(allowed, message):
    """Permission first: a refused user learns nothing from input checks (403 with `message`)."""
    if not allowed:
        raise PermissionDenied(message)


def required_text(text, message):
    """A reason, opinion or text a step cannot go without: stripped, or refused with `message`."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text
