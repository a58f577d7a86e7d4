"""留痕 is append-only, enforced by the database itself (pgtrigger), not only by Python."""

import pytest
from django.db import DatabaseError, connection, transaction

from office import trail
from office.models import Clearance, TrailEvent


@pytest.fixture
def event(personas):
    return trail.record(
        action="sign_off",
        action_label="签发",
        actor=personas["leader"],
        obj=personas["secretary"].unit,
        from_state="reviewed",
        to_state="signed",
        opinion="同意印发。",
        ip="10.1.2.3",
    )


@pytest.mark.django_db
def test_record_keeps_who_what_and_opinion(event, personas):
    event.refresh_from_db()
    assert event.actor == personas["leader"]
    assert event.actor_name == "李副市长"
    assert (event.from_state, event.to_state) == ("reviewed", "signed")
    assert event.opinion == "同意印发。"
    assert list(trail.history(personas["secretary"].unit)) == [event]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE office_trailevent SET opinion = '改过的意见' WHERE id = %s",
        "DELETE FROM office_trailevent WHERE id = %s",
    ],
)
def test_database_refuses_raw_update_and_delete(event, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.opinion == "同意印发。"


@pytest.mark.django_db
def test_database_refuses_orm_bulk_update_and_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        TrailEvent.objects.filter(pk=event.pk).update(opinion="")
    with pytest.raises(DatabaseError), transaction.atomic():
        TrailEvent.objects.all().delete()
    assert TrailEvent.objects.filter(pk=event.pk, opinion="同意印发。").exists()


@pytest.mark.django_db
def test_opening_a_classified_object_is_audited(rf, personas):
    secret = personas["leader"]
    secret.classification = Clearance.SECRET  # any object with a 密级 attribute
    request = rf.get("/", REMOTE_ADDR="10.9.8.7")
    request.user = personas["secretary"]
    trail.record_opening(request, secret)
    opened = TrailEvent.objects.get(action="open")
    assert opened.actor == personas["secretary"]
    assert opened.classification == Clearance.SECRET
    assert opened.ip == "10.9.8.7"

    plain = personas["handler_a"]
    trail.record_opening(request, plain)
    assert TrailEvent.objects.filter(action="open").count() == 1


@pytest.mark.django_db
def test_sign_in_success_and_failure_are_audited(client, personas):
    client.post("/login/", {"username": "mishu", "password": "wrong-password"})
    client.post("/login/", {"username": "mishu", "password": "Demo@2026x"})
    failed = TrailEvent.objects.get(action="login_failed")
    assert failed.outcome == "failure" and "mishu" in failed.opinion
    assert TrailEvent.objects.filter(action="login", actor=personas["secretary"]).exists()
