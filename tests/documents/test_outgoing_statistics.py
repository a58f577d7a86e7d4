"""发文统计 (documents/outgoing_statistics.py, its page and export): the figures of a small
hand-made year, counted only over what each user may see."""

import datetime
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from documents.models import OutgoingDocument, Receipt
from documents.outgoing_statistics import (
    outgoing_statistics,
    outgoing_statistics_years,
    receipt_units_for,
)
from documents.selectors import outgoing_visible_to
from office.models import Clearance

pytestmark = [pytest.mark.django_db]

YEAR = 2025
NOW = datetime.datetime(2025, 11, 28, 12, 0, tzinfo=datetime.UTC)
S = OutgoingDocument.State
_serials = iter(range(1, 1000))


def moment(month, day, hour=10):
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))


def issued(personas, unit, doc_type, numbered_at, *, state=S.ARCHIVED, main=(), **fields):
    """One document as the workflow leaves it, numbered at `numbered_at` (or unnumbered when
    the state comes before 已编号)."""
    serial = next(_serials)
    numbered = state in (S.NUMBERED, S.SEALED, S.DISPATCHED, S.ARCHIVED)
    values = {
        "doc_type": doc_type,
        "issuing_unit": unit,
        "title": f"关于第{serial}项工作的通知",
        "drafter": personas["secretary"],
        "drafting_unit": personas["secretary"].unit,
        "state": state,
        "signer": personas["leader"],
        "signed_at": numbered_at - datetime.timedelta(days=1),
    }
    if numbered:
        values |= {
            "document_number": f"{unit.code}〔{numbered_at.year}〕{serial}号",
            "year": numbered_at.year,
            "serial": serial,
            "numbered_at": numbered_at,
        }
    values |= fields
    document = OutgoingDocument.objects.create(**values)
    document.main_recipients.set(main)
    return document


def receipt(document, unit, *, late=False, signed=True, paper=False):
    sent = document.numbered_at + datetime.timedelta(hours=2)
    due = None if paper else sent + datetime.timedelta(days=1)
    received = None
    if signed:
        received = sent + (datetime.timedelta(days=2) if late else datetime.timedelta(hours=1))
    return Receipt.objects.create(
        document=document,
        unit=unit,
        role=Receipt.Role.MAIN,
        channel=Receipt.Channel.PAPER if paper else Receipt.Channel.EXCHANGE,
        sent_at=sent,
        due_at=due,
        received_at=received,
    )


@pytest.fixture
def year_of_documents(personas, units):
    """Eight documents around 2025 (see each line), judged on 2025-11-28."""
    government, office_unit, a, b = units["government"], units["office"], units["a"], units["b"]
    docs = {
        # 珠府 notice to unit A, filed; A signed on time.
        "filed": issued(personas, government, "notice", moment(3, 10), main=[a]),
        # 珠府 notice to A and B, dispatched; A signed late, B has not signed (overdue).
        "dispatched": issued(
            personas, government, "notice", moment(3, 20), state=S.DISPATCHED, main=[a, b]
        ),
        # 珠府办 letter drafted by unit B, sealed, not yet sent.
        "letter": issued(
            personas,
            office_unit,
            "letter",
            moment(7, 1),
            state=S.SEALED,
            direction="parallel",
            drafter=personas["handler_b"],
            drafting_unit=b,
        ),
        # 珠府 request to the province (上行文), 秘密.
        "request": issued(
            personas,
            government,
            "request",
            moment(5, 5),
            direction="upward",
            classification=Clearance.SECRET,
            secrecy_period="1年",
        ),
        # 珠府 notice at 机密: only the leader (绝密 clearance) counts it.
        "confidential": issued(
            personas,
            government,
            "notice",
            moment(6, 1),
            classification=Clearance.CONFIDENTIAL,
            secrecy_period="10年",
        ),
        # 珠府办 notice sent on paper to A, signed (no deadline: on time).
        "paper": issued(personas, office_unit, "notice", moment(8, 1), main=[a]),
        # Signed off but not numbered yet: not issued.
        "signed": issued(personas, office_unit, "notice", moment(9, 1), state=S.SIGNED),
        # Numbered in 2024: another year.
        "last_year": issued(
            personas,
            government,
            "notice",
            timezone.make_aware(datetime.datetime(2024, 12, 30, 10)),
        ),
    }
    receipt(docs["filed"], a)
    receipt(docs["dispatched"], a, late=True)
    receipt(docs["dispatched"], b, signed=False)
    receipt(docs["paper"], a, paper=True)
    return docs


def figures_for(user, **kwargs):
    return outgoing_statistics(
        outgoing_visible_to(user),
        year=YEAR,
        receipt_units=receipt_units_for(user),
        now=NOW,
        **kwargs,
    )


def by_label(rows):
    return {row.label: row.figures.issued for row in rows if row.figures.issued}


def test_the_office_figures_of_a_year(year_of_documents, personas, units):
    stats = figures_for(personas["secretary"])  # 秘密 clearance: the 机密 notice does not exist
    s = stats.summary
    assert (s.issued, s.classified) == (5, 1)
    assert by_label(stats.by_doc_type) == {"通知": 3, "函": 1, "请示": 1}
    assert [row.label for row in stats.by_doc_type][:1] == ["通知"]  # most documents first
    assert by_label(stats.by_issuing_unit) == {"市政府": 3, "市府办": 2}
    assert by_label(stats.by_month) == {"3月": 2, "5月": 1, "7月": 1, "8月": 1}
    assert [row.label for row in stats.by_month] == [f"{m}月" for m in range(1, 13)]
    assert by_label(stats.by_direction) == {"上行文": 1, "平行文": 1, "下行文": 3}
    assert [row.label for row in stats.by_direction] == ["上行文", "平行文", "下行文"]
    assert (s.receipts, s.receipts_on_time, s.receipts_late) == (4, 2, 1)
    assert (s.receipts_outstanding, s.receipts_overdue) == (1, 1)
    assert s.on_time_rate == Decimal("66.7")
    assert s.on_time_rate_text == "66.7%"
    march = stats.by_month[2].figures
    assert (march.issued, march.receipts, march.receipts_overdue) == (2, 3, 1)


def test_one_issuing_unit_and_a_higher_clearance(year_of_documents, personas, units):
    office_only = figures_for(personas["secretary"], issuing_unit=units["office"])
    assert office_only.summary.issued == 2
    assert by_label(office_only.by_issuing_unit) == {"市府办": 2}
    leader = figures_for(personas["leader"])  # 绝密 clearance: the 机密 notice counts
    assert (leader.summary.issued, leader.summary.classified) == (6, 2)


def test_a_unit_counts_only_its_own_documents_and_receipts(year_of_documents, personas):
    # Unit A received the filed, the dispatched and the paper notices.
    a = figures_for(personas["handler_a"]).summary
    assert a.issued == 3
    assert (a.receipts, a.receipts_on_time, a.receipts_late, a.receipts_outstanding) == (3, 2, 1, 0)
    # Unit B received the dispatched notice (not signed yet) and drafted the letter.
    b = figures_for(personas["handler_b"])
    assert b.summary.issued == 2
    assert by_label(b.by_doc_type) == {"通知": 1, "函": 1}
    assert (b.summary.receipts, b.summary.receipts_overdue) == (1, 1)
    # The 三员 and people without a role count nothing.
    for key in ("outsider", "auditor", "sysadmin"):
        assert figures_for(personas[key]).summary.issued == 0, key


def test_years_run_from_the_first_issued_document_to_now(year_of_documents, personas):
    documents = outgoing_visible_to(personas["secretary"])
    assert outgoing_statistics_years(documents, today=datetime.date(2026, 3, 1)) == [
        2026,
        2025,
        2024,
    ]


def test_the_figures_take_three_queries(year_of_documents, personas, django_assert_num_queries):
    documents = outgoing_visible_to(personas["leader"])
    list(documents[:1])  # the scope (roles, units) is computed once per request
    with django_assert_num_queries(3):
        outgoing_statistics(documents, year=YEAR, now=NOW)


def test_the_page_shows_the_figures_in_chinese(client, year_of_documents, personas, units):
    client.force_login(personas["secretary"])
    url = reverse("documents:outgoing-statistics")
    assert url == "/documents/outgoing/statistics/"
    page = client.get(url, {"year": YEAR}).content.decode()
    for text in (
        "发文统计",
        "按文种",
        "按发文机关",
        "按行文方向",
        "按时签收率",
        "66.7%",
        "导出 Excel",
    ):
        assert text in page, text
    assert "2025年各月发文" in page
    assert reverse("documents:outgoing-statistics-export") + "?year=2025" in page
    # One issuing unit, and the htmx fragment without the page around it.
    unit = units["office"].pk
    fragment = client.get(
        url, {"year": YEAR, "unit": unit}, headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="statistics-results">')
    assert f"unit={unit}" in fragment


def test_a_unit_sees_its_scope_and_administrators_are_refused(client, year_of_documents, personas):
    client.force_login(personas["handler_b"])
    page = client.get(reverse("documents:outgoing-statistics"), {"year": YEAR}).content.decode()
    assert "市住建局起草、会签或收到的发文" in page
    for key in ("auditor", "sysadmin", "outsider"):
        client.force_login(personas[key])
        response = client.get(reverse("documents:outgoing-statistics"))
        assert response.status_code == 403, key
        assert "无法查看发文统计" in response.content.decode()
        assert client.get(reverse("documents:outgoing-statistics-export")).status_code == 403


def load(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_the_export_lists_the_documents_and_the_summary(client, year_of_documents, personas):
    client.force_login(personas["leader"])
    response = client.get(reverse("documents:outgoing-statistics-export"), {"year": YEAR})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert quote("发文统计-2025.xlsx") in response["Content-Disposition"]
    workbook = load(response)
    assert workbook.sheetnames == ["发文清单", "统计汇总"]
    register = workbook["发文清单"]
    headers = [cell.value for cell in register[4]]
    assert headers == [
        "发文字号",
        "标题",
        "文种",
        "发文机关",
        "主送",
        "签发人",
        "签发日期",
        "印发日期",
        "密级",
        "状态",
    ]
    assert register.freeze_panes == "B5"
    assert register.column_dimensions["B"].width == 56
    rows = [
        [cell.value for cell in row]
        for row in register.iter_rows(min_row=5)
        if row[0].value and "〔" in str(row[0].value)
    ]
    numbers = [row[0] for row in rows]
    documents = year_of_documents
    # 机密 is never exported in bulk (DOMAIN.md §2), even for a leader who may count it.
    assert documents["confidential"].document_number not in numbers
    assert "另有机密级及以上发文 1 件，按规定不列入导出清单。" in [
        row[0].value for row in register.iter_rows(min_row=5)
    ]
    assert sorted(numbers) == sorted(
        documents[key].document_number
        for key in ("filed", "dispatched", "letter", "request", "paper")
    )
    dispatched = next(r for r in rows if r[0] == documents["dispatched"].document_number)
    assert dispatched[2:6] == ["通知", "市政府", "市教育局、市住建局", "李副市长"]
    assert dispatched[6].date() == datetime.date(2025, 3, 19)
    assert dispatched[7].date() == datetime.date(2025, 3, 20)
    assert dispatched[8:] == ["非密", "已核发"]
    summary = workbook["统计汇总"]
    values = [[cell.value for cell in row] for row in summary.iter_rows()]
    assert ["按文种", None, None, None, None, None, None, None, None, None] in values
    header = next(row for row in values if row[0] == "文种")
    assert header[1:] == [
        "发文",
        "涉密",
        "特急/加急",
        "签收回执",
        "按时签收",
        "逾期签收",
        "未签收",
        "逾期未签收",
        "按时签收率",
    ]
    notice = next(row for row in values if row[0] == "通知")
    assert notice[1:3] == [4, 1]
    totals = [row for row in values if row[0] == "合计"]
    assert len(totals) == 4 and all(row[1] == 6 for row in totals)


def test_the_export_of_a_unit_holds_only_its_documents(client, year_of_documents, personas):
    client.force_login(personas["handler_b"])
    workbook = load(client.get(reverse("documents:outgoing-statistics-export"), {"year": YEAR}))
    numbers = {
        row[0].value
        for row in workbook["发文清单"].iter_rows(min_row=5)
        if row[0].value and "〔" in str(row[0].value)
    }
    documents = year_of_documents
    assert numbers == {
        documents["dispatched"].document_number,
        documents["letter"].document_number,
    }
