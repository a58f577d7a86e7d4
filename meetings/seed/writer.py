"""Writing the told stories in bulk: topics and their coordination opinions, meetings with their
agenda and attendance, minutes with their decided items, 签收回执 and 期号 (SerialNumber), and the
trail."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from office.models import SerialNumber, User
from office.seed.rows import BATCH, TRAIL_COLUMNS, insert_rows

from ..models import (
    AgendaItem,
    Attendance,
    DecidedItem,
    Meeting,
    Minutes,
    MinutesReceipt,
    Topic,
    TopicOpinion,
)


def write(stories):
    Topic.objects.bulk_create([t for s in stories for t in s.topics], batch_size=BATCH)
    TopicOpinion.objects.bulk_create([o for s in stories for o in s.opinions], batch_size=BATCH)
    Meeting.objects.bulk_create([s.meeting for s in stories if s.meeting], batch_size=BATCH)
    AgendaItem.objects.bulk_create([a for s in stories for a in s.agenda], batch_size=BATCH)
    Attendance.objects.bulk_create([a for s in stories for a in s.attendances], batch_size=BATCH)
    minutes = [s.minutes for s in stories if s.minutes]
    Minutes.objects.bulk_create(minutes, batch_size=BATCH)
    items = [(item, cos) for s in stories for item, cos in s.decided]
    DecidedItem.objects.bulk_create([item for item, _ in items], batch_size=BATCH)
    through = DecidedItem.co_units.through
    through.objects.bulk_create(
        [through(decideditem_id=item.pk, unit_id=unit.pk) for item, cos in items for unit in cos],
        batch_size=BATCH,
    )
    MinutesReceipt.objects.bulk_create([r for s in stories for r in s.receipts], batch_size=BATCH)
    minutes_type = ContentType.objects.get_for_model(Minutes)
    SerialNumber.objects.bulk_create(
        [
            SerialNumber(
                key=m.meeting.meeting_type.minutes_title,
                year=m.issue_year,
                number=m.issue_number,
                text=m.issue_text,
                content_type=minutes_type,
                object_id=m.pk,
                allocated_by=m.signed_by,
                allocated_at=m.signed_at,
            )
            for m in minutes
            if m.issue_number
        ],
        batch_size=BATCH,
    )
    _write_trail(stories)


def _write_trail(stories):
    adapt = connection.ops.adapt_datetimefield_value
    types = {
        model: ContentType.objects.get_for_model(model).pk for model in (Topic, Meeting, Minutes)
    }
    events = []
    for story in stories:
        for at, actor, action, label, before, after, opinion, obj in story.events:
            person = isinstance(actor, User)
            events.append(
                (
                    at,
                    actor.pk if person else None,
                    actor.real_name if person else (actor.short_name or actor.name),
                    action,
                    label,
                    "success",
                    types[type(obj)],
                    obj.pk,
                    str(obj)[:200],
                    0,
                    before,
                    after,
                    str(opinion),
                )
            )
    events.sort(key=lambda e: e[0])
    insert_rows(TRAIL_COLUMNS, [(adapt(e[0]), *e[1:]) for e in events])
