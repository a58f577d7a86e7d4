"""建议提案 pages through a user's eyes (Django's test client): the list shows each persona the
items they may see, with filters, lights and 批量交办 that names its refusals; an item is handled
page by page — 交办 → 接收 → 会办意见 by the co-unit → a B-class reply started from its template
with the proposer's name → 提交答复 refused before a contact is recorded → 沟通联系 → 签发 → 答复
→ the office enters 不满意 → 重新办理 with a new deadline → the second reply rated 满意 → 办结,
both rounds kept; 申请调整 inside and outside its window; a handling unit can never enter a
rating (403); the desk shows each persona their work; list and page stay within query budgets."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from proposals import workflow as flow
from proposals.desk import proposals_desk_items
from proposals.models import Author, Proposal, Rating, Scan, Session, add_months
from proposals.services import AuthorEntry, ProposalEntry, register_proposal
from tests.steps import events, fresh

S = Proposal.State
LIST = "/proposals/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def today():
    return timezone.localdate()


@pytest.fixture
def session(db):
    return Session.objects.create(
        body=Session.Body.NPC,
        name="十六届人大三次会议",
        year=2026,
        opened_on=datetime.date(2026, 1, 10),
        liaison_body="市人大常委会代表工作室",
    )


@pytest.fixture
def cppcc(db):
    return Session.objects.create(
        body=Session.Body.CPPCC,
        name="十三届政协三次会议",
        year=2026,
        opened_on=datetime.date(2026, 1, 9),
    )


def register(personas, session, number, title, *, kind="suggestion", lead="张明", **extra):
    entry = ProposalEntry(
        session=session,
        kind=kind,
        number=number,
        title=title,
        content="建议增加城区学位供给。",
        authors=(
            AuthorEntry(
                name=lead, delegation="香洲代表团", phone="13800000001", affiliation="某中学校长"
            ),
            AuthorEntry(name="李华", role=Author.Role.CO, delegation="金湾代表团"),
        ),
        **extra,
    )
    return register_proposal(entry, actor=personas["secretary"])


def assigned(
    personas,
    units,
    session,
    number,
    title="关于增加城区学位供给的建议",
    *,
    lead="a",
    co=(),
    **extra,
):
    p = register(personas, session, number, title, **extra)
    return flow.assign(
        p,
        actor=personas["secretary"],
        lead_unit=units[lead],
        co_units=[units[u] for u in co],
    )


def handling(personas, units, session, number, **kwargs):
    p = assigned(personas, units, session, number, **kwargs)
    return flow.accept(p, actor=personas["handler_a"])


def page(p):
    return reverse("proposals:proposal-detail", args=[p.pk])


def step(p, name):
    return reverse("proposals:proposal-step", args=[p.pk, name])


def as_user(client, user):
    client.force_login(user)
    return client


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def listed(response):
    return [row["p"].pk for row in response.context["rows"]]


# --- 列表 ----------------------------------------------------------------------------------------


@pytest.fixture
def spread(personas, units, session, cppcc):
    """Items in every relation to the personas."""
    return {
        "a_leads": assigned(personas, units, session, 1, "关于增加城区学位供给的建议"),
        "a_co": assigned(
            personas, units, session, 2, "关于老旧小区加装电梯的建议", lead="b", co=("a",)
        ),
        "b_only": assigned(personas, units, session, 3, "关于完善城市排水系统的建议", lead="b"),
        "registered": register(personas, session, 4, "关于建设社区食堂的建议"),
        "key": assigned(
            personas,
            units,
            cppcc,
            1,
            "关于加快轨道交通建设的提案",
            kind="proposal",
            lead="b",
            is_key=True,
            key_leader=personas["leader"],
            category="城市建设",
        ),
    }


def test_a_unit_sees_what_it_leads_or_co_handles_a_leader_their_key_items(client, personas, spread):
    response = as_user(client, personas["handler_a"]).get(LIST)
    assert response.status_code == 200
    assert set(listed(response)) == {spread["a_leads"].pk, spread["a_co"].pk}
    assert "关于完善城市排水系统的建议" not in response.content.decode()

    response = as_user(client, personas["leader"]).get(LIST)
    assert listed(response) == [spread["key"].pk]

    response = as_user(client, personas["outsider"]).get(LIST)
    assert listed(response) == []
    assert "没有符合条件的建议提案" in response.content.decode()

    response = as_user(client, personas["secretary"]).get(LIST)
    assert len(listed(response)) == 5
    body = response.content.decode()
    for words in ("第0001号", "张明", "十三届政协三次会议", "市教育局", "市住建局", "重点"):
        assert words in body


def test_what_a_user_cannot_see_is_404_and_the_step_too(client, personas, spread):
    as_user(client, personas["handler_a"])
    assert client.get(page(spread["b_only"])).status_code == 404
    assert client.post(step(spread["b_only"], "accept")).status_code == 404
    assert client.get(page(spread["a_co"])).status_code == 200
    assert as_user(client, personas["outsider"]).get(page(spread["a_leads"])).status_code == 404


def test_filters_narrow_the_list(client, personas, units, spread, session):
    as_user(client, personas["secretary"])

    def ids(**params):
        return set(listed(client.get(LIST, params)))

    assert ids(kind="proposal") == {spread["key"].pk}
    assert ids(session=session.pk) == {
        spread[k].pk for k in ("a_leads", "a_co", "b_only", "registered")
    }
    assert ids(state="registered") == {spread["registered"].pk}
    assert ids(lead_unit=units["a"].pk) == {spread["a_leads"].pk}
    assert ids(is_key="1") == {spread["key"].pk}
    assert spread["key"].pk not in ids(is_key="0")
    assert ids(category="城市建设") == {spread["key"].pk}
    assert ids(q="电梯") == {spread["a_co"].pk}
    assert ids(q="第0003号") == {spread["b_only"].pk}
    assert ids(q="张明") == {p.pk for p in spread.values()}
    Proposal.objects.filter(pk=spread["b_only"].pk).update(
        deadline=today() - datetime.timedelta(days=2)
    )
    assert ids(light="red") == {spread["b_only"].pk}
    assert spread["b_only"].pk not in ids(light="green")
    assert ids(state="in_hand") == {spread[k].pk for k in ("a_leads", "a_co", "b_only", "key")}

    response = client.get(LIST, {"session": "999999", "kind": "suggestion"})
    assert "查询条件“届次”有误，已忽略" in response.content.decode()
    assert len(listed(response)) == 4


def test_overdue_item_in_hand_shows_red_and_a_replied_one_no_light(
    client, personas, units, session
):
    late = assigned(personas, units, session, 1)
    Proposal.objects.filter(pk=late.pk).update(deadline=today() - datetime.timedelta(days=5))
    response = as_user(client, personas["secretary"]).get(LIST)
    (row,) = response.context["rows"]
    assert row["p"].light == "red"
    assert "已超过答复期限 5 天" in response.content.decode()


def test_htmx_redraws_only_the_results(client, personas, spread):
    response = as_user(client, personas["secretary"]).get(
        LIST, {"kind": "proposal"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="proposal-results">')
    assert "关于加快轨道交通建设的提案" in body and "关于建设社区食堂的建议" not in body


def test_keyset_pages(client, personas, session):
    for number in range(1, 56):
        register(personas, session, number, f"关于第{number}项民生实事的建议")
    as_user(client, personas["secretary"])
    first = client.get(LIST)
    assert len(listed(first)) == 50
    cursor = first.context["page"].next_cursor
    second = client.get(LIST, {"after": cursor})
    assert len(listed(second)) == 5
    assert not set(listed(first)) & set(listed(second))
    assert "分页参数无效" in client.get(LIST, {"after": "garbage"}).content.decode()


def test_bulk_assign_names_the_refusals(client, personas, units, session):
    one = register(personas, session, 1, "关于增加城区学位供给的建议")
    two = register(personas, session, 2, "关于建设社区食堂的建议")
    done = assigned(personas, units, session, 3)
    as_user(client, personas["secretary"])
    response = client.post(
        reverse("proposals:proposal-bulk-assign"),
        {
            "items": [one.pk, two.pk, done.pk],
            "lead_unit": units["a"].pk,
            "co_units": [units["b"].pk],
            "query": "kind=suggestion",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?kind=suggestion")
    (message,) = texts(response)
    assert message.startswith("已交办 2 件（主办：珠海市教育局）；1 件未交办：建议第0003号")
    assert "当前状态为“已交办”" in message
    for p in (one, two):
        p = fresh(p)
        assert (p.state, p.lead_unit, list(p.co_units.all())) == (
            S.ASSIGNED,
            units["a"],
            [units["b"]],
        )
        assert p.deadline == add_months(today(), 3)

    response = client.post(reverse("proposals:proposal-bulk-assign"), {"lead_unit": units["a"].pk})
    assert texts(response)[-1] == "请先勾选要交办的建议提案。"


def test_only_the_office_assigns_in_bulk(client, personas, units, session):
    p = register(personas, session, 1, "关于增加城区学位供给的建议")
    as_user(client, personas["handler_a"])
    response = client.post(
        reverse("proposals:proposal-bulk-assign"), {"items": [p.pk], "lead_unit": units["a"].pk}
    )
    assert response.status_code == 403
    assert fresh(p).state == S.REGISTERED
    assert "交办所选" not in client.get(LIST).content.decode()


# --- 办理 ------------------------------------------------------------------------------------------


def _contact(client, p, **changes):
    data = {
        "contact-contacted_on": today().isoformat(),
        "contact-way": "visit",
        "contact-people": "张明代表；市教育局陈承办",
        "contact-content": "登门听取意见，介绍学位建设计划。",
        **changes,
    }
    return client.post(step(p, "contact"), data)


def _handle_round(client, personas, p, *, co_text, reply_class="B"):
    """A round from 接收/重新办理 to 答复 by pages: co-unit opinion, template, contact, submit,
    sign, send."""
    as_user(client, personas["handler_b"])
    assert client.post(step(p, "co_opinion"), {"co_opinion-text": co_text}).status_code == 302

    as_user(client, personas["handler_a"])
    body = client.get(page(p), {"template": reply_class}).context["steps"]
    draft = next(row for row in body if row["name"] == "draft_reply")
    assert draft["open"]
    text = draft["form"].initial["body"]
    response = client.post(
        step(p, "draft_reply"),
        {
            "draft_reply-reply_class": reply_class,
            "draft_reply-body": text.replace("……", "已将城区学位建设列入明年计划。", 1),
            "draft_reply-contact_person": "陈承办",
            "draft_reply-contact_phone": "0756-1234567",
        },
    )
    assert response.status_code == 302
    assert _contact(client, p).status_code == 302
    assert client.post(step(p, "submit_reply")).status_code == 302

    as_user(client, personas["head_a"])
    assert client.post(step(p, "approve_reply")).status_code == 302
    as_user(client, personas["handler_a"])
    assert client.post(step(p, "send_reply")).status_code == 302
    assert fresh(p).state == S.REPLIED
    return text


def test_an_item_handled_page_by_page_over_two_rounds(client, personas, units, session):
    p = register(personas, session, 123, "关于增加城区学位供给的建议")

    # 交办 by the office: lead unit A, co-unit B.
    as_user(client, personas["secretary"])
    response = client.post(
        step(p, "assign"), {"assign-lead_unit": units["a"].pk, "assign-co_units": [units["b"].pk]}
    )
    assert response.status_code == 302
    p = fresh(p)
    assert (p.state, p.lead_unit, p.deadline) == (S.ASSIGNED, units["a"], add_months(today(), 3))

    # 接收 by the lead unit; the phone of the proposer is shown to it.
    as_user(client, personas["handler_a"])
    body = client.get(page(p)).content.decode()
    assert "确认接收" in body and "确认申请调整" in body and "13800000001" in body
    assert client.post(step(p, "accept")).status_code == 302
    assert fresh(p).state == S.HANDLING

    # 会办意见 by unit B as co-unit.
    as_user(client, personas["handler_b"])
    body = client.get(page(p)).content.decode()
    assert "确认会办意见" in body and "确认接收" not in body
    response = client.post(
        step(p, "co_opinion"), {"co_opinion-text": "我局将配合做好学校配套建设。"}
    )
    assert response.status_code == 302

    # The lead unit drafts a B-class reply from its template, filled with the proposer's name.
    as_user(client, personas["handler_a"])
    response = client.get(page(p), {"template": "B"})
    body = response.content.decode()
    assert "张明代表：" in body
    assert (
        "您在十六届人大三次会议期间提出的《关于增加城区学位供给的建议》（建议第0123号）收悉" in body
    )
    assert "已列入我单位工作计划，正在逐步解决" in body
    draft = next(row for row in response.context["steps"] if row["name"] == "draft_reply")
    assert draft["form"].initial["reply_class"] == "B"
    text = draft["form"].initial["body"].replace("……", "已将城区学位建设列入明年计划。", 1)

    # An empty body is refused, the class kept.
    response = client.post(
        step(p, "draft_reply"), {"draft_reply-reply_class": "B", "draft_reply-body": " "}
    )
    assert response.status_code == 400
    assert "请填写答复内容" in response.content.decode()
    draft = next(row for row in response.context["steps"] if row["name"] == "draft_reply")
    assert draft["form"]["reply_class"].value() == "B"

    response = client.post(
        step(p, "draft_reply"), {"draft_reply-reply_class": "B", "draft_reply-body": text}
    )
    assert response.status_code == 302

    # 提交答复 is refused before a contact with the proposer is recorded.
    body = client.get(page(p)).content.decode()
    assert "不能提交答复" in body and "尚未记录与领衔人的沟通联系" in body
    response = client.post(step(p, "submit_reply"))
    assert response.status_code == 400
    assert "不能提交答复：尚未记录与领衔人的沟通联系。" in response.content.decode()
    assert fresh(p).state == S.HANDLING

    # A contact dated tomorrow is refused with the input kept; today's is recorded.
    response = _contact(
        client, p, **{"contact-contacted_on": (today() + datetime.timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "联系日期不能晚于今天" in body and "登门听取意见，介绍学位建设计划。" in body
    assert _contact(client, p).status_code == 302
    assert client.post(step(p, "submit_reply")).status_code == 302
    assert fresh(p).state == S.REPLY_SUBMITTED

    # The head returns without an opinion (refused), then signs it off.
    as_user(client, personas["head_a"])
    response = client.post(step(p, "return_reply"), {"return_reply-opinion": ""})
    assert response.status_code == 400
    assert "退回须填写意见" in response.content.decode()
    assert client.post(step(p, "approve_reply")).status_code == 302
    assert fresh(p).state == S.REPLY_APPROVED

    # 答复 by the lead unit.
    as_user(client, personas["handler_a"])
    assert client.post(step(p, "send_reply")).status_code == 302
    p = fresh(p)
    assert (p.state, p.replied_on) == (S.REPLIED, today())
    letter = p.replies.get(round=1)
    assert (letter.reply_class, letter.signed_by, letter.sent_on) == (
        "B",
        personas["head_a"],
        today(),
    )

    # The office enters 不满意 from the returned form: 重新办理, round 2, a new deadline.
    as_user(client, personas["secretary"])
    body = client.get(page(p)).content.decode()
    assert "确认录入评价" in body
    assert "领衔人在线评价链接" in body
    link = reverse("proposals:rate-by-link", args=[flow.rating_token(p)])
    assert f"http://testserver{link}" in body
    assert reverse("proposals:reply-pdf", args=[p.pk, 1]) in body
    response = client.post(
        step(p, "rate"),
        {"rate-attitude": "satisfied", "rate-result": "dissatisfied", "rate-remarks": "进度太慢。"},
    )
    assert response.status_code == 302
    p = fresh(p)
    assert (p.state, p.round, p.deadline) == (S.HANDLING, 2, add_months(today(), 1))
    rating = p.ratings.get(round=1)
    assert (rating.channel, rating.entered_by) == (Rating.Channel.OFFICE, personas["secretary"])

    # Round 2: the page keeps round 1 and shows the new round.
    as_user(client, personas["handler_a"])
    body = client.get(page(p)).content.decode()
    assert "重新办理（第2轮）" in body and "办理结果 <strong>不满意</strong>" in body
    assert "尚未收到会办意见：珠海市住房和城乡建设局" in body
    _handle_round(client, personas, p, co_text="我局已安排专项资金。", reply_class="A")

    as_user(client, personas["secretary"])
    response = client.post(
        step(p, "rate"), {"rate-attitude": "satisfied", "rate-result": "satisfied"}
    )
    assert response.status_code == 302
    p = fresh(p)
    assert (p.state, p.closed_on) == (S.CLOSED, today())
    body = client.get(page(p)).content.decode()
    assert 'id="rating-1"' in body and 'id="rating-2"' in body
    assert "B类" in body and "A类" in body
    actions = list(events(p).values_list("action", flat=True))
    assert actions.count("send_reply") == 2 and "rehandle" in actions and "close" in actions


def test_a_handling_unit_can_never_enter_a_rating(client, personas, units, session):
    p = handling(personas, units, session, 1, co=("b",))
    _handle_round(client, personas, p, co_text="同意主办单位意见。")
    for who in ("handler_a", "head_a", "handler_b"):
        as_user(client, personas[who])
        assert client.get(page(p)).status_code == 200
        assert "录入评价" not in client.get(page(p)).content.decode()
        response = client.post(
            step(p, "rate"), {"rate-attitude": "satisfied", "rate-result": "satisfied"}
        )
        assert response.status_code == 403
    assert not Rating.objects.exists()
    assert fresh(p).state == S.REPLIED


def test_reassignment_inside_the_window_and_the_office_decides(client, personas, units, session):
    p = assigned(personas, units, session, 1)
    as_user(client, personas["handler_a"])
    response = client.post(
        step(p, "request_reassignment"),
        {"request_reassignment-reason": "", "request_reassignment-suggested_unit": units["b"].pk},
    )
    assert response.status_code == 400
    assert "请说明申请调整的理由" in response.content.decode()
    response = client.post(
        step(p, "request_reassignment"),
        {
            "request_reassignment-reason": "学位建设属住建部门职责。",
            "request_reassignment-suggested_unit": units["b"].pk,
        },
    )
    assert response.status_code == 302
    assert fresh(p).state == S.REASSIGNMENT_REQUESTED

    as_user(client, personas["secretary"])
    response = client.get(page(p))
    body = response.content.decode()
    assert "学位建设属住建部门职责。" in body and "待审核" in body
    approve = next(
        row for row in response.context["steps"] if row["name"] == "approve_reassignment"
    )
    assert approve["form"]["lead_unit"].value() == units["b"].pk
    response = client.post(step(p, "reject_reassignment"), {"reject_reassignment-opinion": ""})
    assert response.status_code == 400
    assert "不同意调整须说明理由" in response.content.decode()
    response = client.post(
        step(p, "approve_reassignment"),
        {"approve_reassignment-lead_unit": units["b"].pk, "approve_reassignment-opinion": "同意。"},
    )
    assert response.status_code == 302
    p = fresh(p)
    assert (p.state, p.lead_unit) == (S.ASSIGNED, units["b"])
    assert "同意调整" in as_user(client, personas["handler_b"]).get(page(p)).content.decode()
    assert as_user(client, personas["handler_a"]).get(page(p)).status_code == 404


def test_reassignment_outside_the_window_is_refused(client, personas, units, session):
    p = assigned(personas, units, session, 1)
    Proposal.objects.filter(pk=p.pk).update(reassign_until=today() - datetime.timedelta(days=1))
    as_user(client, personas["handler_a"])
    body = client.get(page(p)).content.decode()
    assert "确认接收" in body and "确认申请调整" not in body
    response = client.post(
        step(p, "request_reassignment"), {"request_reassignment-reason": "不属于本单位职责。"}
    )
    assert response.status_code == 400
    assert "已超过期限" in response.content.decode()
    assert fresh(p).state == S.ASSIGNED


def test_steps_are_refused_to_those_they_do_not_belong_to(client, personas, units, session):
    p = assigned(personas, units, session, 1, co=("b",))
    as_user(client, personas["handler_b"])
    assert client.post(step(p, "accept")).status_code == 403
    assert client.post(step(p, "assign"), {"assign-lead_unit": units["b"].pk}).status_code == 403
    as_user(client, personas["handler_a"])
    assert client.post(step(p, "approve_reply")).status_code == 403
    assert client.post(f"{page(p)}nonsense/").status_code == 404
    # A step whose state has passed comes back as a message, not a 500.
    as_user(client, personas["secretary"])
    response = client.post(step(p, "assign"), {"assign-lead_unit": units["b"].pk})
    assert response.status_code == 400
    assert "当前状态为“已交办”，不能执行“交办”" in response.content.decode()


def test_the_proposers_phone_is_for_the_office_and_the_handling_units(
    client, personas, units, session
):
    p = assigned(personas, units, session, 1, is_key=True, key_leader=personas["leader"])
    assert "13800000001" in as_user(client, personas["secretary"]).get(page(p)).content.decode()
    body = as_user(client, personas["leader"]).get(page(p)).content.decode()
    assert "张明" in body and "13800000001" not in body


def test_scans_download_for_those_who_see_the_item(client, personas, units, session):
    p = assigned(personas, units, session, 1)
    scan = Scan(
        proposal=p,
        name="原件.pdf",
        media_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=personas["secretary"],
    )
    scan.file.save("scan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    url = reverse("proposals:scan-file", args=[scan.pk])
    assert url in as_user(client, personas["handler_a"]).get(page(p)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert as_user(client, personas["handler_b"]).get(url).status_code == 404


def test_merged_items_are_shown_side_by_side(client, personas, units, session, cppcc):
    from proposals.services import merge

    one = assigned(personas, units, session, 1)
    other = assigned(personas, units, cppcc, 7, "关于扩充学位的提案", kind="proposal")
    merge([one, other], actor=personas["secretary"])
    body = as_user(client, personas["handler_a"]).get(page(one)).content.decode()
    assert "并案办理" in body and "十三届政协三次会议 提案第0007号" in body


# --- 工作台 ---------------------------------------------------------------------------------------


def test_the_desk_shows_each_persona_their_work(client, personas, units, session):
    register(personas, session, 1, "关于建设社区食堂的建议")
    waiting = assigned(personas, units, session, 2, co=("b",))
    in_hand = handling(personas, units, session, 3, is_key=True, key_leader=personas["leader"])

    def labels(user):
        return {(row.title.split(" ")[0], row.state_label) for row in proposals_desk_items(user)}

    assert ("建议第0001号", "待交办") in labels(personas["secretary"])
    unit_a = labels(personas["handler_a"])
    assert any(t == "建议第0002号" and s.startswith("待接收") for t, s in unit_a)
    assert ("建议第0003号", "办理中") in unit_a
    assert ("建议第0002号", "待提交会办意见") in labels(personas["handler_b"])
    assert labels(personas["leader"]) == {("建议第0003号", "领办重点（办理中）")}
    assert labels(personas["outsider"]) == set()
    desk = as_user(client, personas["handler_a"]).get(reverse("office:desk")).content.decode()
    assert "建议第0002号 关于增加城区学位供给的建议" in desk

    flow.give_co_opinion(waiting, actor=personas["handler_b"], text="同意。")
    assert ("建议第0002号", "待提交会办意见") not in labels(personas["handler_b"])
    flow.record_contact(
        in_hand,
        actor=personas["handler_a"],
        contacted_on=today(),
        way="phone",
        people="张明",
        content="电话沟通。",
    )
    flow.draft_reply(in_hand, actor=personas["handler_a"], reply_class="A", body="答复。")
    flow.submit_reply(in_hand, actor=personas["handler_a"])
    assert ("建议第0003号", "待签发答复") in labels(personas["head_a"])


# --- query budgets -----------------------------------------------------------------------------


def test_the_list_stays_within_its_query_budget(
    client, personas, units, session, django_assert_max_num_queries
):
    for number in range(1, 41):
        assigned(personas, units, session, number, f"关于第{number}项民生实事的建议", co=("b",))
    as_user(client, personas["secretary"])
    client.get(LIST)
    with django_assert_max_num_queries(20):
        response = client.get(LIST, {"q": "民生"})
    assert len(listed(response)) == 40
    as_user(client, personas["handler_a"])
    client.get(LIST)
    with django_assert_max_num_queries(20):
        response = client.get(LIST, {"state": "in_hand"})
    assert len(listed(response)) == 40


def test_the_page_stays_within_its_query_budget(
    client, personas, units, session, django_assert_max_num_queries
):
    p = handling(personas, units, session, 1, co=("b",))
    _handle_round(client, personas, p, co_text="同意。")
    as_user(client, personas["secretary"])
    with django_assert_max_num_queries(25):
        response = client.get(page(p))
    assert response.status_code == 200
