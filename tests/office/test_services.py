"""The administration services: 三员分立, the unit tree, accounts, the security policy and the
working-day calendar. Each write leaves a trail row (留痕, DOMAIN.md §2)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from office import calendar, services
from office.models import CalendarOverride, Clearance, SecurityPolicy, TrailEvent, Unit, User
from office.permissions import scope_for
from office.roles import Role
from tests.conftest import make_unit

D = datetime.date
PASSWORD = "Strong#Pass2026"


def last_event(action, outcome="success"):
    events = TrailEvent.objects.filter(action=action, outcome=outcome)
    return events.order_by("-at", "-id").first()


def messages_of(exc):
    return " ".join(exc.value.messages)


# --- 三员分立 ------------------------------------------------------------------------------------


class TestRoleCombinations:
    @pytest.mark.parametrize(
        "roles",
        [
            [Role.SYSADMIN, Role.AUDITOR],
            [Role.SYSADMIN, Role.SECADMIN],
            [Role.SECADMIN, Role.AUDITOR],
        ],
    )
    def test_two_administrator_roles_are_refused(self, personas, roles):
        with pytest.raises(ValidationError) as exc:
            services.user_set_roles(personas["outsider"], roles, actor=personas["secadmin"])
        assert "三员分立：系统管理员、安全管理员、审计管理员不能由同一人兼任" in messages_of(exc)
        assert not personas["outsider"].groups.exists()

    def test_administrator_with_business_role_is_refused(self, personas):
        with pytest.raises(ValidationError) as exc:
            services.user_set_roles(
                personas["outsider"], [Role.SECADMIN, Role.SECRETARY], actor=personas["secadmin"]
            )
        assert "三员分立" in messages_of(exc)
        assert "安全管理员不能兼任业务角色（秘书）" in messages_of(exc)

    def test_adding_auditor_to_a_sysadmin_is_refused(self, personas):
        sysadmin = personas["sysadmin"]
        with pytest.raises(ValidationError):
            services.user_set_roles(
                sysadmin, [Role.SYSADMIN, Role.AUDITOR], actor=personas["secadmin"]
            )
        assert services.current_roles(sysadmin) == {Role.SYSADMIN}

    @pytest.mark.parametrize(
        "roles",
        [
            [Role.LEADER, Role.SUPERVISOR],
            [Role.SECRETARY, Role.UNIT_HANDLER, Role.UNIT_HEAD],
            [Role.AUDITOR],
            [],
        ],
    )
    def test_allowed_combinations_are_saved_with_a_trail_row(self, personas, roles):
        outsider = personas["outsider"]
        assert scope_for(outsider).roles == frozenset()
        services.user_set_roles(outsider, roles, actor=personas["secadmin"])
        assert services.current_roles(outsider) == set(roles)
        # The cached scope was forgotten: the new roles count at once.
        assert scope_for(outsider).roles == frozenset(roles)
        if roles:
            event = last_event("user_set_roles")
            assert event.actor == personas["secadmin"]
            assert event.object_id == outsider.pk
            assert event.action_label == "设置角色"
            assert event.opinion.startswith("角色：（无） → ")

    def test_unchanged_roles_write_no_trail_row(self, personas):
        services.user_set_roles(personas["secretary"], [Role.SECRETARY], actor=personas["secadmin"])
        assert not TrailEvent.objects.filter(action="user_set_roles").exists()

    def test_secadmin_cannot_change_her_own_roles(self, personas):
        secadmin = personas["secadmin"]
        with pytest.raises(ValidationError) as exc:
            services.user_set_roles(secadmin, [Role.SECADMIN, Role.LEADER], actor=secadmin)
        assert "不能修改自己的角色" in messages_of(exc)
        with pytest.raises(ValidationError):
            services.user_set_roles(secadmin, [], actor=secadmin)
        assert services.current_roles(secadmin) == {Role.SECADMIN}

    def test_a_refusal_is_audited_with_its_reason(self, personas):
        with pytest.raises(ValidationError):
            services.user_set_roles(
                personas["outsider"],
                [Role.SYSADMIN, Role.AUDITOR],
                actor=personas["secadmin"],
                ip="10.1.1.1",
            )
        event = last_event("user_set_roles", outcome="failure")
        assert (event.actor, event.object_id, event.ip) == (
            personas["secadmin"],
            personas["outsider"].pk,
            "10.1.1.1",
        )
        assert event.opinion == "三员分立：系统管理员、安全管理员、审计管理员不能由同一人兼任。"
        with pytest.raises(PermissionDenied):
            services.user_set_roles(personas["outsider"], [Role.LEADER], actor=personas["auditor"])
        event = last_event("user_set_roles", outcome="failure")
        assert event.actor == personas["auditor"]
        assert "只有安全管理员" in event.opinion

    def test_unknown_role_is_refused(self, personas):
        with pytest.raises(ValidationError) as exc:
            services.user_set_roles(personas["outsider"], ["mayor"], actor=personas["secadmin"])
        assert "没有名为“mayor”的角色" in messages_of(exc)

    @pytest.mark.parametrize("who", ["sysadmin", "auditor", "secretary", "leader"])
    def test_only_the_security_administrator_manages_people(self, personas, who):
        with pytest.raises(PermissionDenied):
            services.user_set_roles(personas["outsider"], [Role.LEADER], actor=personas[who])
        with pytest.raises(PermissionDenied):
            services.user_set_clearance(personas["outsider"], Clearance.SECRET, actor=personas[who])
        with pytest.raises(PermissionDenied):
            services.unit_create(
                actor=personas[who], name="某某局", short_name="某局", kind=Unit.Kind.DEPARTMENT
            )


# --- units ---------------------------------------------------------------------------------------


class TestUnits:
    def test_create_writes_a_trail_row(self, personas, units):
        unit = services.unit_create(
            actor=personas["secadmin"],
            name="  珠海市人民政府办公室综合科 ",
            short_name="综合科",
            kind=Unit.Kind.SECTION,
            parent=units["office"],
        )
        assert unit.name == "珠海市人民政府办公室综合科"
        assert unit.parent == units["office"]
        event = last_event("unit_create")
        assert (event.action_label, event.object_id, event.to_state) == (
            "新建单位",
            unit.pk,
            "active",
        )
        assert event.actor_name == "安全管理员"

    def test_duplicate_name_is_refused_in_chinese(self, personas, units):
        with pytest.raises(ValidationError) as exc:
            services.unit_create(
                actor=personas["secadmin"],
                name="珠海市教育局",
                short_name="教育局",
                kind=Unit.Kind.DEPARTMENT,
            )
        assert "name" in exc.value.message_dict
        assert "已存在" in messages_of(exc)

    def test_update_records_what_changed(self, personas, units):
        services.unit_update(
            units["a"], actor=personas["secadmin"], short_name="教育局", sort_order=5
        )
        units["a"].refresh_from_db()
        assert (units["a"].short_name, units["a"].sort_order) == ("教育局", 5)
        event = last_event("unit_update")
        assert "简称：市教育局 → 教育局" in event.opinion
        assert "排序：100 → 5" in event.opinion

    def test_update_without_change_writes_nothing(self, personas, units):
        services.unit_update(units["a"], actor=personas["secadmin"], short_name="市教育局")
        assert not TrailEvent.objects.filter(action="unit_update").exists()

    def test_a_unit_cannot_move_under_its_own_sub_unit(self, personas, units):
        with pytest.raises(ValidationError) as exc:
            services.unit_update(
                units["office"], actor=personas["secadmin"], parent=units["secretariat"]
            )
        assert "上级单位不能是本单位或本单位的下级单位" in messages_of(exc)
        with pytest.raises(ValidationError):
            services.unit_update(
                units["office"], actor=personas["secadmin"], parent=units["office"]
            )
        units["office"].refresh_from_db()
        assert units["office"].parent == units["government"]

    def test_deactivating_a_unit_with_active_members_is_refused(self, personas, units):
        with pytest.raises(ValidationError) as exc:
            services.unit_deactivate(units["a"], actor=personas["secadmin"])
        assert "不能停用“珠海市教育局”：仍有 2 名在用账号" in messages_of(exc)
        units["a"].refresh_from_db()
        assert units["a"].is_active
        assert last_event("unit_deactivate") is None
        refused = last_event("unit_deactivate", outcome="failure")
        assert refused.object_id == units["a"].pk and refused.actor == personas["secadmin"]
        assert "仍有 2 名在用账号" in refused.opinion

    def test_deactivating_a_unit_with_active_children_is_refused(self, personas, units):
        with pytest.raises(ValidationError) as exc:
            services.unit_deactivate(units["government"], actor=personas["secadmin"])
        assert "仍有 1 个启用的下级单位" in messages_of(exc)

    def test_an_empty_unit_is_deactivated_and_kept(self, personas, units):
        empty = make_unit("珠海市档案馆", "市档案馆")
        services.unit_deactivate(empty, actor=personas["secadmin"])
        empty.refresh_from_db()
        assert not empty.is_active
        assert Unit.objects.filter(pk=empty.pk).exists()
        event = last_event("unit_deactivate")
        assert (event.from_state, event.to_state) == ("active", "inactive")
        with pytest.raises(ValidationError):
            services.unit_deactivate(empty, actor=personas["secadmin"])
        services.unit_reactivate(empty, actor=personas["secadmin"])
        empty.refresh_from_db()
        assert empty.is_active
        assert last_event("unit_reactivate").object_id == empty.pk

    def test_members_who_were_deactivated_do_not_block(self, personas, units):
        services.user_deactivate(personas["handler_b"], actor=personas["secadmin"])
        services.user_deactivate(personas["outsider"], actor=personas["secadmin"])
        services.unit_deactivate(units["b"], actor=personas["secadmin"])
        units["b"].refresh_from_db()
        assert not units["b"].is_active

    def test_nothing_new_goes_under_an_inactive_unit(self, personas, units):
        closed = make_unit("珠海市撤并局", "撤并局")
        services.unit_deactivate(closed, actor=personas["secadmin"])
        with pytest.raises(ValidationError) as exc:
            services.unit_create(
                actor=personas["secadmin"],
                name="撤并局科室",
                short_name="科室",
                kind=Unit.Kind.SECTION,
                parent=closed,
            )
        assert "上级单位已停用" in messages_of(exc)
        with pytest.raises(ValidationError) as exc:
            services.user_update(personas["handler_a"], actor=personas["secadmin"], unit=closed)
        assert "所选单位已停用" in messages_of(exc)


# --- people --------------------------------------------------------------------------------------


class TestUsers:
    def create(self, personas, units, **overrides):
        data = {
            "actor": personas["secadmin"],
            "username": "zonghe",
            "real_name": "吴综合",
            "password": PASSWORD,
            "unit": units["office"],
            "roles": [Role.SECRETARY],
            "clearance": Clearance.SECRET,
        }
        data.update(overrides)
        return services.user_create(**data)

    def test_create_sets_roles_and_writes_a_trail_row(self, personas, units):
        user = self.create(personas, units)
        assert user.check_password(PASSWORD)
        assert services.current_roles(user) == {Role.SECRETARY}
        assert user.clearance == Clearance.SECRET
        event = last_event("user_create")
        assert event.object_id == user.pk
        assert "角色：秘书" in event.opinion and "涉密等级：秘密" in event.opinion
        assert PASSWORD not in event.opinion

    def test_new_user_must_change_the_initial_password(self, personas, units, client):
        user = self.create(personas, units)
        assert user.password_changed_at == services.FORCE_CHANGE_AT
        client.force_login(user)
        response = client.get(reverse("office:desk"))
        assert response.status_code == 302
        assert response.url == reverse("password_change")

    def test_create_refuses_admin_plus_business_role(self, personas, units):
        with pytest.raises(ValidationError) as exc:
            self.create(personas, units, roles=[Role.AUDITOR, Role.LEADER])
        assert "roles" in exc.value.message_dict
        assert not User.objects.filter(username="zonghe").exists()

    def test_create_collects_every_error_in_chinese(self, personas, units):
        with pytest.raises(ValidationError) as exc:
            self.create(
                personas,
                units,
                username="mishu",
                password="abc",
                roles=[Role.SYSADMIN, Role.AUDITOR],
            )
        errors = exc.value.message_dict
        assert "已存在" in " ".join(errors["username"])
        assert "密码至少需要 8 个字符" in " ".join(errors["password"])
        assert "三员分立" in " ".join(errors["roles"])
        assert last_event("user_create") is None
        assert last_event("user_create", outcome="failure").opinion.startswith("mishu：")

    def test_update_profile_records_the_changes(self, personas, units):
        handler = personas["handler_a"]
        services.user_update(
            handler, actor=personas["secadmin"], title="科员", unit=units["b"], phone="13800000000"
        )
        handler.refresh_from_db()
        assert (handler.title, handler.unit, handler.phone) == ("科员", units["b"], "13800000000")
        event = last_event("user_update")
        assert "所在单位：珠海市教育局 → 珠海市住房和城乡建设局" in event.opinion
        assert "职务：（空） → 科员" in event.opinion

    def test_update_refuses_unknown_fields(self, personas):
        with pytest.raises(TypeError):
            services.user_update(
                personas["handler_a"], actor=personas["secadmin"], is_superuser=True
            )

    def test_liaison_cannot_be_oneself(self, personas):
        leader = personas["leader"]
        with pytest.raises(ValidationError) as exc:
            services.user_update(leader, actor=personas["secadmin"], liaison=leader)
        assert "联线副秘书长不能是本人" in messages_of(exc)

    def test_set_clearance(self, personas):
        handler = personas["handler_a"]
        services.user_set_clearance(handler, Clearance.CONFIDENTIAL, actor=personas["secadmin"])
        handler.refresh_from_db()
        assert handler.clearance == Clearance.CONFIDENTIAL
        assert scope_for(handler).clearance == Clearance.CONFIDENTIAL
        event = last_event("user_set_clearance")
        assert (event.from_state, event.to_state) == ("none", "confidential")
        assert event.opinion == "涉密等级：非密 → 机密"

    def test_secadmin_cannot_raise_her_own_clearance(self, personas):
        with pytest.raises(ValidationError):
            services.user_set_clearance(
                personas["secadmin"], Clearance.TOP_SECRET, actor=personas["secadmin"]
            )

    def test_user_edit_is_all_or_nothing(self, personas):
        handler = personas["handler_a"]
        with pytest.raises(ValidationError):
            services.user_edit(
                handler,
                actor=personas["secadmin"],
                roles=[Role.SYSADMIN, Role.UNIT_HANDLER],
                clearance=Clearance.SECRET,
                title="科长",
            )
        handler.refresh_from_db()
        assert (handler.title, handler.clearance) == ("", Clearance.NONE)
        # Only the refusal is on record: the profile and clearance steps were rolled back.
        (event,) = TrailEvent.objects.filter(actor=personas["secadmin"])
        assert (event.action, event.outcome) == ("user_edit", "failure")
        assert "三员分立" in event.opinion

    def test_reset_password_forces_change_at_next_login(self, personas, client):
        handler = personas["handler_a"]
        AccessAttempt.objects.create(
            username=handler.username,
            ip_address="10.0.0.9",
            user_agent="test",
            http_accept="*/*",
            path_info="/login/",
            get_data="",
            post_data="",
            failures_since_start=5,
        )
        temporary = services.user_reset_password(handler, actor=personas["secadmin"])
        handler.refresh_from_db()
        assert handler.check_password(temporary)
        assert not handler.check_password("Demo@2026x")
        assert handler.password_changed_at.year == 2000
        assert not AccessAttempt.objects.filter(username=handler.username).exists()
        event = last_event("user_reset_password")
        assert temporary not in event.opinion
        assert "解除登录失败记录 1 条" in event.opinion
        # office.middleware sends the user to the password page before anything else.
        client.force_login(handler)
        response = client.get(reverse("office:desk"))
        assert response.status_code == 302
        assert response.url == reverse("password_change")

    def test_generated_password_meets_the_policy(self, personas):
        policy = SecurityPolicy.current()
        policy.min_length = 16
        policy.required_classes = 4
        policy.save()
        temporary = services.user_reset_password(personas["handler_b"], actor=personas["secadmin"])
        assert len(temporary) >= 16

    def test_reset_with_a_weak_password_is_refused(self, personas):
        with pytest.raises(ValidationError) as exc:
            services.user_reset_password(
                personas["handler_b"], actor=personas["secadmin"], password="abcdefgh"
            )
        assert "至少 3 类" in messages_of(exc)

    def test_nobody_resets_her_own_password_here(self, personas):
        with pytest.raises(ValidationError):
            services.user_reset_password(personas["secadmin"], actor=personas["secadmin"])

    def test_deactivate_keeps_the_account(self, personas, client):
        handler = personas["handler_b"]
        services.user_deactivate(handler, actor=personas["secadmin"])
        handler.refresh_from_db()
        assert not handler.is_active
        assert User.objects.filter(pk=handler.pk).exists()
        assert last_event("user_deactivate").to_state == "inactive"
        with pytest.raises(ValidationError):
            services.user_deactivate(handler, actor=personas["secadmin"])
        with pytest.raises(ValidationError):
            services.user_deactivate(personas["secadmin"], actor=personas["secadmin"])
        services.user_reactivate(handler, actor=personas["secadmin"])
        handler.refresh_from_db()
        assert handler.is_active


# --- security policy -----------------------------------------------------------------------------


class TestSecurityPolicy:
    def test_update_and_trail(self, personas):
        services.security_policy_update(
            actor=personas["secadmin"], min_length=12, max_age_days=0, idle_minutes=15
        )
        policy = SecurityPolicy.current()
        assert (policy.min_length, policy.max_age_days, policy.idle_minutes) == (12, 0, 15)
        event = last_event("security_policy_update")
        assert "密码最短长度：8 → 12" in event.opinion

    def test_out_of_bounds_values_are_refused(self, personas):
        with pytest.raises(ValidationError) as exc:
            services.security_policy_update(
                actor=personas["secadmin"], min_length=4, required_classes=5
            )
        assert "密码最短长度须在 8 到 64 之间" in messages_of(exc)
        assert set(exc.value.message_dict) == {"min_length", "required_classes"}
        assert SecurityPolicy.current().min_length == 8

    def test_only_the_security_administrator(self, personas):
        with pytest.raises(PermissionDenied):
            services.security_policy_update(actor=personas["sysadmin"], min_length=10)


# --- working-day calendar ------------------------------------------------------------------------


class TestCalendarOverrides:
    def test_override_changes_deadlines(self, personas):
        # 2026-10-10 is a 调休 Saturday worked after the National Day holiday.
        assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
        services.calendar_override_set(
            D(2026, 10, 10), False, "本办公室不调休", actor=personas["sysadmin"]
        )
        assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)
        event = last_event("calendar_override_set")
        assert (event.from_state, event.to_state) == ("working_day", "day_off")
        assert event.opinion == "2026-10-10 设为休息日：本办公室不调休"

    def test_setting_again_changes_the_same_override(self, personas):
        services.calendar_override_set(D(2026, 10, 10), False, actor=personas["sysadmin"])
        services.calendar_override_set(D(2026, 10, 10), True, "恢复", actor=personas["sysadmin"])
        assert CalendarOverride.objects.get().is_working_day
        assert TrailEvent.objects.filter(action="calendar_override_set").count() == 2

    def test_delete_restores_the_shipped_calendar(self, personas):
        services.calendar_override_set(D(2026, 10, 10), False, actor=personas["sysadmin"])
        services.calendar_override_delete(D(2026, 10, 10), actor=personas["sysadmin"])
        assert not CalendarOverride.objects.exists()
        assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
        event = last_event("calendar_override_delete")
        assert (event.from_state, event.to_state) == ("day_off", "working_day")
        with pytest.raises(ValidationError):
            services.calendar_override_delete(D(2026, 10, 10), actor=personas["sysadmin"])

    def test_entering_an_uncovered_year(self, personas):
        assert not calendar.year_is_covered(2027)
        services.calendar_override_set(D(2027, 1, 1), False, "元旦", actor=personas["sysadmin"])
        assert calendar.year_is_covered(2027)
        assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)

    @pytest.mark.parametrize("who", ["secadmin", "auditor", "secretary"])
    def test_only_the_system_administrator(self, personas, who):
        with pytest.raises(PermissionDenied):
            services.calendar_override_set(D(2026, 10, 10), False, actor=personas[who])
        assert not CalendarOverride.objects.exists()

    def test_note_too_long(self, personas):
        with pytest.raises(ValidationError) as exc:
            services.calendar_override_set(
                D(2026, 10, 10), False, "长" * 61, actor=personas["sysadmin"]
            )
        assert "说明不能超过 60 个字" in messages_of(exc)


def test_system_actor_may_create_accounts(units):
    """actor=None is the system itself (management commands), recorded without an actor."""
    user = services.user_create(
        actor=None, username="seed", real_name="种子用户", password=PASSWORD, roles=[Role.LEADER]
    )
    assert services.current_roles(user) == {Role.LEADER}
    assert last_event("user_create").actor is None
