"""督查督办 end to end in headless Chromium: a leader's instruction marked 转督办 waits on 待立项批示件;
the supervisor opens it as an item (立项, the form pre-filled from the instruction) and assigns it
(交办); unit A's handler reports 40% (报送进展) and the unit head approves; as the days pass the item
turns 黄灯 near its deadline and 红灯 past it; the supervisor urges (催办) and the handler finds the
urgent notification; the handler applies for completion with the evidence (申请办结), the head
approves, the supervisor verifies and closes it (核验销号) — and 督查统计's 办结率 goes from 0.0% to
100.0%.

The clock: the journey runs on a fixed calendar (time-machine, `clock` below) so that its working
days, its reporting day and its year are the same whenever the suite runs. time-machine replaces
the C functions behind time.time() and datetime.now() for the whole process, so the live server's
request threads read the same moved clock as the test (each sign-in checks the desk's 今天是…
line); moving it is the only thing the test does behind the UI's back — no date is written into
the database. It moves only while nobody is signed in: an idle session would end anyway.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from documents import services as documents_services
from documents.workflow import incoming as documents_workflow
from tests.browser.test_incoming_journey import (
    PDF,
    expect_message,
    field,
    sign_in,
    sign_out,
    take_step,
)
from tests.browser.test_meetings_journey import sidebar
from tests.documents.conftest import registration

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("patient_expectations"),
]

OFFICE_TIME = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Tuesday in 2026 (chinese-calendar knows the year's holidays); the deadline is 30 days on.
START = datetime.datetime(2026, 6, 2, 9, 0, tzinfo=OFFICE_TIME)
DEADLINE = datetime.date(2026, 7, 2)  # Thursday
# Tuesday before it: 7-01, 7-02 and 7-03 are its next three working days — 临近办结时限.
NEAR_DEADLINE = datetime.datetime(2026, 6, 30, 9, 0, tzinfo=OFFICE_TIME)
PAST_DEADLINE = datetime.datetime(2026, 7, 3, 9, 0, tzinfo=OFFICE_TIME)  # one day late
NUMBER = "督〔2026〕1号"

UNIT_A = "珠海市教育局"
LEADER = "李副市长（副市长）"
TITLE = "关于全市中小学校舍安全隐患排查整治情况的报告"
INSTRUCTION = "请市教育局牵头抓紧整治，督查室跟踪督办。"
ASSIGN_MESSAGE = "请于7月2日前完成整治并报送佐证材料。"
PROGRESS_TEXT = "已完成全市412所中小学校舍安全排查，发现隐患37处，已整改15处。"
URGE_MESSAGE = "已超过办结时限，请立即报送整治结果。"
COMPLETION_TEXT = "37处校舍安全隐患已全部整改到位，经区教育局逐校复核。"
EVIDENCE = "校舍隐患整改验收表.pdf"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def clock():
    """The office's clock for the journey, ticking from START; autouse, so the people and the
    letter below are made on START too. `clock.move_to(...)` moves it."""
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def instruction(personas, units):
    """李副市长 instructs a letter 转督办, unit A proposed to lead (as tests/supervision/test_intake):
    made through the services, not the UI — the journey starts on the supervisor's list."""
    secretary, leader = personas["secretary"], personas["leader"]
    document = documents_services.incoming_register(
        registration(title=TITLE, received_on=START.date()), actor=secretary
    )
    documents_workflow.screen(document, actor=secretary)
    documents_workflow.propose_handling(
        document,
        actor=secretary,
        opinion="拟请李副市长阅示。",
        leaders=[leader],
        lead_unit=units["a"],
    )
    document.refresh_from_db()
    documents_workflow.instruct(document, actor=leader, instruction=INSTRUCTION, to_supervise=True)
    return document


def sign_in_on(page, live_server, username, real_name, day):
    """Sign in, and see on the desk that the live server's clock says `day`."""
    sign_in(page, live_server, username, real_name)
    expect(page.locator(".page-subtitle")).to_contain_text(f"今天是 {day:%Y年%-m月%-d日}")


def expect_item_state(page, label):
    expect(page.locator("#item-state")).to_have_text(label)


def open_from_desk(page, step):
    """工作台's 我的待办: the item's row for `step` (办理环节) opens it."""
    row = page.locator(".desk-table tbody tr").filter(has_text=step)
    row.get_by_role("link", name=f"{NUMBER} {TITLE}").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()


def ledger_row(page):
    sidebar(page, "督查台账")
    expect(page.get_by_role("heading", name="督查台账")).to_be_visible()
    row = page.locator("#ledger-results tbody tr").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    return row


def approve_pending_report(page):
    """The unit head opens the report waiting on the desk and approves it."""
    open_from_desk(page, "待审核")
    review = page.locator("#reports li[data-state=submitted] form.review-form")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        review.get_by_role("button", name="审核通过").click()
    assert answer.value.status == 302, f"审核通过: {answer.value.status}"
    expect_message(page, "已审核通过，进展已计入。")


def completion_rate(page):
    """督查统计's 办结率 card: the rate and its 已办结 / 事项数."""
    sidebar(page, "督查统计")
    expect(page.get_by_role("heading", name="督查统计")).to_be_visible()
    card = page.get_by_role("region", name=f"{START.year}年督查督办概况").locator(
        "[data-figure=completion_rate]"
    )
    expect(card.locator(".stat-card-label")).to_have_text("办结率")
    return (
        card.locator(".stat-card-value").inner_text().strip(),
        card.locator(".stat-card-detail").inner_text().strip(),
    )


def test_an_instruction_goes_from_intake_to_closure(
    live_server, personas, units, instruction, clock, page
):
    # 1. The supervisor finds the instruction on 待立项批示件 and opens it: the form is
    #    pre-filled from the instruction and its letter.
    sign_in_on(page, live_server, "ducha", "赵督查", START)
    sidebar(page, "待立项批示件")
    expect(page.get_by_role("heading", name="待立项批示件")).to_be_visible()
    row = page.locator("#instructions tbody tr").filter(has_text=TITLE)
    expect(row).to_contain_text(INSTRUCTION)
    row.get_by_role("link", name="立项").click()
    expect(page.get_by_role("heading", name="督办立项")).to_be_visible()
    expect(page.locator("#instruction-source")).to_contain_text(INSTRUCTION)
    form = page.locator("#item-form")
    expect(form.get_by_label(field("来源"))).to_be_disabled()
    expect(form.get_by_label(field("事项名称"))).to_have_value(TITLE)
    expect(form.get_by_label(field("工作要求"))).to_have_value(INSTRUCTION)
    expect(form.get_by_label(field("牵头单位")).locator("option:checked")).to_have_text(UNIT_A)
    expect(form.get_by_label(field("责任领导")).locator("option:checked")).to_have_text(LEADER)
    form.get_by_label(field("办结时限")).fill(DEADLINE.isoformat())
    form.get_by_label(field("报送周期")).select_option(label="每月")
    expect(form.get_by_label(field("报送日"))).to_have_value("25")
    form.get_by_role("button", name="立项", exact=True).click()
    expect_message(page, f"已立项，督办编号 {NUMBER}。请核对后交办。")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator("#item-number")).to_have_text(NUMBER)
    expect_item_state(page, "已立项")
    expect(page.locator("#item-source")).to_contain_text("领导批示")
    expect(page.locator("#item-deadline")).to_have_text(DEADLINE.isoformat())

    # 2. 交办: the lead unit's people are told; the first report is due on the 25th.
    take_step(page, "交办", lambda step: step.get_by_label(field("交办意见")).fill(ASSIGN_MESSAGE))
    expect_message(page, "已交办，牵头单位和配合单位已收到通知。")
    expect_item_state(page, "已交办")
    expect(page.locator("#item-report-due")).to_have_text("2026-06-25")
    expect(page.locator("#item-light")).to_have_text("绿灯")
    item_url = page.url
    sign_out(page)

    # 3. Unit A's handler reports 40% from the desk; the unit head approves.
    sign_in_on(page, live_server, "chengban_a", "陈承办", START)
    open_from_desk(page, "待报送进展（06-25 前）")

    def report(step):
        step.get_by_label(field("进展情况")).fill(PROGRESS_TEXT)
        step.get_by_label(field("进度（%）")).fill("40")

    take_step(page, "报送进展", report)
    expect_message(page, "进展已报送。")
    expect(page.locator("#pending-report-note")).to_be_visible()
    pending = page.locator("#reports li").first
    expect(pending.locator(".report-state")).to_have_text("待单位审核")
    expect(pending.locator(".report-text")).to_have_text(PROGRESS_TEXT)
    sign_out(page)

    sign_in_on(page, live_server, "fuzeren_a", "周局长", START)
    approve_pending_report(page)
    assert page.url.split("#")[0] == item_url
    expect_item_state(page, "办理中")
    expect(page.locator("#item-progress")).to_contain_text("40%")
    expect(page.locator("#reports li").first.locator(".report-state")).to_have_text("已审核")
    sign_out(page)

    # 4. Four weeks on, within 3 working days of the deadline: 黄灯, in the ledger and on the
    #    item with its reason. A day past the deadline: 红灯, 已超过办结时限.
    clock.move_to(NEAR_DEADLINE)
    sign_in_on(page, live_server, "ducha", "赵督查", NEAR_DEADLINE)
    row = ledger_row(page)
    expect(row.locator(".light")).to_have_text("黄灯")
    expect(row).to_contain_text("办理中")
    row.get_by_role("link", name=TITLE).click()
    expect(page.locator("#item-light")).to_have_text("黄灯")
    expect(page.locator("#light-reasons")).to_contain_text(
        f"临近办结时限（{DEADLINE.isoformat()}）"
    )
    expect(page.locator("#light-reasons")).not_to_contain_text("已超过办结时限")
    sign_out(page)

    clock.move_to(PAST_DEADLINE)
    sign_in_on(page, live_server, "ducha", "赵督查", PAST_DEADLINE)
    row = ledger_row(page)
    expect(row.locator(".light")).to_have_text("红灯")
    row.get_by_role("link", name=TITLE).click()
    expect(page.locator("#item-light")).to_have_text("红灯")
    expect(page.locator("#light-reasons")).to_contain_text("已超过办结时限 1 天")

    # 5. 催办: recorded on the item; the handler gets it as an urgent notification.
    take_step(page, "催办", lambda step: step.get_by_label(field("催办内容")).fill(URGE_MESSAGE))
    expect_message(page, "已催办，牵头单位已收到加急通知。")
    urging = page.locator("#urgings tbody tr").first
    expect(urging).to_contain_text("人工催办")
    expect(urging).to_contain_text("赵督查")
    expect(urging).to_contain_text(URGE_MESSAGE)
    sign_out(page)

    sign_in_on(page, live_server, "chengban_a", "陈承办", PAST_DEADLINE)
    expect(page.locator("#shell-unread")).to_have_text(re.compile(r"^[1-9]\d*条未读通知$"))
    page.locator(".shell-bell").click()
    expect(page.get_by_role("heading", name="通知", exact=True)).to_be_visible()
    note = page.locator(".note-list li").filter(has_text=f"督办催办：{NUMBER}")
    expect(note).to_have_count(1)
    expect(note.locator(".badge")).to_have_text("紧急")
    expect(note).to_contain_text(URGE_MESSAGE)
    note.get_by_role("link").click()  # opens the item, and the note is read
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assert page.url == item_url

    # 6. 申请办结 with the evidence; the head approves: the item waits for verification.
    def apply(step):
        step.get_by_label(field("办结情况")).fill(COMPLETION_TEXT)
        step.get_by_label(field("佐证材料")).set_input_files(
            files=[{"name": EVIDENCE, "mimeType": "application/pdf", "buffer": PDF}]
        )

    take_step(page, "申请办结", apply)
    expect_message(page, "办结申请已报送。")
    application = page.locator("#reports li").first
    expect(application).to_contain_text("申请办结")
    expect(application.locator(".report-files").get_by_role("link", name=EVIDENCE)).to_be_visible()
    sign_out(page)

    sign_in_on(page, live_server, "fuzeren_a", "周局长", PAST_DEADLINE)
    approve_pending_report(page)
    expect_item_state(page, "申请办结")
    expect(page.locator("#item-progress")).to_contain_text("100%")
    sign_out(page)

    # 7. The supervisor reads 办结率, verifies the evidence and closes the item (核验销号).
    sign_in_on(page, live_server, "ducha", "赵督查", PAST_DEADLINE)
    assert completion_rate(page) == ("0.0%", "0 / 1")
    sidebar(page, "工作台")
    open_from_desk(page, "申请办结，待核验销号")
    application = page.locator("#reports li").first
    expect(application.locator(".report-flag")).to_have_count(0)  # evidence attached
    take_step(
        page, "核验销号", lambda step: step.get_by_label(field("核验意见")).fill("佐证材料齐全。")
    )
    expect_message(page, "已核验销号。")
    expect_item_state(page, "已销号")
    expect(page.locator("#item-light")).to_have_count(0)
    expect(page.locator("#light-reasons")).to_have_count(0)
    expect(page.locator("#steps-heading")).to_have_count(0)

    # 8. 督查统计 counts it: 办结率 0.0% → 100.0%.
    assert completion_rate(page) == ("100.0%", "1 / 1")
