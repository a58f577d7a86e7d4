"""Shared fixtures: fixed personas (STYLE.md) on the real PostgreSQL and Redis.

The suite refuses to run on SQLite: the office runs on PostgreSQL, and row locks, triggers and
Chinese search behave differently there.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from office.models import Clearance, Unit, User
from office.roles import Role


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        raise pytest.UsageError(
            "The tests run on PostgreSQL only: set DATABASE_URL (make test does)."
        )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is the production hasher; tests create many users, so they hash cheaply.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_unit(name, short_name, kind=Unit.Kind.DEPARTMENT, parent=None, code=""):
    return Unit.objects.create(
        name=name, short_name=short_name, kind=kind, parent=parent, code=code
    )


def make_user(
    username,
    real_name,
    *,
    unit=None,
    roles=(),
    clearance=Clearance.NONE,
    password="Demo@2026x",
    **extra,
):
    user = User(username=username, real_name=real_name, unit=unit, clearance=clearance, **extra)
    user.set_password(password)
    user.save()
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])  # flushed by transactional tests
    return user


@pytest.fixture
def units(db):
    government = make_unit("珠海市人民政府", "市政府", Unit.Kind.GOVERNMENT, code="珠府")
    office = make_unit(
        "珠海市人民政府办公室", "市府办", Unit.Kind.OFFICE, parent=government, code="珠府办"
    )
    secretariat = make_unit("市政府办公室秘书科", "秘书科", Unit.Kind.SECTION, parent=office)
    unit_a = make_unit("珠海市教育局", "市教育局")
    unit_b = make_unit("珠海市住房和城乡建设局", "市住建局")
    return {
        "government": government,
        "office": office,
        "secretariat": secretariat,
        "a": unit_a,
        "b": unit_b,
    }


@pytest.fixture
def personas(units):
    """secretary, leader, supervisor, handler of unit A, handler of unit B, head of unit A,
    outsider (no role), and the three administrators."""
    return {
        "secretary": make_user(
            "mishu",
            "王秘书",
            unit=units["secretariat"],
            roles=[Role.SECRETARY],
            clearance=Clearance.SECRET,
        ),
        "leader": make_user(
            "lingdao",
            "李副市长",
            unit=units["government"],
            roles=[Role.LEADER],
            clearance=Clearance.TOP_SECRET,
            title="副市长",
        ),
        "supervisor": make_user(
            "ducha",
            "赵督查",
            unit=units["office"],
            roles=[Role.SUPERVISOR],
            clearance=Clearance.SECRET,
        ),
        "handler_a": make_user("chengban_a", "陈承办", unit=units["a"], roles=[Role.UNIT_HANDLER]),
        "handler_b": make_user("chengban_b", "刘承办", unit=units["b"], roles=[Role.UNIT_HANDLER]),
        "head_a": make_user(
            "fuzeren_a",
            "周局长",
            unit=units["a"],
            roles=[Role.UNIT_HEAD],
            clearance=Clearance.SECRET,
        ),
        "outsider": make_user("waiyuan", "孙外员", unit=units["b"]),
        "sysadmin": make_user("xitong", "系统管理员", unit=units["office"], roles=[Role.SYSADMIN]),
        "secadmin": make_user("anquan", "安全管理员", unit=units["office"], roles=[Role.SECADMIN]),
        "auditor": make_user("shenji", "审计管理员", unit=units["office"], roles=[Role.AUDITOR]),
    }
