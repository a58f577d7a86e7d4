"""待立项批示件: the leaders' instructions marked 转督办 that the supervision office has not opened
yet (supervision.intake), and 立项 from one — the 立项 form pre-filled from the instruction and
its document, the item linked back to the instruction (once: a second 立项 of the same
instruction opens the item already made)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from office.forms import add_service_errors
from office.trail import client_ip

from .. import forms, intake, services
from .. import permissions as can
from ..models import Source


def _supervisor(request):
    if not can.can_open(request.user):
        raise PermissionDenied("只有督查室可以立项。")


def instruction_list(request):
    _supervisor(request)
    rows = list(intake.instruction_candidates(request.user))
    return render(
        request,
        "supervision/instruction_list.html",
        {"instructions": rows, "limit": intake.CANDIDATES_LIMIT},
    )


def instruction_open(request, pk):
    """立项 from one instruction: its source stays the instruction whatever the form says."""
    _supervisor(request)
    instruction = intake.instruction_get(request.user, pk)
    if instruction is None:
        raise Http404("没有找到该批示件，或您无权查看。")
    initial = intake.initial_from_instruction(instruction, today=timezone.localdate())
    form = forms.ItemForm(request.POST or None, actor=request.user, initial=initial)
    for name in ("source", "source_label", "source_url"):
        form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            item = services.open_item(
                form.plan(), actor=request.user, source_object=instruction, ip=client_ip(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已立项，督办编号 {item.item_number}。请核对后交办。")
            return redirect("supervision:item-detail", item.pk)
    context = {
        "form": form,
        "instruction": instruction,
        "source_label": Source.INSTRUCTION.label,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/item_form.html", context, status=status)


urlpatterns = [
    path("instructions/", instruction_list, name="instruction-list"),
    path("instructions/<int:pk>/open/", instruction_open, name="instruction-open"),
]
