"""收文处理笺 (documents/pdf.py, documents/views/printing.py) on real WeasyPrint: what the slip
shows, who may print it, and the trail of printing a classified document."""

import datetime
import io
import json
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from documents.models import Assignment, Circulation, IncomingDocument, LeaderInstruction
from documents.pdf import chinese_date, routing_slip_context, slip_queryset
from office.models import Clearance, TrailEvent, Urgency
from office.roles import Role

from ..conftest import make_user
from .conftest import make_incoming

pytestmark = pytest.mark.django_db

State = IncomingDocument.State


@pytest.fixture(autouse=True)
def _pdf_folders(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"
    settings.OFFICIAL_FONTS_DIR = ""


def at(month, day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute))


def slip_url(document):
    return reverse("documents:incoming-slip", args=[document.pk])


def pdf_pages(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content)).pages


def flat_text(pages):
    """The text of all pages without whitespace: wrapped lines join up again."""
    return "".join("".join(page.extract_text().split()) for page in pages)


@pytest.fixture
def mayor(units):
    return make_user(
        "shizhang",
        "张市长",
        unit=units["government"],
        roles=[Role.LEADER],
        clearance=Clearance.TOP_SECRET,
    )


@pytest.fixture
def handled_document(personas, units, mayor):
    """A 办件 proposed by the secretary, instructed by two leaders (a third still to instruct),
    led by unit A with unit B assisting, completed and filed."""
    secretary = personas["secretary"]
    document = make_incoming(
        secretary,
        lead_unit=units["a"],
        received_on=datetime.date(2026, 11, 2),
        deadline=datetime.date(2026, 11, 16),
        assignment_state=Assignment.State.APPROVED,
        title="关于加快推进全市中小学校舍安全改造工程的请示",
        doc_type="request",
        urgency=Urgency.URGENT,
        copies=2,
        pages=6,
        proposed_handling="拟请李副市长阅示，由市教育局牵头办理，市住建局配合。",
        proposed_by=secretary,
        proposed_at=at(11, 3, 9),
        state=State.ARCHIVED,
        completed_on=datetime.date(2026, 11, 13),
        archive_number="2026-长期-0153",
        archived_on=datetime.date(2026, 11, 20),
    )
    LeaderInstruction.objects.create(
        document=document,
        leader=personas["leader"],
        sequence=1,
        requested_by=secretary,
        instruction="同意拟办意见，请市教育局抓紧组织实施。",
        instructed_at=at(11, 4, 15),
        to_supervise=True,
    )
    LeaderInstruction.objects.create(
        document=document,
        leader=mayor,
        sequence=2,
        requested_by=secretary,
        instruction="请严格把控工程质量，确保开学前完工。",
        instructed_at=at(11, 5, 11),
    )
    LeaderInstruction.objects.create(
        document=document,
        leader=make_user("mishuzhang", "黄秘书长", roles=[Role.LEADER]),
        sequence=3,
        requested_by=secretary,
    )
    lead = document.assignments.get()
    Assignment.objects.filter(pk=lead.pk).update(
        handler=personas["handler_a"],
        result="已完成全市42所中小学校舍安全排查，改造方案已报市政府备案。",
        submitted_at=at(11, 12, 16),
        approved_by=personas["head_a"],
        approved_at=at(11, 13, 9),
    )
    Assignment.objects.create(
        document=document,
        unit=units["b"],
        role=Assignment.Role.CO,
        deadline=datetime.date(2026, 11, 12),
        assigned_by=secretary,
        state=Assignment.State.APPROVED,
        result="已配合开展工程质量检查。",
    )
    return document


def test_the_slip_shows_the_whole_handling_record(client, personas, handled_document):
    client.force_login(personas["secretary"])
    response = client.get(slip_url(handled_document))

    pages = pdf_pages(response)
    text = flat_text(pages)
    assert "珠海市人民政府办公室收文处理笺" in text
    assert handled_document.registration_number in text
    assert "广东省人民政府办公厅" in text and handled_document.sender_number in text
    assert "关于加快推进全市中小学校舍安全改造工程的请示" in text
    assert "2026年11月2日" in text and "加急" in text and "请示" in text and "办件" in text
    assert "拟请李副市长阅示，由市教育局牵头办理，市住建局配合。" in text
    assert "拟办人：王秘书2026年11月3日" in text
    assert "李副市长：同意拟办意见，请市教育局抓紧组织实施。" in text
    assert "（转督办）2026年11月4日" in text
    assert "张市长：请严格把控工程质量，确保开学前完工。" in text and "2026年11月5日" in text
    assert "黄秘书长：待批示" in text
    assert "主办：珠海市教育局（办理期限：2026年11月16日；已办结）" in text
    assert "办理结果：已完成全市42所中小学校舍安全排查，改造方案已报市政府备案。" in text
    assert "承办人：陈承办2026年11月12日" in text and "审核：周局长2026年11月13日" in text
    assert "协办：珠海市住房和城乡建设局" in text and "已配合开展工程质量检查。" in text
    assert text.index("主办：") < text.index("协办：")
    assert "办理期限2026年11月16日办结日期2026年11月13日" in text
    assert "归档号2026-长期-0153归档日期2026年11月20日" in text
    assert f"打印日期：{chinese_date(timezone.localdate())}" in text
    assert "传阅" not in text and "退文理由" not in text
    assert "—1—" in text  # the GB/T 9704 page number


def test_the_slip_is_inline_with_its_chinese_file_name(client, personas, handled_document):
    client.force_login(personas["secretary"])
    response = client.get(slip_url(handled_document))

    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'inline; filename="routing-slip-{handled_document.pk}.pdf"')
    name = f"收文处理笺-{handled_document.registration_number}.pdf"
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert response["Cache-Control"] == "private, no-store"


def test_a_reading_document_shows_its_circulation(client, personas, mayor):
    document = make_incoming(
        personas["secretary"],
        kind=IncomingDocument.Kind.READING,
        state=State.CIRCULATING,
        title="国务院办公厅关于2026年政务公开工作要点的通知",
    )
    Circulation.objects.create(
        document=document,
        leader=personas["leader"],
        read_at=at(11, 20, 14, 5),
        remark="请办公室认真学习，对照抓好落实。",
    )
    Circulation.objects.create(document=document, leader=mayor, sequence=2)
    client.force_login(personas["leader"])

    text = flat_text(pdf_pages(client.get(slip_url(document))))
    assert "阅件" in text
    assert "李副市长：已圈阅2026年11月20日14:05" in text
    assert "批注：请办公室认真学习，对照抓好落实。" in text
    assert "张市长：待圈阅" in text
    assert "承办单位" not in text


def test_a_returned_document_shows_the_reason(client, personas):
    document = make_incoming(
        personas["secretary"],
        state=State.RETURNED,
        return_reason="来文未经本级政府办公室审核，不符合行文规则，请按程序报送。",
    )
    client.force_login(personas["secretary"])

    text = flat_text(pdf_pages(client.get(slip_url(document))))
    assert "退文理由" in text
    assert "来文未经本级政府办公室审核，不符合行文规则，请按程序报送。" in text
    assert "尚未拟办。" in text and "尚无领导批示。" in text and "尚未交办。" in text


def test_long_texts_wrap_and_the_table_runs_over_pages(client, personas, units):
    long_result = "".join(
        f"第{n}项整改措施已落实到位，相关台账资料已归档备查。" for n in range(1, 80)
    )
    url_like = "https://www.zhuhai.gov.cn/" + "x" * 150 + "/END"
    document = make_incoming(
        personas["secretary"],
        lead_unit=units["a"],
        title="关于" + "进一步" * 40 + "的报告",
        proposed_handling=f"拟请有关单位研究办理，参见 {url_like}",
    )
    Assignment.objects.filter(document=document).update(result=long_result)
    client.force_login(personas["secretary"])

    pages = pdf_pages(client.get(slip_url(document)))
    assert len(pages) >= 2
    text = flat_text(pages)
    assert "第79项整改措施已落实到位，相关台账资料已归档备查。" in text
    assert "/END" in text  # the long address wrapped instead of running off the page
    assert "—2—" in text


def test_the_slip_context_is_json_and_reads_in_few_queries(
    personas, handled_document, django_assert_num_queries
):
    with django_assert_num_queries(4):  # the document, instructions, assignments, circulations
        document = slip_queryset().get(pk=handled_document.pk)
        context = routing_slip_context(document, printed_on=datetime.date(2026, 11, 23))
    assert context["printed_on"] == "2026年11月23日"
    assert [item["leader"] for item in context["instructions"]] == [
        "李副市长",
        "张市长",
        "黄秘书长",
    ]
    assert [item["role"] for item in context["assignments"]] == ["主办", "协办"]
    assert json.loads(json.dumps(context)) == context


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretary", 200),
        ("leader", 200),
        ("handler_a", 200),
        ("handler_b", 404),  # another unit's document
        ("outsider", 404),  # no business role
        ("auditor", 404),  # 三员 read no business documents
    ],
)
def test_only_those_who_see_the_document_print_it(client, personas, units, who, status):
    document = make_incoming(personas["secretary"], lead_unit=units["a"])
    client.force_login(personas[who])
    assert client.get(slip_url(document)).status_code == status


def test_a_document_above_the_clearance_is_not_found(client, personas, units):
    document = make_incoming(
        personas["secretary"],
        lead_unit=units["a"],
        classification=Clearance.SECRET,
        secrecy_period="1年",
    )
    client.force_login(personas["handler_a"])  # unit A, no clearance
    assert client.get(slip_url(document)).status_code == 404
    client.force_login(personas["head_a"])  # unit A, 秘密
    assert client.get(slip_url(document)).status_code == 200
    assert (
        client.get(reverse("documents:incoming-slip", args=[document.pk + 1000])).status_code == 404
    )


def test_printing_a_classified_document_is_recorded(client, personas, units):
    secret = make_incoming(
        personas["secretary"],
        lead_unit=units["a"],
        classification=Clearance.CONFIDENTIAL,
        secrecy_period="10年",
    )
    plain = make_incoming(personas["secretary"], lead_unit=units["a"])
    client.force_login(personas["leader"])

    text = flat_text(pdf_pages(client.get(slip_url(secret))))
    assert text.startswith("机密★10年") and "机密★10年" in text[10:]
    client.get(slip_url(plain))

    events = TrailEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(IncomingDocument), action="open"
    )
    assert [(e.object_id, e.actor_id, e.classification) for e in events] == [
        (secret.pk, personas["leader"].pk, Clearance.CONFIDENTIAL)
    ]
