"""Planning and telling the demo year of 办会: which meetings happen when and where, the topics
each executive meeting takes from the pool and the story of every topic, meeting and set of
minutes, step by step as meetings.workflow / scheduling / attendance / minutes would have done it,
cut at the present moment (what lies ahead has not happened yet).

Unsaved rows are given their states directly: this module lives in the `seed` package
(tests/office/test_workflow.py lets only workflow modules and demo seeders assign a state)."""

import datetime
import random

from django.utils import timezone

from ..minutes import _chinese
from ..models import (
    AgendaItem,
    Attendance,
    DecidedItem,
    Meeting,
    MeetingType,
    Minutes,
    Topic,
    TopicOpinion,
)
from . import receipts, texts
from .configuration import DEPUTY_SECRETARIES_GENERAL, VICE_MAYORS
from .story import CLOSES, OPENS, Clock, Cut, IssueText, Story, short

K = MeetingType.Kind
TS, MS, NS = Topic.State, Meeting.State, Minutes.State
WORK_SLOTS = ((9, 0), (10, 30), (14, 30), (16, 0))
WORK_ROOMS = ("first", "second", "executive")
HORIZON_DAYS = 14  # upcoming meetings already planned
DISPATCHED_JUST_NOW = 15  # working days ago, the meeting whose minutes are dispatched just now
EXECUTIVE_SKIP = 0.01  # a week without an executive meeting (leaders away)
WORK_MEETINGS_PER_DAY = ((0, 1, 2), (48, 44, 8))


class Planner:
    def __init__(self, demo, types, rooms, advisers, now):
        self.units, self.users = demo["units"], demo["users"]
        self.types, self.rooms, self.advisers = types, rooms, advisers
        self.now = now
        today = timezone.localdate(now)
        try:
            self.start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
        except ValueError:  # 29 February
            self.start = today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)
        first = min(datetime.date(self.start.year, 1, 1), self.start - datetime.timedelta(days=90))
        self.horizon = today + datetime.timedelta(days=HORIZON_DAYS)
        self.clock = Clock(first, self.horizon + datetime.timedelta(days=30), now)
        self.today = today
        self.heads = {
            key.removesuffix("_head"): user
            for key, user in self.users.items()
            if key.endswith("_head")
        }
        self.secretaries = [self.users["secretary_meetings"], self.users["secretary_chief"]]
        self.drafters = [self.users["secretary_meetings"], self.users["secretary_drafting"]]
        self.busy = {}  # (day, room key or user pk) -> [(start, end)]

    # --- the calendar of meetings ---------------------------------------------------------------

    def _book(self, keys, start, end):
        for key in keys:
            self.busy.setdefault(key, []).append((start, end))

    def _free(self, keys, start, end):
        return all(not (s < end and start < e) for key in keys for s, e in self.busy.get(key, ()))

    def _executive_day(self, monday):
        days = [monday + datetime.timedelta(days=i) for i in range(5)]
        days = [d for d in days if d in self.clock.working]
        rng = random.Random(f"executive-{monday}")
        if len(days) < 4 or rng.random() < EXECUTIVE_SKIP:
            return None
        for weekday in (3, 2, 4, 1):
            for day in days:
                if day.weekday() == weekday:
                    return day
        return None

    def meeting_days(self):
        """[(kind, day, title)] of the executive and plenary meetings (numbered per year)."""
        found = []
        monday = self.clock.days[0] - datetime.timedelta(days=self.clock.days[0].weekday())
        numbers = {}
        while monday <= self.horizon:
            day = self._executive_day(monday)
            executive_day = day
            if day is not None:
                numbers[(K.EXECUTIVE, day.year)] = numbers.get((K.EXECUTIVE, day.year), 0) + 1
                found.append(
                    (K.EXECUTIVE, day, f"市政府第{numbers[(K.EXECUTIVE, day.year)]}次常务会议")
                )
            for month in (1, 7):  # 全体会议: in the week of the 20th of January and of July
                if monday <= datetime.date(monday.year, month, 20) < monday + datetime.timedelta(7):
                    days = [monday + datetime.timedelta(days=i) for i in (1, 2, 3, 0, 4)]
                    day = next(
                        (d for d in days if d in self.clock.working and d != executive_day), None
                    )
                    if day is not None:
                        key = (K.PLENARY, day.year)
                        numbers[key] = numbers.get(key, 0) + 1
                        found.append((K.PLENARY, day, f"市政府第{numbers[key]}次全体会议"))
            monday += datetime.timedelta(days=7)
        return [
            (kind, day, title) for kind, day, title in found if self.start <= day <= self.horizon
        ]

    def plan(self):
        stories = []
        for kind, day, title in self.meeting_days():
            stories.append(self._topic_meeting(kind, day, title))
        for day in self.clock.days:
            if self.start <= day <= self.horizon:
                stories.extend(self._work_meetings(day))
        stories.sort(key=lambda s: s.meeting.starts_at)
        self._holds(stories)
        for story in stories:
            rng, attendees, observers, subjects = story.cast
            self._tell_meeting(rng, story, attendees, observers, subjects)
        return stories

    def _holds(self, stories):
        """The latest meeting each presider held a few days ago waits for them to sign its
        minutes (审核中); every leader who presides has minutes to sign. One meeting's minutes
        are dispatched just now."""
        cutoff = self.clock.days[self.clock.index(self.today) - 4]
        for key in ("mayor", *VICE_MAYORS):
            presider = self.users[key]
            mine = [
                s
                for s in stories
                if s.meeting.presider == presider
                and timezone.localtime(s.meeting.starts_at).date() <= cutoff
            ]
            if mine:
                mine[-1].hold = NS.IN_REVIEW
        # The latest executive or plenary meeting of three weeks ago has its minutes signed long
        # since; they are dispatched (印发) just now, so that units still have them to sign for.
        cutoff = self.clock.days[self.clock.index(self.today) - DISPATCHED_JUST_NOW]
        topical = [
            s
            for s in stories
            if s.cast[3] and not s.hold and timezone.localtime(s.meeting.starts_at).date() <= cutoff
        ]
        if topical:
            topical[-1].hold = NS.DISPATCHED

    def _topic_meeting(self, kind, day, title):
        rng = random.Random(f"{kind}-{day}")
        if kind == K.EXECUTIVE:
            start, minutes, room = self.clock.at(day, 9 * 60), 180, "executive"
        else:
            start, minutes, room = self.clock.at(day, 15 * 60), 150, "hall"
        end = start + datetime.timedelta(minutes=minutes)
        presider = self.users["mayor"]
        members = [self.users[k] for k in ("mayor", *VICE_MAYORS, "secretary_general")]
        self._book([(day, room), *((day, u.pk) for u in members)], start, end)
        story = Story(key=(kind, start))
        story.meeting = Meeting(
            meeting_type=self.types[kind],
            title=title,
            starts_at=start,
            ends_at=end,
            room=self.rooms[room],
            presider=presider,
            press_invited=kind == K.PLENARY or rng.random() < 0.3,
            state=MS.PLANNED,
        )
        count = rng.choices((3, 4, 5), (25, 50, 25))[0] if kind == K.EXECUTIVE else 2
        subjects = self._subjects(rng, count)
        observers = [self.users[k] for k in DEPUTY_SECRETARIES_GENERAL]
        observers += [self.heads[u] for u, _ in subjects if u in self.heads]
        story.cast = (rng, members, observers, subjects)
        return story

    def _subjects(self, rng, count):
        pool = [
            (u, s) for units in texts.PORTFOLIOS.values() for u, ss in units.items() for s in ss
        ]
        chosen = []
        while len(chosen) < count:
            unit, subject = rng.choice(pool)
            if unit not in {u for u, _ in chosen}:
                chosen.append((unit, subject))
        return chosen

    def _work_meetings(self, day):
        rng = random.Random(f"work-{day}")
        stories = []
        for _ in range(rng.choices(*WORK_MEETINGS_PER_DAY)[0]):
            kind = K.MAYOR_OFFICE if rng.random() < 0.19 else K.SPECIAL
            key = "mayor" if kind == K.MAYOR_OFFICE else rng.choices(VICE_MAYORS, (4, 3, 3, 2))[0]
            presider = self.users[key]
            portfolio = texts.PORTFOLIOS.get(key) or rng.choice(list(texts.PORTFOLIOS.values()))
            unit = rng.choice(list(portfolio))
            subject = rng.choice(portfolio[unit])
            attendees = [presider]
            if kind == K.MAYOR_OFFICE:
                attendees += [self.users["executive_vice_mayor"], self.users["secretary_general"]]
                attendees.append(self.users[texts.UNIT_LEADER[unit]])
            elif presider.liaison_id:
                attendees.append(presider.liaison)
            attendees = list(dict.fromkeys(attendees))
            booked = None
            for hour, minute in rng.sample(WORK_SLOTS, len(WORK_SLOTS)):
                start = self.clock.at(day, hour * 60 + minute)
                end = start + datetime.timedelta(minutes=90)
                for room in WORK_ROOMS:
                    keys = [(day, room), *((day, u.pk) for u in attendees)]
                    if self._free(keys, start, end):
                        booked = (start, end, room, keys)
                        break
                if booked:
                    break
            if booked is None:
                continue
            start, end, room, keys = booked
            self._book(keys, start, end)
            words = rng.choice(texts.WORK_TOPICS).format(s=subject)
            title = f"市长办公会议（{words}）" if kind == K.MAYOR_OFFICE else f"{words}专题会议"
            story = Story(key=(kind, start), subject=(unit, subject))
            story.meeting = Meeting(
                meeting_type=self.types[kind],
                title=title[:100],
                starts_at=start,
                ends_at=end,
                room=self.rooms[room],
                presider=presider,
                state=MS.PLANNED,
            )
            observers = [self.heads[unit]] if unit in self.heads else []
            story.cast = (rng, attendees, observers, ())
            stories.append(story)
        return stories

    # --- telling -------------------------------------------------------------------------------

    def _tell_meeting(self, rng, story, attendees, observers, subjects):
        meeting = story.meeting
        clock = self.clock
        start_index = clock.index(timezone.localtime(meeting.starts_at).date())
        lead = rng.randint(5, 8) if subjects else rng.randint(2, 5)
        scheduled = clock.office(rng, start_index - lead)
        if meeting.starts_at.date() >= self.today or scheduled > self.now:
            # An upcoming meeting (within the horizon) has already been planned.
            scheduled = min(scheduled, self.now - datetime.timedelta(hours=rng.randint(2, 30)))
        meeting.created_at = scheduled
        secretary = rng.choice(self.secretaries)
        meeting.created_by = secretary
        try:
            for unit_key, subject in subjects:
                self._tell_topic(rng, story, unit_key, subject, scheduled, meeting.meeting_type)
            self._schedule(rng, story, scheduled, secretary, attendees, observers)
            self._meet(rng, story, secretary)
            if subjects and rng.random() < 0.09:
                self._defer(rng, story, secretary)
            self._minutes(rng, story, subjects)
        except Cut:
            pass

    def _tell_topic(
        self, rng, story, unit_key, subject, scheduled, meeting_type, target=None, asked=None
    ):
        """A topic from 提请 to the pool (admitted before `scheduled`), or up to `target`."""
        clock, units, users = self.clock, self.units, self.users
        unit = units[unit_key]
        submitter = users.get(f"{unit_key}_handler") or users.get(f"{unit_key}_head")
        leader = users[texts.UNIT_LEADER[unit_key]]
        title = rng.choice(texts.TOPIC_TITLES).format(s=subject)
        if target is not None:
            title = texts.IN_FLIGHT_TITLE.format(s=subject)
        topic = Topic(
            title=title,
            meeting_type=meeting_type,
            submitting_unit=unit,
            submitted_by=submitter or users["secretary_meetings"],
            reporting_leader=leader,
            summary=rng.choice(texts.SUMMARIES).format(unit=unit.name, s=subject),
            state=TS.SUBMITTED,
        )
        story.topics.append(topic)
        returned = target == TS.RETURNED or (target is None and rng.random() < 0.08)
        back = rng.randint(20, 24) if returned else rng.randint(10, 14)
        if target is not None:
            back = rng.randint(14, 18)
        index = clock.index(timezone.localtime(scheduled).date()) - back
        at = clock.office(rng, index)
        topic.submitted_at = at
        story.events.append(
            (at, topic.submitted_by, "submit_topic", "提请议题", "", TS.SUBMITTED.label, "", topic)
        )
        if target == TS.SUBMITTED:
            return topic
        if target == TS.WITHDRAWN:
            at = clock.later(rng, at, rng.randint(1, 3))
            self._move(
                story,
                topic,
                at,
                topic.submitted_by,
                "withdraw",
                "撤回",
                TS.WITHDRAWN,
                rng.choice(texts.WITHDRAW_REASONS),
            )
            return topic
        asked = asked or self._asked(rng, unit_key)
        rounds = 2 if returned else 1
        for round_ in range(rounds):
            secretary = rng.choice(self.secretaries)
            at = clock.later(rng, at, rng.randint(1, 2))
            names = "、".join(short(units[u]) for u in asked)
            self._move(
                story,
                topic,
                at,
                secretary,
                "coordinate",
                "会前协调",
                TS.COORDINATING,
                "征求意见：" + names,
            )
            opinions, last = [], at
            pending = set(asked[:1]) if target == TS.COORDINATING else set()
            disagree = target is None and rng.random() < 0.1 or target == "disagreement"
            for position, unit_of in enumerate(asked):
                row = TopicOpinion(topic=topic, unit=units[unit_of], requested_at=at)
                opinions.append(row)
                if unit_of in pending:
                    continue
                given = clock.later(rng, at, rng.randint(1, 3))
                person = users.get(f"{unit_of}_handler") or users.get(f"{unit_of}_head")
                agrees = not (disagree and position == len(asked) - 1)
                text = rng.choice(texts.AGREE if agrees else texts.DISAGREE)
                if agrees and text.startswith("同意。"):
                    text = ""
                row.agrees, row.opinion, row.given_by, row.given_at = agrees, text, person, given
                story.events.append(
                    (
                        given,
                        person or units[unit_of],
                        "give_opinion",
                        "反馈协调意见",
                        TS.COORDINATING.label,
                        TS.COORDINATING.label,
                        ("同意。" if agrees else "不同意。") + text,
                        topic,
                    )
                )
                last = max(last, given)
            story.opinions.extend(opinions)
            if target in (TS.COORDINATING, "disagreement"):
                return topic
            at = clock.later(rng, last, rng.choice((0, 1)))
            disagreements = ""
            if any(o.agrees is False for o in opinions):
                disagreements = (
                    f"{short(opinions[-1].unit)}对资金安排有不同意见，提请会议研究决定。"
                )
            topic.disagreements = disagreements
            self._move(
                story,
                topic,
                at,
                secretary,
                "finish_coordination",
                "协调完毕，送合法性审查",
                TS.LEGAL_REVIEW,
                disagreements,
            )
            if target == TS.LEGAL_REVIEW:
                return topic
            adviser = rng.choice(self.advisers)
            at = clock.later(rng, at, rng.randint(1, 2))
            if round_ < rounds - 1 or target == TS.RETURNED:
                text = rng.choice(texts.ILLEGAL)
                topic.legal_opinion, topic.legal_opinion_text = Topic.LegalOpinion.ILLEGAL, text
                topic.legal_reviewer, topic.legal_reviewed_at = adviser, at
                self._move(
                    story,
                    topic,
                    at,
                    adviser,
                    "return_illegal",
                    "审查不通过，退回",
                    TS.RETURNED,
                    f"不合法：{text}",
                )
                if target == TS.RETURNED:
                    return topic
                at = clock.later(rng, at, rng.randint(2, 3))
                self._move(
                    story, topic, at, topic.submitted_by, "resubmit", "修改后重新提交", TS.SUBMITTED
                )
                # Resubmitting deletes the earlier round's opinions (they stay in the trail).
                story.opinions = [o for o in story.opinions if o.topic is not topic]
                continue
            outcome = rng.choices(Topic.LegalOpinion.values[:2], (80, 20))[0]
            text = rng.choice(texts.LEGAL if outcome == "legal" else texts.LEGAL_AFTER_CHANGES)
            topic.legal_opinion, topic.legal_opinion_text = outcome, text
            topic.legal_reviewer, topic.legal_reviewed_at, topic.admitted_at = adviser, at, at
            label = Topic.LegalOpinion(outcome).label
            self._move(
                story,
                topic,
                at,
                adviser,
                "admit",
                "审查通过，入议题库",
                TS.ADMITTED,
                f"{label}：{text}",
            )
        return topic

    def _asked(self, rng, unit_key):
        others = [u for u in texts.COORDINATORS if u != unit_key]
        asked = rng.sample(others, rng.randint(1, 2))
        if rng.random() < 0.5:
            extra = rng.choice([u for u in texts.DEMO_UNITS if u != unit_key and u not in asked])
            asked.append(extra)
        return asked

    def _move(self, story, obj, at, actor, action, label, to_state, opinion=""):
        before = type(obj).State(obj.state).label
        story.events.append((at, actor, action, label, before, to_state.label, opinion, obj))
        obj.state = to_state

    def _schedule(self, rng, story, at, secretary, attendees, observers):
        meeting = story.meeting
        if at > self.now:
            raise Cut
        for position, topic in enumerate(story.topics, 1):
            story.agenda.append(
                AgendaItem(
                    meeting=meeting,
                    topic=topic,
                    position=position,
                    reporting_unit=topic.submitting_unit,
                    minutes_allotted=rng.choice((15, 20, 30)),
                )
            )
            self._move(
                story, topic, at, secretary, "schedule", "安排上会", TS.SCHEDULED, meeting.title
            )
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        story.events.append(
            (
                at,
                secretary,
                "schedule_meeting",
                "安排会议",
                "",
                MS.PLANNED.label,
                f"{start:%Y年%-m月%-d日 %H:%M}—{end:%H:%M}，{meeting.room.name}",
                meeting,
            )
        )
        taken = {u.pk for u in attendees}
        invited = [(u, Attendance.Role.ATTENDEE) for u in attendees]
        invited += [
            (u, Attendance.Role.OBSERVER) for u in dict.fromkeys(observers) if u.pk not in taken
        ]
        for person, role in invited:
            story.attendances.append(Attendance(meeting=meeting, person=person, role=role))

    def _meet(self, rng, story, secretary):
        """Answers to the notice, sign-in and 会议已召开."""
        meeting = story.meeting
        opens = max(meeting.created_at, meeting.starts_at - datetime.timedelta(days=3))
        span = int((meeting.starts_at - datetime.timedelta(hours=1) - opens).total_seconds() // 60)
        for attendance in story.attendances:
            person = attendance.person
            at = opens + datetime.timedelta(minutes=rng.randint(1, max(span, 2)))
            if at > self.now:
                continue
            leave = person != meeting.presider and rng.random() < 0.07
            if leave:
                reason = rng.choice(texts.LEAVES)
                attendance.answer, attendance.leave_reason = Attendance.Answer.LEAVE, reason
                story.events.append(
                    (at, person, "leave", "请假", "", "", f"{person.real_name}：{reason}", meeting)
                )
            else:
                attendance.answer = Attendance.Answer.CONFIRMED
                story.events.append(
                    (at, person, "confirm", "确认参会", "", "", person.real_name, meeting)
                )
        for attendance in story.attendances:
            if attendance.answer == Attendance.Answer.LEAVE:
                continue
            at = meeting.starts_at - datetime.timedelta(minutes=rng.randint(2, 40))
            if at > self.now:
                continue
            if attendance.answer == Attendance.Answer.PENDING:
                attendance.answer = Attendance.Answer.CONFIRMED
            attendance.signed_in_at = at
            actor = attendance.person if rng.random() < 0.6 else secretary
            story.events.append(
                (at, actor, "sign_in", "签到", "", "", attendance.person.real_name, meeting)
            )
        if rng.random() < 0.012 and story.topics == []:
            at = meeting.starts_at - datetime.timedelta(hours=rng.randint(3, 20))
            if at <= self.now:
                self._move(
                    story,
                    meeting,
                    at,
                    secretary,
                    "cancel",
                    "取消会议",
                    MS.CANCELLED,
                    rng.choice(texts.CANCEL_REASONS),
                )
                for attendance in story.attendances:
                    attendance.signed_in_at = None
                story.events = [e for e in story.events if e[2] != "sign_in"]
                raise Cut
        at = meeting.starts_at + datetime.timedelta(minutes=rng.randint(3, 15))
        if at > self.now:
            raise Cut
        self._move(story, meeting, at, secretary, "hold", "会议已召开", MS.HELD)

    def _defer(self, rng, story, secretary):
        topic = story.topics[-1]
        at = story.meeting.ends_at + datetime.timedelta(minutes=rng.randint(10, 60))
        if at > self.now:
            raise Cut
        self._move(
            story,
            topic,
            at,
            secretary,
            "defer",
            "缓议",
            TS.DEFERRED,
            rng.choice(texts.DEFER_REASONS),
        )
        at = self.clock.later(rng, at, rng.randint(3, 10))
        if rng.random() < 0.5 and at <= self.now:
            self._move(story, topic, at, secretary, "readmit", "重新入库", TS.ADMITTED)

    def _minutes(self, rng, story, subjects):
        meeting, clock = story.meeting, self.clock
        drafter = rng.choice(self.drafters)
        at = clock.later(rng, meeting.ends_at, rng.randint(1, 2))
        if at > self.now:
            raise Cut
        minutes = Minutes(meeting=meeting, drafted_by=drafter, drafted_at=at, state=NS.DRAFT)
        story.minutes = minutes
        story.events.append(
            (at, drafter, "draft_minutes", "起草纪要", "", NS.DRAFT.label, "", minutes)
        )
        lines = [self._opening(meeting)]
        day = timezone.localtime(meeting.starts_at).date()
        index = clock.index(day)
        position = 0
        units = self.units
        if story.agenda:
            for item in story.agenda:
                topic = item.topic
                lines.append(f"{_chinese(item.position)}、{topic.title}")
                lines.append(
                    f"会议听取了{topic.submitting_unit.name}关于"
                    f"{topic.title.removeprefix('关于')}的汇报。"
                    + ("会议同意暂缓审议。" if topic.state == TS.DEFERRED else "会议原则同意……")
                )
                if topic.state == TS.DEFERRED:
                    continue
                cos = [o.unit for o in story.opinions if o.topic is topic][:2]
                for _ in range(rng.choices((1, 2, 3, 4), (30, 40, 20, 10))[0]):
                    position += 1
                    story.decided.append(
                        self._decided(
                            rng,
                            minutes,
                            item,
                            position,
                            topic.submitting_unit,
                            cos,
                            topic.reporting_leader,
                            index,
                        )
                    )
        else:
            unit_key, subject = story.subject
            lines.append(f"会议研究了{subject}有关工作。会议议定如下：")
            portfolio = texts.PORTFOLIOS.get(texts.UNIT_LEADER[unit_key], {})
            others = [units[u] for u in portfolio if u != unit_key]
            for _ in range(rng.choices((1, 2, 3, 4), (25, 40, 25, 10))[0]):
                position += 1
                cos = rng.sample(others, min(len(others), rng.randint(0, 2)))
                story.decided.append(
                    self._decided(
                        rng, minutes, None, position, units[unit_key], cos, meeting.presider, index
                    )
                )
        for item, _ in story.decided:
            lines.append(f"{_chinese(item.position)}、{item.content}")
        minutes.body = "\n".join(lines)
        at = clock.later(rng, at, 0, 20, 120)
        story.events.append(
            (
                at,
                drafter,
                "revise_minutes",
                "修改纪要",
                "",
                "",
                f"议定事项 {len(story.decided)} 项",
                minutes,
            )
        )
        at = clock.later(rng, at, rng.choice((0, 1)))
        self.step_move(story, minutes, at, drafter, "submit", "送审", NS.IN_REVIEW)
        if story.hold == NS.IN_REVIEW:
            raise Cut
        presider = meeting.presider
        if rng.random() < 0.1:
            at = clock.later(rng, at, rng.randint(1, 2))
            self.step_move(
                story,
                minutes,
                at,
                presider,
                "return_minutes",
                "退回修改",
                NS.RETURNED,
                rng.choice(texts.RETURN_MINUTES),
            )
            at = clock.later(rng, at, rng.choice((0, 1)))
            self.step(
                story,
                at,
                drafter,
                "revise_minutes",
                "修改纪要",
                minutes,
                opinion=f"议定事项 {len(story.decided)} 项",
            )
            at = clock.later(rng, at, 0)
            self.step_move(story, minutes, at, drafter, "submit", "送审", NS.IN_REVIEW)
        at = clock.later(rng, at, rng.randint(1, 3))
        self.step_move(
            story, minutes, at, presider, "sign_off", "签发", NS.SIGNED, IssueText(minutes, True)
        )
        minutes.signed_by, minutes.signed_at = presider, at
        for item in story.agenda:
            if item.topic.state == TS.SCHEDULED:
                self._move(
                    story,
                    item.topic,
                    at,
                    presider,
                    "decide",
                    "已审议",
                    TS.DECIDED,
                    IssueText(minutes, False),
                )
        at = clock.later(rng, at, rng.randint(1, 2))
        if story.hold == NS.DISPATCHED:
            at = self._just_now(rng, at)
        opinion = receipts.dispatch_opinion(receipts.recipients(story))
        self.step_move(story, minutes, at, drafter, "dispatch", "印发", NS.DISPATCHED, opinion)
        minutes.dispatched_at = at
        if story.hold == NS.DISPATCHED:
            raise Cut
        at = clock.later(rng, at, rng.randint(5, 20))
        self.step_move(story, minutes, at, drafter, "file", "归档", NS.FILED)
        minutes.filed_on = timezone.localtime(at).date()

    def _just_now(self, rng, after):
        """A moment one to five office hours before now, counting only office time (OPENS to
        CLOSES on working days), and not before `after`."""
        clock = self.clock
        back = datetime.timedelta(minutes=rng.randint(60, 300))
        now = timezone.localtime(self.now, clock.tz)
        index = clock.index(now.date())
        end = min(self.now, clock.at(clock.days[index], CLOSES))
        while True:
            available = max(end - clock.at(clock.days[index], OPENS), datetime.timedelta())
            if back <= available:
                return max(after, end - back)
            back -= available
            index -= 1
            end = clock.at(clock.days[index], CLOSES)

    def step_move(self, story, obj, at, actor, action, label, to_state, opinion=""):
        if at > self.now:
            raise Cut
        self._move(story, obj, at, actor, action, label, to_state, opinion)

    def step(self, story, at, actor, action, label, obj, opinion=""):
        if at > self.now:
            raise Cut
        story.events.append((at, actor, action, label, "", "", opinion, obj))

    def _opening(self, meeting):
        start = timezone.localtime(meeting.starts_at)
        presider = meeting.presider
        return (
            f"{start.year}年{start.month}月{start.day}日，{presider.title or ''}{presider.real_name}"
            f"主持召开{meeting.title}，研究了以下事项。现纪要如下："
        )

    def _decided(self, rng, minutes, item, position, lead, cos, leader, index):
        deadline = self.clock.days[min(index + rng.randint(15, 90), len(self.clock.days) - 1)]
        if index + 90 >= len(self.clock.days):
            deadline = timezone.localtime(minutes.meeting.starts_at).date() + datetime.timedelta(
                days=rng.randint(30, 120)
            )
        co_text = f"，{'、'.join(short(u) for u in cos)}配合" if cos else ""
        content = (
            f"由{short(lead)}牵头{co_text}，{rng.choice(texts.ACTIONS)}，"
            f"于{deadline.year}年{deadline.month}月{deadline.day}日前将落实情况报市政府。"
        )
        row = DecidedItem(
            minutes=minutes,
            agenda_item=item,
            position=position,
            content=content,
            lead_unit=lead,
            leader=leader,
            deadline=deadline,
        )
        return row, [u for u in cos if u != lead]

    # --- topics in flight ------------------------------------------------------------------------

    def in_flight(self, executive):
        """Topics not yet on a meeting, so that every unit, the legal adviser and the secretaries
        find work waiting: (target state, submitting unit, [units asked])."""
        plans = []
        hosts = ("science", "culture", "water", "market", "ecology", "commerce", "civil_affairs")
        for host, asked in zip(hosts, texts.DEMO_UNITS, strict=True):
            plans.append((TS.COORDINATING, host, asked))
        plans += [(TS.SUBMITTED, u, None) for u in ("education", "housing", "xiangzhou")]
        plans += [("disagreement", "development", None)]
        plans += [(TS.LEGAL_REVIEW, u, None) for u in ("finance", "transport", "health")]
        plans += [(TS.RETURNED, u, None) for u in ("education", "housing")]
        plans += [
            (TS.ADMITTED, u, None) for u in ("water", "justice", "agriculture", "data", "doumen")
        ]
        plans += [(TS.WITHDRAWN, u, None) for u in ("emergency", "industry", "jinwan")]
        stories = []
        for number, (target, unit_key, asked) in enumerate(plans):
            rng = random.Random(f"in-flight-{number}")
            story = Story(key=("topic", number))
            portfolio = texts.PORTFOLIOS[texts.UNIT_LEADER[unit_key]][unit_key]
            subject = portfolio[number % len(portfolio)]
            if asked is not None:
                asked = [asked, next(u for u in texts.COORDINATORS if u not in (unit_key, asked))]
            anchor = self.clock.at(self.today, 0)
            self._tell_topic(
                rng, story, unit_key, subject, anchor, executive, target=target, asked=asked
            )
            story.events = [e for e in story.events if e[0] <= self.now]
            stories.append(story)
        return stories
