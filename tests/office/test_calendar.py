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


def at(day, hour, minute=0):
    """An aware local (Asia/Shanghai) moment."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


@pytest.mark.django_db
class TestWorkingHours:
    """add_working_hours with the default office hours 08:30–12:00, 14:30–17:30 (6.5 h a day)."""

    @pytest.fixture(autouse=True)
    def _default_office_hours(self, settings):
        settings.OFFICE_HOURS = "08:30-12:00,14:30-17:30"

    def test_within_one_day_skips_the_lunch_break(self):
        from office.calendar import add_working_hours

        monday = D(2026, 11, 23)
        assert add_working_hours(at(monday, 9), 2) == at(monday, 11)
        assert add_working_hours(at(monday, 11), 2) == at(monday, 15, 30)
        assert add_working_hours(at(monday, 12, 30), 1) == at(monday, 15, 30)  # asked at lunch

    def test_evening_counts_from_the_next_morning(self):
        from office.calendar import add_working_hours

        # Sent at 20:00 on Monday: Tuesday gives 6.5 h, Wednesday 08:30 + 1.5 h.
        assert add_working_hours(at(D(2026, 11, 23), 20), 8) == at(D(2026, 11, 25), 10)
        # Sent before office hours: counting starts at 08:30 that day.
        assert add_working_hours(at(D(2026, 11, 24), 7), 6.5) == at(D(2026, 11, 24), 17, 30)

    def test_weekend_is_skipped(self):
        from office.calendar import add_working_hours

        # Friday 15:00: 2.5 h that day, Monday 3.5 h in the morning, then 2 h from 14:30.
        assert add_working_hours(at(D(2026, 11, 20), 15), 8) == at(D(2026, 11, 23), 16, 30)
        # Sent on Saturday: the 8 hours start on Monday morning.
        assert add_working_hours(at(D(2026, 11, 21), 10), 8) == at(D(2026, 11, 24), 10)

    def test_golden_week_holiday_is_skipped(self):
        from office.calendar import add_working_hours

        # 30 September 16:00: 1.5 h; 1–7 October are holidays; 8 October gives the last 6.5 h.
        assert add_working_hours(at(D(2026, 9, 30), 16), 8) == at(D(2026, 10, 8), 17, 30)

    def test_swapped_working_weekend_counts(self):
        from office.calendar import add_working_hours

        # Friday 9 October 15:00: 2.5 h; Saturday 10 October is a 调休 working day.
        assert add_working_hours(at(D(2026, 10, 9), 15), 8) == at(D(2026, 10, 10), 16, 30)
        # Sunday 20 September 2026 is worked too (调休 for National Day).
        assert add_working_hours(at(D(2026, 9, 19), 10), 1) == at(D(2026, 9, 20), 9, 30)

    def test_office_overrides_and_configured_hours(self, personas, settings):
        from office.calendar import add_working_hours

        CalendarOverride.objects.create(
            date=D(2026, 11, 23), is_working_day=False, note="停工", updated_by=personas["sysadmin"]
        )
        assert add_working_hours(at(D(2026, 11, 20), 15), 8) == at(D(2026, 11, 24), 16, 30)
        settings.OFFICE_HOURS = "09:00-12:00, 13:00-18:00"
        assert add_working_hours(at(D(2026, 11, 24), 17), 8) == at(D(2026, 11, 25), 17)

    def test_bad_input_is_refused(self, settings):
        from django.core.exceptions import ImproperlyConfigured

        from office.calendar import add_working_hours

        with pytest.raises(ValueError):
            add_working_hours(datetime.datetime(2026, 11, 23, 9), 8)  # naive
        for wrong in ("8:30-12", "14:30-12:00", "08:30-12:00,11:00-17:30", "25:00-26:00"):
            settings.OFFICE_HOURS = wrong
            with pytest.raises(ImproperlyConfigured):
                add_working_hours(at(D(2026, 11, 23), 9), 8)
