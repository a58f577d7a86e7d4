"""Celery entry points of 督查督办: plain arguments in, call the module that does the work; safe
to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import reminders
from .tasks_export import export_ledger  # noqa: F401  (the worker finds tasks through tasks.py)


@shared_task
def sweep_supervision(now=None):
    """自动催办 (supervision.reminders): beat runs it every 30 minutes in office hours. `now` is
    an ISO date-time ("2026-10-15T10:00:00+08:00") for a catch-up run; by default the current
    time. Running it twice, or twice at once, sends each (item, kind, day) reminder once."""
    moment = datetime.datetime.fromisoformat(now) if now else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # the office's local time
    return reminders.sweep(now=moment)
