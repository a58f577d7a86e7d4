"""Background PDF jobs: a page that polls the job's status and a download link.

A user sees only the jobs they asked for; anyone else's job is a 404, not a 403 (STYLE.md:
access helpers return 404 for what you cannot see)."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

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


def job_download(request, pk):
    job = _own_job(request.user, pk)
    if job.status != PdfJob.Status.READY or not job.file:
        raise Http404("文件尚未生成。")
    filename = job.title.replace("/", "／").replace("\\", "＼") + ".pdf"
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


urlpatterns = [
    path("pdf/jobs/<uuid:pk>/", job_detail, name="pdf-job"),
    path("pdf/jobs/<uuid:pk>/download/", job_download, name="pdf-job-download"),
]
