"""The printable 会议通知 (meetings.pdf.notice_context / render_notice), read back with pdfplumber
from a real WeasyPrint render: the title 「关于召开××的通知」 in 二号小标宋 on the first line, the
主送 line, 时间 with the weekday and 上午9:00, 地点, 主持, the topics in agenda order with their
汇报单位, 出席 / 列席, 有关要求, 联系人 with the phone, the office and date at the bottom right;
the view is for those who can see the meeting (404 for anyone else), linked from its page."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from meetings import pdf
from meetings.models import Room, Topic
from meetings.scheduling import MeetingPlan, meeting_schedule
from tests.meetings.test_minutes_pages import login, make_people
from tests.meetings.test_minutes_pdf import read, text, text_lines
from tests.meetings.test_topic_workflow import Build
from tests.office.test_pdf_layout import BOTTOM, LEFT, RIGHT, SIZE_TOLERANCE, close

TITLES = ("关于调整全市中小学课后服务收费标准的请示", "关于新建市第三人民医院项目的请示")


@pytest.fixture(autouse=True)
def pdf_settings(tmp_path):
    with override_settings(PDF_CACHE_DIR=tmp_path / "pdf-cache", OFFICIAL_FONTS_DIR=""):
        yield


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


@pytest.fixture
def meeting(build, personas, units):
    """市政府第12次常务会议 on Tuesday 26 November 2030 at 9:00 in 市政府第一会议室, presided by
    李副市长; two topics of unit A (市教育局) in order; 张市长 and 黄副市长 attend, 赵督查 and
    unit A's head observe; scheduled by 王秘书, whose phone is recorded."""
    people = make_people(units)
    secretary = personas["secretary"]
    secretary.phone = "0756-2121234"
    secretary.save(update_fields=["phone"])
    topics = []
    for title in TITLES:
        topic = build.admitted()
        Topic.objects.filter(pk=topic.pk).update(title=title)
        topic.title = title
        topics.append(topic)
    starts = timezone.make_aware(datetime.datetime(2030, 11, 26, 9, 0))
    room = Room.objects.create(name="市政府第一会议室", location="市政府大楼三楼")
    return meeting_schedule(
        MeetingPlan(
            meeting_type=build.executive,
            title="市政府第12次常务会议",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            room=room,
            presider=personas["leader"],
            topics=tuple(topics),
            attendees=(people["mayor"], people["vice"]),
            observers=(personas["supervisor"],),
        ),
        actor=secretary,
    )


def type_area_lines(pages):
    """The chars of each line inside the type area (not the page numbers below it), top down."""
    return [chars for p in pages for _, chars in text_lines(p) if chars[0]["top"] < BOTTOM]


def test_notice_time_is_written_as_a_notice_writes_it():
    at = timezone.make_aware
    assert pdf.notice_time(at(datetime.datetime(2026, 11, 24, 9, 0))) == (
        "2026年11月24日（星期二）上午9:00"
    )
    assert pdf.notice_time(at(datetime.datetime(2026, 11, 29, 14, 30))) == (
        "2026年11月29日（星期日）下午2:30"
    )
    assert pdf.notice_time(at(datetime.datetime(2026, 11, 23, 12, 0))) == (
        "2026年11月23日（星期一）中午12:00"
    )
    assert pdf.notice_time(at(datetime.datetime(2026, 11, 23, 19, 5))) == (
        "2026年11月23日（星期一）晚上7:05"
    )


def test_the_notice_prints_title_time_room_topics_in_order_people_and_contact(meeting):
    pages = read(pdf.render_notice(meeting))
    rows = type_area_lines(pages)
    found = [text(chars) for chars in rows]
    joined = "".join(found)

    # The title: 二号 (22 pt) 小标宋, centred, on the first line.
    first = text_lines(pages[0])[0][1]
    assert text(first) == "关于召开市政府第12次常务会议的通知"
    assert all(abs(c["size"] - 22) <= SIZE_TOLERANCE for c in first)
    assert close((first[0]["x0"] + first[-1]["x1"]) / 2, (LEFT + RIGHT) / 2)

    # 主送: the units of everyone invited, once each, flush left.
    addressee = next(chars for _, chars in text_lines(pages[0]) if text(chars).endswith("："))
    assert text(addressee).startswith("珠海市人民政府、")
    assert "珠海市教育局" in text(addressee) and "珠海市人民政府办公室" in text(addressee)
    assert close(addressee[0]["x0"], LEFT)

    assert "经研究，定于2030年11月26日（星期二）上午9:00召开市政府第12次常务会议。" in joined
    assert "一、会议时间" in found and "2030年11月26日（星期二）上午9:00。" in found
    assert "二、会议地点" in found and "市政府第一会议室（市政府大楼三楼）。" in found
    assert "副市长李副市长。" in found
    first_topic = joined.index(f"1.{TITLES[0]}（汇报单位：珠海市教育局）")
    second_topic = joined.index(f"2.{TITLES[1]}（汇报单位：珠海市教育局）")
    assert first_topic < second_topic
    assert "出席：李副市长、张市长、黄副市长。" in joined
    assert "列席：市府办赵督查，市教育局周局长。" in joined
    assert "在系统中请假" in joined and "代会人员" in joined and "携带会议材料" in joined
    assert "王秘书（秘书科），联系电话：0756-2121234。" in joined

    # The issuing office and the date it was scheduled, at the right, after the text.
    today = timezone.localdate(meeting.created_at)
    date = f"{today.year}年{today.month}月{today.day}日"
    assert found[-2:] == ["珠海市人民政府办公室", date]
    assert rows[-1][0]["x0"] > (LEFT + RIGHT) / 2
    # 三号 text below the title.
    body = [c for chars in rows[1:] for c in chars]
    assert all(abs(c["size"] - 16) <= SIZE_TOLERANCE for c in body)


def test_the_notice_view_is_for_those_who_see_the_meeting(client, meeting, personas):
    url = reverse("meetings:meeting-notice-pdf", args=[meeting.pk])
    login(client, personas["head_a"])  # invited (列席)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    page = client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()
    assert url in page and "打印会议通知" in page
    for outsider in ("outsider", "handler_b"):  # not invited: no such meeting for them
        login(client, personas[outsider])
        assert client.get(url).status_code == 404
