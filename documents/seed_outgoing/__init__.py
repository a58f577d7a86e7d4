"""Demo 发文 for `manage.py seed_demo`: a believable year of the office's own documents (DOMAIN.md
§4; 条例 arts. 19–23, 25).

One city office issues about 534 documents a year (DOMAIN.md §4), under two headers: the city
government (珠府, 珠府函, 珠府令, 纪要) and its general office (珠府办, 珠府办函, 纪要). Over the
last twelve months each working day gets its share. Every document is planned as a full story —
起草, 送审, 科室核稿, 秘书长审核 (some sent back once or twice, each time with a new 稿本), 会签
for some, 签发 by a leader, 复核编号, 用印, 核发 to its 主送/抄送 units, their 签收, 归档 — and is
then cut at the present moment: what lies in the future has not happened yet. A few dozen recent
stories are held at one step so that every demo drafter, reviewer, co-signing unit, leader and
secretary finds work waiting (起草中 … 已用印, and receipts still to sign for).

Numbers are those of office.numbering's registers, contiguous per register and year in the order
of 复核编号; a handful were taken in the wrong register and voided (作废, with the reason) before
the right one was taken, so the 发文登记簿 shows what a year really looks like. The configuration
(review levels, number rules, seals with a generated 印模) is kept up to date on every run.

Everything is drawn from random generators seeded per document: the same day gives the same data.
Idempotent: a numbered document is made only if its number is not taken yet, an unnumbered one
only if its issuing unit has no document of that title; trail rows are written only for what this
run made. States are given to unsaved rows (the workflow moves only what exists).
"""

import datetime

from django.utils import timezone

from office.models import SerialNumber
from office.numbering import DEFAULT_PATTERN, format_number
from office.seed.rows import WorkingDays, raise_counter

from ..models import NumberFamily, OutgoingDocument
from .configuration import ISSUERS, RULES, seed_configuration
from .planner import YEAR_DOCUMENTS, plan_year
from .seed_teller import Teller
from .writer import LABELS, write

__all__ = ["LABELS", "RULES", "YEAR_DOCUMENTS", "seed_outgoing"]


def _window(today):
    """The last twelve months: from the day after the same date a year ago up to today."""
    try:
        start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)
    return start


def _number(plans, rules, moment):
    """发文字号 in the order of 复核编号, per register and year; a voided number first takes
    its place in the register it was wrongly taken from."""
    counters = {}
    voids = []
    numbered = sorted((p for p in plans if p.numbered), key=lambda p: (p.numbered[0], p.index))
    for plan in numbered:
        year = moment(plan.numbered[0]).year
        if plan.void is not None:
            key = rules[(plan.issuer, NumberFamily.GENERAL)]
            counters[(key, year)] = counters.get((key, year), 0) + 1
            number = counters[(key, year)]
            voids.append(
                (
                    plan,
                    key,
                    year,
                    number,
                    format_number(DEFAULT_PATTERN, key=key, year=year, number=number),
                )
            )
        key = rules[(plan.issuer, NumberFamily.for_doc_type(plan.doc_type))]
        counters[(key, year)] = counters.get((key, year), 0) + 1
        plan.register, plan.year, plan.serial = key, year, counters[(key, year)]
        plan.number = format_number(DEFAULT_PATTERN, key=key, year=year, number=plan.serial)
    return voids, counters


def seed_outgoing(demo):
    """A year of 发文 up to today. Returns {"seals": {issuer: Seal}, "outgoing": {发文字号 or
    title: document id}} for the seeders after it."""
    units, users = demo["units"], demo["users"]
    seals = seed_configuration(units, users)
    rules = {(issuer, family): code for issuer, family, code in RULES}

    now = timezone.localtime()
    today = now.date()
    start = _window(today)
    working_days = WorkingDays(start, today + datetime.timedelta(days=40))
    first = 0
    last = working_days.index_on_or_before(today)
    if working_days.days[last] == today:
        now_at = (last, now.hour * 60 + now.minute)
    else:
        now_at = (last, 24 * 60)

    plans = plan_year(demo, working_days, first, last)
    teller = Teller(demo, working_days, now_at)
    # A story whose first step lies ahead (later today) has not begun.
    plans = [plan for plan in map(teller.tell, plans) if plan.events]
    voids, counters = _number(plans, rules, teller.moment)

    # Idempotent: what is already there is not made again.
    keys = {code for _, _, code in RULES}
    taken = set(SerialNumber.objects.filter(key__in=keys).values_list("key", "year", "number"))
    existing_numbers = set(
        OutgoingDocument.objects.exclude(document_number="").values_list(
            "document_number", flat=True
        )
    )
    existing_titles = set(
        OutgoingDocument.objects.filter(document_number="").values_list("issuing_unit_id", "title")
    )
    fresh = []
    for plan in plans:
        if plan.number:
            if (plan.register, plan.year, plan.serial) in taken or plan.number in existing_numbers:
                continue
        elif (units[plan.issuer].pk, plan.title) in existing_titles:
            continue
        fresh.append(plan)
    fresh_voids = [v for v in voids if (v[1], v[2], v[3]) not in taken]
    write(fresh, fresh_voids, demo, seals, teller.moment)
    for (key, year), number in counters.items():
        raise_counter(key, year, number)
    made = {}
    for pk, number, title in OutgoingDocument.objects.filter(
        issuing_unit__in=[units[i] for i in ISSUERS]
    ).values_list("pk", "document_number", "title"):
        made[number or title] = pk
    return {"seals": seals, "outgoing": made}
