"""Celery entry point of 台账导出 (supervision.export): a job id in, re-fetch the row, build the
workbook; a job that is gone or already finished is left alone, so running it twice is safe.
Storage errors retry with backoff (like office.tasks.render_pdf_job)."""

from celery import shared_task
from django.conf import settings
from django.db import transaction


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=10,
    retry_backoff_max=settings.CELERY_MAX_RETRY_DELAY,
    max_retries=3,
)
def export_ledger(job_id):
    from office.models import PdfJob

    from .export import EXPORT_KIND, run_export

    with transaction.atomic():
        job = (
            PdfJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, template_name=EXPORT_KIND)
            .first()
        )
        if job is None or job.status not in (PdfJob.Status.PENDING, PdfJob.Status.FAILED):
            return None
        job.status = PdfJob.Status.PROCESSING
        job.done = 0
        job.save(update_fields=["status", "done"])
    return run_export(job)
