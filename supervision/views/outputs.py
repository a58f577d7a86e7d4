"""What leaves the ledger: the printed 督办单 of an item (supervision.pdf) and the ledger's xlsx
export, built in the background (supervision.export) on a page that shows its progress.

- `items/<pk>/notice.pdf`: for anyone who can see the item (404 otherwise); its QR code carries
  the item page's absolute URL, which checks login and permission again when scanned. Printing a
  classified item is an opening and goes to the trail (DOMAIN.md §2).
- `export/`: GET shows what will be exported (the ledger's filters in words, how many items) and a
  「开始导出」 button; the POST starts the job and redirects to its page. The filters travel as
  the ledger's query string; the worker parses them again and re-checks visibility.
- `export/<job>/`: the job's page, polled by htmx every second (a plain reload without
  JavaScript): 「已完成 3000/10000」, then the download, or the error. A job is its requester's
  only: anyone else gets a 404 on the page and the download."""

from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from office.downloads import content_disposition
from office.models import PdfJob
from office.trail import record_opening

from .. import export, pdf
from ..forms_ledger import ledger_query
from ..models import SupervisionItem
from ..permissions import can_export
from ..selectors import item_get_or_404

IN_PROGRESS = (PdfJob.Status.PENDING, PdfJob.Status.PROCESSING)


def item_notice_pdf(request, pk):
    """督办单 of one item, for anyone who can see it."""
    related = SupervisionItem.objects.select_related("lead_unit", "responsible_leader")
    item = item_get_or_404(request.user, pk, related)
    record_opening(request, item)
    data = pdf.render_notice(item, url=pdf.item_link(request, item))
    response = HttpResponse(data, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"  # a business document: kept by no cache
    response["Content-Disposition"] = content_disposition(
        f"督办通知单 {item.item_number}.pdf", fallback=f"notice-{item.pk}.pdf", inline=True
    )
    return response


@require_http_methods(["GET", "POST"])
def ledger_export(request):
    """GET: what the export will hold, and the button; POST: start it."""
    if not can_export(request.user):
        raise PermissionDenied("您无权导出督查督办台账。")
    if request.method == "POST":
        job = export.start_export(request.POST.get("query", ""), user=request.user)
        return redirect("supervision:ledger-export-job", job.pk)
    today = timezone.localdate()
    query = ledger_query(request.GET)
    rows, held_back = export.export_rows(request.user, query, as_of=today)
    context = {
        "query": query,
        "filters": export.describe_filters(request.GET),
        "count": rows.count(),
        "held_back": held_back.count(),
        "title": export.export_title(today),
    }
    return render(request, "supervision/export_confirm.html", context)


def _own_job(user, pk):
    return get_object_or_404(PdfJob, pk=pk, requested_by=user, template_name=export.EXPORT_KIND)


def ledger_export_job(request, pk):
    job = _own_job(request.user, pk)
    template = "supervision/export_job.html"
    if request.htmx and not request.htmx.boosted:
        template += "#export-status"
    return render(request, template, {"job": job, "in_progress": job.status in IN_PROGRESS})


def ledger_export_download(request, pk):
    job = _own_job(request.user, pk)
    if job.status != PdfJob.Status.READY or not job.file:
        raise Http404("文件尚未生成。")
    if PurePath(job.file.name).suffix.lower() != ".xlsx":
        raise Http404("文件尚未生成。")
    response = FileResponse(job.file.open("rb"), content_type=export.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(
        f"{job.title}.xlsx", fallback=f"supervision-ledger-{job.created_at:%Y%m%d}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("items/<int:pk>/notice.pdf", item_notice_pdf, name="item-notice-pdf"),
    path("export/", ledger_export, name="ledger-export"),
    path("export/<uuid:pk>/", ledger_export_job, name="ledger-export-job"),
    path("export/<uuid:pk>/download/", ledger_export_download, name="ledger-export-download"),
]
