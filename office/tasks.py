"""Celery entry points of the core: ids in, re-fetch, call a service; safe to run twice."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import notifications, reminders
from .models import PdfJob, SecurityPolicy, User


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=settings.CELERY_MAX_RETRY_DELAY,
    max_retries=5,
)
def relay_outbox():
    return notifications.relay_pending()


PASSWORD_WARNING_DAYS = 7


@shared_task
def sweep_password_expiry(today=None):
    """Remind each user once a day in the week before their password expires.

    One indexed range query over password_changed_at; its cost grows with the users due."""
    policy = SecurityPolicy.current()
    if not policy.max_age_days:
        return 0
    today = datetime.date.fromisoformat(today) if today else timezone.localdate()
    now = timezone.now()
    oldest = now - datetime.timedelta(days=policy.max_age_days)
    newest = oldest + datetime.timedelta(days=PASSWORD_WARNING_DAYS)
    sent = 0
    due = User.objects.filter(is_active=True, password_changed_at__lte=newest).only(
        "pk", "password_changed_at", "email", "phone", "real_name", "username", "is_active"
    )
    for user in due.iterator(chunk_size=500):
        expires = timezone.localtime(
            user.password_changed_at + datetime.timedelta(days=policy.max_age_days)
        ).date()
        title = (
            f"您的登录密码已于{expires:%Y年%-m月%-d日}到期，请立即修改"
            if user.password_changed_at <= oldest
            else f"您的登录密码将于{expires:%Y年%-m月%-d日}到期，请及时修改"
        )
        if reminders.remind_once(
            user,
            kind="password_expiry",
            day=today,
            recipients=[user],
            title=title,
            url=reverse("password_change"),
        ):
            sent += 1
    return sent


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=10,
    retry_backoff_max=settings.CELERY_MAX_RETRY_DELAY,
    max_retries=3,
)
def render_pdf_job(job_id):
    """Render a background PDF job; a job that is gone or already finished is left alone."""
    from .pdf import run_job

    with transaction.atomic():
        job = PdfJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if job is None or job.status not in (PdfJob.Status.PENDING, PdfJob.Status.FAILED):
            return None
        job.status = PdfJob.Status.PROCESSING
        job.save(update_fields=["status"])
    return run_job(job)


@shared_task
def prune_pdf_cache():
    """Drop cached prints nobody asked for in 30 days; the cache otherwise grows with every print."""
    from .pdf import prune_cache

    return prune_cache()
