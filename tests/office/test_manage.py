"""The administration pages: each belongs to one administrator (三员分立, DOMAIN.md §1), every
other user gets 403; lists are keyset-paginated without COUNT(*) and within a query budget
(FIELD_NOTES.md, "Lists and pagination")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from office import calendar
from office.models import CalendarOverride, Clearance, SecurityPolicy, TrailEvent, Unit, User
from office.pagination import InvalidCursor, decode_cursor, encode_cursor, keyset_page
from office.roles import Role
from office.services import current_roles
from tests.conftest import make_unit, make_user

D = datetime.date

GET_PAGES = {
    "office:unit-list": (),
    "office:unit-create": (),
    "office:unit-edit": ("unit",),
    "office:user-list": (),
    "office:user-create": (),
    "office:user-edit": ("user",),
    "office:security-policy": (),
    "office:calendar": (),
    "office:trail-list": (),
}
POST_ACTIONS = {
    "office:unit-deactivate": ("unit",),
    "office:unit-reactivate": ("unit",),
    "office:user-reset-password": ("user",),
    "office:user-deactivate": ("user",),
    "office:user-reactivate": ("user",),
    "office:calendar-override-delete": (),
}
OWNER = {
    "office:security-policy": "secadmin",
    "office:calendar": "sysadmin",
    "office:calendar-override-delete": "sysadmin",
    "office:trail-list": "auditor",
}
# What every signed-in page costs before its own queries (office.middleware, the shell's context
# processor and topbar): session, user, security policy ×2, roles, unit, unread count, and the
# session save (savepoint, update, release). Each list page adds a fixed few, never one per row.
SHELL_QUERIES = 10
BUSINESS = ["secretary", "leader", "supervisor", "handler_a", "head_a", "outsider"]
ADMINS = ["sysadmin", "secadmin", "auditor"]


def owner_of(name):
    return OWNER.get(name, "secadmin")


def url_for(name, args, personas, units):
    values = {"unit": units["a"].pk, "user": personas["handler_b"].pk}
    return reverse(name, args=[values[arg] for arg in args])


@pytest.fixture
def warm(db):
    """The first request of a fresh database creates the security policy row; budgets measure
    the steady state."""
    SecurityPolicy.current()


def messages_text(response):
    return " ".join(str(message) for message in response.context["messages"])


# --- who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", BUSINESS)
def test_business_users_get_403_on_every_admin_url(client, personas, units, who):
    client.force_login(personas[who])
    for name, args in GET_PAGES.items():
        assert client.get(url_for(name, args, personas, units)).status_code == 403, name
    for name, args in POST_ACTIONS.items():
        url = url_for(name, args, personas, units)
        assert client.post(url, {"date": "2026-10-10"}).status_code == 403, name
    assert Unit.objects.get(pk=units["a"].pk).is_active
    assert User.objects.get(pk=personas["handler_b"].pk).is_active


@pytest.mark.parametrize("who", ADMINS)
def test_each_administrator_only_reaches_her_own_pages(client, personas, units, who):
    client.force_login(personas[who])
    for name, args in {**GET_PAGES, **POST_ACTIONS}.items():
        if owner_of(name) == who:
            continue
        url = url_for(name, args, personas, units)
        response = client.post(url) if name in POST_ACTIONS else client.get(url)
        assert response.status_code == 403, name


@pytest.mark.parametrize("who", ["secretary", "leader", "auditor", "sysadmin"])
def test_user_list_is_the_security_administrators(client, personas, who):
    client.force_login(personas[who])
    response = client.get(reverse("office:user-list"))
    assert response.status_code == 403


@pytest.mark.parametrize("name", GET_PAGES)
def test_the_owner_opens_her_pages(client, personas, units, name):
    client.force_login(personas[owner_of(name)])
    response = client.get(url_for(name, GET_PAGES[name], personas, units))
    assert response.status_code == 200
    assert "<html" in response.content.decode()


# --- units ---------------------------------------------------------------------------------------


class TestUnitPages:
    def test_list_shows_the_tree_indented(
        self, client, personas, units, warm, django_assert_max_num_queries
    ):
        client.force_login(personas["secadmin"])
        for index in range(10):
            make_unit(f"第{index}科", f"{index}科", Unit.Kind.SECTION, parent=units["office"])
        with django_assert_max_num_queries(SHELL_QUERIES + 1):  # the tree, counts included
            response = client.get(reverse("office:unit-list"))
        rows = [unit.name for unit in response.context["units"]]
        assert rows.index("珠海市人民政府") < rows.index("珠海市人民政府办公室")
        assert rows.index("珠海市人民政府办公室") < rows.index("市政府办公室秘书科")
        depths = {unit.name: unit.depth for unit in response.context["units"]}
        assert depths["珠海市人民政府"] == 0
        assert depths["市政府办公室秘书科"] == 2

    def test_create(self, client, personas, units):
        client.force_login(personas["secadmin"])
        response = client.post(
            reverse("office:unit-create"),
            {
                "name": "珠海市人民政府办公室综合科",
                "short_name": "综合科",
                "kind": "section",
                "parent": units["office"].pk,
                "code": "",
                "header_text": "",
                "sort_order": "20",
            },
        )
        assert response.status_code == 302
        assert response.url == reverse("office:unit-list")
        unit = Unit.objects.get(short_name="综合科")
        assert unit.parent == units["office"]
        assert TrailEvent.objects.filter(action="unit_create", object_id=unit.pk).exists()

    def test_edit_and_bad_input_keeps_what_was_typed(self, client, personas, units):
        client.force_login(personas["secadmin"])
        url = reverse("office:unit-edit", args=[units["office"].pk])
        response = client.post(
            url,
            {
                "name": "改过的名字",
                "short_name": "",
                "kind": "office",
                "parent": units["government"].pk,
                "sort_order": "7",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "这个字段是必填项" in html
        assert 'value="改过的名字"' in html
        units["office"].refresh_from_db()
        assert units["office"].name == "珠海市人民政府办公室"

    def test_edit_refuses_a_parent_inside_itself(self, client, personas, units):
        client.force_login(personas["secadmin"])
        url = reverse("office:unit-edit", args=[units["government"].pk])
        response = client.get(url)
        offered = [str(value) for value, _ in response.context["form"].fields["parent"].choices]
        assert str(units["office"].pk) not in offered
        assert str(units["government"].pk) not in offered

    def test_edit_saves(self, client, personas, units):
        client.force_login(personas["secadmin"])
        url = reverse("office:unit-edit", args=[units["a"].pk])
        response = client.post(
            url,
            {
                "name": "珠海市教育局",
                "short_name": "教育局",
                "kind": "department",
                "sort_order": "3",
            },
            follow=True,
        )
        assert "已保存单位“珠海市教育局”" in messages_text(response)
        units["a"].refresh_from_db()
        assert units["a"].short_name == "教育局"

    def test_deactivate_with_members_is_refused_with_a_message(self, client, personas, units):
        client.force_login(personas["secadmin"])
        response = client.post(reverse("office:unit-deactivate", args=[units["a"].pk]), follow=True)
        assert response.redirect_chain[-1][0] == reverse("office:unit-list")
        assert "仍有 2 名在用账号" in messages_text(response)
        units["a"].refresh_from_db()
        assert units["a"].is_active

    def test_deactivate_an_empty_unit(self, client, personas, units):
        empty = make_unit("珠海市档案馆", "市档案馆")
        client.force_login(personas["secadmin"])
        response = client.post(reverse("office:unit-deactivate", args=[empty.pk]), follow=True)
        assert "已停用单位“珠海市档案馆”" in messages_text(response)
        empty.refresh_from_db()
        assert not empty.is_active
        assert client.get(reverse("office:unit-deactivate", args=[empty.pk])).status_code == 405


# --- people --------------------------------------------------------------------------------------


def user_post(**overrides):
    data = {
        "username": "zonghe",
        "real_name": "吴综合",
        "unit": "",
        "title": "科员",
        "phone": "",
        "email": "",
        "clearance": str(Clearance.NONE),
        "roles": [Role.SECRETARY],
        "portfolio": "",
        "liaison": "",
        "leader_order": "100",
        "password1": "Strong#Pass2026",
        "password2": "Strong#Pass2026",
    }
    data.update(overrides)
    return data


class TestUserPages:
    def test_list_filters_and_budget(
        self, client, personas, units, warm, django_assert_max_num_queries
    ):
        client.force_login(personas["secadmin"])
        url = reverse("office:user-list")
        with django_assert_max_num_queries(SHELL_QUERIES + 3):  # unit choices, users, roles
            response = client.get(url)
        names = {user.username for user in response.context["page"].rows}
        assert {"mishu", "chengban_a", "anquan"} <= names
        response = client.get(url, {"unit": units["a"].pk})
        assert {u.username for u in response.context["page"].rows} == {"chengban_a", "fuzeren_a"}
        # A unit's filter includes its sub-units.
        response = client.get(url, {"unit": units["government"].pk})
        assert "mishu" in {u.username for u in response.context["page"].rows}
        response = client.get(url, {"role": Role.UNIT_HEAD})
        assert [u.username for u in response.context["page"].rows] == ["fuzeren_a"]
        response = client.get(url, {"q": "秘书"})
        assert [u.username for u in response.context["page"].rows] == ["mishu"]
        response = client.get(url, {"q": "chengban"})
        assert len(response.context["page"].rows) == 2
        html = response.content.decode()
        assert "承办人" in html

    def test_list_pages_without_counting(
        self, client, personas, units, warm, django_assert_max_num_queries
    ):
        for index in range(55):
            make_user(
                f"user{index:03d}", f"用户{index}", unit=units["b"], roles=[Role.UNIT_HANDLER]
            )
        client.force_login(personas["secadmin"])
        url = reverse("office:user-list")
        with django_assert_max_num_queries(SHELL_QUERIES + 3) as captured:
            first = client.get(url, {"role": Role.UNIT_HANDLER})
        assert not any('COUNT(*) AS "__count" FROM "office_user"' in q["sql"] for q in captured)
        page = first.context["page"]
        assert len(page.rows) == 50 and page.has_next
        assert f"after={page.next_cursor}" in first.content.decode()
        second = client.get(url, {"role": Role.UNIT_HANDLER, "after": page.next_cursor})
        rows = second.context["page"].rows
        assert len(rows) == 57 - 50
        assert not second.context["page"].has_next
        seen = {u.pk for u in page.rows} | {u.pk for u in rows}
        assert len(seen) == 57

    def test_htmx_gets_only_the_results(self, client, personas):
        client.force_login(personas["secadmin"])
        response = client.get(reverse("office:user-list"), {"q": "mishu"}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert "<html" not in html
        assert 'id="user-results"' in html and "mishu" in html

    def test_create(self, client, personas, units):
        client.force_login(personas["secadmin"])
        response = client.post(
            reverse("office:user-create"),
            user_post(unit=units["office"].pk, roles=[Role.SECRETARY, Role.SUPERVISOR]),
        )
        user = User.objects.get(username="zonghe")
        assert response.status_code == 302
        assert response.url == reverse("office:user-edit", args=[user.pk])
        assert current_roles(user) == {Role.SECRETARY, Role.SUPERVISOR}
        assert user.unit == units["office"]
        assert user.check_password("Strong#Pass2026")

    def test_create_with_three_admin_conflict_keeps_input(self, client, personas):
        client.force_login(personas["secadmin"])
        response = client.post(
            reverse("office:user-create"),
            user_post(real_name="吴综合", roles=[Role.SYSADMIN, Role.AUDITOR]),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "三员分立：系统管理员、安全管理员、审计管理员不能由同一人兼任" in html
        assert 'value="吴综合"' in html
        assert 'value="zonghe"' in html
        assert response.context["form"].data.getlist("roles") == [Role.SYSADMIN, Role.AUDITOR]
        assert not User.objects.filter(username="zonghe").exists()

    def test_create_with_bad_passwords(self, client, personas):
        client.force_login(personas["secadmin"])
        response = client.post(reverse("office:user-create"), user_post(password2="other"))
        assert "两次输入的密码不一致" in response.content.decode()
        response = client.post(
            reverse("office:user-create"), user_post(password1="short", password2="short")
        )
        assert "密码至少需要 8 个字符" in response.content.decode()
        response = client.post(reverse("office:user-create"), user_post(username="mishu"))
        assert "已存在" in response.content.decode()
        assert not User.objects.filter(username="zonghe").exists()

    def test_edit_one_page(self, client, personas, units):
        handler = personas["handler_a"]
        client.force_login(personas["secadmin"])
        url = reverse("office:user-edit", args=[handler.pk])
        page = client.get(url).content.decode()
        assert "承办人" in page and "审计管理员" in page  # role checkboxes, Chinese labels
        response = client.post(
            url,
            user_post(
                real_name="陈承办",
                unit=units["a"].pk,
                title="科长",
                clearance=str(Clearance.SECRET),
                roles=[Role.UNIT_HANDLER, Role.UNIT_HEAD],
                liaison=personas["leader"].pk,
            ),
            follow=True,
        )
        assert "已保存用户“陈承办”" in messages_text(response)
        handler.refresh_from_db()
        assert (handler.title, handler.clearance) == ("科长", Clearance.SECRET)
        assert handler.liaison == personas["leader"]
        assert current_roles(handler) == {Role.UNIT_HANDLER, Role.UNIT_HEAD}
        actions = set(TrailEvent.objects.values_list("action", flat=True))
        assert {"user_update", "user_set_clearance", "user_set_roles"} <= actions

    def test_edit_refusal_keeps_input(self, client, personas, units):
        handler = personas["handler_a"]
        client.force_login(personas["secadmin"])
        response = client.post(
            reverse("office:user-edit", args=[handler.pk]),
            user_post(
                real_name="陈承办改",
                unit=units["a"].pk,
                title="新职务",
                roles=[Role.SECADMIN, Role.UNIT_HANDLER],
            ),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "三员分立" in html and "不能兼任业务角色" in html
        assert 'value="新职务"' in html
        handler.refresh_from_db()
        assert handler.title == ""
        assert current_roles(handler) == {Role.UNIT_HANDLER}

    def test_secadmin_editing_herself_cannot_touch_roles(self, client, personas, units):
        secadmin = personas["secadmin"]
        client.force_login(secadmin)
        url = reverse("office:user-edit", args=[secadmin.pk])
        assert "角色和涉密等级须由另一名安全管理员修改" in client.get(url).content.decode()
        client.post(
            url,
            user_post(
                real_name="安全管理员",
                unit=units["office"].pk,
                title="科长",
                roles=[Role.SECADMIN, Role.LEADER],
                clearance=str(Clearance.TOP_SECRET),
            ),
        )
        secadmin.refresh_from_db()
        assert secadmin.title == "科长"
        assert current_roles(secadmin) == {Role.SECADMIN}
        assert secadmin.clearance == Clearance.NONE

    def test_reset_password_shows_it_once(self, client, personas):
        handler = personas["handler_b"]
        client.force_login(personas["secadmin"])
        response = client.post(
            reverse("office:user-reset-password", args=[handler.pk]), {"password": ""}, follow=True
        )
        temporary = response.context["temporary_password"]
        assert temporary and temporary in response.content.decode()
        handler.refresh_from_db()
        assert handler.check_password(temporary)
        again = client.get(reverse("office:user-edit", args=[handler.pk]))
        assert temporary not in again.content.decode()

    def test_reset_password_forces_change_for_the_user(self, client, personas):
        handler = personas["handler_b"]
        client.force_login(personas["secadmin"])
        client.post(
            reverse("office:user-reset-password", args=[handler.pk]),
            {"password": "Temp#Pass2026"},
        )
        handler.refresh_from_db()
        assert handler.check_password("Temp#Pass2026")
        client.force_login(handler)
        response = client.get(reverse("office:desk"))
        assert response.status_code == 302
        assert response.url == reverse("password_change")

    def test_reset_with_weak_password_keeps_it_and_says_why(self, client, personas):
        client.force_login(personas["secadmin"])
        response = client.post(
            reverse("office:user-reset-password", args=[personas["handler_b"].pk]),
            {"password": "abcdefgh"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "至少 3 类" in html and 'value="abcdefgh"' in html

    def test_nobody_resets_her_own_password_here(self, client, personas):
        secadmin = personas["secadmin"]
        client.force_login(secadmin)
        url = reverse("office:user-reset-password", args=[secadmin.pk])
        response = client.post(url, {"password": ""}, follow=True)
        assert "请通过“修改密码”修改自己的密码" in messages_text(response)
        secadmin.refresh_from_db()
        assert secadmin.check_password("Demo@2026x")

    def test_deactivate_and_reactivate(self, client, personas):
        handler = personas["handler_b"]
        client.force_login(personas["secadmin"])
        response = client.post(reverse("office:user-deactivate", args=[handler.pk]), follow=True)
        assert "已停用“刘承办”的账号" in messages_text(response)
        handler.refresh_from_db()
        assert not handler.is_active
        client.post(reverse("office:user-reactivate", args=[handler.pk]))
        handler.refresh_from_db()
        assert handler.is_active

    def test_cannot_deactivate_oneself(self, client, personas):
        secadmin = personas["secadmin"]
        client.force_login(secadmin)
        response = client.post(reverse("office:user-deactivate", args=[secadmin.pk]), follow=True)
        assert "不能停用自己的账号" in messages_text(response)
        secadmin.refresh_from_db()
        assert secadmin.is_active


class TestSecurityPolicyPage:
    def test_save_and_refuse(self, client, personas):
        client.force_login(personas["secadmin"])
        url = reverse("office:security-policy")
        data = {
            "min_length": "12",
            "required_classes": "3",
            "max_age_days": "90",
            "idle_minutes": "20",
        }
        response = client.post(url, data, follow=True)
        assert "已保存安全策略" in messages_text(response)
        assert SecurityPolicy.current().min_length == 12
        response = client.post(url, {**data, "min_length": "4", "idle_minutes": "abc"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "输入整数" in html
        assert 'value="4"' in html
        response = client.post(url, {**data, "min_length": "4"})
        assert "密码最短长度须在 8 到 64 之间" in response.content.decode()
        assert SecurityPolicy.current().min_length == 12


# --- calendar ------------------------------------------------------------------------------------


class TestCalendarPage:
    def test_shipped_year_shows_holidays_and_no_warning(
        self, client, personas, warm, django_assert_max_num_queries
    ):
        client.force_login(personas["sysadmin"])
        with django_assert_max_num_queries(SHELL_QUERIES + 1):  # the year's overrides
            response = client.get(reverse("office:calendar"), {"year": 2026})
        html = response.content.decode()
        assert "尚未包含" not in html
        assert "国庆节" in html and "调休上班" in html
        october = response.context["calendar"].months[9]
        days = {day.date: day for week in october.weeks for day in week if day}
        assert days[D(2026, 10, 10)].tone == "swapped"
        assert days[D(2026, 10, 5)].tone == "holiday"

    def test_a_clicked_day_prefills_the_form(self, client, personas):
        client.force_login(personas["sysadmin"])
        url = reverse("office:calendar")
        form = client.get(url, {"year": 2026, "date": "2026-10-10"}).context["form"]
        assert form.initial == {"date": D(2026, 10, 10), "is_working_day": "0"}
        form = client.get(url, {"year": 2026, "date": "2026-10-03"}).context["form"]
        assert form.initial["is_working_day"] == "1"
        assert client.get(url, {"date": "nonsense"}).context["form"].initial == {}

    def test_uncovered_year_warns(self, client, personas):
        client.force_login(personas["sysadmin"])
        response = client.get(reverse("office:calendar"), {"year": 2027})
        assert (
            "系统内置日历尚未包含 2027 年的法定节假日安排，请按国务院办公厅通知录入"
            in response.content.decode()
        )

    def test_add_change_and_delete_an_override(self, client, personas):
        client.force_login(personas["sysadmin"])
        url = reverse("office:calendar")
        response = client.post(
            url, {"date": "2026-10-10", "is_working_day": "0", "note": "不调休"}, follow=True
        )
        assert response.redirect_chain[-1][0] == f"{url}?year=2026"
        assert "已将 2026-10-10 设为休息日" in messages_text(response)
        assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)
        assert "不调休" in response.content.decode()
        client.post(url, {"date": "2026-10-10", "is_working_day": "1", "note": "照常"})
        assert CalendarOverride.objects.get().note == "照常"
        response = client.post(
            reverse("office:calendar-override-delete"), {"date": "2026-10-10"}, follow=True
        )
        assert "已删除 2026-10-10 的调整" in messages_text(response)
        assert not CalendarOverride.objects.exists()

    def test_bad_input_is_refused_in_chinese_and_kept(self, client, personas):
        client.force_login(personas["sysadmin"])
        response = client.post(
            reverse("office:calendar") + "?year=2027",
            {"date": "2027-13-40", "is_working_day": "0", "note": "春节"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "输入一个有效的日期" in html
        assert 'value="春节"' in html
        assert not CalendarOverride.objects.exists()

    def test_deleting_a_missing_override_is_a_message(self, client, personas):
        client.force_login(personas["sysadmin"])
        response = client.post(
            reverse("office:calendar-override-delete"), {"date": "2026-05-05"}, follow=True
        )
        assert "2026-05-05 没有调整记录" in messages_text(response)


# --- the trail -----------------------------------------------------------------------------------


def events(n, *, at, **fields):
    defaults = {"action": "sign_off", "action_label": "签发", "actor_name": "李副市长"}
    defaults.update(fields)
    return TrailEvent.objects.bulk_create(TrailEvent(at=at, **defaults) for _ in range(n))


class TestTrailPage:
    def test_columns_and_budget(self, client, personas, warm, django_assert_max_num_queries):
        now = timezone.now()
        events(3, at=now, from_state="reviewed", to_state="signed", opinion="同意。", ip="10.0.0.1")
        client.force_login(personas["auditor"])
        # The page: its action choices, object types and one page of rows — never a count.
        with django_assert_max_num_queries(SHELL_QUERIES + 3) as captured:
            response = client.get(reverse("office:trail-list"))
        assert not any("office_trailevent" in q["sql"] and "COUNT(" in q["sql"] for q in captured)
        html = response.content.decode()
        for header in ("时间", "操作人", "动作", "对象", "原状态→新状态", "意见", "IP", "结果"):
            assert f">{header}</th>" in html
        assert "reviewed → signed" in html and "10.0.0.1" in html and "同意。" in html

    def test_filters(self, client, personas):
        now = timezone.now()
        events(2, at=now - datetime.timedelta(days=10), actor=personas["leader"])
        events(1, at=now, action="register", action_label="登记", actor_name="王秘书")
        events(
            1,
            at=now,
            action="login_failed",
            action_label="登录失败",
            actor_name="",
            outcome="failure",
        )
        client.force_login(personas["auditor"])
        url = reverse("office:trail-list")

        def actions(**params):
            response = client.get(url, params)
            assert response.status_code == 200
            return [event.action for event in response.context["page"].rows]

        assert actions(actor="李副市长") == ["sign_off", "sign_off"]
        assert actions(actor="lingdao") == ["sign_off", "sign_off"]
        assert actions(action="register") == ["register"]
        assert actions(outcome="failure") == ["login_failed"]
        today = timezone.localdate()
        since_today = actions(date_from=today.isoformat())
        assert "sign_off" not in since_today and "register" in since_today
        before = (today - datetime.timedelta(days=5)).isoformat()
        assert actions(date_to=before) == ["sign_off", "sign_off"]
        assert actions(action="register", date_to=before) == []

    def test_object_type_filter_and_choices(self, client, personas, units):
        from office import services

        services.unit_deactivate(make_unit("临时单位", "临时"), actor=personas["secadmin"])
        client.force_login(personas["auditor"])
        page = client.get(reverse("office:trail-list"))
        form = page.context["form"]
        assert ("unit_deactivate", "停用单位（unit_deactivate）") in form.fields["action"].choices
        from django.contrib.contenttypes.models import ContentType

        unit_type = ContentType.objects.get_for_model(Unit)
        response = client.get(reverse("office:trail-list"), {"content_type": unit_type.pk})
        rows = response.context["page"].rows
        assert [event.action for event in rows] == ["unit_deactivate"]
        assert "单位" in response.content.decode()

    def test_admin_steps_show_states_in_chinese_with_the_ip(self, client, personas):
        empty = make_unit("珠海市档案馆", "市档案馆")
        client.force_login(personas["secadmin"])
        client.post(reverse("office:unit-deactivate", args=[empty.pk]), REMOTE_ADDR="10.20.30.40")
        client.force_login(personas["auditor"])
        response = client.get(reverse("office:trail-list"), {"action": "unit_deactivate"})
        (event,) = response.context["page"].rows
        assert (event.actor_name, event.ip, event.object_repr) == (
            "安全管理员",
            "10.20.30.40",
            "珠海市档案馆",
        )
        html = response.content.decode()
        assert "启用 → 停用" in html and "10.20.30.40" in html

    def test_bad_dates_are_refused_in_chinese(self, client, personas):
        client.force_login(personas["auditor"])
        response = client.get(
            reverse("office:trail-list"), {"date_from": "2026-05-10", "date_to": "2026-05-01"}
        )
        html = response.content.decode()
        assert response.context["page"] is None
        assert "截止日期不能早于起始日期" in html
        assert 'value="2026-05-10"' in html

    def test_keyset_next_page(self, client, personas, warm, django_assert_max_num_queries):
        same_moment = timezone.now() - datetime.timedelta(hours=1)
        created = events(120, at=same_moment)  # identical times: the id breaks the tie
        client.force_login(personas["auditor"])
        url = reverse("office:trail-list")
        seen, after, pages = [], None, 0
        while True:
            params = {"action": "sign_off"} | ({"after": after} if after else {})
            with django_assert_max_num_queries(SHELL_QUERIES + 3):
                response = client.get(url, params)
            page = response.context["page"]
            seen.extend(event.pk for event in page.rows)
            pages += 1
            if not page.has_next:
                break
            assert "下一页" in response.content.decode()
            after = page.next_cursor
        assert pages == 3
        assert seen == sorted((event.pk for event in created), reverse=True)

    def test_htmx_filter_returns_the_fragment(self, client, personas):
        events(1, at=timezone.now())
        client.force_login(personas["auditor"])
        response = client.get(
            reverse("office:trail-list"), {"action": "sign_off"}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert "<html" not in html and 'id="trail-results"' in html and "签发" in html

    def test_a_forged_cursor_is_a_400(self, client, personas):
        client.force_login(personas["auditor"])
        response = client.get(reverse("office:trail-list"), {"after": "not-a-cursor!"})
        assert response.status_code == 400


# --- the keyset helper ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestKeysetPage:
    def test_cursor_round_trip(self):
        at = timezone.now()
        cursor = encode_cursor([at, 42])
        fields = [TrailEvent._meta.get_field("at"), TrailEvent._meta.pk]
        assert decode_cursor(cursor, fields) == [at, 42]
        with pytest.raises(InvalidCursor):
            decode_cursor(encode_cursor(["yesterday", 1]), fields)
        with pytest.raises(InvalidCursor):
            decode_cursor(encode_cursor([1]), fields)

    def test_ascending_order_on_another_model(self, units):
        page = keyset_page(Unit.objects.all(), order=("name", "id"), size=2)
        names = [unit.name for unit in page.rows]
        rest = keyset_page(
            Unit.objects.all(), order=("name", "id"), after=page.next_cursor, size=10
        )
        assert names + [unit.name for unit in rest.rows] == sorted(
            Unit.objects.values_list("name", flat=True)
        )
        assert not rest.has_next

    def test_order_must_end_with_a_unique_key(self):
        with pytest.raises(ValueError):
            keyset_page(TrailEvent.objects.all(), order=("-at",))


@pytest.mark.django_db
def test_user_page_shows_its_change_record_without_sign_ins(client, personas):
    from office import services

    target = personas["handler_a"]
    services.user_set_clearance(target, 1, actor=personas["secadmin"])
    client.post("/login/", {"username": target.username, "password": "Demo@2026x"})
    client.logout()
    client.force_login(personas["secadmin"])
    page = client.get(f"/manage/users/{target.pk}/").content.decode()
    section = page.split("变更记录", 1)[1].split("</section>", 1)[0]
    assert "设置涉密等级" in section and "安全管理员" in section
    assert "登录" not in section
