"""Benchmark of 台账导出 (supervision/export.py): run `.venv/bin/python bench/supervision_export.py`
or `make bench-supervision-export` (PostgreSQL must be up: `make services`).

It works in its own database, `office_bench_supervision` (BENCH_SUPERVISION_DATABASE_URL overrides
it; DATABASE_URL is ignored so a real database is never touched), created from template0 with
C.UTF-8 when missing and migrated. It fills it once with ITEMS supervision items — 24 lead units,
one or two co-units each, eight leaders, every source and state, a counted progress report of
about 60 characters on most items, lights of every colour — written in bulk (立项 one by one
through the workflow would take minutes and measures nothing of the export); later runs reuse
them.

Measured: the export job of the whole ledger for a supervisor, through the task
(`start_export` → `supervision.tasks_export.export_ledger`, run eagerly in this process: no
broker is touched), with the file stored in a temporary folder — wall and CPU seconds, rows per
second, how often `done` was stored, the file's size and the peak memory: the process's peak
RSS (getrusage) and, in a second run under tracemalloc, the peak of Python allocations during
the export (openpyxl's write-only mode keeps it flat however many rows). Target: the 10,000 rows
in at most TARGET_SECONDS; exits 1 when missed.
"""

import datetime
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import common

BENCH_DATABASE_URL = common.configure(
    "BENCH_SUPERVISION_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/office_bench_supervision",
    eager=True,
)

ITEMS = 10_000
TARGET_SECONDS = 30.0
BATCH = 2_000
TITLES = (
    "推进全市中小学课后服务提质扩面",
    "加快城市更新重点片区改造",
    "完善城乡居民医疗保障体系",
    "推动港珠澳大桥经济区建设",
    "落实优化营商环境改革举措",
    "提升公共交通出行分担率",
)
PROGRESS = (
    "已完成前期摸底调查，形成工作方案初稿，正在征求相关部门意见，计划下月提请审议。",
    "项目已完成立项和用地预审，正在开展施工图设计，同步推进招标准备工作。",
    "已召开专题协调会研究推进，明确责任分工和时间节点，各项工作有序推进。",
)


def people():
    """24 departments, eight leaders and the supervisor who exports (idempotent)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from office.models import Clearance, Unit, User
    from office.roles import Role

    units = [
        Unit.objects.get_or_create(
            name=f"珠海市第{n}部门", defaults={"short_name": f"部门{n}", "kind": "department"}
        )[0]
        for n in range(1, 25)
    ]

    def user(username, real_name, role):
        person, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "real_name": real_name,
                "clearance": Clearance.SECRET,
                "password_changed_at": timezone.now(),
            },
        )
        person.groups.set([Group.objects.get_or_create(name=role)[0]])
        return person

    leaders = [user(f"bench_sv_leader{n}", f"第{n}副市长", Role.LEADER) for n in range(1, 9)]
    supervisor = user("bench_sv_supervisor", "赵督查", Role.SUPERVISOR)
    return units, leaders, supervisor


def make_items(units, leaders, supervisor):
    """ITEMS items in bulk (once): numbers 督〔year〕n号 outside the allocator's register."""
    from django.db import transaction
    from django.utils import timezone

    from supervision.models import ProgressReport, Source, SupervisionItem

    have = SupervisionItem.objects.filter(item_number__startswith="督〔测").count()
    if have >= ITEMS:
        return have
    SupervisionItem.objects.filter(item_number__startswith="督〔测").delete()
    S = SupervisionItem.State
    states = [S.ASSIGNED, S.IN_PROGRESS, S.IN_PROGRESS, S.IN_PROGRESS, S.CLOSED, S.OPENED]
    sources = Source.values
    today = timezone.localdate()
    through = SupervisionItem.co_units.through
    for start in range(0, ITEMS, BATCH):
        with transaction.atomic():
            batch = []
            for n in range(start, min(start + BATCH, ITEMS)):
                state = states[n % len(states)]
                deadline = today + datetime.timedelta(days=(n % 120) - 20)
                batch.append(
                    SupervisionItem(
                        item_number=f"督〔测{today.year}〕{n + 1}号",
                        year=today.year,
                        title=f"{TITLES[n % len(TITLES)]}（第{n + 1}项）",
                        requirement="按市政府要求抓好落实。",
                        source=sources[n % len(sources)],
                        source_label=f"市政府常务会议纪要 {today.year}年第{n % 40 + 1}期",
                        lead_unit=units[n % len(units)],
                        responsible_leader=leaders[n % len(leaders)],
                        supervisor=supervisor,
                        state=state,
                        opened_on=today - datetime.timedelta(days=90),
                        opened_by=supervisor,
                        assigned_on=None if state == S.OPENED else today - datetime.timedelta(89),
                        deadline=deadline,
                        original_deadline=deadline,
                        report_due_on=today + datetime.timedelta(days=(n % 30) - 5),
                        behind_on=today - datetime.timedelta(days=1) if n % 7 == 0 else None,
                        progress=(n * 7) % 100,
                        closed_on=today - datetime.timedelta(days=3) if state == S.CLOSED else None,
                    )
                )
            items = SupervisionItem.objects.bulk_create(batch)
            through.objects.bulk_create(
                through(supervisionitem_id=item.pk, unit_id=units[(i + k) % len(units)].pk)
                for i, item in enumerate(items, start=start)
                for k in range(1, 2 + i % 2)
            )
            reports = ProgressReport.objects.bulk_create(
                ProgressReport(
                    item=item,
                    text=PROGRESS[i % len(PROGRESS)],
                    progress=item.progress,
                    unit=item.lead_unit,
                    author=supervisor,
                    state=ProgressReport.State.APPROVED,
                )
                for i, item in enumerate(items)
                if item.state != S.OPENED
            )
            for report in reports:
                report.item.latest_report = report
            SupervisionItem.objects.bulk_update([r.item for r in reports], ["latest_report"])
    return SupervisionItem.objects.filter(item_number__startswith="督〔测").count()


def export_once(supervisor, *, traced):
    from office.models import PdfJob
    from supervision import export

    if traced:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    job = export.start_export("sort=item_number", user=supervisor)  # the task runs eagerly
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = None
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    job.refresh_from_db()
    if job.status != PdfJob.Status.READY:
        raise SystemExit(f"the export failed: {job.status} {job.last_error}")
    return job, wall, cpu, peak


def main():
    common.start_django(BENCH_DATABASE_URL)
    from django.conf import settings
    from openpyxl import load_workbook

    from supervision import export

    units, leaders, supervisor = people()
    began = time.perf_counter()
    count = make_items(units, leaders, supervisor)
    print(f"{count} items ready in {time.perf_counter() - began:.1f} s ({BENCH_DATABASE_URL})")

    stores = []
    real_progress = export.job_progress

    def counted_progress(job, done):
        stores.append(done)
        real_progress(job, done)

    export.job_progress = counted_progress
    with tempfile.TemporaryDirectory(prefix="supervision-export-bench-") as folder:
        settings.MEDIA_ROOT = Path(folder) / "media"
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        job, wall, cpu, _ = export_once(supervisor, traced=False)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = job.file.size
        with job.file.open("rb") as file:
            sheet = load_workbook(file, read_only=True).active
            rows = sum(1 for _ in sheet.iter_rows(min_row=3, values_only=True))
        progress_stores = len(stores)
        _, traced_wall, _, peak = export_once(supervisor, traced=True)
    export.job_progress = real_progress

    passed = wall <= TARGET_SECONDS and rows == job.total == job.done
    print(f"rows: {rows} (job done {job.done}/{job.total}); `done` stored {progress_stores} times")
    print(f"file: {size / 1e6:.2f} MB")
    print(common.load_average())
    print()
    print(
        f"export of {job.total} rows: {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
        f"{job.total / wall:,.0f} rows/s   target ≤ {TARGET_SECONDS:.0f} s  "
        f"{'PASS' if passed else 'FAIL'}"
    )
    print(
        f"peak RSS of the process: {rss_after / 1024:.0f} MiB "
        f"(before the export {rss_before / 1024:.0f} MiB)"
    )
    print(
        f"peak Python allocations during the export (tracemalloc run, {traced_wall:.1f} s): "
        f"{peak / 2**20:.1f} MiB"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
