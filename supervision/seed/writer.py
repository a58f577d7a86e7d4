"""Writing the told items in bulk: items with their 督办编号 (SerialNumber rows linked to them, as
services.open_item links its number), co-units, milestones, progress reports, urgings, extension
requests, links between items and the trail."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from office.models import SerialNumber, User
from office.pdf import html_to_pdf
from office.seed.rows import BATCH, TRAIL_COLUMNS, insert_rows

from ..models import (
    Extension,
    ItemGroup,
    Milestone,
    ProgressReport,
    ReportFile,
    SupervisionItem,
    Urging,
)
from ..services import NUMBER_KEY

# The one evidence file every demo application for completion carries (佐证材料): stored once.
EVIDENCE_PATH = "supervision/demo/evidence.pdf"
EVIDENCE_HTML = (
    "<html><body><h1>办结佐证材料</h1><p>（演示数据）本材料为督查督办演示数据的办结佐证材料，"
    "用于展示申请办结所附的文件。</p></body></html>"
)


def _evidence():
    """(path, size, sha256) of the stored evidence file, written on the first run."""
    if not default_storage.exists(EVIDENCE_PATH):
        default_storage.save(EVIDENCE_PATH, ContentFile(html_to_pdf(EVIDENCE_HTML)))
    with default_storage.open(EVIDENCE_PATH, "rb") as stored:
        data = stored.read()
    return EVIDENCE_PATH, len(data), hashlib.sha256(data).hexdigest()


def _item(told):
    s, fields = told.spec, told.fields
    supervisor = fields.pop("supervisor") or (s.opener if s.opener == s.supervisor else None)
    return SupervisionItem(
        item_number=s.number,
        year=s.year,
        title=s.title.strip()[:300],
        requirement=s.requirement.strip(),
        source=s.source,
        source_type_id=s.source_type_id,
        source_id=s.source_id,
        source_label=s.source_label[:300],
        source_url=s.source_url[:300],
        classification=s.classification,
        lead_unit=s.lead_unit,
        responsible_leader=s.leader,
        supervisor=supervisor,
        opened_on=s.opened_at.date(),
        opened_by=s.opener,
        report_cadence=s.cadence,
        report_day=s.report_day,
        created_at=s.opened_at,
        **fields,
    )


def write(stories, groups):
    """`stories`: [Told]; `groups`: [(ItemGroup, [Told], at)] of linked items."""
    ItemGroup.objects.bulk_create([group for group, _, _ in groups], batch_size=BATCH)
    group_of = {id(told): group for group, members, _ in groups for told in members}
    items = []
    for told in stories:
        item = _item(told)
        item.group = group_of.get(id(told))
        items.append(item)
    SupervisionItem.objects.bulk_create(items, batch_size=BATCH)
    through = SupervisionItem.co_units.through
    through.objects.bulk_create(
        [
            through(supervisionitem_id=item.pk, unit_id=unit.pk)
            for item, told in zip(items, stories, strict=True)
            for unit in told.spec.co_units
        ],
        batch_size=BATCH,
    )
    milestones = {}
    for item, told in zip(items, stories, strict=True):
        for position, (title, due_on) in enumerate(told.spec.milestones, 1):
            milestones[(item.pk, position)] = Milestone(
                item=item,
                position=position,
                title=title,
                due_on=due_on,
                reached_on=told.reached.get(position),
            )
    Milestone.objects.bulk_create(milestones.values(), batch_size=BATCH)
    reports, latest = [], []
    for item, told in zip(items, stories, strict=True):
        for report, position, _ in told.reports:
            report.item = item
            report.milestone = milestones.get((item.pk, position))
            reports.append(report)
        if told.latest is not None:
            item.latest_report = told.reports[told.latest][0]
            latest.append(item)
        for row in told.urgings + told.extensions:
            row.item = item
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    with_files = [(t, r) for t in stories for r, _, files in t.reports if files]
    if with_files:
        path, size, sha256 = _evidence()
        ReportFile.objects.bulk_create(
            [
                ReportFile(
                    report=report,
                    name=f"{told.spec.lead_unit.short_name or told.spec.lead_unit.name}"
                    "办结佐证材料.pdf",
                    media_type="application/pdf",
                    size=size,
                    sha256=sha256,
                    uploaded_by=report.author,
                    uploaded_at=report.submitted_at,
                    file=path,
                )
                for told, report in with_files
            ],
            batch_size=BATCH,
        )
    SupervisionItem.objects.bulk_update(latest, ["latest_report"], batch_size=BATCH)
    Urging.objects.bulk_create([u for t in stories for u in t.urgings], batch_size=BATCH)
    Extension.objects.bulk_create([e for t in stories for e in t.extensions], batch_size=BATCH)
    item_type = ContentType.objects.get_for_model(SupervisionItem)
    SerialNumber.objects.bulk_create(
        [
            SerialNumber(
                key=NUMBER_KEY,
                year=told.spec.year,
                number=told.spec.serial,
                text=told.spec.number,
                content_type=item_type,
                object_id=item.pk,
                allocated_by=told.spec.opener,
                allocated_at=told.spec.opened_at,
            )
            for item, told in zip(items, stories, strict=True)
        ],
        batch_size=BATCH,
    )
    _write_trail(items, stories, item_type)
    return items


def _write_trail(items, stories, item_type):
    adapt = connection.ops.adapt_datetimefield_value
    rows = []
    for item, told in zip(items, stories, strict=True):
        shown = str(item)[:200]
        for at, actor, action, label, before, after, opinion in told.events:
            person = isinstance(actor, User)
            rows.append(
                (
                    at,
                    actor.pk if person else None,
                    actor.real_name if person else (actor.short_name or actor.name),
                    action,
                    label,
                    "success",
                    item_type.pk,
                    item.pk,
                    shown,
                    item.classification,
                    before,
                    after,
                    str(opinion),
                )
            )
    rows.sort(key=lambda row: row[0])
    insert_rows(TRAIL_COLUMNS, [(adapt(row[0]), *row[1:]) for row in rows])
