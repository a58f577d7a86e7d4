"""Writing the told items in bulk: 并案组, items, proposers, co-units, 申请调整, 沟通联系, 会办意见,
答复函, 评价 and the trail (office.seed.rows.insert_rows)."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from office.models import Clearance, User
from office.seed.rows import BATCH, TRAIL_COLUMNS, insert_rows

from ..models import (
    Author,
    Contact,
    CoOpinion,
    MergeGroup,
    Proposal,
    Rating,
    ReassignmentRequest,
    ReplyLetter,
)


def _group(stories, office):
    """{id(told): MergeGroup} for the merged pairs that this run tells together."""
    told_of = {id(t.spec): t for t in stories}
    groups, done = {}, set()
    for told in stories:
        other = told.spec.merge_with
        if other is None or id(told.spec) in done or id(other) not in told_of:
            continue
        pair = (told, told_of[id(other)])
        merged = [e[0] for t in pair for e in t.events if e[2] == "merge"]
        if len(merged) < 2:
            continue
        group = MergeGroup(created_by=office, created_at=min(merged))
        for member in pair:
            groups[id(member)] = group
            done.add(id(member.spec))
    return groups


def write(stories, sessions, office):
    """`stories`: [Told]; `sessions`: {"npc"/"cppcc": Session}."""
    groups = _group(stories, office)
    MergeGroup.objects.bulk_create(
        list({id(g): g for g in groups.values()}.values()), batch_size=BATCH
    )
    items = []
    for told in stories:
        s = told.spec
        items.append(
            Proposal(
                session=sessions[s.body],
                kind=s.kind,
                number=s.number,
                title=s.title,
                content=s.content,
                category=s.category,
                is_key=s.is_key,
                key_leader=s.key_leader,
                group=groups.get(id(told)),
                registered_by=office,
                **told.fields,
            )
        )
    Proposal.objects.bulk_create(items, batch_size=BATCH)
    Author.objects.bulk_create(
        [
            Author(
                proposal=item,
                role=role,
                position=max(position, 1),
                name=name,
                delegation=delegation,
                affiliation=affiliation,
                phone=phone,
                address=address,
            )
            for item, told in zip(items, stories, strict=True)
            for position, (role, name, delegation, affiliation, phone, address) in enumerate(
                told.spec.authors, start=0
            )
        ],
        batch_size=BATCH,
    )
    through = Proposal.co_units.through
    through.objects.bulk_create(
        [
            through(proposal_id=item.pk, unit_id=unit.pk)
            for item, told in zip(items, stories, strict=True)
            for unit in told.co_units
        ],
        batch_size=BATCH,
    )
    for model, rows in (
        (ReassignmentRequest, "requests"),
        (Contact, "contacts"),
        (CoOpinion, "co_opinions"),
        (Rating, "ratings"),
    ):
        made = []
        for item, told in zip(items, stories, strict=True):
            for row in getattr(told, rows):
                row.proposal = item
                made.append(row)
        model.objects.bulk_create(made, batch_size=BATCH)
    letters = []
    for item, told in zip(items, stories, strict=True):
        for letter in told.letters.values():
            letter.proposal = item
            letters.append(letter)
    ReplyLetter.objects.bulk_create(letters, batch_size=BATCH)
    _write_trail(items, stories)
    return items


def _write_trail(items, stories):
    item_type = ContentType.objects.get_for_model(Proposal)
    adapt = connection.ops.adapt_datetimefield_value
    rows = []
    for item, told in zip(items, stories, strict=True):
        shown = str(item)[:200]
        for at, actor, action, label, before, after, opinion in told.events:
            person = isinstance(actor, User)
            if person:
                name = actor.real_name
            elif actor is None:
                name = ""
            else:
                name = actor.short_name or actor.name
            rows.append(
                (
                    at,
                    actor.pk if person else None,
                    name,
                    action,
                    label,
                    "success",
                    item_type.pk,
                    item.pk,
                    shown,
                    Clearance.NONE,
                    before,
                    after,
                    str(opinion),
                )
            )
    rows.sort(key=lambda row: row[0])
    insert_rows(TRAIL_COLUMNS, [(adapt(row[0]), *row[1:]) for row in rows])
