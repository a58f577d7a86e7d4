"""Demo 办会 for `manage.py seed_demo`: a believable year of meetings and minutes (DOMAIN.md §5).

One city office's year: 49 executive meetings with 196 topics and 49 issues of their minutes, 136
work meetings (专题会议, 市长办公会议) with their minutes, and the government's plenary meetings.
Over the last twelve months the executive meeting sits weekly (a Thursday morning, or the nearest
working day; a week with fewer than four working days has none), the plenary meeting in January
and July, and work meetings on about half of the working days, each in a free room at a time its
leaders are free — no room is ever booked twice (the PostgreSQL exclusion constraint
`meeting_room_no_overlap` would refuse it anyway).

Every topic is told as a story — 提请, 会前协调 with the concerned units' opinions (a few
disagree, and the disagreement is recorded), 合法性审查 by the legal adviser (a few are found
不合法, returned and resubmitted), the pool, 安排上会 — and so is every meeting (the notice, 参加
or 请假 with a reason, 签到, 会议已召开, 缓议 of a topic now and then) and its minutes (起草 with
the decided items, 送审, sometimes 退回修改, 签发 by the presiding leader with the series' next
期号, 印发 with a 签收回执 for each unit concerned, signed for by the unit or recorded by the
secretary, 归档, and 已审议 for the topics). The stories are cut at the present moment: recent
minutes are still being drafted or reviewed, minutes dispatched just now wait for some units to
sign for them (and one unit is past its deadline on earlier minutes), the next two weeks' meetings
are planned and wait for answers, and topics in flight wait at every step so that each demo unit,
the legal adviser, the secretaries and every presiding leader find work.

期号 are those of office.numbering's registers (key: the series' minutes title, "2026年第12期"),
contiguous per series and year in the order of 签发. Everything is drawn from random generators
seeded per week and per day: the same day gives the same data. Idempotent: a meeting is made only
if its type has no meeting at that time, a topic in flight only if its unit has no topic of that
title off the agendas; trail rows are written only for what this run made.
"""

from django.utils import timezone

from office.models import SerialNumber
from office.seed.rows import raise_counter

from ..minutes import ISSUE_PATTERN
from ..models import Meeting, MeetingType, Topic
from .configuration import seed_configuration
from .planner import Planner
from .receipts import Receipts
from .writer import write

__all__ = ["seed_meetings"]


def _number(stories):
    """期号 in the order of 签发, per series and year; returns the last number of each."""
    counters = {}
    signed = sorted(
        (s.minutes for s in stories if s.minutes and s.minutes.signed_at),
        key=lambda m: m.signed_at,
    )
    for minutes in signed:
        key = minutes.meeting.meeting_type.minutes_title
        year = timezone.localtime(minutes.signed_at).year
        counters[(key, year)] = counters.get((key, year), 0) + 1
        minutes.issue_year, minutes.issue_number = year, counters[(key, year)]
        minutes.issue_text = ISSUE_PATTERN.format(year=year, number=counters[(key, year)])
    return counters


def _fresh(stories, types):
    """The stories not made yet (and whose 期号 and room are still free)."""
    existing = set(
        Meeting.objects.filter(meeting_type__in=types.values()).values_list(
            "meeting_type_id", "starts_at"
        )
    )
    booked = {}
    for room, starts, ends in (
        Meeting.objects.exclude(state=Meeting.State.CANCELLED)
        .order_by()
        .values_list("room_id", "starts_at", "ends_at")
    ):
        booked.setdefault(room, []).append((starts, ends))
    keys = {t.minutes_title for t in types.values()}
    taken = set(SerialNumber.objects.filter(key__in=keys).values_list("key", "year", "number"))
    off_agenda = set(
        Topic.objects.filter(agenda_items__isnull=True).values_list("submitting_unit_id", "title")
    )
    fresh = []
    for story in stories:
        meeting = story.meeting
        if meeting is None:
            topic = story.topics[0]
            if (topic.submitting_unit.pk, topic.title) not in off_agenda:
                fresh.append(story)
            continue
        if (meeting.meeting_type.pk, meeting.starts_at) in existing:
            continue
        minutes = story.minutes
        if minutes and minutes.issue_number:
            key = meeting.meeting_type.minutes_title
            if (key, minutes.issue_year, minutes.issue_number) in taken:
                continue
        clash = any(
            s < meeting.ends_at and meeting.starts_at < e
            for s, e in booked.get(meeting.room.pk, ())
        )
        if clash and meeting.state != Meeting.State.CANCELLED:
            continue
        fresh.append(story)
    return fresh


def seed_meetings(demo):
    """A year of 办会 up to today and the next two weeks' meetings. Returns {"meeting_types":
    {kind: MeetingType}, "rooms": {key: Room}, "meetings": {"2026-03-12 09:00 title": id}}."""
    types, rooms, advisers = seed_configuration(demo["users"])
    planner = Planner(demo, types, rooms, advisers, timezone.now())
    stories = planner.plan()
    stories += planner.in_flight(types[MeetingType.Kind.EXECUTIVE])
    Receipts(planner.clock, planner.now).tell(stories)
    counters = _number(stories)
    write(_fresh(stories, types))
    for (key, year), number in counters.items():
        raise_counter(key, year, number)
    made = {}
    for pk, starts, title in Meeting.objects.filter(meeting_type__in=types.values()).values_list(
        "pk", "starts_at", "title"
    ):
        made[f"{timezone.localtime(starts):%Y-%m-%d %H:%M} {title}"] = pk
    return {"meeting_types": types, "rooms": rooms, "meetings": made}
