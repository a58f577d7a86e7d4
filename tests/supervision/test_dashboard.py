"""督查统计 through the browser's eyes: the figures of a small known data set, whose figures each
user sees, the filters (年度, 截至日期, 来源) and their Chinese refusals, the click-through from
every number to the ledger listing exactly the items it counted, and the page's query budget.

The data set, all opened last year (a whole year in the past, so the test holds on any day):
市教育局 (李副市长): 15 items of 领导批示 closed on time — 10 opened in March, 5 in May;
市住建局 (钱副市长): 3 items of 会议议定事项 opened in May and June — 2 closed late (one after an
extension: still late), 1 open and past its deadline — and 1 suspended (not counted).
18 counted, 17 closed → 办结率 94.4%; 15 on time → 按期办结率 83.3%."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from office.roles import Role
from supervision import workflow
from supervision.export import describe_filters
from supervision.models import Source, SupervisionItem
from tests.conftest import make_user
from tests.supervision.test_workflow import close_requested_item, in_progress_item

pytestmark = pytest.mark.django_db

URL = "/supervision/dashboard/"
TODAY = timezone.localdate()
YEAR = TODAY.year - 1


def day(month, day_of_month):
    return datetime.date(YEAR, month, day_of_month)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def head_b(units):
    return make_user("fuzeren_b", "吴局长", unit=units["b"], roles=[Role.UNIT_HEAD])


@pytest.fixture
def vice(units):
    return make_user(
        "fushizhang_qian", "钱副市长", unit=units["government"], roles=[Role.LEADER], title="副市长"
    )


def _dates(item, **dates):
    """Test data: the item's dates as if it had lived through last year."""
    SupervisionItem.objects.filter(pk=item.pk).update(**dates)


def _closed(personas, units, *, lead, opened_on, original_deadline, closed_on, deadline=None):
    item = close_requested_item(personas, units, lead=lead)
    workflow.close(item, actor=personas["supervisor"], opinion="核验属实，予以销号。")
    _dates(
        item,
        opened_on=opened_on,
        closed_on=closed_on,
        original_deadline=original_deadline,
        deadline=deadline or original_deadline,
    )
    return item


@pytest.fixture
def year_of_items(personas, units, head_b, vice):
    on_time = [
        _closed(
            personas,
            units,
            lead="a",
            opened_on=day(3, 10) if i < 10 else day(5, 10),
            original_deadline=day(6, 30) if i < 10 else day(9, 30),
            closed_on=day(6, 20) if i < 10 else day(9, 15),
        )
        for i in range(15)
    ]
    personas_b = {**personas, "head_a": head_b}
    late = _closed(
        personas_b, units, lead="b", opened_on=day(5, 12), original_deadline=day(7, 31),
        closed_on=day(8, 20),
    )  # fmt: skip
    extended = _closed(
        personas_b, units, lead="b", opened_on=day(5, 12), original_deadline=day(7, 31),
        closed_on=day(8, 20), deadline=day(8, 31),
    )  # fmt: skip
    overdue = in_progress_item(personas_b, units, lead="b")
    _dates(overdue, opened_on=day(6, 1), deadline=day(10, 31), original_deadline=day(10, 31))
    stopped = in_progress_item(personas_b, units, lead="b")
    workflow.suspend(stopped, actor=personas["supervisor"], reason="上级已另行部署")
    _dates(stopped, opened_on=day(6, 1), deadline=day(10, 31), original_deadline=day(10, 31))
    b_items = [late.pk, extended.pk, overdue.pk, stopped.pk]
    SupervisionItem.objects.filter(pk__in=b_items).update(
        responsible_leader=vice, source=Source.MEETING_DECISION
    )
    return {"on_time": on_time, "late": late, "extended": extended, "overdue": overdue}


def dashboard(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def board(response):
    return response.context["board"]


FIGURE_LINK = re.compile(r'<a data-figure="(\w+)"[^>]*href="([^"]+)">(\d+)</a>')


def section(response, section_id):
    page = response.content.decode()
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def figure_links(fragment):
    """(figure, ledger URL, the number shown) of every linked number in a part of the page."""
    return [(f, html.unescape(url), int(n)) for f, url, n in FIGURE_LINK.findall(fragment)]


def ledger_count(client, url):
    response = client.get(url)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert not response.context["page"].has_next
    assert response.context["summary"]["total"] == len(rows)
    return len(rows)


# --- the figures -------------------------------------------------------------------------------


def test_the_known_data_set_shows_94_4_percent(client, personas, year_of_items):
    response = dashboard(client, personas["supervisor"], year=YEAR)
    assert response.status_code == 200
    summary = board(response).summary.rates
    assert (summary.total, summary.closed, summary.closed_on_time) == (18, 17, 15)
    assert (summary.closed_late, summary.overdue, summary.open) == (2, 1, 1)
    page = response.content.decode()
    assert "94.4%" in page and "83.3%" in page
    assert "全部督办事项" in page  # 统计范围
    assert [(row.label, row.rates.total, row.rates.closed) for row in board(response).by_unit] == [
        ("市教育局", 15, 15),
        ("市住建局", 3, 2),
    ]
    assert [(r.label, r.rates.completion_rate) for r in board(response).by_source] == [
        ("领导批示", Decimal("100.0")),
        ("会议议定事项", Decimal("66.7")),
    ]
    assert [row.label for row in board(response).by_leader] == [
        "李副市长（副市长）",
        "钱副市长（副市长）",
    ]
    months = {row.label: (row.rates.total, row.rates.closed) for row in board(response).by_month}
    assert len(months) == 12
    assert (months["3月"], months["5月"], months["6月"], months["4月"]) == (
        (10, 10),
        (7, 7),
        (1, 0),
        (0, 0),
    )
    # The lights of today: the one open item is past its deadline.
    assert [(light, n) for light, _, n, _ in board(response).lights] == [
        ("red", 1),
        ("yellow", 0),
        ("green", 0),
    ]


def test_charts_are_drawn_on_the_server_with_their_figures_in_words(
    client, personas, year_of_items
):
    page = dashboard(client, personas["supervisor"], year=YEAR).content.decode()
    assert "<svg" in section_html(page, "by-unit") and "<script" not in page.split("</main>")[0]
    assert "各牵头单位办结率条形图" in page
    assert "市教育局100.0%；市住建局66.7%" in page
    assert f"{YEAR}年各月立项督办事项及办结情况柱状图" in page
    assert "3月立项10项、其中已办结10项、逾期未办结0项" in page


def section_html(page, section_id):
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_as_of_a_past_day_counts_what_was_true_then(client, personas, year_of_items):
    response = dashboard(client, personas["supervisor"], year=YEAR, as_of=day(8, 10).isoformat())
    summary = board(response).summary.rates
    # By 10 August: the March items closed; the May items of unit A and both late ones were
    # not; the plain late one was past its deadline, the extended one was not yet.
    assert (summary.total, summary.closed, summary.overdue, summary.open) == (18, 10, 1, 8)
    assert [row.label for row in board(response).by_month][-1] == "8月"
    url, shown = next(
        (url, n) for f, url, n in figure_links(section(response, "by-unit")) if f == "overdue" and n
    )
    assert shown == 1
    ledger = client.get(url)
    assert [row["item"] for row in ledger.context["rows"]] == [year_of_items["late"]]
    assert f"统计口径：逾期未办结（截至 {day(8, 10).isoformat()}）" in ledger.content.decode()


def test_the_year_defaults_to_this_one_and_the_source_narrows(client, personas, year_of_items):
    response = dashboard(client, personas["supervisor"])
    assert board(response).scope.year == TODAY.year
    assert board(response).summary.rates.total == 0
    assert "没有计入统计的事项" in section(response, "by-unit")
    meeting = dashboard(client, personas["supervisor"], year=YEAR, source=Source.MEETING_DECISION)
    rates = board(meeting).summary.rates
    assert (rates.total, rates.closed, rates.overdue) == (3, 2, 1)
    assert "来源：会议议定事项" in meeting.content.decode()


# --- who sees which figures --------------------------------------------------------------------


def test_a_leader_counts_their_portfolio_only(client, personas, vice, year_of_items):
    response = dashboard(client, personas["leader"], year=YEAR)
    summary = board(response).summary.rates
    assert (summary.total, summary.closed) == (15, 15)
    assert [row.label for row in board(response).by_unit] == ["市教育局"]
    assert [row.label for row in board(response).by_leader] == ["李副市长（副市长）"]
    page = response.content.decode()
    assert "100.0%" in page and "市住建局" not in section_html(page, "by-unit")
    assert "担任责任领导" in page
    other = board(dashboard(client, vice, year=YEAR)).summary.rates
    assert (other.total, other.closed, other.overdue) == (3, 2, 1)
    # A link to another portfolio's items lists nothing for this leader.
    unit_b = board(dashboard(client, personas["supervisor"], year=YEAR)).by_unit[1]
    client.force_login(personas["leader"])
    assert ledger_count(client, f"{reverse('supervision:ledger')}?{unit_b.links['total']}") == 0


def test_a_unit_counts_its_own_items(client, personas, year_of_items):
    response = dashboard(client, personas["handler_b"], year=YEAR)
    assert response.status_code == 200
    summary = board(response).summary.rates
    assert (summary.total, summary.closed, summary.overdue) == (3, 2, 1)
    assert "市住建局牵头或配合办理的督办事项" in response.content.decode()


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "outsider"])
def test_people_without_a_business_role_are_refused(client, personas, who):
    assert dashboard(client, personas[who]).status_code == 403


def test_the_dashboard_is_in_the_navigation_of_business_roles(client, personas):
    for who in ("supervisor", "leader", "handler_a"):
        client.force_login(personas[who])
        assert "督查统计" in client.get(reverse("office:desk")).content.decode()
    client.force_login(personas["sysadmin"])
    assert "督查统计" not in client.get(reverse("office:desk")).content.decode()


# --- click-through -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "as_of", [None, day(8, 10)], ids=["today", "a past day"]
)  # fmt: skip
@pytest.mark.parametrize("part", ["by-unit", "by-month", "by-source", "by-leader"])
def test_every_number_opens_exactly_the_items_it_counted(
    client, personas, year_of_items, part, as_of
):
    params = {"year": YEAR, **({"as_of": as_of.isoformat()} if as_of else {})}
    response = dashboard(client, personas["supervisor"], **params)
    links = figure_links(section(response, part))
    figures = {figure for figure, _, _ in links}
    assert figures == {"total", "closed", "closed_on_time", "closed_late", "overdue", "open"}
    assert any(n for _, _, n in links)
    for figure, url, shown in links:
        assert ledger_count(client, url) == shown, (figure, url)


def test_the_summary_cards_and_lights_open_their_items(client, personas, year_of_items):
    response = dashboard(client, personas["supervisor"], year=YEAR)
    page = response.content.decode()
    cards = re.findall(
        r'<a class="stat-card[^"]*" data-figure="(\w+)" href="([^"]+)".*?'
        r'<div class="stat-card-value[^"]*">([^<]+)</div>',
        page,
        re.S,
    )
    counts = {figure: (html.unescape(url), value) for figure, url, value in cards}
    assert counts["completion_rate"][1] == "94.4%"
    for figure in ("total", "closed", "closed_late", "overdue", "open"):
        url, value = counts[figure]
        assert ledger_count(client, url) == int(value), figure
    for _, _, count, query in board(response).lights:
        assert ledger_count(client, f"{reverse('supervision:ledger')}?{query}") == count


def test_the_ledger_shows_the_figure_as_a_removable_chip(client, personas, year_of_items):
    response = dashboard(client, personas["supervisor"], year=YEAR)
    closed_b = board(response).by_unit[1].links["closed"]
    client.force_login(personas["supervisor"])
    ledger = client.get(f"{reverse('supervision:ledger')}?{closed_b}")
    page = ledger.content.decode()
    assert f"统计口径：已办结（截至 {TODAY.isoformat()}）" in page
    assert f"立项日期：{YEAR}-01-01 至 {YEAR}-12-31" in page
    assert len(ledger.context["rows"]) == 2
    # The chip's ✕ drops the figure and keeps the unit and the dates.
    remove = re.search(r'href="([^"]+)" title="去掉此条件" aria-label="去掉条件：统计口径', page)
    without = client.get(html.unescape(remove.group(1)))
    assert "统计口径" not in without.content.decode()
    assert len(without.context["rows"]) == 4  # unit B's items of the year, the suspended too
    # The filter form keeps the figure when another filter changes; the export describes it.
    assert '<input type="hidden" name="figure" value="closed">' in page
    assert "统计口径：已办结（截至今天）" in describe_filters(QueryDict("figure=closed"))


# --- refusals and cost -------------------------------------------------------------------------


def test_bad_filters_are_named_and_kept(client, personas, year_of_items):
    response = dashboard(client, personas["supervisor"], year=YEAR, as_of="2026-13-45")
    page = response.content.decode()
    assert response.status_code == 200
    assert "请按“年-月-日”填写截至日期" in page and 'value="2026-13-45"' in page
    assert board(response).scope.as_of == TODAY
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = dashboard(client, personas["supervisor"], year=YEAR, as_of=future)
    assert "截至日期不能晚于今天" in response.content.decode()
    assert board(response).scope.as_of == TODAY
    response = dashboard(client, personas["supervisor"], year=YEAR, source="nonsense")
    assert "没有这个来源" in response.content.decode()
    assert board(response).summary.rates.total == 18


def test_the_dashboard_runs_a_bounded_number_of_queries(
    client, personas, units, year_of_items, django_assert_max_num_queries
):
    client.force_login(personas["supervisor"])
    client.get(reverse("office:desk"))  # the session's first request sets up the shell
    # The shell's ~9, and 10 for the figures: years, summary, calendar, lights, three groupings,
    # the units' and leaders' names, the months.
    with django_assert_max_num_queries(19):
        response = client.get(URL, {"year": YEAR})
    assert board(response).summary.rates.total == 18
    # More units, leaders and items: the same number of queries.
    more = make_user("fushizhang_sun", "孙副市长", unit=units["government"], roles=[Role.LEADER])
    SupervisionItem.objects.filter(pk__in=[i.pk for i in year_of_items["on_time"][:5]]).update(
        responsible_leader=more, lead_unit=units["secretariat"], source=Source.PUBLIC_APPEAL
    )
    with django_assert_max_num_queries(19):
        response = client.get(URL, {"year": YEAR})
    assert len(board(response).by_unit) == 3 and len(board(response).by_leader) == 3
    with django_assert_max_num_queries(20):  # as of a past day, the rates by their own query
        response = client.get(URL, {"year": YEAR, "as_of": day(8, 10).isoformat()})
    assert board(response).summary.rates.closed == 10
