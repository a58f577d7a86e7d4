"""Working days on the Chinese calendar (DOMAIN.md §2), with real 2026 dates."""

import datetime

import pytest

from office.calendar import (
    Light,
    add_working_days,
    is_working_day,
    traffic_light,
    working_days_between,
    year_is_covered,
)
from office.models import CalendarOverride

D = datetime.date


@pytest.mark.django_db
class TestShippedCalendar:
    def test_national_day_holiday_and_swapped_saturday(self):
        assert not is_working_day(D(2026, 10, 1))  # 国庆节
        assert not is_working_day(D(2026, 10, 7))
        assert is_working_day(D(2026, 10, 10))  # 调休: Saturday worked
        assert not is_working_day(D(2026, 9, 25))  # 中秋节 (a Friday)

    def test_deadline_skips_the_golden_week(self):
        # A document received on 30 September with one working day is due on 8 October.
        assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
        # Three working days from 8 October: 9th (Fri), 10th (调休 Sat), 12th (Mon).
        assert add_working_days(D(2026, 10, 8), 3) == D(2026, 10, 12)

    def test_counting_backwards_and_zero(self):
        assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
        assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)
        assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)

    def test_working_days_between(self):
        assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
        assert working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == -4
        assert working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0

    def test_long_deadline_over_the_spring_festival(self):
        # 60 working days from 1 December 2025 crosses New Year and the 2026 Spring Festival.
        due = add_working_days(D(2025, 12, 1), 60)
        assert working_days_between(D(2025, 12, 1), due) == 60
        assert due > D(2026, 2, 24)


@pytest.mark.django_db
class TestOfficeOverrides:
    def test_uncovered_year_falls_back_to_weekdays_until_entered(self, personas):
        assert not year_is_covered(2027)
        assert is_working_day(D(2027, 1, 1))  # a Friday: unknown to the shipped data
        CalendarOverride.objects.create(
            date=D(2027, 1, 1), is_working_day=False, note="元旦", updated_by=personas["sysadmin"]
        )
        assert year_is_covered(2027)
        assert not is_working_day(D(2027, 1, 1))
        assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)

    def test_override_wins_over_shipped_data(self, personas):
        CalendarOverride.objects.create(
            date=D(2026, 10, 10), is_working_day=False, note="调整", updated_by=personas["sysadmin"]
        )
        assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)


@pytest.mark.django_db
class TestTrafficLight:
    def test_lights(self):
        today = D(2026, 9, 30)
        assert traffic_light(D(2026, 10, 12), today=today) == Light.GREEN  # 4 working days
        assert traffic_light(D(2026, 10, 9), today=today) == Light.YELLOW  # 2 working days
        assert traffic_light(D(2026, 9, 30), today=today) == Light.YELLOW  # due today
        assert traffic_light(D(2026, 9, 29), today=today) == Light.RED
        assert traffic_light(None, today=today) == Light.GREEN
