"""发文批量打印: the 发文登记簿's checked rows (`ids`, several values) posted here become one
background job (documents.outgoing_batch), and the user is sent to its page, which shows the
progress and then the ZIP to download.

Only secretaries print in bulk (403 for anyone else). Ids the user cannot see are treated like
ids that do not exist (STYLE.md: 404 semantics): they are left out, and a batch left empty is
refused with a message. Printing a classified document is an opening and goes to the trail
(DOMAIN.md §2)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from office.trail import record_opening

from ..outgoing_batch import start_batch
from ..permissions import is_secretary
from ..selectors import outgoing_visible_to


def _ids(values):
    """The posted ids as integers, in the order posted, each once; anything else is dropped."""
    ids = []
    for value in values:
        if value.strip().isdigit() and int(value) not in ids:
            ids.append(int(value))
    return ids


def _back(request):
    referer = request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    try:
        return reverse("documents:outgoing-register")
    except NoReverseMatch:
        return reverse("office:desk")


@require_POST
def print_batch(request):
    if not is_secretary(request.user):
        raise PermissionDenied("只有秘书可以批量打印发文。")
    ids = _ids(request.POST.getlist("ids"))
    found = {d.pk: d for d in outgoing_visible_to(request.user).filter(pk__in=ids).distinct()}
    documents = [found[pk] for pk in ids if pk in found]
    try:
        job = start_batch(documents, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(_back(request))
    for document in documents:
        record_opening(request, document)
    if len(documents) < len(ids):
        skipped = len(ids) - len(documents)
        messages.warning(request, f"所选发文中有{skipped}件不存在或您无权查看，已略过。")
    return redirect("office:pdf-job", job.pk)


urlpatterns = [
    path("outgoing/print-batch/", print_batch, name="outgoing-print-batch"),
]
