"""届次设置 (issue 7 item 1): the office creates and edits sessions with their deadline rules and
reply classes (a preset or its own lines); bad lines are named; only the office gets in."""

import datetime

from django.urls import reverse

from proposals.forms_intake import NATIONAL_NPC_REPLY_CLASSES
from proposals.models import DEFAULT_REPLY_CLASSES, Session
from tests.proposals import intake_helpers
from tests.proposals.intake_helpers import text
from tests.steps import events

# The intake tests' fixtures (sessions of one year, the office's client, files in tmp).
office_client = intake_helpers.office_client
sessions = intake_helpers.sessions

LIST = reverse("proposals:session-list")
NEW = reverse("proposals:session-new")


def data(**extra):
    return {
        "body": "npc",
        "name": "十六届人大四次会议",
        "year": "2027",
        "opened_on": "2027-01-18",
        "closed_on": "2027-01-21",
        "reply_months": "3",
        "key_reply_months": "2",
        "reassignment_working_days": "5",
        "rehandle_months": "1",
        "liaison_body": "市人大常委会代表工作室",
        "is_active": "on",
        "preset": "default",
        **extra,
    }


def test_a_session_is_created_with_a_preset(office_client, personas):
    response = office_client.post(NEW, data(preset="national"), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "已保存“十六届人大四次会议”。" in text(response)
    session = Session.objects.get()
    assert session.reply_classes == NATIONAL_NPC_REPLY_CLASSES
    assert (session.key_reply_months, session.closed_on) == (2, datetime.date(2027, 1, 21))
    assert events(session, "session_create").get().actor == personas["secretary"]
    assert "A类、B类、C类、D类" in text(response)


def test_reply_classes_as_lines_and_their_mistakes(office_client):
    lines = "A 所提问题已经解决或基本解决\nB：正在解决\n\nc类 留作参考"
    office_client.post(NEW, data(preset="custom", classes=lines))
    assert Session.objects.get().reply_classes == [
        {"code": "A", "label": "所提问题已经解决或基本解决"},
        {"code": "B", "label": "正在解决"},
        {"code": "C", "label": "留作参考"},
    ]
    response = office_client.post(
        NEW, data(name="另一会次", preset="custom", classes="A 已解决\n只有说明没有代码")
    )
    assert response.status_code == 400
    assert "第2行应为“代码 说明”" in text(response)
    assert "只有说明没有代码" in text(response)  # the input is kept
    response = office_client.post(NEW, data(name="又一会次", preset="custom", classes="A 甲\nA 乙"))
    assert response.status_code == 400 and "答复分类须有代码且互不相同" in text(response)
    assert Session.objects.count() == 1


def test_a_session_is_edited(office_client, sessions, django_assert_max_num_queries):
    npc = sessions["npc"]
    edit = reverse("proposals:session-edit", args=[npc.pk])
    page = text(office_client.get(edit))
    assert "十六届人大三次会议" in page
    response = office_client.post(
        edit, data(name="十六届人大三次会议", year="2026", reply_months="2"), follow=True
    )
    npc.refresh_from_db()
    assert npc.reply_months == 2 and npc.reply_classes == DEFAULT_REPLY_CLASSES
    assert "交办后 2 个月" in text(response)
    with django_assert_max_num_queries(10):
        assert office_client.get(LIST).status_code == 200


def test_closing_before_opening_is_refused(office_client):
    response = office_client.post(NEW, data(closed_on="2027-01-01"))
    assert response.status_code == 400 and "闭幕日期不能早于开幕日期。" in text(response)


def test_only_the_office_sets_sessions(client, personas, sessions):
    for name in ("handler_a", "head_a", "leader", "outsider"):
        client.force_login(personas[name])
        assert client.get(LIST).status_code == 403
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, data()).status_code == 403
        edit = reverse("proposals:session-edit", args=[sessions["npc"].pk])
        assert client.get(edit).status_code == 403
        similar = reverse("proposals:session-similar", args=[sessions["npc"].pk])
        assert client.get(similar).status_code == 403
    assert Session.objects.count() == 2
