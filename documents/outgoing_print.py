"""The print of a 发文 on the official GB/T 9704 templates (OFFICIAL_FORMAT.md), and the import
of a drafter's .docx text.

- paragraphs(body): the body split into paragraphs, each classified by its numbering
  (一、 黑体 · （一） 楷体 · 1. · （1）), in the shape office/pdf/sample_document.html uses;
- print_context(document, version=..., final=...): the context of
  templates/documents/pdf/outgoing.html (which extends office/pdf/base.html and includes the
  shared 版头, signature and 版记 partials);
- render_outgoing(document, final=...): the PDF through office.pdf.render_pdf;
- docx_text(upload): the paragraphs of a .docx as text, one a line.

A draft print (final=False) carries no 发文字号 and a watermark (征求意见稿 / 送审稿)."""

import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils import timezone

from office.models import Clearance, Urgency
from office.pdf import authority_mark_size, render_pdf

from .models import Direction, OutgoingDocument

TEMPLATE = "documents/pdf/outgoing.html"

S = OutgoingDocument.State

_CHINESE_NUMERAL = "[一二三四五六七八九十百零〇]+"
LEVELS = (
    (1, re.compile(rf"^{_CHINESE_NUMERAL}、")),
    (2, re.compile(rf"^[（(]{_CHINESE_NUMERAL}[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)

# Watermarks of a print before sign-off (a draft must never pass for the issued document).
WATERMARKS = {
    S.DRAFT: "征求意见稿",
    S.RETURNED: "征求意见稿",
    S.CO_SIGNING: "征求意见稿",
    S.IN_REVIEW: "送审稿",
    S.AWAITING_SIGN_OFF: "送审稿",
}
# A non-final print of a document already signed off (a proof before printing).
PROOF_WATERMARK = "校对稿"


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


def _names(units):
    return "、".join(unit.name for unit in units)


def _attachment_note(note):
    lines = [line.strip() for line in (note or "").splitlines() if line.strip()]
    if not lines:
        return ""
    if not lines[0].startswith("附件"):
        lines[0] = "附件：" + lines[0]
    return "\n".join(lines)


def _remarks(remarks):
    remarks = (remarks or "").strip()
    if remarks[:1] in "（(" and remarks[-1:] in "）)" and remarks:
        remarks = remarks[1:-1].strip()
    return remarks


def watermark_for(document, *, final):
    if final:
        return ""
    return WATERMARKS.get(document.state, PROOF_WATERMARK)


def print_context(document, *, version=None, final):
    """The context of the official template for `document` and `version` (default: its latest
    稿本). `final`: the issued document (its 发文字号, 成文日期 = the sign-off date, 印发日期 = the
    numbering date); otherwise a draft print without number, dated today, with a watermark."""
    if version is None:
        version = document.versions.order_by("-number").first()
    today = timezone.localdate()
    unit = document.issuing_unit
    mark = unit.header_text or unit.name

    classification = ""
    copy_number = ""
    if document.classification != Clearance.NONE:
        classification = Clearance(document.classification).label
        if document.secrecy_period:
            classification += f"★{document.secrecy_period}"
        copy_number = "000001"
    urgency = "" if document.urgency == Urgency.NORMAL else Urgency(document.urgency).label

    number = document.document_number if final else ""
    issuer = ""
    if document.direction == Direction.UPWARD and document.signer_id:
        issuer = document.signer.real_name or document.signer.username

    signed_on = document.signed_at if final and document.signed_at else today
    printed_on = document.numbered_at if final and document.numbered_at else today
    addressee = _names(document.main_recipients.all())
    copies_to = _names(document.cc_recipients.all())
    printing_unit = document.printing_unit or unit

    return {
        "title": version.title if version else document.title,
        "authority_mark": mark,
        "mark_size": authority_mark_size(mark),
        "document_number": number,
        "copy_number": copy_number,
        "classification": classification,
        "urgency": urgency,
        "issuer": issuer,
        "addressee": f"{addressee}：" if addressee else "",
        "paragraphs": paragraphs(version.body if version else ""),
        "attachment_note": _attachment_note(version.attachment_note if version else ""),
        "signatory": unit.name,
        "date": chinese_date(signed_on),
        "unsealed": True,
        "note": _remarks(version.remarks if version else ""),
        "copies_to": f"{copies_to}。" if copies_to else "",
        "printed_by": printing_unit.name,
        "printed_on": chinese_date(printed_on),
        "watermark": watermark_for(document, final=final),
    }


def render_outgoing(document, *, version=None, final):
    """The PDF of `document` on the official template (see print_context)."""
    return render_pdf(TEMPLATE, print_context(document, version=version, final=final))


NOT_DOCX = "无法读取该文件：请上传 Word 文档（.docx 格式）。"


def docx_text(upload):
    """The text of a .docx (an uploaded file, a file object or a path): its non-empty
    paragraphs joined by newlines. A file that is not a readable .docx raises ValidationError."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if hasattr(upload, "seek"):
        upload.seek(0)
    try:
        document = docx.Document(upload)
        lines = [paragraph.text.strip() for paragraph in document.paragraphs]
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(NOT_DOCX) from exc
    except Exception as exc:  # lxml parse errors of a damaged package
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise ValidationError(NOT_DOCX) from exc
        raise
    return "\n".join(line for line in lines if line)
