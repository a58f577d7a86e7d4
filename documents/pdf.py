"""收文办理's print layouts, rendered by the office's PDF service (office.pdf.render_pdf).

收文处理笺 (routing slip): the paper record that travels with an incoming document — its
registration (条例 art. 24 登记), the secretary's 拟办意见, every leader's 批示, each handling unit's
part and result (承办), the circulation to leaders for a 阅件 (传阅), and its completion and filing
(办结、归档). Template: templates/documents/pdf/routing_slip.html, laid out on the GB/T 9704 page
(A4, 156 × 225 mm type area, page numbers of 7.5); the classification mark sits at the top left
as in 7.2.2.

The context holds only strings, numbers, booleans and lists of them, so it is JSON: a batch of
slips can go through office.pdf.start_job unchanged.
"""

import re

from django.conf import settings
from django.utils import timezone

from office.models import Clearance

from .models import Assignment, IncomingDocument


def chinese_date(value):
    """A date (or a datetime, in local time) the way documents print it (GB/T 9704 7.3.5.1):
    Arabic numerals, the year in full, no leading zeros — 2026年11月23日. Empty for None."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_datetime(value):
    """2026年11月23日 14:05 (local time), or empty."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    return f"{chinese_date(value)} {value:%H:%M}"


def number_parts(text):
    """A document number split so that its 〔year〕serial号 stays on one line (GB/T 9704 7.2.5;
    Pango may otherwise break inside it): {"head": "粤府办函", "tail": "〔2026〕12号"}. A tail too
    long for a table cell is not kept together."""
    match = re.search(r"[〔［\[]\d{4}[〕］\]].*$", text)
    if match is None or len(match.group()) > 12:
        return {"head": text, "tail": ""}
    return {"head": text[: match.start()], "tail": match.group()}


def person_name(user):
    return user.get_full_name() if user is not None else ""


def classification_mark(document):
    """密级和保密期限 as printed (GB/T 9704 7.2.2): 机密★1年; empty for 非密."""
    if document.classification <= Clearance.NONE:
        return ""
    label = document.get_classification_display()
    period = document.secrecy_period.strip()
    return f"{label}★{period}" if period else label


def slip_queryset():
    """What the slip reads, fetched in four queries: the document with its people, then its
    instructions, assignments and circulations with theirs."""
    return IncomingDocument.objects.select_related("proposed_by")


def _instructions(document):
    rows = []
    for item in document.instructions.select_related("leader").order_by(
        "sequence", "instructed_at", "id"
    ):
        done = item.instructed_at is not None
        rows.append(
            {
                "leader": person_name(item.leader),
                "text": item.instruction if done else "",
                "date": chinese_date(item.instructed_at),
                "pending": not done,
                "to_supervise": item.to_supervise,
            }
        )
    return rows


def _assignments(document):
    assignments = sorted(
        document.assignments.select_related("unit", "handler", "approved_by"),
        key=lambda a: (
            a.state == Assignment.State.WITHDRAWN,
            a.role != Assignment.Role.LEAD,
            a.assigned_at,
            a.pk,
        ),
    )
    return [
        {
            "role": a.get_role_display(),
            "unit": a.unit.name,
            "deadline": chinese_date(a.deadline),
            "state": a.get_state_display(),
            "handler": person_name(a.handler),
            "result": a.result,
            "submitted": chinese_date(a.submitted_at),
            "approver": person_name(a.approved_by),
            "approved": chinese_date(a.approved_at),
        }
        for a in assignments
    ]


def _circulations(document):
    return [
        {
            "leader": person_name(c.leader),
            "read": chinese_datetime(c.read_at),
            "pending": c.read_at is None,
            "remark": c.remark,
        }
        for c in document.circulations.select_related("leader").order_by("sequence", "id")
    ]


def routing_slip_context(document, *, printed_on=None):
    """Everything 收文处理笺 shows for `document` (fetch it with `slip_queryset()` to save
    queries). `printed_on` defaults to today (the foot's 打印日期)."""
    is_reading = document.kind == IncomingDocument.Kind.READING
    number = document.registration_number or "（未编号）"
    returned = document.state == IncomingDocument.State.RETURNED or bool(document.return_reason)
    return {
        "title": f"收文处理笺 {number}",
        "heading": f"{settings.OFFICE_CITY_NAME}人民政府办公室收文处理笺",
        "classification_mark": classification_mark(document),
        "registration_number": number,
        "registration_number_parts": number_parts(number),
        "received_on": chinese_date(document.received_on),
        "sender_name": document.sender_name,
        "sender_number": document.sender_number,
        "sender_number_parts": number_parts(document.sender_number),
        "classification": classification_mark(document) or document.get_classification_display(),
        "urgency": document.get_urgency_display(),
        "copies": document.copies,
        "pages": document.pages,
        "doc_type": document.get_doc_type_display(),
        "kind": document.get_kind_display(),
        "is_reading": is_reading,
        "document_title": document.title,
        "returned": returned,
        "return_reason": document.return_reason,
        "proposed_handling": document.proposed_handling,
        "proposed_by": person_name(document.proposed_by),
        "proposed_on": chinese_date(document.proposed_at),
        "instructions": _instructions(document),
        "assignments": _assignments(document),
        "deadline": chinese_date(document.deadline),
        "circulations": _circulations(document),
        "completed_on": chinese_date(document.completed_on),
        "archive_number": document.archive_number,
        "archived_on": chinese_date(document.archived_on),
        "printed_on": chinese_date(printed_on or timezone.localdate()),
    }
