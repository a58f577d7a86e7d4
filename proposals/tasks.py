"""Celery entry points of 建议提案办理: plain arguments in, call the module that does the work;
safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def sweep_proposals(now=None):
    """自动催办 (proposals.reminders): beat runs it every 30 minutes in office hours. `now` is an
    ISO date-time ("2027-03-10T10:00:00+08:00") for a catch-up run; by default the current time.
    Running it twice, or twice at once, sends each (item, kind, day) reminder once."""
    moment = datetime.datetime.fromisoformat(now) if now else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # the office's local time
    return reminders.sweep(now=moment)
