"""发文办理 end to end in headless Chromium: the secretary drafts a notice of the city government,
the section chief returns it for revision, the secretary revises it (第2稿, compared line by line)
and resubmits, the chief passes it, the leader signs it off, the secretary numbers, seals and
dispatches it; a receiving unit's handler signs for it on 来文签收, the secretary sees the receipt,
and the issued PDF carries the 版头, the 发文字号, the title and the text.

Each person signs in through the login page and finds the document on 发文办理 (待办) or 来文签收,
the way the office works; every step is a button that opens its form, then the form's 确认 button.
"""

import io
import re

import pdfplumber
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from documents.models import ReviewLevel, Seal
from office.models import Clearance
from office.roles import Role
from tests.browser.test_incoming_journey import (
    expect_message,
    expect_state,
    field,
    nav,
    sign_in,
    sign_out,
    take_step,
)
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("patient_expectations"),
]

AUTHORITY_MARK = "珠海市人民政府文件"
SEAL_NAME = "珠海市人民政府印"
UNIT_A = "珠海市教育局"
UNIT_B = "珠海市住房和城乡建设局"
FIRST_HEADING = "一、压实防汛防台风责任"
OLD_LINE = "对水库、山塘、地质灾害隐患点逐一排查，建立台账，限期整改。"
NEW_LINE = "对水库、山塘、在建工地和地质灾害隐患点逐一排查，建立台账，限期整改到位。"
BODY = [
    "为切实做好今年汛期防汛防台风工作，确保人民群众生命财产安全，现将有关事项通知如下。",
    FIRST_HEADING,
    "各区、各部门要严格落实防汛防台风责任制，主要负责同志要亲自部署、靠前指挥。",
    "二、全面排查风险隐患",
    OLD_LINE,
    "三、严格应急值守",
    "汛期实行24小时值班和领导带班制度，遇有重大险情须在30分钟内报告。",
]


def title_for(year):
    return f"珠海市人民政府关于切实做好{year}年防汛防台风工作的通知"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"


def seal_png():
    """A seal's 印模: a red ring on a transparent background."""
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((12, 12, 388, 388), outline=(220, 0, 0, 255), width=14)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def office_setup(personas, units):
    """The city government's 版头, its one review level (科室核稿, the 秘书科 chief) and its seal."""
    government = units["government"]
    government.header_text = AUTHORITY_MARK
    government.save(update_fields=["header_text"])
    chief = make_user(
        "kezhang",
        "黄科长",
        unit=units["secretariat"],
        roles=[Role.SECRETARY],
        clearance=Clearance.SECRET,
    )
    level = ReviewLevel.objects.create(unit=government, level=1, label="科室核稿")
    level.reviewers.add(chief)
    seal = Seal.objects.create(unit=government, name=SEAL_NAME)
    seal.image.save("government.png", ContentFile(seal_png()), save=True)
    return {"chief": chief, "seal": seal}


def open_from_list(page, title, *, nav_label="发文办理", tab="待办"):
    """发文办理 opens on 待办 (来文签收 has no tabs); the document is there, and its title opens it."""
    nav(page, nav_label)
    expect(page.get_by_role("heading", name=nav_label)).to_be_visible()
    if tab:
        expect(page.get_by_role("link", name=tab, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def draft(page, title):
    nav(page, "发文办理")
    page.get_by_role("link", name="起草发文").click()
    expect(page.get_by_role("heading", name="起草发文")).to_be_visible()
    form = page.locator("#draft-form")
    form.get_by_label(field("文种")).select_option(label="通知")
    form.get_by_label(field("发文机关")).select_option(label="珠海市人民政府")
    # The picker: a click picks a unit (no Ctrl), the filter box narrows the list, and the
    # chosen units are listed under it.
    addressees = form.get_by_label(field("主送机关"))
    addressees.locator("option", has_text=UNIT_A).click()
    filter_box = form.locator("#id_main_recipients").locator("xpath=preceding-sibling::input[1]")
    filter_box.fill("住房")
    expect(addressees.locator("option", has_text=UNIT_A)).to_be_hidden()
    expect(addressees.locator("optgroup[label='人民政府']")).to_be_hidden()  # nothing matches
    addressees.locator("option", has_text=UNIT_B).click()
    filter_box.fill("")
    chosen = form.locator("#id_main_recipients").locator("xpath=following-sibling::div[1]")
    expect(chosen).to_have_text(f"已选 2 项：{UNIT_A}、{UNIT_B}")
    addressees.locator("option", has_text=UNIT_A).click()  # a second click takes it back
    expect(chosen).to_have_text(f"已选 1 项：{UNIT_B}")
    addressees.locator("option", has_text=UNIT_A).click()
    form.get_by_label(field("标题")).fill(title)
    form.get_by_label(field("正文")).fill("\n".join(BODY))
    form.get_by_role("button", name="保存草稿").click()


def revise(page):
    page.get_by_role("link", name="修改稿件").click()
    expect(page.get_by_role("heading", name=re.compile(r"^修改稿件"))).to_be_visible()
    form = page.locator("#draft-form")
    body = form.get_by_label(field("正文"))
    expect(body).to_have_value("\n".join(BODY))
    body.fill("\n".join(NEW_LINE if line == OLD_LINE else line for line in BODY))
    form.get_by_label(field("修改说明")).fill("按核稿意见补充在建工地排查。")
    form.get_by_role("button", name="保存为新稿").click()


def receipt_row(page, unit):
    return page.locator(f'#receipt-table tr[data-unit="{unit}"] .receipt-status')


def pdf_pages_text(data):
    """Each page's text with all whitespace removed (titles and 版头 may wrap or be spaced)."""
    with pdfplumber.open(io.BytesIO(data)) as opened:
        texts = ["".join((page.extract_text() or "").split()) for page in opened.pages]
        images = sum(len(page.images) for page in opened.pages)
    return texts, images


def test_a_notice_goes_from_draft_to_signed_receipt(
    live_server, personas, units, office_setup, page
):
    year = timezone.localdate().year
    title = title_for(year)
    number = f"珠府〔{year}〕1号"

    # 1. The secretary drafts the notice: the first version, not yet submitted.
    sign_in(page, live_server, "mishu", "王秘书")
    draft(page, title)
    expect_message(page, "已保存第1稿。")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect_state(page, "起草中")
    expect(page.locator("#text-heading")).to_have_text("正文（第1稿）")
    expect(page.locator("#document-number")).to_have_text("（未编号）")
    expect(page.locator(".outgoing-text")).to_contain_text(f"{UNIT_A}、{UNIT_B}：")
    expect(page.locator(".outgoing-text")).to_contain_text(FIRST_HEADING)
    document_url = page.url

    take_step(page, "送审（科室核稿）")
    expect_message(page, "已送出。")
    expect_state(page, "审核中")
    expect(page.get_by_text("第1级审核（科室核稿）")).to_be_visible()
    sign_out(page)

    # 2. The section chief finds it on 待办 and returns it with a comment.
    sign_in(page, live_server, "kezhang", "黄科长")
    open_from_list(page, title)
    take_step(
        page,
        "退回修改",
        lambda form: form.get_by_label(field("退回意见")).fill("隐患排查范围应包括在建工地。"),
    )
    expect_message(page, "已退回拟稿人修改。")
    expect_state(page, "退回修改")
    sign_out(page)

    # 3. The secretary revises it (第2稿), compares the two versions and submits again.
    sign_in(page, live_server, "mishu", "王秘书")
    open_from_list(page, title)
    assert page.url == document_url
    expect(page.locator("#opinions")).to_contain_text("隐患排查范围应包括在建工地。")
    revise(page)
    expect_message(page, "已保存（当前为第2稿）。")
    expect(page.locator("#text-heading")).to_have_text("正文（第2稿）")
    expect(page.locator("#version-table tbody tr")).to_have_count(2)

    page.get_by_role("link", name="比对第1稿与第2稿").click()
    expect(page.get_by_role("heading", name="稿本比对")).to_be_visible()
    compare = page.locator("#compare")
    expect(compare.locator("#change-count")).to_have_text("正文 1 处改动")
    expect(compare).to_contain_text("修改说明：按核稿意见补充在建工地排查。")
    changed = compare.locator("tr.diff-changed")
    expect(changed).to_have_count(1)
    expect(changed.locator("del")).to_have_text(OLD_LINE)
    expect(changed.locator("ins")).to_have_text(NEW_LINE)
    page.get_by_role("link", name="返回").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()

    take_step(page, "送审（科室核稿）")
    expect_message(page, "已送出。")
    expect_state(page, "审核中")
    sign_out(page)

    # 4. The chief passes it; the leader signs it off with an opinion.
    sign_in(page, live_server, "kezhang", "黄科长")
    open_from_list(page, title)
    take_step(page, "审核通过", lambda form: form.get_by_label(field("意见")).fill("已核。"))
    expect_message(page, "已审核通过。")
    expect_state(page, "待签发")
    sign_out(page)

    sign_in(page, live_server, "lingdao", "李副市长")
    open_from_list(page, title)
    expect(page.locator(".outgoing-text")).to_contain_text(NEW_LINE)
    take_step(
        page,
        "签发",
        lambda form: form.get_by_label(field("签发意见")).fill("同意印发，请抓好落实。"),
    )
    expect_message(page, "已签发，请秘书复核编号。")
    expect_state(page, "已签发")
    expect(page.locator("#sign-off")).to_contain_text("李副市长（副市长）")
    expect(page.locator("#sign-off")).to_contain_text("同意印发，请抓好落实。")
    sign_out(page)

    # 5. The secretary numbers, seals and dispatches it; both units wait to sign.
    sign_in(page, live_server, "mishu", "王秘书")
    open_from_list(page, title)
    take_step(page, "复核编号")
    expect_message(page, "已编号。")
    expect_state(page, "已编号")
    expect(page.locator("#document-number")).to_have_text(number)

    def seal(form):
        form.get_by_label(field("印章")).select_option(label=SEAL_NAME)
        form.get_by_label(field("用印份数")).fill("40")

    take_step(page, "用印", seal)
    expect_message(page, "已用印并登记印章使用台账。")
    expect_state(page, "已用印")
    expect(page.get_by_role("region", name="用印", exact=True)).to_contain_text(
        f"{SEAL_NAME} · 40 份"
    )

    take_step(page, "核发")
    expect_message(page, "已核发。")
    expect_state(page, "已核发")
    expect(page.locator("#receipt-summary")).to_have_text("0/2 个单位已签收")
    expect(page.locator("#receipt-table tbody tr")).to_have_count(2)
    for unit in (UNIT_A, UNIT_B):
        expect(receipt_row(page, unit)).to_contain_text("未签收")
    sign_out(page)

    # 6. Unit A's handler finds it on 来文签收 and signs for it.
    sign_in(page, live_server, "chengban_a", "陈承办")
    nav(page, "来文签收")
    expect(page.get_by_role("heading", name="来文签收")).to_contain_text("1 件待签收")
    row = page.locator("#receipts-waiting tbody tr").filter(has_text=title)
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("待签收")
    row.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    take_step(page, "签收")
    expect_message(page, "已签收。")
    expect(page.get_by_role("button", name="签收", exact=True)).to_have_count(0)
    nav(page, "来文签收")
    expect(page.locator("#receipts-waiting")).to_contain_text("没有待签收的公文")
    expect(page.locator("#receipt-list tbody tr").filter(has_text=title)).to_contain_text("陈承办")
    sign_out(page)

    # 7. The secretary sees the receipt: one unit of two, signed by the handler.
    sign_in(page, live_server, "mishu", "王秘书")
    open_from_list(page, title)
    expect(page.locator("#receipt-summary")).to_have_text("1/2 个单位已签收")
    expect(receipt_row(page, UNIT_A)).to_contain_text("已签收 陈承办")
    expect(receipt_row(page, UNIT_B)).to_contain_text("未签收")

    # 8. The issued PDF, fetched with the secretary's session.
    link = page.get_by_role("link", name="正式文本 PDF")
    href = link.get_attribute("href")
    assert href.endswith("/print.pdf?final=1"), href
    response = page.context.request.get(live_server.url + href, timeout=60_000)
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    data = response.body()
    assert data.startswith(b"%PDF")
    texts, images = pdf_pages_text(data)
    first = texts[0]
    assert AUTHORITY_MARK in first, first
    assert number in first, first
    assert "".join(title.split()) in first, first
    assert FIRST_HEADING in first, first
    assert images >= 1  # the seal's image, applied at 用印
