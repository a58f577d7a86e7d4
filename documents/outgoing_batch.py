"""发文批量打印: up to 200 outgoing documents printed in the background into one ZIP of PDFs, with
a progress count the job page polls (STYLE.md: long jobs are rows with a status; FIELD_NOTES.md:
heavy batches render in Celery).

- `start_batch(documents, *, user)` creates the PdfJob (total = the number of documents, context
  {"outgoing_ids": [...]}) and queues `documents.tasks.render_outgoing_batch` after commit.
- `run_batch(job)` (the task, after marking the job PROCESSING) re-checks what the requester may
  still see (documents.selectors.outgoing_visible_to), prints each document with
  `documents.outgoing_print.render_outgoing` — the issued text (final) from 已编号 on, a draft
  print before — into a temporary ZIP, counts `done` after each document in its own short
  UPDATE, then stores the ZIP and marks the job READY with the pages of all PDFs. A document the
  requester can no longer see is skipped and counted in a note; one that fails to print fails the
  job with a message naming it.

Documents at 机密 or above are never exported in bulk (DOMAIN.md §2): refused when the batch is
started, skipped if one became so since.
"""

import logging
import re
import tempfile
import unicodedata
import zipfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from office.models import Clearance, PdfJob
from office.pdf import finish_job, job_progress, tally_pages

from .models import OutgoingDocument
from .outgoing_print import TEMPLATE, render_outgoing
from .selectors import outgoing_visible_to

logger = logging.getLogger(__name__)

MAX_DOCUMENTS = 200
BULK_LIMIT = Clearance.SECRET  # 机密 and above are never exported in bulk
S = OutgoingDocument.State
FINAL_STATES = (S.NUMBERED, S.SEALED, S.DISPATCHED, S.ARCHIVED)
NAME_LENGTH = 80  # characters of a file name in the ZIP, before ".pdf"


def start_batch(documents, *, user):
    """Queue the print of `documents` (outgoing documents the caller has already filtered to
    what `user` may see) as one background job; returns the PdfJob. Refuses an empty batch, more
    than MAX_DOCUMENTS and any document at 机密 or above, with the reason."""
    documents = list({document.pk: document for document in documents}.values())
    if not documents:
        raise ValidationError("请至少选择一件发文。")
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError(
            f"一次最多批量打印{MAX_DOCUMENTS}件发文，本次选择了{len(documents)}件，请分批打印。"
        )
    secret = [d for d in documents if d.classification > BULK_LIMIT]
    if secret:
        names = "、".join(label(d) for d in secret[:5]) + ("等" if len(secret) > 5 else "")
        raise ValidationError(f"机密级及以上公文不得批量打印导出：{names}。请取消选择后重试。")
    from .tasks import render_outgoing_batch

    with transaction.atomic():
        job = PdfJob.objects.create(
            title=f"发文批量打印（{len(documents)} 件）",
            template_name=TEMPLATE,
            context={"outgoing_ids": [d.pk for d in documents]},
            total=len(documents),
            requested_by=user,
        )
        job_id = str(job.pk)
        transaction.on_commit(lambda: render_outgoing_batch.delay(job_id))
    return job


def label(document):
    """How a message names a document: its 发文字号 and title, or 未编号 and its title."""
    return f"{document.document_number or '（未编号）'}《{document.title}》"


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def file_name(document):
    """`<发文字号 or 未编号-id> <title>.pdf`, safe on Windows, macOS and Linux: no path
    separators, reserved or control characters, no leading dot, at most NAME_LENGTH characters
    (the 发文字号 makes it unique within the ZIP)."""
    prefix = document.document_number or f"未编号-{document.pk}"
    text = unicodedata.normalize("NFC", f"{prefix} {document.title}")
    text = _UNSAFE.sub("_", " ".join(text.split())).strip(" .")
    return text[:NAME_LENGTH].rstrip(" .") + ".pdf"


def _documents(job):
    """The job's documents the requester may still see, in the order chosen (a dict by pk), and
    how many were skipped."""
    ids = [int(pk) for pk in job.context.get("outgoing_ids", [])]
    user = job.requested_by
    allowed = set(
        outgoing_visible_to(user)
        .filter(pk__in=ids, classification__lte=BULK_LIMIT)
        .values_list("pk", flat=True)
    )
    rows = OutgoingDocument.objects.filter(pk__in=allowed).select_related(
        "issuing_unit", "printing_unit", "signer"
    )
    by_pk = {document.pk: document for document in rows}
    return [by_pk.get(pk) for pk in ids]


def run_batch(job, *, on_progress=None):
    """Print the job's documents into one ZIP (see the module docstring) and return the job's
    final status. `on_progress(done, total)` is called after each document (tests, benchmark)."""
    documents = _documents(job)
    skipped = 0
    with tempfile.TemporaryFile() as archive, tally_pages() as tally:
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as package:
            for index, document in enumerate(documents, start=1):
                if document is None:
                    skipped += 1
                else:
                    try:
                        pdf = render_outgoing(document, final=document.state in FINAL_STATES)
                    except Exception as exc:
                        logger.exception("Batch %s: document %s failed", job.pk, document.pk)
                        return finish_job(
                            job,
                            status=PdfJob.Status.FAILED,
                            fields=("done",),
                            last_error=f"打印{label(document)}时出错（{type(exc).__name__}），"
                            "整批未生成。请稍后重试，或取消选择该件后重新批量打印。",
                        )
                    package.writestr(file_name(document), pdf)
                job_progress(job, index)
                if on_progress is not None:
                    on_progress(index, job.total)
        if skipped == len(documents):
            return finish_job(
                job,
                status=PdfJob.Status.FAILED,
                last_error="所选发文均已不存在或您已无权查看，未生成文件。",
                fields=("done",),
            )
        job.context = {**job.context, "printed": len(documents) - skipped}
        if skipped:
            job.context["note"] = f"另有{skipped}件发文已不存在或您已无权查看，未打印。"
        archive.seek(0)
        try:
            job.file.save(f"{job.pk}.zip", File(archive, name=f"{job.pk}.zip"), save=False)
        except OSError:
            logger.exception("Batch %s could not be stored", job.pk)
            finish_job(
                job,
                status=PdfJob.Status.FAILED,
                last_error="文件保存失败，系统将自动重试。",
                fields=("done",),
            )
            raise
    job.pages = tally.pages if tally.complete else None
    return finish_job(job, status=PdfJob.Status.READY, fields=("done", "file", "pages", "context"))
