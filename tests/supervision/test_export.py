"""台账导出 (supervision.export, views/outputs.py): the ledger's filters parsed once
(supervision.filters), the confirmation page, the job built by the task — read back with openpyxl:
the title row, the header, one row per visible filtered item with its latest progress and its
light as a cell colour — visibility and clearance re-checked in the worker, the job page with its
progress and download for its requester only, and a real Celery worker on Redis finishing a job."""

import datetime
import io
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from office.models import Clearance, PdfJob
from office.roles import Role
from supervision import export, services, workflow
from supervision.filters import parse_ledger_filters, parse_ledger_order
from supervision.models import Source, SupervisionItem
from supervision.selectors import LedgerFilters
from supervision.tasks_export import export_ledger
from tests.documents.test_outgoing_batch import wait_for
from tests.office.test_notifications import redis_worker  # noqa: F401  (a fixture, used by name)

HEADER = [
    "序号",
    "督办编号",
    "事项名称",
    "来源",
    "牵头单位",
    "配合单位",
    "责任领导",
    "办结时限",
    "进度",
    "最新进展",
    "状态",
    "灯",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def new_item(personas, units, today):
    """立项 by the supervisor, then (by default) 交办; `report` is a progress report by unit A's
    head (it counts at once); `overdue_days` moves the deadline into the past (a red light)."""

    def make(title, *, lead="a", co=(), assign=True, report="", overdue_days=0, **plan):
        days = plan.pop("days", 60)
        item = services.open_item(
            services.ItemPlan(
                title=title,
                source=plan.pop("source", Source.INSTRUCTION),
                lead_unit=units[lead],
                co_units=tuple(units[c] for c in co),
                responsible_leader=plan.pop("leader", personas["leader"]),
                deadline=today + datetime.timedelta(days=days),
                **plan,
            ),
            actor=personas["supervisor"],
        )
        if assign:
            workflow.assign(item, actor=personas["supervisor"])
        if report:
            workflow.submit_report(item, actor=personas["head_a"], text=report, progress=40)
        if overdue_days:
            past = today - datetime.timedelta(days=overdue_days)
            SupervisionItem.objects.filter(pk=item.pk).update(deadline=past, original_deadline=past)
        return SupervisionItem.objects.get(pk=item.pk)

    return make


def run(job):
    """The task, called in this process (the Celery worker test below uses a real worker)."""
    export_ledger(str(job.pk))
    job.refresh_from_db()
    return job


def exported(user, query="", **kwargs):
    job = run(export.start_export(query, user=user, **kwargs))
    assert (job.status, job.last_error) == (PdfJob.Status.READY, "")
    return job


def workbook(job):
    with job.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read())).active


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def numbers_in(sheet):
    return [row[1] for row in rows(sheet)]


# --- the filters -------------------------------------------------------------------------------


def test_the_ledger_query_parses_into_filters_and_bad_values_are_ignored():
    query = QueryDict(
        "source=instruction&state=open&light=red&lead_unit=7&responsible_leader=3&year=2026"
        "&deadline_from=2026-01-01&deadline_to=2026-12-31&q=+课后服务++提质+&sort=deadline"
    )
    assert parse_ledger_filters(query) == LedgerFilters(
        source="instruction",
        state="open",
        light="red",
        lead_unit=7,
        responsible_leader=3,
        year=2026,
        deadline_from=datetime.date(2026, 1, 1),
        deadline_to=datetime.date(2026, 12, 31),
        keyword="课后服务 提质",
    )
    assert parse_ledger_order(query) == "deadline"
    bad = QueryDict(
        "source=rumour&state=lost&light=blue&lead_unit=abc&responsible_leader=-3&year=20266"
        "&deadline_from=2026-13-01&deadline_to=昨天&sort=title"
    )
    assert parse_ledger_filters(bad) == LedgerFilters()
    assert parse_ledger_order(bad) == "-id"


# --- the workbook ------------------------------------------------------------------------------


def test_a_filtered_export_holds_exactly_the_visible_filtered_rows(
    personas, units, new_item, today
):
    red = new_item(
        "推进课后服务提质扩面",
        co=("b",),
        report="已完成全市中小学课后服务摸底，制定实施方案初稿。",
        overdue_days=3,
        source_label="李副市长批示（2026年第15号）",
    )
    new_item("新建市第三中学", overdue_days=5, lead="b")  # red, but another unit
    new_item("中小学食堂改造", report="已完成设计。")  # unit A, green
    new_item("教师队伍建设", overdue_days=2, assign=False)  # unit A, red, not yet assigned
    query = f"light=red&lead_unit={units['a'].pk}&sort=item_number"
    job = exported(personas["supervisor"], query)

    sheet = workbook(job)
    assert (
        sheet["A1"].value == f"督查督办事项台账（截至{today.year}年{today.month}月{today.day}日）"
    )
    assert [cell.value for cell in sheet[2]] == HEADER
    listed = rows(sheet)
    assert [row[1] for row in listed] == [red.item_number, numbers_in(sheet)[1]]
    assert job.total == job.done == 2
    first = listed[0]
    assert first[0] == 1
    assert first[2:8] == [
        "推进课后服务提质扩面",
        "领导批示：李副市长批示（2026年第15号）",
        "珠海市教育局",
        "珠海市住房和城乡建设局",
        "李副市长",
        datetime.datetime.combine(red.deadline, datetime.time()),
    ]
    assert first[8:] == [0.4, "已完成全市中小学课后服务摸底，制定实施方案初稿。", "办理中", "红灯"]
    light = sheet.cell(row=3, column=12)
    assert light.fill.fill_type == "solid" and light.fill.fgColor.rgb.endswith("FF0000")
    assert sheet.cell(row=3, column=9).number_format == "0%"
    assert sheet.freeze_panes == "A3"


def test_lights_are_coloured_red_yellow_green_and_closed_items_have_none(personas, new_item):
    new_item("逾期事项", overdue_days=1)
    new_item("临期事项", days=1)
    new_item("正常事项", days=90)
    suspended = new_item("中止事项")
    workflow.suspend(suspended, actor=personas["supervisor"], reason="上级已撤销该项任务")
    sheet = workbook(exported(personas["supervisor"], "sort=item_number"))
    colours = {
        row[0].value: (row[11].value, row[11].fill.fgColor.rgb if row[11].fill.fill_type else None)
        for row in sheet.iter_rows(min_row=3)
    }
    by_title = {row[2]: colours[row[0]] for row in rows(sheet)}
    assert by_title == {
        "逾期事项": ("红灯", "00FF0000"),
        "临期事项": ("黄灯", "00FFFF00"),
        "正常事项": ("绿灯", "0000B050"),
        "中止事项": (None, None),
    }


def test_a_unit_handler_exports_only_their_units_items(personas, units, new_item):
    led = new_item("市教育局牵头事项")
    co = new_item("市住建局牵头、市教育局配合事项", lead="b", co=("a",))
    new_item("市住建局独办事项", lead="b")
    sheet = workbook(exported(personas["handler_a"], "sort=item_number"))
    assert numbers_in(sheet) == [led.item_number, co.item_number]


def test_items_above_clearance_are_absent_and_secret_ones_held_back(personas, new_item):
    open_item = new_item("公开事项")
    secret = new_item("秘密事项", classification=Clearance.SECRET)
    new_item("机密事项", classification=Clearance.CONFIDENTIAL)
    # 陈承办 (no clearance) sees neither classified item.
    sheet = workbook(exported(personas["handler_a"], "sort=item_number"))
    assert numbers_in(sheet) == [open_item.item_number]
    # 赵督查 (秘密) sees the 秘密 item; the 机密 one does not exist for them.
    job = exported(personas["supervisor"], "sort=item_number")
    assert numbers_in(workbook(job)) == [open_item.item_number, secret.item_number]
    assert "note" not in job.context
    # 李副市长 (绝密) sees all three; the 机密 one is never exported in bulk, and the page says so.
    job = exported(personas["leader"], "sort=item_number")
    assert numbers_in(workbook(job)) == [open_item.item_number, secret.item_number]
    assert job.context["note"] == "另有1项机密级及以上事项按规定不批量导出，未列入。"


def test_visibility_is_checked_again_in_the_worker(personas, units, new_item):
    item = new_item("市教育局牵头事项")
    handler = personas["handler_a"]
    job = export.start_export("", user=handler)
    handler.unit = units["b"]  # moved to another unit before the worker ran
    handler.save(update_fields=["unit"])
    assert numbers_in(workbook(run(job))) == []
    assert item.item_number  # the item exists; the handler no longer sees it


def test_a_requester_who_lost_the_right_gets_a_failed_job_with_the_reason(
    client, personas, new_item
):
    new_item("市教育局牵头事项")
    supervisor = personas["supervisor"]
    job = export.start_export("", user=supervisor)
    supervisor.groups.remove(Group.objects.get(name=Role.SUPERVISOR))
    job = run(job)
    assert (job.status, job.last_error) == (PdfJob.Status.FAILED, "您已无权导出督查督办台账。")
    assert not job.file
    client.force_login(supervisor)
    page = client.get(reverse("supervision:ledger-export-job", args=[job.pk]))
    assert "导出失败：您已无权导出督查督办台账。" in page.content.decode()


def test_done_is_counted_every_progress_step(personas, new_item, monkeypatch):
    for n in range(5):
        new_item(f"事项{n + 1}")
    monkeypatch.setattr(export, "PROGRESS_EVERY", 2)
    seen = []
    job = export.start_export("", user=personas["supervisor"])
    job.status = PdfJob.Status.PROCESSING
    export.run_export(job, on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (PdfJob.Status.READY, 5, 5)


def test_running_the_task_twice_builds_the_file_once(personas, new_item):
    new_item("市教育局牵头事项")
    job = run(export.start_export("", user=personas["supervisor"]))
    name, finished = job.file.name, job.finished_at
    job = run(job)
    assert (job.file.name, job.finished_at) == (name, finished)


# --- the pages ---------------------------------------------------------------------------------


def test_the_confirmation_page_says_what_will_be_exported_and_posts_the_query(
    client, personas, units, new_item, django_assert_max_num_queries
):
    new_item("逾期事项", overdue_days=1)
    new_item("正常事项")
    client.force_login(personas["supervisor"])
    url = reverse("supervision:ledger-export")
    with django_assert_max_num_queries(18):
        page = client.get(url, {"light": "red", "lead_unit": units["a"].pk, "page": "2"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "灯：红灯" in text and "牵头单位：珠海市教育局" in text
    assert page.context["count"] == 1
    query = page.context["query"]
    assert query == f"light=red&lead_unit={units['a'].pk}"  # paging dropped
    assert f'name="query" value="{query.replace("&", "&amp;")}"' in text and "开始导出" in text

    response = client.post(url, {"query": query})
    job = PdfJob.objects.get(requested_by=personas["supervisor"])
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:ledger-export-job", args=[job.pk])
    assert (job.template_name, job.context["query"]) == (export.EXPORT_KIND, query)


def test_nothing_to_export_shows_no_button(client, personas, new_item):
    new_item("正常事项")
    client.force_login(personas["supervisor"])
    page = client.get(reverse("supervision:ledger-export"), {"light": "red"})
    text = page.content.decode()
    assert "没有符合筛选条件的事项" in text and "开始导出" not in text


def test_people_without_a_business_role_may_not_export(client, personas):
    client.force_login(personas["outsider"])
    url = reverse("supervision:ledger-export")
    assert client.get(url).status_code == 403
    assert client.post(url, {"query": ""}).status_code == 403
    assert not PdfJob.objects.exists()


def test_the_job_page_polls_shows_progress_then_the_download(client, personas, new_item):
    new_item("市教育局牵头事项")
    supervisor = personas["supervisor"]
    job = export.start_export("", user=supervisor)
    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.Status.PROCESSING, total=10000, done=3000)
    client.force_login(supervisor)
    url = reverse("supervision:ledger-export-job", args=[job.pk])
    page = client.get(url).content.decode()
    assert "已完成 3000/10000" in page and 'hx-trigger="every 1s"' in page
    assert 'http-equiv="refresh"' in page  # without JavaScript the page reloads itself
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert (
        fragment.lstrip().startswith('<div id="export-status"') and "已完成 3000/10000" in fragment
    )

    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.Status.PENDING, total=0, done=0)
    run(job)
    page = client.get(url).content.decode()
    assert "已导出 1 项" in page and "every 1s" not in page and "refresh" not in page
    download = client.get(reverse("supervision:ledger-export-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == export.XLSX_TYPE
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet["C3"].value == "市教育局牵头事项"


def test_another_users_job_is_a_404(client, personas, new_item):
    new_item("市教育局牵头事项")
    job = run(export.start_export("", user=personas["supervisor"]))
    client.force_login(personas["leader"])
    assert client.get(reverse("supervision:ledger-export-job", args=[job.pk])).status_code == 404
    download = reverse("supervision:ledger-export-download", args=[job.pk])
    assert client.get(download).status_code == 404


def test_a_download_before_the_file_is_ready_is_a_404(client, personas):
    job = export.start_export("", user=personas["supervisor"])
    client.force_login(personas["supervisor"])
    download = reverse("supervision:ledger-export-download", args=[job.pk])
    assert client.get(download).status_code == 404


# --- a real worker -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_worker")
def test_a_celery_worker_on_redis_exports_the_ledger(personas, new_item):
    for n in range(3):
        new_item(f"事项{n + 1}")
    job = export.start_export("sort=item_number", user=personas["supervisor"])

    def finished():
        job.refresh_from_db()
        return job.status in (PdfJob.Status.READY, PdfJob.Status.FAILED)

    assert wait_for(finished), f"the worker did not finish the job: {job.status} {job.done}"
    assert (job.status, job.last_error, job.done, job.total) == (PdfJob.Status.READY, "", 3, 3)
    assert numbers_in(workbook(job)) == [
        number
        for number in SupervisionItem.objects.order_by("year", "id").values_list(
            "item_number", flat=True
        )
    ]


def test_the_worker_discovers_the_export_task():
    """Celery's autodiscovery imports each app's `tasks` module only: a worker that started
    without anything else must still know the export task (supervision.tasks imports it)."""
    script = (
        "import django; django.setup(); from office.celery import app; "
        "app.loader.import_default_modules(); "
        "print('supervision.tasks_export.export_ledger' in app.tasks)"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "True"
