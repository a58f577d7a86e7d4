"""Prints of 建议提案办理, rendered by office.pdf.render_pdf:

- 答复函 (templates/proposals/pdf/reply.html), in the 信函格式 of GB/T 9704 10.1
  (OFFICIAL_FORMAT.md "Special formats"): the lead unit's name in red 小标宋 30 mm from the top
  edge (its header text without 「文件」, else its name) with the red double rules; the reply
  class (答复分类, A/B/C …) printed in a box at the top right of the first page where a letter
  carries its 发文字号 (DOMAIN.md §7); the title 「关于<届次>第0123号<建议/议案/提案>的答复」;
  the proposer as 主送 (「张明代表：」, 政协 「张明委员：」); the text (office.official_text.
  paragraphs — a salutation line the drafter kept at the top of the text is not printed twice);
  the unit and the date of signing without a seal (7.3.5); 联系人 and 联系电话 as 附注 (7.3.6);
  the 版记 of a letter with its 抄送 line — the session's liaison body (联络机构) and the office;
  and a QR code of the item's page (after login and the same permission check as any visit).
  A letter not yet signed off prints with the watermark 「征求意见稿」 and today's date.
- 征询意见表 (templates/proposals/pdf/feedback_form.html): the form the office sends the proposer
  on paper with the reply — the item, the reply's class and date, 办理态度 and 办理结果 each with
  boxes 满意 / 基本满意 / 不满意, room for 意见和建议 and the signature, and the QR code of the
  proposer's rating link (workflow.rating_token: signed, for this round, expiring), which needs
  no account.

QR codes are embedded as data: URIs (office.pdf.qr_data_uri): the renderer fetches nothing else.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from office.official_text import chinese_date, paragraphs
from office.pdf import authority_mark_size, letter_mark, qr_data_uri, render_pdf
from office.selectors import issuing_office

from .models import Rating
from .reply_templates import salutation
from .workflow import RATING_LINK_DAYS, proposal_url, rating_token

REPLY_TEMPLATE = "proposals/pdf/reply.html"
FEEDBACK_TEMPLATE = "proposals/pdf/feedback_form.html"
DRAFT_WATERMARK = "征求意见稿"


def proposal_link(request, proposal):
    """The absolute URL a reply's QR code carries: the item's page (login and permission checked
    there, as on every visit)."""
    return request.build_absolute_uri(proposal_url(proposal))


def rating_link(request, proposal):
    """The absolute URL of the proposer's rating link for the current round (no account needed;
    valid RATING_LINK_DAYS days)."""
    return request.build_absolute_uri(
        reverse("proposals:rate-by-link", args=[rating_token(proposal)])
    )


def reply_title(proposal):
    """「关于十六届人大三次会议第0123号建议的答复」."""
    return "".join(reply_title_lines(proposal))


def reply_title_lines(proposal):
    """The title in lines of sense (GB/T 9704 7.3.1: a long title breaks where the meaning
    allows, not where the line is full): 「关于十六届人大三次会议」 / 「第0123号建议的答复」 — at
    二号 22 such titles are just too wide for one line of the 156 mm type area."""
    return [
        f"关于{proposal.session.name}",
        f"{proposal.number_text}{proposal.get_kind_display()}的答复",
    ]


def _body_paragraphs(letter, addressee):
    """The reply's text as official paragraphs, without a first line that only repeats the
    salutation printed as the 主送 line."""
    result = paragraphs(letter.body)
    if result and result[0].get("text", "").rstrip("：:") == addressee.rstrip("："):
        result = result[1:]
    return result


def _copies_to(proposal):
    """抄送: the session's liaison body (人大/政协 联络机构) and the office, ending with 「。」."""
    office = issuing_office()
    names = [proposal.session.liaison_body.strip(), office.name if office else ""]
    names = [n for n in dict.fromkeys(names) if n]
    return "，".join(names) + "。" if names else ""


def reply_context(letter, *, url, today=None):
    """The template context of a reply letter; `url` is what the QR code carries."""
    proposal = letter.proposal
    mark = letter_mark(letter.unit)
    signed = letter.signed_at is not None
    addressee = f"{salutation(proposal)}："
    contact = "，".join(
        part
        for part in (
            f"联系人：{letter.contact_person}" if letter.contact_person else "",
            f"联系电话：{letter.contact_phone}" if letter.contact_phone else "",
        )
        if part
    )
    return {
        "title": reply_title(proposal),
        "title_lines": reply_title_lines(proposal),
        "authority_mark": mark,
        "mark_size": authority_mark_size(mark) if mark else "",
        # 答复分类 at the top right, boxed; format_html escapes the session's class code.
        "document_number": format_html('<span class="reply-class">{}</span>', letter.reply_class),
        "reply_class": letter.reply_class,
        "reply_class_label": proposal.session.reply_class_label(letter.reply_class),
        "addressee": addressee,
        "paragraphs": _body_paragraphs(letter, addressee),
        "signatory": letter.unit.name,
        "date": chinese_date(letter.signed_at if signed else (today or timezone.localdate())),
        "unsealed": True,
        "note": contact,
        "copies_to": _copies_to(proposal),
        "watermark": "" if signed else DRAFT_WATERMARK,
        "qr": qr_data_uri(url),
        "qr_url": url,
    }


def render_reply(letter, *, url, today=None):
    """The 答复函 PDF of `letter` (bytes), its QR code carrying `url`."""
    return render_pdf(REPLY_TEMPLATE, reply_context(letter, url=url, today=today))


def feedback_title_lines(proposal):
    """「十六届人大三次会议」 / 「代表建议办理情况征询意见表」 (政协: 「委员提案…」), in lines of
    sense as the reply's title."""
    who = "委员" if proposal.session.body == proposal.session.Body.CPPCC else "代表"
    return [proposal.session.name, f"{who}{proposal.get_kind_display()}办理情况征询意见表"]


def feedback_context(proposal, *, url, today=None):
    """The template context of the 征询意见表 of `proposal`'s current round; `url` is the rating
    link the QR code carries."""
    today = today or timezone.localdate()
    letter = next((r for r in proposal.replies.all() if r.round == proposal.round), None)
    lead = proposal.lead_author
    who = "委员" if proposal.session.body == proposal.session.Body.CPPCC else "代表"
    facts = [
        (f"{proposal.get_kind_display()}编号", proposal.number_text),
        (f"{proposal.get_kind_display()}标题", proposal.title),
        (f"领衔{who}", lead.name if lead else ""),
        ("主办单位", proposal.lead_unit.name if proposal.lead_unit else ""),
        ("会办单位", "、".join(u.name for u in proposal.co_units.all()) or "无"),
        (
            "答复情况",
            (
                f"{letter.reply_class}类"
                + (f"，{chinese_date(letter.sent_on)}答复" if letter.sent_on else "")
            )
            if letter
            else "尚未答复",
        ),
    ]
    if proposal.round > 1:
        facts.append(("办理轮次", f"第{proposal.round}轮（重新办理）"))
    office = issuing_office()
    return {
        "title": "".join(feedback_title_lines(proposal)),
        "title_lines": feedback_title_lines(proposal),
        "facts": facts,
        "levels": [label for _, label in Rating.Level.choices],
        "rows": ["办理态度", "办理结果"],
        "who": who,
        "office": office.name if office else "",
        "date": chinese_date(today),
        "valid_until": chinese_date(today + datetime.timedelta(days=RATING_LINK_DAYS)),
        "qr": qr_data_uri(url),
        "qr_url": url,
    }


def render_feedback_form(proposal, *, url, today=None):
    """The 征询意见表 PDF of `proposal` (bytes), its QR code carrying the rating link `url`."""
    return render_pdf(FEEDBACK_TEMPLATE, feedback_context(proposal, url=url, today=today))
