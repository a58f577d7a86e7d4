"""Celery entry points of 公文办理: plain arguments in, call the module that does the work; safe
to run twice."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import receipts
from .deadlines import send_deadline_reminders


@shared_task
def sweep_incoming_deadlines(today=None):
    """自动催办 (documents.deadlines): beat runs it every hour of the working day. `today` is an
    ISO date ("2026-10-09") for a catch-up run; by default the local date. Running it twice, or
    twice at once, sends each (item, kind, day) reminder once."""
    day = datetime.date.fromisoformat(today) if today else None
    return send_deadline_reminders(today=day)


@shared_task
def sweep_unsigned_receipts(now=None):
    """签收催收 (documents.receipts): beat runs it every 30 minutes in office hours. `now` is an
    ISO date-time with its offset ("2026-11-23T16:30:00+08:00") for a catch-up run; by default
    the current time. Each overdue receipt is chased once a day, however often it runs."""
    moment = datetime.datetime.fromisoformat(now) if now else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # the office's local time
    return receipts.sweep_unsigned_receipts(now=moment)


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=10,
    retry_backoff_max=settings.CELERY_MAX_RETRY_DELAY,
    max_retries=3,
)
def render_outgoing_batch(job_id):
    """发文批量打印 (documents.outgoing_batch): render a batch job's documents into one ZIP; a
    job that is gone or already finished is left alone. Storage errors retry (like
    office.tasks.render_pdf_job)."""
    from office.models import PdfJob

    from .outgoing_batch import run_batch

    with transaction.atomic():
        job = PdfJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if job is None or job.status not in (PdfJob.Status.PENDING, PdfJob.Status.FAILED):
            return None
        job.status = PdfJob.Status.PROCESSING
        job.done = 0
        job.save(update_fields=["status", "done"])
    return run_batch(job)
