"""收文统计 (documents/statistics.py and its page and export): the figures of a small hand-made
year, counted only over what each user may see."""

import datetime
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from documents.models import IncomingDocument, Sender
from documents.selectors import incoming_visible_to
from documents.statistics import incoming_statistics, percent, rate_text, statistics_years
from office.models import Clearance

from .conftest import make_incoming, make_sender

pytestmark = pytest.mark.django_db

YEAR = 2025
TODAY = datetime.date(2025, 11, 30)
State = IncomingDocument.State
ACTION, READING = IncomingDocument.Kind.ACTION, IncomingDocument.Kind.READING


def day(month, day_):
    return datetime.date(YEAR, month, day_)


@pytest.fixture
def year_of_documents(personas, units):
    """Ten documents (see each line) around 2025, judged on 2025-11-30."""
    registrar = personas["secretary"]
    higher = make_sender("广东省人民政府办公厅", Sender.Level.HIGHER)
    peer = make_sender("中山市人民政府办公室", Sender.Level.PEER)
    lower = make_sender("珠海市香洲区人民政府", Sender.Level.LOWER)
    a, b = units["a"], units["b"]

    def doc(sender, received_on, **fields):
        return make_incoming(registrar, sender=sender, received_on=received_on, **fields)

    return {
        # 办件, unit A, completed on time.
        "on_time": doc(
            higher,
            day(1, 10),
            lead_unit=a,
            deadline=day(3, 10),
            state=State.COMPLETED,
            completed_on=day(3, 8),
        ),
        # 办件, unit A, completed five days late, then filed.
        "late": doc(
            higher,
            day(2, 20),
            lead_unit=a,
            deadline=day(4, 10),
            state=State.ARCHIVED,
            completed_on=day(4, 15),
            archive_number="2025-永久-0001",
        ),
        # 办件, unit B, past its deadline and still open.
        "overdue": doc(lower, day(10, 1), lead_unit=b, deadline=day(11, 1), state=State.HANDLING),
        # 办件, unit B, not due yet.
        "not_due": doc(lower, day(11, 10), lead_unit=b, deadline=day(12, 15), state=State.HANDLING),
        # 办件, unit A, due today: due, not overdue.
        "due_today": doc(lower, day(11, 12), lead_unit=a, deadline=TODAY, state=State.HANDLING),
        # 阅件, circulated and completed; and one still circulating.
        "read": doc(peer, day(1, 15), kind=READING, state=State.COMPLETED, completed_on=day(1, 20)),
        "circulating": doc(peer, day(11, 20), kind=READING, state=State.CIRCULATING),
        # 退文.
        "returned": doc(
            lower, day(3, 3), state=State.RETURNED, return_reason="不属于本机关职权范围。"
        ),
        # Received the year before: not in 2025's figures.
        "last_year": doc(
            higher,
            datetime.date(2024, 12, 20),
            lead_unit=a,
            deadline=datetime.date(2025, 1, 5),
            state=State.COMPLETED,
            completed_on=datetime.date(2025, 1, 4),
        ),
        # 机密, unit A, completed on time: only the leader (绝密 clearance) counts it.
        "confidential": doc(
            higher,
            day(5, 6),
            lead_unit=a,
            deadline=day(5, 20),
            classification=Clearance.CONFIDENTIAL,
            secrecy_period="1年",
            state=State.COMPLETED,
            completed_on=day(5, 19),
        ),
    }


def stats_for(user):
    return incoming_statistics(incoming_visible_to(user), year=YEAR, today=TODAY)


def by_key(rows):
    return {row.key: row.figures for row in rows}


def test_percent_has_one_decimal_and_no_rate_without_a_denominator():
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(3, 3) == Decimal("100.0")
    assert percent(0, 0) is None
    assert rate_text(None) == "—" and rate_text(Decimal("95.0")) == "95.0%"


def test_the_office_figures_of_a_year(year_of_documents, personas):
    stats = stats_for(personas["secretary"])  # 秘密 clearance: the 机密 document is not counted
    s = stats.summary

    assert (s.received, s.action, s.reading, s.returned) == (8, 6, 2, 1)
    assert (s.action_done, s.reading_done, s.done) == (2, 1, 3)
    assert s.due == 4  # on_time, late, overdue, due_today
    assert (s.on_time, s.completed_late) == (1, 1)
    assert (s.overdue, s.action_open) == (1, 3)
    assert s.completion_rate == Decimal("50.0")
    assert s.on_time_rate == Decimal("50.0")
    assert s.completion_rate_text == "50.0%"

    levels = by_key(stats.by_sender_level)
    assert list(levels) == ["higher", "peer", "lower"]
    assert (levels["higher"].received, levels["higher"].completion_rate) == (2, Decimal("100.0"))
    assert levels["higher"].on_time_rate == Decimal("50.0")
    assert (levels["peer"].reading, levels["peer"].reading_done, levels["peer"].due) == (2, 1, 0)
    assert levels["peer"].completion_rate is None and levels["peer"].completion_rate_text == "—"
    lower = levels["lower"]
    assert (lower.received, lower.returned, lower.due, lower.overdue) == (4, 1, 2, 1)
    assert lower.completion_rate == Decimal("0.0") and lower.on_time_rate is None

    units = [(row.label, row.figures.received, row.figures.due) for row in stats.by_lead_unit]
    assert units == [("市教育局", 3, 3), ("市住建局", 2, 1), ("未交办", 3, 0)]

    months = by_key(stats.by_month)
    assert list(months) == list(range(1, 13))
    assert (months[1].received, months[1].done) == (2, 2)
    assert (months[11].received, months[11].done) == (3, 0)
    assert sum(m.received for m in months.values()) == s.received

    assert [row.label for row in stats.by_doc_type] == ["通知"]


def test_years_run_from_the_first_document_to_now(year_of_documents, personas):
    visible = incoming_visible_to(personas["secretary"])
    assert statistics_years(visible, today=TODAY) == [2025, 2024]
    assert statistics_years(visible, today=datetime.date(2027, 1, 5)) == [2027, 2025, 2024]
    assert statistics_years(visible.none(), today=TODAY) == [2025]


def test_a_late_completion_lowers_the_on_time_rate(personas, units):
    for number in range(4):
        make_incoming(
            personas["secretary"],
            lead_unit=units["a"],
            received_on=day(6, 1 + number),
            deadline=day(6, 20),
            state=State.COMPLETED,
            completed_on=day(6, 19),
        )
    assert stats_for(personas["secretary"]).summary.on_time_rate == Decimal("100.0")

    document = IncomingDocument.objects.order_by("pk").first()
    IncomingDocument.objects.filter(pk=document.pk).update(completed_on=day(6, 21))

    summary = stats_for(personas["secretary"]).summary
    assert (summary.on_time, summary.completed_late) == (3, 1)
    assert summary.on_time_rate == Decimal("75.0")
    assert summary.completion_rate == Decimal("100.0")  # late is still completed


def test_a_unit_counts_only_its_own_documents(year_of_documents, personas):
    a = stats_for(personas["handler_a"]).summary  # unit A, no clearance
    assert (a.received, a.action_done, a.due, a.overdue) == (3, 2, 3, 0)
    assert a.completion_rate == Decimal("66.7") and a.on_time_rate == Decimal("50.0")
    assert [row.label for row in stats_for(personas["handler_a"]).by_lead_unit] == ["市教育局"]

    b = stats_for(personas["handler_b"]).summary
    assert (b.received, b.due, b.action_done, b.overdue) == (2, 1, 0, 1)
    assert b.completion_rate == Decimal("0.0") and b.on_time_rate is None


def test_documents_above_the_clearance_are_never_counted(year_of_documents, personas):
    head_a = stats_for(personas["head_a"]).summary  # unit A, 秘密 clearance
    assert head_a.received == 3
    leader = stats_for(personas["leader"]).summary  # 绝密 clearance: the 机密 one counts
    assert (leader.received, leader.action_done, leader.due) == (9, 3, 5)
    assert leader.completion_rate == Decimal("60.0") and leader.on_time_rate == Decimal("66.7")


def test_the_figures_take_one_grouped_query(year_of_documents, personas, django_assert_num_queries):
    visible = incoming_visible_to(personas["leader"])
    with django_assert_num_queries(2):  # the grouped counts, the lead units' names
        incoming_statistics(visible, year=YEAR, today=TODAY)


def test_the_page_shows_figures_chart_and_definitions(
    client, personas, units, django_assert_max_num_queries
):
    today = timezone.localdate()
    make_incoming(
        personas["secretary"],
        lead_unit=units["a"],
        received_on=today,
        deadline=today,
        state=State.COMPLETED,
        completed_on=today,
    )
    make_incoming(personas["secretary"], lead_unit=units["b"], received_on=today, deadline=today)
    client.force_login(personas["secretary"])

    # The shell's (session, user, policy, roles, unread badge, savepoints) and the page's three:
    # the years, the grouped counts and the lead units' names — however many documents there are.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("documents:incoming-statistics"))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{today.year}" selected>' in page
    assert "珠海市人民政府办公室全部收文" in page
    assert "50.0%" in page  # 办结率: 1 of 2 due
    assert '<svg class="month-chart"' in page and 'role="img"' in page
    assert '<title id="chart-title">' in page and '<desc id="chart-desc">' in page
    assert f"{today.month}月收文2件、其中已办结1件" in page
    assert "市教育局" in page and "市住建局" in page
    assert "按期办结率" in page and "已办结办件 ÷ 应办结办件" in page  # the definitions
    assert reverse("documents:incoming-statistics-export") + f"?year={today.year}" in page


def test_the_page_says_whose_figures_and_swaps_a_fragment(client, year_of_documents, personas):
    client.force_login(personas["handler_a"])
    url = reverse("documents:incoming-statistics")

    page = client.get(url, {"year": YEAR}).content.decode()
    assert "市教育局承办（主办或协办）的收文" in page
    assert f'<option value="{YEAR}" selected>' in page and '<option value="2024">' in page
    assert "66.7%" in page and "市住建局" not in page

    fragment = client.get(url, {"year": YEAR}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="statistics-results">')
    assert "<html" not in fragment and "66.7%" in fragment


def test_administrators_have_no_statistics(client, personas):
    client.force_login(personas["auditor"])
    assert client.get(reverse("documents:incoming-statistics")).status_code == 403
    assert client.get(reverse("documents:incoming-statistics-export")).status_code == 403


def load(response):
    return load_workbook(io.BytesIO(response.content))


def sheet_values(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_export_is_a_workbook_with_the_numbers(client, year_of_documents, personas):
    # Judged today (the views count on the real date, after 2025): every 2025 deadline has
    # passed, so all five open or completed 办件 are due and the three open ones overdue.
    client.force_login(personas["secretary"])
    response = client.get(reverse("documents:incoming-statistics-export"), {"year": YEAR})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="incoming-statistics-2025.xlsx"')
    assert f"filename*=UTF-8''{quote('收文统计-2025.xlsx')}" in disposition

    workbook = load(response)
    assert workbook.sheetnames == ["汇总", "按来文层级", "按主办单位", "按月份"]
    summary = workbook["汇总"]
    assert summary["A1"].value == "2025年收文统计"
    values = {row[0]: row[1] for row in sheet_values(summary)[4:17]}
    assert values["收文"] == 8  # the 机密 document is above the secretary's clearance
    assert (values["应办结办件"], values["已办结办件"], values["逾期未办结"]) == (5, 2, 3)
    assert values["办结率"] == pytest.approx(0.4)
    assert values["按期办结率"] == pytest.approx(0.5)
    rate_cell = next(row for row in summary.iter_rows() if row[0].value == "办结率")[1]
    assert rate_cell.number_format == "0.0%"
    assert summary["A4"].font.bold and summary.column_dimensions["B"].width >= 60

    levels = sheet_values(workbook["按来文层级"])
    assert levels[3][:2] == ["来文层级", "收文"]
    assert [row[0] for row in levels[4:]] == ["上级来文", "平级来文", "下级来文", "合计"]
    assert levels[5][12] == "—"  # 平级来文: no 办件 due
    assert levels[-1][1] == 8
    units = sheet_values(workbook["按主办单位"])
    assert [row[:2] for row in units[4:]] == [
        ["市教育局", 3],
        ["市住建局", 2],
        ["未交办", 3],
        ["合计", 8],
    ]
    months = sheet_values(workbook["按月份"])
    assert [row[0] for row in months[4:]] == [f"{m}月" for m in range(1, 13)] + ["合计"]
    assert months[4][1] == 2 and months[-1][1] == 8


def test_the_export_of_a_unit_holds_only_its_figures(client, year_of_documents, personas):
    client.force_login(personas["handler_b"])
    workbook = load(client.get(reverse("documents:incoming-statistics-export"), {"year": YEAR}))
    values = {row[0]: row[1] for row in sheet_values(workbook["汇总"])[4:17]}
    assert (values["收文"], values["应办结办件"], values["逾期未办结"]) == (2, 2, 2)
    assert values["办结率"] == 0 and values["按期办结率"] == "—"
    units = sheet_values(workbook["按主办单位"])
    assert [row[0] for row in units[4:]] == ["市住建局", "合计"]
