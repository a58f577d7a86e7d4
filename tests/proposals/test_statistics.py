"""建议提案统计 through the user's eyes, on the known year of tests/proposals/known_set.py (191
suggestions, 446 proposals), on its as-of day 1 July 2026: the year's sessions side by side and
one session, per lead unit; what each user counts (a unit only its own items); the page, its
filters and their Chinese refusals, its links to the proposal list and its query budget; the
xlsx 汇总表 read back with openpyxl; the year-end report read back from a real WeasyPrint render."""

import datetime
import io
import re
from decimal import Decimal

import pdfplumber
import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from office.roles import Role
from proposals import export, pdf_summary
from proposals.models import Proposal
from proposals.statistics import NO_LEAD_UNIT_LABEL, proposal_statistics
from tests.conftest import make_user
from tests.proposals.known_set import AS_OF, known_year

pytestmark = pytest.mark.django_db

PAGE = "/proposals/statistics/"
EXPORT = "/proposals/statistics/export.xlsx"
SUMMARY = "/proposals/statistics/summary.pdf"


@pytest.fixture
def year(personas, units):
    return known_year(personas, units)


@pytest.fixture
def on_as_of():
    """The page counts as of today: today is the known set's as-of day."""
    moment = timezone.make_aware(datetime.datetime.combine(AS_OF, datetime.time(10)))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture(autouse=True)
def pdf_settings(tmp_path):
    with override_settings(PDF_CACHE_DIR=tmp_path / "pdf-cache", OFFICIAL_FONTS_DIR=""):
        yield


def login(client, user):
    client.force_login(user)
    return client


def rows_by_label(rows):
    return {row.label: row for row in rows}


# --- the tables --------------------------------------------------------------------------------


def test_the_year_shows_both_sessions_side_by_side(personas, units, year):
    npc, cppcc = year
    stats = proposal_statistics(personas["secretary"], year=2026, as_of=AS_OF)
    assert [row.label for row in stats.by_session] == ["十六届人大三次会议", "十三届政协三次会议"]
    first, second = stats.by_session
    assert (first.figures.received, first.figures.key, first.figures.reply_rate) == (
        191,
        6,
        Decimal("98.9"),
    )
    assert (second.figures.received, second.figures.key, second.figures.reply_rate) == (
        446,
        20,
        Decimal("99.3"),
    )
    assert stats.total.received == 637 and stats.total.final_satisfaction_rate == Decimal("99.2")
    assert stats.classes == [(c["code"], c["label"]) for c in npc.reply_classes]
    assert [(code, n, share) for code, _, n, share in stats.class_rows] == [
        ("A", 371, Decimal("58.8")),
        ("B", 187, Decimal("29.6")),
        ("C", 73, Decimal("11.6")),
    ]
    assert first.class_counts == [120, 50, 18] and second.class_counts == [251, 137, 55]


def test_per_unit_is_by_lead_unit_with_the_unassigned_last(personas, units, year):
    stats = proposal_statistics(personas["secretary"], year=2026, as_of=AS_OF)
    assert [row.label for row in stats.by_unit] == [
        units["b"].name,
        units["a"].name,
        NO_LEAD_UNIT_LABEL,
    ]
    b, a, none = stats.by_unit
    assert (b.figures.received, b.figures.replied, b.figures.overdue) == (446, 443, 3)
    assert (a.figures.received, a.figures.assigned, a.figures.replied) == (190, 190, 188)
    assert a.figures.reply_rate == Decimal("98.9")
    assert a.figures.first_satisfaction_rate == Decimal("97.3")
    assert a.figures.final_satisfaction_rate == Decimal("99.5")
    assert (none.figures.received, none.figures.assigned) == (1, 0)
    assert none.figures.reply_rate is None


def test_one_session(personas, units, year):
    npc, _ = year
    stats = proposal_statistics(personas["secretary"], year=2026, session=npc, as_of=AS_OF)
    assert stats.scope.label == "十六届人大三次会议"
    assert [row.label for row in stats.by_session] == ["十六届人大三次会议"]
    assert (stats.total.received, stats.total.rehandled, stats.total.replied_late) == (191, 5, 11)
    assert [(row.label, row.figures.received) for row in stats.by_unit] == [
        (units["a"].name, 190),
        (NO_LEAD_UNIT_LABEL, 1),
    ]
    assert stats.total_links["received"] == f"session={npc.pk}"
    assert (
        stats.by_unit[0].links["overdue"] == f"session={npc.pk}&lead_unit={units['a'].pk}&light=red"
    )
    assert stats.by_unit[1].links["received"] == f"session={npc.pk}&state=registered"


def test_a_unit_counts_only_its_own_items(personas, units, year):
    """Unit A leads the 190 assigned suggestions and co-handles 3 proposals; unit B leads the
    446 proposals."""
    a = proposal_statistics(personas["handler_a"], year=2026, as_of=AS_OF)
    assert a.total.received == 193
    assert [(row.label, row.figures.received) for row in a.by_unit] == [
        (units["a"].name, 190),
        (units["b"].name, 3),
    ]
    assert [row.figures.received for row in a.by_session] == [190, 3]
    b = proposal_statistics(personas["handler_b"], year=2026, as_of=AS_OF)
    assert b.total.received == 446 and b.total.final_satisfaction_rate == Decimal("99.1")
    assert [row.figures.received for row in b.by_session] == [0, 446]
    leader = proposal_statistics(personas["leader"], year=2026, as_of=AS_OF)
    assert leader.total.received == 0  # no key item is led by this leader


def test_a_year_without_sessions_counts_nothing(personas, units, year):
    stats = proposal_statistics(personas["secretary"], year=2025, as_of=AS_OF)
    assert stats.by_session == [] and stats.total.received == 0 and stats.classes == []


# --- the page ----------------------------------------------------------------------------------


def figure(content, row, name):
    """The text of one figure's cell in the row with data-row=`row`."""
    part = content.split(f'data-row="{row}"', 1)[1].split("</tr>", 1)[0]
    cell = re.search(rf'data-figure="{name}">(.*?)</td>', part, re.S).group(1)
    return re.sub(r"<[^>]+>", "", cell).strip()


def test_the_page_shows_the_year(client, personas, units, year, on_as_of):
    npc, cppcc = year
    response = login(client, personas["secretary"]).get(PAGE, {"year": 2026})
    assert response.status_code == 200
    content = response.content.decode()
    assert "建议提案统计" in content and "统计截至 2026年7月1日" in content
    assert figure(content, npc.pk, "received") == "191"
    assert figure(content, npc.pk, "reply_rate") == "98.9%"
    assert figure(content, cppcc.pk, "first_satisfaction_rate") == "96.6%"
    assert figure(content, cppcc.pk, "final_satisfaction_rate") == "99.1%"
    assert figure(content, units["b"].pk, "overdue") == "3"
    assert figure(content, cppcc.pk, "rehandled") == "15"
    for text in ("办复率", "初次满意率", "最终满意率", "99.2%", "96.8%", "58.8%", "逾期答复 31"):
        assert text in content
    # A session's numbers open the list filtered to exactly its items.
    list_url = reverse("proposals:proposal-list")
    assert f'href="{list_url}?session={npc.pk}"' in content
    assert f'href="{list_url}?session={cppcc.pk}&amp;is_key=1"' in content
    assert reverse("proposals:proposals-summary-pdf") in content


def test_the_links_list_the_items_they_count(client, personas, units, year, on_as_of):
    _, cppcc = year
    login(client, personas["secretary"])
    stats = proposal_statistics(personas["secretary"], year=2026, session=cppcc, as_of=AS_OF)
    listed = client.get(
        reverse("proposals:proposal-list") + "?" + stats.by_unit[0].links["overdue"]
    )
    assert listed.status_code == 200
    content = listed.content.decode()
    overdue = Proposal.objects.filter(session=cppcc, state__in=Proposal.IN_HAND, deadline__lt=AS_OF)
    assert overdue.count() == 3
    for item in overdue:
        assert reverse("proposals:proposal-detail", args=[item.pk]) in content


def test_one_session_on_the_page(client, personas, units, year, on_as_of):
    npc, _ = year
    content = login(client, personas["secretary"]).get(PAGE, {"session": npc.pk}).content.decode()
    assert figure(content, units["a"].pk, "received") == "190"
    assert (
        "十三届政协三次会议"
        not in content.split('id="statistics-results"', 1)[1].split("统计口径", 1)[0]
    )


def test_a_unit_sees_its_own_figures(client, personas, units, year, on_as_of):
    content = login(client, personas["handler_a"]).get(PAGE).content.decode()
    assert "市教育局主办或会办的建议提案" in content
    assert figure(content, units["a"].pk, "received") == "190"
    assert figure(content, units["b"].pk, "received") == "3"
    assert reverse("proposals:proposals-summary-pdf") not in content


def test_bad_filters_are_named_and_the_defaults_used(client, personas, units, year, on_as_of):
    content = login(client, personas["secretary"]).get(PAGE, {"session": "9999"}).content.decode()
    assert "没有这个届次，已按年度统计。" in content
    assert "十三届政协三次会议" in content  # the current year's sessions


def test_a_year_changed_in_the_bar_wins_over_the_session(client, personas, units, year, on_as_of):
    npc, _ = year
    login(client, personas["secretary"])
    content = client.get(PAGE, {"year": 2025, "session": npc.pk}).content.decode()
    assert "2025年尚未设立届次会次。" in content
    content = client.get(PAGE, {"year": 2026, "session": npc.pk}).content.decode()
    assert figure(content, units["a"].pk, "received") == "190"


def test_htmx_gets_only_the_results(client, personas, units, year, on_as_of):
    response = login(client, personas["secretary"]).get(PAGE, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="statistics-results">')


@pytest.mark.parametrize("who", ["outsider", "sysadmin", "auditor"])
def test_no_business_role_no_statistics(client, personas, year, who):
    login(client, personas[who])
    for url in (PAGE, EXPORT, SUMMARY):
        assert client.get(url).status_code == 403


def test_the_page_is_bounded(
    client, personas, units, year, on_as_of, django_assert_max_num_queries
):
    """A fixed number of queries for 637 items: the years, the sessions, the calendar, the items'
    facts, the units, the session choices — and the shell's (session, user, roles, policy,
    notifications)."""
    login(client, personas["secretary"])
    with django_assert_max_num_queries(20):
        assert client.get(PAGE, {"year": 2026}).status_code == 200
    login(client, personas["handler_a"])
    with django_assert_max_num_queries(20):
        assert client.get(PAGE).status_code == 200


def test_the_nav_offers_the_statistics(client, personas):
    content = login(client, personas["handler_b"]).get(PAGE).content.decode()
    assert "建议提案统计" in content and 'href="/proposals/statistics/"' in content


# --- the xlsx ----------------------------------------------------------------------------------


def workbook(response):
    assert response["Content-Type"] == export.XLSX_TYPE
    return load_workbook(io.BytesIO(response.content))


def data_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] is not None]


def test_the_export_has_a_sheet_per_session_and_the_units(client, personas, units, year, on_as_of):
    book = workbook(login(client, personas["secretary"]).get(EXPORT, {"year": 2026}))
    assert book.sheetnames == ["十六届人大三次会议", "十三届政协三次会议", "分单位统计"]
    npc, cppcc = book["十六届人大三次会议"], book["十三届政协三次会议"]
    assert npc["A1"].value == "十六届人大三次会议代表建议办理情况汇总表"
    assert cppcc["A1"].value == "十三届政协三次会议委员提案办理情况汇总表"
    header = [c.value for c in npc[2]]
    assert header == [label for label, _ in export.COLUMNS]
    assert header[:9] == [
        "序号",
        "编号",
        "类别",
        "标题",
        "领衔人",
        "代表团/界别",
        "附议人",
        "主办单位",
        "会办单位",
    ]
    assert len(data_rows(npc)) == 191 and len(data_rows(cppcc)) == 446
    first = dict(zip(header, data_rows(npc)[0], strict=True))
    assert first["序号"] == 1 and first["编号"] == "第0001号" and first["类别"] == "建议"
    assert first["领衔人"] == "代表1" and first["代表团/界别"] == "香洲区代表团"
    assert first["附议人"] == "附议甲、附议乙"
    assert first["主办单位"] is None and first["办理状态"] == "已登记"  # an empty cell


def test_a_re_handled_row_shows_its_latest_reply_and_rating(
    client, personas, units, year, on_as_of
):
    _, cppcc = year
    item = Proposal.objects.filter(session=cppcc, round=2, state=Proposal.State.CLOSED).first()
    book = workbook(login(client, personas["secretary"]).get(EXPORT, {"session": cppcc.pk}))
    sheet = book["十三届政协三次会议"]
    header = [c.value for c in sheet[2]]
    row = next(
        dict(zip(header, r, strict=True)) for r in data_rows(sheet) if r[1] == item.number_text
    )
    assert row["答复分类"] == "B类" and row["答复日期"].date() == datetime.date(2026, 6, 20)
    assert row["交办日期"].date() == datetime.date(2026, 2, 10)
    assert row["办理态度评价"] == "满意" and row["办理结果评价"] == "满意"
    assert row["是否重新办理"] == "是" and row["办理状态"] == "已办结"
    assert row["主办单位"] == units["b"].name


def test_the_units_sheet(client, personas, units, year, on_as_of):
    book = workbook(login(client, personas["secretary"]).get(EXPORT, {"year": 2026}))
    sheet = book["分单位统计"]
    assert sheet["A1"].value == "2026年度建议提案分单位办理情况统计表"
    header = [c.value for c in sheet[2]]
    assert header[:7] == ["序号", "主办单位", "收到", "其中重点", "交办", "办复", "办复率"]
    rows = {
        r[1]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=3, values_only=True)
        if r[1]
    }
    b = rows[units["b"].name]
    assert (b["收到"], b["办复"], b["A类"], b["重新办理"], b["逾期未答复"]) == (
        446,
        443,
        251,
        15,
        3,
    )
    assert b["办复率"] == pytest.approx(0.993) and b["最终满意率"] == pytest.approx(0.991)
    assert rows[NO_LEAD_UNIT_LABEL]["办复率"] == "—"
    total = rows["合计"]
    assert (total["收到"], total["交办"], total["办复"]) == (637, 636, 631)
    assert total["初次满意率"] == pytest.approx(0.968) and total["最终满意率"] == pytest.approx(
        0.992
    )
    assert sheet.cell(row=3, column=header.index("办复率") + 1).number_format == "0.0%"


def test_a_unit_exports_only_its_items(client, personas, units, year, on_as_of):
    book = workbook(login(client, personas["handler_a"]).get(EXPORT, {"year": 2026}))
    npc, cppcc = book["十六届人大三次会议"], book["十三届政协三次会议"]
    assert len(data_rows(npc)) == 190 and len(data_rows(cppcc)) == 3
    co_handled = {r[1] for r in data_rows(cppcc)}
    expected = Proposal.objects.filter(session=year[1], co_units=units["a"])
    assert co_handled == {p.number_text for p in expected}


def test_the_export_is_bounded(
    client, personas, units, year, on_as_of, django_assert_max_num_queries
):
    login(client, personas["secretary"])
    with django_assert_max_num_queries(20):
        assert client.get(EXPORT, {"year": 2026}).status_code == 200


# --- the year-end report ----------------------------------------------------------------------


def pdf_text(data):
    """The report's text in reading order, without line breaks and page numbers (「— 1 —」)."""
    with pdfplumber.open(io.BytesIO(data)) as opened:
        text = "".join((page.extract_text() or "") for page in opened.pages)
    return re.sub(r"— \d+ —", "", text.replace("\n", ""))


def test_the_report_says_the_figures(client, personas, units, year, on_as_of):
    response = login(client, personas["secretary"]).get(SUMMARY, {"year": 2026})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "关于2026年度人大代表建议和政协委员提案办理工作情况的报告" in text
    assert (
        "2026年，市政府共承办十六届人大三次会议代表建议191件（其中重点建议6件）、"
        "十三届政协三次会议委员提案446件（其中重点提案20件），合计637件。"
    ) in text
    assert "截至2026年7月1日，已交办636件，已办复631件，办复率99.2%。尚未交办1件。" in text
    assert "A类（所提问题已经解决或基本解决、建议已被采纳）371件，占58.8%" in text
    assert "对办理结果的初次满意率为96.8%（满意530件、基本满意73件、不满意20件）" in text
    assert "对初次评价不满意的20件重新办理后，最终满意率为99.2%。" in text
    assert "逾期答复31件；截至2026年7月1日，超过答复期限尚未答复4件" in text
    assert "各承办单位办理情况" in text and units["b"].name in text and "特此报告。" in text


def test_the_report_is_the_whole_year_even_from_a_session(client, personas, units, year, on_as_of):
    npc, _ = year
    text = pdf_text(login(client, personas["secretary"]).get(SUMMARY, {"session": npc.pk}).content)
    assert "合计637件" in text


def test_a_unit_cannot_print_the_report(client, personas, year):
    assert login(client, personas["handler_a"]).get(SUMMARY).status_code == 403


def test_a_leader_overseeing_all_prints_it(client, personas, units, year, on_as_of):
    mayor = make_user(
        "shizhang", "张市长", unit=units["government"], roles=[Role.LEADER], oversees_all=True
    )
    assert pdf_summary.can_print_summary(mayor)
    assert not pdf_summary.can_print_summary(personas["leader"])
    assert login(client, mayor).get(SUMMARY).status_code == 200
