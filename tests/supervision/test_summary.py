"""The ledger's strip (supervision.measures.summary): items, lights and rates of a set of items in
one query, the same figures light_q and rates give one by one."""

import datetime

import pytest
from django.utils import timezone

from office.calendar import Light, add_working_days
from supervision import measures
from supervision.models import SupervisionItem
from supervision.workflow import close, suspend
from tests.steps import fresh
from tests.supervision.test_workflow import (
    assigned_item,
    close_requested_item,
    in_progress_item,
    opened_item,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def items(personas, units):
    """Two red, two yellow, two green open items; one closed late and one on time; one
    suspended; one of unit b (to check the summary follows the queryset's filter)."""

    def make(title, maker=in_progress_item, lead="a", **dates):
        item = maker(personas, units, title=title, lead=lead)
        if dates:
            SupervisionItem.objects.filter(pk=item.pk).update(**dates)
        return fresh(item)

    make("逾期", deadline=days(-2), original_deadline=days(-2))
    make("未按期报送", report_due_on=days(-1))
    make("临期", deadline=add_working_days(TODAY, 2))
    make("落后于序时进度", behind_on=TODAY)
    make("正常")
    make("已立项", maker=opened_item)
    for title, original in (("按期办结", days(5)), ("逾期办结", days(-3))):
        item = make(title, maker=close_requested_item)
        close(item, actor=personas["supervisor"])
        SupervisionItem.objects.filter(pk=item.pk).update(original_deadline=original)
    stopped = make("中止", maker=assigned_item)
    suspend(stopped, actor=personas["supervisor"], reason="上级已另行部署")
    make("住建局事项", maker=assigned_item, lead="b", deadline=days(-5), original_deadline=days(-5))


def test_the_summary_counts_what_light_q_and_rates_count(items, units, django_assert_num_queries):
    for queryset in (
        SupervisionItem.objects.all(),
        SupervisionItem.objects.filter(lead_unit=units["a"]),
    ):
        lights = {
            light: queryset.filter(measures.light_q(light, TODAY)).count()
            for light in (Light.RED, Light.YELLOW, Light.GREEN)
        }
        expected_rates = measures.rates(queryset, as_of=TODAY)
        # One query for the figures, one for the working calendar (the warning window).
        with django_assert_num_queries(2):
            summary = measures.summary(queryset, TODAY)
        assert summary["lights"] == lights
        assert summary["rates"] == expected_rates
        assert summary["total"] == queryset.count()
        assert summary["open"] == sum(lights.values())


def test_the_figures_of_the_known_set(items):
    summary = measures.summary(SupervisionItem.objects.all(), TODAY)
    assert summary["total"] == 10
    assert summary["open"] == 7
    assert summary["lights"] == {Light.RED: 3, Light.YELLOW: 2, Light.GREEN: 2}
    rates = summary["rates"]
    # The suspended item is neither due nor done.
    assert (rates.total, rates.closed, rates.closed_on_time, rates.closed_late) == (9, 2, 1, 1)
    assert (rates.overdue, rates.open) == (2, 7)
    assert str(rates.completion_rate) == "22.2"


def test_an_empty_set_has_no_rate():
    summary = measures.summary(SupervisionItem.objects.none(), TODAY)
    assert summary["total"] == 0
    assert summary["lights"] == {Light.RED: 0, Light.YELLOW: 0, Light.GREEN: 0}
    assert summary["rates"].completion_rate is None
