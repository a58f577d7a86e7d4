"""The demo's supervision items by source (DOMAIN.md §6), as 立项 would open them:

- 会议议定事项: one item per decided item of signed minutes, opened at sign-off by the signing
  leader with the same title, label and link as meetings.supervise.supervise_decided_items;
- 领导批示: the leaders' instructions marked 转督办, opened by the supervision office a day or two
  later from supervision.intake.initial_from_instruction — the last few days' left for the
  supervisor's 待立项 list;
- 政府工作报告目标任务 and 为民办实事 of the year's government work report, with milestones;
- 上级交办 and 网络诉求 (short working-day deadlines) spread over the year.

Each spec carries the fate its story heads for, drawn so that about nine in ten items due by
today are closed (some late), a few are overdue, extended or suspended, and the open ones show
every light."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from documents.selectors import instructions_to_supervise
from meetings.minutes import decided_items_to_supervise
from meetings.supervise import item_title, source_label

from ..intake import DEFAULT_WORKING_DAYS, initial_from_instruction
from ..models import Cadence, Source
from . import texts
from .life import Spec

# Instructions of the last few working days wait for 立项 (the supervisor's 待立项 list).
WAITING_WORKING_DAYS = 4
WAITING_AT_LEAST = 3
# The government work report is broken into tasks and opened about this day of February.
WORK_REPORT_OPENED = (2, 20)
REPORTS_MISSING = 3
# An instruction's item gets at least this many working days.
SHORTEST_WORKING_DAYS = 10


def rng_for(key):
    return random.Random("supervision-" + "-".join(str(part) for part in key))


class Sources:
    def __init__(self, demo, clock):
        self.clock = clock
        self.units = demo["units"]
        self.users = demo["users"]
        self.key_of = {user.pk: key for key, user in self.users.items()}

    def supervisor_for(self, leader, classification=0):
        key = texts.SUPERVISOR_OF_LEADER.get(self.key_of.get(leader.pk), "supervisor_deputy")
        supervisor = self.users[key]
        if supervisor.clearance < classification:
            supervisor = self.users["supervisor_chief"]
        return supervisor

    def moment(self, rng, day):
        at = self.clock.at(day, rng.randint(8 * 60 + 40, 11 * 60 + 30))
        return at if at <= self.clock.now else None

    def specs(self):
        found = []
        for make in (
            self.decided,
            self.instructions,
            self.work_report,
            self.livelihood,
            self.higher,
            self.appeals,
        ):
            found += [spec for spec in make() if spec is not None]
        for spec in found:
            spec.source_display = Source(spec.source).label
            spec.fate, spec.assign_after = self.fate(spec)
        self.some_reports_missing(found)
        return found

    def some_reports_missing(self, specs):
        """At least REPORTS_MISSING items show red for a missed progress report."""
        today = self.clock.today
        missing = [s for s in specs if s.fate == "report_missing"]
        eligible = [
            s
            for s in specs
            if s.fate == "on_track"
            and s.assign_after is not None
            and s.cadence == Cadence.MONTHLY
            and (today - s.opened_at.astimezone(self.clock.tz).date()).days > 45
        ]
        eligible.sort(key=lambda s: s.key)
        for spec in eligible[: max(0, REPORTS_MISSING - len(missing))]:
            spec.fate = "report_missing"

    # --- fates ---------------------------------------------------------------------------------

    def fate(self, spec):
        """(fate, working days from 立项 to 交办 or None) — see the module docstring."""
        rng, clock = rng_for(("fate", *spec.key)), self.clock
        opened_on = spec.opened_at.astimezone(clock.tz).date()
        assign_after = 0 if spec.source == Source.PUBLIC_APPEAL else rng.choice((1, 1, 2, 3))
        r = rng.random()
        if spec.deadline <= clock.today:
            for limit, fate in (
                (0.01, "suspended"),
                (0.06, "late"),
                (0.08, "extended_open"),
                (0.17, "overdue"),
            ):
                if r < limit:
                    return fate, assign_after
            return "on_time", assign_after
        if clock.between(opened_on, clock.today) <= 2 and rng.random() < 0.6:
            return "on_track", None
        monthly = spec.cadence == Cadence.MONTHLY
        days = (clock.today - opened_on).days
        for limit, fate in (
            (0.01, "suspended"),
            (0.25, "early"),
            (0.31, "close_requested" if days > 20 else "on_track"),
            (0.35, "behind"),
            (0.37, "report_missing" if monthly and days > 45 else "on_track"),
        ):
            if r < limit:
                return fate, assign_after
        return "on_track", assign_after

    # --- the sources ---------------------------------------------------------------------------

    def decided(self):
        """议定事项 → 督办事项 as meetings.supervise.supervise_decided_items opens them."""
        from meetings.models import DecidedItem

        source_type = ContentType.objects.get_for_model(DecidedItem)
        for decided in decided_items_to_supervise().select_related("minutes__signed_by"):
            minutes = decided.minutes
            url = reverse("meetings:minutes-detail", args=[minutes.pk])
            yield Spec(
                key=("source", source_type.pk, decided.pk),
                source=Source.MEETING_DECISION,
                title=item_title(decided),
                requirement=decided.content,
                lead_unit=decided.lead_unit,
                co_units=tuple(decided.co_units.all()),
                leader=decided.leader,
                supervisor=self.supervisor_for(decided.leader),
                opener=minutes.signed_by,
                opened_at=minutes.signed_at,
                deadline=decided.deadline,
                cadence=Cadence.MONTHLY,
                source_label=source_label(decided),
                source_url=f"{url}#decided-{decided.position}",
                source_type_id=source_type.pk,
                source_id=decided.pk,
            )

    def instructions(self):
        """领导批示件, opened 1–2 working days after the instruction; the newest wait."""
        from documents.models import LeaderInstruction

        source_type = ContentType.objects.get_for_model(LeaderInstruction)
        clock = self.clock
        instructions = list(instructions_to_supervise().select_related("document"))
        cutoff = clock.add(clock.today, -WAITING_WORKING_DAYS)
        waiting = {i.pk for i in instructions[:WAITING_AT_LEAST]}
        waiting |= {
            i.pk for i in instructions if i.instructed_at.astimezone(clock.tz).date() > cutoff
        }
        for instruction in instructions:
            if instruction.pk in waiting:
                continue
            key = ("source", source_type.pk, instruction.pk)
            rng = rng_for(key)
            instructed = instruction.instructed_at.astimezone(clock.tz).date()
            opened_at = self.moment(rng, clock.add(instructed, rng.randint(1, 2)))
            if opened_at is None:
                continue
            start = initial_from_instruction(instruction, today=opened_at.date())
            if start["lead_unit"] is None:
                continue
            supervisor = self.supervisor_for(instruction.leader, start["classification"])
            # A document's own handling deadline of a few days is too short for a supervision
            # item: the supervisor gives it the default time instead.
            deadline = start["deadline"]
            if deadline < clock.add(opened_at.date(), SHORTEST_WORKING_DAYS):
                deadline = clock.add(opened_at.date(), DEFAULT_WORKING_DAYS)
            yield Spec(
                key=key,
                source=Source.INSTRUCTION,
                title=start["title"],
                requirement=start["requirement"],
                lead_unit=start["lead_unit"],
                co_units=tuple(u for u in start["co_units"] if u != start["lead_unit"]),
                leader=start["responsible_leader"],
                supervisor=supervisor,
                opener=supervisor,
                opened_at=opened_at,
                deadline=deadline,
                cadence=start["report_cadence"],
                report_day=start["report_day"],
                classification=start["classification"],
                source_label=start["source_label"],
                source_url=start["source_url"],
                source_type_id=source_type.pk,
                source_id=instruction.pk,
            )

    def work_report_year(self):
        """The year of the latest government work report broken down within the last year."""
        today = self.clock.today
        for year in (today.year, today.year - 1):
            opened = self.clock.add(datetime.date(year, *WORK_REPORT_OPENED), 0)
            if today - datetime.timedelta(days=365) <= opened <= today:
                return year, opened
        return None, None

    def _hand(self, source, title, year, opened_on, **values):
        key = (source, title, year)
        rng = rng_for(key)
        opened_at = self.moment(rng, opened_on)
        if opened_at is None:
            return None
        supervisor = self.supervisor_for(values["leader"])
        return Spec(
            key=key,
            source=source,
            title=title,
            supervisor=supervisor,
            opener=supervisor,
            opened_at=opened_at,
            **values,
        )

    def _people(self, lead, cos, leader):
        return {
            "lead_unit": self.units[lead],
            "co_units": tuple(self.units[u] for u in cos),
            "leader": self.users[leader],
        }

    def work_report(self):
        year, opened = self.work_report_year()
        if year is None:
            return
        ends = [datetime.date(year, month, day) for month, day in ((3, 31), (6, 30), (9, 30))]
        ends.append(datetime.date(year, 12, 31))
        for target, tasks in texts.WORK_REPORT:
            for title, lead, cos, leader in tasks:
                milestones = tuple(
                    (texts.MILESTONE.format(period=period, share=share), due)
                    for period, share, due in zip(
                        texts.QUARTERS, texts.QUARTER_SHARES, ends, strict=True
                    )
                )
                yield self._hand(
                    Source.WORK_REPORT_TASK,
                    title,
                    year,
                    opened,
                    requirement=texts.WORK_REPORT_REQUIREMENT.format(
                        year=year, target=target, task=title
                    ),
                    deadline=datetime.date(year, 12, 31),
                    cadence=Cadence.QUARTERLY,
                    milestones=milestones,
                    source_label=f"{year}年市政府工作报告目标任务分解（{target}）",
                    **self._people(lead, cos, leader),
                )

    def livelihood(self):
        year, opened = self.work_report_year()
        if year is None:
            return
        opened = self.clock.add(opened, 1)
        for title, lead, cos, leader, (month, day), steps in texts.LIVELIHOOD:
            yield self._hand(
                Source.LIVELIHOOD_PROJECT,
                title,
                year,
                opened,
                requirement=texts.LIVELIHOOD_REQUIREMENT.format(year=year, title=title),
                deadline=datetime.date(year, month, day),
                cadence=Cadence.MONTHLY,
                milestones=tuple((text, datetime.date(year, m, d)) for text, m, d in steps),
                source_label=f"{year}年市十件民生实事",
                **self._people(lead, cos, leader),
            )

    def _spread(self, count, first, step):
        today = self.clock.today
        for index in range(count):
            yield index, self.clock.add(today - datetime.timedelta(days=first - index * step), 0)

    def higher(self):
        for index, opened in self._spread(len(texts.HIGHER), 355, 24):
            title, lead, cos, leader, label, days = texts.HIGHER[index]
            yield self._hand(
                Source.HIGHER_ASSIGNMENT,
                title,
                opened.year,
                opened,
                requirement=texts.HIGHER_REQUIREMENT.format(label=label, title=title),
                deadline=self.clock.add(opened, days),
                cadence=Cadence.MONTHLY,
                source_label=label,
                **self._people(lead, cos, leader),
            )

    def appeals(self):
        for index, opened in self._spread(len(texts.APPEALS), 358, 12):
            title, lead, leader, days = texts.APPEALS[index]
            yield self._hand(
                Source.PUBLIC_APPEAL,
                title,
                opened.year,
                opened,
                requirement=texts.APPEAL_REQUIREMENT.format(title=title, days=days),
                deadline=self.clock.add(opened, days),
                cadence=Cadence.NONE,
                source_label=texts.APPEAL_LABEL.format(number=f"ZH{opened:%Y%m%d}{index + 1:03d}"),
                **self._people(lead, (), leader),
            )
