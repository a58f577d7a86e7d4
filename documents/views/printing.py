"""收文 printing: the routing slip (收文处理笺) as a PDF laid out on the GB/T 9704 page.

Whoever cannot see the document gets a 404, exactly as for its page (selectors); printing a
classified document is an opening and is written to the trail (DOMAIN.md §2)."""

from django.http import HttpResponse
from django.urls import path

from office.downloads import content_disposition
from office.pdf import render_pdf
from office.trail import record_opening

from ..pdf import routing_slip_context, slip_queryset
from ..selectors import incoming_get_or_404


def routing_slip(request, pk):
    document = incoming_get_or_404(request.user, pk, queryset=slip_queryset())
    record_opening(request, document)
    data = render_pdf("documents/pdf/routing_slip.html", routing_slip_context(document))
    response = HttpResponse(data, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"  # a business document: kept by no cache
    number = document.registration_number or str(document.pk)
    response["Content-Disposition"] = content_disposition(
        f"收文处理笺-{number}.pdf", fallback=f"routing-slip-{document.pk}.pdf", inline=True
    )
    return response


urlpatterns = [
    path("incoming/<int:pk>/slip.pdf", routing_slip, name="incoming-slip"),
]
