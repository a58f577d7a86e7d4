"""The life of one demo supervision item, told day by day up to the present moment (DOMAIN.md §6):
立项, 交办, 进展反馈 on its cadence (the unit head approves, now and then returns one; a few repeat
the previous text), 催办 by hand when it turns red, 延期 asked and decided, 申请办结 with its
evidence, 核验销号 or 退回, 中止 — and each working morning the reminder sweep's 自动催办 exactly as
supervision.reminders would have recorded them.

Every date the light is computed from (`report_due_on`, `behind_on`) moves through
supervision.schedule at the same steps, with the same arguments, as supervision.workflow moves it;
the story stops at the present moment, so what is open now is consistent with what the pages and
the sweep compute."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings

from office.calendar import WARNING_WORKING_DAYS
from office.seed.clock import Cut

from .. import schedule
from ..models import Extension, ProgressReport, SupervisionItem, Urging
from ..reminders import reminder_text
from . import texts

S = SupervisionItem.State
R = ProgressReport
K = Urging.Kind
REPORTING = (S.ASSIGNED, S.IN_PROGRESS)
OPEN = SupervisionItem.OPEN_STATES
SWEEP_MINUTE = 9 * 60
OPENS, CLOSES = 8 * 60 + 40, 17 * 60 + 40


@dataclass
class Spec:
    """What 立项 of one item knows, and the fate its story heads for."""

    key: tuple
    source: str
    title: str
    requirement: str
    lead_unit: object
    co_units: tuple
    leader: object
    supervisor: object
    opener: object
    opened_at: datetime.datetime
    deadline: datetime.date
    cadence: str
    report_day: int = 25
    milestones: tuple = ()  # (title, due_on)
    classification: int = 0
    source_label: str = ""
    source_url: str = ""
    source_type_id: int | None = None
    source_id: int | None = None
    source_display: str = ""
    fate: str = "on_time"
    assign_after: int = 1  # working days from 立项 to 交办 (None: not yet assigned)
    number: str = ""
    serial: int = 0
    year: int = 0


@dataclass
class Told:
    """Everything one item's story made, still unsaved (the writer links the rows)."""

    spec: Spec
    fields: dict = field(default_factory=dict)
    reached: dict = field(default_factory=dict)  # milestone position → reached_on
    reports: list = field(default_factory=list)  # (ProgressReport, milestone position, files)
    latest: int | None = None  # index into reports
    urgings: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (at, actor, action, label, from, to, opinion)
    last_day: datetime.date | None = None


def _round5(value):
    return int(round(value / 5.0)) * 5


class Life:
    def __init__(self, spec, rng, clock, people):
        self.s, self.rng, self.clock = spec, rng, clock
        self.handler, self.head = people
        self.told = Told(spec)
        self.state = S.OPENED
        self.deadline = spec.deadline
        self.assigned_on = None
        self.progress = 0
        self.report_due = None
        self.behind = None
        self.red_since = None
        self.escalated_on = None
        self.closed_on = self.closed_by = None
        self.suspended_reason = ""
        self.last_at = spec.opened_at
        self.pending = None  # (report index, review day, returning)
        self.extension = None  # (Extension, decide day, approve)
        self.submit_on = None
        self.urged_spell = None
        self.plan = {}

    # --- moments and the trail -----------------------------------------------------------------

    def moment(self, day, minute=None):
        if minute is None:
            minute = self.rng.randint(OPENS, CLOSES)
        at = self.clock.at(day, minute)
        if at <= self.last_at:
            at = self.last_at + datetime.timedelta(minutes=self.rng.randint(3, 40))
        if at > self.clock.now:
            raise Cut
        self.last_at = at
        return at

    def event(self, at, actor, action, label, before="", after="", opinion=""):
        self.told.events.append((at, actor, action, label, before, after, opinion))
        self.told.last_day = at.astimezone(self.clock.tz).date()

    def move(self, day, actor, action, label, target, opinion=""):
        at = self.moment(day)
        self.event(at, actor, action, label, S(self.state).label, S(target).label, opinion)
        self.state = target
        return at

    def unit_actor(self, person):
        return person or self.s.lead_unit

    # --- the story -----------------------------------------------------------------------------

    def tell(self):
        s = self.s
        opinion = f"{s.source_display}：{s.source_label or s.title}"
        self.event(s.opened_at, s.opener, "open", "立项", "", S.OPENED.label, opinion)
        opened_on = s.opened_at.astimezone(self.clock.tz).date()
        assign_day = None if s.assign_after is None else self.clock.add(opened_on, s.assign_after)
        start = self.clock.index(opened_on)
        try:
            for day in self.clock.days[start + 1 :]:
                if day > self.clock.today:
                    break
                self.sweep(day)
                if self.state == S.OPENED:
                    if assign_day is not None and day >= assign_day:
                        self.assign(day)
                else:
                    self.act(day)
                if self.state in (S.CLOSED, S.SUSPENDED):
                    break
        except Cut:
            pass
        self.finish()
        return self.told

    def assign(self, day):
        s = self.s
        at = self.moment(day)
        self.assigned_on = day
        self.report_due = schedule.first_report_due(day, s.cadence, s.report_day, self.deadline)
        self.behind = self.behind_now()
        self.event(
            at,
            s.supervisor,
            "assign",
            "交办",
            S.OPENED.label,
            S.ASSIGNED.label,
            self.rng.choice(texts.ASSIGN_MESSAGES),
        )
        self.state = S.ASSIGNED
        self.plan_fate(day)
        self.new_period()

    def behind_now(self):
        milestones = [
            (due, self.told.reached.get(position))
            for position, (_, due) in enumerate(self.s.milestones, 1)
        ]
        return schedule.behind_on(
            start=self.assigned_on,
            deadline=self.deadline,
            progress=self.progress,
            milestones=milestones,
            cadence=self.s.cadence,
            report_day=self.s.report_day,
        )

    def plan_fate(self, start):
        """Dates of the planned steps, from the fate chosen at 立项."""
        rng, clock, fate = self.rng, self.clock, self.s.fate
        deadline = self.deadline
        span = max((deadline - start).days, 1)
        plan = self.plan
        plan["lag"] = {"overdue": 0.7, "behind": 0.45}.get(fate, 1.0)
        plan["late_reports"] = 0.3 if fate == "overdue" else 0.05

        def after_start(fraction):
            return start + datetime.timedelta(days=max(2, int(span * fraction)))

        # A short item (an online appeal, an instruction due in days) is reviewed and verified
        # at once.
        plan["quick"] = clock.between(start, deadline) < 12
        close = None
        if fate == "on_time":
            close = clock.add(after_start(rng.uniform(0.6, 1.0)), 0)
            if close > deadline:
                close = clock.add(deadline, -1) if clock.add(deadline, -1) > start else deadline
        elif fate == "early":
            close = clock.add(after_start(rng.uniform(0.45, 0.95)), 0)
        elif fate == "late":
            close = clock.add(deadline + datetime.timedelta(days=rng.randint(4, 35)), 0)
            if rng.random() < 0.5:
                plan["extension"] = (clock.add(deadline, -rng.randint(3, 6)), True, close)
        elif fate == "extended_open":
            new = max(
                deadline + datetime.timedelta(days=rng.randint(30, 75)),
                clock.today + datetime.timedelta(days=rng.randint(10, 40)),
            )
            plan["extension"] = (clock.add(deadline, -rng.randint(3, 6)), True, clock.add(new, 0))
        elif fate == "overdue" and rng.random() < 0.3:
            new = clock.add(deadline + datetime.timedelta(days=30), 0)
            plan["extension"] = (clock.add(deadline, -rng.randint(3, 6)), False, new)
        elif fate == "close_requested":
            plan["apply"] = [max(clock.add(clock.today, -rng.randint(0, 2)), clock.add(start, 1))]
            plan["verify_after"] = 99
        elif fate == "suspended":
            plan["suspend"] = clock.add(after_start(rng.uniform(0.2, 0.7)), 0)
        if close is not None:
            apply = max(clock.add(close, -rng.randint(5, 7)), clock.add(start, 1))
            if plan["quick"] and fate != "late":
                apply = max(min(apply, clock.add(deadline, -2)), clock.add(start, 1))
            if fate == "late":
                apply = max(apply, clock.add(deadline, 1))
            plan["apply"] = [apply]
            if (apply - start).days > 20 and rng.random() < 0.08:
                first = clock.add(apply, -rng.randint(8, 11))
                if first > clock.add(start, 2):
                    plan["apply"] = [first, apply]
                    plan["no_evidence_first"] = rng.random() < 0.5
        if "extension" in plan:
            ask, approve, new = plan["extension"]
            if ask <= clock.add(start, 3):
                del plan["extension"]
            else:
                plan["extension"] = (ask, approve, max(new, clock.add(deadline, 5)))

    # --- the reminder sweep (supervision.reminders), each working morning ------------------------

    def red(self, day):
        return self.state in OPEN and (
            self.deadline < day
            or (self.state in REPORTING and self.report_due is not None and self.report_due < day)
        )

    def sweep(self, day):
        clock = self.clock
        at = clock.at(day, SWEEP_MINUTE)
        if at > clock.now:
            return
        red = self.red(day)
        if red and self.red_since is None:
            self.red_since = day
        elif not red:
            self.red_since = None
        if self.state not in REPORTING:
            return
        kinds = []
        if day <= self.deadline <= clock.add(day, WARNING_WORKING_DAYS):
            kinds.append(K.DUE_SOON)
        if self.deadline < day:
            kinds.append(K.OVERDUE)
        if self.report_due is not None and self.report_due < day:
            kinds.append(K.REPORT_MISSING)
        n = settings.SUPERVISION_ESCALATE_AFTER_WORKING_DAYS
        cutoff = day + datetime.timedelta(days=1) if n <= 0 else clock.add(day, 1 - n)
        if (
            red
            and self.red_since < cutoff
            and (self.escalated_on is None or self.escalated_on < self.red_since)
        ):
            kinds.append(K.ESCALATED)
            self.escalated_on = day
        for kind in kinds:
            self.told.urgings.append(
                Urging(kind=kind, day=day, at=at, message=self.reminder(kind, day), by=None)
            )

    def reminder(self, kind, day):
        """The words supervision.reminders' sweep writes (`reminder_text`)."""
        if kind == K.DUE_SOON:
            days = self.clock.between(day, self.deadline)
        elif kind == K.OVERDUE:
            days = self.clock.between(self.deadline, day)
        elif kind == K.ESCALATED:
            days = self.clock.between(self.red_since, day)
        else:
            days = 0
        return reminder_text(
            kind,
            deadline=self.deadline,
            days=days,
            report_due_on=self.report_due,
            red_since=self.red_since,
            unit_name=self.s.lead_unit.name,
        )

    # --- a working day in the unit's and the office's hands ------------------------------------

    def act(self, day):
        plan = self.plan
        if self.state == S.CLOSE_REQUESTED:
            if day >= plan["verify_on"]:
                self.verify(day)
            return
        if self.state not in REPORTING:
            return
        if "suspend" in plan and day >= plan["suspend"]:
            reason = self.rng.choice(texts.SUSPEND_REASONS)
            self.move(day, self.s.supervisor, "suspend", "中止督办", S.SUSPENDED, reason)
            self.suspended_reason = reason
            return
        if self.pending is not None:
            if day >= self.pending[1]:
                self.review(day)
            return
        self.extend(day)
        applies = plan.get("apply", [])
        if applies and day >= applies[0]:
            self.submit(day, completion=True)
            return
        quiet = applies and day >= self.clock.add(applies[0], -3)
        if self.submit_on is not None and day >= self.submit_on and not quiet:
            self.submit(day)
            return
        self.urge(day)

    def new_period(self):
        """The day the unit will report for the period now due (None: it will not)."""
        rng, clock = self.rng, self.clock
        due = self.report_due
        self.submit_on = None
        if due is None:
            return
        if self.s.fate == "report_missing" and (
            clock.today - datetime.timedelta(days=30) <= due < clock.today
        ):
            return
        if rng.random() < self.plan.get("late_reports", 0.05):
            self.submit_on = clock.add(due, rng.randint(2, 6))
        else:
            self.submit_on = clock.add(due, -rng.randint(0, 4))

    def previous_text(self):
        for report, _, _ in reversed(self.told.reports):
            if report.state != R.State.RETURNED:
                return report.text
        return None

    def submit(self, day, completion=False, again=False):
        rng, s = self.rng, self.s
        at = self.moment(day)
        author = self.handler or self.head or s.supervisor
        previous = self.previous_text()
        milestone = next(
            (
                position
                for position, (_, due) in enumerate(s.milestones, 1)
                if position not in self.told.reached
                and not any(m == position for r, m, _ in self.told.reports if r.state != "returned")
            ),
            None,
        )
        flag = ""
        files = False
        if completion:
            text = rng.choice(texts.COMPLETION)
            progress = 100
            files = not (len(self.plan["apply"]) > 1 and self.plan.get("no_evidence_first"))
            if not files:
                flag = R.Flag.NO_EVIDENCE
        else:
            progress = self.progress_for(day)
            if previous and not again and rng.random() < 0.05:
                text, progress, flag = previous, self.progress, R.Flag.REPEATS_PREVIOUS
            else:
                choices = [t for t in texts.PROGRESS if not (previous or "").startswith(t)]
                text = f"{rng.choice(choices)}目前完成约{progress}%。"
            if milestone is not None:
                due = s.milestones[milestone - 1][1]
                lagging = s.fate in ("behind", "overdue") and due < day
                if lagging or (due - day).days > 45:
                    milestone = None
        report = ProgressReport(
            kind=R.Kind.COMPLETION if completion else R.Kind.PROGRESS,
            text=text,
            progress=progress,
            unit=s.lead_unit,
            author=author,
            submitted_at=at,
            flag=flag,
        )
        self.told.reports.append((report, milestone, files))
        self.event(
            at,
            self.unit_actor(self.handler or self.head),
            "submit_report",
            "报送申请办结" if completion else "报送进展",
            opinion=text[:200],
        )
        clock = self.clock
        if self.head is None or author == self.head or self.plan["quick"]:
            review = day
        elif day >= clock.add(clock.today, -2):
            review = clock.add(clock.today, 1)  # waiting on the head's desk now
        else:
            review = clock.add(day, rng.choice((0, 0, 1, 1, 2)))
        returning = self.head is not None and not again and not completion and rng.random() < 0.05
        self.pending = (len(self.told.reports) - 1, review, returning)
        if review == day:
            self.review(day)

    def progress_for(self, day):
        """What a unit on schedule has done by the next report after this one (序时进度 then),
        times the fate's lag."""
        start, deadline = self.assigned_on, self.deadline
        after = max(day, self.report_due) if self.report_due else day
        target = schedule.report_day_after(after, self.s.cadence, self.s.report_day) or deadline
        span = max((deadline - start).days, 1)
        share = min(1.0, max(0.0, (min(target, deadline) - start).days / span))
        value = _round5(share * 100 * self.plan["lag"] + self.rng.uniform(0, 10))
        return max(self.progress, min(95, max(5, value)))

    def review(self, day):
        index, _, returning = self.pending
        report, milestone, _ = self.told.reports[index]
        head = self.head
        at = self.moment(day)
        report.reviewed_by, report.reviewed_at = head, at
        self.pending = None
        if returning:
            opinion = self.rng.choice(texts.RETURN_OPINIONS)
            report.state, report.review_opinion = R.State.RETURNED, opinion
            self.event(at, head, "return_report", "退回进展反馈", opinion=opinion)
            self.submit(self.clock.add(day, 1), again=True)
            return
        report.state = R.State.APPROVED
        if milestone is not None:
            self.told.reached[milestone] = day
        self.told.latest = index
        actor = self.unit_actor(head)
        if report.kind == R.Kind.COMPLETION:
            self.progress = 100
            self.move(day, actor, "request_close", "申请办结", S.CLOSE_REQUESTED, report.text[:200])
            after = self.plan.get("verify_after") or (
                1 if self.plan["quick"] else self.rng.randint(1, 3)
            )
            self.plan["verify_on"] = self.clock.add(day, after)
            return
        self.progress = self.progress if report.progress is None else report.progress
        self.report_due = schedule.next_report_due(
            reported_on=day,
            current_due=self.report_due,
            cadence=self.s.cadence,
            report_day=self.s.report_day,
            deadline=self.deadline,
        )
        self.behind = self.behind_now()
        self.red_since = None
        self.move(day, actor, "report_progress", "进展反馈", S.IN_PROGRESS, report.text[:200])
        self.new_period()

    def verify(self, day):
        s, rng = self.s, self.rng
        applies = self.plan["apply"]
        if len(applies) > 1:
            applies.pop(0)
            opinion = texts.SEND_BACK_OPINIONS[0 if self.plan.get("no_evidence_first") else 1]
            self.move(day, s.supervisor, "send_back", "退回", S.IN_PROGRESS, opinion)
            self.progress = min(self.progress, 99)
            self.report_due = schedule.report_day_after(day, s.cadence, s.report_day)
            self.new_period()
            return
        self.move(
            day, s.supervisor, "close", "核验销号", S.CLOSED, rng.choice(texts.CLOSE_OPINIONS)
        )
        self.closed_on, self.closed_by, self.report_due = day, s.supervisor, None

    def extend(self, day):
        rng, s = self.rng, self.s
        if self.extension is not None:
            extension, decide_on, approve = self.extension
            if day < decide_on:
                return
            at = self.moment(day)
            self.extension = None
            extension.decided_by, extension.decided_at = s.leader, at
            if approve:
                extension.state = Extension.State.APPROVED
                self.deadline = extension.requested_deadline
                due = self.report_due or schedule.report_day_after(day, s.cadence, s.report_day)
                self.report_due = due if due and due <= self.deadline else None
                self.behind = self.behind_now()
                summary = f"延至 {extension.requested_deadline:%Y-%m-%d}"
                self.new_period()
            else:
                extension.state = Extension.State.REFUSED
                extension.opinion = summary = rng.choice(texts.REFUSE_OPINIONS)
            label = "同意延期" if approve else "不同意延期"
            self.event(at, s.leader, "decide_extension", label, opinion=summary)
            return
        planned = self.plan.get("extension")
        if planned is None or day < planned[0] or self.state not in REPORTING:
            return
        del self.plan["extension"]
        _, approve, new = planned
        if new <= self.deadline:
            return
        at = self.moment(day)
        reason = rng.choice(texts.EXTENSION_REASONS)
        extension = Extension(
            requested_deadline=new,
            previous_deadline=self.deadline,
            reason=reason,
            requested_by=self.handler or self.head or s.supervisor,
            requested_at=at,
        )
        self.told.extensions.append(extension)
        self.extension = (extension, self.clock.add(day, rng.randint(1, 2)), approve)
        self.event(
            at,
            self.unit_actor(self.handler or self.head),
            "request_extension",
            "申请延期",
            opinion=f"申请延至 {new:%Y-%m-%d}：{reason}",
        )

    def urge(self, day):
        """人工催办 on the second to fourth working day of a red spell, once per spell."""
        if self.red_since is None or self.urged_spell == self.red_since:
            return
        if self.clock.between(self.red_since, day) < self.rng.randint(1, 3):
            return
        self.urged_spell = self.red_since
        at = self.moment(day)
        message = self.rng.choice(texts.URGE_MESSAGES)
        self.told.urgings.append(
            Urging(kind=K.MANUAL, day=day, at=at, message=message, by=self.s.supervisor)
        )
        self.event(at, self.s.supervisor, "urge", "催办", opinion=message)

    # --- where the story stops -----------------------------------------------------------------

    def finish(self):
        """The item's fields now; a sweep later today keeps `red_since` in step with the light."""
        today = self.clock.today
        if not self.red(today):
            self.red_since = None
        elif self.red_since is None:
            self.red_since = today
        s = self.s
        self.told.fields = {
            "state": self.state,
            "deadline": self.deadline,
            "original_deadline": s.deadline,
            "assigned_on": self.assigned_on,
            "supervisor": s.supervisor if self.assigned_on else None,
            "report_due_on": self.report_due if self.state != S.CLOSED else None,
            "behind_on": self.behind,
            "progress": self.progress,
            "red_since": self.red_since,
            "escalated_on": self.escalated_on,
            "closed_on": self.closed_on,
            "closed_by": self.closed_by,
            "suspended_reason": self.suspended_reason,
        }
