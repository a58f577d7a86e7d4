"""发文批量打印 (documents.outgoing_batch): the real task on real WeasyPrint writes one ZIP of PDFs
with its progress counted; only secretaries start it, only for documents they can see, and the
job is the requester's alone."""

import io
import time
import zipfile

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.urls import include, path, reverse

from documents import outgoing_batch
from documents import urls as documents_urls
from documents.models import OutgoingDocument
from documents.tasks import render_outgoing_batch
from documents.views import outgoing_batch as batch_views
from office import urls as root_urls
from office.models import Clearance, PdfJob, TrailEvent
from tests.documents.test_outgoing_workflow import draft, signed_and_numbered
from tests.office.test_notifications import redis_worker  # noqa: F401  (a fixture, used by name)


def _urlpatterns_with_print_batch():
    """The site's URLs with the batch view in the "documents" namespace, whether or not
    documents/urls.py includes it already."""
    names = {getattr(p, "name", None) for p in documents_urls.urlpatterns}
    missing = [p for p in batch_views.urlpatterns if p.name not in names]
    others = [p for p in root_urls.urlpatterns if getattr(p, "app_name", None) != "documents"]
    documents = path("documents/", include((documents_urls.urlpatterns + missing, "documents")))
    return [documents, *others]


urlpatterns = _urlpatterns_with_print_batch()


@pytest.fixture(autouse=True)
def _pdf_folders(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OFFICIAL_FONTS_DIR = ""


BODY = "一、总体要求\n各单位要高度重视第{n}项工作。\n二、工作措施\n（一）压实责任。明确分工，按时完成。"


def numbered(personas, units, n, **overrides):
    return signed_and_numbered(
        personas,
        units,
        title=f"关于做好第{n}项重点工作的通知",
        body=BODY.format(n=n),
        **overrides,
    )


def zip_members(job):
    with job.file.open("rb") as file:
        data = file.read()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def first_page(pdf):
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return document.pages[0].extract_text().replace("\n", ""), len(document.pages)


@pytest.mark.django_db
def test_the_task_writes_one_zip_of_pdfs_and_counts_its_progress(
    personas, units, django_capture_on_commit_callbacks
):
    documents = [numbered(personas, units, n) for n in (1, 2, 3)]
    documents.append(draft(personas, units, title="关于征求意见的通知", body="请提出意见。"))
    with django_capture_on_commit_callbacks() as callbacks:
        job = outgoing_batch.start_batch(documents, user=personas["secretary"])
    assert len(callbacks) == 1  # queued after commit
    assert (job.title, job.total, job.done, job.status) == ("发文批量打印（4 件）", 4, 0, "pending")
    assert job.context == {"outgoing_ids": [d.pk for d in documents]}

    seen = []

    def progress(done, total):
        # What the polling page reads after each document: the count, committed on its own.
        seen.append((PdfJob.objects.get(pk=job.pk).done, total))

    assert outgoing_batch.run_batch(job, on_progress=progress) == PdfJob.Status.READY
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]

    job.refresh_from_db()
    assert (job.status, job.done, job.last_error) == (PdfJob.Status.READY, 4, "")
    assert job.file.name.endswith(".zip")
    members = zip_members(job)
    expected = [f"{d.document_number} {d.title}.pdf" for d in documents[:3]]
    expected.append(f"未编号-{documents[3].pk} 关于征求意见的通知.pdf")
    assert list(members) == expected
    pages = 0
    for document, name in zip(documents, expected, strict=True):
        text, count = first_page(members[name])
        pages += count
        assert document.title in text
        # The draft carries the 征求意见稿 watermark (rotated: its 「稿」 is extracted out of
        # line); a numbered document prints as issued, without it.
        if document.document_number:
            assert document.document_number in text and "稿" not in text
        else:
            assert "稿" in text
    assert job.pages == pages

    # Run again (a redelivered message): a finished job is left alone.
    assert render_outgoing_batch.apply(args=[str(job.pk)]).get() is None


@pytest.mark.django_db
def test_a_document_the_requester_can_no_longer_see_is_skipped(personas, units):
    secretary = personas["secretary"]
    plain = numbered(personas, units, 1)
    secret = numbered(personas, units, 2, classification=Clearance.SECRET, secrecy_period="1年")
    job = outgoing_batch.start_batch([plain, secret], user=secretary)
    secretary.clearance = Clearance.NONE  # lowered before the worker runs
    secretary.save()

    render_outgoing_batch.apply(args=[str(job.pk)])

    job.refresh_from_db()
    assert (job.status, job.done) == (PdfJob.Status.READY, 2)
    assert list(zip_members(job)) == [f"{plain.document_number} {plain.title}.pdf"]
    assert job.context["note"] == "另有1件发文已不存在或您已无权查看，未打印。"


@pytest.mark.django_db
def test_a_failing_document_fails_the_job_with_its_name(personas, units):
    documents = [numbered(personas, units, n) for n in (1, 2)]
    job = outgoing_batch.start_batch(documents, user=personas["secretary"])
    # The second document's row is damaged (an urgency no print knows, as a bad import or a
    # hand edit in the database could leave it): its real print fails.
    OutgoingDocument.objects.filter(pk=documents[1].pk).update(urgency="damaged")
    render_outgoing_batch.apply(args=[str(job.pk)])
    job.refresh_from_db()
    assert job.status == PdfJob.Status.FAILED and not job.file and job.done == 1
    assert documents[1].document_number in job.last_error and "出错" in job.last_error


def test_more_than_200_documents_are_refused():
    many = [OutgoingDocument(pk=n) for n in range(1, 202)]
    with pytest.raises(ValidationError, match="一次最多批量打印200件发文，本次选择了201件"):
        outgoing_batch.start_batch(many, user=None)
    with pytest.raises(ValidationError, match="请至少选择一件发文"):
        outgoing_batch.start_batch([], user=None)


@pytest.mark.django_db
def test_confidential_documents_are_never_printed_in_bulk(personas, units):
    personas["secretary"].clearance = Clearance.CONFIDENTIAL
    personas["secretary"].save()
    doc = numbered(personas, units, 1, classification=Clearance.CONFIDENTIAL, secrecy_period="10年")
    with pytest.raises(ValidationError, match="机密级及以上公文不得批量打印"):
        outgoing_batch.start_batch([doc], user=personas["secretary"])
    assert not PdfJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_only_secretaries_start_a_batch_of_what_they_can_see(client, personas, units):
    url = reverse("documents:outgoing-print-batch")
    assert url == "/documents/outgoing/print-batch/"
    mine = [numbered(personas, units, n) for n in (1, 2)]
    secret = numbered(personas, units, 3, classification=Clearance.SECRET, secrecy_period="1年")
    low = personas["supervisor"]  # office staff, but not a secretary
    client.force_login(low)
    assert client.post(url, {"ids": [mine[0].pk]}).status_code == 403
    client.force_login(personas["handler_a"])
    assert client.post(url, {"ids": [mine[0].pk]}).status_code == 403
    assert not PdfJob.objects.exists()

    secretary = personas["secretary"]
    client.force_login(secretary)
    assert client.get(url).status_code == 405
    ids = [mine[1].pk, "x", mine[0].pk, secret.pk, mine[1].pk, 999_999]
    response = client.post(url, {"ids": ids}, follow=True)
    job = PdfJob.objects.get()
    assert response.redirect_chain[0][0] == reverse("office:pdf-job", args=[job.pk])
    assert job.requested_by == secretary and job.total == 3
    assert job.context["outgoing_ids"] == [mine[1].pk, mine[0].pk, secret.pk]
    assert "有1件不存在或您无权查看" in response.content.decode()
    # Printing the 秘密 document is an opening, in the trail.
    assert TrailEvent.objects.filter(action="open", object_id=secret.pk, actor=secretary).exists()

    # Nothing the user can see: refused with a message, no job.
    response = client.post(url, {"ids": [999_999]}, headers={"referer": "/documents/"})
    assert response.status_code == 302 and response["Location"] == "/documents/"
    assert PdfJob.objects.count() == 1

    # Another user does not see the job at all.
    client.force_login(personas["leader"])
    assert client.get(reverse("office:pdf-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("office:pdf-job-download", args=[job.pk])).status_code == 404


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_worker")
def test_a_celery_worker_on_redis_prints_the_batch(personas, units):
    documents = [numbered(personas, units, n) for n in (1, 2, 3)]
    job = outgoing_batch.start_batch(documents, user=personas["secretary"])

    def finished():
        job.refresh_from_db()
        return job.status in (PdfJob.Status.READY, PdfJob.Status.FAILED)

    assert wait_for(finished), f"the worker did not finish the job: {job.status} {job.done}"
    assert (job.status, job.done, job.last_error) == (PdfJob.Status.READY, 3, "")
    assert len(zip_members(job)) == 3
