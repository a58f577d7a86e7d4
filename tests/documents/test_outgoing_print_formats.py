"""The special print formats of a 发文 and what the issued print adds (real WeasyPrint, read back
with pdfplumber and measured against OFFICIAL_FORMAT.md / GB/T 9704-2012): the 信函格式 of a 函
(10.1), the 命令格式 of a 命令（令） (10.2), the seal image on a final print only after 用印
(7.3.5), attachments on their own pages before the 版记 (8) with the 附件说明 built from them
(7.3.4), and the 份号 (7.2.1)."""

import io
from pathlib import Path

import pdfplumber
import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from documents import outgoing_print
from documents.models import OutgoingAttachment, Seal, SealLedgerEntry
from documents.workflow import outgoing as flow
from tests.office.test_pdf_layout import (
    BODY_SIZE,
    BOTTOM,
    EM_ASCENT,
    EM_DESCENT,
    LEFT,
    MM,
    PAGE_NUMBER_SIZE,
    PITCH,
    RED,
    RESOLUTION,
    RIGHT,
    SIZE_TOLERANCE,
    TITLE_SIZE,
    TOP,
    Page,
    close,
    is_black,
    is_red,
    line_box_top,
    lines,
    mm,
    text,
)

from .test_outgoing_print import draft

CENTRE = (LEFT + RIGHT) / 2
PAPER_HEIGHT = 297 * MM
LONG_BODY = "\n".join(
    [
        "你局《关于商请支持校园安全专项整治工作的函》收悉。经研究，现函复如下。",
        *[
            f"{numeral}、关于第{index}项事项。"
            + "市政府同意你局提出的工作安排，请会同各区人民政府和有关部门认真组织实施，"
            "加强统筹协调，明确责任分工，确保各项措施落到实处，并及时报送工作进展情况。" * 2
            for index, numeral in enumerate("一二三四五六", start=1)
        ],
        "特此函复。",
    ]
)


@pytest.fixture(autouse=True)
def pdf_settings(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(PDF_CACHE_DIR=tmp_path / "pdf-cache", OFFICIAL_FONTS_DIR=""):
        yield


@pytest.fixture
def government(units):
    units["government"].header_text = "珠海市人民政府文件"
    units["government"].save()
    return units["government"]


def red_circle_png():
    """A seal image: a red ring with a star-less centre on a transparent ground."""
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((8, 8, 292, 292), outline=(230, 0, 18, 255), width=14)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_seal(unit, name="珠海市人民政府印章"):
    seal = Seal(unit=unit, name=name)
    seal.image.save("seal.png", ContentFile(red_circle_png()))
    return seal


def issue(document, personas):
    """送审 → 签发 → 编号: the document as it is before 用印."""
    flow.submit(document, actor=personas["secretary"])
    flow.sign_off(document, actor=personas["leader"], opinion="同意。")
    flow.number(document, actor=personas["secretary"])
    document.refresh_from_db()
    return document


def read_pages(data):
    with pdfplumber.open(io.BytesIO(data)) as opened:
        return [PrintedPage(page) for page in opened.pages]


class PrintedPage(Page):
    """A read-back page (tests/office/test_pdf_layout.Page) and its images."""

    def __init__(self, page):
        super().__init__(page)
        self.images = [dict(image) for image in page.images]

    def text_lines(self, size=None):
        chars = [c for c in self.chars if c["size"] < 50]  # not the watermark
        if size is not None:
            chars = [c for c in chars if abs(c["size"] - size) <= SIZE_TOLERANCE]
        return lines(chars)

    def line(self, wanted):
        """(baseline, chars) of the line whose text is `wanted`."""
        found = [(b, chars) for b, chars in self.text_lines() if text(chars) == wanted]
        assert len(found) == 1, [text(chars) for _, chars in self.text_lines()]
        return found[0]

    def red_runs(self, x0, x1, top, bottom):
        """The runs of rows (top, bottom in pt) holding red ink in the box, top down."""
        scale = RESOLUTION / 72
        crop = self.image.crop(
            (round(x0 * scale), round(top * scale), round(x1 * scale), round(bottom * scale))
        )
        rows = [
            y
            for y in range(crop.height)
            if any(
                p[0] > 160 and p[1] < 100 and p[2] < 100
                for p in (crop.getpixel((x, y)) for x in range(0, crop.width, 3))
            )
        ]
        runs = []
        for y in rows:
            if runs and y == runs[-1][1] + 1:
                runs[-1][1] = y
            else:
                runs.append([y, y])
        origin = round(top * scale)
        return [((origin + a) / scale, (origin + b + 1) / scale) for a, b in runs]


def em_top(baseline, size=BODY_SIZE):
    return baseline - EM_ASCENT * size


def em_bottom(baseline, size=BODY_SIZE):
    return baseline + EM_DESCENT * size


def all_text(pages):
    return [text(chars) for page in pages for _, chars in page.text_lines()]


# --- 信函格式 (GB/T 9704 10.1) --------------------------------------------------------------------


def test_a_letter_prints_in_the_letter_format(personas, units, government):
    document = draft(
        personas,
        units,
        doc_type="letter",
        direction="parallel",
        body=LONG_BODY,
        title="关于校园安全专项整治工作的复函",
    )
    document = issue(document, personas)
    year = timezone.localdate().year
    assert document.document_number == f"珠府函〔{year}〕1号"
    assert outgoing_print.template_for(document) == outgoing_print.LETTER_TEMPLATE
    pages = read_pages(outgoing_print.render_outgoing(document, final=True))
    assert len(pages) >= 2, "needs a second page to see its page number"
    first = pages[0]

    # The mark: the authority's name alone, red 小标宋, centred, its ink 30 mm from the top edge.
    mark = [c for c in first.chars if c["size"] > TITLE_SIZE + SIZE_TOLERANCE]
    assert text(mark) == "珠海市人民政府"
    assert all(
        close(a, b, 0.01) for c in mark for a, b in zip(c["non_stroking_color"], RED, strict=True)
    )
    assert all("Bold" in c["fontname"] for c in mark)
    assert close((mark[0]["x0"] + mark[-1]["x1"]) / 2, CENTRE)
    x0, x1 = mark[0]["x0"], mark[-1]["x1"]
    mark_ink = first.red_runs(x0, x1, 20 * MM, 45 * MM)
    assert close(mark_ink[0][0], 30 * MM), mm(mark_ink[0][0])
    mark_bottom = mark_ink[-1][1]

    # Two red double rules, 170 mm long and centred: thick over thin 4 mm below the mark, thin
    # over thick with its lower edge 20 mm above the bottom edge of the paper.
    rules = [r for r in first.rects if is_red(r["non_stroking_color"] or ())]
    assert rules
    for rule in rules:
        assert close(rule["x1"] - rule["x0"], 170 * MM), mm(rule["x1"] - rule["x0"])
        assert close((rule["x0"] + rule["x1"]) / 2, CENTRE)
    upper = first.red_runs(CENTRE - 80 * MM, CENTRE + 80 * MM, mark_bottom + 1, TOP + 30 * MM)
    assert len(upper) == 2, upper
    assert close(upper[0][0] - mark_bottom, 4 * MM), mm(upper[0][0] - mark_bottom)
    thick, thin = (b - a for a, b in upper)
    assert thick > 2 * thin, (thick, thin)
    lower = first.red_runs(CENTRE - 80 * MM, CENTRE + 80 * MM, BOTTOM, PAPER_HEIGHT)
    assert len(lower) == 2, lower
    thin, thick = (b - a for a, b in lower)
    assert thick > 2 * thin, (thick, thin)
    assert close(lower[-1][1], PAPER_HEIGHT - 20 * MM), mm(lower[-1][1])
    # …and nothing else on the page is red.
    assert all(is_black(c["non_stroking_color"]) for c in first.chars if c not in mark)

    # 发文字号 flush right under the rule, its characters 7/8 of a 三号 character below it.
    baseline, number = first.line(document.document_number)
    assert close(number[-1]["x1"], RIGHT), mm(RIGHT - number[-1]["x1"])
    assert close(em_top(baseline) - upper[-1][1], 7 / 8 * BODY_SIZE), mm(
        em_top(baseline) - upper[-1][1]
    )
    # The title two blank lines below it.
    title_baseline, title = first.text_lines(TITLE_SIZE)[0]
    assert text(title) == "关于校园安全专项整治工作的复函"
    number_line_bottom = line_box_top(baseline, BODY_SIZE) + PITCH
    gap = line_box_top(title_baseline, TITLE_SIZE) - number_line_bottom
    assert close(gap, 2 * PITCH), mm(gap)

    # No page number on the first page; the second carries 「— 2 —」.
    assert not [c for c in first.chars if c["top"] > BOTTOM]
    second = sorted(
        (c for c in pages[1].chars if close(c["size"], PAGE_NUMBER_SIZE, SIZE_TOLERANCE)),
        key=lambda c: c["x0"],
    )
    assert text(second) == "— 2 —"

    # The 版记: the 抄送 only — no rules, no 印发 line.
    last = pages[-1]
    assert "抄送：珠海市人民政府办公室、珠海市住房和城乡建设局。" in all_text([last])
    assert not any("印发" in line for line in all_text(pages))
    assert not [r for page in pages[1:] for r in page.rects]
    # The signature is the authority's name and the date, as in the 文件格式.
    assert "珠海市人民政府" in all_text(pages[-1:])


def test_a_draft_letter_has_its_watermark_and_no_number(personas, units, government):
    document = draft(personas, units, doc_type="letter", direction="parallel")
    pages = read_pages(outgoing_print.render_outgoing(document, final=False))
    assert "征求意见稿" in "".join(c["text"] for c in pages[0].chars if c["size"] > 50)
    assert not any("〔" in line for line in all_text(pages))


def test_other_doc_types_keep_the_document_format(personas, units, government):
    document = draft(personas, units, doc_type="notice")
    assert outgoing_print.template_for(document) == outgoing_print.TEMPLATE
    assert outgoing_print.print_context(document, final=False)["authority_mark"] == (
        "珠海市人民政府文件"
    )


# --- 命令格式 (GB/T 9704 10.2) --------------------------------------------------------------------


ORDER_BODY = "\n".join(
    [
        "《珠海市政务服务管理办法》已经2026年11月20日市人民政府第12次常务会议通过，现予公布，"
        "自2027年1月1日起施行。",
    ]
)


def test_an_order_prints_in_the_order_format(personas, units, government):
    document = draft(
        personas,
        units,
        doc_type="order",
        direction="downward",
        body=ORDER_BODY,
        main_recipients=(),
        attachment_note="",
        remarks="",
        title="珠海市政务服务管理办法",
    )
    document = issue(document, personas)
    year = timezone.localdate().year
    assert document.document_number == f"珠府令〔{year}〕1号"
    assert outgoing_print.template_for(document) == outgoing_print.ORDER_TEMPLATE
    pages = read_pages(outgoing_print.render_outgoing(document, final=True))
    first = pages[0]

    # The mark: the authority's name and 「令」, red 小标宋, centred, 20 mm below the top of the
    # type area; no red rule.
    mark = [c for c in first.chars if c["size"] > TITLE_SIZE + SIZE_TOLERANCE]
    assert text(mark) == "珠海市人民政府令"
    assert all(
        close(a, b, 0.01) for c in mark for a, b in zip(c["non_stroking_color"], RED, strict=True)
    )
    assert all("Bold" in c["fontname"] for c in mark)
    assert close((mark[0]["x0"] + mark[-1]["x1"]) / 2, CENTRE)
    ink = first.red_runs(mark[0]["x0"], mark[-1]["x1"], TOP, TOP + 45 * MM)
    assert len(ink) == 1, "a red rule or more"
    assert close(ink[0][0], TOP + 20 * MM), mm(ink[0][0] - TOP)
    assert not [r for r in first.rects if is_red(r["non_stroking_color"] or ())]

    # The order number two blank lines below the mark, centred; the text two below that.
    body = first.text_lines(BODY_SIZE)
    number_baseline, number = body[0]
    assert text(number) == document.document_number
    assert close((number[0]["x0"] + number[-1]["x1"]) / 2, CENTRE)
    mark_size = mark[0]["size"]
    mark_line_bottom = em_bottom(mark[0]["baseline"], mark_size)
    assert close(line_box_top(number_baseline, BODY_SIZE) - mark_line_bottom, 2 * PITCH), mm(
        line_box_top(number_baseline, BODY_SIZE) - mark_line_bottom
    )
    text_baseline, first_text = body[1]
    assert text(first_text).startswith("《珠海市政务服务管理办法》")
    assert close(text_baseline - number_baseline, 3 * PITCH, SIZE_TOLERANCE)
    assert "珠海市政务服务管理办法" not in [
        text(chars) for _, chars in first.text_lines(TITLE_SIZE)
    ]

    # The signer's title and name (not the authority's name), four characters from the right,
    # the title two characters left of the name; the date one blank line below.
    last = pages[-1]
    lines_text = all_text([last])
    assert "珠海市人民政府" not in lines_text
    baseline, signer = last.line("副市长李副市长")
    name = signer[3:]
    assert close(name[-1]["x1"], RIGHT - 4 * BODY_SIZE), mm(RIGHT - name[-1]["x1"])
    assert close(name[0]["x0"] - signer[2]["x1"], 2 * BODY_SIZE, 2)
    today = timezone.localdate()
    date_baseline, date = last.line(f"{today.year}年{today.month}月{today.day}日")
    assert close(date[-1]["x1"], RIGHT - 4 * BODY_SIZE)
    assert close(date_baseline - baseline, 2 * PITCH, SIZE_TOLERANCE)
    above = max(b for b, _ in last.text_lines(BODY_SIZE) if b < baseline - 1)
    assert close(baseline - above, 3 * PITCH, SIZE_TOLERANCE)  # two blank lines
    assert not last.images


def test_a_draft_order_without_a_signer_has_no_signer_line(personas, units, government):
    document = draft(personas, units, doc_type="order", direction="downward", body=ORDER_BODY)
    context = outgoing_print.print_context(document, final=False)
    assert context["authority_mark"] == "珠海市人民政府令"
    assert (context["signer_title"], context["signer_name"]) == ("", "")
    pages = read_pages(outgoing_print.render_outgoing(document, final=False))
    assert "征求意见稿" in "".join(c["text"] for c in pages[0].chars if c["size"] > 50)
    assert not any("〔" in line for line in all_text(pages))


# --- The seal (GB/T 9704 7.3.5) -------------------------------------------------------------------


def signature_lines(page, signatory="珠海市人民政府"):
    name_baseline, name = page.line(signatory)
    today = timezone.localdate()
    date_baseline, date = page.line(f"{today.year}年{today.month}月{today.day}日")
    return (name_baseline, name), (date_baseline, date)


def test_the_seal_is_printed_only_on_a_final_print_after_sealing(personas, units, government):
    document = issue(draft(personas, units, remarks=""), personas)
    seal = make_seal(units["government"])

    # Before 用印: neither print has an image; the signature has the unsealed layout (7.3.5.2:
    # the date two characters right of the name's start; as the date is the longer line, it
    # ends two characters from the right).
    for final in (True, False):
        pages = read_pages(outgoing_print.render_outgoing(document, final=final))
        assert not [image for page in pages for image in page.images]
    (name_baseline, name), (date_baseline, date) = signature_lines(pages[-1])
    assert close(date[-1]["x1"], RIGHT - 2 * BODY_SIZE), mm(RIGHT - date[-1]["x1"])
    assert close(date[0]["x0"] - name[0]["x0"], 2 * BODY_SIZE)
    assert close(date_baseline - name_baseline, PITCH, SIZE_TOLERANCE)
    assert outgoing_print.print_context(document, final=True)["unsealed"] is True

    flow.seal(document, actor=personas["secretary"], seal=seal, copies=30)
    document.refresh_from_db()

    # A draft print of the sealed document still has no seal.
    pages = read_pages(outgoing_print.render_outgoing(document, final=False))
    assert not [image for page in pages for image in page.images]

    # The final print: one image, centred over the name and the date (the date four characters
    # from the right, the name centred above it), its top within one line of the text.
    context = outgoing_print.print_context(document, final=True)
    assert context["seal"] == Path(seal.image.path).as_uri()
    assert context["unsealed"] is False
    pages = read_pages(outgoing_print.render_outgoing(document, final=True))
    images = [(page, image) for page in pages for image in page.images]
    assert len(images) == 1
    page, image = images[0]
    (name_baseline, name), (date_baseline, date) = signature_lines(page)
    assert close(date[-1]["x1"], RIGHT - 4 * BODY_SIZE), mm(RIGHT - date[-1]["x1"])
    date_centre = (date[0]["x0"] + date[-1]["x1"]) / 2
    assert close((name[0]["x0"] + name[-1]["x1"]) / 2, date_centre)
    assert close((image["x0"] + image["x1"]) / 2, date_centre)
    assert close(image["x1"] - image["x0"], 42 * MM)
    assert image["top"] < em_top(name_baseline) and image["bottom"] > em_bottom(date_baseline)
    above = [b for b, _ in page.text_lines(BODY_SIZE) if b < name_baseline - 1]
    gap = image["top"] - em_bottom(max(above))
    assert 0 < gap <= PITCH, mm(gap)


def test_the_seal_of_the_latest_ledger_entry_is_used(personas, units, government):
    document = issue(draft(personas, units), personas)
    first = make_seal(units["government"], "珠海市人民政府印章（1）")
    flow.seal(document, actor=personas["secretary"], seal=first, copies=3)
    second = make_seal(units["government"], "珠海市人民政府印章（2）")
    SealLedgerEntry.objects.create(
        seal=second,
        document=document,
        copies=2,
        applicant=personas["secretary"],
        approver=personas["leader"],
    )
    document.refresh_from_db()
    assert outgoing_print.seal_image_path(document, final=True) == Path(second.image.path)


def test_no_seal_without_a_ledger_entry_or_an_image(personas, units, government):
    document = issue(draft(personas, units), personas)
    # sealed_at without a ledger entry (e.g. data from before the ledger): no seal.
    document.sealed_at = timezone.now()
    document.save(update_fields=["sealed_at"])
    assert outgoing_print.seal_image_path(document, final=True) is None
    # An entry whose seal image file has gone: printed without the image, not an error.
    seal = make_seal(units["government"])
    SealLedgerEntry.objects.create(
        seal=seal,
        document=document,
        copies=1,
        applicant=personas["secretary"],
        approver=personas["leader"],
    )
    assert outgoing_print.seal_image_path(document, final=True) == Path(seal.image.path)
    Path(seal.image.path).unlink()
    assert outgoing_print.seal_image_path(document, final=True) is None
    assert outgoing_print.print_context(document, final=True)["unsealed"] is True


def test_an_order_carries_the_seal_on_the_signers_name(personas, units, government):
    document = issue(
        draft(personas, units, doc_type="order", direction="downward", body=ORDER_BODY),
        personas,
    )
    seal = make_seal(units["government"], "李副市长签名章")
    flow.seal(document, actor=personas["secretary"], seal=seal, copies=1)
    document.refresh_from_db()
    pages = read_pages(outgoing_print.render_outgoing(document, final=True))
    images = [(page, image) for page in pages for image in page.images]
    assert len(images) == 1
    page, image = images[0]
    baseline, signer = page.line("副市长李副市长")
    name = signer[3:]
    assert close((image["x0"] + image["x1"]) / 2, (name[0]["x0"] + name[-1]["x1"]) / 2)
    assert image["top"] < em_top(baseline) < em_bottom(baseline) < image["bottom"]


# --- Attachments (GB/T 9704 8) and the 附件说明 (7.3.4) --------------------------------------------


def attach(document, personas, number, title, body=""):
    return OutgoingAttachment.objects.create(
        document=document,
        number=number,
        title=title,
        body=body,
        uploaded_by=personas["secretary"],
    )


def test_attachments_are_printed_on_new_pages_before_the_colophon(personas, units, government):
    document = draft(personas, units, attachment_note="", remarks="")
    attach(
        document,
        personas,
        1,
        "检查情况汇总表。",
        "一、检查范围\n各区、各部门重点行业领域。\n（一）危险化学品。共检查企业120家。",
    )
    attach(document, personas, 2, "值班安排表", "元旦、春节期间每日安排一名领导带班。")
    attach(document, personas, 3, "工作照片")  # a file only: listed, not printed
    context = outgoing_print.print_context(document, final=False)
    assert context["attachment_note"] == "附件：1.检查情况汇总表\n2.值班安排表\n3.工作照片"

    pages = read_pages(outgoing_print.render_outgoing(document, final=False))
    # The 附件说明 under the text, the names lined up after 「附件：」.
    main = [page for page in pages if any("附件：1.检查情况汇总表" == t for t in all_text([page]))]
    assert len(main) == 1
    note_page = main[0]
    _, first_line = note_page.line("附件：1.检查情况汇总表")
    _, second_line = note_page.line("2.值班安排表")
    _, third_line = note_page.line("3.工作照片")
    assert close(first_line[0]["x0"], LEFT + 2 * BODY_SIZE)
    assert close(second_line[0]["x0"], first_line[3]["x0"], 1)
    assert close(third_line[0]["x0"], first_line[3]["x0"], 1)

    # Two attachment pages after the page with the signature, in order; the colophon only on
    # the last one.
    signature_page = next(i for i, page in enumerate(pages) if "珠海市人民政府" in all_text([page]))
    attachment_pages = pages[signature_page + 1 :]
    assert len(attachment_pages) == 2
    for page, label, title, first_text in zip(
        attachment_pages,
        ("附件1", "附件2"),
        ("检查情况汇总表", "值班安排表"),
        ("一、检查范围", "元旦、春节期间每日安排一名领导带班。"),
        strict=True,
    ):
        body = page.text_lines(BODY_SIZE)
        # 「附件N」 in 三号黑体 at the top left, on the first line.
        baseline, chars = body[0]
        assert text(chars) == label
        assert close(chars[0]["x0"], LEFT)
        assert close(line_box_top(baseline, BODY_SIZE), TOP), mm(line_box_top(baseline, BODY_SIZE))
        assert all("Sans" in c["fontname"] for c in chars)
        # The title centred on the third line, 二号小标宋.
        title_baseline, title_chars = page.text_lines(TITLE_SIZE)[0]
        assert text(title_chars) == title
        assert all("Bold" in c["fontname"] for c in title_chars)
        assert close((title_chars[0]["x0"] + title_chars[-1]["x1"]) / 2, CENTRE)
        assert close(line_box_top(title_baseline, TITLE_SIZE), TOP + 2 * PITCH), mm(
            line_box_top(title_baseline, TITLE_SIZE) - TOP
        )
        # Then its text, paragraphs classified as in the main text.
        assert text(body[1][1]) == first_text
        assert body[1][1][0]["x0"] > LEFT + 1.5 * BODY_SIZE  # indented two characters
    heading = attachment_pages[0].line("一、检查范围")[1]
    assert all("Sans" in c["fontname"] for c in heading)  # 黑体, as a level-1 heading
    assert "（一）危险化学品。共检查企业120家。" in all_text(attachment_pages[:1])
    assert "工作照片" not in "".join(
        t for page in attachment_pages for t in all_text([page]) if t != "3.工作照片"
    )
    colophon = [i for i, page in enumerate(pages) if any("印发" in t for t in all_text([page]))]
    assert colophon == [len(pages) - 1]
    assert not any("抄送" in t for t in all_text(pages[:-1]))


def test_one_attachment_is_named_without_a_number(personas, units, government):
    document = draft(personas, units, attachment_note="", remarks="")
    attach(document, personas, 1, "值班安排表", "元旦、春节期间每日安排一名领导带班。")
    context = outgoing_print.print_context(document, final=False)
    assert context["attachment_note"] == "附件：值班安排表"
    pages = read_pages(outgoing_print.render_outgoing(document, final=False))
    lines_text = all_text(pages)
    assert "附件：值班安排表" in lines_text
    baseline, chars = pages[-1].text_lines(BODY_SIZE)[0]
    assert text(chars) == "附件"


def test_a_written_attachment_note_is_kept(personas, units, government):
    document = draft(personas, units, attachment_note="1.检查情况汇总表\n2.值班安排表")
    attach(document, personas, 1, "另一个名称", "正文。")
    context = outgoing_print.print_context(document, final=False)
    assert context["attachment_note"] == "附件：1.检查情况汇总表\n2.值班安排表"
    assert [a["label"] for a in context["attachments"]] == ["附件"]


def test_without_attachments_there_is_no_attachment_page(personas, units, government):
    document = draft(personas, units, attachment_note="")
    context = outgoing_print.print_context(document, final=False)
    assert context["attachment_note"] == "" and context["attachments"] == []


# --- 份号 (GB/T 9704 7.2.1) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("classification", "copy_number", "printed"),
    [(1, "000123", "000123"), (1, "", "000001"), (0, "000042", "000042"), (0, "", "")],
)
def test_the_copy_number(personas, units, government, classification, copy_number, printed):
    document = draft(personas, units, classification=classification, secrecy_period="1年")
    document.copy_number = copy_number
    document.save(update_fields=["copy_number"])
    assert outgoing_print.print_context(document, final=False)["copy_number"] == printed
    if printed:
        pages = read_pages(outgoing_print.render_outgoing(document, final=False))
        baseline, chars = pages[0].text_lines(BODY_SIZE)[0]
        assert text(chars) == printed
        assert close(chars[0]["x0"], LEFT)
        assert close(line_box_top(baseline, BODY_SIZE), TOP)
