"""The print of a 发文 on the official GB/T 9704 templates (OFFICIAL_FORMAT.md), and the import
of a drafter's .docx text.

- paragraphs(body): the body split into paragraphs, each classified by its numbering
  (一、 黑体 · （一） 楷体 · 1. · （1）), in the shape office/pdf/sample_document.html uses;
- template_for(document): the layout by 文种 — templates/documents/pdf/outgoing.html (文件格式),
  outgoing_letter.html (信函格式, GB/T 9704 10.1, for 函) or outgoing_order.html (命令格式, 10.2,
  for 命令（令）); each extends office/pdf/base.html and includes the shared partials;
- print_context(document, version=..., final=...): the context of that template;
- render_outgoing(document, final=...): the PDF through office.pdf.render_pdf, the seal image
  (and nothing else) allow-listed for the renderer;
- docx_text(upload): the paragraphs of a .docx as text, one a line.

A draft print (final=False) carries no 发文字号, no seal and a watermark (征求意见稿 / 送审稿).
Only a final print of a document entered in the seal ledger (用印) carries the seal image."""

import logging
import zipfile
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils import timezone

from office.models import Clearance, Urgency
from office.official_text import chinese_date, paragraphs
from office.pdf import authority_mark_size, render_pdf

from .models import Direction, DocType, OutgoingDocument

logger = logging.getLogger(__name__)

TEMPLATE = "documents/pdf/outgoing.html"
LETTER_TEMPLATE = "documents/pdf/outgoing_letter.html"
ORDER_TEMPLATE = "documents/pdf/outgoing_order.html"
# GB/T 9704 10: the special formats, by 文种; every other 文种 prints as a 文件 (7).
TEMPLATES = {DocType.LETTER: LETTER_TEMPLATE, DocType.ORDER: ORDER_TEMPLATE}

# Full-width and half-width punctuation a name may end with: GB/T 9704 7.3.4 puts none after
# the names in the 附件说明.
TRAILING_PUNCTUATION = "。．.，,；;：:、！!？?"

S = OutgoingDocument.State

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


def _names(units):
    return "、".join(unit.name for unit in units)


def _attachment_note(note):
    lines = [line.strip() for line in (note or "").splitlines() if line.strip()]
    if not lines:
        return ""
    if not lines[0].startswith("附件"):
        lines[0] = "附件：" + lines[0]
    return "\n".join(lines)


def attachment_note_for(attachments):
    """GB/T 9704 7.3.4 附件说明 built from the document's attachments (when the drafter wrote
    none): 「附件：1.名称」 and one line for each following attachment (the template lines them
    up after 「附件：」), without punctuation after the names; a single attachment without a
    number: 「附件：名称」."""
    titles = [attachment.title.strip().rstrip(TRAILING_PUNCTUATION) for attachment in attachments]
    if not titles:
        return ""
    if len(titles) == 1:
        return f"附件：{titles[0]}"
    numbered = [
        f"{attachment.number}.{title}"
        for attachment, title in zip(attachments, titles, strict=True)
    ]
    return "\n".join(["附件：" + numbered[0], *numbered[1:]])


def attachment_pages(attachments):
    """GB/T 9704 8: the attachments with a text, each printed on its own page after the main
    document and before the 版记 — 「附件」 and its number (no number when the document has a
    single attachment, as in the 附件说明), the title, the text's paragraphs."""
    single = len(attachments) == 1
    return [
        {
            "label": "附件" if single else f"附件{attachment.number}",
            "title": attachment.title.strip().rstrip(TRAILING_PUNCTUATION),
            "paragraphs": paragraphs(attachment.body),
        }
        for attachment in attachments
        if attachment.body.strip()
    ]


def _remarks(remarks):
    remarks = (remarks or "").strip()
    if remarks[:1] in "（(" and remarks[-1:] in "）)" and remarks:
        remarks = remarks[1:-1].strip()
    return remarks


def watermark_for(document, *, final):
    if final:
        return ""
    return WATERMARKS.get(document.state, PROOF_WATERMARK)


def template_for(document):
    """The print template of `document`'s 文种: 信函格式 for 函, 命令格式 for 命令（令）, the 文件格式
    for the rest (GB/T 9704 10 and 7)."""
    return TEMPLATES.get(document.doc_type, TEMPLATE)


def authority_mark_for(document):
    """发文机关标志: 「××文件」 (the unit's header text) for the 文件格式; the authority's name
    alone for a 信函 (10.1); the name and 「令」 for a 命令 (10.2)."""
    unit = document.issuing_unit
    mark = unit.header_text or unit.name
    if document.doc_type == DocType.LETTER:
        return mark.removesuffix("文件") or unit.name
    if document.doc_type == DocType.ORDER:
        return (mark.removesuffix("文件") or unit.name) + "令"
    return mark


def seal_image_path(document, *, final):
    """The seal image a print of `document` carries (GB/T 9704 7.3.5.1), or None: only a final
    print, only after 用印 — sealed_at set and the use entered in the seal ledger — and then the
    image of the seal the latest ledger entry names. The renderer may read this one file (it is
    passed in allowed_files); a storage without local paths prints without the image."""
    if not final or document.sealed_at is None:
        return None
    entry = document.seal_uses.select_related("seal").order_by("-at", "-id").first()
    if entry is None or not entry.seal.image:
        return None
    try:
        path = Path(entry.seal.image.path)
    except (NotImplementedError, SuspiciousFileOperation):  # a remote storage, a bad name
        logger.warning("Seal %s has no local image file; printed without it.", entry.seal_id)
        return None
    if not path.is_file():
        logger.warning("Seal image %s is missing; printed without it.", path)
        return None
    return path


def print_context(document, *, version=None, final):
    """The context of the official template for `document` and `version` (default: its latest
    稿本). `final`: the issued document (its 发文字号, 成文日期 = the sign-off date, 印发日期 = the
    numbering date, the seal image once sealed); otherwise a draft print without number or seal,
    dated today, with a watermark."""
    return _print(document, version=version, final=final)[0]


def _print(document, *, version, final):
    """(context, allowed files) of a print: see print_context."""
    if version is None:
        version = document.versions.order_by("-number").first()
    today = timezone.localdate()
    unit = document.issuing_unit
    mark = authority_mark_for(document)

    classification = ""
    copy_number = ""
    if document.classification != Clearance.NONE:
        classification = Clearance(document.classification).label
        if document.secrecy_period:
            classification += f"★{document.secrecy_period}"
        copy_number = "000001"
    if document.copy_number:  # 7.2.1: also when copies of an unclassified document are counted
        copy_number = document.copy_number
    urgency = "" if document.urgency == Urgency.NORMAL else Urgency(document.urgency).label

    number = document.document_number if final else ""
    issuer = ""
    if document.direction == Direction.UPWARD and document.signer_id:
        issuer = document.signer.real_name or document.signer.username

    signed_on = document.signed_at if final and document.signed_at else today
    printed_on = document.numbered_at if final and document.numbered_at else today
    addressee = document.addressee_text.strip().rstrip("：:") or _names(
        document.main_recipients.all()
    )
    copies_to = _names(document.cc_recipients.all())
    printing_unit = document.printing_unit or unit
    attachments = list(document.attachments.order_by("number"))
    note = _attachment_note(version.attachment_note if version else "")
    if not note:
        note = attachment_note_for(attachments)
    seal = seal_image_path(document, final=final)
    signer = document.signer if document.signer_id else None

    context = {
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
        "attachment_note": note,
        "attachments": attachment_pages(attachments),
        "signatory": unit.name,
        "signer_title": signer.title if signer else "",
        "signer_name": (signer.real_name or signer.username) if signer else "",
        "date": chinese_date(signed_on),
        "seal": seal.as_uri() if seal else "",
        "unsealed": seal is None,
        "note": _remarks(version.remarks if version else ""),
        "copies_to": f"{copies_to}。" if copies_to else "",
        "printed_by": printing_unit.name,
        "printed_on": chinese_date(printed_on),
        "watermark": watermark_for(document, final=final),
    }
    return context, (seal,) if seal else ()


def render_outgoing(document, *, version=None, final):
    """The PDF of `document` on its 文种's template (template_for; see print_context). The seal
    image is the only local file the renderer may read."""
    context, allowed_files = _print(document, version=version, final=final)
    return render_pdf(template_for(document), context, allowed_files=allowed_files)


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
