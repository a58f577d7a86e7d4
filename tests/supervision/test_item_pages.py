"""督办事项 pages through the browser's eyes (Django's test client): a supervisor opens an item by
hand (督〔年〕1号 on the page), assigns it, the lead unit reports, the head approves, the unit
applies for completion — first without evidence (flagged to the supervisor, sent back), then with
a PDF — and the supervisor closes it (已销号). Extensions are decided by the responsible leader
only; 催办 is recorded and sent as urgent; what a user cannot see is a 404; the desk shows each
persona their own work; the item's page stays within its query budget."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from office.models import Clearance, Notification
from office.roles import Role
from supervision import workflow as flow
from supervision.desk import supervision_desk_items
from supervision.models import Extension, ProgressReport, Source, SupervisionItem, Urging
from supervision.services import ItemPlan, open_item
from tests.conftest import make_user
from tests.steps import events, fresh

S = SupervisionItem.State
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def today():
    return timezone.localdate()


def login(client, user):
    client.force_login(user)
    return client


def page(item):
    return reverse("supervision:item-detail", args=[item.pk])


def step_url(item, step):
    return reverse("supervision:item-step", args=[item.pk, step])


def make_item(
    personas, units, *, title="推进城区学校课后服务全覆盖", co_units=(), days=90, **extra
):
    plan = ItemPlan(
        title=title,
        source=Source.INSTRUCTION,
        lead_unit=units["a"],
        responsible_leader=personas["leader"],
        deadline=today() + datetime.timedelta(days=days),
        co_units=tuple(co_units),
        **extra,
    )
    return open_item(plan, actor=personas["supervisor"])


def assigned(personas, units, **kwargs):
    item = make_item(personas, units, **kwargs)
    return flow.assign(item, actor=personas["supervisor"])


def item_form_data(personas, units, **changes):
    data = {
        "source": Source.MEETING_DECISION,
        "title": "加快老旧小区改造进度",
        "requirement": "年底前完成 30 个小区改造。",
        "lead_unit": str(units["a"].pk),
        "co_units": [str(units["b"].pk)],
        "responsible_leader": str(personas["leader"].pk),
        "deadline": (today() + datetime.timedelta(days=120)).isoformat(),
        "report_cadence": "monthly",
        "report_day": "25",
        "classification": "0",
        "milestones": f"{(today() + datetime.timedelta(days=60)).isoformat()} 完成一半小区改造",
        "source_label": "市政府常务会议纪要 2026年第3期",
        "source_url": "/meetings/minutes/1/",
    }
    data.update(changes)
    return data


def text(response):
    return response.content.decode()


# --- 立项 --------------------------------------------------------------------------------------


def test_a_supervisor_opens_an_item_by_hand_and_sees_its_number(client, personas, units):
    login(client, personas["supervisor"])
    assert "督办立项" in text(client.get("/"))
    form = client.get(reverse("supervision:item-new"))
    assert form.status_code == 200
    assert "配合单位" in text(form) and "pick-many" in text(form)

    response = client.post(reverse("supervision:item-new"), item_form_data(personas, units))

    item = SupervisionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == page(item)
    shown = text(client.get(page(item)))
    assert f"督〔{today().year}〕1号" in shown
    assert "加快老旧小区改造进度" in shown and "完成一半小区改造" in shown
    assert "珠海市住房和城乡建设局" in shown  # 配合单位
    assert 'href="/meetings/minutes/1/"' in shown and "市政府常务会议纪要 2026年第3期" in shown
    assert item.state == S.OPENED and item.supervisor == personas["supervisor"]


def test_a_handler_may_not_open_items_and_sees_no_such_entry(client, personas):
    login(client, personas["handler_a"])
    assert client.get(reverse("supervision:item-new")).status_code == 403
    assert "督办立项" not in text(client.get("/"))


def test_a_past_deadline_is_refused_in_chinese_with_the_input_kept(client, personas, units):
    login(client, personas["supervisor"])
    data = item_form_data(personas, units, deadline="2020-01-01", milestones="")

    response = client.post(reverse("supervision:item-new"), data)

    assert response.status_code == 400
    assert "办结时限不能早于今天。" in text(response)
    assert 'value="加快老旧小区改造进度"' in text(response)
    assert not SupervisionItem.objects.exists()


def test_an_online_appeal_without_a_deadline_gets_the_reply_time_limit(
    client, personas, units, settings
):
    from office.calendar import add_working_days

    settings.SUPERVISION_APPEAL_WORKING_DAYS = 5
    login(client, personas["supervisor"])
    other = item_form_data(personas, units, deadline="", milestones="")
    response = client.post(reverse("supervision:item-new"), other)
    assert response.status_code == 400 and "请填写办结时限。" in text(response)

    appeal = item_form_data(
        personas, units, source=Source.PUBLIC_APPEAL, deadline="", milestones=""
    )
    assert client.post(reverse("supervision:item-new"), appeal).status_code == 302
    item = SupervisionItem.objects.get()
    assert item.deadline == add_working_days(today(), 5) == item.original_deadline


def test_a_bad_milestone_line_names_its_line(client, personas, units):
    login(client, personas["supervisor"])
    data = item_form_data(personas, units, milestones="完成主体工程")

    response = client.post(reverse("supervision:item-new"), data)

    assert response.status_code == 400
    assert "第1行应以完成时限开头" in text(response)
    assert "完成主体工程" in text(response)


def test_classification_offers_only_up_to_the_actors_clearance(client, personas):
    login(client, personas["supervisor"])  # cleared for 秘密
    shown = text(client.get(reverse("supervision:item-new")))
    assert "秘密" in shown and "机密" not in shown


# --- the item's page ---------------------------------------------------------------------------


def test_only_those_concerned_see_the_item(client, personas, units):
    item = make_item(personas, units)
    for name in ("outsider", "handler_b"):
        assert login(client, personas[name]).get(page(item)).status_code == 404
    assert login(client, personas["handler_a"]).get(page(item)).status_code == 200

    co_item = make_item(personas, units, title="校园周边交通整治", co_units=[units["b"]])
    assert login(client, personas["handler_b"]).get(page(co_item)).status_code == 200


def test_lights_and_their_reasons_are_shown(client, personas, units):
    red = assigned(personas, units, title="红灯事项")
    SupervisionItem.objects.filter(pk=red.pk).update(deadline=today() - datetime.timedelta(days=3))
    yellow = assigned(personas, units, title="黄灯事项", days=1)
    login(client, personas["supervisor"])

    shown = text(client.get(page(red)))
    assert 'class="light light-red"' in shown and "红灯" in shown
    assert "已超过办结时限 3 天" in shown

    shown = text(client.get(page(yellow)))
    assert 'class="light light-yellow"' in shown and "临近办结时限" in shown


# --- the whole flow by pages ------------------------------------------------------------------


def test_the_item_goes_from_assignment_to_closure_by_pages(client, personas, units):
    item = make_item(personas, units)
    supervisor, handler, head = personas["supervisor"], personas["handler_a"], personas["head_a"]

    r = login(client, supervisor).post(step_url(item, "assign"), {"assign-message": "请抓紧落实"})
    assert r.status_code == 302 and fresh(item).state == S.ASSIGNED

    login(client, handler)
    assert "报送进展" in text(client.get(page(item)))
    r = client.post(
        step_url(item, "report"), {"report-text": "已完成方案制定。", "report-progress": "40"}
    )
    assert r.status_code == 302
    report = ProgressReport.objects.get()
    assert "尚待单位负责人审核" in text(client.get(page(item)))

    login(client, head)
    assert "审核通过" in text(client.get(page(item)))
    r = client.post(reverse("supervision:report-review", args=[report.pk, "approve"]))
    assert r.status_code == 302
    shown = text(client.get(page(item)))
    assert 'id="item-progress">40%' in shown and "办理中" in shown

    login(client, handler)
    r = client.post(step_url(item, "complete"), {"complete-text": "已全部完成。"})
    assert r.status_code == 302
    application = ProgressReport.objects.latest("id")
    login(client, head).post(reverse("supervision:report-review", args=[application.pk, "approve"]))
    assert fresh(item).state == S.CLOSE_REQUESTED

    login(client, supervisor)
    shown = text(client.get(page(item)))
    assert "申请办结未附佐证材料" in shown
    assert "申请办结未附佐证材料" not in text(login(client, handler).get(page(item)))

    login(client, supervisor)
    r = client.post(step_url(item, "send_back"), {"send_back-reason": ""})
    assert r.status_code == 400 and "这个字段是必填项" in text(r)
    r = client.post(step_url(item, "send_back"), {"send_back-reason": "请补充验收材料。"})
    assert r.status_code == 302 and fresh(item).state == S.IN_PROGRESS

    login(client, handler)
    evidence = SimpleUploadedFile("验收报告.pdf", PDF, content_type="application/pdf")
    r = client.post(
        step_url(item, "complete"),
        {"complete-text": "已补充验收报告，全部完成。", "complete-files": [evidence]},
    )
    assert r.status_code == 302
    again = ProgressReport.objects.latest("id")
    assert again.flag == "" and again.files.count() == 1
    login(client, head).post(reverse("supervision:report-review", args=[again.pk, "approve"]))

    login(client, supervisor)
    shown = text(client.get(page(item)))
    stored = again.files.get()
    assert reverse("supervision:report-file", args=[stored.pk]) in shown
    download = client.get(reverse("supervision:report-file", args=[stored.pk]))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert (
        login(client, personas["handler_b"])
        .get(reverse("supervision:report-file", args=[stored.pk]))
        .status_code
        == 404
    )

    r = login(client, supervisor).post(step_url(item, "close"), {"close-opinion": "材料齐全"})
    assert r.status_code == 302
    shown = text(client.get(page(item)))
    assert 'id="item-state">已销号' in shown
    assert fresh(item).closed_on == today()


def test_a_head_returns_a_report_with_an_opinion(client, personas, units):
    item = assigned(personas, units)
    report = flow.submit_report(item, actor=personas["handler_a"], text="正在推进。", progress=10)
    login(client, personas["head_a"])
    url = reverse("supervision:report-review", args=[report.pk, "return"])

    r = client.post(url, {f"report{report.pk}-opinion": ""})
    assert r.status_code == 400 and "退回须填写意见。" in text(r)

    r = client.post(url, {f"report{report.pk}-opinion": "请写明具体进度。"})
    assert r.status_code == 302
    assert fresh(report).state == ProgressReport.State.RETURNED
    assert "请写明具体进度。" in text(client.get(page(item)))
    # the handler may report again
    assert "尚待单位负责人审核" not in text(login(client, personas["handler_a"]).get(page(item)))


def test_a_report_twice_before_review_is_refused_on_the_page(client, personas, units):
    item = assigned(personas, units)
    flow.submit_report(item, actor=personas["handler_a"], text="第一次。", progress=10)
    login(client, personas["handler_a"])

    r = client.post(step_url(item, "report"), {"report-text": "第二次。", "report-progress": "20"})

    assert r.status_code == 400
    assert "上一次报送尚待单位负责人审核，审核后再报送。" in text(r)  # the refusal, as a message
    assert ProgressReport.objects.count() == 1


def test_steps_on_another_units_item_are_404_and_others_steps_403(client, personas, units):
    item = assigned(personas, units)
    login(client, personas["handler_b"])
    r = client.post(step_url(item, "report"), {"report-text": "越权报送", "report-progress": "50"})
    assert r.status_code == 404
    login(client, personas["handler_a"])
    assert client.post(step_url(item, "urge"), {"urge-message": "催"}).status_code == 403
    assert client.post(step_url(item, "close"), {}).status_code == 403
    login(client, personas["supervisor"])
    assert client.post(step_url(item, "report"), {"report-text": "x"}).status_code == 403
    assert not ProgressReport.objects.exists()


# --- 延期 --------------------------------------------------------------------------------------


def test_the_responsible_leader_approves_an_extension(client, personas, units):
    item = assigned(personas, units, days=30)
    original = item.deadline
    wanted = original + datetime.timedelta(days=60)
    login(client, personas["handler_a"])
    r = client.post(
        step_url(item, "extend"),
        {"extend-deadline": wanted.isoformat(), "extend-reason": "征地手续尚未完成。"},
    )
    assert r.status_code == 302
    extension = Extension.objects.get()

    mayor = make_user(
        "shizhang", "张市长", unit=units["government"], roles=[Role.LEADER], oversees_all=True
    )
    login(client, mayor)
    assert "同意延期" not in text(client.get(page(item)))
    url = reverse("supervision:extension-decide", args=[extension.pk, "approve"])
    assert client.post(url, {}).status_code == 403

    login(client, personas["leader"])
    assert "同意延期" in text(client.get(page(item)))
    assert client.post(url, {f"extension{extension.pk}-opinion": "同意"}).status_code == 302

    item = fresh(item)
    assert item.deadline == wanted and item.original_deadline == original
    shown = text(client.get(page(item)))
    assert f'id="item-deadline">{wanted:%Y-%m-%d}' in shown and "已延期" in shown
    assert f'id="item-original-deadline">{original:%Y-%m-%d}' in shown


def test_refusing_an_extension_needs_an_opinion(client, personas, units):
    item = assigned(personas, units)
    extension = flow.request_extension(
        item,
        actor=personas["handler_a"],
        deadline=item.deadline + datetime.timedelta(days=10),
        reason="资金未到位。",
    )
    login(client, personas["leader"])
    url = reverse("supervision:extension-decide", args=[extension.pk, "refuse"])

    r = client.post(url, {f"extension{extension.pk}-opinion": ""})

    assert r.status_code == 400 and "不同意延期须填写意见。" in text(r)
    assert fresh(extension).state == Extension.State.PENDING


# --- 催办 --------------------------------------------------------------------------------------


def test_urging_is_recorded_and_sent_as_urgent(client, personas, units):
    item = assigned(personas, units)
    login(client, personas["supervisor"])

    r = client.post(step_url(item, "urge"), {"urge-message": "请于本周五前报送进展。"})

    assert r.status_code == 302
    urging = Urging.objects.get(item=item)
    assert (urging.kind, urging.by, urging.message) == (
        Urging.Kind.MANUAL,
        personas["supervisor"],
        "请于本周五前报送进展。",
    )
    for name in ("handler_a", "head_a"):
        assert Notification.objects.filter(
            recipient=personas[name], object_id=item.pk, urgent=True, title__contains="督办催办"
        ).exists()
    assert not Notification.objects.filter(recipient=personas["handler_b"]).exists()
    assert "请于本周五前报送进展。" in text(client.get(page(item)))


# --- 疑似重复事项 / 关联 ----------------------------------------------------------------------------


def test_a_similar_open_item_is_offered_and_linked(client, personas, units):
    first = make_item(personas, units, title="推进城区学校课后服务全覆盖")
    second = make_item(personas, units, title="推进城区中小学校课后服务全覆盖工作")
    make_item(personas, units, title="建设智慧交通指挥中心")
    login(client, personas["supervisor"])

    shown = text(client.get(page(second)))
    assert "疑似重复事项" in shown and first.item_number in shown
    assert "建设智慧交通指挥中心" not in shown
    assert "疑似重复事项" not in text(login(client, personas["head_a"]).get(page(second)))

    login(client, personas["supervisor"])
    r = client.post(step_url(second, "link"), {"link-other": str(first.pk)})
    assert r.status_code == 302
    assert fresh(first).group_id == fresh(second).group_id is not None
    shown = text(client.get(page(second)))
    assert "关联事项" in shown and "疑似重复事项" not in shown


# --- the desk ----------------------------------------------------------------------------------


def test_the_desk_shows_each_persona_their_work(client, personas, units):
    to_assign = make_item(personas, units, title="待交办的事项")
    in_progress = assigned(personas, units, title="办理中的事项")
    flow.submit_report(in_progress, actor=personas["handler_a"], text="进展一。", progress=20)
    extension = flow.request_extension(
        fresh(in_progress),
        actor=personas["handler_a"],
        deadline=in_progress.deadline + datetime.timedelta(days=30),
        reason="需要更多时间。",
    )

    def desk(name):
        return {(row.title, row.state_label) for row in supervision_desk_items(personas[name])}

    supervisor = desk("supervisor")
    assert (f"{to_assign.item_number} 待交办的事项", "待交办") in supervisor
    handler = {title for title, _ in desk("handler_a")}
    assert f"{in_progress.item_number} 办理中的事项" in handler
    assert f"{to_assign.item_number} 待交办的事项" not in handler
    head = desk("head_a")
    assert (f"{in_progress.item_number} 办理中的事项", "待审核进展反馈") in head
    leader = {label for _, label in desk("leader")}
    assert f"待审批延期（申请延至 {extension.requested_deadline:%Y-%m-%d}）" in leader
    assert desk("handler_b") == set() and desk("outsider") == set()

    shown = text(login(client, personas["head_a"]).get("/"))
    assert "待审核进展反馈" in shown and "办理中的事项" in shown


def test_red_items_show_on_their_supervisors_desk(personas, units):
    item = assigned(personas, units, title="逾期事项")
    SupervisionItem.objects.filter(pk=item.pk).update(deadline=today() - datetime.timedelta(days=1))
    labels = {row.state_label for row in supervision_desk_items(personas["supervisor"])}
    assert "红灯（已交办）" in labels


# --- classification and the query budget ------------------------------------------------------


def test_a_classified_item_is_hidden_above_clearance_and_its_opening_audited(
    client, personas, units
):
    item = make_item(personas, units, classification=Clearance.SECRET)
    assert login(client, personas["handler_a"]).get(page(item)).status_code == 404
    assert login(client, personas["head_a"]).get(page(item)).status_code == 200
    assert events(item, "open").filter(actor=personas["head_a"]).exists()


def test_the_items_page_stays_within_its_query_budget(
    client, personas, units, django_assert_max_num_queries
):
    item = assigned(personas, units)
    for n in range(10):
        evidence = SimpleUploadedFile(f"附件{n}.pdf", PDF, content_type="application/pdf")
        flow.submit_report(
            fresh(item),
            actor=personas["head_a"],
            text=f"第{n + 1}次进展：完成第{n + 1}批学校的课后服务覆盖。",
            progress=5 * (n + 1),
            files=[evidence],
        )
    flow.urge(fresh(item), actor=personas["supervisor"], message="请加快进度。")
    for name in ("supervisor", "head_a"):
        login(client, personas[name])
        with django_assert_max_num_queries(25):
            response = client.get(page(item))
        assert response.status_code == 200
        assert text(response).count('class="list-group-item" id="report-') == 10


def test_a_milestone_reached_is_chosen_from_the_unreached_ones(client, personas, units):
    due = today() + datetime.timedelta(days=20)
    item = assigned(personas, units, milestones=(("完成实施方案", due), ("完成首批试点", due)))
    first = item.milestones.get(position=1)
    login(client, personas["handler_a"])
    assert "完成节点目标" in text(client.get(page(item)))

    r = client.post(
        step_url(item, "report"),
        {"report-text": "实施方案已印发。", "report-progress": "30", "report-milestone": first.pk},
    )
    assert r.status_code == 302
    report = ProgressReport.objects.get()
    login(client, personas["head_a"]).post(
        reverse("supervision:report-review", args=[report.pk, "approve"])
    )

    assert fresh(first).reached_on == today()
    shown = text(login(client, personas["handler_a"]).get(page(item)))
    assert f"{today():%Y-%m-%d} 完成" in shown and "完成节点：完成实施方案" in shown
    assert f'<option value="{first.pk}"' not in shown  # no longer offered
