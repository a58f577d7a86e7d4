"""The year-end report 「关于2026年度人大代表建议和政协委员提案办理工作情况的报告」 (issue 7 item
7), printed by GB/T 9704 (OFFICIAL_FORMAT.md) from templates/proposals/pdf/summary.html: the
title in 二号小标宋, the 主送 line, the figures of proposals.measures in sentences under 一、基本情况,
二、答复情况 (with the 答复分类 table), 三、代表委员评价情况 and 四、各承办单位办理情况 (the
per-unit table), 「特此报告。」, the issuing office and the day, and the 印发 line.

It is the text the office submits for signing: the 版头 (发文机关标志, 发文字号) and the seal are
given when it is issued as a 发文 (documents), so the print has neither (the unsealed signature
layout of GB/T 9704 7.3.5.2).

Who: the people who see every item — the office's 建议提案 staff (permissions.can_manage) and
leaders who oversee the whole government's work; a report of a unit's share would misstate the
government's figures. Its figures are still counted over proposals_visible_to(user)."""

from django.conf import settings

from office.figures import rate_text
from office.official_text import chinese_date
from office.pdf import render_pdf
from office.permissions import scope_for
from office.roles import Role
from office.selectors import issuing_office_name

from .models import Proposal
from .permissions import can_manage

TEMPLATE = "proposals/pdf/summary.html"
KIND_WORDS = {
    Proposal.Kind.SUGGESTION: ("代表建议", "建议"),
    Proposal.Kind.BILL: ("代表议案", "议案"),
    Proposal.Kind.PROPOSAL: ("委员提案", "提案"),
}
KIND_ORDER = (Proposal.Kind.SUGGESTION, Proposal.Kind.BILL, Proposal.Kind.PROPOSAL)
_NUMERALS = "一二三四五六七八九"


def can_print_summary(user):
    scope = scope_for(user)
    return can_manage(user) or (scope.has(Role.LEADER) and user.oversees_all)


def summary_title(year):
    return f"关于{year}年度人大代表建议和政协委员提案办理工作情况的报告"


def received_sentence(stats):
    """「2026年，市政府共承办十六届人大三次会议代表建议191件（其中重点建议6件）、十三届政协三次
    会议委员提案446件（其中重点提案20件），合计637件。」"""
    year, total = stats.scope.year, stats.total
    if not total.received:
        return f"{year}年，市政府尚无承办的人大代表建议和政协委员提案。"
    parts = []
    for session in stats.scope.sessions:
        for kind in KIND_ORDER:
            figures = stats.by_session_kind.get((session.pk, kind))
            if figures is None:
                continue
            word, short = KIND_WORDS[kind]
            part = f"{session.name}{word}{figures.received}件"
            if figures.key:
                part += f"（其中重点{short}{figures.key}件）"
            parts.append(part)
    return f"{year}年，市政府共承办{'、'.join(parts)}，合计{total.received}件。"


def reply_sentence(stats):
    """「截至2026年7月1日，已交办636件，已办复631件，办复率99.2%。」"""
    t = stats.total
    sentence = (
        f"截至{chinese_date(stats.scope.as_of)}，已交办{t.assigned}件，已办复{t.replied}件，"
        f"办复率{rate_text(t.reply_rate)}。"
    )
    if t.received > t.assigned:
        sentence += f"尚未交办{t.received - t.assigned}件。"
    return sentence


def class_sentence(stats):
    """「已办复的631件中，A类（…）371件，占58.8%；B类（…）187件，占29.6%；…。」"""
    t = stats.total
    if not t.replied:
        return "尚无已办复的建议提案。"
    parts = [
        f"{code}类（{label}）{count}件，占{rate_text(share)}"
        for code, label, count, share in stats.class_rows
    ]
    return f"已办复的{t.replied}件中，{'；'.join(parts)}。"


def time_sentence(stats):
    t = stats.total
    late = f"逾期答复{t.replied_late}件" if t.replied_late else "无逾期答复"
    if t.overdue:
        return (
            f"{late}；截至{chinese_date(stats.scope.as_of)}，超过答复期限尚未答复{t.overdue}件，"
            "已督促承办单位抓紧办理。"
        )
    return f"{late}；截至{chinese_date(stats.scope.as_of)}，无超过答复期限尚未答复的件。"


def rating_sentences(stats):
    """「代表委员已评价623件。对办理结果的初次满意率为96.8%（…）；对初次评价不满意的20件重新办理
    后，最终满意率为99.2%。对办理态度的初次满意率为99.7%，最终满意率为99.7%。」"""
    t = stats.total
    first = t.result_first
    if not first.rated:
        return ["尚无代表委员反馈评价。"]
    result = (
        f"代表委员已评价{first.rated}件。对办理结果的初次满意率为"
        f"{rate_text(t.first_satisfaction_rate)}（满意{first.satisfied}件、"
        f"基本满意{first.basically_satisfied}件、不满意{first.dissatisfied}件）"
    )
    if t.rehandled:
        result += f"；对初次评价不满意的{t.rehandled}件重新办理后，"
    else:
        result += "，"
    result += f"最终满意率为{rate_text(t.final_satisfaction_rate)}。"
    attitude = (
        f"对办理态度的初次满意率为{rate_text(t.first_attitude_rate)}，"
        f"最终满意率为{rate_text(t.final_attitude_rate)}。"
    )
    return [result, attitude]


def unit_rows(stats):
    return [
        {
            "name": row.label,
            "assigned": row.figures.assigned,
            "replied": row.figures.replied,
            "reply_rate": rate_text(row.figures.reply_rate),
            "classes": [row.figures.class_count(code) for code, _ in stats.classes],
            "first": rate_text(row.figures.first_satisfaction_rate),
            "final": rate_text(row.figures.final_satisfaction_rate),
            "overdue": row.figures.overdue,
        }
        for row in stats.by_unit
    ]


def summary_context(stats):
    """The template context of the report of `stats` (statistics.proposal_statistics of a
    year)."""
    sections = [
        ("基本情况", "text", [received_sentence(stats), reply_sentence(stats)]),
        ("答复情况", "classes", [class_sentence(stats), time_sentence(stats)]),
        ("代表委员评价情况", "text", rating_sentences(stats)),
        ("各承办单位办理情况", "units", []),
    ]
    office = issuing_office_name() or f"{settings.OFFICE_CITY_NAME}人民政府办公室"
    on = chinese_date(stats.scope.as_of)
    return {
        "title": summary_title(stats.scope.year),
        "addressee": "市人大常委会、市政协：",
        "sections": [
            {"heading": f"{_NUMERALS[i]}、{heading}", "kind": kind, "paragraphs": paragraphs}
            for i, (heading, kind, paragraphs) in enumerate(sections)
        ],
        "classes": [
            {"code": code, "label": label, "count": count, "share": rate_text(share)}
            for code, label, count, share in stats.class_rows
        ],
        "class_codes": [code for code, _ in stats.classes],
        "replied": stats.total.replied,
        "units": unit_rows(stats),
        "total": unit_rows_total(stats),
        "signatory": office,
        "date": on,
        "unsealed": True,
        "printed_by": office,
        "printed_on": on,
    }


def unit_rows_total(stats):
    t = stats.total
    return {
        "assigned": t.assigned,
        "replied": t.replied,
        "reply_rate": rate_text(t.reply_rate),
        "classes": [t.class_count(code) for code, _ in stats.classes],
        "first": rate_text(t.first_satisfaction_rate),
        "final": rate_text(t.final_satisfaction_rate),
        "overdue": t.overdue,
    }


def render_summary(stats):
    return render_pdf(TEMPLATE, summary_context(stats))
