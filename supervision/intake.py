"""Items from sources (DOMAIN.md §6 "sources of supervision items"): the leaders' instructions
marked 转督办 (领导批示件) that the supervision office has not opened yet, and the plan an item
from one starts with. Decided items of minutes need no intake: the minutes open their items
themselves when signed (meetings.supervise).

The instructions are read through documents.selectors (STYLE.md: duty apps reach each other
through selectors and services); the item keeps only a generic link back."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from documents.selectors import incoming_visible_to, instructions_to_supervise
from office.calendar import add_working_days

from .models import Cadence, Source, SupervisionItem

# Without a handling deadline on the document, an instruction's item is due in 15 working days.
DEFAULT_WORKING_DAYS = 15
CANDIDATES_LIMIT = 200


def _instruction_type():
    from documents.models import LeaderInstruction

    return ContentType.objects.get_for_model(LeaderInstruction)


def instruction_candidates(user):
    """领导批示件 not yet opened as items, newest first, of documents the user may see."""
    taken = SupervisionItem.objects.filter(source_type=_instruction_type()).values("source_id")
    visible = incoming_visible_to(user).values("pk")
    return (
        instructions_to_supervise()
        .filter(document__in=visible)
        .exclude(pk__in=taken)
        .select_related("document__proposed_lead_unit")
        .defer("document__remarks", "document__proposed_handling")[:CANDIDATES_LIMIT]
    )


def instruction_get(user, pk):
    """One candidate instruction the user may see, or None."""
    return (
        instructions_to_supervise()
        .filter(pk=pk, document__in=incoming_visible_to(user).values("pk"))
        .first()
    )


def initial_from_instruction(instruction, *, today):
    """The 立项 form's starting values for an item from a leader's instruction."""
    document = instruction.document
    number = document.registration_number or document.sender_number
    return {
        "source": Source.INSTRUCTION,
        "title": document.title,
        "requirement": instruction.instruction,
        "lead_unit": document.lead_unit or document.proposed_lead_unit,
        "co_units": list(document.proposed_co_units.all()),
        "responsible_leader": instruction.leader,
        "deadline": (
            document.deadline
            if document.deadline and document.deadline >= today
            else add_working_days(today, DEFAULT_WORKING_DAYS)
        ),
        "report_cadence": Cadence.MONTHLY,
        "report_day": 25,
        "classification": document.classification,
        "source_label": f"{instruction.leader.real_name}批示（{number}）",
        "source_url": reverse("documents:incoming-detail", args=[document.pk]),
    }
