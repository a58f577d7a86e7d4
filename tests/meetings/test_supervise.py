"""议定事项 → 督办事项 (meetings/supervise.py): signing minutes opens one supervision item per
decided item, linked back to the minutes; saving the minutes twice, or running the intake again,
never makes a second item; the meeting's implementation rate (落实率) comes from the ledger."""

import pytest
from django.utils import timezone

from meetings import minutes as mins
from meetings.models import DecidedItem
from meetings.statistics import meetings_statistics
from meetings.supervise import implementation_by_meeting, supervise_decided_items
from office.models import SerialNumber
from supervision import workflow as sflow
from supervision.models import Source, SupervisionItem
from tests.meetings.test_minutes import decisions, held_meeting
from tests.meetings.test_topic_workflow import Build
from tests.steps import fresh


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


def signed_minutes(build, personas, units, *, n=2, title="市政府第12次常务会议"):
    minutes = mins.draft(held_meeting(build, personas, title=title), actor=personas["secretary"])
    for _ in range(2):  # saved twice: still one set of decided items
        mins.revise(
            minutes,
            actor=personas["secretary"],
            body="纪要正文。",
            decisions=decisions(build, units, personas, n),
        )
    mins.submit(minutes, actor=personas["secretary"])
    mins.sign_off(minutes, actor=personas["leader"])
    return fresh(minutes)


def test_signing_opens_one_supervision_item_per_decided_item_linked_back(build, personas, units):
    minutes = signed_minutes(build, personas, units)
    items = list(SupervisionItem.objects.order_by("id"))
    assert len(items) == 2
    first, decided = items[0], DecidedItem.objects.get(minutes=minutes, position=1)
    year = timezone.localdate().year
    assert first.item_number == f"督〔{year}〕1号" and items[1].item_number == f"督〔{year}〕2号"
    assert first.source == Source.MEETING_DECISION
    assert first.source_id == decided.pk
    assert first.source_label == f"市政府常务会议纪要 {minutes.issue_text} 第1项议定事项"
    assert first.source_url == f"/meetings/minutes/{minutes.pk}/#decided-1"
    assert first.title == "第1项：由市教育局牵头制定实施方案，报市政府审定"
    assert first.requirement == decided.content
    assert (first.lead_unit, first.responsible_leader) == (units["a"], personas["leader"])
    assert list(first.co_units.all()) == [units["b"]]
    assert first.deadline == decided.deadline == first.original_deadline
    assert first.state == SupervisionItem.State.OPENED
    # The supervision office hears of the new items.
    assert personas["supervisor"].notifications.filter(title__contains=first.item_number).exists()


def test_taking_the_decided_items_again_does_not_duplicate_them(build, personas, units):
    minutes = signed_minutes(build, personas, units)
    again = supervise_decided_items(minutes, actor=personas["supervisor"])
    assert SupervisionItem.objects.count() == 2
    assert sorted(i.pk for i in again) == sorted(
        SupervisionItem.objects.values_list("pk", flat=True)
    )
    assert SerialNumber.objects.filter(key="督").count() == 2


def test_the_minutes_page_shows_each_decided_items_supervision_item(client, build, personas, units):
    minutes = signed_minutes(build, personas, units, n=1)
    item = SupervisionItem.objects.get()
    client.force_login(personas["supervisor"])
    page = client.get(f"/meetings/minutes/{minutes.pk}/").content.decode()
    assert item.item_number in page and f"/supervision/items/{item.pk}/" in page


def test_implementation_rate_per_meeting_follows_the_ledger(build, personas, units):
    minutes = signed_minutes(build, personas, units, n=2)
    supervisor, head = personas["supervisor"], personas["head_a"]
    rates = implementation_by_meeting(supervisor, [minutes])[minutes.pk]
    assert (rates.total, rates.closed, rates.completion_rate) == (2, 0, 0)

    item = SupervisionItem.objects.order_by("id").first()
    sflow.assign(item, actor=supervisor)
    sflow.submit_report(fresh(item), actor=head, text="已完成方案制定。", completion=True)
    sflow.close(fresh(item), actor=supervisor, opinion="核验属实。")
    rates = implementation_by_meeting(supervisor, [minutes])[minutes.pk]
    assert (rates.total, rates.closed, str(rates.completion_rate)) == (2, 1, "50.0")

    stats = meetings_statistics(supervisor, year=minutes.issue_year)
    assert [row.minutes.pk for row in stats.implementation] == [minutes.pk]
    assert stats.implementation_total.closed == 1
    assert str(stats.implementation_total.completion_rate) == "50.0"
    # A co-unit counts the items it works on; someone who may see none of them counts nothing.
    assert implementation_by_meeting(personas["handler_b"], [minutes])[minutes.pk].total == 2
    assert implementation_by_meeting(personas["outsider"], [minutes]) == {}


def test_the_statistics_page_shows_the_implementation_table(client, build, personas, units):
    minutes = signed_minutes(build, personas, units, n=1)
    client.force_login(personas["secretary"])
    response = client.get(f"/meetings/statistics/?year={minutes.issue_year}")
    page = response.content.decode()
    assert "议定事项落实情况" in page and minutes.issue_text in page and "0.0%" in page
