"""Serial numbers for every register: one allocator, no duplicates, no gaps (DOMAIN.md §2).

A PostgreSQL sequence leaves gaps on rollback, so each (register key, year) has a counter row
taken with SELECT … FOR UPDATE inside the caller's business transaction: if that transaction
rolls back, so does the number. Allocation is idempotent per object — a document that already
holds a live number in a register keeps it (FIELD_NOTES.md: one OA numbered a document twice when
its clerk opened the form in two browsers). A voided number stays on record as 作废 and is never
reissued.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import trail
from .models import SerialCounter, SerialNumber


class NumberingError(Exception):
    pass


def format_number(pattern, *, key, year, number):
    """`pattern` uses str.format fields key, year and number, e.g. "{key}〔{year}〕{number}号"
    gives 珠府〔2026〕12号 (GB/T 9704 7.2.4: 六角括号, no leading zeros, no 第) and
    "收〔{year}〕{number:04d}号" gives 收〔2026〕0153号."""
    return pattern.format(key=key, year=year, number=number)


DEFAULT_PATTERN = "{key}〔{year}〕{number}号"


def _locked_counter(key, year):
    try:
        with transaction.atomic():
            SerialCounter.objects.get_or_create(key=key, year=year)
    except IntegrityError:
        pass  # another transaction created it first; lock it below
    return SerialCounter.objects.select_for_update().get(key=key, year=year)


def allocate(key, *, year=None, obj=None, actor=None, pattern=DEFAULT_PATTERN):
    """Take the next number of register `key` for `year` (default: this year) for `obj`.

    Must run inside the business transaction that stores the number on the object, so a rollback
    returns the number. If `obj` already holds a live number in this register, that one is
    returned unchanged.
    """
    if not transaction.get_connection().in_atomic_block:
        raise NumberingError("取号必须在业务事务中进行。")
    year = year or timezone.localdate().year
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    if obj is not None:
        existing = SerialNumber.objects.filter(
            key=key,
            content_type=content_type,
            object_id=obj.pk,
            status=SerialNumber.Status.ISSUED,
        ).first()
        if existing:
            return existing
    counter = _locked_counter(key, year)
    if obj is not None:
        # Re-check under the lock: a second browser may have numbered it while we waited.
        existing = SerialNumber.objects.filter(
            key=key, content_type=content_type, object_id=obj.pk, status=SerialNumber.Status.ISSUED
        ).first()
        if existing:
            return existing
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return SerialNumber.objects.create(
        key=key,
        year=year,
        number=counter.last_number,
        text=format_number(pattern, key=key, year=year, number=counter.last_number),
        content_type=content_type,
        object_id=obj.pk if obj is not None else None,
        allocated_by=actor,
    )


def void(serial, *, actor, reason):
    """作废: the number stays on record with who voided it and why; it is never reissued."""
    if not reason.strip():
        raise NumberingError("请填写作废原因。")
    with transaction.atomic():
        updated = SerialNumber.objects.filter(
            pk=serial.pk, status=SerialNumber.Status.ISSUED
        ).update(
            status=SerialNumber.Status.VOID,
            voided_by=actor,
            voided_at=timezone.now(),
            void_reason=reason.strip(),
        )
        if not updated:
            raise NumberingError("该编号已作废。")
        trail.record(
            action="void_number",
            action_label="编号作废",
            actor=actor,
            obj=serial,
            opinion=reason.strip(),
        )
    serial.refresh_from_db()
    return serial
