"""The steps of a detail page (STYLE.md, "Views, templates, jobs"): each duty app keeps its own
STEPS table — step name → `Step` (label, form, the workflow call, who may, in which states) — and
its detail page offers a form per step; `run_step` is the one POST view body behind them all.

On POST: the step's permission first (403 — a refused user learns nothing from input checks),
then the form, then one workflow call; success is POST-redirect-GET with the step's message, a
refusal (a ValidationError or InvalidTransition: someone acted first) comes back on the page with
status 400, its message and the input kept."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect

from .trail import client_ip
from .workflow import InvalidTransition


@dataclass(frozen=True)
class Step:
    label: str
    form: type
    call: Callable  # (obj, cleaned data, actor, ip): the workflow or service call
    may: Callable  # (user, obj): the permission, whatever the state (403 when refused)
    states: tuple  # the states the step is offered in
    done: str  # the message after success
    primary: bool = False
    offer: Callable = None  # (user, obj): a further condition for offering it


def refusal_text(exc):
    """A refused step's message: a ValidationError's messages, else the exception's text."""
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def step_or_404(steps, name):
    step = steps.get(name)
    if step is None:
        raise Http404("没有这个办理步骤。")
    return step


def step_row(name, step, form, *, is_open=False):
    """One step's entry in a page's 办理 panel (templates' `steps`)."""
    return {
        "name": name,
        "label": step.label,
        "form": form,
        "primary": step.primary,
        "open": is_open,
        "id": f"step-{name}",
    }


def run_step(request, obj, name, step, *, form_kwargs, done_url, render_page, refusal=refusal_text):
    """Take step `name` on `obj` from a POST. `form_kwargs` go to the step's form with the
    posted data and files; `render_page(form)` shows the refused form again (status 400)."""
    if not step.may(request.user, obj):
        raise PermissionDenied(f"您无权执行“{step.label}”。")
    form = step.form(request.POST, request.FILES, prefix=name, **form_kwargs)
    if form.is_valid():
        try:
            step.call(obj, form.cleaned_data, request.user, client_ip(request))
        except (ValidationError, InvalidTransition) as exc:
            form.add_error(None, refusal(exc))
        else:
            messages.success(request, step.done)
            return redirect(done_url)
    return render_page(form)
