"""议题 pages through the browser's eyes (Django's test client): 提请议题 with material, the
material's download, each step on the topic's page and its refusal (nothing changes), the
「不成熟不上会」 status, my lists, the pool's filters, 404 for a unit not involved, and the 办会
settings for the system administrator only."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import LegalAdviser, MeetingType, Room, Topic, TopicMaterial, TopicOpinion
from office.models import TrailEvent
from office.roles import Role
from tests.conftest import make_unit, make_user
from tests.meetings.test_topic_workflow import Build
from tests.steps import events, fresh

S = Topic.State
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


def login(client, user):
    client.force_login(user)
    return client


def topic_data(build, personas, **overrides):
    data = {
        "title": "关于调整全市中小学课后服务收费标准的请示",
        "meeting_type": str(build.executive.pk),
        "reporting_leader": str(personas["leader"].pk),
        "summary": "提请市政府常务会议审议课后服务收费标准调整方案。",
    }
    data.update(overrides)
    return data


def pdf(name="收费标准调整方案.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def post_step(client, topic, step, files=None, **fields):
    data = {f"{step}-{key}": value for key, value in fields.items()}
    if files is not None:
        data[f"{step}-files"] = files
    return client.post(reverse("meetings:topic-act", args=[topic.pk, step]), data)


def detail(client, topic):
    return client.get(reverse("meetings:topic-detail", args=[topic.pk]))


def snapshot(topic):
    topic = fresh(topic)
    return (
        topic.state,
        topic.disagreements,
        topic.legal_opinion,
        list(TopicOpinion.objects.order_by("pk").values_list("unit", "agrees", "given_at")),
        events(topic).count(),
        topic.materials.count(),
    )


# --- 提请议题 and its material ------------------------------------------------------------------


def test_a_unit_submits_a_topic_with_a_pdf_that_is_listed_and_downloadable(
    client, build, personas, units
):
    login(client, personas["handler_a"])
    page = client.get(reverse("meetings:topic-new"))
    assert page.status_code == 200 and "议题材料" in page.content.decode()
    response = client.post(
        reverse("meetings:topic-new"), {**topic_data(build, personas), "materials": [pdf()]}
    )
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:topic-detail", args=[topic.pk])
    assert (topic.state, topic.submitting_unit, topic.reporting_leader) == (
        S.SUBMITTED,
        units["a"],
        personas["leader"],
    )
    material = TopicMaterial.objects.get()
    assert (material.topic, material.media_type, material.size) == (
        topic,
        "application/pdf",
        len(PDF),
    )
    assert material.sha256 == hashlib.sha256(PDF).hexdigest()
    assert events(topic, "add_topic_materials").get().opinion == "收费标准调整方案.pdf"

    html = client.get(response["Location"]).content.decode()
    assert "收费标准调整方案.pdf" in html
    assert reverse("meetings:topic-material", args=[material.pk]) in html

    download = client.get(reverse("meetings:topic-material", args=[material.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"


def test_a_refused_submit_says_why_keeps_the_input_and_asks_for_the_files_again(
    client, build, personas, tmp_path
):
    login(client, personas["handler_a"])
    fake = SimpleUploadedFile("方案.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(
        reverse("meetings:topic-new"), {**topic_data(build, personas), "materials": [fake]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "不是可接受的文件类型" in html
    assert "请重新选择议题材料" in html
    assert "关于调整全市中小学课后服务收费标准的请示" in html and "收费标准调整方案" in html
    assert not Topic.objects.exists() and not TopicMaterial.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # nothing left on disk

    # a reporting leader who is not a leader: refused by the form, input kept
    response = client.post(
        reverse("meetings:topic-new"),
        topic_data(build, personas, reporting_leader=str(personas["handler_b"].pk)),
    )
    assert response.status_code == 400
    assert "关于调整全市中小学课后服务收费标准的请示" in response.content.decode()
    assert not Topic.objects.exists()


def test_a_good_file_with_a_bad_one_leaves_no_topic_and_no_file(client, build, personas, tmp_path):
    login(client, personas["handler_a"])
    bad = SimpleUploadedFile("说明.txt", b"plain text")
    response = client.post(
        reverse("meetings:topic-new"),
        {**topic_data(build, personas), "materials": [pdf(), bad]},
    )
    assert response.status_code == 400
    assert not Topic.objects.exists() and not TopicMaterial.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_people_who_may_not_submit_get_403(client, personas):
    for who in ("leader", "sysadmin", "outsider"):
        login(client, personas[who])
        assert client.get(reverse("meetings:topic-new")).status_code == 403


# --- the steps on the topic's page ---------------------------------------------------------------


def test_coordinate_by_the_secretary_and_refused_for_the_unit(client, build, personas, units):
    topic = build.submitted()
    before = snapshot(topic)
    login(client, personas["handler_a"])
    assert "coordinate" not in [s["name"] for s in detail(client, topic).context["steps"]]
    assert post_step(client, topic, "coordinate", units=[units["b"].pk]).status_code == 403
    assert snapshot(topic) == before

    login(client, personas["secretary"])
    assert 'data-step="coordinate"' in detail(client, topic).content.decode()
    refused = post_step(client, topic, "coordinate")
    assert refused.status_code == 400 and snapshot(topic) == before
    response = post_step(client, topic, "coordinate", units=[units["b"].pk])
    assert response.status_code == 302
    assert fresh(topic).state == S.COORDINATING
    assert list(topic.opinions.values_list("unit", flat=True)) == [units["b"].pk]
    html = detail(client, topic).content.decode()
    assert "待反馈" in html and "0/1 个单位已反馈" in html


def test_give_opinion_by_the_unit_asked_and_refused_otherwise(client, build, personas, units):
    topic = build.coordinating()
    before = snapshot(topic)
    login(client, personas["handler_a"])  # its own unit was not asked
    response = post_step(client, topic, "give_opinion", agrees="yes", opinion="同意。")
    assert response.status_code == 403 and snapshot(topic) == before

    login(client, personas["handler_b"])
    refused = post_step(client, topic, "give_opinion", agrees="no", opinion="")
    assert refused.status_code == 400 and snapshot(topic) == before
    assert "不同意时须写明理由" in refused.content.decode()
    response = post_step(client, topic, "give_opinion", agrees="no", opinion="资金来源不明确。")
    assert response.status_code == 302
    opinion = topic.opinions.get()
    assert (opinion.agrees, opinion.opinion, opinion.given_by) == (
        False,
        "资金来源不明确。",
        personas["handler_b"],
    )
    html = detail(client, topic).content.decode()
    assert "不同意" in html and "资金来源不明确。" in html and "刘承办" in html
    again = post_step(client, topic, "give_opinion", agrees="yes", opinion="")
    assert again.status_code in (400, 403) and topic.opinions.get().agrees is False


def test_finish_coordination_records_disagreements(
    client, build, personas, django_assert_max_num_queries
):
    topic = build.answered(agrees=False)
    before = snapshot(topic)
    login(client, personas["handler_a"])
    response = post_step(client, topic, "finish_coordination", disagreements="分歧。")
    assert response.status_code == 403
    assert snapshot(topic) == before

    login(client, personas["secretary"])
    refused = post_step(client, topic, "finish_coordination", disagreements="")
    assert refused.status_code == 400 and snapshot(topic) == before
    assert "请如实记录分歧意见" in refused.content.decode()
    response = post_step(
        client, topic, "finish_coordination", disagreements="市住建局认为资金来源不明确。"
    )
    assert response.status_code == 302
    topic = fresh(topic)
    assert (topic.state, topic.disagreements) == (S.LEGAL_REVIEW, "市住建局认为资金来源不明确。")
    with django_assert_max_num_queries(25):
        assert "分歧意见" in detail(client, topic).content.decode()


def test_legality_review_by_the_legal_adviser_only(client, build, personas):
    topic = build.in_legal_review()
    before = snapshot(topic)
    login(client, personas["secretary"])
    response = post_step(client, topic, "legality_review", outcome="legal", opinion="合法。")
    assert response.status_code == 403 and snapshot(topic) == before

    login(client, build.lawyer)
    assert "合法性审查" in [s["label"] for s in detail(client, topic).context["steps"]]
    refused = post_step(client, topic, "legality_review", outcome="legal", opinion="")
    assert refused.status_code == 400 and snapshot(topic) == before
    response = post_step(
        client, topic, "legality_review", outcome="legal_after_changes", opinion="第三条需修改。"
    )
    assert response.status_code == 302
    topic = fresh(topic)
    assert (topic.state, topic.legal_opinion, topic.legal_reviewer) == (
        S.ADMITTED,
        "legal_after_changes",
        build.lawyer,
    )
    html = detail(client, topic).content.decode()
    assert "修改后合法" in html and "第三条需修改。" in html


def test_resubmit_by_the_submitting_unit_only(client, build, personas):
    topic = build.returned()
    before = snapshot(topic)
    login(client, personas["handler_b"])  # asked for its opinion: sees it, may not resubmit
    assert detail(client, topic).status_code == 200
    assert post_step(client, topic, "resubmit").status_code == 403
    assert snapshot(topic) == before

    login(client, personas["handler_a"])
    assert post_step(client, topic, "add_materials", files=[pdf("修改稿.pdf")]).status_code == 302
    assert topic.materials.get().name == "修改稿.pdf"
    assert post_step(client, topic, "resubmit").status_code == 302
    assert fresh(topic).state == S.SUBMITTED and not topic.opinions.exists()
    # a second click on a page that is no longer current is refused in words, not a 500
    response = post_step(client, topic, "resubmit")
    assert response.status_code in (400, 403) and fresh(topic).state == S.SUBMITTED


def test_withdraw_needs_a_reason_and_the_right_person(client, build, personas):
    topic = build.submitted()
    before = snapshot(topic)
    login(client, personas["handler_b"])
    assert post_step(client, topic, "withdraw", reason="不需要了。").status_code == 404
    login(client, personas["handler_a"])
    refused = post_step(client, topic, "withdraw", reason="")
    assert refused.status_code == 400 and snapshot(topic) == before
    response = post_step(client, topic, "withdraw", reason="政策已调整。")
    assert response.status_code == 302
    assert fresh(topic).state == S.WITHDRAWN
    assert events(topic, "withdraw").get().opinion == "政策已调整。"


def test_an_unknown_step_is_404(client, build, personas):
    topic = build.submitted()
    login(client, personas["secretary"])
    assert post_step(client, topic, "admit").status_code == 404


# --- 不成熟不上会 ---------------------------------------------------------------------------------


def test_the_page_says_what_a_topic_lacks_before_it_may_go_on_an_agenda(client, build, personas):
    login(client, personas["secretary"])
    html = detail(client, build.submitted()).content.decode()
    assert "不成熟不上会" in html
    assert "尚未完成会前协调" in html and "尚未通过合法性审查" in html
    html = detail(client, build.in_legal_review()).content.decode()
    assert "不成熟不上会" in html and "尚未完成会前协调" not in html
    assert "尚未通过合法性审查" in html
    html = detail(client, build.admitted()).content.decode()
    assert "已入议题库，可安排上会" in html and "不成熟不上会" not in html


# --- lists and the pool --------------------------------------------------------------------------


def test_todo_lists_what_waits_for_each_person(
    client, build, personas, django_assert_max_num_queries
):
    submitted = build.submitted()
    coordinating = build.coordinating()
    in_review = build.in_legal_review()
    returned = build.returned()

    def todo(user):
        login(client, user)
        with django_assert_max_num_queries(20):
            response = client.get(reverse("meetings:topic-list"))
        assert response.status_code == 200
        return {row["topic"].pk for row in response.context["rows"]}

    assert todo(personas["secretary"]) == {submitted.pk}
    assert todo(personas["handler_b"]) == {coordinating.pk}
    assert todo(personas["handler_a"]) == {returned.pk}
    assert todo(build.lawyer) == {in_review.pk}

    flow_answered = build.answered()
    assert flow_answered.pk in todo(personas["secretary"])  # all answers in: 协调完毕 waits

    login(client, personas["handler_a"])
    mine = client.get(reverse("meetings:topic-list"), {"tab": "mine"})
    assert {row["topic"].pk for row in mine.context["rows"]} == set(
        Topic.objects.values_list("pk", flat=True)
    )
    login(client, personas["handler_b"])
    seen = client.get(reverse("meetings:topic-list"), {"tab": "all"}).context["rows"]
    assert submitted.pk not in {row["topic"].pk for row in seen}  # not asked about it
    assert client.get(reverse("meetings:topic-list"), {"tab": "nope"}).status_code == 404


def test_the_list_pages_by_keyset(client, build, personas, settings):
    from meetings.views import topics as views

    original = views.LIST_PAGE_SIZE
    views.LIST_PAGE_SIZE = 2
    try:
        made = [build.submitted() for _ in range(3)]
        login(client, personas["secretary"])
        first = client.get(reverse("meetings:topic-list"), {"tab": "all"})
        assert len(first.context["rows"]) == 2 and first.context["page"].has_next
        second = client.get(
            reverse("meetings:topic-list"),
            {"tab": "all", "after": first.context["page"].next_cursor},
        )
        shown = {r["topic"].pk for r in first.context["rows"] + second.context["rows"]}
        assert shown == {t.pk for t in made}
    finally:
        views.LIST_PAGE_SIZE = original


def test_the_pool_lists_admitted_topics_and_filters(
    client, build, personas, units, django_assert_max_num_queries
):
    first = build.admitted()
    special = MeetingType.objects.create(
        kind=MeetingType.Kind.SPECIAL, name="专题会议", minutes_title="专题会议纪要"
    )
    other_leader = make_user("lingdao2", "黄副市长", unit=units["government"], roles=[Role.LEADER])
    second = build.admitted()
    Topic.objects.filter(pk=second.pk).update(
        meeting_type=special, reporting_leader=other_leader, submitting_unit=units["b"]
    )
    not_ready = build.in_legal_review()

    login(client, personas["secretary"])
    url = reverse("meetings:topic-pool")

    def pool(**filters):
        with django_assert_max_num_queries(25):
            response = client.get(url, filters)
        assert response.status_code == 200
        return [t.pk for t in response.context["topics"]]

    assert pool() == [first.pk, second.pk] and not_ready.pk not in pool()
    assert pool(meeting_type=special.pk) == [second.pk]
    assert pool(meeting_type=build.executive.pk) == [first.pk]
    assert pool(unit=units["a"].pk) == [first.pk]
    assert pool(leader=other_leader.pk) == [second.pk]
    assert pool(leader=personas["leader"].pk, unit=units["b"].pk) == []
    assert "已入议题库，可安排上会" in client.get(url).content.decode()


# --- visibility ----------------------------------------------------------------------------------


def test_a_unit_not_involved_gets_404_on_the_topic_and_its_material(client, build, personas):
    topic = build.coordinating()
    material = TopicMaterial.objects.create(
        topic=topic,
        file=SimpleUploadedFile("x.pdf", PDF),
        name="方案.pdf",
        media_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=personas["handler_a"],
    )
    unit_c = make_unit("珠海市交通运输局", "市交通局")
    handler_c = make_user("chengban_c", "吴承办", unit=unit_c, roles=[Role.UNIT_HANDLER])
    for user in (handler_c, personas["outsider"]):
        login(client, user)
        assert detail(client, topic).status_code == 404
        assert client.get(reverse("meetings:topic-material", args=[material.pk])).status_code == 404
        assert post_step(client, topic, "withdraw", reason="x").status_code == 404
    login(client, personas["handler_b"])  # asked for its opinion: may read the material
    assert client.get(reverse("meetings:topic-material", args=[material.pk])).status_code == 200


# --- 办会设置 ------------------------------------------------------------------------------------


def test_settings_are_for_the_system_administrator_only(client, personas):
    url = reverse("meetings:meetings-settings")
    for who in ("secretary", "leader", "secadmin", "handler_a"):
        login(client, personas[who])
        assert client.get(url).status_code == 403
        assert client.post(url, {"section": "room", "room-name": "一号会议室"}).status_code == 403
    assert not Room.objects.exists()
    login(client, personas["sysadmin"])
    assert client.get(url).status_code == 200


def test_the_sysadmin_saves_types_rooms_and_advisers_with_a_trail(client, personas):
    url = reverse("meetings:meetings-settings")
    login(client, personas["sysadmin"])
    response = client.post(
        url,
        {
            "section": "type",
            "type-name": "市政府常务会议",
            "type-kind": "executive",
            "type-minutes_title": "市政府常务会议纪要",
            "type-default_presider": str(personas["leader"].pk),
            "type-members": [str(personas["leader"].pk), str(personas["secretary"].pk)],
            "type-sort_order": "10",
            "type-is_active": "on",
        },
    )
    assert response.status_code == 302
    kind = MeetingType.objects.get()
    assert (kind.minutes_title, kind.default_presider) == ("市政府常务会议纪要", personas["leader"])
    assert set(kind.members.all()) == {personas["leader"], personas["secretary"]}
    assert events(kind, "meeting_type_save").count() == 1

    # editing: a changed minutes title is recorded from → to
    response = client.post(
        url,
        {
            "section": "type",
            "pk": str(kind.pk),
            "type-name": "市政府常务会议",
            "type-kind": "executive",
            "type-minutes_title": "珠海市人民政府常务会议纪要",
            "type-default_presider": str(personas["leader"].pk),
            "type-members": [str(personas["leader"].pk)],
            "type-sort_order": "10",
            "type-is_active": "on",
        },
    )
    assert response.status_code == 302
    change = events(kind, "meeting_type_save").last()
    assert "市政府常务会议纪要 → 珠海市人民政府常务会议纪要" in change.opinion
    assert list(fresh(kind).members.all()) == [personas["leader"]]

    # a presider who is not a leader is refused in words, input kept
    refused = client.post(
        url,
        {
            "section": "type",
            "type-name": "专题会议",
            "type-kind": "special",
            "type-minutes_title": "专题会议纪要",
            "type-default_presider": str(personas["secretary"].pk),
            "type-sort_order": "20",
        },
    )
    assert refused.status_code == 400 and "专题会议纪要" in refused.content.decode()
    assert MeetingType.objects.count() == 1

    response = client.post(
        url,
        {
            "section": "room",
            "room-name": "市政府一号会议室",
            "room-location": "市政府大楼3楼",
            "room-capacity": "40",
            "room-is_active": "on",
        },
    )
    assert response.status_code == 302
    room = Room.objects.get()
    assert (room.capacity, room.is_active) == (40, True)
    assert events(room, "room_save").count() == 1
    duplicate = client.post(
        url, {"section": "room", "room-name": "市政府一号会议室", "room-capacity": "10"}
    )
    assert duplicate.status_code == 400 and "已有名为“市政府一号会议室”的会议室" in (
        duplicate.content.decode()
    )

    lawyer = make_user("lvshi", "周律师", unit=personas["supervisor"].unit, roles=[Role.SUPERVISOR])
    response = client.post(url, {"section": "advisers", "advisers-advisers": [str(lawyer.pk)]})
    assert response.status_code == 302
    assert LegalAdviser.objects.get().user == lawyer and LegalAdviser.objects.get().is_active
    response = client.post(url, {"section": "advisers"})
    assert response.status_code == 302
    assert LegalAdviser.objects.get().is_active is False
    assert TrailEvent.objects.filter(action="legal_advisers_set").count() == 2
    page = client.get(url).content.decode()
    assert "市政府一号会议室" in page and "周律师" in page and "已停止" in page
