"""The printed 公文 read back: the sample document rendered by office/pdf.py and measured with
pdfplumber (and, for ink edges, rasterised) against the layout of GB/T 9704-2012 as
/work/shared/OFFICIAL_FORMAT.md states it. Tolerances: ±1 mm for positions, ±0.5 pt for sizes.

Where a position depends on font metrics it is taken from the ideographic em box, the frame
every CJK font is drawn in (0.88 em above the baseline, 0.12 em below); edges the standard
defines by the ink (the top of the authority mark, the page number's dashes) are measured on the
rasterised page."""

import io
import re
from collections import defaultdict

import pdfplumber
import pytest
from django.test import override_settings

from office import pdf

SAMPLE = "office/pdf/sample_document.html"
MM = 72 / 25.4
A4 = (595.28, 841.89)
POSITION_TOLERANCE = 1 * MM
SIZE_TOLERANCE = 0.5

# The type area (版心): 天头 37 mm, 订口 28 mm, 156 × 225 mm.
TOP, LEFT = 37 * MM, 28 * MM
RIGHT, BOTTOM = LEFT + 156 * MM, TOP + 225 * MM
# 22 lines per page: the grid's pitch is the stylesheet's 28.95 pt, a hair under 225 mm ÷ 22
# (28.99 pt) so that rounding never pushes the 22nd line over (OFFICIAL_FORMAT.md).
PITCH = 28.95
assert 22 * PITCH <= 225 * MM
BODY_SIZE, TITLE_SIZE, PAGE_NUMBER_SIZE = 16, 22, 14  # 三号, 二号, 四号
EM_ASCENT, EM_DESCENT = 0.88, 0.12
RED = (0xE6 / 255, 0, 0x12 / 255)  # the CSS red of gbt9704.css (#e60012)
RESOLUTION = 288  # dpi of the rasterised pages: 0.09 mm a pixel


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    """The sample 文件 with a 版头 of 份号, 密级 and 紧急程度 and text for four pages: odd and
    even pages, a full page in the middle and the colophon on the last one."""
    context = pdf.sample_document_context(sections=2)
    context.update(copy_number="000123", classification="机密★1年", urgency="特急")
    cache = tmp_path_factory.mktemp("pdf-cache")
    with override_settings(PDF_CACHE_DIR=cache, OFFICIAL_FONTS_DIR=""):
        data = pdf.render_pdf(SAMPLE, context)
    with pdfplumber.open(io.BytesIO(data)) as opened:
        pages = [Page(page) for page in opened.pages]
    assert len(pages) >= 3, "needs odd and even pages and a full page between first and last"
    for page in pages:
        assert page.chars, f"no text read back from page {page.number}"
    return pages


class Page:
    """What the tests need of one pdfplumber page, read while the file is open."""

    def __init__(self, page):
        self.number = page.page_number
        self.width, self.height = page.width, page.height
        self.chars = [dict(char, baseline=page.height - char["matrix"][5]) for char in page.chars]
        self.rects = list(page.rects)
        self.image = page.to_image(resolution=RESOLUTION).original.convert("RGB")

    def sized(self, size):
        return [c for c in self.chars if abs(c["size"] - size) <= SIZE_TOLERANCE]

    def body_chars(self):
        """三号 characters inside the type area (the page number is 四号 and below it)."""
        return [
            c
            for c in self.sized(BODY_SIZE)
            if TOP - POSITION_TOLERANCE <= c["baseline"] <= BOTTOM + POSITION_TOLERANCE
        ]

    def page_number_chars(self):
        return [
            c
            for c in self.sized(PAGE_NUMBER_SIZE)
            if c["top"] > BOTTOM - EM_DESCENT * PAGE_NUMBER_SIZE
        ]

    def ink_rows(self, x0, x1, top, bottom, is_ink):
        """The topmost and bottommost rows (in pt from the top of the page) of the box with a
        pixel for which is_ink((r, g, b)) holds, or None."""
        scale = RESOLUTION / 72
        box = (round(x0 * scale), round(top * scale), round(x1 * scale), round(bottom * scale))
        crop = self.image.crop(box)
        rows = [
            y
            for y in range(crop.height)
            if any(is_ink(crop.getpixel((x, y))) for x in range(crop.width))
        ]
        if not rows:
            return None
        return (box[1] + rows[0]) / scale, (box[1] + rows[-1] + 1) / scale


def lines(chars):
    """Characters grouped by baseline (a run-in heading in another font shares it), top down:
    a list of (baseline, chars sorted left to right)."""
    grouped = defaultdict(list)
    for char in chars:
        grouped[round(char["baseline"], 1)].append(char)
    merged = []
    for baseline in sorted(grouped):
        if merged and baseline - merged[-1][0] < 1:
            merged[-1][1].extend(grouped[baseline])
        else:
            merged.append((baseline, list(grouped[baseline])))
    return [
        (min(c["baseline"] for c in chars), sorted(chars, key=lambda c: c["x0"]))
        for _, chars in merged
    ]


def text(chars):
    return "".join(c["text"] for c in chars)


def line_box_top(baseline, size):
    """The top of the grid line a character of `size` sits in: its em box is centred in it."""
    em_centre = baseline - (EM_ASCENT - EM_DESCENT) / 2 * size
    return em_centre - PITCH / 2


def is_red(colour):
    return len(colour) == 3 and colour[0] >= 0.85 and max(colour[1:]) <= 0.1


def is_black(colour):
    return all(component <= 0.01 for component in colour)


def close(value, expected, tolerance=POSITION_TOLERANCE):
    return abs(value - expected) <= tolerance


def mm(points):
    return f"{points / MM:.2f} mm"


def full_page(document):
    """A page between the first and the last: text on every line."""
    return document[1]


def test_every_page_is_a4(document):
    for page in document:
        assert close(page.width, A4[0], SIZE_TOLERANCE), page.width
        assert close(page.height, A4[1], SIZE_TOLERANCE), page.height


def test_the_text_block_starts_at_the_binding_margin_and_stays_in_the_type_area(document):
    for page in document:
        body = page.body_chars()
        assert len(body) > 20, f"page {page.number}: no body text"
        left = min(c["x0"] for c in body)
        assert left >= LEFT - POSITION_TOLERANCE, f"page {page.number}: {mm(left)}"
        if page is not document[-1]:  # the last may hold only indented lines
            assert close(left, LEFT), f"page {page.number}: text starts {mm(left)} from the left"
        right = max(c["x1"] for c in body)
        assert right <= RIGHT + POSITION_TOLERANCE, f"page {page.number}: {mm(right)}"
    # Paragraphs are indented two characters, continuation lines flush left.
    first_lines = [chars[0]["x0"] for _, chars in lines(full_page(document).body_chars())]
    assert any(close(x0, LEFT + 2 * BODY_SIZE) for x0 in first_lines)
    assert sum(close(x0, LEFT) for x0 in first_lines) >= 10


def test_the_first_line_is_the_top_of_the_type_area(document):
    first, middle = document[0], full_page(document)
    # Page 1: the 版头's first line, the 份号 at the left in 三号 Arabic numerals.
    baseline, chars = lines(first.body_chars())[0]
    assert text(chars) == "000123"
    assert close(chars[0]["x0"], LEFT)
    assert close(line_box_top(baseline, BODY_SIZE), TOP), mm(line_box_top(baseline, BODY_SIZE))
    assert [text(chars) for _, chars in lines(first.body_chars())[1:3]] == ["机密★1年", "特急"]
    # A following page: the text's first line.
    baseline, chars = lines(middle.body_chars())[0]
    assert close(line_box_top(baseline, BODY_SIZE), TOP), mm(line_box_top(baseline, BODY_SIZE))


def test_type_sizes_of_title_and_text(document):
    first = document[0]
    title = [c for c in first.sized(TITLE_SIZE)]
    assert text(title) == "珠海市人民政府关于进一步加强政务服务效能建设的通知"
    assert all("Bold" in c["fontname"] for c in title)  # 小标宋 (a real bold face)
    body = [c for page in document for c in page.body_chars()]
    assert len(body) > 500
    # Everything in the type area is 三号 but the mark, the title and the 四号 colophon.
    sizes = {round(c["size"]) for page in document for c in page.chars}
    assert sizes == {42, TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE}


def test_only_the_authority_mark_and_the_rule_are_red(document):
    first = document[0]
    mark = [c for c in first.chars if c["size"] > TITLE_SIZE + SIZE_TOLERANCE]
    assert text(mark) == "珠海市人民政府文件"
    assert all(is_red(c["non_stroking_color"]) for c in mark)
    assert all(
        close(a, b, 0.01) for c in mark for a, b in zip(c["non_stroking_color"], RED, strict=True)
    )
    assert all("Bold" in c["fontname"] for c in mark)
    centre = (min(c["x0"] for c in mark) + max(c["x1"] for c in mark)) / 2
    assert close(centre, (LEFT + RIGHT) / 2)
    others = [c for page in document for c in page.chars if not (page is first and c in mark)]
    assert len(others) > 500
    assert all(is_black(c["non_stroking_color"]) for c in others)
    # The mark's ink starts 35 mm below the top of the type area.
    ink = first.ink_rows(
        min(c["x0"] for c in mark),
        max(c["x1"] for c in mark),
        min(c["top"] for c in mark) - 10 * MM,
        max(c["bottom"] for c in mark),
        lambda p: p[0] > 160 and p[1] < 100 and p[2] < 100,
    )
    assert ink is not None, "the mark is not drawn red"
    assert close(ink[0], TOP + 35 * MM), f"mark ink at {mm(ink[0])}"
    # The red separating rule: the full width of the type area, 4 mm below the 发文字号.
    rules = [r for r in first.rects if is_red(r["non_stroking_color"] or ())]
    assert len(rules) == 1
    rule = rules[0]
    assert close(rule["x0"], LEFT) and close(rule["x1"], RIGHT)
    number = next(chars for _, chars in lines(first.body_chars()) if "〔" in text(chars))
    number_bottom = number[0]["baseline"] + EM_DESCENT * BODY_SIZE
    assert close(rule["top"] - number_bottom, 4 * MM), mm(rule["top"] - number_bottom)


def test_a_full_page_has_22_lines_on_the_grid(document):
    page = full_page(document)
    body = lines(page.body_chars())
    assert len(body) == 22, [text(chars)[:6] for _, chars in body]
    # A fixed grid: no line (a run-in heading in another font, a 黑体 heading) pushes the
    # following ones down.
    pitches = [after[0] - before[0] for before, after in zip(body, body[1:], strict=False)]
    assert all(close(pitch, PITCH, 0.1) for pitch in pitches), [f"{p:.2f}" for p in pitches]
    first = body[0][0]
    for index, (baseline, chars) in enumerate(body):
        expected = first + index * PITCH
        assert close(baseline, expected, SIZE_TOLERANCE), (
            f"line {index + 1} ({text(chars)[:6]}) is {baseline - expected:+.2f} pt off the grid"
        )
    # 28 characters to a full line.
    assert max(len(chars) for _, chars in body) == 28
    last = body[-1][0] + EM_DESCENT * BODY_SIZE
    assert last <= BOTTOM + POSITION_TOLERANCE


def test_page_numbers_outside_the_type_area_right_on_odd_left_on_even_pages(document):
    for page in document:
        number = sorted(page.page_number_chars(), key=lambda c: c["x0"])
        assert text(number) == f"— {page.number} —", text(number)
        assert len({round(c["baseline"], 1) for c in number}) == 1
        if page.number % 2:
            right = max(c["x1"] for c in number)
            assert close(right, RIGHT - PAGE_NUMBER_SIZE), f"page {page.number}: {mm(right)}"
        else:
            left = min(c["x0"] for c in number)
            assert close(left, LEFT + PAGE_NUMBER_SIZE), f"page {page.number}: {mm(left)}"
        dash = number[0]
        ink = page.ink_rows(
            dash["x0"], dash["x1"], BOTTOM, dash["bottom"] + 5 * MM, lambda p: sum(p) < 300
        )
        assert ink is not None, f"page {page.number}: no dash drawn"
        assert close(ink[0], BOTTOM + 7 * MM), f"page {page.number}: dash at {mm(ink[0])}"


def test_the_document_number_line(document):
    first = document[0]
    number = [chars for _, chars in lines(first.body_chars()) if "〔" in text(chars)]
    assert len(number) == 1, "the 发文字号 is broken over lines"
    chars = number[0]
    assert text(chars) == "珠府〔2026〕12号"
    assert re.fullmatch(r"\w+〔\d{4}〕[1-9]\d*号", text(chars))
    assert "第" not in text(chars)
    centre = (chars[0]["x0"] + chars[-1]["x1"]) / 2
    assert close(centre, (LEFT + RIGHT) / 2)


def red_circle(path):
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((8, 8, 292, 292), outline=(230, 0, 18, 255), width=14)
    image.save(path)
    return path


def test_the_seal_overlays_name_and_date_only_from_an_allowed_file(tmp_path):
    """7.3.5.1: the seal centred over the authority's name and the date (the date four
    characters from the right); its image is read only when the caller allow-lists the file."""
    seal = red_circle(tmp_path / "seal.png")
    context = pdf.sample_document_context(sections=1)
    context.update(seal=seal.as_uri(), unsealed=False)
    with override_settings(PDF_CACHE_DIR=tmp_path / "cache", OFFICIAL_FONTS_DIR=""):
        sealed = pdf.render_pdf(SAMPLE, context, allowed_files=[seal])
        refused = pdf.render_pdf(SAMPLE, context)
    with pdfplumber.open(io.BytesIO(refused)) as opened:
        assert not [image for page in opened.pages for image in page.images]
    with pdfplumber.open(io.BytesIO(sealed)) as opened:
        images = [(page, image) for page in opened.pages for image in page.images]
        assert len(images) == 1
        page, image = images[0]
        chars = [dict(c, baseline=page.height - c["matrix"][5]) for c in page.chars]
    by_text = {text(line): (baseline, line) for baseline, line in lines(chars)}
    name_baseline, name = by_text["珠海市人民政府"]
    date_baseline, date = by_text["2026年11月23日"]
    assert close(date[-1]["x1"], RIGHT - 4 * BODY_SIZE), mm(RIGHT - date[-1]["x1"])
    centre = (date[0]["x0"] + date[-1]["x1"]) / 2
    assert close((name[0]["x0"] + name[-1]["x1"]) / 2, centre)
    assert close((image["x0"] + image["x1"]) / 2, centre)
    assert close(image["x1"] - image["x0"], 42 * MM) and close(
        image["bottom"] - image["top"], 42 * MM
    )
    assert image["top"] < name_baseline - EM_ASCENT * BODY_SIZE
    assert image["bottom"] > date_baseline + EM_DESCENT * BODY_SIZE
