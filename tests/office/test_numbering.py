"""One allocator for every register: no duplicates, no gaps, voided numbers stay on record."""

import pytest
from django.db import transaction

from office import numbering
from office.models import SerialNumber, TrailEvent, Unit
from tests.concurrency import race


@pytest.mark.django_db
class TestAllocate:
    def test_numbers_follow_each_other_per_register_and_year(self, personas):
        with transaction.atomic():
            first = numbering.allocate("珠府", year=2026)
            second = numbering.allocate("珠府", year=2026)
            other = numbering.allocate("珠府办函", year=2026)
            next_year = numbering.allocate("珠府", year=2027)
        assert (first.number, second.number, other.number, next_year.number) == (1, 2, 1, 1)
        assert second.text == "珠府〔2026〕2号"

    def test_patterns(self):
        assert (
            numbering.format_number(
                "{key}〔{year}〕{number}号", key="珠府办函", year=2026, number=7
            )
            == "珠府办函〔2026〕7号"
        )
        assert (
            numbering.format_number("收〔{year}〕{number:04d}号", key="收文", year=2026, number=153)
            == "收〔2026〕0153号"
        )

    def test_a_rolled_back_transaction_leaves_no_gap(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            numbering.allocate("收文", year=2026, pattern="收〔{year}〕{number:04d}号")
            raise RuntimeError("registration failed after numbering")
        with transaction.atomic():
            again = numbering.allocate("收文", year=2026, pattern="收〔{year}〕{number:04d}号")
        assert again.number == 1 and again.text == "收〔2026〕0001号"

    def test_an_object_keeps_its_number(self, units, personas):
        document = units["a"]  # any saved object stands for the document being numbered
        with transaction.atomic():
            first = numbering.allocate("珠府", year=2026, obj=document, actor=personas["secretary"])
        with transaction.atomic():  # the clerk's second browser window
            second = numbering.allocate(
                "珠府", year=2026, obj=document, actor=personas["secretary"]
            )
        assert first.pk == second.pk and SerialNumber.objects.count() == 1

    def test_void_keeps_the_number_and_never_reissues_it(self, units, personas):
        document = units["a"]
        with transaction.atomic():
            taken = numbering.allocate("珠府", year=2026, obj=document)
        numbering.void(taken, actor=personas["secretary"], reason="文件撤销")
        taken.refresh_from_db()
        assert taken.status == SerialNumber.Status.VOID and taken.void_reason == "文件撤销"
        assert TrailEvent.objects.filter(action="void_number", opinion="文件撤销").exists()
        with transaction.atomic():
            renumbered = numbering.allocate("珠府", year=2026, obj=document)
        assert renumbered.number == 2
        with pytest.raises(numbering.NumberingError):
            numbering.void(taken, actor=personas["secretary"], reason="再次作废")
        with pytest.raises(numbering.NumberingError):
            numbering.void(renumbered, actor=personas["secretary"], reason="  ")


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused():
    with pytest.raises(numbering.NumberingError):
        numbering.allocate("珠府", year=2026)
    assert not SerialNumber.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_are_unique_and_contiguous():
    """24 threads, each in its own connection and transaction, race for numbers on PostgreSQL."""
    workers = 24

    def take():
        with transaction.atomic():
            return numbering.allocate("珠府", year=2026).number

    results = race(take, workers)
    assert sorted(results) == list(range(1, workers + 1))
    assert list(SerialNumber.objects.order_by("number").values_list("number", flat=True)) == list(
        range(1, workers + 1)
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_of_one_document_gives_it_one_number():
    document = Unit.objects.create(name="测试单位", short_name="测试", kind=Unit.Kind.OTHER)
    workers = 8

    def take():
        with transaction.atomic():
            return numbering.allocate("珠府", year=2026, obj=document).number

    assert race(take, workers) == [1] * workers
