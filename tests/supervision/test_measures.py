"""The one definition of lights and rates (supervision.measures), pinned on a known data set, and
the reporting cadence's date math (supervision.schedule).

The rate data set: 18 counted items (and one suspended, not counted), 17 of them closed — 15 on
time, 2 after the original deadline (one of those after an approved extension: an extension does
not make a late closure on time) — and one open item past its deadline. 办结率 17/18 = 94.4%,
按期办结率 15/18 = 83.3%.

Items are closed through the workflow, which only closes on the real today; the test then moves
their dates (opened_on, original_deadline, deadline, closed_on) with queryset.update — closing
"late" needs the deadline to have passed, which a freshly opened item's cannot."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from office.calendar import Light, add_working_days
from office.roles import Role
from supervision import measures, schedule
from supervision.models import Cadence, SupervisionItem
from supervision.workflow import close, suspend
from tests.conftest import make_user
from tests.steps import fresh
from tests.supervision.test_workflow import (
    assigned_item,
    close_requested_item,
    in_progress_item,
    opened_item,
)

pytestmark = pytest.mark.django_db

S = SupervisionItem.State
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def closed_item(personas, units, *, lead, closed_on, original_deadline, deadline=None):
    item = close_requested_item(personas, units, lead=lead)
    close(item, actor=personas["supervisor"], opinion="核验属实，予以销号。")
    SupervisionItem.objects.filter(pk=item.pk).update(
        opened_on=days(-100),
        closed_on=closed_on,
        original_deadline=original_deadline,
        deadline=deadline or original_deadline,
    )
    return fresh(item)


@pytest.fixture
def head_b(units):
    return make_user("fuzeren_b", "吴局长", unit=units["b"], roles=[Role.UNIT_HEAD])


@pytest.fixture
def eighteen(personas, units, head_b):
    """Unit A: 15 closed on time (10 a month ago, 5 ten days ago). Unit B: 2 closed late ten days
    ago (one after an extension), 1 open and past its deadline. And one suspended item."""
    on_time = []
    for i in range(15):
        closed_on, deadline = (days(-30), days(-25)) if i < 10 else (days(-10), days(-5))
        on_time.append(
            closed_item(personas, units, lead="a", closed_on=closed_on, original_deadline=deadline)
        )
    personas_b = {**personas, "head_a": head_b}
    late = closed_item(
        personas_b, units, lead="b", closed_on=days(-10), original_deadline=days(-25)
    )
    extended = closed_item(
        personas_b,
        units,
        lead="b",
        closed_on=days(-10),
        original_deadline=days(-25),
        deadline=days(-5),  # the leader extended it; it was closed within the new deadline
    )
    overdue = in_progress_item(personas_b, units, lead="b")
    stopped = assigned_item(personas, units, lead="b")
    suspend(stopped, actor=personas["supervisor"], reason="上级已另行部署")
    SupervisionItem.objects.filter(pk__in=[overdue.pk, stopped.pk]).update(
        opened_on=days(-100), deadline=days(-3), original_deadline=days(-3)
    )
    return {"on_time": on_time, "late": late, "extended": extended, "overdue": overdue}


class TestRates:
    def test_the_known_data_set(self, eighteen):
        rates = measures.rates(SupervisionItem.objects.all())
        assert (rates.total, rates.closed, rates.closed_on_time, rates.closed_late) == (
            18,
            17,
            15,
            2,
        )
        assert (rates.overdue, rates.open) == (1, 1)
        assert rates.completion_rate == Decimal("94.4")
        assert rates.on_time_rate == Decimal("83.3")
        assert rates.as_dict()["completion_rate"] == Decimal("94.4")

    def test_an_extension_does_not_make_a_late_closure_on_time(self, eighteen):
        extended = eighteen["extended"]
        assert extended.extended and extended.closed_on <= extended.deadline
        late = SupervisionItem.objects.filter(measures.figure_q("closed_late"))
        assert set(late) == {eighteen["late"], extended}

    def test_suspended_items_are_not_counted(self, eighteen):
        assert SupervisionItem.objects.count() == 19
        assert measures.counted(SupervisionItem.objects.all()).count() == 18

    def test_as_of_a_past_day_ignores_later_closures(self, eighteen):
        rates = measures.rates(SupervisionItem.objects.all(), as_of=days(-20))
        assert (rates.total, rates.closed, rates.closed_on_time, rates.closed_late) == (
            18,
            10,
            10,
            0,
        )
        # On that day only the unextended late item was past its (then) deadline.
        assert (rates.overdue, rates.open) == (1, 8)
        assert rates.completion_rate == Decimal("55.6")
        before_any = measures.rates(SupervisionItem.objects.all(), as_of=days(-101))
        assert before_any.total == 0 and before_any.completion_rate is None

    def test_rates_by_lead_unit(self, eighteen, units):
        by_unit = dict(measures.rates_by(SupervisionItem.objects.all(), "lead_unit"))
        a, b = by_unit[units["a"].pk], by_unit[units["b"].pk]
        assert (a.total, a.closed, a.completion_rate, a.on_time_rate) == (
            15,
            15,
            Decimal("100.0"),
            Decimal("100.0"),
        )
        assert (b.total, b.closed, b.closed_late, b.overdue) == (3, 2, 2, 1)
        assert (b.completion_rate, b.on_time_rate) == (Decimal("66.7"), Decimal("0.0"))
        assert [
            key for key, _ in measures.rates_by(SupervisionItem.objects.all(), "lead_unit")
        ] == [
            units["a"].pk,
            units["b"].pk,
        ]


class TestLights:
    @pytest.fixture
    def lit(self, personas, units):
        """One item per way to a light, its dates moved in the database."""
        made = {}

        def make(name, maker=in_progress_item, **dates):
            item = maker(personas, units, title=name)
            fields = {
                "deadline": add_working_days(TODAY, 20),
                "report_due_on": None,
                "behind_on": None,
                **dates,
            }
            SupervisionItem.objects.filter(pk=item.pk).update(**fields)
            made[name] = fresh(item)

        make("red_by_deadline", deadline=days(-1))
        make("red_by_report", report_due_on=days(-1))
        make("report_due_today", report_due_on=TODAY)
        make("not_reporting_yet", maker=opened_item, report_due_on=days(-1))
        make("yellow_by_window", deadline=add_working_days(TODAY, 3))
        make("due_today", deadline=TODAY)
        make("yellow_by_behind", behind_on=TODAY)
        make("behind_later", behind_on=days(1))
        make("green_after_window", deadline=add_working_days(TODAY, 4))
        make("closed", maker=close_requested_item)
        close(made["closed"], actor=personas["supervisor"])
        make("suspended", maker=assigned_item)
        suspend(made["suspended"], actor=personas["supervisor"], reason="上级已另行部署")
        return {name: fresh(item) for name, item in made.items()}

    EXPECTED = {
        "red_by_deadline": Light.RED,
        "red_by_report": Light.RED,
        "report_due_today": Light.GREEN,
        "not_reporting_yet": Light.GREEN,  # 已立项: no report is due before 交办
        "yellow_by_window": Light.YELLOW,
        "due_today": Light.YELLOW,
        "yellow_by_behind": Light.YELLOW,
        "behind_later": Light.GREEN,
        "green_after_window": Light.GREEN,
        "closed": "",
        "suspended": "",
    }

    def test_each_items_light(self, lit):
        lights = dict(
            measures.with_light(SupervisionItem.objects.all()).values_list("title", "light")
        )
        assert lights == self.EXPECTED

    @pytest.mark.parametrize("light", [Light.RED, Light.YELLOW, Light.GREEN])
    def test_light_q_and_with_light_agree_on_every_item(self, lit, light):
        filtered = set(SupervisionItem.objects.filter(measures.light_q(light)))
        annotated = set(measures.with_light(SupervisionItem.objects.all()).filter(light=light))
        assert filtered == annotated
        assert {i.title for i in filtered} == {n for n, v in self.EXPECTED.items() if v == light}

    def test_reasons_say_why(self, lit):
        assert "已超过办结时限 1 天" in measures.light_reasons(lit["red_by_deadline"])
        assert any("未按期报送进展" in r for r in measures.light_reasons(lit["red_by_report"]))
        assert any("临近办结时限" in r for r in measures.light_reasons(lit["yellow_by_window"]))
        assert any("序时进度" in r for r in measures.light_reasons(lit["yellow_by_behind"]))
        assert measures.light_reasons(lit["green_after_window"]) == []
        assert measures.light_reasons(lit["closed"]) == []


# --- supervision.schedule ----------------------------------------------------------------------


def d(month, day, year=2026):
    return datetime.date(year, month, day)


class TestSchedule:
    def test_monthly(self):
        assert schedule.report_day_after(d(1, 10), Cadence.MONTHLY, 25) == d(1, 25)
        assert schedule.report_day_after(d(1, 25), Cadence.MONTHLY, 25) == d(2, 25)
        assert schedule.report_day_after(d(12, 26), Cadence.MONTHLY, 25) == d(1, 25, 2027)

    def test_month_end_is_clamped(self):
        assert schedule.report_day_after(d(2, 1), Cadence.MONTHLY, 31) == d(2, 28)
        assert schedule.report_day_after(d(2, 28), Cadence.MONTHLY, 31) == d(3, 31)
        assert schedule.report_day_after(d(4, 1), Cadence.MONTHLY, 31) == d(4, 30)
        assert schedule.report_day_after(d(2, 1, 2028), Cadence.MONTHLY, 30) == d(2, 29, 2028)

    def test_weekly(self):
        wednesday = d(12, 9)
        assert schedule.report_day_after(wednesday, Cadence.WEEKLY, 5) == d(12, 11)
        assert schedule.report_day_after(d(12, 11), Cadence.WEEKLY, 5) == d(12, 18)
        assert schedule.report_day_after(wednesday, Cadence.WEEKLY, 1) == d(12, 14)

    def test_quarterly(self):
        assert schedule.report_day_after(d(4, 21), Cadence.QUARTERLY, 20) == d(6, 20)
        assert schedule.report_day_after(d(6, 20), Cadence.QUARTERLY, 20) == d(9, 20)
        assert schedule.report_day_after(d(12, 21), Cadence.QUARTERLY, 20) == d(3, 20, 2027)

    def test_no_cadence(self):
        assert schedule.report_day_after(d(4, 21), Cadence.NONE, 20) is None
        assert schedule.first_report_due(d(4, 21), Cadence.NONE, 20, d(12, 31)) is None

    def test_the_first_report_is_due_at_least_a_week_after_assignment(self):
        assert schedule.first_report_due(d(1, 10), Cadence.MONTHLY, 25, d(12, 31)) == d(1, 25)
        assert schedule.first_report_due(d(1, 20), Cadence.MONTHLY, 25, d(12, 31)) == d(2, 25)
        assert schedule.first_report_due(d(1, 18), Cadence.MONTHLY, 25, d(12, 31)) == d(1, 25)
        for start in (d(1, 1) + datetime.timedelta(days=n) for n in range(60)):
            for cadence in (Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY):
                due = schedule.first_report_due(start, cadence, 5, d(12, 31))
                assert (due - start).days >= schedule.FIRST_REPORT_AFTER_DAYS, (start, cadence)

    def test_no_report_is_due_after_the_deadline(self):
        assert schedule.first_report_due(d(1, 20), Cadence.MONTHLY, 25, d(2, 10)) is None

    def test_an_early_report_covers_the_current_period_a_late_one_the_missed_ones(self):
        kwargs = dict(cadence=Cadence.MONTHLY, report_day=25, deadline=d(12, 31))
        assert schedule.next_report_due(reported_on=d(1, 20), current_due=d(1, 25), **kwargs) == d(
            2, 25
        )
        assert schedule.next_report_due(reported_on=d(3, 2), current_due=d(1, 25), **kwargs) == d(
            3, 25
        )

    def test_behind_on_by_time_with_grace_and_by_milestone(self):
        start, deadline = d(1, 1), d(12, 31)
        kwargs = dict(start=start, deadline=deadline, cadence=Cadence.MONTHLY, report_day=25)
        # 0%: behind from the day after start, but not before the first report is due (grace).
        assert schedule.behind_on(progress=0, milestones=[], **kwargs) == d(1, 25)
        # 50% of 364 days: behind once more than 182 days have passed.
        assert schedule.behind_on(
            progress=50, milestones=[], **kwargs
        ) == start + datetime.timedelta(days=183)
        assert schedule.behind_on(progress=100, milestones=[], **kwargs) is None
        milestones = [(d(3, 31), None), (d(2, 28), d(2, 20))]
        assert schedule.behind_on(progress=50, milestones=milestones, **kwargs) == d(4, 1)
        assert schedule.behind_on(progress=100, milestones=milestones, **kwargs) == d(4, 1)

    def test_expected_progress(self):
        start, deadline = d(1, 1), d(1, 11)
        assert schedule.expected_progress(start=start, deadline=deadline, today=d(1, 6)) == 50
        assert schedule.expected_progress(start=start, deadline=deadline, today=d(12, 1)) == 100
        assert schedule.expected_progress(start=start, deadline=deadline, today=d(1, 1)) == 0
