"""Benchmark of 发文批量打印 (documents/outgoing_batch.py): run
`.venv/bin/python bench/outgoing_batch_bench.py` (PostgreSQL must be up: `make services`).

It works in its own database, `office_bench_outgoing` (BENCH_OUTGOING_DATABASE_URL overrides it;
DATABASE_URL is ignored so a real database is never touched), created from template0 with
C.UTF-8 when missing and migrated. Each run drafts, signs off and numbers DOCUMENTS new outgoing
documents of about three pages through the real workflow — every text carries the run's own
token, so the PDF cache is never hit — then prints them as one batch through the batch task
(`start_batch` → `documents.tasks.render_outgoing_batch`, run eagerly in this process: no broker
is touched), with the PDF cache and the stored ZIP in a temporary folder.

Measured: one warm-up render first (WeasyPrint's import and font loading are reported apart),
then the whole batch — wall and CPU seconds, seconds per document, pages per second — and each
document's render (median and p95, through a timing wrapper around render_outgoing); the rest
of the batch time is the ZIP, the progress UPDATEs and the storage. Target: ≤ TARGET_PER_DOCUMENT
seconds per document (the 7-page cold target of bench/pdf_bench.py); exits 1 when missed.
"""

import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import common

BENCH_DATABASE_URL = common.configure(
    "BENCH_OUTGOING_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/office_bench_outgoing",
    eager=True,
)

DOCUMENTS = 50
TARGET_PER_DOCUMENT = 0.5

HEADINGS = ("总体要求", "主要任务", "工作要求")


def people():
    """The issuing unit, two recipient units, a secretary and a leader (idempotent)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from office.models import Clearance, Unit, User
    from office.roles import Role

    def unit(name, short_name, kind, code=""):
        return Unit.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "code": code}
        )[0]

    government = unit("珠海市人民政府", "市政府", Unit.Kind.GOVERNMENT, code="珠府")
    office = unit("珠海市人民政府办公室", "市府办", Unit.Kind.OFFICE, code="珠府办")
    recipients = (
        unit("珠海市教育局", "市教育局", Unit.Kind.DEPARTMENT),
        unit("珠海市住房和城乡建设局", "市住建局", Unit.Kind.DEPARTMENT),
    )

    def user(username, real_name, role, unit):
        person, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "real_name": real_name,
                "unit": unit,
                "clearance": Clearance.SECRET,
                "password_changed_at": timezone.now(),
            },
        )
        person.groups.set([Group.objects.get_or_create(name=role)[0]])
        return person

    secretary = user("bench_batch_secretary", "王秘书", Role.SECRETARY, office)
    leader = user("bench_batch_leader", "李副市长", Role.LEADER, government)
    return government, recipients, secretary, leader


def body(run, n):
    """About three GB/T 9704 pages: three numbered sections of two run-in paragraphs each."""
    from office.pdf import SAMPLE_SENTENCES

    numerals = "一二三"
    lines = [f"为做好第{n}项重点工作（批次{run}），经市人民政府同意，现就有关事项通知如下。"]
    for section, heading in enumerate(HEADINGS):
        lines.append(f"{numerals[section]}、{heading}")
        for index in range(2):
            sentences = "".join(
                SAMPLE_SENTENCES[(n + section + index + k) % len(SAMPLE_SENTENCES)]
                for k in range(2)
            )
            lines.append(f"（{numerals[index]}）第{index + 1}项措施。{sentences}（{run}-{n}）")
    lines.append("本通知自印发之日起施行。")
    return "\n".join(lines)


def make_documents(run):
    """DOCUMENTS documents drafted, signed off and numbered through the real workflow."""
    from documents import services
    from documents.workflow import outgoing as flow

    government, recipients, secretary, leader = people()
    documents = []
    for n in range(1, DOCUMENTS + 1):
        draft = services.Draft(
            doc_type="notice",
            issuing_unit=government,
            direction="downward",
            title=f"关于做好第{n}项重点工作的通知（{run}）",
            body=body(run, n),
            main_recipients=recipients,
        )
        document = services.outgoing_draft(draft, actor=secretary)
        flow.submit(document, actor=secretary)
        flow.sign_off(document, actor=leader, opinion="同意。")
        flow.number(document, actor=secretary)
        documents.append(document)
    return documents, secretary


def main():
    common.start_django(BENCH_DATABASE_URL)
    from django.conf import settings

    from documents import outgoing_batch
    from office.checks import harfbuzz_subset_available
    from office.models import PdfJob

    run = time.strftime("%Y%m%d%H%M%S")
    started = time.perf_counter()
    documents, secretary = make_documents(run)
    print(
        f"{DOCUMENTS} documents drafted, signed off and numbered in "
        f"{time.perf_counter() - started:.1f} s ({BENCH_DATABASE_URL})"
    )

    with tempfile.TemporaryDirectory(prefix="outgoing-batch-bench-") as folder:
        settings.PDF_CACHE_DIR = Path(folder) / "pdf-cache"
        settings.MEDIA_ROOT = Path(folder) / "media"

        renders = []
        real_render = outgoing_batch.render_outgoing

        def timed_render(document, *, final):
            began = time.perf_counter()
            pdf = real_render(document, final=final)
            renders.append(time.perf_counter() - began)
            return pdf

        began = time.perf_counter()
        __import__("weasyprint")
        import_seconds = time.perf_counter() - began
        warmup = documents[0]
        began = time.perf_counter()
        real_render(warmup, final=False)  # loads the fonts; a draft print, so not cached for below
        warmup_seconds = time.perf_counter() - began

        outgoing_batch.render_outgoing = timed_render
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            job = outgoing_batch.start_batch(documents, user=secretary)  # the task runs eagerly
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        finally:
            outgoing_batch.render_outgoing = real_render

        job.refresh_from_db()
        if job.status != PdfJob.Status.READY:
            print(f"the batch failed: {job.status} {job.last_error}")
            return 1
        with job.file.open("rb") as file, zipfile.ZipFile(file) as package:
            members = len(package.namelist())
            size = sum(info.file_size for info in package.infolist())

    per_document = wall / DOCUMENTS
    renders.sort()
    p95 = common.p95(renders)
    passed = per_document <= TARGET_PER_DOCUMENT
    print(f"import weasyprint: {import_seconds:.2f} s; warm-up render: {warmup_seconds:.2f} s")
    print(f"libharfbuzz-subset: {'yes' if harfbuzz_subset_available() else 'MISSING'}")
    print(
        f"ZIP: {members} PDFs, {job.pages} pages ({job.pages / DOCUMENTS:.1f} per document), "
        f"{size / 1e6:.1f} MB; done {job.done}/{job.total}"
    )
    print(common.load_average())
    print()
    print(
        f"batch of {DOCUMENTS}, total:      {wall:7.2f} s wall, {cpu:6.2f} s CPU, "
        f"{job.pages / wall:.1f} pages/s"
    )
    print(
        f"per document (total / {DOCUMENTS}):  {per_document:7.3f} s   "
        f"target ≤ {TARGET_PER_DOCUMENT} s  {'PASS' if passed else 'FAIL'}"
    )
    print(
        f"render_outgoing per document: median {statistics.median(renders):.3f} s, "
        f"p95 {p95:.3f} s, max {renders[-1]:.3f} s"
    )
    print(f"rest (ZIP, progress UPDATEs, storage): {wall - sum(renders):.2f} s")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
