"""The print of a 发文 on the official templates (real WeasyPrint, read back with pdfplumber):
heading levels by their numbering, the 版头 of an issued 上行文 (发文字号 and 签发人 on one line),
title, 主送, 抄送 and 印发 lines, a draft's watermark without a number, 黑体 for level-1
headings, and the .docx import."""

import io
import re
from collections import defaultdict

import docx
import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from documents import outgoing_print, services
from documents.workflow import outgoing as flow

BODY = "\n".join(
    [
        "为做好2027年元旦春节期间安全生产工作，现将有关事项报告如下。",
        "一、提高思想认识",
        "（一）压实责任。各区、各部门要高度重视。",
        "1.开展排查。对重点行业逐一检查。",
        "（1）建立台账。逐项登记。",
        "二、加强值班值守",
        "  ",
        "请予审阅。",
    ]
)


@pytest.fixture(autouse=True)
def pdf_settings(tmp_path):
    with override_settings(PDF_CACHE_DIR=tmp_path / "pdf-cache", OFFICIAL_FONTS_DIR=""):
        yield


@pytest.fixture
def government(units):
    units["government"].header_text = "珠海市人民政府文件"
    units["government"].save()
    return units["government"]


def draft(personas, units, **overrides):
    values = dict(
        doc_type="report",
        issuing_unit=units["government"],
        direction="upward",
        title="珠海市人民政府关于2027年元旦春节期间安全生产工作的报告",
        body=BODY,
        main_recipients=(units["a"],),
        cc_recipients=(units["b"], units["office"]),
        attachment_note="1.检查情况汇总表\n2.值班安排表",
        remarks="联系人：王秘书，电话：2120000",
        printing_unit=units["office"],
    )
    values.update(overrides)
    return services.outgoing_draft(services.Draft(**values), actor=personas["secretary"])


def read(data):
    """Each page's text lines (characters grouped by baseline, left to right) and its chars."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as opened:
        for page in opened.pages:
            chars = [c for c in page.chars if c["size"] < 50]  # not the watermark
            lines = ["".join(c["text"] for c in line) for line in baseline_lines(chars)]
            pages.append({"lines": lines, "chars": list(page.chars)})
    return pages


def baseline_lines(chars):
    """Characters grouped by baseline (a run-in heading or the 签发人's name in another font
    shares it; its glyph box does not), top down, each line left to right."""
    grouped = defaultdict(list)
    for char in chars:
        grouped[round(-char["matrix"][5], 1)].append(char)
    merged = []
    for baseline in sorted(grouped):
        if merged and baseline - merged[-1][0] < 1:
            merged[-1][1].extend(grouped[baseline])
        else:
            merged.append((baseline, list(grouped[baseline])))
    return [sorted(line, key=lambda c: c["x0"]) for _, line in merged]


def all_lines(pages):
    return [line for page in pages for line in page["lines"]]


def test_paragraphs_are_classified_by_their_numbering():
    result = outgoing_print.paragraphs(BODY)
    assert [p["level"] for p in result] == [0, 1, 2, 3, 4, 1, 0]
    assert result[0] == {"level": 0, "text": BODY.splitlines()[0]}
    assert result[1] == {"level": 1, "text": "一、提高思想认识"}
    assert result[2] == {
        "level": 2,
        "heading": "（一）压实责任。",
        "text": "各区、各部门要高度重视。",
    }
    assert result[3] == {"level": 3, "heading": "1.开展排查。", "text": "对重点行业逐一检查。"}
    assert result[4] == {"level": 4, "heading": "（1）建立台账。", "text": "逐项登记。"}
    # Full-width numbering, a heading without text, a run-in level-1 heading, and numbers that
    # are not headings.
    assert outgoing_print.paragraphs("2．目标任务")[0]["level"] == 3
    assert outgoing_print.paragraphs("(二)工作要求")[0] == {
        "level": 2,
        "heading": "(二)工作要求",
        "text": "",
    }
    assert outgoing_print.paragraphs("三、总体要求。坚持稳中求进。")[0] == {
        "level": 1,
        "heading": "三、总体要求。",
        "text": "坚持稳中求进。",
    }
    assert outgoing_print.paragraphs("1.5亿元资金已到位。")[0]["level"] == 0
    assert outgoing_print.paragraphs("一是加强领导。")[0]["level"] == 0


def test_an_issued_upward_document_prints_its_header_body_and_colophon(personas, units, government):
    document = draft(personas, units)
    flow.submit(document, actor=personas["secretary"])
    flow.sign_off(document, actor=personas["leader"], opinion="同意。")
    flow.number(document, actor=personas["secretary"])
    document.refresh_from_db()
    year = timezone.localdate().year
    assert document.document_number == f"珠府〔{year}〕1号"

    context = outgoing_print.print_context(document, final=True)
    assert context["watermark"] == ""
    assert context["issuer"] == "李副市长"
    pages = read(outgoing_print.render_outgoing(document, final=True))
    lines = all_lines(pages)

    assert "珠海市人民政府文件" in lines
    number_line = next(line for line in lines if f"〔{year}〕" in line)
    assert number_line == f"珠府〔{year}〕1号签发人：李副市长"
    assert "珠海市人民政府关于2027年元旦春节期间安全生产工作的报告" in "".join(lines)
    assert "珠海市教育局：" in lines
    assert "附件：1.检查情况汇总表" in lines
    assert "2.值班安排表" in lines
    today = timezone.localdate()
    date = f"{today.year}年{today.month}月{today.day}日"
    assert date in lines  # 成文日期 = the sign-off date
    assert "（联系人：王秘书，电话：2120000）" in lines
    assert "抄送：珠海市人民政府办公室、珠海市住房和城乡建设局。" in lines
    assert f"珠海市人民政府办公室{date}印发" in lines
    assert not any("征求意见稿" in line or "送审稿" in line for line in lines)


def test_a_draft_prints_a_watermark_and_no_number(personas, units, government):
    document = draft(personas, units, classification=1, secrecy_period="1年", urgency="urgent")
    context = outgoing_print.print_context(document, final=False)
    assert context["watermark"] == "征求意见稿"
    assert context["copy_number"] == "000001"
    assert context["classification"] == "秘密★1年"
    assert context["urgency"] == "加急"
    assert context["issuer"] == ""  # not signed yet

    pages = read(outgoing_print.render_outgoing(document, final=False))
    for page in pages:
        assert "征求意见稿" in "".join(c["text"] for c in page["chars"] if c["size"] > 50)
    lines = all_lines(pages)
    assert not any("〔" in line for line in lines)
    assert "000001" in lines and "秘密★1年" in lines and "加急" in lines

    flow.submit(document, actor=personas["secretary"])
    assert outgoing_print.print_context(document, final=False)["watermark"] == "送审稿"
    # final=True before numbering: still no number to print.
    assert outgoing_print.print_context(document, final=True)["document_number"] == ""


def test_level_one_headings_are_in_heiti_and_the_text_in_fangsong(personas, units, government):
    document = draft(personas, units)
    pages = read(outgoing_print.render_outgoing(document, final=False))
    fonts = {}
    for page in pages:
        chars = [c for c in page["chars"] if abs(c["size"] - 16) < 0.5]
        for line in baseline_lines(chars):
            fonts["".join(c["text"] for c in line)] = {c["fontname"] for c in line}
    heading = fonts["一、提高思想认识"]
    body = fonts["请予审阅。"]
    assert all(re.search("Sans", name) for name in heading), heading  # 黑体 (Noto Sans CJK)
    assert not heading & body
    assert all("Sans" not in name for name in body), body  # 仿宋
    level_two = fonts["（一）压实责任。各区、各部门要高度重视。"]
    assert level_two - body  # the run-in 楷体 heading


def make_docx(paragraphs):
    built = docx.Document()
    for text in paragraphs:
        built.add_paragraph(text)
    buffer = io.BytesIO()
    built.save(buffer)
    return buffer.getvalue()


def test_docx_text_round_trip():
    data = make_docx(
        ["关于做好安全生产工作的通知", "", "一、提高思想认识", "  ", "（一）压实责任。"]
    )
    upload = SimpleUploadedFile(
        "通知.docx",
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    text = outgoing_print.docx_text(upload)
    assert text == "关于做好安全生产工作的通知\n一、提高思想认识\n（一）压实责任。"
    assert [p["level"] for p in outgoing_print.paragraphs(text)] == [0, 1, 2]


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7 not a word file", b"PK\x03\x04broken zip", "纯文本".encode()],
)
def test_a_file_that_is_not_a_docx_is_refused_in_chinese(content):
    upload = SimpleUploadedFile("通知.docx", content)
    with pytest.raises(ValidationError) as raised:
        outgoing_print.docx_text(upload)
    assert "无法读取该文件" in raised.value.messages[0]


def test_the_watermark_leaves_the_line_grid_untouched():
    from office import pdf

    context = pdf.sample_document_context(sections=1)

    def positions(data):
        with pdfplumber.open(io.BytesIO(data)) as opened:
            return [
                [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in page.chars]
                for page in opened.pages
            ]

    plain = positions(pdf.render_pdf("office/pdf/sample_document.html", context))
    marked = pdf.render_pdf("office/pdf/sample_document.html", {**context, "watermark": "送审稿"})
    with pdfplumber.open(io.BytesIO(marked)) as opened:
        assert len(opened.pages) == len(plain)
        for page, expected in zip(opened.pages, plain, strict=True):
            text = [
                (c["text"], round(c["x0"], 2), round(c["top"], 2))
                for c in page.chars
                if c["size"] < 50
            ]
            assert text == expected
            assert "".join(c["text"] for c in page.chars if c["size"] > 50) == "送审稿"
