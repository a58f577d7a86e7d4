"""督查通报 and 督查专报 of the demo (supervision.bulletins, DOMAIN.md §6 "Output").

A monthly 督查通报 for each of the last three complete months, made as the supervision office
makes one: bulletin_draft by the head of the office (督查室主任) for the month, revise with the
office's texts (导语, 典型经验, 存在问题, 下一步工作要求 — the examples named from the bulletin's own
figures), submit to the secretary-general, who heads the office that issues it (市政府办公室), his
sign_off with the register's next 期号 of the signing year, and dispatch to the default
recipients (every unit that leads an item counted). Going through the real functions, the frozen
figures are the real ones: taken from the ledger as the seed runs, as of the month's end — and
the trail of every step is the workflow's own, at that moment. Oldest month first, so the
periods and the 期号 run in the same order. Plus one 督查专报 of the last complete quarter, still
being drafted (起草中) by the same supervisor.

Idempotent: a bulletin is made only if none of its kind has the same period. No notifications:
like the rest of the demo, people find their work on their desks and in the lists, so those the
steps wrote are removed in the same transaction (their outbox rows go with them)."""

import datetime

from django.contrib.contenttypes.models import ContentType

from office.models import Notification

from .. import bulletins
from ..models import Bulletin

K = Bulletin.Kind
MONTHS = 3
DRAFTER = "supervisor_chief"
SIGNER = "secretary_general"

OPENING = "为推动市委、市政府重大决策部署和市政府工作任务落地见效，现将{period}全市督办事项办理情况通报如下。"
REPORT_OPENING = "根据市政府主要领导要求，现将{period}全市督查督办工作情况专报如下。"
GOOD = (
    "{units}等单位主要负责同志亲自部署、压实责任，对督办事项建立台账、挂图作战，按时报送进展，"
    "本期牵头的督办事项无一逾期；其中{first}已办结{closed}项，办结质量较高，值得各单位学习借鉴。"
)
GOOD_NONE = "各单位普遍建立了督办事项工作台账，按时报送进展，办理质效总体较好。"
BAD = "{units}共有{count}项督办事项逾期未办结。其中，{unit}牵头的{number}“{title}”已逾期{days}天。"
BAD_TAIL = "部分单位进展反馈内容空泛、以文件落实文件，个别事项存在“等靠拖”现象。"
REQUIREMENTS = (
    "各单位要对照本通报指出的问题，逐项研究整改措施。逾期未办结事项的牵头单位须于通报印发后5个"
    "工作日内，向市政府督查室书面说明逾期原因、整改措施和完成时限，并由单位主要负责同志签字。"
    "市政府督查室将对整改情况跟踪督办，对整改不力的单位按规定提请市政府约谈。"
)


def _last_months(today, count):
    """[(first day, last day)] of the last `count` complete months before `today`, oldest
    first."""
    months = []
    end = today.replace(day=1) - datetime.timedelta(days=1)
    for _ in range(count):
        start = end.replace(day=1)
        months.append((start, end))
        end = start - datetime.timedelta(days=1)
    return months[::-1]


def _last_quarter(today):
    """(first day, last day) of the last complete quarter before `today`."""
    end = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1) - datetime.timedelta(days=1)
    return end.replace(month=end.month - 2, day=1), end


def _good(units):
    """典型经验: the units that lead the most items closed, none late or overdue."""
    clean = [u for u in units if u["closed"] >= 2 and not u["overdue"] and not u["closed_late"]]
    clean.sort(key=lambda u: (-u["closed"], u["order"]))
    if not clean:
        return GOOD_NONE
    names = "、".join(u["name"] for u in clean[:3])
    return GOOD.format(units=names, first=clean[0]["name"], closed=clean[0]["closed"])


def _bad(units, overdue):
    """存在问题: the units with items overdue, and the item overdue longest."""
    late = [u for u in units if u["overdue"]]
    late.sort(key=lambda u: (-u["overdue"], u["order"]))
    if not late or not overdue:
        return BAD_TAIL
    worst = overdue[0]
    text = BAD.format(
        units="、".join(u["name"] for u in late[:3]),
        count=sum(u["overdue"] for u in late[:3]),
        unit=worst["unit"],
        number=worst["number"],
        title=worst["title"],
        days=worst["days"],
    )
    return text + BAD_TAIL


def _bulletin(period, supervisor, signer):
    start, end = period
    bulletin = bulletins.bulletin_draft(
        actor=supervisor, kind=K.BULLETIN, period_start=start, period_end=end
    )
    units = bulletin.figures.get("units", [])
    bulletins.revise(
        bulletin,
        actor=supervisor,
        title=bulletin.title,
        opening=OPENING.format(period=bulletins.period_text(start, end)),
        good_examples=_good(units),
        bad_examples=_bad(units, bulletin.overdue),
        requirements=REQUIREMENTS,
    )
    bulletins.submit(bulletin, actor=supervisor, signer=signer)
    bulletins.sign_off(bulletin, actor=signer)
    bulletins.dispatch(bulletin, actor=supervisor, units=list(bulletin.recipients.all()))
    return bulletin


def _report(period, supervisor):
    start, end = period
    report = bulletins.bulletin_draft(
        actor=supervisor, kind=K.SPECIAL_REPORT, period_start=start, period_end=end
    )
    bulletins.revise(
        report,
        actor=supervisor,
        title=report.title,
        opening=REPORT_OPENING.format(period=bulletins.period_text(start, end)),
    )
    return report


def seed_bulletins(demo, today):
    """The monthly bulletins and the special report in draft. Returns {"督查通报 2026年10月": id}."""
    supervisor, signer = demo["users"][DRAFTER], demo["users"][SIGNER]
    months = _last_months(today, MONTHS)
    wanted = [(K.BULLETIN, period) for period in months]
    wanted.append((K.SPECIAL_REPORT, _last_quarter(today)))
    existing = set(Bulletin.objects.values_list("kind", "period_start", "period_end"))
    made = []
    for kind, period in wanted:
        if (kind, *period) in existing:
            continue
        if kind == K.BULLETIN:
            made.append(_bulletin(period, supervisor, signer))
        else:
            made.append(_report(period, supervisor))
    if made:
        Notification.objects.filter(
            content_type=ContentType.objects.get_for_model(Bulletin),
            object_id__in=[b.pk for b in made],
        ).delete()
    rows = Bulletin.objects.order_by("id").values_list("kind", "period_start", "period_end", "pk")
    return {
        f"{Bulletin.Kind(kind).label} {bulletins.period_text(start, end)}": pk
        for kind, start, end, pk in rows
    }
