"""督办单 (supervision.pdf, `items/<pk>/notice.pdf`), read back from a real WeasyPrint render:
the 信函格式 head with the office's name in red and the 督办编号 flush right, the title, the
主送 units, the facts (督办编号, 事项名称, 来源, 牵头/配合单位, 责任领导, 办结时限, 报送要求,
交办日期), 工作要求, 节点目标, the office and date of 交办, and a QR code that is exactly the
code of the item page's absolute URL; only for those who can see the item (404 otherwise)."""

import datetime
import io

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from office.models import Clearance, TrailEvent
from office.official_text import chinese_date
from supervision import pdf, services, workflow
from supervision.models import Cadence, Source, SupervisionItem
from supervision.schedule import cadence_text
from tests.meetings.test_minutes_pdf import read, text_lines

REQUIREMENT = (
    "一、总体要求\n"
    "围绕“双减”政策落地，全面提升课后服务质量。\n"
    "（一）扩大覆盖面。2026年底前实现义务教育学校课后服务全覆盖。"
)


@pytest.fixture(autouse=True)
def pdf_settings(tmp_path):
    with override_settings(PDF_CACHE_DIR=tmp_path / "pdf-cache", OFFICIAL_FONTS_DIR=""):
        yield


@pytest.fixture
def office_header(units):
    office = units["office"]
    office.header_text = "珠海市人民政府办公室文件"
    office.save(update_fields=["header_text"])
    return office


@pytest.fixture
def item(personas, units, office_header):
    today = timezone.localdate()
    opened = services.open_item(
        services.ItemPlan(
            title="推进全市中小学课后服务提质扩面",
            source=Source.INSTRUCTION,
            source_label="李副市长批示（2026年第15号）",
            lead_unit=units["a"],
            co_units=(units["b"],),
            responsible_leader=personas["leader"],
            deadline=today + datetime.timedelta(days=120),
            requirement=REQUIREMENT,
            milestones=(
                ("完成全市摸底调查", today + datetime.timedelta(days=30)),
                ("出台实施方案", today + datetime.timedelta(days=90)),
            ),
            report_cadence=Cadence.MONTHLY,
            report_day=25,
        ),
        actor=personas["supervisor"],
    )
    workflow.assign(opened, actor=personas["supervisor"])
    return SupervisionItem.objects.get(pk=opened.pk)


def flat(pages):
    """All text of the type area, line by line, without the spaces pdfplumber may insert."""
    return [
        "".join(c["text"] for c in chars).replace(" ", "")
        for page in pages
        for _, chars in text_lines(page)
    ]


def notice(client, user, item):
    client.force_login(user)
    return client.get(reverse("supervision:item-notice-pdf", args=[item.pk]))


def qr_images(data):
    """The images of the PDF's first page, as PIL images."""
    return [image.image for image in PdfReader(io.BytesIO(data)).pages[0].images]


def test_the_notice_prints_the_item_in_the_letter_format(client, personas, units, item):
    response = notice(client, personas["supervisor"], item)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    pages = read(response.content)
    lines = flat(pages)
    text = "".join(lines)

    # 版头: the office's name (header text without 「文件」) in red, the 督办编号 flush right.
    mark = [c for c in pages[0].chars if c["size"] > 30]
    assert "".join(c["text"] for c in mark) == "珠海市人民政府办公室"
    assert all(c["non_stroking_color"] not in ((0,), (0, 0, 0)) for c in mark)
    assert item.item_number in lines[1]
    assert lines[2] == "督办通知单"
    assert lines[3] == "珠海市教育局、珠海市住房和城乡建设局："
    assert item.item_number == f"督〔{timezone.localdate().year}〕1号"

    today = timezone.localdate()
    for expected in (
        f"督办编号{item.item_number}",
        "事项名称推进全市中小学课后服务提质扩面",
        "事项来源领导批示：李副市长批示（2026年第15号）",
        "牵头单位珠海市教育局",
        "配合单位珠海市住房和城乡建设局",
        "责任领导李副市长",
        f"办结时限{chinese_date(item.deadline)}前",
        "报送要求每月25日前报送进展",
        f"交办日期{chinese_date(today)}",
        "具体工作要求如下：一、总体要求围绕“双减”政策落地，全面提升课后服务质量。",
        "节点目标如下：",
        "完成全市摸底调查",
        f"{chinese_date(today + datetime.timedelta(days=90))}前",
        "请牵头单位每月25日前报送进展，经单位负责人审核后通过督查督办系统报送",
        "扫描二维码查看本事项办理情况",
    ):
        assert expected in text, expected
    # Signed by the office and dated the day of 交办 (without a seal), then the QR code's note.
    signature = lines.index("珠海市人民政府办公室", 1)
    assert lines[signature + 1] == chinese_date(today)
    assert lines[signature + 2].startswith("扫描二维码查看本事项办理情况")


def test_the_qr_code_is_the_code_of_the_items_page(client, personas, item):
    data = notice(client, personas["supervisor"], item).content
    url = f"http://testserver{reverse('supervision:item-detail', args=[item.pk])}"
    images = qr_images(data)
    assert len(images) == 1
    printed = images[0].convert("L").point(lambda v: 255 if v > 127 else 0)
    expected = Image.open(io.BytesIO(pdf.qr_png(url))).convert("L")
    assert printed.size == expected.size
    assert printed.tobytes() == expected.tobytes()  # module for module: the same code
    assert url in "".join(flat(read(data)))  # and the address under it, for the record


def test_the_qr_payload_is_the_absolute_url_of_the_item_detail(item, settings):
    settings.ALLOWED_HOSTS = ["oa.example.gov.cn"]
    request = RequestFactory().get("/", secure=True, HTTP_HOST="oa.example.gov.cn")
    assert pdf.item_link(request, item) == (
        f"https://oa.example.gov.cn/supervision/items/{item.pk}/"
    )
    assert pdf.item_link(request, item).endswith(reverse("supervision:item-detail", args=[item.pk]))


def test_a_person_who_cannot_see_the_item_gets_a_404(client, personas, item):
    assert notice(client, personas["handler_b"], item).status_code == 200  # a co-unit sees it
    assert notice(client, personas["outsider"], item).status_code == 404
    item.co_units.clear()
    assert notice(client, personas["handler_b"], item).status_code == 404


def test_a_classified_item_is_marked_and_its_printing_is_audited(client, personas, item):
    SupervisionItem.objects.filter(pk=item.pk).update(classification=Clearance.SECRET)
    item.refresh_from_db()
    assert notice(client, personas["handler_a"], item).status_code == 404  # above clearance
    response = notice(client, personas["supervisor"], item)
    assert "秘密" in "".join(flat(read(response.content)))
    assert TrailEvent.objects.filter(
        object_id=item.pk, action="open", actor=personas["supervisor"]
    ).exists()


def test_an_item_not_yet_assigned_prints_as_a_draft(client, personas, units, office_header):
    opened = services.open_item(
        services.ItemPlan(
            title="新建市第三中学",
            source=Source.OTHER,
            lead_unit=units["b"],
            responsible_leader=personas["leader"],
            deadline=timezone.localdate() + datetime.timedelta(days=200),
            report_cadence=Cadence.QUARTERLY,
            report_day=20,
        ),
        actor=personas["supervisor"],
    )
    pages = read(notice(client, personas["supervisor"], opened).content)
    text = "".join(flat(pages))
    assert "交办日期尚未交办" in text and "配合单位无" in text
    assert "每季度末月（3、6、9、12月）20日前报送进展" in text
    assert "请牵头单位每季度末月" in text and "节点目标" not in text
    assert "待交办" in "".join(c["text"] for c in pages[0].chars if c["size"] >= 50)


def test_the_reporting_rule_in_words():
    def item(cadence, day):
        return SupervisionItem(report_cadence=cadence, report_day=day)

    assert cadence_text(item(Cadence.MONTHLY, 25), notice=True) == "每月25日前报送进展"
    assert cadence_text(item(Cadence.WEEKLY, 5), notice=True) == "每周五前报送进展"
    assert cadence_text(item(Cadence.WEEKLY, 1), notice=True) == "每周一前报送进展"
    assert cadence_text(item(Cadence.NONE, 25), notice=True) == (
        "不定期报送进展，工作取得重要进展时及时报送"
    )
