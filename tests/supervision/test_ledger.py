"""台账 through the browser's eyes (Django's test client): who sees which items (and which
figures), the filters and their Chinese refusals, keyset pages, 常用筛选, 批量交办 / 批量催办 with
their refusals named item by item, and the page's query budget."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from office.models import Clearance
from office.roles import Role
from supervision import services, workflow
from supervision.models import SavedFilter, Source, SupervisionItem, Urging
from tests.conftest import make_user
from tests.steps import events, fresh

S = SupervisionItem.State
URL = "/supervision/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def new_item(personas, units, today):
    """立项 by the supervisor (the only way items come to be: services.open_item)."""

    def make(title="推进市教育局课后服务提质扩面", *, lead="a", co=(), leader=None, **plan):
        days = plan.pop("days", 60)
        return services.open_item(
            services.ItemPlan(
                title=title,
                source=plan.pop("source", Source.INSTRUCTION),
                lead_unit=units[lead],
                co_units=tuple(units[c] for c in co),
                responsible_leader=leader or personas["leader"],
                deadline=today + datetime.timedelta(days=days),
                **plan,
            ),
            actor=personas["supervisor"],
        )

    return make


def ledger(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def listed(response):
    return [row["item"].item_number for row in response.context["rows"]]


def numbers(*items):
    return sorted(item.item_number for item in items)


def move_deadline(item, days, today):
    """Test data: the deadline as if opened long ago (the item's own dates, not its state)."""
    day = today + datetime.timedelta(days=days)
    SupervisionItem.objects.filter(pk=item.pk).update(deadline=day, original_deadline=day)


# --- who sees what -----------------------------------------------------------------------------


def test_a_unit_sees_the_items_it_leads_or_co_operates_on(client, personas, new_item):
    own = new_item("市教育局牵头事项")
    helping = new_item("市住建局牵头、教育局配合事项", lead="b", co=("a",))
    other = new_item("市住建局独办事项", lead="b")
    response = ledger(client, personas["handler_a"])
    assert response.status_code == 200
    assert sorted(listed(response)) == numbers(own, helping)
    html = response.content.decode()
    assert "市教育局牵头事项" in html and "市住建局独办事项" not in html
    assert response.context["summary"]["total"] == 2
    assert sorted(listed(ledger(client, personas["handler_b"]))) == numbers(helping, other)
    # A unit's people have no bulk actions.
    assert "批量交办" not in html


def test_a_leader_sees_their_portfolio_and_the_leaders_they_serve_as_liaison(
    client, personas, units, new_item
):
    deputy = make_user("fumishuzhang", "吴副秘书长", unit=units["office"], roles=[Role.LEADER])
    vice = make_user(
        "fushizhang_qian", "钱副市长", unit=units["government"], roles=[Role.LEADER], liaison=deputy
    )
    mine = new_item("李副市长分管事项")
    served = new_item("钱副市长分管事项", leader=vice)
    assert listed(ledger(client, personas["leader"])) == [mine.item_number]
    assert listed(ledger(client, deputy)) == [served.item_number]
    assert listed(ledger(client, vice)) == [served.item_number]


def test_the_supervisor_sees_all_but_what_is_above_their_clearance(client, personas, new_item):
    plain = new_item("普通事项")
    other_unit = new_item("住建局事项", lead="b")
    secret = new_item("秘密事项", classification=Clearance.SECRET)
    above = new_item("绝密事项", classification=Clearance.TOP_SECRET)
    response = ledger(client, personas["supervisor"])
    assert sorted(listed(response)) == numbers(plain, other_unit, secret)
    html = response.content.decode()
    assert "绝密事项" not in html and above.item_number not in html
    assert response.context["summary"]["total"] == 3
    assert response.context["summary"]["rates"].total == 3
    assert "批量交办" in html
    # The leader (cleared 绝密) sees it; the figures count it for them only.
    assert ledger(client, personas["leader"]).context["summary"]["total"] == 4


def test_the_ledger_is_in_the_navigation_of_business_roles_only(client, personas):
    for who in ("supervisor", "handler_a", "leader"):
        client.force_login(personas[who])
        assert "督查台账" in client.get(URL).content.decode()
    client.force_login(personas["sysadmin"])
    assert "督查台账" not in client.get(reverse("office:desk")).content.decode()


# --- filters -----------------------------------------------------------------------------------


def test_filters_by_source_light_state_keyword_and_deadline(client, personas, new_item, today):
    instruction = new_item("市长批示：加快老旧小区改造")
    meeting = new_item("常务会议议定：校园食品安全整治", source=Source.MEETING_DECISION)
    late = new_item("逾期的网络诉求", source=Source.PUBLIC_APPEAL)
    move_deadline(late, -2, today)
    soon = new_item("临期事项", days=1)
    closed_like = new_item("已中止事项")
    workflow.suspend(closed_like, actor=personas["supervisor"], reason="上级政策调整")
    sup = personas["supervisor"]

    assert listed(ledger(client, sup, source=Source.MEETING_DECISION)) == [meeting.item_number]
    red = ledger(client, sup, light="red")
    assert listed(red) == [late.item_number]
    assert "已超过办结时限 2 天" in red.content.decode()  # the light's tooltip says why
    assert listed(ledger(client, sup, light="yellow")) == [soon.item_number]
    assert sorted(listed(ledger(client, sup, light="green"))) == numbers(instruction, meeting)
    assert closed_like.item_number not in listed(ledger(client, sup, state="open"))
    assert len(listed(ledger(client, sup, state="open"))) == 4
    assert listed(ledger(client, sup, state=S.SUSPENDED)) == [closed_like.item_number]
    assert listed(ledger(client, sup, q="老旧小区")) == [instruction.item_number]
    assert listed(ledger(client, sup, q=meeting.item_number)) == [meeting.item_number]
    window = ledger(
        client,
        sup,
        deadline_from=(today - datetime.timedelta(days=5)).isoformat(),
        deadline_to=(today + datetime.timedelta(days=3)).isoformat(),
    )
    assert sorted(listed(window)) == numbers(late, soon)

    summary = ledger(client, sup).context["summary"]
    assert [(light, n) for light, _, n in summary["lights"]] == [
        ("red", 1),
        ("yellow", 1),
        ("green", 2),
    ]
    assert (summary["total"], summary["open"]) == (5, 4)


def test_filters_by_unit_leader_and_year(client, personas, units, new_item, today):
    deputy = make_user("fushizhang_zhou", "周副市长", unit=units["government"], roles=[Role.LEADER])
    a = new_item("教育局事项")
    b = new_item("住建局事项", lead="b", leader=deputy)
    sup = personas["supervisor"]
    assert listed(ledger(client, sup, lead_unit=units["b"].pk)) == [b.item_number]
    assert listed(ledger(client, sup, responsible_leader=personas["leader"].pk)) == [a.item_number]
    assert sorted(listed(ledger(client, sup, year=today.year))) == numbers(a, b)
    assert listed(ledger(client, sup, year=today.year - 1)) == []


def test_an_invalid_date_is_told_in_chinese_and_ignored(client, personas, new_item):
    item = new_item()
    response = ledger(client, personas["supervisor"], deadline_from="2026-13-45", q="课后服务")
    assert response.status_code == 200
    html = response.content.decode()
    assert "查询条件“办结时限自”有误，已忽略" in html and "请按“年-月-日”填写日期" in html
    assert listed(response) == [item.item_number]  # the other filters still apply
    assert 'value="课后服务"' in html  # the input is kept
    backwards = ledger(
        client, personas["supervisor"], deadline_from="2026-06-30", deadline_to="2026-01-01"
    )
    assert "截止日期早于起始日期" in backwards.content.decode()


def test_htmx_swaps_only_the_results(client, personas, new_item):
    new_item()
    client.force_login(personas["supervisor"])
    response = client.get(URL, {"light": "green"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="ledger-results">')
    assert "<html" not in html and "推进市教育局课后服务提质扩面" in html


# --- sort and pages ----------------------------------------------------------------------------


def test_keyset_pages_return_every_row_once_in_each_order(client, personas, new_item):
    items = [new_item(f"事项{n}", days=10 + n % 7) for n in range(55)]
    for sort in ("", "deadline", "-deadline", "item_number"):
        seen, after = [], None
        while True:
            params = {"sort": sort} if sort else {}
            if after:
                params["after"] = after
            response = ledger(client, personas["supervisor"], **params)
            seen += [row["item"] for row in response.context["rows"]]
            page = response.context["page"]
            if not page.has_next:
                break
            after = page.next_cursor
            assert "显示前 50 项" in response.content.decode()
        assert sorted(i.pk for i in seen) == sorted(i.pk for i in items), sort
        if sort == "":
            assert seen[0] == items[-1]  # newest number first
        if sort == "deadline":
            deadlines = [i.deadline for i in seen]
            assert deadlines == sorted(deadlines)
    broken = ledger(client, personas["supervisor"], after="not-a-cursor")
    assert broken.status_code == 200 and "分页参数无效" in broken.content.decode()


# --- 常用筛选 ----------------------------------------------------------------------------------


def save(client, name, query):
    return client.post(f"{reverse('supervision:ledger-save-filter')}?{query}", {"name": name})


def test_saved_filters_are_kept_per_user_with_unique_names(client, personas, new_item):
    red_query = "light=red&state=open"
    client.force_login(personas["supervisor"])
    response = save(client, "红灯在办", red_query + "&after=abc")
    assert response.status_code == 302
    saved = SavedFilter.objects.get()
    assert (saved.owner, saved.name, saved.query) == (
        personas["supervisor"],
        "红灯在办",
        "state=open&light=red",
    )
    page = client.get(response["Location"]).content.decode()
    assert "已保存常用筛选“红灯在办”" in page
    assert f'href="{URL}?state=open&amp;light=red"' in page

    again = save(client, "红灯在办", "source=instruction")
    assert again.status_code == 400
    html = again.content.decode()
    assert "您已有名为“红灯在办”的常用筛选，请换一个名称。" in html
    assert 'value="红灯在办"' in html  # the name is kept
    assert SavedFilter.objects.count() == 1
    assert save(client, "", "source=instruction").status_code == 400
    nothing = save(client, "空的", "")
    assert "当前没有筛选条件" in nothing.content.decode()

    # Another user neither sees nor deletes it; the same name is theirs to use.
    client.force_login(personas["handler_a"])
    assert "红灯在办" not in client.get(URL).content.decode()
    delete_url = reverse("supervision:ledger-delete-filter", args=[saved.pk])
    assert client.post(delete_url).status_code == 404
    assert save(client, "红灯在办", red_query).status_code == 302
    assert SavedFilter.objects.count() == 2

    client.force_login(personas["supervisor"])
    assert client.get(delete_url).status_code == 405
    deleted = client.post(delete_url, {"query": "light=red"})
    assert deleted.status_code == 302 and deleted["Location"] == f"{URL}?light=red"
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()
    assert SavedFilter.objects.get().owner == personas["handler_a"]


# --- 批量交办 / 批量催办 -------------------------------------------------------------------------


def bulk(client, action, items, message="", query="light=red"):
    return client.post(
        reverse("supervision:ledger-bulk"),
        {"action": action, "items": [i.pk for i in items], "message": message, "query": query},
        follow=True,
    )


def said(response):
    return [str(m) for m in response.context["messages"]]


def test_bulk_assign_names_each_refused_item(client, personas, new_item):
    sup = personas["supervisor"]
    fresh_items = [new_item(f"待交办事项{n}") for n in range(3)]
    already = new_item("已交办事项")
    workflow.assign(already, actor=sup)
    client.force_login(sup)
    response = bulk(client, "assign", [*fresh_items, already], message="请抓紧落实")
    assert response.redirect_chain[-1][0] == f"{URL}?light=red"
    assert said(response) == [
        f"已交办 3 项；1 项未交办：{already.item_number} 当前状态为“已交办”，不能执行“交办”。"
    ]
    assert all(fresh(i).state == S.ASSIGNED for i in fresh_items)
    assert events(fresh_items[0], "assign").get().opinion == "请抓紧落实"


def test_bulk_urge_needs_a_message_and_skips_closed_items(client, personas, new_item):
    sup = personas["supervisor"]
    a, b = new_item("催办甲"), new_item("催办乙")
    workflow.suspend(b, actor=sup, reason="政策调整")
    client.force_login(sup)
    empty = bulk(client, "urge", [a])
    assert said(empty) == ["批量催办须填写催办内容。"] and not Urging.objects.exists()
    assert said(bulk(client, "urge", [], message="请报送")) == ["请先勾选督办事项。"]
    response = bulk(client, "urge", [a, b], message="请于周五前报送进展")
    assert said(response) == [
        f"已催办 1 项；1 项未催办：{b.item_number} 事项当前状态为“已中止”，无需催办。"
    ]
    urging = Urging.objects.get()
    assert (urging.item, urging.message, urging.by) == (a, "请于周五前报送进展", sup)


def test_bulk_ignores_items_the_supervisor_cannot_see(client, personas, new_item):
    visible = new_item("可见事项")
    hidden = new_item("绝密事项", classification=Clearance.TOP_SECRET)
    client.force_login(personas["supervisor"])
    response = bulk(client, "assign", [visible, hidden])
    assert said(response) == ["已交办 1 项；1 项未交办：另有 1 项不存在或您无权查看。"]
    assert fresh(hidden).state == S.OPENED and fresh(visible).state == S.ASSIGNED
    assert hidden.item_number not in response.content.decode()


def test_bulk_is_the_supervision_offices_only(client, personas, new_item):
    item = new_item()
    for who in ("handler_a", "head_a", "leader"):
        client.force_login(personas[who])
        response = client.post(
            reverse("supervision:ledger-bulk"), {"action": "assign", "items": [item.pk]}
        )
        assert response.status_code == 403
    assert fresh(item).state == S.OPENED


# --- the page's cost ---------------------------------------------------------------------------


def test_thirty_items_within_a_fixed_query_budget(
    client, personas, new_item, today, django_assert_max_num_queries
):
    sup = personas["supervisor"]
    items = [new_item(f"预算事项{n}", co=("b",)) for n in range(30)]
    for item in items[:10]:
        workflow.assign(item, actor=sup)
    move_deadline(items[0], -3, today)
    SupervisionItem.objects.filter(pk=items[1].pk).update(
        deadline=today + datetime.timedelta(days=90)
    )
    client.force_login(sup)
    client.get(URL)  # the session and the shell warm up
    with django_assert_max_num_queries(20):
        response = client.get(URL, {"state": "open", "sort": "deadline"})
    assert len(response.context["rows"]) == 30
    html = response.content.decode()
    assert "已延期" in html  # items[1]'s deadline moved past its original one
    with django_assert_max_num_queries(20):
        client.get(URL, {"light": "red", "lead_unit": items[0].lead_unit_id})


def test_the_export_button_carries_the_filter_without_the_page(client, personas, new_item):
    new_item()
    html = ledger(client, personas["supervisor"], light="red", sort="deadline", after="x")
    export_url = reverse("supervision:ledger-export")
    assert f'href="{export_url}?light=red&amp;sort=deadline"' in html.content.decode()


# --- keyword (the bigram index of migration 0003_ledger_search, office.bigrams) ------------------


def test_a_two_character_keyword_matches_only_adjacent_characters(client, personas, new_item):
    together = new_item("关于督办老旧小区改造的批示")
    apart = new_item("督查室协调办理校园安全事项")
    source = new_item("推进课后服务", source_label="市政府督办通知 第3号")
    sup = personas["supervisor"]
    assert sorted(listed(ledger(client, sup, q="督办"))) == numbers(together, source)
    assert apart.item_number not in listed(ledger(client, sup, q="督办"))
    assert listed(ledger(client, sup, q="督查")) == [apart.item_number]


def test_a_four_character_keyword_matches_exactly(client, personas, new_item):
    exact = new_item("开展安全生产大检查")
    scattered = new_item("全生命周期安全管理与生产调度")  # 安全、全生、生产, never together
    sup = personas["supervisor"]
    assert listed(ledger(client, sup, q="安全生产")) == [exact.item_number]
    assert scattered.item_number not in listed(ledger(client, sup, q="安全生产"))
    # Several words must all match; the item number is searched too.
    assert listed(ledger(client, sup, q="安全 检查")) == [exact.item_number]
    assert listed(ledger(client, sup, q=exact.item_number)) == [exact.item_number]
    assert listed(ledger(client, sup, q="安全 征兵")) == []
