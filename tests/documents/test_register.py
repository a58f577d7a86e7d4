"""收文登记簿 (documents:incoming-register): filters, sorts, keyset pages, lights, visibility and
the page's query budget."""

import datetime
import re

import pytest
from django import forms
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone

from documents.forms_register import RegisterFilterForm
from documents.models import IncomingDocument
from documents.search import with_lights
from office.models import Clearance, Urgency

from .conftest import make_incoming, make_sender

pytestmark = pytest.mark.django_db

URL = reverse("documents:incoming-register")
State = IncomingDocument.State


def rows(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, [document.title for document in response.context["page"].rows]


def day(n):
    return datetime.date(2026, 3, 1) + datetime.timedelta(days=n)


# --- the page ---------------------------------------------------------------------------------


def test_register_lists_documents_newest_first_with_their_columns(client, personas, units):
    secretary = personas["secretary"]
    older = make_incoming(secretary, title="关于防汛工作的通知", received_on=day(1))
    newer = make_incoming(
        secretary,
        title="关于消防检查的函",
        received_on=day(2),
        lead_unit=units["a"],
        doc_type="letter",
        classification=Clearance.SECRET,
        urgency=Urgency.EXTRA_URGENT,
        sender_number="粤府函〔2026〕7号",
    )
    response, titles = rows(client, secretary)
    assert titles == ["关于消防检查的函", "关于防汛工作的通知"]
    html = response.content.decode()
    assert "<title>收文登记簿" in html
    assert reverse("documents:incoming-detail", args=[newer.pk]) in html
    assert newer.registration_number in html and older.registration_number in html
    for text in ("粤府函〔2026〕7号", "市教育局", "秘密", "特急", "函", "办件", "待初审"):
        assert text in html


def test_htmx_request_gets_only_the_results(client, personas):
    make_incoming(personas["secretary"], title="关于防汛工作的通知")
    client.force_login(personas["secretary"])
    response = client.get(URL, {"q": "防汛"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="register-results"' in html
    assert "关于防汛工作的通知" in html
    assert "<form" not in html and "<html" not in html


def test_body_columns_are_not_fetched(client, personas):
    make_incoming(personas["secretary"], remarks="备注正文", proposed_handling="拟办正文")
    response, _ = rows(client, personas["secretary"])
    document = response.context["page"].rows[0]
    assert {"remarks", "proposed_handling", "return_reason"} <= document.get_deferred_fields()


def test_quick_select_draws_what_django_draws(personas, units):
    data = {"state": "handling", "classification": "1", "lead_unit": units["a"].pk, "q": "<b>"}
    form = RegisterFilterForm(data, user=personas["secretary"])
    assert form.is_valid()
    for name in ("doc_type", "kind", "state", "urgency", "classification", "lead_unit", "sort"):
        field, value = form.fields[name], form[name].value()
        attrs = {"id": f"id_{name}", "class": "form-select", "disabled": True, "data-x": '"&'}
        quick = field.widget.render(name, value, attrs=attrs)
        plain = forms.Select(choices=field.choices).render(name, value, attrs=attrs)
        assert parse_html(quick) == parse_html(plain), name
    assert '<option value="1" selected>秘密</option>' in str(form["classification"])


# --- who sees what ------------------------------------------------------------------------------


def test_documents_above_clearance_are_not_listed_nor_offered(client, personas):
    secretary = personas["secretary"]  # clearance 秘密
    make_incoming(secretary, title="非密件")
    make_incoming(secretary, title="秘密件", classification=Clearance.SECRET)
    make_incoming(secretary, title="机密件", classification=Clearance.CONFIDENTIAL)
    response, titles = rows(client, secretary)
    assert set(titles) == {"非密件", "秘密件"}
    offered = [value for value, _ in response.context["form"].fields["classification"].choices]
    assert offered == ["", Clearance.NONE, Clearance.SECRET]
    html = response.content.decode()
    assert "机密" not in html and "绝密" not in html
    response, titles = rows(client, secretary, classification=Clearance.CONFIDENTIAL)
    assert "查询条件有误" in response.content.decode()
    assert "机密件" not in titles
    _, titles = rows(client, personas["leader"], classification=Clearance.CONFIDENTIAL)
    assert titles == ["机密件"]


def test_a_unit_handler_sees_only_their_units_documents(client, personas, units):
    secretary = personas["secretary"]
    make_incoming(secretary, title="教育局主办", lead_unit=units["a"])
    make_incoming(secretary, title="住建局主办", lead_unit=units["b"])
    make_incoming(secretary, title="尚未交办")
    make_incoming(
        secretary, title="教育局主办的秘密件", lead_unit=units["a"], classification=Clearance.SECRET
    )
    response, titles = rows(client, personas["handler_a"])
    assert titles == ["教育局主办"]
    offered = [value for value, _ in response.context["form"].fields["classification"].choices]
    assert offered == ["", Clearance.NONE]
    _, titles = rows(client, personas["handler_a"], q="主办")
    assert titles == ["教育局主办"]
    assert rows(client, personas["auditor"])[1] == []


# --- filters ------------------------------------------------------------------------------------


@pytest.fixture
def register(personas, units):
    """Six documents that differ in every filtered column."""
    secretary = personas["secretary"]
    today = timezone.localdate()
    make_incoming(
        secretary,
        title="关于督办防汛工作的通知",
        received_on=datetime.date(2019, 6, 1),
        state=State.COMPLETED,
        lead_unit=units["a"],
        deadline=datetime.date(2019, 6, 20),
        completed_on=datetime.date(2019, 6, 25),
        assignment_state="approved",
    )
    make_incoming(
        secretary,
        title="关于消防安全检查的请示",
        doc_type="request",
        received_on=today - datetime.timedelta(days=30),
        state=State.HANDLING,
        lead_unit=units["b"],
        deadline=today - datetime.timedelta(days=2),
        urgency=Urgency.URGENT,
        sender=make_sender("珠海市应急管理局", "lower"),
    )
    make_incoming(
        secretary,
        title="关于安全生产月的报告",
        doc_type="report",
        kind="reading",
        received_on=today - datetime.timedelta(days=20),
        state=State.CIRCULATING,
    )
    make_incoming(
        secretary,
        title="关于秘密事项的函",
        doc_type="letter",
        received_on=today - datetime.timedelta(days=10),
        classification=Clearance.SECRET,
        state=State.HANDLING,
        lead_unit=units["a"],
        deadline=today + datetime.timedelta(days=40),
    )
    make_incoming(
        secretary,
        title="关于退回事项的函",
        doc_type="letter",
        received_on=today - datetime.timedelta(days=5),
        state=State.RETURNED,
    )
    make_incoming(
        secretary,
        title="关于已归档事项的通知",
        received_on=datetime.date(2019, 1, 5),
        state=State.ARCHIVED,
        lead_unit=units["b"],
        deadline=datetime.date(2019, 1, 20),
        completed_on=datetime.date(2019, 1, 15),
        assignment_state="approved",
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "督办"}, {"关于督办防汛工作的通知"}),
        ({"q": "事项 的函"}, {"关于秘密事项的函", "关于退回事项的函"}),
        ({"year": 2019}, {"关于督办防汛工作的通知", "关于已归档事项的通知"}),
        ({"sender": "应急管理"}, {"关于消防安全检查的请示"}),
        ({"doc_type": "letter"}, {"关于秘密事项的函", "关于退回事项的函"}),
        ({"kind": "reading"}, {"关于安全生产月的报告"}),
        ({"state": "handling"}, {"关于消防安全检查的请示", "关于秘密事项的函"}),
        (
            {"state": "open"},
            {"关于消防安全检查的请示", "关于秘密事项的函", "关于安全生产月的报告"},
        ),
        ({"state": "done"}, {"关于督办防汛工作的通知", "关于已归档事项的通知"}),
        ({"urgency": "urgent"}, {"关于消防安全检查的请示"}),
        ({"classification": Clearance.SECRET}, {"关于秘密事项的函"}),
        ({"overdue": "on"}, {"关于消防安全检查的请示"}),
        ({"year": 2019, "state": "archived"}, {"关于已归档事项的通知"}),
    ],
)
def test_filters(client, personas, register, params, expected):
    _, titles = rows(client, personas["secretary"], **params)
    assert set(titles) == expected


def test_lead_unit_filter(client, personas, units, register):
    _, titles = rows(client, personas["secretary"], lead_unit=units["a"].pk)
    assert set(titles) == {"关于督办防汛工作的通知", "关于秘密事项的函"}


def test_lights_and_completion_marks(client, personas, register):
    response, _ = rows(client, personas["secretary"])
    marks = {document.title: document.light_label for document in response.context["page"].rows}
    assert marks == {
        "关于督办防汛工作的通知": "逾期办结",
        "关于消防安全检查的请示": "逾期",
        "关于安全生产月的报告": "",
        "关于秘密事项的函": "正常",
        "关于退回事项的函": "",
        "关于已归档事项的通知": "按期办结",
    }
    html = response.content.decode()
    assert 'class="light light-red">逾期办结' in html
    assert 'class="light light-green">按期办结' in html


def test_lights_follow_the_working_calendar(personas):
    """Yellow from three working days before the deadline (the handling policy's default): over
    the Mid-Autumn Festival (Friday 25 September 2026) and the weekend after it."""
    today = datetime.date(2026, 9, 22)  # Tuesday
    documents = [
        IncomingDocument(pk=n, state=State.HANDLING, deadline=today + datetime.timedelta(days=n))
        for n in (-1, 0, 6, 7)
    ]
    with_lights(documents, today=today)
    # 23, 24 September and 28 September are the three working days after the 22nd.
    assert [d.light_label for d in documents] == ["逾期", "临期", "临期", "正常"]


def test_completed_without_deadline_is_simply_completed(personas):
    document = make_incoming(personas["secretary"], kind="reading", state=State.COMPLETED)
    with_lights([document])
    assert (document.light, document.light_label) == ("green", "已办结")


# --- sorting and pages ----------------------------------------------------------------------


def test_sorts(client, personas, register):
    secretary = personas["secretary"]
    _, titles = rows(client, secretary, sort="received_asc")
    assert titles[:2] == ["关于已归档事项的通知", "关于督办防汛工作的通知"]
    _, by_number = rows(client, secretary, sort="number")
    expected = IncomingDocument.objects.order_by("-year", "-serial", "-id")
    assert by_number == [document.title for document in expected]
    response, titles = rows(client, secretary, sort="deadline")
    assert titles == [
        "关于已归档事项的通知",
        "关于督办防汛工作的通知",
        "关于消防安全检查的请示",
        "关于秘密事项的函",
    ]
    assert "只列出有办理期限的收文" in response.content.decode()


def test_next_page_follows_the_cursor(client, personas):
    secretary = personas["secretary"]
    for n in range(55):
        make_incoming(secretary, title=f"第{n:02d}号件", received_on=day(n))
    response, first = rows(client, secretary)
    page = response.context["page"]
    assert len(first) == 50 and first[0] == "第54号件"
    assert page.has_next
    html = response.content.decode()
    assert f"after={page.next_cursor}" in html and "下一页" in html
    response, second = rows(client, secretary, after=page.next_cursor)
    assert second == [f"第{n:02d}号件" for n in range(4, -1, -1)]
    assert not response.context["page"].has_next
    assert "回到第一页" in response.content.decode()


def test_next_page_keeps_the_filters(client, personas):
    secretary = personas["secretary"]
    for n in range(52):
        make_incoming(secretary, title=f"防汛第{n:02d}号件", received_on=day(n))
        make_incoming(secretary, title=f"消防第{n:02d}号件", received_on=day(n))
    response, first = rows(client, secretary, q="防汛", sort="received_asc")
    cursor = response.context["page"].next_cursor
    [link] = re.findall(r'href="([^"]*)"[^>]*>下一页', response.content.decode())
    assert link.replace("&amp;", "&") == (f"?q=%E9%98%B2%E6%B1%9B&sort=received_asc&after={cursor}")
    _, second = rows(client, secretary, q="防汛", sort="received_asc", after=cursor)
    assert first[0] == "防汛第00号件"
    assert second == ["防汛第50号件", "防汛第51号件"]


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999"},
        {"sort": "title"},
        {"state": "nonsense"},
        {"lead_unit": "abc"},
        {"lead_unit": "999999"},
        {"classification": "x"},
        {"q": "防" * 101},
    ],
)
def test_bad_filters_answer_with_a_message(client, personas, params):
    make_incoming(personas["secretary"], title="关于防汛工作的通知")
    response, titles = rows(client, personas["secretary"], **params)
    assert "查询条件有误" in response.content.decode()
    assert titles == ["关于防汛工作的通知"]


@pytest.mark.parametrize("after", ["garbage", "W10", "WyIyMDI2LTEzLTQwIiwxXQ", "WzEsMiwzLDRd"])
def test_a_bad_cursor_shows_the_first_page_with_a_message(client, personas, after):
    make_incoming(personas["secretary"], title="关于防汛工作的通知")
    response, titles = rows(client, personas["secretary"], after=after)
    assert "分页参数无效" in response.content.decode()
    assert titles == ["关于防汛工作的通知"]


def test_odd_search_text_is_harmless(client, personas):
    make_incoming(personas["secretary"], title="关于防汛工作的通知")
    for q in ["'", "\\", "a & b | !c", "%_", "防汛:*", "); DROP TABLE x; --"]:
        assert rows(client, personas["secretary"], q=q)[1] == []


# --- query budget -------------------------------------------------------------------------------


@pytest.fixture
def full_register(personas, units):
    """60 documents of every kind: open with deadlines (lights), completed, with lead units."""
    secretary = personas["secretary"]
    today = timezone.localdate()
    for n in range(60):
        unit = (units["a"], units["b"], None)[n % 3]
        make_incoming(
            secretary,
            title=f"关于第{n}项防汛工作的通知",
            received_on=today - datetime.timedelta(days=n),
            lead_unit=unit,
            state=(State.HANDLING, State.COMPLETED, State.REGISTERED)[n % 3],
            deadline=today + datetime.timedelta(days=n - 20) if unit else None,
            completed_on=today if n % 3 == 1 else None,
        )


@pytest.mark.parametrize("persona", ["secretary", "handler_a"])
@pytest.mark.parametrize(
    "params", [{}, {"q": "防汛", "state": "open", "sort": "deadline"}, {"overdue": "on"}]
)
def test_query_budget(
    client, personas, units, full_register, django_assert_max_num_queries, persona, params
):
    client.force_login(personas[persona])
    client.get(URL)  # the handling policy row exists from here on
    # The shell's share: session, user, security policy, roles, unread count, the user's unit and
    # the session's save (savepoint, update, release) — 9. The register's: its page, the handling
    # policy, the calendar's overrides, the unit list of the filter form (full page only) and, for
    # a unit handler, their unit's sub-units.
    with django_assert_max_num_queries(14):
        response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["page"].rows
    with django_assert_max_num_queries(13):
        client.get(URL, params, headers={"HX-Request": "true"})
