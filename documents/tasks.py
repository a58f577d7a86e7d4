"""Celery entry points of 收文办理: plain arguments in, call the module that does the work; safe
to run twice."""

import datetime

from celery import shared_task

from .deadlines import send_deadline_reminders


@shared_task
def sweep_incoming_deadlines(today=None):
    """自动催办 (documents.deadlines): beat runs it every hour of the working day. `today` is an
    ISO date ("2026-10-09") for a catch-up run; by default the local date. Running it twice, or
    twice at once, sends each (item, kind, day) reminder once."""
    day = datetime.date.fromisoformat(today) if today else None
    return send_deadline_reminders(today=day)
