"""办会 prints read back with pdfplumber (real WeasyPrint): the 会议纪要 in the 纪要格式 of
OFFICIAL_FORMAT.md / GB/T 9704 — the red 小标宋 mark 35 mm below the top of the type area, 第N期,
the issuing office and date, the red rule, the text at 三号, the decided items, and 出席 / 请假 /
列席 in 黑体 with the names in 仿宋 after them; a draft with its watermark and no number; the
agenda and the sign-in sheet with the right names; the views' headers and visibility."""

import datetime
import io

import pdfplumber
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from meetings import minutes as mins
from meetings import pdf
from tests.meetings.test_minutes_pages import Build, held_meeting, login, make_people
from tests.office.test_pdf_layout import (
    BODY_SIZE,
    BOTTOM,
    LEFT,
    MM,
    RED,
    RIGHT,
    SIZE_TOLERANCE,
    TOP,
    Page,
    close,
    is_black,
    is_red,
    lines,
    mm,
    text,
)

CENTRE = (LEFT + RIGHT) / 2
BODY = "\n".join(
    [
        "2026年11月20日，市长张市长主持召开市政府第12次常务会议。现纪要如下：",
        "一、关于调整全市中小学课后服务收费标准的请示",
        "会议听取了珠海市教育局的汇报，原则同意调整方案。",
        "（一）收费标准。按成本分担原则确定。",
    ]
)


@pytest.fixture(autouse=True)
def pdf_settings(tmp_path):
    with override_settings(PDF_CACHE_DIR=tmp_path / "pdf-cache", OFFICIAL_FONTS_DIR=""):
        yield


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


@pytest.fixture
def people(units):
    return make_people(units)


def drafted(build, personas, people, units):
    minutes = mins.draft(held_meeting(build, personas, people), actor=personas["secretary"])
    mins.revise(
        minutes,
        actor=personas["secretary"],
        body=BODY,
        decisions=[
            mins.Decision(
                content="由市教育局牵头制定实施方案，报市政府审定",
                lead_unit=units["a"],
                leader=personas["leader"],
                deadline=datetime.date(2026, 12, 31),
                co_units=(units["b"],),
            )
        ],
    )
    return minutes


def signed(build, personas, people, units):
    minutes = drafted(build, personas, people, units)
    mins.submit(minutes, actor=personas["secretary"])
    mins.sign_off(minutes, actor=personas["leader"])
    minutes.refresh_from_db()
    return minutes


def read(data):
    with pdfplumber.open(io.BytesIO(data)) as opened:
        return [Page(page) for page in opened.pages]


def text_lines(page):
    """(baseline, chars) of every line but the watermark's, top down."""
    return lines([c for c in page.chars if c["size"] < 50])


def all_text(pages):
    return [text(chars) for page in pages for _, chars in text_lines(page)]


def test_signed_minutes_print_in_the_minutes_format(build, personas, people, units):
    minutes = signed(build, personas, people, units)
    assert minutes.issue_text == f"{timezone.localdate().year}年第1期"
    pages = read(pdf.render_minutes(minutes))
    first = pages[0]
    found = all_text(pages)

    # The mark: 「市政府常务会议纪要」, red 小标宋 (a real bold face), centred, its ink 35 mm below
    # the top of the type area.
    mark = [c for c in first.chars if c["size"] > 22 + SIZE_TOLERANCE and c["size"] < 50]
    assert text(mark) == "市政府常务会议纪要"
    assert all(
        close(a, b, 0.01) for c in mark for a, b in zip(c["non_stroking_color"], RED, strict=True)
    )
    assert all("Bold" in c["fontname"] for c in mark)
    assert close((mark[0]["x0"] + mark[-1]["x1"]) / 2, CENTRE)
    ink = first.ink_rows(mark[0]["x0"], mark[-1]["x1"], TOP, TOP + 60 * MM, _is_red_pixel)
    assert close(ink[0], TOP + 35 * MM), mm(ink[0] - TOP)

    # The issue line 「第1期」 centred under the mark, then the office at the left and the date
    # at the right on one line, then the red rule across the type area.
    issue = next(chars for _, chars in text_lines(first) if text(chars) == "第1期")
    assert close((issue[0]["x0"] + issue[-1]["x1"]) / 2, CENTRE)
    assert all(is_black(c["non_stroking_color"]) for c in issue)
    today = timezone.localdate()
    date = f"{today.year}年{today.month}月{today.day}日"
    assert f"珠海市人民政府办公室{date}" in found
    office_line = next(
        chars for _, chars in text_lines(first) if text(chars) == f"珠海市人民政府办公室{date}"
    )
    assert close(office_line[0]["x0"], LEFT + BODY_SIZE)  # one character in
    assert close(office_line[-1]["x1"], RIGHT - BODY_SIZE)
    rules = [r for r in first.rects if is_red(r["non_stroking_color"] or ())]
    assert len(rules) == 1
    rule = rules[0]
    assert close(rule["x0"], LEFT) and close(rule["x1"], RIGHT)
    assert office_line[0]["bottom"] < rule["top"] < office_line[0]["bottom"] + 6 * MM

    # The text at 三号 below the rule, with its heading levels; the decided item after it.
    body = [c for c in first.chars if rule["bottom"] < c["top"] < BOTTOM and c["size"] < 50]
    assert body and all(abs(c["size"] - BODY_SIZE) <= SIZE_TOLERANCE for c in body)
    assert "一、关于调整全市中小学课后服务收费标准的请示" in found
    heading = next(
        chars for _, chars in text_lines(first) if text(chars).startswith("一、关于调整")
    )
    assert all("Sans" in c["fontname"] for c in heading)  # 黑体 (Noto Sans CJK SC)
    joined = "".join(found)
    assert (
        "1.由市教育局牵头制定实施方案，报市政府审定。（责任单位：珠海市教育局；"
        "协办单位：珠海市住房和城乡建设局；责任领导：李副市长；完成时限：2026年12月31日前）"
    ) in joined
    assert "第1期" in found and f"{today.year}年第1期" not in joined
    assert not any("征求意见稿" in line or "送审稿" in line for line in found)
    assert not [c for p in pages for c in p.chars if c["size"] >= 50]


def test_attendance_lines_in_order_bold_labels_names_after_the_colon(
    build, personas, people, units
):
    pages = read(pdf.render_minutes(signed(build, personas, people, units)))
    rows = [(p, b, chars) for p in pages for b, chars in text_lines(p)]
    labelled = [
        (p, b, chars) for p, b, chars in rows if text(chars)[:3] in ("出席：", "请假：", "列席：")
    ]
    assert [text(chars)[:3] for _, _, chars in labelled] == ["出席：", "请假：", "列席："]
    assert [text(chars) for _, _, chars in labelled] == [
        "出席：李副市长、张市长",
        "请假：黄副市长（由吴副秘书长代会）",
        "列席：市府办赵督查，市教育局周局长",
    ]
    for _, _, chars in labelled:
        label, names = chars[:3], chars[3:]
        assert all("Sans" in c["fontname"] for c in label)  # 三号黑体
        assert all("Sans" not in c["fontname"] for c in names)  # 三号仿宋 (FandolFang)
        assert all(abs(c["size"] - BODY_SIZE) <= SIZE_TOLERANCE for c in chars)
        assert close(label[0]["x0"], LEFT + 2 * BODY_SIZE)  # indented two characters
    # One blank line between the text and 出席: two grid lines from the last line before it.
    page, baseline, _ = labelled[0]
    before = [b for p, b, _ in rows if p is page and b < baseline]
    assert close(baseline - before[-1], 2 * 28.95)


def test_a_long_attendance_line_continues_after_the_colon(build, personas, people, units):
    minutes = signed(build, personas, people, units)
    context = pdf.minutes_context(minutes)
    context["attendance"] = [{"label": "列席", "names": "，".join(["市教育局周局长"] * 8)}]
    pages = read(pdf.render_pdf(pdf.MINUTES_TEMPLATE, context))
    rows = [chars for p in pages for _, chars in text_lines(p)]
    start = next(i for i, chars in enumerate(rows) if text(chars).startswith("列席："))
    first, second = rows[start], rows[start + 1]
    assert close(second[0]["x0"], first[3]["x0"]), (mm(second[0]["x0"]), mm(first[3]["x0"]))


def test_a_draft_prints_with_a_watermark_and_no_issue_number(build, personas, people, units):
    minutes = drafted(build, personas, people, units)
    pages = read(pdf.render_minutes(minutes))
    for page in pages:  # on every page
        assert text([c for c in page.chars if c["size"] >= 50]) == "征求意见稿"
    found = all_text(pages)
    assert not any("期" == line[-1:] for line in found)
    assert "市政府常务会议纪要" in found
    mins.submit(minutes, actor=personas["secretary"])
    minutes.refresh_from_db()
    first = read(pdf.render_minutes(minutes))[0]
    assert text([c for c in first.chars if c["size"] >= 50]) == "送审稿"


def test_the_agenda_and_the_sign_in_sheet_list_the_right_names(build, personas, people, units):
    meeting = held_meeting(build, personas, people)
    agenda = all_text(read(pdf.render_agenda(meeting)))
    assert "市政府第12次常务会议议程" in agenda
    assert "主持：李副市长" in agenda
    joined = "".join(agenda)  # table cells wrap: read the topic's words in order
    assert "关于调整全市中小学课后服务" in joined and "收费标准的请示" in joined
    assert "1关于调整全市中小学课后服务珠海市教育局15分钟" in joined

    sheet = read(pdf.render_sign_in_sheet(meeting))
    names = [row["name"] for row in pdf.sign_in_context(meeting)["people"]]
    assert names == ["李副市长", "张市长", "吴副秘书长", "赵督查", "周局长"]  # not 黄 (on leave)
    joined = "".join(all_text(sheet))
    assert "市政府第12次常务会议签到表" in joined
    for name in names:
        assert name in joined
    assert "黄副市长" not in joined.replace("代黄副市长", "")
    roles = [row["role"] for row in pdf.sign_in_context(meeting)["people"]]
    assert roles == ["出席", "出席", "出席（代黄副市长）", "列席", "列席"]
    assert "出席（代黄副市长）" in joined
    assert "签名" in joined


def test_the_print_views_check_visibility_and_are_kept_by_no_cache(
    client, build, personas, people, units
):
    minutes = signed(build, personas, people, units)
    login(client, personas["handler_a"])  # the responsible unit
    for url in (
        reverse("meetings:minutes-pdf", args=[minutes.pk]),
        reverse("meetings:meeting-agenda-pdf", args=[minutes.meeting_id]),
        reverse("meetings:meeting-sign-in-sheet-pdf", args=[minutes.meeting_id]),
    ):
        expected = 200 if "minutes" in url else 404  # unit A sees the minutes, not the meeting
        response = client.get(url)
        assert response.status_code == expected, url
    response = client.get(reverse("meetings:minutes-pdf", args=[minutes.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith('inline; filename="minutes-')
    assert response.content.startswith(b"%PDF")
    login(client, personas["head_a"])  # invited (列席): sees the meeting's prints
    response = client.get(reverse("meetings:meeting-sign-in-sheet-pdf", args=[minutes.meeting_id]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def _is_red_pixel(pixel):
    r, g, b = pixel
    return r > 160 and g < 100 and b < 100
