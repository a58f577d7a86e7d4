"""What the workflow tests of every duty ask of a step: its trail row and its notice."""

from django.contrib.contenttypes.models import ContentType

from office.models import Notification, TrailEvent


def fresh(obj):
    return type(obj)._default_manager.get(pk=obj.pk)


def events(obj, action=None):
    qs = TrailEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("id")


def assert_step(obj, action, actor, moved, opinion):
    """The step's trail row: who, from → to (the states' Chinese labels), the opinion text."""
    event = events(obj, action).last()
    assert event is not None, f"no trail row for {action}"
    assert (event.actor, event.from_state, event.to_state, event.opinion) == (
        actor,
        *moved,
        opinion,
    )


def told(user, document, text):
    return Notification.objects.filter(
        recipient=user, object_id=document.pk, title__contains=text
    ).exists()
