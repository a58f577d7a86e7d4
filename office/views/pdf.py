"""Background PDF jobs: a page that polls the job's status and a download link.

A user sees only the jobs they asked for; anyone else's job is a 404, not a 403 (STYLE.md:
access helpers return 404 for what you cannot see). A batch job (total > 0, e.g. 发文批量打印)
shows its progress (已完成 12/50) and downloads as the ZIP its task stored."""

from pathlib import PurePath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from ..downloads import content_disposition
from ..models import PdfJob

IN_PROGRESS = (PdfJob.Status.PENDING, PdfJob.Status.PROCESSING)


def _own_job(user, pk):
    return get_object_or_404(PdfJob, pk=pk, requested_by=user)


def job_detail(request, pk):
    """The job's page; while it is pending or processing, htmx fetches its status fragment
    every 2 seconds."""
    job = _own_job(request.user, pk)
    template = "office/pdf_job_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#job-status"
    return render(request, template, {"job": job, "in_progress": job.status in IN_PROGRESS})


# What a job's stored file is served as, by its extension.
MEDIA_TYPES = {".pdf": "application/pdf", ".zip": "application/zip"}


def job_download(request, pk):
    job = _own_job(request.user, pk)
    if job.status != PdfJob.Status.READY or not job.file:
        raise Http404("文件尚未生成。")
    extension = PurePath(job.file.name).suffix.lower()
    if extension not in MEDIA_TYPES:
        raise Http404("文件尚未生成。")
    filename = job.title.replace("/", "／").replace("\\", "＼") + extension
    response = FileResponse(job.file.open("rb"), content_type=MEDIA_TYPES[extension])
    response["Content-Disposition"] = content_disposition(
        filename, fallback=f"pdf-job-{job.pk}{extension}"
    )
    response["Cache-Control"] = "private, no-store"  # business documents: kept by no cache
    return response


urlpatterns = [
    path("pdf/jobs/<uuid:pk>/", job_detail, name="pdf-job"),
    path("pdf/jobs/<uuid:pk>/download/", job_download, name="pdf-job-download"),
]
