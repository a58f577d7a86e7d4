"""Incoming documents for the tests, written straight to the database in a given state.

Tests of the workflow itself build their documents through the services instead; these rows are
for lists, search, statistics, printing and permissions."""

import datetime
import itertools

import pytest
from django.utils import timezone

from documents import services
from documents.models import Assignment, IncomingDocument, Sender
from office.models import Clearance, Urgency

_serials = itertools.count(1)


def make_sender(name="广东省人民政府办公厅", level=Sender.Level.HIGHER):
    return Sender.objects.get_or_create(name=name, defaults={"level": level})[0]


def make_incoming(registered_by, *, sender=None, lead_unit=None, assigned_by=None, **fields):
    """One incoming document; with `lead_unit`, also its lead assignment (so the unit sees it)."""
    sender = sender or make_sender()
    serial = next(_serials)
    received_on = fields.pop("received_on", timezone.localdate())
    assignment_state = fields.pop("assignment_state", Assignment.State.ASSIGNED)
    values = {
        "registration_number": f"收〔{received_on.year}〕{serial:04d}号",
        "year": received_on.year,
        "serial": serial,
        "sender": sender,
        "sender_name": sender.name,
        "sender_level": sender.level,
        "sender_number": f"粤府办函〔{received_on.year}〕{serial}号",
        "title": f"关于做好第{serial}项工作的通知",
        "doc_type": "notice",
        "received_on": received_on,
        "registered_by": registered_by,
        "lead_unit": lead_unit,
    }
    values.update(fields)
    if lead_unit is not None and "deadline" not in values:
        values["deadline"] = received_on + datetime.timedelta(days=14)
    document = IncomingDocument.objects.create(**values)
    if lead_unit is not None:
        Assignment.objects.create(
            document=document,
            unit=lead_unit,
            role=Assignment.Role.LEAD,
            deadline=document.deadline,
            assigned_by=assigned_by or registered_by,
            state=assignment_state,
        )
    return document


@pytest.fixture
def incoming_factory(db):
    return make_incoming


def registration(**overrides):
    """What a secretary types in for a typical urgent 办件 from the province (services.Registration)."""
    values = dict(
        sender_name="广东省应急管理厅",
        sender_level="higher",
        sender_number="粤应急函〔2026〕15号",
        title="关于开展消防安全专项督办的通知",
        doc_type="notice",
        kind="action",
        classification=Clearance.NONE,
        secrecy_period="",
        urgency=Urgency.URGENT,
        copies=1,
        pages=3,
        received_on=datetime.date(2026, 11, 23),
        channel="paper",
    )
    values.update(overrides)
    return services.Registration(**values)
