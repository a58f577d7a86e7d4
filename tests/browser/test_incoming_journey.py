"""收文办理 end to end in headless Chromium: the secretary registers a letter from the keyboard,
screens and proposes it, the leader instructs, the lead unit's handler accepts and reports, the
unit head approves, the secretary completes and files it — and the statistics page counts it.

Each person signs in through the login page and finds the document on 收文办理 (待办), the way the
office works; every step is a button that opens its form, then the form's 确认 button.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import IncomingDocument
from tests.documents.conftest import make_incoming

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

S = IncomingDocument.State
PASSWORD = "Demo@2026x"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

SENDER = "广东省教育厅"  # not yet in the sender list: typed as a new sender
TITLE = "关于全省中小学校园食品安全专项检查情况的通报"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _patient_expectations():
    """Expectations wait as long as actions do (10 s, conftest): on a busy machine a step's POST
    and the page after it can take longer than Playwright's default 5 s."""
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


def field(label):
    """A field's label as crispy renders it: the text, maybe a required mark, and whitespace."""
    return re.compile(rf"^\s*{label}\s*\*?\s*$")


def sign_in(page, live_server, username, real_name):
    if not page.url.startswith(live_server.url + "/login/"):  # not already there after 退出
        page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.locator(".shell-user-name")).to_have_text(real_name)


def sign_out(page):
    page.locator(".shell-user").click()
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def nav(page, label):
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=label).click()


def open_from_todo(page):
    """收文办理 opens on 待办; the document is there, and its title opens it."""
    nav(page, "收文办理")
    expect(page.get_by_role("heading", name="收文办理")).to_be_visible()
    expect(page.get_by_role("link", name="待办", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.locator("#incoming-list").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()


def take_step(page, label, fill=None):
    """Open the step's form with its button, fill it, confirm; the page says it is done."""
    page.get_by_role("button", name=label, exact=True).click()
    form = page.locator("form.step-form").filter(
        has=page.get_by_role("heading", name=label, exact=True)
    )
    # Bootstrap's collapse has finished opening (it is "collapsing" while it animates).
    expect(form.locator("xpath=..")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    if fill:
        fill(form)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        form.get_by_role("button", name=f"确认{label}").click()
    assert answer.value.status == 302, f"{label}: {answer.value.status}"


def expect_message(page, text):
    expect(page.locator(".shell-messages").get_by_role("alert")).to_contain_text(text)


def expect_state(page, label):
    expect(page.locator("#document-state")).to_have_text(label)


def summary(page, year):
    """已办结 and 办结率 from the year's cards, with the rate's numerator and denominator."""
    nav(page, "收文统计")
    expect(page.get_by_role("heading", name="收文统计")).to_be_visible()
    cards = page.get_by_role("region", name=f"{year}年收文概况")
    expect(cards).to_be_visible()

    def card(label):
        return cards.locator(".stat-card").filter(has=page.get_by_text(label, exact=True))

    rate_card = card("办结率")
    detail = rate_card.locator(".stat-card-detail").inner_text()
    match = re.fullmatch(r"\s*已办结办件\s*(\d+)\s*÷\s*应办结\s*(\d+)\s*", detail)
    assert match, detail
    return {
        "done": int(card("已办结（件）").locator(".stat-card-value").inner_text()),
        "rate": rate_card.locator(".stat-card-value").inner_text().strip(),
        "action_done": int(match[1]),
        "due": int(match[2]),
    }


def rate_text(numerator, denominator):
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return f"{value}%"


def press_tab_to(page, selector):
    """Tab to the next field and check that the focus landed where the paper's order says."""
    page.keyboard.press("Tab")
    expect(page.locator(selector)).to_be_focused()


@pytest.fixture
def earlier_documents(personas, units):
    """This year's work so far: one 办件 completed on time, one overdue and still open, one
    阅件 in circulation — so 办结率 is 1 ÷ 2 before the journey."""
    today = timezone.localdate()
    secretary = personas["secretary"]
    year = today.year
    # Numbers outside the register's counter (carried over from the paper register), so the
    # letter registered in the journey takes 0001.
    make_incoming(
        secretary,
        registration_number=f"收〔{year}〕0901号",
        serial=901,
        lead_unit=units["a"],
        assignment_state="approved",
        state=S.COMPLETED,
        deadline=today,
        completed_on=today,
    )
    make_incoming(
        secretary,
        registration_number=f"收〔{year}〕0902号",
        serial=902,
        lead_unit=units["b"],
        state=S.HANDLING,
        deadline=today - datetime.timedelta(days=1),
    )
    make_incoming(
        secretary,
        registration_number=f"收〔{year}〕0903号",
        serial=903,
        kind=IncomingDocument.Kind.READING,
        state=S.CIRCULATING,
    )


def register_from_the_keyboard(page, year):
    number = f"粤教函〔{year}〕37号"
    expect(page.locator("#id_sender_name")).to_be_focused()  # the cursor waits in 来文单位
    page.keyboard.type(SENDER)
    press_tab_to(page, "#id_sender_level")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # 下级来文 → 上级来文
    press_tab_to(page, "#id_sender_number")
    page.keyboard.type(number)
    press_tab_to(page, "#id_title")
    page.keyboard.type(TITLE)
    press_tab_to(page, "#id_doc_type")
    page.keyboard.press("ArrowDown")  # 通知 → 通报
    press_tab_to(page, "input[name=kind]:checked")  # 办件 stays chosen
    press_tab_to(page, "input[name=urgency]:checked")
    page.keyboard.press("ArrowRight")  # 平件 → 加急
    press_tab_to(page, "#id_classification")  # 非密 stays
    press_tab_to(page, "#id_secrecy_period")
    press_tab_to(page, "#id_copies")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    press_tab_to(page, "#id_pages")
    page.keyboard.press("Control+A")
    page.keyboard.type("6")

    form = page.locator("#registration-form")
    expect(form.get_by_label("来文单位")).to_have_value(SENDER)
    expect(form.get_by_label("来文层级")).to_have_value("higher")
    expect(form.get_by_label("来文字号")).to_have_value(number)
    expect(form.get_by_label(field("标题"))).to_have_value(TITLE)
    expect(form.get_by_label("文种")).to_have_value("circular")
    expect(form.get_by_label("办件", exact=True)).to_be_checked()
    expect(form.get_by_label("加急")).to_be_checked()
    expect(form.get_by_label("份数")).to_have_value("2")
    expect(form.get_by_label("页数")).to_have_value("6")
    expect(form.get_by_label("收文日期")).to_have_value(timezone.localdate().isoformat())
    page.keyboard.press("Control+Enter")  # the form's own shortcut for 登记


def test_a_letter_goes_from_registration_to_the_archive(
    live_server, personas, units, earlier_documents, page
):
    year = timezone.localdate().year

    # 1. The secretary notes this year's figures.
    sign_in(page, live_server, "mishu", "王秘书")
    before = summary(page, year)
    assert before == {"done": 1, "rate": "50.0%", "action_done": 1, "due": 2}

    # 2. 收文登记 from the keyboard; the number comes with the success message.
    nav(page, "收文办理")
    page.get_by_role("link", name="收文登记", exact=True).click()
    expect(page.get_by_role("heading", name="收文登记")).to_be_visible()
    register_from_the_keyboard(page, year)
    expect_message(page, f"已登记，收文编号 收〔{year}〕0001号。")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect_state(page, "待初审")
    expect(page.locator("#document-state ~ .badge").first).to_have_text("加急")
    registration = page.get_by_role("region", name="登记信息")
    expect(registration).to_contain_text(f"{SENDER}（上级来文）")
    expect(registration).to_contain_text("2 份 / 6 页")
    document_url = page.url

    take_step(page, "初审通过")
    expect_message(page, "已初审通过。")
    expect_state(page, "待拟办")

    def propose(form):
        form.get_by_label(field("拟办意见")).fill("拟请李副市长阅示，由市教育局牵头办理。")
        form.get_by_label("李副市长（副市长）").check()
        form.get_by_label(field("拟主办单位")).select_option(label="珠海市教育局")

    take_step(page, "拟办", propose)
    expect_message(page, "已拟办，已呈送领导批示。")
    expect_state(page, "待批示")
    expect(page.get_by_text("拟主办：珠海市教育局")).to_be_visible()
    sign_out(page)

    # 3. The leader finds it on 待办 and instructs; the proposed lead unit gets the work.
    sign_in(page, live_server, "lingdao", "李副市长")
    open_from_todo(page)
    expect(page.get_by_role("region", name="拟办与领导批示")).to_contain_text(
        "拟请李副市长阅示，由市教育局牵头办理。"
    )
    take_step(
        page,
        "批示",
        lambda form: form.get_by_label(field("批示意见")).fill(
            "请市教育局抓紧核查整改，按期报送结果。"
        ),
    )
    expect_message(page, "已批示。")
    expect_state(page, "承办中")
    part = page.locator("li.assignment").filter(has_text="珠海市教育局")
    expect(part.locator(".assignment-state")).to_have_text("待接收")
    sign_out(page)

    # 4. The unit's handler accepts and reports with a file; the unit head approves.
    sign_in(page, live_server, "chengban_a", "陈承办")
    open_from_todo(page)
    take_step(page, "接收")
    expect_message(page, "已接收，请按期办理。")
    expect(part.locator(".assignment-state")).to_have_text("办理中")

    def report(form):
        form.get_by_label(field("办理结果")).fill(
            "已组织全市中小学校开展食品安全自查，问题均已整改。"
        )
        form.get_by_label(field("办理结果材料")).set_input_files(
            files=[{"name": "整改情况报告.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )

    take_step(page, "提交办理结果", report)
    expect_message(page, "办理结果已提交单位负责人审核。")
    expect(part.locator(".assignment-state")).to_have_text("待单位审核")
    expect(part.get_by_role("link", name="整改情况报告.pdf")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "fuzeren_a", "周局长")
    open_from_todo(page)
    take_step(page, "审核通过", lambda form: form.get_by_label("意见").fill("同意。"))
    expect_message(page, "已审核通过。")
    expect(part.locator(".assignment-state")).to_have_text("已办结")
    expect_state(page, "待办结")
    sign_out(page)

    # 5. The secretary completes and files it; nothing is left to edit.
    sign_in(page, live_server, "mishu", "王秘书")
    open_from_todo(page)
    assert page.url == document_url
    take_step(page, "办结")
    expect_message(page, "已办结。")
    expect_state(page, "已办结")
    take_step(page, "归档")
    expect_message(page, "已归档。")
    expect_state(page, "已归档")
    expect(page.get_by_role("link", name="修改登记信息")).to_have_count(0)
    expect(page.locator("#steps-heading")).to_have_count(0)
    expect(page.locator("form.step-form")).to_have_count(0)
    expect(page.get_by_role("region", name="登记信息")).to_contain_text("归档号")

    # 6. The statistics count it: one more completed, one more due.
    after = summary(page, year)
    assert after["done"] == before["done"] + 1
    assert (after["action_done"], after["due"]) == (before["action_done"] + 1, before["due"] + 1)
    assert after["rate"] == rate_text(before["action_done"] + 1, before["due"] + 1) == "66.7%"


def test_another_units_handler_gets_not_found(live_server, personas, units, page):
    document = make_incoming(
        personas["secretary"], lead_unit=units["a"], state=S.HANDLING, title=TITLE
    )
    sign_in(page, live_server, "chengban_b", "刘承办")
    nav(page, "收文办理")
    expect(page.locator("#incoming-list")).to_contain_text("这里没有收文。")
    response = page.goto(live_server.url + reverse("documents:incoming-detail", args=[document.pk]))
    assert response.status == 404
    expect(page.get_by_text(TITLE)).to_have_count(0)
