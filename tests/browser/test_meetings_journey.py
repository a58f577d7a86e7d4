"""办会 end to end in headless Chromium: unit A's handler submits a topic with its material, the
secretary asks unit B (会前协调), unit B agrees, the secretary closes the coordination, the legal
adviser finds it lawful (合法性审查) and it enters the pool (不成熟不上会); the secretary schedules
a 市政府常务会议 with it, an attendee asks for leave, the secretary records the meeting as held and
drafts the minutes with one decided item, the presiding leader signs them off (the issue number
is taken), and the minutes PDF carries the mark, the issue, the decided item and the 请假 line.

Each person signs in through the login page and navigates by the sidebar (议题, 会议, 会议纪要),
the way the office works; every step is a button that opens its form, then the form's 确认 button.

Not yet covered: the decided item's 督办事项 in the supervision ledger — the ledger does not
exist yet; add that check to step 7 when supervision/ lands.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import LegalAdviser, MeetingType, Room
from office.roles import Role
from tests.browser.test_incoming_journey import (
    PDF,
    expect_message,
    field,
    nav,
    sign_in,
    sign_out,
    take_step,
)
from tests.browser.test_outgoing_journey import pdf_pages_text
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("patient_expectations"),
]

MEETING_TYPE = "市政府常务会议"
MINUTES_TITLE = "市政府常务会议纪要"
ROOM = "市政府第一会议室"
UNIT_A = "珠海市教育局"
UNIT_B = "珠海市住房和城乡建设局"
LEADER = "李副市长（副市长）"  # as the pickers show a person with a title
TOPIC = "关于调整全市中小学课后服务收费标准的请示"
SUMMARY = "提请市政府常务会议审议课后服务收费标准调整方案。"
MATERIAL = "课后服务收费标准调整方案.pdf"
MEETING = "市政府第1次常务会议"
LEAVE_REASON = "赴省里参加专项督查反馈会。"
DECISION = "原则同意课后服务收费标准调整方案，由市教育局会同相关部门抓紧印发实施"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"


@pytest.fixture
def office_setup(personas, units):
    """The 市政府常务会议 series (its minutes' mark, presided by default by the leader), a
    meeting room, and the legal adviser 周律师 (as tests/meetings/test_topic_workflow.Build)."""
    lawyer = make_user("lvshi", "周律师", unit=units["office"], roles=[Role.SUPERVISOR])
    LegalAdviser.objects.create(user=lawyer)
    meeting_type = MeetingType.objects.create(
        kind=MeetingType.Kind.EXECUTIVE,
        name=MEETING_TYPE,
        minutes_title=MINUTES_TITLE,
        default_presider=personas["leader"],
    )
    room = Room.objects.create(name=ROOM, location="市政府大楼3楼", capacity=40)
    return {"lawyer": lawyer, "meeting_type": meeting_type, "room": room}


def sidebar(page, label):
    """The sidebar's entry by its whole name: 议题 is not 议题库, 会议 is not 会议纪要."""
    nav(page, re.compile(rf"^\s*{label}\s*$"))


def expect_topic_state(page, label):
    expect(page.locator("#topic-state")).to_have_text(label)


def expect_meeting_state(page, label):
    expect(page.locator("#meeting-state")).to_have_text(label)


def expect_minutes_state(page, label):
    expect(page.locator("#minutes-state")).to_have_text(label)


def open_topic(page):
    """议题 opens on 待办; the topic is there, and its title opens it."""
    sidebar(page, "议题")
    expect(page.get_by_role("heading", name="议题", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="待办", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.locator("#topic-list").get_by_role("link", name=TOPIC).click()
    expect(page.get_by_role("heading", name=TOPIC)).to_be_visible()


def open_meeting(page):
    sidebar(page, "会议")
    expect(page.get_by_role("heading", name="会议", exact=True)).to_be_visible()
    page.locator(".meeting-row").get_by_role("link", name=MEETING).click()
    expect(page.get_by_role("heading", name=MEETING)).to_be_visible()


def open_minutes(page):
    sidebar(page, "会议纪要")
    row = page.locator("tr").filter(has_text=MEETING)
    row.get_by_role("link", name=MINUTES_TITLE).click()
    expect(page.get_by_role("heading", name=MINUTES_TITLE)).to_be_visible()


def submit_topic(page):
    sidebar(page, "议题")
    page.get_by_role("link", name="提请议题").click()
    expect(page.get_by_role("heading", name="提请议题")).to_be_visible()
    form = page.locator("#topic-form")
    form.get_by_label(field("议题名称")).fill(TOPIC)
    form.get_by_label(field("拟提交会议")).select_option(label=MEETING_TYPE)
    form.get_by_label(field("汇报领导")).select_option(label=LEADER)
    form.get_by_label(field("议题说明")).fill(SUMMARY)
    form.get_by_label(field("议题材料")).set_input_files(
        files=[{"name": MATERIAL, "mimeType": "application/pdf", "buffer": PDF}]
    )
    form.get_by_role("button", name="提交议题").click()


def the_meeting_times():
    """Started ten minutes ago, so that it can be held within the test (安排会议 takes a past
    time); two hours long, but not past midnight — the form takes one date for both times."""
    starts = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(minutes=10)
    ends = min(starts + datetime.timedelta(hours=2), starts.replace(hour=23, minute=59))
    return starts, ends


def schedule(page, attendee):
    sidebar(page, "会议")
    page.get_by_role("link", name="安排会议").click()
    expect(page.get_by_role("heading", name="安排会议")).to_be_visible()
    form = page.locator("#meeting-form")
    # The only active type is chosen already, with its default presider.
    expect(form.get_by_label(field("会议类型"))).to_have_value(re.compile(r"^\d+$"))
    starts, ends = the_meeting_times()
    form.get_by_label(field("会议名称")).fill(MEETING)
    form.get_by_label(field("日期")).fill(f"{starts:%Y-%m-%d}")
    form.get_by_label(field("开始时间")).fill(f"{starts:%H:%M}")
    form.get_by_label(field("结束时间")).fill(f"{ends:%H:%M}")
    form.get_by_label(field("会议室")).select_option(label=ROOM)
    form.get_by_label(field("主持人")).select_option(label=LEADER)
    form.locator("#topic-pool").get_by_role("checkbox", name=TOPIC).check()
    form.locator("#id_attendees").locator("option", has_text=attendee).click()
    form.get_by_role("button", name="安排会议并发出通知").click()


def add_decision(page, deadline):
    item = page.locator("#decision-1")
    item.get_by_label(field("议定事项")).fill(DECISION)
    item.get_by_label(field("所属议题")).select_option(label=f"1. {TOPIC}")
    item.get_by_label(field("责任单位")).select_option(label=UNIT_A)
    item.get_by_label(field("责任领导")).select_option(label=LEADER)
    item.get_by_label(field("完成时限")).fill(f"{deadline:%Y-%m-%d}")
    page.locator("#minutes-form").get_by_role("button", name="保存", exact=True).click()


def test_a_topic_goes_from_submission_to_signed_minutes(
    live_server, personas, units, office_setup, page
):
    year = timezone.localdate().year
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    attendee = personas["supervisor"].real_name  # 赵督查, invited to attend

    # 1. Unit A's handler submits the topic with its material.
    sign_in(page, live_server, "chengban_a", "陈承办")
    submit_topic(page)
    expect_message(page, "议题已提交，等待秘书组织会前协调。")
    expect(page.get_by_role("heading", name=TOPIC)).to_be_visible()
    expect_topic_state(page, "已提交")
    expect(page.locator("#topic-summary")).to_have_text(SUMMARY)
    expect(page.locator("#materials").get_by_role("link", name=MATERIAL)).to_be_visible()
    expect(page.locator("#agenda-readiness")).to_contain_text("不成熟不上会")
    sign_out(page)

    # 2. The secretary finds it on 待办 and asks unit B (会前协调).
    sign_in(page, live_server, "mishu", "王秘书")
    open_topic(page)
    take_step(
        page,
        "会前协调",
        lambda form: form.get_by_label(field("征求意见单位"))
        .locator("option", has_text=UNIT_B)
        .click(),
    )
    expect_message(page, "已征求相关单位意见。")
    expect_topic_state(page, "会前协调中")
    expect(page.locator("#opinion-summary")).to_have_text("0/1 个单位已反馈")
    sign_out(page)

    # 3. Unit B's handler agrees, with an opinion.
    sign_in(page, live_server, "chengban_b", "刘承办")
    open_topic(page)

    def agree(form):
        form.get_by_label("同意", exact=True).check()
        form.get_by_label(field("具体意见")).fill("请明确资金来源。")

    take_step(page, "反馈协调意见", agree)
    expect_message(page, "已反馈协调意见。")
    row = page.locator(f'#opinion-table tr[data-unit="{UNIT_B}"]')
    expect(row).to_contain_text("同意")
    expect(row).to_contain_text("请明确资金来源。")
    sign_out(page)

    # 4. The secretary closes the coordination; the legal adviser finds the topic lawful.
    sign_in(page, live_server, "mishu", "王秘书")
    open_topic(page)
    expect(page.locator("#opinion-summary")).to_have_text("1/1 个单位已反馈")
    take_step(page, "协调完毕")
    expect_message(page, "会前协调完毕，已送合法性审查。")
    expect_topic_state(page, "合法性审查中")
    sign_out(page)

    sign_in(page, live_server, "lvshi", "周律师")
    open_topic(page)

    def lawful(form):
        form.get_by_label("合法", exact=True).check()
        form.get_by_label(field("审查意见")).fill("符合规定。")

    take_step(page, "合法性审查", lawful)
    expect_message(page, "已提交合法性审查意见。")
    expect_topic_state(page, "已入议题库")
    expect(page.locator("#agenda-readiness")).to_have_text(re.compile(r"已入议题库，可安排上会"))
    expect(page.locator("#legal-review")).to_contain_text("符合规定。")
    sign_out(page)

    # 5. The secretary schedules the meeting with the topic from the pool.
    sign_in(page, live_server, "mishu", "王秘书")
    schedule(page, attendee)
    expect_message(page, "会议已安排，会议通知已发给参会人员。")
    expect(page.get_by_role("heading", name=MEETING)).to_be_visible()
    expect(page.locator("#meeting-room")).to_contain_text(ROOM)
    expect(page.locator("#meeting-presider")).to_have_text(LEADER)
    agenda = page.locator("#agenda-table tbody tr")
    expect(agenda).to_have_count(1)
    expect(agenda).to_contain_text(TOPIC)
    expect(agenda).to_contain_text("市教育局")
    expect(page.locator(f'#attendance-table tr[data-person="{attendee}"]')).to_contain_text("出席")
    meeting_url = page.url
    sign_out(page)

    # 6. The attendee asks for leave on the meeting's page.
    sign_in(page, live_server, "ducha", attendee)
    open_meeting(page)
    assert page.url == meeting_url

    def leave(form):
        form.get_by_label("请假", exact=True).check()
        form.get_by_label(field("请假事由")).fill(LEAVE_REASON)

    take_step(page, "回复会议通知", leave)
    expect_message(page, "已回复。")
    expect(page.locator("#my-answer")).to_have_text(f"我的回复：请假（{LEAVE_REASON}）")
    row = page.locator(f'#attendance-table tr[data-person="{attendee}"]')
    expect(row.locator(".answer")).to_have_text("请假")
    expect(row).to_contain_text(LEAVE_REASON)
    sign_out(page)

    # 7. The secretary records the meeting as held, drafts the minutes with one decided item
    #    and sends them for sign-off.
    sign_in(page, live_server, "mishu", "王秘书")
    open_meeting(page)
    take_step(page, "会议已召开")
    expect_message(page, "已登记会议召开。")
    expect_meeting_state(page, "已召开")
    draft_button = page.locator("#draft-minutes")
    expect(draft_button).to_have_text("起草会议纪要")
    # 起草会议纪要 starts the minutes: a POST (minutes_new is require_POST), answered by a redirect.
    with page.expect_response(lambda response: "/minutes/new/" in response.url) as answer:
        draft_button.click()
    started = answer.value
    assert started.status == 302, f"起草会议纪要: {started.request.method} → {started.status}"
    expect_message(page, "已按议程起草纪要，请填写正文和议定事项。")
    expect(page.get_by_role("heading", name=f"修改纪要 · {MEETING}")).to_be_visible()
    expect(page.get_by_label(field("纪要正文"))).not_to_have_value("")
    add_decision(page, deadline)
    expect_message(page, "纪要已保存（议定事项 1 项）。")
    expect(page.get_by_role("heading", name=MINUTES_TITLE)).to_be_visible()
    expect_minutes_state(page, "起草中")
    expect(page.locator("#issue-number")).to_have_text("（未编号）")
    decided = page.locator("#decided-items tbody tr")
    expect(decided).to_have_count(1)
    expect(decided).to_contain_text(DECISION)
    expect(decided).to_contain_text(UNIT_A)
    expect(decided).to_contain_text(f"{deadline:%Y-%m-%d}")
    take_step(page, "送审")
    expect_message(page, "已送主持领导审签。")
    expect_minutes_state(page, "审核中")
    sign_out(page)

    # 8. The presiding leader signs them off: the issue number of the series is taken.
    sign_in(page, live_server, "lingdao", "李副市长")
    open_minutes(page)
    take_step(page, "签发")
    expect_message(page, "已签发。")
    expect_minutes_state(page, "已签发")
    expect(page.locator("#issue-number")).to_have_text(f"{year}年第1期")

    # 9. The minutes PDF, fetched with the leader's session.
    href = page.locator("#print-minutes").get_attribute("href")
    assert href.endswith("/print.pdf"), href
    response = page.context.request.get(live_server.url + href, timeout=60_000)
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    data = response.body()
    assert data.startswith(b"%PDF")
    texts, _ = pdf_pages_text(data)
    first = texts[0]
    assert MINUTES_TITLE in first, first
    assert "第1期" in first, first
    assert DECISION in first, first
    assert f"请假：{attendee}" in first, first
    sign_out(page)

    # 10. Signing made the decided item a supervision item: the supervisor finds it in the
    #     ledger (台账), numbered, from 会议议定事项, and its page links back to the minutes.
    sign_in(page, live_server, "ducha", attendee)
    sidebar(page, "督查台账")
    expect(page.get_by_role("heading", name="督查台账")).to_be_visible()
    row = page.locator("#ledger-results tbody tr").filter(has_text=DECISION)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"督〔{year}〕1号")
    expect(row).to_contain_text("会议议定事项")
    expect(row).to_contain_text("市教育局")
    expect(row).to_contain_text("已立项")
    row.get_by_role("link", name=DECISION).click()
    back = page.get_by_role("link", name=f"{MINUTES_TITLE} {year}年第1期 第1项议定事项")
    expect(back).to_be_visible()
    back.click()
    expect(page.get_by_role("heading", name=MINUTES_TITLE)).to_be_visible()
    expect(page.locator("#decided-1")).to_contain_text(f"督〔{year}〕1号")
