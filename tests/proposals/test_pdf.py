"""答复函 (proposals.pdf, `replies/<pk>/<round>/print.pdf`) and 征询意见表 (`<pk>/feedback-form.pdf`),
read back from a real WeasyPrint render: the lead unit's name in red at the head of the letter,
the reply class boxed at the top right of the first page, the title 「关于…第0123号建议的答复」,
the salutation 「张明代表：」 (政协: 委员), the text, the unit and date, 联系人 and 联系电话, the
抄送 line with the session's liaison body, and a QR code that is exactly the code of the item
page's absolute URL; a draft prints as 征求意见稿; only for those who can see the item (404
otherwise). The feedback form has the two rating rows with their boxes and the QR code of the
proposer's rating link, and is the office's only."""

import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from office.official_text import chinese_date
from office.pdf import qr_png
from proposals import workflow as flow
from proposals.models import Session
from tests.meetings.test_minutes_pdf import read
from tests.proposals.test_workflow import approved, make_session, replied, submitted
from tests.steps import fresh
from tests.supervision.test_pdf import flat, qr_images

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pdf_settings(tmp_path):
    with override_settings(PDF_CACHE_DIR=tmp_path / "pdf-cache", OFFICIAL_FONTS_DIR=""):
        yield


@pytest.fixture
def session(db):
    return make_session()


@pytest.fixture
def unit_header(units):
    unit = units["a"]
    unit.header_text = "珠海市教育局文件"
    unit.save(update_fields=["header_text"])
    return unit


def reply_pdf(client, user, proposal, round_=1):
    client.force_login(user)
    return client.get(reverse("proposals:reply-pdf", args=[proposal.pk, round_]))


def feedback_pdf(client, user, proposal):
    client.force_login(user)
    return client.get(reverse("proposals:feedback-form-pdf", args=[proposal.pk]))


def marks(page):
    """The text printed larger than the body (the red authority mark), and its colours."""
    chars = [c for c in page.chars if 30 < c["size"] < 50]
    return "".join(c["text"] for c in chars), {c["non_stroking_color"] for c in chars}


def watermark(pages):
    return "".join(c["text"] for c in pages[0].chars if c["size"] >= 50)


def test_the_signed_reply_prints_in_the_letter_format(
    client, personas, units, session, unit_header
):
    proposal = replied(personas, units, session, co=("b",))
    response = reply_pdf(client, personas["secretary"], proposal)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    pages = read(response.content)
    lines = flat(pages)
    text = "".join(lines)

    # 版头: the lead unit's name (header text without 「文件」) in red; the class at the top right.
    mark, colours = marks(pages[0])
    assert mark == "珠海市教育局"
    assert all(colour not in ((0,), (0, 0, 0)) for colour in colours)
    assert lines[1] == "B"
    class_mark = next(c for c in pages[0].chars if c["text"] == "B")
    assert class_mark["x0"] > pages[0].width * 0.75  # at the right of the first page

    assert lines[2:4] == ["关于十六届人大三次会议", "第0123号建议的答复"]
    assert lines[4] == "张明代表："
    assert "一、关于学位供给。今年新建学校3所，新增学位5400个。" in text
    signature = lines.index("珠海市教育局", 1)
    letter = proposal.replies.get()
    assert lines[signature + 1] == chinese_date(letter.signed_at)
    assert lines[signature + 2] == "（联系人：王处长，联系电话：0756-2123456）"
    assert "扫描二维码查看本件办理情况" in text
    assert lines[-1] == "抄送：市人大常委会代表工作室，珠海市人民政府办公室。"
    assert watermark(pages) == ""  # signed: no 征求意见稿


def test_a_cppcc_reply_is_addressed_to_the_member(client, personas, units):
    cppcc = make_session(body=Session.Body.CPPCC)
    proposal = replied(personas, units, cppcc, 45, title="关于加强社区养老服务的提案")
    lines = flat(read(reply_pdf(client, personas["head_a"], proposal).content))
    assert lines[2:4] == ["关于十三届政协三次会议", "第0045号提案的答复"]
    assert lines[4] == "张明委员："
    assert lines[-1] == "抄送：市政协提案委员会，珠海市人民政府办公室。"


def test_a_salutation_kept_at_the_top_of_the_text_is_not_printed_twice(
    client, personas, units, session
):
    proposal = submitted(personas, units, session)
    letter = proposal.replies.get()
    letter.body = "张明代表：\n" + letter.body
    letter.save(update_fields=["body"])
    lines = flat(read(reply_pdf(client, personas["head_a"], proposal).content))
    assert lines.count("张明代表：") == 1


def test_an_unsigned_reply_prints_as_a_draft_dated_today(client, personas, units, session):
    proposal = submitted(personas, units, session)
    pages = read(reply_pdf(client, personas["handler_a"], proposal).content)
    assert watermark(pages) == "征求意见稿"
    lines = flat(pages)
    assert lines[lines.index("珠海市教育局", 2) + 1] == chinese_date(timezone.localdate())


def test_the_qr_code_is_the_code_of_the_items_page(client, personas, units, session):
    proposal = approved(personas, units, session)
    data = reply_pdf(client, personas["head_a"], proposal).content
    url = f"http://testserver{reverse('proposals:proposal-detail', args=[proposal.pk])}"
    [image] = qr_images(data)
    printed = image.convert("L").point(lambda v: 255 if v > 127 else 0)
    expected = Image.open(io.BytesIO(qr_png(url))).convert("L")
    assert printed.tobytes() == expected.tobytes()
    assert url in "".join(flat(read(data)))


def test_only_those_who_see_the_item_print_it(client, personas, units, session):
    proposal = approved(personas, units, session, co=("b",))
    assert reply_pdf(client, personas["handler_b"], proposal).status_code == 200  # a co-unit
    assert reply_pdf(client, personas["outsider"], proposal).status_code == 404
    assert reply_pdf(client, personas["leader"], proposal).status_code == 404
    proposal.co_units.clear()
    assert reply_pdf(client, personas["handler_b"], proposal).status_code == 404
    # A round without a letter is not found either.
    assert reply_pdf(client, personas["head_a"], proposal, 2).status_code == 404


def test_both_rounds_letters_stay_printable(client, personas, units, session):
    from tests.proposals.test_workflow import second_round_replied

    proposal = replied(personas, units, session)
    flow.rate(proposal, actor=None, attitude="dissatisfied", result="dissatisfied")
    second_round_replied(personas, fresh(proposal))
    first = flat(read(reply_pdf(client, personas["secretary"], proposal, 1).content))
    second = flat(read(reply_pdf(client, personas["secretary"], proposal, 2).content))
    assert (first[1], second[1]) == ("B", "A")
    assert "经重新办理，现再次答复如下：问题已解决。" in "".join(second)


# --- 征询意见表 ----------------------------------------------------------------------------------


def test_the_feedback_form_has_the_two_rating_rows_and_the_links_code(
    client, personas, units, session
):
    proposal = replied(personas, units, session, co=("b",))
    response = feedback_pdf(client, personas["secretary"], proposal)
    assert response.status_code == 200
    data = response.content
    pages = read(data)
    assert len(pages) == 1  # one sheet to send and return
    lines = flat(pages)
    text = "".join(lines)
    assert lines[:2] == ["十六届人大三次会议", "代表建议办理情况征询意见表"]
    for expected in (
        "建议编号第0123号",
        "建议标题关于增加城区学位供给的建议",
        "领衔代表张明",
        "主办单位珠海市教育局",
        "会办单位珠海市住房和城乡建设局",
        f"答复情况B类，{chinese_date(timezone.localdate())}答复",
        "办理态度满意基本满意不满意",
        "办理结果满意基本满意不满意",
        "意见和建议",
        "也可用手机扫描二维码在线评价，无需登录",
    ):
        assert expected in text, expected
    # The QR code is the proposer's rating link: it opens the rating page without an account.
    [image] = qr_images(data)
    url = re.search(r"http://testserver/proposals/rate/[^/]+/", text).group()
    path = url.removeprefix("http://testserver")
    printed = image.convert("L").point(lambda v: 255 if v > 127 else 0)
    assert printed.tobytes() == Image.open(io.BytesIO(qr_png(url))).convert("L").tobytes()
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "关于增加城区学位供给的建议" in page.content.decode()


def test_the_feedback_form_is_the_offices_only(client, personas, units, session):
    proposal = replied(personas, units, session, co=("b",))
    assert feedback_pdf(client, personas["head_a"], proposal).status_code == 403
    assert feedback_pdf(client, personas["handler_b"], proposal).status_code == 403
    assert feedback_pdf(client, personas["outsider"], proposal).status_code == 404
    assert feedback_pdf(client, personas["supervisor"], proposal).status_code == 200


def test_no_feedback_form_before_the_reply_is_signed(client, personas, units, session):
    proposal = submitted(personas, units, session)
    response = feedback_pdf(client, personas["secretary"], proposal)
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:proposal-detail", args=[proposal.pk])
    page = client.get(response["Location"])
    assert "答复函签发后、评价前才能打印征询意见表" in page.content.decode()
