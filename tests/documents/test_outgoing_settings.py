"""发文设置: the system administrator configures each issuing unit's review levels (多级复核) and
its 发文字号 rules; the drafts and the numbering follow them."""

import pytest
from django.urls import reverse

from documents import services
from documents.models import NumberRule, OutgoingDocument, ReviewLevel
from documents.workflow import outgoing as flow
from office.models import TrailEvent
from office.roles import Role
from tests.conftest import make_user

S = OutgoingDocument.State


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def sysadmin(personas):
    return personas["sysadmin"]


@pytest.fixture
def chief(units):
    return make_user("kezhang", "黄科长", unit=units["secretariat"], roles=[Role.SECRETARY])


def two_levels_and_a_letter_rule(units, chief, leader):
    data = {"unit": units["office"].pk}
    data |= management("levels", 2) | management("rules", 1)
    data |= {
        "levels-0-level": "1",
        "levels-0-label": "科室核稿",
        "levels-0-reviewers": [chief.pk],
        "levels-1-level": "2",
        "levels-1-label": "秘书长审核",
        "levels-1-reviewers": [leader.pk],
        "rules-0-family": "letter",
        "rules-0-code": "珠府办函",
        "rules-0-pattern": "{key}〔{year}〕{number}号",
    }
    return data


def draft_letter(personas, units):
    return services.outgoing_draft(
        services.Draft(
            doc_type="letter",
            issuing_unit=units["office"],
            direction="parallel",
            title="关于商请支持有关工作的函",
            body="请予支持为盼。",
            main_recipients=(units["a"],),
        ),
        actor=personas["secretary"],
    )


def test_the_sysadmin_sets_levels_and_rules_and_documents_follow_them(
    client, personas, units, sysadmin, chief
):
    client.force_login(sysadmin)
    page = client.get(reverse("documents:outgoing-settings"), {"unit": units["office"].pk})
    assert page.status_code == 200 and "发文设置" in page.content.decode()
    response = client.post(
        reverse("documents:outgoing-settings"),
        two_levels_and_a_letter_rule(units, chief, personas["leader"]),
    )
    assert response.status_code == 302
    levels = list(ReviewLevel.objects.filter(unit=units["office"]).order_by("level"))
    assert [(lv.level, lv.label) for lv in levels] == [(1, "科室核稿"), (2, "秘书长审核")]
    assert list(levels[0].reviewers.all()) == [chief]
    assert TrailEvent.objects.get(action="outgoing_settings").actor == sysadmin

    document = draft_letter(personas, units)
    flow.submit(document, actor=personas["secretary"])
    assert (document.state, document.review_level) == (S.IN_REVIEW, 1)
    flow.review(document, actor=chief)
    flow.review(document, actor=personas["leader"])
    flow.sign_off(document, actor=personas["leader"])
    flow.number(document, actor=personas["secretary"])
    assert document.document_number.startswith("珠府办函〔")

    # Saving the page unchanged keeps everything (and writes no trail row).
    data = {"unit": units["office"].pk} | management("levels", 3, 2) | management("rules", 2, 1)
    page = client.get(reverse("documents:outgoing-settings"), {"unit": units["office"].pk})
    form = page.context["level_forms"]
    for i, f in enumerate(form.forms[:2]):
        data[f"levels-{i}-level"] = f.initial["level"]
        data[f"levels-{i}-label"] = f.initial["label"]
        data[f"levels-{i}-reviewers"] = [u.pk for u in f.initial["reviewers"]]
    data |= {
        "rules-0-family": "letter",
        "rules-0-code": "珠府办函",
        "rules-0-pattern": "{key}〔{year}〕{number}号",
    }
    assert client.post(reverse("documents:outgoing-settings"), data).status_code == 302
    assert ReviewLevel.objects.filter(unit=units["office"]).count() == 2
    assert NumberRule.objects.filter(unit=units["office"]).count() == 1
    assert TrailEvent.objects.filter(action="outgoing_settings").count() == 1


def test_bad_settings_are_refused_in_chinese_and_nothing_changes(
    client, personas, units, sysadmin, chief
):
    client.force_login(sysadmin)
    data = two_levels_and_a_letter_rule(units, chief, personas["leader"])
    gap = data | {"levels-1-level": "3"}
    response = client.post(reverse("documents:outgoing-settings"), gap)
    assert response.status_code == 400
    assert "审核级次须从 1 开始连续编号" in response.content.decode()
    bad_pattern = data | {"rules-0-pattern": "{key}〔{yaer}〕{number}号"}
    response = client.post(reverse("documents:outgoing-settings"), bad_pattern)
    assert "编号格式只能使用" in response.content.decode()
    no_number = data | {"rules-0-pattern": "{key}〔{year}〕号"}
    assert (
        "须包含序号"
        in client.post(reverse("documents:outgoing-settings"), no_number).content.decode()
    )
    nobody = data | {"levels-1-reviewers": []}
    assert response.status_code == 400
    assert (
        "这个字段是必填项"
        in client.post(reverse("documents:outgoing-settings"), nobody).content.decode()
    )
    assert not ReviewLevel.objects.exists() and not NumberRule.objects.exists()


def test_a_level_with_documents_in_review_cannot_be_removed(
    client, personas, units, sysadmin, chief
):
    client.force_login(sysadmin)
    client.post(
        reverse("documents:outgoing-settings"),
        two_levels_and_a_letter_rule(units, chief, personas["leader"]),
    )
    document = draft_letter(personas, units)
    flow.submit(document, actor=personas["secretary"])
    flow.review(document, actor=chief)  # now at level 2
    only_one = two_levels_and_a_letter_rule(units, chief, personas["leader"])
    only_one["levels-1-DELETE"] = "on"
    response = client.post(reverse("documents:outgoing-settings"), only_one)
    assert response.status_code == 400
    assert "有 1 件公文正在第2级审核，不能删除该审核级次" in response.content.decode()
    assert ReviewLevel.objects.filter(unit=units["office"]).count() == 2


def test_only_the_system_administrator_configures(client, personas):
    for who in ("secretary", "leader", "secadmin"):
        client.force_login(personas[who])
        assert client.get(reverse("documents:outgoing-settings")).status_code == 403
