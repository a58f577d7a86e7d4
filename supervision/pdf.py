"""督办单 (supervision notice), printed at 交办 and sent to the units, rendered by
office.pdf.render_pdf on templates/supervision/pdf/notice.html.

The 信函格式 of GB/T 9704 10.1 (OFFICIAL_FORMAT.md "Special formats"): the issuing office's name
in red 小标宋 30 mm from the top edge (the office unit's header text without 「文件」, e.g.
「珠海市人民政府办公室」), the red double rules, the 督办编号 flush right where a letter carries
its 发文字号; the title 「督办通知单」; the lead and co-units as 主送; then the facts of the item
(督办编号, 事项名称, 来源 with its document, 牵头单位, 配合单位, 责任领导, 办结时限, 报送要求,
交办日期) as a ruled table, the 工作要求 paragraphs (office.official_text.paragraphs), the 节点目标
table when there are milestones, the reporting rules, the office and the date of 交办 without a
seal (7.3.5), and a QR code of the item's page: scanning it opens the item after login and the
same permission check as any other visit (the detail view's).

The QR code (office.pdf.qr_data_uri) is embedded as a data: URI — the PDF service's fetcher reads
nothing else. An item not yet assigned prints with the watermark 「待交办」 and is dated today.
"""

from django.utils import timezone

from office.models import Clearance
from office.official_text import chinese_date, paragraphs
from office.pdf import (
    authority_mark_size,
    qr_data_uri,
    qr_png,  # noqa: F401  (the notice's code, as the tests read it back)
    render_pdf,
)
from office.pdf import letter_mark as authority_mark
from office.selectors import issuing_office

from .schedule import cadence_text
from .workflow import item_url

NOTICE_TEMPLATE = "supervision/pdf/notice.html"
NOTICE_TITLE = "督办通知单"
UNASSIGNED_WATERMARK = "待交办"


def item_link(request, item):
    """The absolute URL the QR code carries: the item's page (login and permission checked
    there, as on every visit)."""
    return request.build_absolute_uri(item_url(item))


def _name(user):
    return (user.real_name or user.username) if user else ""


def _deadline_text(item):
    text = f"{chinese_date(item.deadline)}前"
    if item.extended:
        text += f"（已延期，原定{chinese_date(item.original_deadline)}）"
    return text


def _source_text(item):
    label = item.get_source_display()
    document = (item.source_label or "").strip()
    return f"{label}：{document}" if document else label


def notice_context(item, *, url, today=None):
    """The template context of `item`'s 督办单; `url` is what the QR code carries."""
    today = today or timezone.localdate()
    office = issuing_office()
    mark = authority_mark(office)
    co_units = [unit.name for unit in item.co_units.order_by("sort_order", "id")]
    assigned = item.assigned_on
    dated = assigned or today
    facts = [
        ("督办编号", item.item_number),
        ("事项名称", item.title),
        ("事项来源", _source_text(item)),
        ("牵头单位", item.lead_unit.name),
        ("配合单位", "、".join(co_units) or "无"),
        ("责任领导", _name(item.responsible_leader)),
        ("办结时限", _deadline_text(item)),
        ("报送要求", cadence_text(item, notice=True)),
        ("交办日期", chinese_date(assigned) if assigned else "尚未交办"),
    ]
    milestones = [
        {
            "position": milestone.position,
            "title": milestone.title,
            "due_on": chinese_date(milestone.due_on),
            "reached": f"已完成（{chinese_date(milestone.reached_on)}）"
            if milestone.reached_on
            else "",
        }
        for milestone in item.milestones.order_by("position")
    ]
    classification = ""
    if item.classification != Clearance.NONE:
        classification = Clearance(item.classification).label
    return {
        "title": NOTICE_TITLE,
        "authority_mark": mark,
        "mark_size": authority_mark_size(mark) if mark else "",
        "document_number": item.item_number,
        "classification": classification,
        "addressee": "、".join([item.lead_unit.name, *co_units]) + "：",
        "lead_unit": item.lead_unit.name,
        "has_co_units": bool(co_units),
        "facts": facts,
        "paragraphs": paragraphs(item.requirement) or [{"level": 0, "text": item.title + "。"}],
        "milestones": milestones,
        "report_text": cadence_text(item, notice=True),
        "signatory": office.name if office else "",
        "date": chinese_date(dated),
        "unsealed": True,
        "watermark": "" if assigned else UNASSIGNED_WATERMARK,
        "qr": qr_data_uri(url),
        "qr_url": url,
    }


def render_notice(item, *, url, today=None):
    """The 督办单 PDF of `item` (bytes), its QR code carrying `url`."""
    return render_pdf(NOTICE_TEMPLATE, notice_context(item, url=url, today=today))
