"""政府工作报告目标任务导入 through the supervisor's eyes: a file of 5 tasks under 2 targets is
previewed, then opened in one go — 5 items numbered one after another, each with its quarterly
milestones and 「年 政府工作报告 目标N」; a file with mistakes lists each (row, column, message)
and opens nothing; a second import of the same tasks skips them as 已存在; anything but an xlsx
is refused; only the supervision office may import; the downloadable template, filled in with
one row, imports cleanly."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from office.models import SerialCounter
from supervision import imports
from supervision.models import Cadence, Milestone, Source, SupervisionItem
from supervision.views.imports import SESSION_KEY
from tests.concurrency import race
from tests.steps import events

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "序号",
    "目标（年度目标）",
    "任务（分解任务）",
    "牵头单位",
    "配合单位",
    "责任领导",
    "完成时限",
    "一季度目标",
    "二季度目标",
    "三季度目标",
    "四季度目标",
    "报送周期",
    "报送日",
]
UPLOAD = reverse("supervision:import-upload")
PREVIEW = reverse("supervision:import-preview")
CONFIRM = reverse("supervision:import-confirm")
TEMPLATE = reverse("supervision:import-template")


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def year():
    return timezone.localdate().year


def workbook_bytes(rows, *, header=HEADER, title_row=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "目标任务"
    if title_row:
        sheet.append([title_row])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def good_rows():
    """2 targets, 5 tasks; the last row leaves 目标 empty (as when the cells are merged)."""
    y = year()
    end = f"{y}-12-31"
    # fmt: off
    return [
        [1, "地区生产总值增长5.5%左右", "新增城镇就业3万人以上", "市教育局", "市住建局",
         "李副市长", end, "新增就业0.8万人", "新增就业1.6万人", "新增就业2.4万人",
         "新增就业3万人", "每季度", 25],
        [2, "地区生产总值增长5.5%左右", "城镇调查失业率控制在5.5%以内", "珠海市教育局", "",
         "李副市长", f"{y}年12月31日", "", "", "", "全年控制在5.5%以内", "每月", "20"],
        [3, "地区生产总值增长5.5%左右", "新建改扩建中小学10所", "市住建局", "珠海市教育局",
         "李副市长", datetime.date(y, 12, 31), "完成立项", "开工建设", "主体完工", "投入使用",
         "", ""],
        [4, "居民收入增长和经济增长同步", "城乡居民人均可支配收入增长6%", "市住建局", "",
         "李副市长", f"{y}年12月底", "增长6%", "", "", "", "每周", "星期五"],
        [5, "", "新增学位1万个", "市教育局", "市住建局", "李副市长", f"{y}年底", "",
         "新增5000个", "", "新增1万个", "不定期", ""],
    ]
    # fmt: on


def upload(client, content, *, name="2026年目标任务分解.xlsx", year_=None, follow=False):
    data = {
        "year": str(year_ or year()),
        "file": SimpleUploadedFile(name, content, content_type=XLSX),
    }
    return client.post(UPLOAD, data, follow=follow)


def confirm(client, follow=True):
    token = client.session[SESSION_KEY]["token"]
    return client.post(CONFIRM, {"token": token}, follow=follow)


def text(response):
    return response.content.decode()


@pytest.fixture
def supervisor_client(client, personas):
    client.force_login(personas["supervisor"])
    return client


def test_good_file_is_previewed_then_opened_in_one_go(supervisor_client, personas, units):
    from office.roles import Role
    from tests.conftest import make_user

    colleague = make_user("ducha2", "钱督查", roles=[Role.SUPERVISOR])
    y = year()
    response = upload(supervisor_client, workbook_bytes(good_rows()))
    assert response.status_code == 302 and response["Location"] == PREVIEW
    assert SupervisionItem.objects.count() == 0  # the preview opens nothing

    page = supervisor_client.get(PREVIEW)
    assert page.status_code == 200
    assert "将立项 5 项" in text(page) and "错误 0 处" in text(page)
    assert "2 个目标、5 个任务行" in text(page)
    assert "确认导入 5 项" in text(page)
    assert SupervisionItem.objects.count() == 0

    response = confirm(supervisor_client)
    assert response.redirect_chain[-1][0] == (
        f"{reverse('supervision:ledger')}?source={Source.WORK_REPORT_TASK}"
    )
    assert f"已导入 5 项目标任务（督〔{y}〕1号—督〔{y}〕5号）" in text(response)
    # The other supervisors hear of the import once, not once per task.
    assert list(colleague.notifications.values_list("title", flat=True)) == [
        f"导入政府工作报告目标任务 5 项（督〔{y}〕1号—督〔{y}〕5号）"
    ]

    items = list(SupervisionItem.objects.order_by("id"))
    assert [item.item_number for item in items] == [f"督〔{y}〕{n}号" for n in range(1, 6)]
    assert {item.source for item in items} == {Source.WORK_REPORT_TASK}
    assert [item.source_label for item in items] == [
        f"{y}年政府工作报告 目标1",
        f"{y}年政府工作报告 目标1",
        f"{y}年政府工作报告 目标1",
        f"{y}年政府工作报告 目标2",
        f"{y}年政府工作报告 目标2",
    ]
    first = items[0]
    assert first.title == "新增城镇就业3万人以上"
    assert (
        first.requirement == "年度目标：地区生产总值增长5.5%左右\n分解任务：新增城镇就业3万人以上"
    )
    assert first.lead_unit == units["a"] and list(first.co_units.all()) == [units["b"]]
    assert first.responsible_leader == personas["leader"]
    assert first.supervisor == personas["supervisor"]
    assert first.deadline == datetime.date(y, 12, 31)
    assert (first.report_cadence, first.report_day) == (Cadence.QUARTERLY, 25)
    assert [(m.title, m.due_on) for m in first.milestones.all()] == [
        ("新增就业0.8万人", datetime.date(y, 3, 31)),
        ("新增就业1.6万人", datetime.date(y, 6, 30)),
        ("新增就业2.4万人", datetime.date(y, 9, 30)),
        ("新增就业3万人", datetime.date(y, 12, 31)),
    ]
    assert [(m.title, m.due_on) for m in items[1].milestones.all()] == [
        ("全年控制在5.5%以内", datetime.date(y, 12, 31))
    ]
    assert (items[1].report_cadence, items[1].report_day) == (Cadence.MONTHLY, 20)
    assert (items[2].report_cadence, items[2].report_day) == (Cadence.QUARTERLY, 25)
    assert (items[3].report_cadence, items[3].report_day) == (Cadence.WEEKLY, 5)
    assert items[4].report_cadence == Cadence.NONE
    assert items[4].requirement.startswith("年度目标：居民收入增长和经济增长同步")
    assert Milestone.objects.count() == 4 + 1 + 4 + 1 + 2
    assert all(item.state == SupervisionItem.State.OPENED for item in items)
    assert events(first, "open").get().opinion == f"政府工作报告目标任务：{y}年政府工作报告 目标1"
    # The stored upload is gone, and the session forgets it.
    assert SESSION_KEY not in supervisor_client.session
    assert not list((imports._store_dir()).glob("*.xlsx"))


def test_preview_stays_within_its_query_budget(
    supervisor_client, personas, units, django_assert_max_num_queries
):
    rows = good_rows()
    end = f"{year()}-12-31"
    quarters = ["一季度", "二季度", "三季度", "四季度"]
    many = [
        [n, f"目标{n % 7}", f"任务{n}", "市教育局", "市住建局", "李副市长", end, *quarters, "每月"]
        for n in range(200)
    ]
    upload(supervisor_client, workbook_bytes(rows + many))
    with django_assert_max_num_queries(12):
        page = supervisor_client.get(PREVIEW)
    assert "将立项 205 项" in text(page)


def test_every_mistake_is_listed_by_row_and_column_and_nothing_is_opened(
    supervisor_client, personas, units
):
    y = year()
    # fmt: off
    rows = [
        [1, "地区生产总值增长5.5%左右", "新增城镇就业3万人以上", "市教育", "", "李副市长",
         f"{y}-12-31"],
        [2, "", "城镇调查失业率控制在5.5%以内", "市教育局", "", "王市长", f"{y}-12-31"],
        [3, "", "新建改扩建中小学10所", "市住建局", "", "李副市长", f"{y}-13-45"],
        [4, "", "新增学位1万个", "市住建局", "", "李副市长", "下半年"],
        [5, "", "城乡居民人均可支配收入增长6%", "市教育局", "", "李副市长", f"{y + 1}-06-30"],
        [6, "", "", "市教育局", "", "李副市长", f"{y}-12-31", "完成一半"],
        [7, "", "新增城镇就业3万人以上", "市住建局", "", "李副市长", f"{y}-12-31"],
        [8, "", "推进老旧小区改造", "市住建局", "", "李副市长", f"{y}-12-31", "", "", "", "",
         "每半年"],
        [9, "", "完成全年棚改任务", "市住建局", "", "李副市长", f"{y + 1}-06-30"],
    ]
    # fmt: on
    upload(supervisor_client, workbook_bytes(rows))
    page = supervisor_client.get(PREVIEW)
    body = text(page)
    assert "文件中有错误，不能导入" in body
    assert "第2行“牵头单位”：未找到启用的承办单位“市教育”，请填写单位全称或简称。" in body
    assert "第3行“责任领导”：未找到在职领导“王市长”，请填写领导姓名。" in body
    assert f"第4行“完成时限”：日期“{y}-13-45”不存在。" in body
    assert "第5行“完成时限”：无法识别日期“下半年”，请填写如 2026-12-31 或 2026年12月31日。" in body
    assert "第7行“任务”：请填写任务（分解任务）。" in body
    assert "第8行“任务”：与第2行的任务重复。" in body
    assert "第9行“报送周期”：“每半年”不是报送周期，应为每月、每季度、每周或不定期。" in body
    assert "confirm-form" not in body
    assert "第6行" not in body and "第10行" not in body

    # A milestone after the deadline: this year's June 30 with a third-quarter target.
    # fmt: off
    rows = [
        [1, "居民收入增长和经济增长同步", "完成全年棚改任务", "市住建局", "", "李副市长",
         f"{y}-06-30", "", "", "完成80%", ""],
    ]
    # fmt: on
    upload(supervisor_client, workbook_bytes(rows), year_=y)
    body = text(supervisor_client.get(PREVIEW))
    assert f"第2行“三季度目标”：节点时限 {y}-09-30 晚于完成时限 {y}-06-30" in body

    # Confirming anyway opens nothing.
    response = confirm(supervisor_client)
    assert "文件中有" in text(response) and "处错误，请修改后重新上传" in text(response)
    assert SupervisionItem.objects.count() == 0
    assert not SerialCounter.objects.exists()


def test_milestone_after_deadline_is_an_error_whatever_the_day(personas, units):
    """parse_file on its own, with `today` fixed: the Q4 target is due after the deadline."""
    y = 2026
    rows = [
        [1, "目标甲", "任务甲", "市住建局", "", "李副市长", "2026-11-30", "", "", "", "完成"],
    ]
    parsed = imports.parse_file(
        io.BytesIO(workbook_bytes(rows)), year=y, today=datetime.date(2026, 3, 1)
    )
    assert [str(p) for p in parsed.problems] == [
        "第2行“四季度目标”：节点时限 2026-12-31 晚于完成时限 2026-11-30，"
        "请删去该季度目标或推迟完成时限。"
    ]


def test_dates_as_offices_write_them():
    assert imports.parse_date("2026/6/30") == datetime.date(2026, 6, 30)
    assert imports.parse_date("2026.6.30") == datetime.date(2026, 6, 30)
    assert imports.parse_date("2026年6月30日前") == datetime.date(2026, 6, 30)
    assert imports.parse_date("2026年6月底") == datetime.date(2026, 6, 30)
    assert imports.parse_date("2026年2月") == datetime.date(2026, 2, 28)
    assert imports.parse_date("2026年底前") == datetime.date(2026, 12, 31)
    assert imports.parse_date(datetime.datetime(2026, 6, 30, 0, 0)) == datetime.date(2026, 6, 30)
    assert imports.parse_date(46203) == datetime.date(2026, 6, 30)  # an Excel day number
    with pytest.raises(ValueError, match="不存在"):
        imports.parse_date("2026-02-30")


def test_a_second_import_skips_what_exists(supervisor_client, personas, units):
    y = year()
    upload(supervisor_client, workbook_bytes(good_rows()))
    confirm(supervisor_client)
    assert SupervisionItem.objects.count() == 5

    rows = [
        *good_rows(),
        [6, "", "新增托位2000个", "市教育局", "", "李副市长", f"{y}-12-31"],
    ]
    upload(supervisor_client, workbook_bytes(rows))
    body = text(supervisor_client.get(PREVIEW))
    assert "将立项 1 项" in body and "已存在 5 项（跳过）" in body
    assert f"督〔{y}〕1号</a>），跳过" in body
    response = confirm(supervisor_client)
    assert f"已导入 1 项目标任务（督〔{y}〕6号），5 项已存在未重复导入。" in text(response)
    assert SupervisionItem.objects.count() == 6

    # The same file a third time: nothing new, nothing opened.
    upload(supervisor_client, workbook_bytes(rows))
    body = text(supervisor_client.get(PREVIEW))
    assert "文件中的任务均已立项，没有需要导入的目标任务。" in body
    response = confirm(supervisor_client)
    assert "没有新的目标任务需要导入，6 项已存在未重复导入。" in text(response)
    assert SupervisionItem.objects.count() == 6


def test_import_is_all_or_nothing(personas, units):
    """If one task cannot be opened, none is — and no number is used up."""
    y = year()
    parsed = imports.parse_file(
        io.BytesIO(workbook_bytes(good_rows())), year=y, today=timezone.localdate()
    )
    assert parsed.can_import
    parsed.rows[3].deadline = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(Exception, match="第5行未能立项：办结时限不能早于今天，全部未导入。"):
        imports.import_tasks(parsed, actor=personas["supervisor"])
    assert SupervisionItem.objects.count() == 0
    assert not SerialCounter.objects.filter(last_number__gt=0).exists()


def test_what_is_not_an_xlsx_is_refused(supervisor_client, personas):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = upload(supervisor_client, pdf, name="目标任务.xlsx")
    assert response.status_code == 400
    assert "请上传 Excel 文件（.xlsx 格式）。" in text(response)

    # A ZIP that is no workbook (a Word file, say) is refused alike.
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    response = upload(supervisor_client, package.getvalue(), name="目标任务.xlsx")
    assert response.status_code == 400 and "请上传 Excel 文件（.xlsx 格式）。" in text(response)

    # A ZIP bomb: small on the wire, huge unpacked.
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * ((imports.MAX_UNPACKED_MB + 1) << 20))
    response = upload(supervisor_client, package.getvalue())
    assert response.status_code == 400
    assert f"文件解压后超过 {imports.MAX_UNPACKED_MB} MB" in text(response)

    big = workbook_bytes([]) + b"\0" * (imports.MAX_MB * 1024 * 1024)
    response = upload(supervisor_client, big)
    assert response.status_code == 400 and f"超过 {imports.MAX_MB} MB 的大小上限" in text(response)
    assert SESSION_KEY not in supervisor_client.session

    # A workbook without the header row is read, and its preview says what is missing.
    upload(supervisor_client, workbook_bytes([["甲", "乙"]], header=["名称", "单位"]))
    body = text(supervisor_client.get(PREVIEW))
    assert "没有找到表头行（须有“任务”和“牵头单位”列），请使用导入模板。" in body


def test_only_the_supervision_office_imports(client, personas, units):
    for name in ("handler_a", "leader", "secretary"):
        client.force_login(personas[name])
        assert client.get(UPLOAD).status_code == 403
        assert upload(client, workbook_bytes(good_rows())).status_code == 403
        assert client.get(PREVIEW).status_code == 403
        assert client.post(CONFIRM, {"token": "0" * 32}).status_code == 403
        assert client.get(TEMPLATE).status_code == 403
    assert SupervisionItem.objects.count() == 0
    client.force_login(personas["supervisor"])
    page = client.get(UPLOAD)
    assert page.status_code == 200 and "下载导入模板" in text(page)


def test_a_stale_preview_cannot_be_confirmed(supervisor_client, personas, units):
    upload(supervisor_client, workbook_bytes(good_rows()))
    response = supervisor_client.post(CONFIRM, {"token": "f" * 32}, follow=True)
    assert "该预览已失效" in text(response)
    assert SupervisionItem.objects.count() == 0


def test_the_template_downloads_and_imports_once_filled_in(supervisor_client, personas, units):
    y = year()
    response = supervisor_client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["目标任务", "填写说明", "单位和领导"]
    sheet = workbook["目标任务"]
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["序号", "目标", "任务", "牵头单位", "配合单位", "责任领导", "完成时限"]
    assert "珠海市教育局" in [cell.value for cell in workbook["单位和领导"]["A"]]
    assert "李副市长" in [cell.value for cell in workbook["单位和领导"]["D"]]

    filled = dict(zip(header, [None] * len(header), strict=True))
    filled.update(
        {
            "序号": 1,
            "目标": "教育强市建设取得新进展",
            "任务": "新建改扩建中小学10所",
            "牵头单位": "市教育局",
            "配合单位": "珠海市住房和城乡建设局",
            "责任领导": "李副市长",
            "完成时限": f"{y}年12月31日",
            "四季度目标": "全部投入使用",
        }
    )
    sheet.append(list(filled.values()))
    out = io.BytesIO()
    workbook.save(out)
    upload(supervisor_client, out.getvalue(), name="模板.xlsx")
    body = text(supervisor_client.get(PREVIEW))
    assert "将立项 1 项" in body and "错误 0 处" in body
    response = confirm(supervisor_client)
    assert f"已导入 1 项目标任务（督〔{y}〕1号）" in text(response)
    item = SupervisionItem.objects.get()
    assert item.source_label == f"{y}年政府工作报告 目标1"
    assert (item.report_cadence, item.report_day) == (Cadence.QUARTERLY, 25)
    assert [(m.title, m.due_on) for m in item.milestones.all()] == [
        ("全部投入使用", datetime.date(y, 12, 31))
    ]


def test_a_title_row_above_the_header_and_target_heading_rows(supervisor_client, personas, units):
    y = year()
    rows = [
        ["一", "教育强市建设取得新进展"],  # a target's heading row: no item
        ["1", "", "新建改扩建中小学10所", "市教育局", "", "李副市长", f"{y}-12-31"],
        ["2", "", "新增学位1万个", "市教育局", "", "李副市长（副市长）", f"{y}-12-31"],
    ]
    content = workbook_bytes(rows, title_row=f"{y}年政府工作报告目标任务分解表")
    upload(supervisor_client, content)
    body = text(supervisor_client.get(PREVIEW))
    assert "1 个目标、2 个任务行" in body and "将立项 2 项" in body


@pytest.mark.django_db(transaction=True)
def test_the_same_file_confirmed_twice_at_once_opens_each_task_once(personas, units):
    """Two supervisors confirm the same file at the same moment: the second waits for the first
    and finds every task 已存在 (supervision.imports.IMPORT_LOCK)."""
    content = workbook_bytes(good_rows())

    def take():
        parsed = imports.parse_file(io.BytesIO(content), year=year(), today=timezone.localdate())
        return len(imports.import_tasks(parsed, actor=personas["supervisor"]).items)

    assert sorted(race(take, 2)) == [0, 5]
    numbers = SupervisionItem.objects.order_by("id").values_list("item_number", flat=True)
    assert list(numbers) == [f"督〔{year()}〕{n}号" for n in range(1, 6)]
