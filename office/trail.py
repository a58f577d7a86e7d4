"""留痕: the append-only record of every workflow step and every opening of a classified object.

The database refuses UPDATE and DELETE on the table (pgtrigger.Protect on TrailEvent); this
module only ever inserts. Workflow functions call `record` inside their transaction, so a step and
its trail row are written together or not at all.
"""

from django.contrib.contenttypes.models import ContentType

from .models import Clearance, TrailEvent


def client_ip(request):
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def record(
    *,
    action,
    action_label,
    actor=None,
    obj=None,
    from_state="",
    to_state="",
    opinion="",
    ip=None,
    outcome="success",
    classification=None,
):
    """Append one event. `from_state`/`to_state` hold the states' Chinese labels as a person
    reads them in the history; `opinion` is the actor's text (批示、审核意见、退回理由)."""
    if classification is None:
        classification = getattr(obj, "classification", Clearance.NONE) or Clearance.NONE
    return TrailEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_full_name() if actor is not None and actor.pk else ""),
        action=action,
        action_label=action_label,
        outcome=outcome,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        object_repr=str(obj)[:200] if obj is not None else "",
        classification=classification,
        from_state=from_state or "",
        to_state=to_state or "",
        opinion=opinion or "",
        ip=ip,
    )


def record_many(objects, *, action, action_label, actor=None, to_state="", opinion="", ip=None):
    """Append the same event for each of `objects` (of one model) in one INSERT — an import of a
    thousand items writes its thousand 登记 rows at once. Returns the events."""
    objects = list(objects)
    if not objects:
        return []
    content_type = ContentType.objects.get_for_model(objects[0])
    person = actor if actor is not None and actor.pk else None
    name = person.get_full_name() if person is not None else ""
    events = [
        TrailEvent(
            actor=person,
            actor_name=name,
            action=action,
            action_label=action_label,
            content_type=content_type,
            object_id=obj.pk,
            object_repr=str(obj)[:200],
            classification=getattr(obj, "classification", Clearance.NONE) or Clearance.NONE,
            to_state=to_state or "",
            opinion=opinion or "",
            ip=ip,
        )
        for obj in objects
    ]
    return TrailEvent.objects.bulk_create(events, batch_size=1000)


def shown(obj, field_name):
    """A field's value as a person reads it in the trail: choice labels, 「（空）」 for nothing."""
    value = getattr(obj, field_name)
    field = obj._meta.get_field(field_name)
    if field.choices:
        value = getattr(obj, f"get_{field_name}_display")()
    if value in (None, ""):
        return "（空）"
    return str(value)


def snapshot(obj, fields):
    """The fields' shown values before an edit, for `changes` after it."""
    return {name: shown(obj, name) for name in fields}


def changes(obj, before, fields):
    """「字段：旧值 → 新值」 for the trail's 意见 column, one clause per changed field."""
    parts = []
    for name in fields:
        if before[name] != shown(obj, name):
            label = obj._meta.get_field(name).verbose_name
            parts.append(f"{label}：{before[name]} → {shown(obj, name)}")
    return "；".join(parts)


def record_opening(request, obj):
    """Every opening of a classified object is audited (DOMAIN.md §2)."""
    if getattr(obj, "classification", Clearance.NONE) > Clearance.NONE:
        record(
            action="open",
            action_label="查阅",
            actor=request.user,
            obj=obj,
            ip=client_ip(request),
        )


def history(obj):
    """The object's own routing history (流转记录), oldest first."""
    return (
        TrailEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .select_related("actor")
        .order_by("at", "id")
    )
