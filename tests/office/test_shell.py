"""The shell: sign-in pages, 工作台, global search and the notification inbox."""

import datetime

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from office import registry
from office.models import Notification, SecurityPolicy
from office.notifications import notify
from office.registry import DeskItem, NavEntry, SearchHit

pytestmark = pytest.mark.django_db

PASSWORD = "Demo@2026x"
ADMIN_PAGES = {
    "secadmin": [
        ("office:unit-list", "单位管理"),
        ("office:user-list", "用户管理"),
        ("office:security-policy", "安全策略"),
    ],
    "sysadmin": [("office:calendar", "工作日历")],
    "auditor": [("office:trail-list", "审计日志")],
}


@pytest.fixture
def signed_in(client, personas):
    """A client signed in as the named persona, with the security policy row already in place
    (as in production), so that query counts measure the page and not the first-run insert."""
    SecurityPolicy.current()

    def sign_in(name):
        client.force_login(personas[name])
        return client

    return sign_in


@pytest.fixture
def desk_provider(monkeypatch):
    """Registers one desk provider for the test; returns the list of items it will hand out."""
    items = []
    monkeypatch.setattr(registry, "_desk", [lambda user: list(items)])
    return items


@pytest.fixture
def search_calls(monkeypatch):
    """Registers one search provider that records its calls and finds one document."""
    calls = []

    def provider(user, query, limit):
        calls.append((user, query, limit))
        if "教育" not in query:
            return []
        return [
            SearchHit(
                "收文", "关于做好2026年秋季学期教育工作的通知", "/documents/7/", "收〔2026〕0153号"
            ),
            SearchHit("督办", "教育局落实常务会议议定事项", "/supervision/3/"),
        ]

    monkeypatch.setattr(registry, "_search", [provider])
    return calls


def _page(response):
    return response.content.decode()


# --- Sign-in -----------------------------------------------------------------------------------


def test_login_page_renders_in_chinese(client):
    response = client.get(reverse("login"))
    html = _page(response)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "政务办公" in html
    assert "珠海市人民政府办公室" in html
    assert "用户名" in html and "密码" in html
    assert "首次登录或密码到期后须修改密码" in html


def test_login_with_wrong_password_shows_chinese_error(client, personas):
    response = client.post(reverse("login"), {"username": "mishu", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in _page(response)


def test_login_succeeds_to_desk(client, personas):
    response = client.post(reverse("login"), {"username": "mishu", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("office:desk")


def test_too_many_failures_lock_the_account(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "mishu", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "mishu", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多，账户已暂时锁定，请 30 分钟后再试或联系安全管理员" in _page(response)


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("office:desk"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_logout_is_a_post_form_in_the_user_menu(signed_in):
    client = signed_in("secretary")
    html = _page(client.get(reverse("office:desk")))
    assert f'<form method="post" action="{reverse("logout")}">' in html
    assert f'href="{reverse("password_change")}"' in html
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("office:desk")).status_code == 302


def test_password_change_page_uses_the_shell(signed_in):
    response = signed_in("secretary").get(reverse("password_change"))
    html = _page(response)
    assert response.status_code == 200
    assert "修改密码" in html
    assert 'name="new_password1"' in html
    assert "珠海市人民政府办公室" in html


# --- Shell -------------------------------------------------------------------------------------


def test_shell_shows_user_unit_search_and_bell(signed_in):
    html = _page(signed_in("secretary").get(reverse("office:desk")))
    assert "王秘书" in html
    assert "秘书科" in html
    assert f'action="{reverse("office:search")}"' in html
    assert f'hx-get="{reverse("office:notifications-badge")}"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "/static/vendor/htmx.org-2.0.11/htmx.min.js" in html


def test_registered_nav_entries_show_and_unresolvable_ones_are_left_out(signed_in, monkeypatch):
    monkeypatch.setattr(
        registry,
        "_nav",
        [
            NavEntry("收文办理", "office:search", "inbox"),
            NavEntry("尚未上线", "documents:no-such-page", "folder"),
        ],
    )
    html = _page(signed_in("secretary").get(reverse("office:desk")))
    assert "业务办理" in html
    assert "收文办理" in html and "bi-inbox" in html
    assert "尚未上线" not in html


def test_business_user_sees_no_admin_navigation(signed_in):
    html = _page(signed_in("secretary").get(reverse("office:desk")))
    assert "系统管理" not in html
    for pages in ADMIN_PAGES.values():
        for _, label in pages:
            assert label not in html


@pytest.mark.parametrize("role", ["secadmin", "sysadmin", "auditor"])
def test_admin_sees_only_own_admin_pages_that_exist(signed_in, role):
    """三员分立: each administrator is shown their own pages only, and only once they exist."""
    html = _page(signed_in(role).get(reverse("office:desk")))
    for owner, pages in ADMIN_PAGES.items():
        for url_name, label in pages:
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                url = None
            if owner == role and url:
                assert f'href="{url}"' in html
            elif owner != role:
                assert label not in html


def test_error_messages_are_bootstrap_danger_alerts():
    html = render_to_string(
        "_messages.html", {"messages": [Message(constants.ERROR, "该公文已被他人签收。")]}
    )
    assert "alert-danger" in html
    assert "该公文已被他人签收。" in html


# --- 工作台 --------------------------------------------------------------------------------------


def test_desk_for_secretary_with_nothing_to_do(signed_in):
    response = signed_in("secretary").get(reverse("office:desk"))
    html = _page(response)
    assert response.status_code == 200
    assert "工作台" in html
    assert "我的待办" in html
    assert "暂无待办事项" in html
    assert "暂无通知" in html


def test_desk_says_whether_today_is_a_working_day(signed_in):
    html = _page(signed_in("secretary").get(reverse("office:desk")))
    assert "工作日" in html or "休息日" in html
    assert f"{timezone.localdate():%Y}年" in html


def test_desk_lists_provider_items_red_first(signed_in, desk_provider):
    today = timezone.localdate()
    desk_provider.extend(
        [
            DeskItem("收文", "关于防汛工作的通知", "/documents/1/", today + datetime.timedelta(30)),
            DeskItem("督办", "老旧小区改造进度", "/supervision/2/", today, "yellow", "待反馈"),
            DeskItem("会议", "常务会议纪要签发", "/meetings/3/", None, "green", "待签发"),
            DeskItem("收文", "市教育局请示", "/documents/4/", today - datetime.timedelta(2), "red"),
        ]
    )
    html = _page(signed_in("secretary").get(reverse("office:desk")))
    assert "暂无待办事项" not in html
    order = [
        html.index(title) for title in ("市教育局请示", "老旧小区改造进度", "关于防汛工作的通知")
    ]
    assert order == sorted(order)
    assert html.index("关于防汛工作的通知") < html.index("常务会议纪要签发")  # no deadline last
    assert '<span class="light light-red">逾期</span>' in html
    assert '<span class="light light-yellow">临期</span>' in html
    assert '<span class="light light-green">正常</span>' in html
    assert 'href="/documents/4/"' in html


def test_desk_counts_each_light(signed_in, desk_provider):
    desk_provider.extend(
        [DeskItem("收文", f"逾期件{i}", f"/documents/{i}/", light="red") for i in range(3)]
    )
    response = signed_in("secretary").get(reverse("office:desk"))
    summary = {tile["light"]: tile["count"] for tile in response.context["summary"]}
    assert summary == {"red": 3, "yellow": 0, "green": 0}


def test_desk_shows_five_latest_notifications_unread_bold(signed_in, personas):
    secretary = personas["secretary"]
    for i in range(7):
        notify([secretary], title=f"通知第{i}号", url="/documents/1/")
    Notification.objects.filter(title="通知第6号").update(read_at=timezone.now())
    response = signed_in("secretary").get(reverse("office:desk"))
    html = _page(response)
    assert len(response.context["latest"]) == 5
    assert "通知第6号" in html and "通知第1号" not in html
    assert html.count("note-unread") == 4


def test_admin_only_user_sees_admin_panel_instead_of_todo(signed_in, desk_provider):
    desk_provider.append(DeskItem("收文", "不应出现的公文", "/documents/1/", light="red"))
    html = _page(signed_in("secadmin").get(reverse("office:desk")))
    assert "三员分立" in html
    assert "我的待办" not in html
    assert "不应出现的公文" not in html


def test_desk_query_budget(signed_in, personas, desk_provider, django_assert_max_num_queries):
    client = signed_in("secretary")
    desk_provider.extend(
        [DeskItem("收文", f"公文{i}", f"/documents/{i}/", light="yellow") for i in range(30)]
    )
    for i in range(6):
        notify([personas["secretary"]], title=f"通知{i}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("office:desk")).status_code == 200


# --- Search --------------------------------------------------------------------------------------


def test_search_calls_providers_and_groups_hits(signed_in, personas, search_calls):
    response = signed_in("secretary").get(reverse("office:search"), {"q": " 教育 "})
    html = _page(response)
    assert response.status_code == 200
    assert search_calls == [(personas["secretary"], "教育", 20)]
    assert "找到 2 条" in html
    assert "关于做好2026年秋季学期教育工作的通知" in html and 'href="/documents/7/"' in html
    assert "收〔2026〕0153号" in html
    assert [g["app_label"] for g in response.context["groups"]] == ["收文", "督办"]


def test_search_without_query_shows_a_hint(signed_in, search_calls):
    html = _page(signed_in("secretary").get(reverse("office:search")))
    assert "请输入要搜索的内容" in html
    assert search_calls == []


def test_search_without_hits_says_so(signed_in, search_calls):
    html = _page(signed_in("secretary").get(reverse("office:search"), {"q": "防汛"}))
    assert "未找到与“防汛”相关的内容" in html


def test_search_without_providers_says_nothing_found(signed_in, monkeypatch):
    monkeypatch.setattr(registry, "_search", [])
    html = _page(signed_in("secretary").get(reverse("office:search"), {"q": "教育"}))
    assert "未找到与“教育”相关的内容" in html


def test_search_query_is_cut_to_100_characters(signed_in, search_calls):
    signed_in("secretary").get(reverse("office:search"), {"q": "教" * 150})
    assert search_calls[0][1] == "教" * 100


# --- Notifications -------------------------------------------------------------------------------


def test_only_the_recipient_can_open_a_notification(signed_in, personas):
    (note,) = notify([personas["secretary"]], title="请签收来文", url="/documents/1/")
    response = signed_in("leader").get(reverse("office:notification-open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_opening_marks_read_and_goes_to_its_page(signed_in, personas):
    (note,) = notify([personas["secretary"]], title="请签收来文", url="/documents/1/?tab=trail")
    response = signed_in("secretary").get(reverse("office:notification-open", args=[note.pk]))
    assert response.status_code == 302
    assert response.url == "/documents/1/?tab=trail"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize("url", ["", "https://evil.example/steal", "//evil.example/steal"])
def test_opening_without_a_local_link_goes_to_the_inbox(signed_in, personas, url):
    (note,) = notify([personas["secretary"]], title="密码即将到期", url=url)
    response = signed_in("secretary").get(reverse("office:notification-open", args=[note.pk]))
    assert response.url == reverse("office:notifications")


def test_read_all_marks_only_own_notifications(signed_in, personas):
    notify([personas["secretary"], personas["leader"]], title="常务会议通知")
    notify([personas["secretary"]], title="督办提醒")
    client = signed_in("secretary")
    assert client.get(reverse("office:notifications-read-all")).status_code == 405
    response = client.post(reverse("office:notifications-read-all"), follow=True)
    assert "已将 2 条通知标为已读。" in _page(response)
    assert "alert-success" in _page(response)
    assert not Notification.objects.filter(recipient=personas["secretary"], read_at=None).exists()
    assert Notification.objects.filter(recipient=personas["leader"], read_at=None).count() == 1


def test_badge_shows_unread_count(signed_in, personas):
    notify([personas["secretary"]], title="请签收来文")
    notify([personas["secretary"]], title="督办提醒")
    notify([personas["leader"]], title="领导批示")
    html = _page(signed_in("secretary").get(reverse("office:notifications-badge")))
    assert 'id="shell-unread"' in html
    assert ">2<" in html
    assert "d-none" not in html


def test_badge_is_hidden_without_unread(signed_in):
    html = _page(signed_in("secretary").get(reverse("office:notifications-badge")))
    assert "d-none" in html


def test_inbox_lists_own_notifications_unread_highlighted(signed_in, personas):
    notify([personas["secretary"]], title="请签收来文", body="市教育局来文一件，请及时签收。")
    notify([personas["leader"]], title="领导批示件")
    response = signed_in("secretary").get(reverse("office:notifications"))
    html = _page(response)
    assert "请签收来文" in html and "市教育局来文一件" in html
    assert "领导批示件" not in html
    assert "note-unread" in html
    assert "全部标为已读" in html


def test_inbox_pages_by_keyset_without_counting(signed_in, personas, django_assert_max_num_queries):
    secretary = personas["secretary"]
    start = timezone.now() - datetime.timedelta(days=1)
    for i in range(25):
        notify([secretary], title=f"第{i:02d}号通知")
    # Ten share one timestamp, so the page boundary falls among them and the id breaks the tie.
    for i, note in enumerate(Notification.objects.order_by("id")):
        at = start if i < 10 else start + datetime.timedelta(minutes=i)
        Notification.objects.filter(pk=note.pk).update(created_at=at)
    client = signed_in("secretary")
    with django_assert_max_num_queries(11) as captured:
        first = client.get(reverse("office:notifications"))
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert all('"read_at" IS NULL' in sql for sql in counts)  # only the unread badge counts
    assert len(first.context["page"]) == 20
    cursor = first.context["page"].next_cursor
    assert f"?after={cursor}" in _page(first) and "更早的通知" in _page(first)
    second = client.get(reverse("office:notifications"), {"after": cursor})
    assert len(second.context["page"]) == 5
    assert not second.context["page"].has_next
    assert "回到最新" in _page(second)
    seen = [n.pk for n in first.context["page"]] + [n.pk for n in second.context["page"]]
    assert sorted(seen) == sorted(Notification.objects.values_list("pk", flat=True))
    assert len(set(seen)) == 25


def test_inbox_refuses_a_forged_cursor(signed_in):
    response = signed_in("secretary").get(reverse("office:notifications"), {"after": "x-1"})
    assert response.status_code == 400
