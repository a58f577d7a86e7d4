"""建议提案办理 end to end in headless Chromium: the secretary imports a session's spreadsheet of
three suggestions (建议提案导入: preview, 全部导入) and assigns them in bulk to unit A (批量交办,
主办); unit A's handler takes one on (接收), records a contact with the deputy (沟通联系), drafts a
B类 reply from its template (拟答复函) and submits it; the unit head signs it off (签发答复) and
sends it (答复). The deputy rates it 不满意 through the signed link the secretary copies from the
item's page, in a browser that has never signed in; the item comes back to the unit for 重新办理
(第2轮, a new 答复期限); the unit contacts the deputy again, replies A类, and the deputy's second
rating, 满意, closes it (已办结). 建议提案统计 then shows the session: 3 received and assigned,
办复 1 (33.3%), 初次满意率 0.0%, 最终满意率 100.0%, 重新办理 1 — proposals/measures.py's
definitions over this data set.

The clock: a fixed calendar (time-machine, as tests/browser/test_supervision_journey.py) so that
the deadlines are the same whenever the suite runs; it moves once, while nobody is signed in,
from the day of the first reply to the day the deputy rates it.
"""

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from openpyxl import Workbook
from playwright.sync_api import expect

from proposals import services
from proposals.models import Session
from tests.browser.conftest import VIEWPORT
from tests.browser.test_incoming_journey import (
    expect_message,
    field,
    sign_out,
    take_step,
)
from tests.browser.test_meetings_journey import sidebar
from tests.browser.test_supervision_journey import sign_in_on

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("patient_expectations"),
]

OFFICE_TIME = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=OFFICE_TIME)  # a Tuesday
FIRST_DEADLINE = datetime.date(2026, 6, 3)  # 交办 + the session's 3 months
RATING_DAY = datetime.datetime(2026, 3, 16, 9, 0, tzinfo=OFFICE_TIME)  # a Monday
SECOND_DEADLINE = datetime.date(2026, 4, 16)  # the rating + 1 month of 重新办理

SESSION_NAME = "十六届人大三次会议"
LIAISON = "市人大常委会代表工作室"
UNIT_A = "珠海市教育局"
XLSX_NAME = "十六届人大三次会议代表建议清单.xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER = ("编号", "类别", "标题", "内容", "分类", "重点", "领衔人", "领衔人代表团/界别", "附议人")
ITEMS = (
    (
        "0101",
        "建议",
        "关于加快推进中小学校课后托管服务全覆盖的建议",
        "部分学校课后托管时间短、内容单一，建议扩大覆盖并丰富课程。",
        "教育",
        "否",
        "张明",
        "香洲区代表团",
        "李华、陈静",
    ),
    (
        "0102",
        "建议",
        "关于增加城区公办幼儿园学位供给的建议",
        "城区公办幼儿园学位紧张，建议新建改扩建一批公办园。",
        "教育",
        "否",
        "林芳",
        "金湾区代表团",
        "",
    ),
    (
        "0103",
        "建议",
        "关于加强中小学生心理健康教育的建议",
        "建议每校配齐专职心理教师，建立心理健康档案。",
        "教育",
        "否",
        "黄伟",
        "斗门区代表团",
        "周敏",
    ),
)
NUMBER = "第0101号"
TITLE = ITEMS[0][2]
DEPUTY = "张明"
DESK_TITLE = f"建议{NUMBER} {TITLE}"

CONTACT_PEOPLE = "张明代表；市教育局基础教育科王科长"
CONTACT_TEXT = "当面听取张明代表对课后托管服务的意见，介绍今年的推进计划。"
REPLY_SUBSTANCE = "今年我局将课后托管服务纳入民生实事，秋季学期起全市公办中小学全覆盖。"
DISSATISFIED_REMARKS = "答复只讲计划，没有说明经费和师资怎么落实。"
CONTACT_TEXT_2 = "再次登门走访张明代表，逐条说明经费保障和师资安排。"
REPLY_SUBSTANCE_2 = "课后托管经费已列入今年财政预算，新增专职托管教师120名，已于3月全部到岗。"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"  # the import's upload waits there between the steps
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"


@pytest.fixture(autouse=True)
def clock():
    """The office's clock, ticking from START (autouse: the people and the session are made on
    START too); `clock.move_to(...)` moves it."""
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def session(personas, units):
    """十六届人大三次会议, set up by the office (届次设置) through the service: 3 months to reply,
    1 month to re-handle, replies copied to the NPC's liaison office."""
    return services.session_save(
        actor=personas["secretary"],
        body=Session.Body.NPC,
        name=SESSION_NAME,
        year=2026,
        opened_on=datetime.date(2026, 1, 20),
        closed_on=datetime.date(2026, 1, 23),
        reply_months=3,
        rehandle_months=1,
        liaison_body=LIAISON,
    )


def spreadsheet():
    """The NPC's list as an xlsx: a title row above the header row, then three suggestions."""
    book = Workbook()
    sheet = book.active
    sheet.title = "建议提案"
    sheet.append([f"{SESSION_NAME}代表建议交办清单"])
    sheet.append(list(HEADER))
    for row in ITEMS:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def open_from_desk(page, step):
    """工作台's 我的待办: the item's row for `step` (办理环节) opens it."""
    row = page.locator(".desk-table tbody tr").filter(has_text=DESK_TITLE).filter(has_text=step)
    row.get_by_role("link", name=DESK_TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()


def expect_proposal_state(page, label):
    expect(page.locator("#proposal-state")).to_have_text(label)


def record_contact(page, day, way, text):
    def fill(step):
        step.get_by_label(field("联系日期")).fill(day.isoformat())
        step.get_by_label(field("联系方式")).select_option(label=way)
        step.get_by_label(field("参加人员")).fill(CONTACT_PEOPLE)
        step.get_by_label(field("沟通内容")).fill(text)

    take_step(page, "沟通联系", fill)
    expect_message(page, "已记录沟通联系。")


def draft_reply(page, code, closing, substance):
    """套用答复函模板 `code`: the draft opens with the class chosen and the template's text for
    this deputy and item; the handler writes the substance in place of 「……」 and saves."""
    page.locator("#reply-templates").get_by_role("link", name=f"{code}类").click()
    form = page.locator("form.step-form[data-step=draft_reply]")
    expect(form.locator("xpath=..")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(form.get_by_label(field("答复分类")).locator("option:checked")).to_contain_text(
        f"{code}类"
    )
    body = form.get_by_label(field("答复内容"))
    expect(body).to_have_value(re.compile(rf"^{DEPUTY}代表："))
    text = body.input_value()
    assert f"《{TITLE}》（建议{NUMBER}）收悉" in text
    assert closing in text
    body.fill(text.replace("……", substance))
    form.get_by_label(field("联系人")).fill("王科长")
    form.get_by_label(field("联系电话")).fill("0756-2123456")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        form.get_by_role("button", name="确认拟答复函").click()
    assert answer.value.status == 302, f"拟答复函: {answer.value.status}"
    expect_message(page, "答复函已保存。")


def submit_reply(page, round_):
    take_step(page, "提交答复")
    expect_message(page, "答复函已提交单位负责人签发。")
    expect_proposal_state(page, "答复待审")
    expect(page.locator(f"#reply-{round_}")).to_contain_text("未签发")


def sign_and_send(page, live_server, round_, day):
    """The unit head finds the letter on the desk, signs it off (签发答复) and sends it (答复)."""
    sign_in_on(page, live_server, "fuzeren_a", "周局长", day)
    open_from_desk(page, "待签发答复")
    take_step(page, "签发答复")
    expect_message(page, "答复函已签发。")
    expect_proposal_state(page, "答复已签发")
    expect(page.locator(f"#reply-{round_}")).to_contain_text("签发 周局长")
    take_step(page, "答复")
    expect_message(page, "已答复，并抄送联络机构；办公室将请领衔人评价。")
    expect_proposal_state(page, "已答复")
    expect(page.locator(f"#reply-{round_}")).to_contain_text(f"答复日期 {day:%Y-%m-%d}")
    # 流转记录: each round's 答复 was copied to the liaison office.
    sent = page.locator(".office-history li").filter(has_text=f"抄送{LIAISON}")
    expect(sent).to_have_count(round_)
    sign_out(page)


def copy_rating_link(page, live_server, round_, day):
    """The secretary opens the replied item from the desk and copies the deputy's rating link."""
    sign_in_on(page, live_server, "mishu", "王秘书", day)
    open_from_desk(page, f"已答复，待录入评价（第{round_}轮）")
    expect_proposal_state(page, "已答复")
    link = page.locator("#rating-link").input_value()
    assert link.startswith(live_server.url + "/proposals/rate/"), link
    sign_out(page)
    return link


def rate_by_link(browser, link, level, remarks=""):
    """The deputy opens the link on a browser that has never signed in and rates the reply."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    try:
        deputy = context.new_page()
        deputy.goto(link)
        expect(deputy.get_by_role("heading", name="请对办理情况作出评价")).to_be_visible()
        expect(deputy.locator("#rate-item")).to_contain_text(TITLE)
        expect(deputy.locator("#rate-item")).to_contain_text(f"建议{NUMBER}")
        expect(deputy.locator(".shell-user-name")).to_have_count(0)  # no one signed in
        form = deputy.locator("#rate-form")
        form.get_by_role("group", name="办理态度").get_by_label(level, exact=True).check()
        form.get_by_role("group", name="办理结果").get_by_label(level, exact=True).check()
        if remarks:
            form.get_by_label("意见和建议").fill(remarks)
        form.get_by_role("button", name="提交评价").click()
        expect(deputy.locator("#rate-done")).to_have_text(re.compile(r"感谢您的评价"))
        result = deputy.locator("#rate-result")
        expect(result).to_contain_text(f"办理态度{level}")
        expect(result).to_contain_text(f"办理结果{level}")
        return deputy.locator(".auth-body").inner_text()
    finally:
        context.close()


def link_refusal(browser, link):
    """What an (older) rating link says now."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        deputy = context.new_page()
        deputy.goto(link)
        return deputy.locator(".auth-body").inner_text()
    finally:
        context.close()


def figure_card(page, scope_label, figure):
    cards = page.get_by_role("region", name=f"{scope_label}建议提案办理概况")
    card = cards.locator(f"[data-figure={figure}]")
    return (
        card.locator(".stat-card-value").inner_text().strip(),
        card.locator(".stat-card-detail").inner_text().strip(),
    )


def test_a_session_goes_from_import_to_a_second_rating(
    live_server, personas, units, session, clock, browser, page
):
    # 1. The secretary imports the session's spreadsheet: the preview shows the three rows
    #    without an error; 全部导入 registers them.
    sign_in_on(page, live_server, "mishu", "王秘书", START)
    sidebar(page, "建议提案导入")
    expect(page.get_by_role("heading", name="导入建议提案")).to_be_visible()
    form = page.locator("#import-form")
    form.get_by_label(field("届次会次")).select_option(label=f"{SESSION_NAME}（2026年）")
    form.get_by_label(field("Excel 文件")).set_input_files(
        files=[{"name": XLSX_NAME, "mimeType": XLSX_TYPE, "buffer": spreadsheet()}]
    )
    form.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("heading", name=f"导入预览：{XLSX_NAME}")).to_be_visible()
    expect(page.locator("#count-good")).to_have_text("无误 3 行")
    expect(page.locator("#count-bad")).to_have_text("有误 0 行")
    expect(page.locator("#count-errors")).to_have_text("错误 0 处")
    expect(page.locator("#import-problems")).to_have_count(0)
    rows = page.locator("#import-rows tbody tr")
    expect(rows).to_have_count(3)
    for row, item in zip(rows.all(), ITEMS, strict=True):
        expect(row).to_contain_text(f"第{item[0]}号")
        expect(row).to_contain_text(item[2])
        expect(row).to_contain_text(item[6])
        expect(row).to_contain_text("无误")
    expect(rows.first).to_contain_text("李华、陈静")
    page.get_by_role("button", name="全部导入").click()
    expect_message(page, f"已导入{SESSION_NAME} 3 件。")

    # 2. 建议提案: the three are 已登记; the secretary ticks them and assigns them to unit A.
    sidebar(page, "建议提案")
    expect(page.get_by_role("heading", name="建议提案", exact=True)).to_be_visible()
    table = page.locator("#proposal-table")
    for item in ITEMS:
        row = table.locator("tbody tr").filter(has_text=item[2])
        expect(row).to_contain_text("已登记")
        row.get_by_role("checkbox", name=f"选择 建议第{item[0]}号").check()
    bulk = page.locator("#bulk-assign")
    bulk.get_by_label("主办单位").select_option(label=UNIT_A)
    bulk.get_by_role("button", name="交办所选").click()
    expect_message(page, f"已交办 3 件（主办：{UNIT_A}）。")
    for item in ITEMS:
        row = table.locator("tbody tr").filter(has_text=item[2])
        expect(row).to_contain_text("已交办")
        expect(row).to_contain_text(FIRST_DEADLINE.isoformat())
    expect(table.get_by_role("checkbox")).to_have_count(0)  # nothing left to assign
    sign_out(page)

    # 3. Unit A's handler takes the first one on, talks with the deputy, drafts a B类 reply
    #    from the template and submits it.
    sign_in_on(page, live_server, "chengban_a", "陈承办", START)
    open_from_desk(page, "待接收")
    expect_proposal_state(page, "已交办")
    expect(page.locator("#proposal-deadline")).to_have_text("答复期限 2026年6月3日")
    take_step(page, "接收")
    expect_message(page, "已接收，请与领衔人沟通联系后拟写答复函。")
    expect_proposal_state(page, "办理中")
    missing = page.locator("#reply-missing")
    expect(missing).to_contain_text("尚未拟写答复函")
    expect(missing).to_contain_text("尚未记录与领衔人的沟通联系")

    record_contact(page, START.date(), "登门走访", CONTACT_TEXT)
    contacts = page.locator("#contacts-1")
    expect(contacts).to_contain_text("登门走访")
    expect(contacts).to_contain_text(CONTACT_TEXT)
    expect(page.locator("#reply-missing")).not_to_contain_text("沟通联系")

    draft_reply(page, "B", "已列入我单位工作计划", REPLY_SUBSTANCE)
    letter = page.locator("#reply-1")
    expect(letter).to_contain_text("B类")
    expect(letter).to_contain_text(REPLY_SUBSTANCE)
    expect(page.locator("#reply-missing")).to_have_count(0)
    submit_reply(page, 1)
    sign_out(page)

    # 4. The head signs it off and sends it, copied to the liaison office.
    sign_and_send(page, live_server, 1, START)

    # 5. Two weeks on, the deputy rates it 不满意 through the link the secretary sends: the
    #    item goes back to the unit for 重新办理, due a month after the rating.
    first_link = copy_rating_link(page, live_server, 1, START)
    clock.move_to(RATING_DAY)
    thanks = rate_by_link(browser, first_link, "不满意", DISSATISFIED_REMARKS)
    assert "承办单位将重新办理" in thanks
    assert DISSATISFIED_REMARKS in thanks

    # 6. The handler finds it back on the desk in its second round, contacts the deputy again,
    #    replies A类 and submits; the head signs it off and sends it.
    sign_in_on(page, live_server, "chengban_a", "陈承办", RATING_DAY)
    open_from_desk(page, "办理中（第2轮）")
    expect_proposal_state(page, "办理中")
    expect(page.locator("#proposal-round")).to_have_text("重新办理（第2轮）")
    expect(page.locator("#proposal-deadline")).to_have_text(
        f"答复期限 {SECOND_DEADLINE:%Y年%-m月%-d日}"
    )
    rating = page.locator("#rating-1")
    expect(rating).to_contain_text("办理态度 不满意，办理结果 不满意")
    expect(rating).to_contain_text("代表委员在线评价")
    expect(rating).to_contain_text(DISSATISFIED_REMARKS)
    round_two = page.locator("#round-2")
    expect(round_two).to_contain_text("尚未记录。")
    expect(round_two).to_contain_text("尚未拟写。")
    missing = page.locator("#reply-missing")
    expect(missing).to_contain_text("尚未拟写答复函")
    expect(missing).to_contain_text("尚未记录与领衔人的沟通联系")

    record_contact(page, RATING_DAY.date(), "登门走访", CONTACT_TEXT_2)
    expect(page.locator("#contacts-2")).to_contain_text(CONTACT_TEXT_2)
    draft_reply(page, "A", "所提建议已被采纳", REPLY_SUBSTANCE_2)
    expect(page.locator("#reply-2")).to_contain_text("A类")
    expect(page.locator("#reply-2")).to_contain_text(REPLY_SUBSTANCE_2)
    expect(page.locator("#reply-1")).to_contain_text(REPLY_SUBSTANCE)  # round 1 kept
    submit_reply(page, 2)
    sign_out(page)

    sign_and_send(page, live_server, 2, RATING_DAY)

    # 7. The second round's link is a new one; the first no longer rates. The deputy rates
    #    满意, and the item is 已办结.
    second_link = copy_rating_link(page, live_server, 2, RATING_DAY)
    assert second_link != first_link
    assert "本轮评价已完成" in link_refusal(browser, first_link)
    thanks = rate_by_link(browser, second_link, "满意")
    assert "本件办理完毕" in thanks

    sign_in_on(page, live_server, "mishu", "王秘书", RATING_DAY)
    sidebar(page, "建议提案")
    page.locator("#proposal-table").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect_proposal_state(page, "已办结")
    expect(page.locator("#rating-2")).to_contain_text("办理态度 满意，办理结果 满意")
    expect(page.locator("#rating-link")).to_have_count(0)

    # 8. 建议提案统计 of the session: three received and assigned, one replied (办复 counts the
    #    first reply sent), rated 不满意 first and 满意 in the end, re-handled once; its latest
    #    reply is A类.
    sidebar(page, "建议提案统计")
    expect(page.get_by_role("heading", name="建议提案统计")).to_be_visible()
    page.get_by_label(field("届次")).select_option(label=f"2026年 {SESSION_NAME}")
    expect(page.get_by_role("region", name=f"{SESSION_NAME}建议提案办理概况")).to_be_visible()
    assert figure_card(page, SESSION_NAME, "received") == ("3", "其中重点 0")
    assert figure_card(page, SESSION_NAME, "assigned") == ("3", "未交办 0")
    assert figure_card(page, SESSION_NAME, "reply_rate") == ("33.3%", "办复 1 / 交办 3")
    assert figure_card(page, SESSION_NAME, "first_satisfaction_rate") == ("0.0%", "0 / 1")
    assert figure_card(page, SESSION_NAME, "final_satisfaction_rate") == ("100.0%", "1 / 1")
    assert figure_card(page, SESSION_NAME, "attitude") == ("100.0%", "初次 0.0%")
    assert figure_card(page, SESSION_NAME, "rehandled") == ("1", "初次评价不满意")
    assert figure_card(page, SESSION_NAME, "overdue") == ("0", "逾期答复 0")

    unit_row = page.locator("#by-unit tbody tr").filter(has_text=UNIT_A)
    expect(unit_row.locator("[data-figure=replied]")).to_have_text("1")
    expect(unit_row.locator("[data-figure=rehandled]")).to_have_text("1")
    expect(unit_row.locator("[data-figure=first_satisfaction_rate]")).to_have_text("0.0%")
    expect(unit_row.locator("[data-figure=final_satisfaction_rate]")).to_have_text("100.0%")
    classes = page.locator("#by-class")
    expect(classes.locator("tr[data-class=A]")).to_contain_text("100.0%")
    expect(classes.locator("tr[data-class=A] td").nth(1)).to_have_text("1")
    expect(classes.locator("tr[data-class=B] td").nth(1)).to_have_text("0")
