"""督查通报 and 督查专报 (DOMAIN.md §6 "Output", issue 6 item 8): one model, `Bulletin`, with a
`kind`; each kind numbered in its own register per year (督查通报 2026年第3期).

    draft 起草中 ──submit 送签 (to a chosen leader)──▶ in_review 待签发 ──sign_off 签发──▶ signed
      ▲                                              │return_bulletin 退回修改          │dispatch 印发
    returned 退回修改 ◀──────────────────────────────┘                   dispatched 已印发

The supervision office (督查室) drafts, edits, regenerates, submits and dispatches; the leader it
was submitted to signs it off — the issue number is taken in that transaction
(office.numbering, register 「督查通报」 or 「督查专报」, 「2026年第N期」) — or returns it with an
opinion. 印发 tells the people of the chosen units, who then see it (selectors.bulletins_visible_to).
The state moves only through office.workflow's engine (BULLETIN.perform), as for the minutes.

Which items a bulletin counts (its population), for the period [period_start, period_end]:
the items the drafter may see (selectors.items_visible_to), not classified (非密 — a bulletin is
printed and sent to every unit), opened on or before the period's end and not closed before the
period's start — everything that was being handled at some time in the period. Within those,
every figure is supervision.measures' as of the period's end (`as_of`): measures.counted (items
opened by then, suspended ones left out) and measures.figure_q for 已办结, 按期办结, 逾期办结,
逾期未办结 and 在办.

The figures are taken in one read of the items: for each item, which figures count it. From that
one read come `counted` (for every figure, in total, per 牵头单位 and per 来源, the ids of the
items it counted), the figures (each the length of its list, as measures.Rates) and the frozen
`overdue` rows. So a number always opens exactly the items it counted. `regenerate` takes them
again while the bulletin is a draft (or returned); after sign-off nothing rewrites them: later
closures, extensions or new items change the ledger, not a published bulletin."""

import calendar
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Value, When
from django.urls import reverse
from django.utils import timezone

from office import numbering, trail
from office.models import Clearance, Unit
from office.notifications import notify
from office.official_text import chinese_date, paragraphs
from office.pdf import authority_mark_size, render_pdf
from office.selectors import active_leaders, issuing_office_name, unit_people
from office.workflow import Transition, Workflow, require, required_text

from . import measures
from . import permissions as can
from .models import Bulletin, Source
from .selectors import items_visible_to

B = Bulletin.State
K = Bulletin.Kind
EDITABLE = (B.DRAFT, B.RETURNED)
ISSUED = (B.SIGNED, B.DISPATCHED)
ISSUE_PATTERN = "{year}年第{number}期"
# Each kind has its own numbering register (office.numbering key).
REGISTERS = {K.BULLETIN: "督查通报", K.SPECIAL_REPORT: "督查专报"}
PDF_TEMPLATE = "supervision/pdf/bulletin.html"
# A print before sign-off must never pass for the issued bulletin.
WATERMARKS = {B.DRAFT: "征求意见稿", B.RETURNED: "征求意见稿", B.IN_REVIEW: "送审稿"}

FIGURES = tuple(measures.FIGURES)  # total, closed, closed_on_time, closed_late, overdue, open
# How an item was counted as of the bulletin's date (the click-through's 「通报口径」).
COUNTED_AS = (
    ("closed_on_time", "按期办结"),
    ("closed_late", "逾期办结"),
    ("overdue", "逾期未办结"),
    ("open", "在办"),
)

BULLETIN = Workflow(
    Bulletin,
    [
        Transition("submit", "送签", EDITABLE, B.IN_REVIEW, can.can_draft_bulletins),
        Transition(
            "return_bulletin", "退回修改", (B.IN_REVIEW,), B.RETURNED, can.can_sign_bulletin
        ),
        Transition("sign_off", "签发", (B.IN_REVIEW,), B.SIGNED, can.can_sign_bulletin),
        Transition("dispatch", "印发", (B.SIGNED,), B.DISPATCHED, can.can_draft_bulletins),
    ],
)


def bulletin_url(bulletin):
    return reverse("supervision:bulletin-detail", args=[bulletin.pk])


def is_issued(bulletin):
    return bulletin.state in ISSUED


def signing_leaders():
    """The leaders a bulletin may be submitted to, in the office's order (领导排序)."""
    return active_leaders()


# --- the period and the title ------------------------------------------------------------------

_NUMERALS = "一二三四"


def period_text(start, end):
    """The period in words: 2026年10月, 2026年第三季度, 2026年上半年, 2026年, or the dates."""
    last = calendar.monthrange(end.year, end.month)[1]
    whole_months = start.day == 1 and end.day == last and start.year == end.year
    if whole_months:
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        if (start.month, end.month) == (1, 12):
            return f"{start.year}年"
        if (start.month, end.month) == (1, 6):
            return f"{start.year}年上半年"
        if (start.month, end.month) == (7, 12):
            return f"{start.year}年下半年"
        if start.month % 3 == 1 and end.month == start.month + 2:
            return f"{start.year}年第{_NUMERALS[start.month // 3]}季度"
        return f"{start.year}年{start.month}—{end.month}月"
    if start.year == end.year:
        return f"{chinese_date(start)}至{end.month}月{end.day}日"
    return f"{chinese_date(start)}至{chinese_date(end)}"


def default_title(kind, start, end):
    if kind == K.SPECIAL_REPORT:
        return f"关于{period_text(start, end)}督查督办工作情况的专报"
    return f"关于{period_text(start, end)}督办事项办理情况的通报"


# --- the figures -------------------------------------------------------------------------------


def population(user, *, period_start, period_end):
    """The items a bulletin of the period counts (see the module docstring)."""
    return (
        items_visible_to(user)
        .filter(classification=Clearance.NONE, opened_on__lte=period_end)
        .exclude(closed_on__lt=period_start)
    )


def _rates_dict(rates):
    """measures.Rates as stored: the counts, and the rates as strings ("94.4") or None."""
    values = rates.as_dict()
    for name in ("completion_rate", "on_time_rate"):
        if isinstance(values[name], Decimal):
            values[name] = str(values[name])
    return values


def _rates_of(lists):
    return measures.Rates(**{figure: len(lists[figure]) for figure in FIGURES})


def _empty_lists():
    return {figure: [] for figure in FIGURES}


def snapshot(items, *, as_of):
    """(figures, counted, overdue) of `items` as of `as_of`, from one query: for each item
    counted (measures.counted) the figures it is in (measures.figure_q)."""
    flags = {
        f"in_{figure}": Case(
            When(measures.figure_q(figure, as_of), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        for figure in FIGURES
        if figure != "total"
    }
    rows = list(
        measures.counted(items, as_of)
        .order_by("id")
        .values("id", "item_number", "title", "lead_unit_id", "source", "deadline", **flags)
    )
    summary, by_unit, by_source = _empty_lists(), {}, {}
    for row in rows:
        lists = (
            summary,
            by_unit.setdefault(str(row["lead_unit_id"]), _empty_lists()),
            by_source.setdefault(row["source"], _empty_lists()),
        )
        for figure in FIGURES:
            if figure == "total" or row[f"in_{figure}"]:
                for target in lists:
                    target[figure].append(row["id"])
    units = Unit.objects.in_bulk([int(key) for key in by_unit])
    unit_rows = []
    for key, lists in by_unit.items():
        unit = units.get(int(key))
        unit_rows.append(
            {
                "unit": int(key),
                "name": unit.name if unit else "（已删除的单位）",
                "order": unit.sort_order if unit else 0,
                **_rates_dict(_rates_of(lists)),
            }
        )
    unit_rows.sort(key=lambda row: (-row["total"], row["order"], row["unit"]))
    source_labels = dict(Source.choices)
    source_rows = sorted(
        (
            {"source": key, "label": str(source_labels.get(key, key)), **_rates_dict(_rates_of(v))}
            for key, v in by_source.items()
        ),
        key=lambda row: (-row["total"], row["source"]),
    )
    overdue = sorted(
        (
            {
                "id": row["id"],
                "number": row["item_number"],
                "title": row["title"],
                "unit": units[row["lead_unit_id"]].name if row["lead_unit_id"] in units else "",
                "deadline": row["deadline"].isoformat(),
                "days": (as_of - row["deadline"]).days,
            }
            for row in rows
            if row["in_overdue"]
        ),
        key=lambda row: (-row["days"], row["id"]),
    )
    figures = {
        "summary": _rates_dict(_rates_of(summary)),
        "units": unit_rows,
        "sources": source_rows,
    }
    counted = {"summary": summary, "units": by_unit, "sources": by_source}
    return figures, counted, overdue


def _check_period(period_start, period_end, today):
    if period_start is None or period_end is None:
        raise ValidationError("请填写统计起止日期。")
    if period_start > period_end:
        raise ValidationError({"period_end": "统计截止日期不能早于起始日期。"})
    if period_end > today:
        raise ValidationError({"period_end": "统计截止日期不能晚于今天：通报的数据截至该日。"})


def _generated(actor, period_start, period_end):
    items = population(actor, period_start=period_start, period_end=period_end)
    figures, counted, overdue = snapshot(items, as_of=period_end)
    fields = {
        "figures": figures,
        "counted": counted,
        "overdue": overdue,
        "generated_at": timezone.now(),
    }
    return fields, [row["unit"] for row in figures["units"]]


def bulletin_draft(*, actor, kind, period_start, period_end, ip=None):
    """起草 a bulletin (or special report) of the period: its figures taken now, as of the
    period's end; its recipients by default every unit that leads an item counted."""
    require(can.can_draft_bulletins(actor), "只有督查室可以起草督查通报。")
    if kind not in K.values:
        raise ValidationError({"kind": "请选择督查通报或督查专报。"})
    _check_period(period_start, period_end, timezone.localdate())
    fields, unit_ids = _generated(actor, period_start, period_end)
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            kind=kind,
            title=default_title(kind, period_start, period_end),
            period_start=period_start,
            period_end=period_end,
            drafted_by=actor,
            **fields,
        )
        bulletin.recipients.set(unit_ids)
        trail.record(
            action="draft_bulletin",
            action_label=f"起草{bulletin.get_kind_display()}",
            actor=actor,
            obj=bulletin,
            to_state=B.DRAFT.label,
            opinion=summary_sentence(bulletin),
            ip=ip,
        )
    return bulletin


def _locked_editable(bulletin):
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if locked.state not in EDITABLE:
        raise ValidationError(
            f"该{locked.get_kind_display()}当前为“{locked.get_state_display()}”，"
            "数据和文字已不能修改。"
        )
    return locked


def regenerate(bulletin, *, actor, ip=None):
    """重新生成数据 from today's ledger, as of the same date — only while a draft or returned:
    after sign-off the figures are frozen."""
    require(can.can_draft_bulletins(actor, bulletin), "只有督查室可以重新生成通报数据。")
    fields, unit_ids = _generated(actor, bulletin.period_start, bulletin.period_end)
    with transaction.atomic():
        locked = _locked_editable(bulletin)
        Bulletin.objects.filter(pk=locked.pk).update(**fields)
        locked.recipients.set(unit_ids)
        for name, value in fields.items():
            setattr(bulletin, name, value)
        trail.record(
            action="regenerate_bulletin",
            action_label="重新生成数据",
            actor=actor,
            obj=bulletin,
            opinion=summary_sentence(bulletin),
            ip=ip,
        )
    return bulletin


def revise(
    bulletin,
    *,
    actor,
    title,
    opening="",
    good_examples="",
    bad_examples="",
    requirements="",
    ip=None,
):
    """修改 the title and the texts the supervisor writes (导语, 典型经验, 存在问题, 下一步工作要求)
    while a draft or returned."""
    require(can.can_draft_bulletins(actor, bulletin), "只有督查室可以修改督查通报。")
    values = {
        "title": required_text(title, "请填写标题。"),
        "opening": (opening or "").strip(),
        "good_examples": (good_examples or "").strip(),
        "bad_examples": (bad_examples or "").strip(),
        "requirements": (requirements or "").strip(),
    }
    with transaction.atomic():
        locked = _locked_editable(bulletin)
        changed = [
            str(Bulletin._meta.get_field(name).verbose_name)
            for name, value in values.items()
            if getattr(locked, name) != value
        ]
        Bulletin.objects.filter(pk=locked.pk).update(**values)
        for name, value in values.items():
            setattr(bulletin, name, value)
        trail.record(
            action="revise_bulletin",
            action_label="修改通报",
            actor=actor,
            obj=bulletin,
            opinion=("修改了" + "、".join(changed)) if changed else "未作修改",
            ip=ip,
        )
    return bulletin


# --- the steps ---------------------------------------------------------------------------------


def _name(bulletin):
    return f"{bulletin.get_kind_display()}《{bulletin.title}》"


def submit(bulletin, *, actor, signer, ip=None):
    """送签 to a leader, who signs it off or returns it."""
    require(can.can_draft_bulletins(actor, bulletin), "只有督查室可以送签督查通报。")
    if signer is None or not signing_leaders().filter(pk=signer.pk).exists():
        raise ValidationError({"signer": "请选择送签领导。"})
    with transaction.atomic():
        BULLETIN.perform(
            bulletin,
            "submit",
            actor=actor,
            opinion=f"送{signer.real_name or signer.username}签发",
            ip=ip,
            updates={"signer": signer},
        )
        notify(
            [signer], title=f"请签发：{_name(bulletin)}", url=bulletin_url(bulletin), obj=bulletin
        )
    return bulletin


def return_bulletin(bulletin, *, actor, opinion, ip=None):
    """退回修改 by the leader it was submitted to, with the opinion."""
    require(can.can_sign_bulletin(actor, bulletin), "只有送签领导可以退回修改。")
    opinion = required_text(opinion, "退回修改须填写意见。")
    with transaction.atomic():
        BULLETIN.perform(bulletin, "return_bulletin", actor=actor, opinion=opinion, ip=ip)
        notify(
            [bulletin.drafted_by],
            title=f"退回修改：{_name(bulletin)}",
            body=opinion,
            url=bulletin_url(bulletin),
            obj=bulletin,
        )
    return bulletin


def sign_off(bulletin, *, actor, ip=None):
    """签发 by the leader it was submitted to: the kind's next issue number of the signing year
    (「2026年第N期」), in this transaction — a rollback returns the number. The figures stay as
    they are from now on."""
    require(can.can_sign_bulletin(actor, bulletin), "只有送签领导可以签发。")
    now = timezone.now()
    year = timezone.localtime(now).year
    register = REGISTERS[bulletin.kind]
    with transaction.atomic():
        serial = numbering.allocate(
            register, year=year, obj=bulletin, actor=actor, pattern=ISSUE_PATTERN
        )
        BULLETIN.perform(
            bulletin,
            "sign_off",
            actor=actor,
            opinion=f"{register} {serial.text}",
            ip=ip,
            updates={
                "signed_by": actor,
                "signed_at": now,
                "issue_year": year,
                "issue_number": serial.number,
                "issue_text": serial.text,
            },
        )
        notify(
            [bulletin.drafted_by],
            title=f"已签发：{register} {serial.text}",
            url=bulletin_url(bulletin),
            obj=bulletin,
        )
    return bulletin


def dispatch(bulletin, *, actor, units, ip=None):
    """印发 to the chosen units: their handlers and heads are told and from now on see it."""
    require(can.can_draft_bulletins(actor, bulletin), "只有督查室可以印发督查通报。")
    units = list({unit.pk: unit for unit in units or ()}.values())
    if not units:
        raise ValidationError({"units": "请选择印发单位。"})
    inactive = [unit.name for unit in units if not unit.is_active]
    if inactive:
        raise ValidationError({"units": f"{'、'.join(inactive)}已停用，不能印发。"})
    now = timezone.now()
    with transaction.atomic():
        BULLETIN.perform(
            bulletin,
            "dispatch",
            actor=actor,
            opinion="印发：" + "、".join(unit.name for unit in units),
            ip=ip,
            updates={"dispatched_at": now},
        )
        bulletin.recipients.set(units)
        notify(
            unit_people([unit.pk for unit in units]),
            title=f"{REGISTERS[bulletin.kind]}印发：{bulletin.issue_text} {bulletin.title}",
            url=bulletin_url(bulletin),
            obj=bulletin,
        )
    return bulletin


# --- reading the frozen figures ----------------------------------------------------------------


def counted_ids(bulletin, figure, *, unit=None, source=None):
    """The ids of the items `figure` counted — in total, for one 牵头单位 or one 来源. None when
    the bulletin has no such figure (an unknown figure, unit or source)."""
    if figure not in FIGURES:
        return None
    counted = bulletin.counted or {}
    if unit is not None:
        lists = counted.get("units", {}).get(str(unit))
    elif source is not None:
        lists = counted.get("sources", {}).get(source)
    else:
        lists = counted.get("summary")
    if lists is None:
        return None
    return list(lists.get(figure, []))


def counted_as(bulletin):
    """{item id: how it was counted as of the bulletin's date} (按期办结, 逾期办结, 逾期未办结, 在办)."""
    summary = (bulletin.counted or {}).get("summary", {})
    labels = {}
    for figure, label in reversed(COUNTED_AS):
        for pk in summary.get(figure, []):
            labels[pk] = label
    return labels


def _rate_text(value):
    return f"{value}%" if value is not None else "—"


def summary_sentence(bulletin):
    """一、总体情况 in words: 「截至2026年11月30日，共督办事项18项，已办结17项，办结率94.4%，
    按期办结率88.9%，逾期未办结1项。」"""
    s = (bulletin.figures or {}).get("summary")
    on = chinese_date(bulletin.as_of)
    if not s or not s["total"]:
        return f"截至{on}，本期无纳入统计的督办事项。"
    sentence = (
        f"截至{on}，共督办事项{s['total']}项，已办结{s['closed']}项，"
        f"办结率{_rate_text(s['completion_rate'])}，按期办结率{_rate_text(s['on_time_rate'])}，"
        f"逾期未办结{s['overdue']}项。"
    )
    if s["closed_late"]:
        sentence += f"已办结事项中逾期办结{s['closed_late']}项。"
    return sentence


def scope_sentence(bulletin):
    """The population in words, for the page and the print."""
    return (
        f"统计范围：{chinese_date(bulletin.period_start)}至{chinese_date(bulletin.period_end)}"
        "期间在办的非密督办事项（截止日期前立项、且未在起始日期前销号），已中止的不计入；"
        f"各项数据截至{chinese_date(bulletin.as_of)}，签发后不再变化。"
    )


# --- the print (GB/T 9704, like the 纪要格式) -------------------------------------------------


def _chinese(n):
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def sections(bulletin):
    """The numbered parts of the text, in order, leaving out the supervisor's parts left empty:
    [{"heading": "一、总体情况", "kind": "summary" | "units" | "overdue" | "text", …}]."""
    parts = [("总体情况", "summary", ""), ("各单位办理情况", "units", "")]
    parts.append(("逾期未办结事项", "overdue", ""))
    for heading, text in (
        ("工作成效和典型经验", bulletin.good_examples),
        ("存在问题", bulletin.bad_examples),
        ("下一步工作要求", bulletin.requirements),
    ):
        if text.strip():
            parts.append((heading, "text", text))
    return [
        {
            "heading": f"{_chinese(number)}、{heading}",
            "kind": kind,
            "paragraphs": paragraphs(text) if text else [],
        }
        for number, (heading, kind, text) in enumerate(parts, 1)
    ]


def bulletin_context(bulletin, *, today=None):
    """The template context of the print (templates/supervision/pdf/bulletin.html): the red mark
    「督查通报」/「督查专报」, 「第N期」, the issuing office and the date, the red rule; the title;
    the 导语; 一、总体情况 (summary_sentence); 二、各单位办理情况 (the frozen per-unit table);
    三、逾期未办结事项; then 典型经验, 存在问题, 下一步工作要求 as written; the 版记 with the
    units it is sent to (发：) and the 印发 line. Before sign-off: a watermark, no number, today's
    date."""
    issued = is_issued(bulletin)
    mark = bulletin.get_kind_display()
    on = bulletin.signed_at if issued and bulletin.signed_at else (today or timezone.localdate())
    figures = bulletin.figures or {}
    office = issuing_office_name()
    recipients = [unit.name for unit in bulletin.recipients.order_by("sort_order", "id")]
    overdue = [
        dict(row, deadline=chinese_date(datetime.date.fromisoformat(row["deadline"])))
        for row in bulletin.overdue or []
    ]
    return {
        "title": bulletin.title,
        "authority_mark": mark,
        "mark_size": authority_mark_size(mark),
        "issue": f"第{bulletin.issue_number}期" if issued and bulletin.issue_number else "",
        "issuer": office,
        "date": chinese_date(on),
        "paragraphs": paragraphs(bulletin.opening),
        "sections": sections(bulletin),
        "summary": summary_sentence(bulletin),
        "scope": scope_sentence(bulletin),
        "units": figures.get("units", []),
        "overdue": overdue,
        "sent_to": "、".join(recipients) + "。" if recipients else "",
        "printed_by": office,
        "printed_on": chinese_date(on),
        "watermark": "" if issued else WATERMARKS.get(bulletin.state, "征求意见稿"),
    }


def render_bulletin(bulletin):
    return render_pdf(PDF_TEMPLATE, bulletin_context(bulletin))
