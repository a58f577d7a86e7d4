"""The text of an official document as GB/T 9704 lays it out, shared by every duty that prints
one (发文, 会议纪要, 督查通报 …): paragraphs classified by their numbering into heading levels, and
dates written the official way."""

import re

from django.utils import timezone

_CHINESE_NUMERAL = "[一二三四五六七八九十百零〇]+"
LEVELS = (
    (1, re.compile(rf"^{_CHINESE_NUMERAL}、")),
    (2, re.compile(rf"^[（(]{_CHINESE_NUMERAL}[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)


def heading_level(line):
    """The structure level of a paragraph by its numbering: 1–4, or 0 for plain text."""
    for level, pattern in LEVELS:
        if pattern.match(line):
            return level
    return 0


def paragraphs(body):
    """The body's paragraphs (one per non-empty line) for the official template.

    Plain text: {"level": 0, "text"}. A level-1 heading on its own line: {"level": 1, "text"}
    (a block in 黑体). A heading run in with its text, or a level 2–4 heading: {"level", "heading",
    "text"} — the heading up to and including its first 「。」 (the whole line without one) in
    the level's font (span.heading-N), then the text in 仿宋."""
    result = []
    for raw in (body or "").splitlines():
        line = raw.strip().strip("\u3000").strip()
        if not line:
            continue
        level = heading_level(line)
        if level == 0:
            result.append({"level": 0, "text": line})
            continue
        heading, stop, rest = line.partition("。")
        if level == 1 and not rest:
            result.append({"level": 1, "text": line})
        else:
            result.append({"level": level, "heading": heading + stop, "text": rest})
    return result


def chinese_date(value):
    """2026年11月23日: Arabic numerals, the year in full, no leading zeros (GB/T 9704 7.3.5)."""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"
