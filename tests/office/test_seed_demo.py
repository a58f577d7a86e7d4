"""`manage.py seed_demo` builds a believable city office and is idempotent (issue 2, demo data)."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.urls import reverse

from office.models import Clearance, Unit, User
from office.roles import ADMIN_ROLES, Role
from office.seed import DEMO_PASSWORD, run_seeders
from office.seed.core import PEOPLE

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the seed writes, in a form two runs can be compared by."""
    units = list(
        Unit.objects.order_by("name").values_list(
            "pk", "name", "short_name", "code", "header_text", "kind", "parent_id", "sort_order"
        )
    )
    users = list(
        User.objects.order_by("username").values_list(
            "pk",
            "username",
            "real_name",
            "unit_id",
            "title",
            "clearance",
            "portfolio",
            "liaison_id",
        )
    )
    memberships = sorted(User.groups.through.objects.values_list("user_id", "group_id"))
    return units, users, memberships


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def seed_core():
    """Only the core's seeder: these tests are about units and people, and the duty apps'
    seeders (a year of documents…) test their own data and idempotency."""
    run_seeders(["office.seed.core.seed_core"])


@pytest.fixture
def seeded():
    seed_core()


def test_running_twice_gives_the_same_data():
    seed_core()
    first = snapshot()
    seed_core()
    assert snapshot() == first
    assert Group.objects.count() == len(Role)


def test_units_form_a_city_office(seeded):
    assert Unit.objects.count() >= 33
    external = Unit.objects.exclude(kind__in=Unit.INTERNAL_KINDS)
    assert external.count() >= 30
    government = Unit.objects.get(name="珠海市人民政府")
    assert (government.code, government.header_text) == ("珠府", "珠海市人民政府文件")
    office = Unit.objects.get(name="珠海市人民政府办公室")
    assert (office.code, office.header_text, office.parent) == (
        "珠府办",
        "珠海市人民政府办公室文件",
        government,
    )
    sections = set(office.children.values_list("short_name", flat=True))
    assert {"秘书科", "文电科", "综合科", "督查室", "建议提案办理科", "会务科"} <= sections
    assert Unit.objects.get(short_name="市教育局").code == "珠教"
    assert Unit.objects.get(name="珠海市香洲区人民政府").code == "珠香府"
    for kind in (Unit.Kind.DEPARTMENT, Unit.Kind.DISTRICT, Unit.Kind.ENTERPRISE, Unit.Kind.HIGHER):
        assert Unit.objects.filter(kind=kind).exists(), kind
    # Every unit that numbers documents has a distinct 机关代字.
    codes = list(Unit.objects.exclude(code="").values_list("code", flat=True))
    assert len(codes) == len(set(codes))


def test_every_role_is_held(seeded):
    for role in Role:
        assert User.objects.filter(groups__name=role, is_active=True).exists(), role
    # 三员分立: no one holds two administrator roles, nor a business role beside one.
    for user in User.objects.filter(groups__name__in=ADMIN_ROLES):
        assert user.groups.count() == 1, user


@pytest.mark.parametrize("unit_name", ["市教育局", "市住建局", "市发展改革局", "香洲区政府"])
def test_units_have_a_handler_and_a_head(seeded, unit_name):
    members = User.objects.filter(unit__short_name=unit_name)
    assert members.filter(groups__name=Role.UNIT_HANDLER).exists()
    assert members.filter(groups__name=Role.UNIT_HEAD).exists()


def test_leaders_have_portfolios_and_liaisons(seeded):
    leaders = User.objects.filter(groups__name=Role.LEADER)
    assert leaders.filter(title="市长").exists()
    vice_mayors = leaders.filter(title__contains="副市长")
    assert vice_mayors.count() >= 3
    for leader in leaders:
        assert leader.portfolio, leader
        assert leader.clearance >= Clearance.CONFIDENTIAL, leader
    for vice_mayor in vice_mayors:
        assert vice_mayor.liaison is not None, vice_mayor
        assert vice_mayor.liaison.title == "市政府副秘书长"
        assert vice_mayor.liaison.groups.filter(name=Role.LEADER).exists()


def test_the_demo_password_meets_the_default_policy(seeded):
    for user in User.objects.filter(username__in=[spec.username for spec in PEOPLE]):
        validate_password(DEMO_PASSWORD, user)


def test_the_printed_accounts_list_every_demo_person():
    printed = seed()
    for spec in PEOPLE:
        assert spec.username in printed
        assert spec.real_name in printed
    assert DEMO_PASSWORD in printed
    out = io.StringIO()
    call_command("seed_demo", "--print-accounts", stdout=out)
    assert out.getvalue().strip() in printed


def test_a_demo_account_signs_in_with_the_printed_password(seeded, client):
    response = client.post(
        reverse("login"),
        {"username": "wangxiaoyan", "password": DEMO_PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    assert response.url == reverse("office:desk")
    assert client.get(reverse("office:desk"), secure=True).status_code == 200


def test_the_readme_lists_every_demo_account():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert DEMO_PASSWORD in readme
    for spec in PEOPLE:
        assert f"`{spec.username}`" in readme, spec.username
