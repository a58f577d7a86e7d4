"""会议纪要 pages through the browser's eyes (Django's test client): a secretary drafts the minutes
of a held meeting, writes the text and two decided items, sends them to the presider, who signs
them off (2026年第1期 on the page); then 印发 and 归档. Refusals keep the input or come back as a
message; a unit the minutes do not concern gets 404; the list shows only visible minutes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import attendance
from meetings import minutes as mins
from meetings import workflow as flow
from meetings.models import DecidedItem, Minutes, Room
from meetings.scheduling import MeetingPlan, meeting_schedule
from office.roles import Role
from tests.conftest import make_unit, make_user
from tests.meetings.test_topic_workflow import Build
from tests.steps import events, fresh, told

S = Minutes.State


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


@pytest.fixture
def unit_c(units):
    return make_unit("珠海市财政局", "市财政局")


@pytest.fixture
def people(units):
    return make_people(units)


def make_people(units):
    """Two more members (one on leave, with a substitute) for the 出席 / 请假 lines."""
    return {
        "mayor": make_user(
            "shizhang", "张市长", unit=units["government"], roles=[Role.LEADER], title="市长"
        ),
        "vice": make_user(
            "huang", "黄副市长", unit=units["government"], roles=[Role.LEADER], title="副市长"
        ),
        "deputy": make_user(
            "wu", "吴副秘书长", unit=units["office"], roles=[Role.LEADER], title="副秘书长"
        ),
    }


def held_meeting(build, personas, people, *, title="市政府第12次常务会议", hours_ago=3):
    """A held executive meeting: presided by 李副市长, 张市长 and 黄副市长 invited (黄 on leave,
    吴副秘书长 standing in), 赵督查 observing with unit A's head (the topic's reporting unit)."""
    starts = timezone.now() - datetime.timedelta(hours=hours_ago)
    room, _ = Room.objects.get_or_create(name="市政府第一会议室")
    meeting = meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            room=room,
            presider=personas["leader"],
            topics=(build.admitted(),),
            attendees=(people["mayor"], people["vice"]),
            observers=(personas["supervisor"],),
        ),
        actor=personas["secretary"],
    )
    vice = meeting.attendances.get(person=people["vice"])
    attendance.answer(
        vice, actor=people["vice"], attends=False, reason="出差", substitute=people["deputy"]
    )
    flow.hold(meeting, actor=personas["secretary"])
    return fresh(meeting)


def login(client, user):
    client.force_login(user)
    return client


def edit_data(minutes, items, *, body="会议研究了课后服务收费标准调整方案。", extra=2):
    """The edit form's POST: the body and the decided-item formset (items: dicts of fields)."""
    rows = [*items, *[{} for _ in range(extra)]]
    data = {
        "body": body,
        "decisions-TOTAL_FORMS": str(len(rows)),
        "decisions-INITIAL_FORMS": str(minutes.decided_items.count()),
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"decisions-{index}-{name}"] = value
    return data


def two_items(minutes, personas, units, unit_c):
    agenda_item = minutes.meeting.agenda.get()
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    return [
        {
            "content": "由市教育局牵头制定课后服务收费标准实施方案，报市政府审定。",
            "agenda_item": str(agenda_item.pk),
            "lead_unit": str(units["a"].pk),
            "co_units": [str(unit_c.pk)],
            "leader": str(personas["leader"].pk),
            "deadline": deadline.isoformat(),
        },
        {
            "content": "市财政局做好资金保障。",
            "agenda_item": "",
            "lead_unit": str(unit_c.pk),
            "co_units": [],
            "leader": str(personas["leader"].pk),
            "deadline": (deadline + datetime.timedelta(days=30)).isoformat(),
        },
    ]


def draft_through_pages(client, build, personas, people):
    meeting = held_meeting(build, personas, people)
    login(client, personas["secretary"])
    response = client.post(reverse("meetings:minutes-new", args=[meeting.pk]))
    minutes = Minutes.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:minutes-edit", args=[minutes.pk])
    return minutes


def test_the_whole_flow_through_the_pages(client, build, personas, people, units, unit_c):
    year = timezone.localdate().year
    minutes = draft_through_pages(client, build, personas, people)
    edit_url = reverse("meetings:minutes-edit", args=[minutes.pk])
    detail_url = reverse("meetings:minutes-detail", args=[minutes.pk])

    page = client.get(edit_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "主持召开市政府第12次常务会议" in body  # pre-filled from the agenda
    assert "关于调整全市中小学课后服务收费标准的请示" in body  # the agenda item to choose
    assert 'class="pick-many' in body  # 协办单位 picker

    response = client.post(
        edit_url, edit_data(minutes, two_items(minutes, personas, units, unit_c))
    )
    assert response.status_code == 302 and response["Location"] == detail_url
    items = list(fresh(minutes).decided_items.order_by("position"))
    assert [(i.position, i.lead_unit, i.agenda_item_id is not None) for i in items] == [
        (1, units["a"], True),
        (2, unit_c, False),
    ]
    assert list(items[0].co_units.all()) == [unit_c]
    assert fresh(minutes).body == "会议研究了课后服务收费标准调整方案。"

    # Saving the edit page again unchanged (the saved rows as initial forms) keeps one set.
    minutes = fresh(minutes)
    again = edit_data(minutes, two_items(minutes, personas, units, unit_c), extra=1)
    assert client.post(edit_url, again).status_code == 302
    assert DecidedItem.objects.filter(minutes=minutes).count() == 2

    page = client.get(detail_url).content.decode()
    assert 'data-step="submit"' in page and 'data-step="sign_off"' not in page
    assert "由市教育局牵头制定课后服务收费标准实施方案" in page and "珠海市财政局" in page

    assert client.post(f"{detail_url}submit/").status_code == 302
    assert fresh(minutes).state == S.IN_REVIEW
    assert told(personas["leader"], minutes, "请审签纪要")

    login(client, personas["leader"])
    page = client.get(detail_url).content.decode()
    assert 'data-step="sign_off"' in page and 'data-step="return_minutes"' in page
    assert client.post(f"{detail_url}sign_off/").status_code == 302
    page = client.get(detail_url).content.decode()
    assert f"{year}年第1期" in page and "已签发" in page
    assert "签发" in [e.action_label for e in events(minutes)]

    login(client, personas["secretary"])
    page = client.get(detail_url).content.decode()
    assert 'data-step="dispatch"' in page and 'id="edit-minutes"' not in page
    assert client.post(f"{detail_url}dispatch/").status_code == 302
    assert told(personas["handler_a"], minutes, "会议纪要印发")
    assert client.post(f"{detail_url}file/").status_code == 302
    minutes = fresh(minutes)
    assert minutes.state == S.FILED and minutes.filed_on == timezone.localdate()
    page = client.get(detail_url).content.decode()
    assert "已归档" in page and "流转记录" in page and "data-step=" not in page
    actions = [e.action for e in events(minutes)]
    assert actions == [
        "draft_minutes",
        "revise_minutes",
        "revise_minutes",
        "submit",
        "sign_off",
        "dispatch",
        "file",
    ]


def test_refusals_keep_the_input(client, build, personas, people, units, unit_c):
    minutes = draft_through_pages(client, build, personas, people)
    edit_url = reverse("meetings:minutes-edit", args=[minutes.pk])
    items = two_items(minutes, personas, units, unit_c)
    items[1]["deadline"] = ""  # minutes.revise: every item needs its deadline
    response = client.post(edit_url, edit_data(minutes, items, body="改过的正文。"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "第2项议定事项须有责任单位、责任领导和完成时限" in page
    assert "改过的正文。" in page and "市财政局做好资金保障。" in page
    assert not DecidedItem.objects.exists() and "改过的" not in fresh(minutes).body

    # A filled row without content is an input error; the rest is kept.
    items = two_items(minutes, personas, units, unit_c)
    items[0]["content"] = ""
    response = client.post(edit_url, edit_data(minutes, items))
    assert response.status_code == 400 and "市财政局做好资金保障。" in response.content.decode()

    # 退回修改 needs an opinion: the step's form comes back open, nothing moves.
    detail_url = reverse("meetings:minutes-detail", args=[minutes.pk])
    client.post(f"{detail_url}submit/")
    login(client, personas["leader"])
    response = client.post(f"{detail_url}return_minutes/", {"return_minutes-opinion": ""})
    assert response.status_code == 400 and fresh(minutes).state == S.IN_REVIEW
    response = client.post(
        f"{detail_url}return_minutes/", {"return_minutes-opinion": "第二项请写明资金来源。"}
    )
    assert response.status_code == 302 and fresh(minutes).state == S.RETURNED

    # A step in the wrong state is a message on the page, not a 500.
    login(client, personas["secretary"])
    response = client.post(f"{detail_url}dispatch/")
    assert response.status_code == 400
    assert "当前状态为“退回修改”，不能执行“印发”" in response.content.decode()
    # A step the user may not take: 403 (the secretary is not the presider).
    client.post(f"{detail_url}submit/")
    assert client.post(f"{detail_url}sign_off/").status_code == 403
    assert fresh(minutes).state == S.IN_REVIEW
    # Signed minutes are no longer editable: back to the page with a message.
    mins.sign_off(fresh(minutes), actor=personas["leader"])
    response = client.get(edit_url, follow=True)
    assert "只有起草中或退回修改的纪要可以修改" in response.content.decode()
    assert client.post(f"{detail_url}unknown/").status_code == 404


def test_drafting_is_refused_before_the_meeting_and_for_non_secretaries(
    client, build, personas, people
):
    meeting = held_meeting(build, personas, people)
    login(client, personas["leader"])
    assert client.post(reverse("meetings:minutes-new", args=[meeting.pk])).status_code == 403
    login(client, personas["secretary"])
    assert client.get(reverse("meetings:minutes-new", args=[meeting.pk])).status_code == 405
    client.post(reverse("meetings:minutes-new", args=[meeting.pk]))
    response = client.post(reverse("meetings:minutes-new", args=[meeting.pk]), follow=True)
    assert "该会议已有纪要" in response.content.decode()
    assert Minutes.objects.filter(meeting=meeting).count() == 1


def signed_minutes(build, personas, people, units, unit_c, *, title="市政府第12次常务会议"):
    minutes = mins.draft(
        held_meeting(build, personas, people, title=title), actor=personas["secretary"]
    )
    mins.revise(
        minutes,
        actor=personas["secretary"],
        body="正文。",
        decisions=[
            mins.Decision(
                content="制定实施方案。",
                lead_unit=units["a"],
                leader=personas["leader"],
                deadline=timezone.localdate() + datetime.timedelta(days=30),
                co_units=(unit_c,),
            )
        ],
    )
    mins.submit(minutes, actor=personas["secretary"])
    mins.sign_off(minutes, actor=personas["leader"])
    return fresh(minutes)


def test_a_unit_not_concerned_gets_404(client, build, personas, people, units, unit_c):
    minutes = signed_minutes(build, personas, people, units, unit_c)
    urls = [
        reverse("meetings:minutes-detail", args=[minutes.pk]),
        reverse("meetings:minutes-pdf", args=[minutes.pk]),
        reverse("meetings:minutes-edit", args=[minutes.pk]),
        reverse("meetings:meeting-agenda-pdf", args=[minutes.meeting_id]),
        reverse("meetings:meeting-sign-in-sheet-pdf", args=[minutes.meeting_id]),
    ]
    login(client, personas["handler_b"])  # 市住建局: neither on the items nor invited
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"{urls[0]}dispatch/").status_code == 404
    assert (
        client.post(reverse("meetings:minutes-new", args=[minutes.meeting_id])).status_code == 404
    )
    # Unit A (the responsible unit) sees the minutes, but takes no step.
    login(client, personas["handler_a"])
    page = client.get(urls[0])
    assert page.status_code == 200 and "data-step=" not in page.content.decode()
    assert client.post(f"{urls[0]}dispatch/").status_code == 403


def test_the_list_by_series_and_year_shows_only_visible_minutes(
    client, build, personas, people, units, unit_c, django_assert_max_num_queries
):
    year = timezone.localdate().year
    signed = signed_minutes(build, personas, people, units, unit_c)
    draft = mins.draft(
        held_meeting(build, personas, people, title="市政府第13次常务会议", hours_ago=30),
        actor=personas["secretary"],
    )
    url = reverse("meetings:minutes-list")
    login(client, personas["secretary"])
    with django_assert_max_num_queries(16):
        page = client.get(url, {"series": build.executive.pk, "year": year}).content.decode()
    assert f"{year}年第1期" in page and "市政府第13次常务会议" in page
    other_year = client.get(url, {"year": year - 1}).content.decode()
    assert "这里没有会议纪要" in other_year

    login(client, personas["handler_b"])
    assert "这里没有会议纪要" in client.get(url).content.decode()
    login(client, personas["handler_a"])
    page = client.get(url).content.decode()
    assert f"{year}年第1期" in page and "市政府第13次常务会议" not in page
    assert reverse("meetings:minutes-detail", args=[signed.pk]) in page
    assert reverse("meetings:minutes-detail", args=[draft.pk]) not in page


def test_keyset_pages(client, build, personas, people, units, unit_c, monkeypatch):
    from meetings.views import minutes as views

    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 1)
    signed_minutes(build, personas, people, units, unit_c)
    mins.draft(
        held_meeting(build, personas, people, title="市政府第13次常务会议", hours_ago=30),
        actor=personas["secretary"],
    )
    login(client, personas["secretary"])
    url = reverse("meetings:minutes-list")
    first = client.get(url)
    assert first.context["page"].has_next
    second = client.get(url, {"after": first.context["page"].next_cursor})
    assert [m.pk for m in first.context["rows"]] != [m.pk for m in second.context["rows"]]
    assert client.get(url, {"after": "garbage!"}).status_code == 400
