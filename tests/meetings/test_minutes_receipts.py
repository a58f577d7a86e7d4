"""印发 of minutes with per-unit receipts (签收回执（纪要）, meetings.minutes.dispatch / sign_for /
record_receipt): one receipt per unit concerned — the lead and co-units of the decided items,
the agenda's reporting units and the units the secretary adds — each once; a unit's handler or
head signs, two at once sign once; the secretary records only for a unit with nobody in the
system; the page shows who signed, the deadline and red once past it; the desk lists what a unit
still has to sign for."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import minutes as mins
from meetings.desk import meetings_desk_items
from meetings.models import SIGNING_HOURS, Minutes, MinutesReceipt
from office.calendar import add_working_hours
from office.models import TrailEvent
from office.roles import Role
from office.workflow import InvalidTransition
from tests.concurrency import race
from tests.conftest import make_unit, make_user
from tests.meetings.test_minutes_pages import held_meeting, login, make_people
from tests.meetings.test_topic_workflow import Build
from tests.steps import events, fresh, told

S = Minutes.State


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


@pytest.fixture
def more_units(units):
    """市财政局 (a lead unit, with a handler) and 市审计局 (nobody in the system)."""
    finance = make_unit("珠海市财政局", "市财政局")
    audit = make_unit("珠海市审计局", "市审计局")
    make_user("caizheng", "钱承办", unit=finance, roles=[Role.UNIT_HANDLER])
    return {"finance": finance, "audit": audit}


def signed_minutes(build, personas, units, more_units):
    """Signed minutes of a meeting whose topic unit A (市教育局) reported: item 1 led by 市财政局
    with 市住建局 as co-unit; item 2 led by 市住建局 with unit A and 市财政局 as co-units (every
    unit named twice over)."""
    meeting = held_meeting(build, personas, make_people(units))
    minutes = mins.draft(meeting, actor=personas["secretary"])
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    mins.revise(
        minutes,
        actor=personas["secretary"],
        body="会议研究了课后服务收费标准调整方案。",
        decisions=[
            mins.Decision(
                content="市财政局做好资金保障。",
                lead_unit=more_units["finance"],
                leader=personas["leader"],
                deadline=deadline,
                co_units=(units["b"],),
            ),
            mins.Decision(
                content="市住建局配合做好场地改造。",
                lead_unit=units["b"],
                leader=personas["leader"],
                deadline=deadline,
                co_units=(units["a"], more_units["finance"]),
            ),
        ],
    )
    mins.submit(minutes, actor=personas["secretary"])
    mins.sign_off(minutes, actor=personas["leader"])
    return fresh(minutes)


def dispatched(build, personas, units, more_units, extra=()):
    minutes = signed_minutes(build, personas, units, more_units)
    mins.dispatch(minutes, actor=personas["secretary"], units=extra)
    return fresh(minutes)


def receipt_of(minutes, unit):
    return MinutesReceipt.objects.get(minutes=minutes, unit=unit)


def test_dispatch_makes_one_receipt_per_unit_concerned_and_the_extra_ones(
    build, personas, units, more_units
):
    before = timezone.now()
    minutes = dispatched(
        build, personas, units, more_units, extra=(more_units["audit"], more_units["finance"])
    )
    receipts = list(minutes.receipts.select_related("unit").order_by("id"))
    # Lead, co-units, the reporting unit (A), then the extra unit; 市财政局 given twice, once.
    assert [r.unit for r in receipts] == [
        more_units["finance"],
        units["b"],
        units["a"],
        more_units["audit"],
    ]
    assert minutes.state == S.DISPATCHED
    for receipt in receipts:
        assert receipt.received_at is None and receipt.sent_at >= before
        assert receipt.due_at == add_working_hours(receipt.sent_at, SIGNING_HOURS)
    assert told(personas["handler_b"], minutes, "会议纪要印发")
    assert told(personas["handler_a"], minutes, "会议纪要印发")
    event = events(minutes, "dispatch").get()
    assert event.opinion.startswith("印发：珠海市财政局、珠海市住房和城乡建设局、珠海市教育局")
    # A second dispatch is refused and makes nothing twice.
    with pytest.raises(InvalidTransition):
        mins.dispatch(minutes, actor=personas["secretary"])
    assert minutes.receipts.count() == 4


def test_the_default_units_are_what_the_form_pre_selects(build, personas, units, more_units):
    from meetings.forms_minutes import DispatchForm

    minutes = signed_minutes(build, personas, units, more_units)
    form = DispatchForm(prefix="dispatch", minutes=minutes)
    assert form.fields["units"].initial == [more_units["finance"].pk, units["b"].pk, units["a"].pk]
    assert 'class="pick-many"' in str(form["units"]) and "multiple" in str(form["units"])


def test_a_unit_handler_signs_and_the_trail_records_it(build, personas, units, more_units):
    minutes = dispatched(build, personas, units, more_units)
    receipt = mins.sign_for(receipt_of(minutes, units["a"]), actor=personas["handler_a"])
    assert receipt.received_by == personas["handler_a"] and receipt.received_at is not None
    event = events(minutes, "sign_for").get()
    assert (event.actor, event.action_label, event.opinion) == (
        personas["handler_a"],
        "签收",
        "珠海市教育局",
    )
    # Signed is signed: the unit's head is told who signed first.
    with pytest.raises(InvalidTransition, match="已由陈承办签收"):
        mins.sign_for(receipt_of(minutes, units["a"]), actor=personas["head_a"])


def test_a_handler_of_another_unit_or_the_secretary_cannot_sign(build, personas, units, more_units):
    minutes = dispatched(build, personas, units, more_units)
    receipt = receipt_of(minutes, units["a"])
    for who in ("handler_b", "secretary", "leader"):
        with pytest.raises(PermissionDenied, match="珠海市教育局的承办人或负责人"):
            mins.sign_for(receipt, actor=personas[who])
    assert fresh(receipt).received_at is None
    assert not events(minutes, "sign_for").exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_of_one_unit_signing_at_once_sign_once(build, personas, units, more_units):
    minutes = dispatched(build, personas, units, more_units)
    receipt = receipt_of(minutes, units["a"])

    def sign(who):
        def call():
            try:
                mins.sign_for(MinutesReceipt.objects.get(pk=receipt.pk), actor=personas[who])
            except InvalidTransition as exc:
                assert "已由" in str(exc)
                return "refused"
            return "signed"

        return call

    calls = iter([sign("handler_a"), sign("head_a")])
    outcomes = race(lambda: next(calls)(), 2)
    assert sorted(outcomes) == ["refused", "signed"]
    assert TrailEvent.objects.filter(action="sign_for", object_id=minutes.pk).count() == 1
    assert fresh(receipt).received_by in (personas["handler_a"], personas["head_a"])


def test_the_secretary_records_only_for_a_unit_with_nobody_to_sign(
    build, personas, units, more_units
):
    minutes = dispatched(build, personas, units, more_units, extra=(more_units["audit"],))
    with pytest.raises(ValidationError, match="珠海市财政局在本系统中有人签收"):
        mins.record_receipt(receipt_of(minutes, more_units["finance"]), actor=personas["secretary"])
    with pytest.raises(PermissionDenied, match="只有秘书"):
        mins.record_receipt(receipt_of(minutes, more_units["audit"]), actor=personas["handler_a"])
    receipt = mins.record_receipt(
        receipt_of(minutes, more_units["audit"]), actor=personas["secretary"]
    )
    assert receipt.received_by == personas["secretary"]
    assert events(minutes, "record_receipt").get().opinion.startswith("珠海市审计局")
    with pytest.raises(InvalidTransition, match="已由王秘书签收"):
        mins.record_receipt(receipt, actor=personas["secretary"])
    # Filing does not wait for the units still to sign.
    mins.file(minutes, actor=personas["secretary"])
    assert fresh(minutes).state == S.FILED


def test_the_page_shows_the_receipts_red_after_the_deadline_and_the_buttons(
    client, build, personas, units, more_units, django_assert_max_num_queries
):
    minutes = dispatched(build, personas, units, more_units, extra=(more_units["audit"],))
    url = reverse("meetings:minutes-detail", args=[minutes.pk])
    sign_a = reverse(
        "meetings:minutes-receipt-sign", args=[minutes.pk, receipt_of(minutes, units["a"]).pk]
    )
    record_audit = reverse(
        "meetings:minutes-receipt-record",
        args=[minutes.pk, receipt_of(minutes, more_units["audit"]).pk],
    )
    # Unit B is told of the minutes and sees them; it has no button for unit A's receipt.
    login(client, personas["handler_b"])
    page = client.get(url).content.decode()
    assert "签收情况" in page and "0/4 个单位已签收" in page
    assert sign_a not in page and record_audit not in page
    assert client.post(sign_a).status_code == 403

    login(client, personas["handler_a"])
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert sign_a in page and "table-danger" not in page and "未签收" in page
    response = client.post(sign_a)
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "已签收 陈承办" in page and sign_a not in page and "1/4 个单位已签收" in page
    response = client.post(sign_a, follow=True)  # again: a message, not an error page
    assert response.status_code == 200 and "已由陈承办签收" in response.content.decode()

    login(client, personas["secretary"])
    page = client.get(url).content.decode()
    assert record_audit in page
    finance = receipt_of(minutes, more_units["finance"])
    assert reverse("meetings:minutes-receipt-record", args=[minutes.pk, finance.pk]) not in page

    # Past the deadline, unsigned rows turn red (the deadline moved back, not the clock).
    MinutesReceipt.objects.filter(minutes=minutes).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = client.get(url).content.decode()
    assert page.count('class="table-danger"') == 3 and "逾期未签收" in page
    assert client.post(record_audit).status_code == 302
    page = client.get(url).content.decode()
    assert page.count('class="table-danger"') == 2 and "已签收 王秘书" in page

    # An outsider (no role) still gets 404.
    login(client, personas["outsider"])
    assert client.get(url).status_code == 404
    assert client.post(sign_a).status_code == 404


def test_the_desk_lists_minutes_to_sign_for_with_their_deadline(build, personas, units, more_units):
    minutes = dispatched(build, personas, units, more_units)
    items = [i for i in meetings_desk_items(personas["head_a"]) if "待签收" in i.state_label]
    assert len(items) == 1
    item = items[0]
    due = timezone.localtime(receipt_of(minutes, units["a"]).due_at)
    assert item.title == f"市政府常务会议纪要 {minutes.issue_text}"
    assert item.due == due.date() and f"{due:%m-%d %H:%M}" in item.state_label
    assert item.light == "yellow"
    assert item.url == reverse("meetings:minutes-detail", args=[minutes.pk])

    MinutesReceipt.objects.filter(minutes=minutes).update(
        due_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    (item,) = [i for i in meetings_desk_items(personas["head_a"]) if "签收" in i.state_label]
    assert item.light == "red" and "逾期未签收" in item.state_label

    mins.sign_for(receipt_of(minutes, units["a"]), actor=personas["handler_a"])
    assert not [i for i in meetings_desk_items(personas["head_a"]) if "签收" in i.state_label]
    assert not [i for i in meetings_desk_items(personas["secretary"]) if "签收" in i.state_label]
