"""督查通报 / 督查专报 (supervision.bulletins, issue 6 item 8) on a small known ledger: the
population of a period and its figures (the same as supervision.measures counts), each figure
opening exactly the items it counted; the steps 送签 → 签发 (numbered 第1期, 第2期 per kind and
year) → 印发, each with its trail, its refusals in the wrong state, 403 for the wrong person and
404 for who cannot see the bulletin; the figures frozen after sign-off while the items move on;
a unit seeing only the bulletins sent to it; the print read back with pdfplumber.

The ledger, for the previous whole month [start, end] (the form's default period):

    1 市教育局  closed on time (start+5, deadline end+30)             → 按期办结
    2 市教育局  closed late (start+10; original deadline start+1, extended) → 逾期办结
    3 市教育局  open, deadline start+3                                → 逾期未办结
    4 市住建局  opened start+2, open, deadline end+60                 → 在办
    5 市住建局  closed start-1 (before the period)                    → not counted
    6 市住建局  opened end+1 (after the period)                       → not counted
    7 市住建局  suspended                                             → not counted
    8 市教育局  classified 秘密                                        → not counted
    9 市住建局  deadline start+10, closed end+1 (after the period)    → 逾期未办结 as of end

so 事项数 5, 已办结 2 (按期 1, 逾期 1), 逾期未办结 2, 在办 3, 办结率 40.0%, 按期办结率 20.0%."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from office.models import Clearance, Notification, SerialNumber
from office.roles import Role
from office.workflow import InvalidTransition
from supervision import bulletins as flow
from supervision import measures
from supervision.forms_bulletins import previous_month
from supervision.models import Bulletin, Source, SupervisionItem
from supervision.services import ItemPlan, open_item
from tests.conftest import make_user
from tests.meetings.test_minutes_pdf import all_text, read
from tests.steps import assert_step, events, fresh, told

pytestmark = pytest.mark.django_db

S = SupervisionItem.State
B = Bulletin.State
DAY = datetime.timedelta(days=1)


def period():
    return previous_month(timezone.localdate())


def make_item(personas, units, n, *, unit, **fields):
    item = open_item(
        ItemPlan(
            title=f"第{n}项督办事项",
            source=Source.INSTRUCTION if n % 2 else Source.MEETING_DECISION,
            lead_unit=units[unit],
            responsible_leader=personas["leader"],
            deadline=timezone.localdate() + 90 * DAY,
        ),
        actor=personas["supervisor"],
    )
    if "deadline" in fields:
        fields.setdefault("original_deadline", fields["deadline"])
    SupervisionItem.objects.filter(pk=item.pk).update(**fields)
    return fresh(item)


@pytest.fixture
def ledger(personas, units):
    start, end = period()
    before = start - 60 * DAY
    closed = {"state": S.CLOSED}
    return {
        1: make_item(
            personas,
            units,
            1,
            unit="a",
            opened_on=start - 10 * DAY,
            deadline=end + 30 * DAY,
            closed_on=start + 5 * DAY,
            **closed,
        ),
        2: make_item(
            personas,
            units,
            2,
            unit="a",
            opened_on=start - 40 * DAY,
            original_deadline=start + DAY,
            deadline=start + 20 * DAY,
            closed_on=start + 10 * DAY,
            **closed,
        ),
        3: make_item(
            personas,
            units,
            3,
            unit="a",
            opened_on=start - 20 * DAY,
            deadline=start + 3 * DAY,
            state=S.IN_PROGRESS,
        ),
        4: make_item(
            personas,
            units,
            4,
            unit="b",
            opened_on=start + 2 * DAY,
            deadline=end + 60 * DAY,
            state=S.ASSIGNED,
        ),
        5: make_item(
            personas,
            units,
            5,
            unit="b",
            opened_on=before,
            deadline=start,
            closed_on=start - DAY,
            **closed,
        ),
        6: make_item(personas, units, 6, unit="b", opened_on=end + DAY, deadline=end + 90 * DAY),
        7: make_item(
            personas, units, 7, unit="b", opened_on=before, deadline=start, state=S.SUSPENDED
        ),
        8: make_item(
            personas,
            units,
            8,
            unit="a",
            opened_on=before,
            deadline=start,
            classification=Clearance.SECRET,
        ),
        9: make_item(
            personas,
            units,
            9,
            unit="b",
            opened_on=start - 5 * DAY,
            deadline=start + 10 * DAY,
            closed_on=end + DAY,
            **closed,
        ),
    }


def ids(ledger, *numbers):
    return sorted(ledger[n].pk for n in numbers)


def drafted(personas, kind=Bulletin.Kind.BULLETIN):
    start, end = period()
    return flow.bulletin_draft(
        actor=personas["supervisor"], kind=kind, period_start=start, period_end=end
    )


def submitted(personas, **kwargs):
    bulletin = drafted(personas, **kwargs)
    return flow.submit(bulletin, actor=personas["supervisor"], signer=personas["leader"])


def signed(personas, **kwargs):
    return flow.sign_off(submitted(personas, **kwargs), actor=personas["leader"])


def dispatched(personas, units, **kwargs):
    return flow.dispatch(
        signed(personas, **kwargs), actor=personas["supervisor"], units=[units["b"]]
    )


# --- the figures -------------------------------------------------------------------------------


def test_the_figures_of_the_period(personas, units, ledger):
    bulletin = drafted(personas)
    summary = bulletin.figures["summary"]
    assert summary == {
        "total": 5,
        "closed": 2,
        "closed_on_time": 1,
        "closed_late": 1,
        "overdue": 2,
        "open": 3,
        "completion_rate": "40.0",
        "on_time_rate": "20.0",
    }
    by_unit = {row["name"]: row for row in bulletin.figures["units"]}
    assert [row["name"] for row in bulletin.figures["units"]] == [
        "珠海市教育局",
        "珠海市住房和城乡建设局",
    ]
    assert (by_unit["珠海市教育局"]["total"], by_unit["珠海市教育局"]["closed"]) == (3, 2)
    assert by_unit["珠海市教育局"]["completion_rate"] == "66.7"
    assert (
        by_unit["珠海市住房和城乡建设局"]["total"],
        by_unit["珠海市住房和城乡建设局"]["overdue"],
    ) == (2, 1)
    assert [row["number"] for row in bulletin.overdue] == [
        ledger[3].item_number,
        ledger[9].item_number,
    ]
    start, end = period()
    assert bulletin.overdue[0]["days"] == (end - (start + 3 * DAY)).days
    assert flow.summary_sentence(bulletin) == (
        f"截至{end.year}年{end.month}月{end.day}日，共督办事项5项，已办结2项，办结率40.0%，"
        "按期办结率20.0%，逾期未办结2项。已办结事项中逾期办结1项。"
    )
    assert set(bulletin.recipients.all()) == {units["a"], units["b"]}
    assert bulletin.title == f"关于{start.year}年{start.month}月督办事项办理情况的通报"


def test_the_figures_are_measures_figures(personas, units, ledger):
    """Each frozen figure is what supervision.measures counts on the same items as of the
    period's end, in total, per unit and per source."""
    bulletin = drafted(personas)
    start, end = period()
    items = flow.population(personas["supervisor"], period_start=start, period_end=end)
    assert flow._rates_dict(measures.rates(items, as_of=end)) == bulletin.figures["summary"]
    for unit, rates in measures.rates_by(items, "lead_unit", as_of=end):
        row = next(r for r in bulletin.figures["units"] if r["unit"] == unit)
        assert {k: row[k] for k in measures.FIGURES} == {
            k: getattr(rates, k) for k in measures.FIGURES
        }
    for source, rates in measures.rates_by(items, "source", as_of=end):
        row = next(r for r in bulletin.figures["sources"] if r["source"] == source)
        assert row["total"] == rates.total and row["closed"] == rates.closed


def test_every_figure_counts_exactly_its_listed_items(personas, units, ledger):
    bulletin = drafted(personas)
    counted = bulletin.counted
    for figure in measures.FIGURES:
        assert len(counted["summary"][figure]) == bulletin.figures["summary"][figure]
        for row in bulletin.figures["units"]:
            assert len(counted["units"][str(row["unit"])][figure]) == row[figure]
        for row in bulletin.figures["sources"]:
            assert len(counted["sources"][row["source"]][figure]) == row[figure]
    assert sorted(counted["summary"]["total"]) == ids(ledger, 1, 2, 3, 4, 9)
    assert sorted(counted["summary"]["overdue"]) == ids(ledger, 3, 9)
    assert sorted(counted["units"][str(units["a"].pk)]["closed"]) == ids(ledger, 1, 2)


def test_a_period_ending_in_the_future_or_backwards_is_refused(personas, units):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="不能晚于今天"):
        flow.bulletin_draft(
            actor=personas["supervisor"],
            kind=Bulletin.Kind.BULLETIN,
            period_start=today,
            period_end=today + DAY,
        )
    with pytest.raises(ValidationError, match="不能早于起始日期"):
        flow.bulletin_draft(
            actor=personas["supervisor"],
            kind=Bulletin.Kind.BULLETIN,
            period_start=today,
            period_end=today - DAY,
        )
    with pytest.raises(PermissionDenied):
        flow.bulletin_draft(
            actor=personas["leader"],
            kind=Bulletin.Kind.BULLETIN,
            period_start=today - DAY,
            period_end=today,
        )
    assert not Bulletin.objects.exists()


def test_the_period_in_words():
    d = datetime.date
    assert flow.period_text(d(2026, 10, 1), d(2026, 10, 31)) == "2026年10月"
    assert flow.period_text(d(2026, 7, 1), d(2026, 9, 30)) == "2026年第三季度"
    assert flow.period_text(d(2026, 1, 1), d(2026, 6, 30)) == "2026年上半年"
    assert flow.period_text(d(2026, 1, 1), d(2026, 12, 31)) == "2026年"
    assert flow.period_text(d(2026, 10, 8), d(2026, 11, 15)) == "2026年10月8日至11月15日"


def test_regenerate_takes_the_ledger_again_while_a_draft(personas, units, ledger):
    bulletin = drafted(personas)
    SupervisionItem.objects.filter(pk=ledger[6].pk).update(opened_on=period()[0])
    flow.regenerate(bulletin, actor=personas["supervisor"])
    assert fresh(bulletin).figures["summary"]["total"] == 6
    assert events(bulletin, "regenerate_bulletin").exists()


# --- frozen after sign-off -----------------------------------------------------------------------


def test_figures_are_frozen_after_sign_off(client, personas, units, ledger):
    bulletin = signed(personas)
    before = (bulletin.figures, bulletin.counted, bulletin.overdue)
    # The overdue item 3 is closed now, and item 6 is back-dated into the period.
    SupervisionItem.objects.filter(pk=ledger[3].pk).update(
        state=S.CLOSED, closed_on=timezone.localdate()
    )
    SupervisionItem.objects.filter(pk=ledger[6].pk).update(opened_on=period()[0])
    with pytest.raises(ValidationError, match="不能修改"):
        flow.regenerate(bulletin, actor=personas["supervisor"])
    with pytest.raises(ValidationError, match="不能修改"):
        flow.revise(bulletin, actor=personas["supervisor"], title="改标题")
    bulletin = fresh(bulletin)
    assert (bulletin.figures, bulletin.counted, bulletin.overdue) == before
    # A new bulletin of the same period counts the ledger as it is now.
    assert drafted(personas).figures["summary"]["total"] == 6

    client.force_login(personas["supervisor"])
    url = reverse("supervision:bulletin-items", args=[bulletin.pk, "overdue"])
    page = client.get(url).content.decode()
    assert 'id="figure-count">2<' in page
    row = page.split(f'data-item="{ledger[3].pk}"')[1].split("</tr>")[0]
    assert "逾期未办结" in row and "已销号" in row and "通报后已变化" in row
    detail = client.get(reverse("supervision:bulletin-detail", args=[bulletin.pk])).content
    assert "逾期未办结2项" in detail.decode()


# --- the items behind a figure -------------------------------------------------------------------


def test_the_items_page_lists_what_the_figure_counted(client, personas, units, ledger):
    bulletin = drafted(personas)
    client.force_login(personas["supervisor"])
    url = reverse("supervision:bulletin-items", args=[bulletin.pk, "closed"])
    response = client.get(url, {"unit": units["a"].pk})
    page = response.content.decode()
    shown = {int(part.split('"')[0]) for part in page.split('data-item="')[1:]}
    assert shown == set(ids(ledger, 1, 2))
    assert 'id="figure-count">2<' in page and "珠海市教育局 · 已办结" in page
    assert "按期办结" in page and "逾期办结" in page
    by_source = client.get(
        reverse("supervision:bulletin-items", args=[bulletin.pk, "total"]),
        {"source": Source.MEETING_DECISION},
    ).content.decode()
    assert by_source.count('data-item="') == 2  # items 2 and 4
    assert (
        client.get(reverse("supervision:bulletin-items", args=[bulletin.pk, "light"])).status_code
        == 404
    )
    assert client.get(url, {"unit": "x"}).status_code == 404
    assert client.get(url, {"unit": 999999}).status_code == 404


def test_the_items_page_is_bounded(client, personas, units, ledger, django_assert_max_num_queries):
    bulletin = drafted(personas)
    client.force_login(personas["supervisor"])
    url = reverse("supervision:bulletin-items", args=[bulletin.pk, "total"])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_a_unit_sees_its_own_items_and_a_note_for_the_rest(client, personas, units, ledger):
    bulletin = dispatched(personas, units)
    client.force_login(personas["handler_b"])
    page = client.get(
        reverse("supervision:bulletin-items", args=[bulletin.pk, "total"])
    ).content.decode()
    shown = {int(part.split('"')[0]) for part in page.split('data-item="')[1:]}
    assert shown == set(ids(ledger, 4, 9))
    assert "另有 3 项您无权查看" in page


# --- the steps -----------------------------------------------------------------------------------


class TestSubmit:
    def test_the_supervisor_submits_to_a_leader(self, personas, units, ledger):
        bulletin = submitted(personas)
        assert fresh(bulletin).state == B.IN_REVIEW and fresh(bulletin).signer == personas["leader"]
        assert_step(
            bulletin, "submit", personas["supervisor"], ("起草中", "待签发"), "送李副市长签发"
        )
        assert told(personas["leader"], bulletin, "请签发")

    def test_twice_is_refused(self, personas, units):
        bulletin = submitted(personas)
        with pytest.raises(InvalidTransition):
            flow.submit(bulletin, actor=personas["supervisor"], signer=personas["leader"])

    def test_only_the_supervision_office_submits(self, personas, units):
        bulletin = drafted(personas)
        with pytest.raises(PermissionDenied):
            flow.submit(bulletin, actor=personas["secretary"], signer=personas["leader"])
        assert fresh(bulletin).state == B.DRAFT

    def test_the_signer_must_be_a_leader(self, personas, units):
        bulletin = drafted(personas)
        with pytest.raises(ValidationError, match="请选择送签领导"):
            flow.submit(bulletin, actor=personas["supervisor"], signer=personas["head_a"])


class TestReturn:
    def test_the_leader_returns_with_an_opinion(self, personas, units):
        bulletin = flow.return_bulletin(
            submitted(personas), actor=personas["leader"], opinion="请补充典型经验。"
        )
        assert fresh(bulletin).state == B.RETURNED
        assert_step(
            bulletin,
            "return_bulletin",
            personas["leader"],
            ("待签发", "退回修改"),
            "请补充典型经验。",
        )
        assert told(personas["supervisor"], bulletin, "退回修改")
        # Returned, it is edited and submitted again.
        flow.revise(bulletin, actor=personas["supervisor"], title="新标题", good_examples="一、好")
        flow.submit(bulletin, actor=personas["supervisor"], signer=personas["leader"])
        assert fresh(bulletin).state == B.IN_REVIEW

    def test_without_an_opinion_is_refused(self, personas, units):
        bulletin = submitted(personas)
        with pytest.raises(ValidationError):
            flow.return_bulletin(bulletin, actor=personas["leader"], opinion=" ")
        assert fresh(bulletin).state == B.IN_REVIEW

    def test_a_draft_cannot_be_returned(self, personas, units):
        bulletin = drafted(personas)
        Bulletin.objects.filter(pk=bulletin.pk).update(signer=personas["leader"])
        with pytest.raises(InvalidTransition):
            flow.return_bulletin(fresh(bulletin), actor=personas["leader"], opinion="不行")

    def test_another_leader_cannot_return(self, personas, units):
        other = make_user("fumishu", "钱副秘书长", unit=units["office"], roles=[Role.LEADER])
        with pytest.raises(PermissionDenied):
            flow.return_bulletin(submitted(personas), actor=other, opinion="不行")


class TestSignOff:
    def test_the_leader_signs_and_it_is_numbered(self, personas, units, ledger):
        bulletin = fresh(signed(personas))
        year = timezone.localdate().year
        assert (bulletin.state, bulletin.issue_text) == (B.SIGNED, f"{year}年第1期")
        assert bulletin.signed_by == personas["leader"]
        assert_step(
            bulletin,
            "sign_off",
            personas["leader"],
            ("待签发", "已签发"),
            f"督查通报 {year}年第1期",
        )
        assert told(personas["supervisor"], bulletin, "已签发")

    def test_numbers_run_per_kind_and_year(self, personas, units):
        year = timezone.localdate().year
        first, second = signed(personas), signed(personas)
        report = signed(personas, kind=Bulletin.Kind.SPECIAL_REPORT)
        assert [fresh(b).issue_text for b in (first, second, report)] == [
            f"{year}年第1期",
            f"{year}年第2期",
            f"{year}年第1期",
        ]
        keys = set(SerialNumber.objects.values_list("key", flat=True))
        assert {"督查通报", "督查专报"} <= keys

    def test_a_draft_cannot_be_signed(self, personas, units):
        bulletin = drafted(personas)
        Bulletin.objects.filter(pk=bulletin.pk).update(signer=personas["leader"])
        with pytest.raises(InvalidTransition):
            flow.sign_off(fresh(bulletin), actor=personas["leader"])
        assert not SerialNumber.objects.filter(key="督查通报").exists()  # rolled back

    def test_only_the_chosen_leader_signs(self, personas, units):
        other = make_user("fumishu", "钱副秘书长", unit=units["office"], roles=[Role.LEADER])
        bulletin = submitted(personas)
        for actor in (other, personas["supervisor"]):
            with pytest.raises(PermissionDenied):
                flow.sign_off(bulletin, actor=actor)
        assert fresh(bulletin).issue_number is None


class TestDispatch:
    def test_the_supervisor_dispatches_and_the_units_are_told(self, personas, units):
        bulletin = dispatched(personas, units)
        assert fresh(bulletin).state == B.DISPATCHED
        assert list(fresh(bulletin).recipients.all()) == [units["b"]]
        assert_step(
            bulletin,
            "dispatch",
            personas["supervisor"],
            ("已签发", "已印发"),
            "印发：珠海市住房和城乡建设局",
        )
        assert told(personas["handler_b"], bulletin, "督查通报印发")
        assert (
            not Notification.objects.filter(recipient=personas["handler_a"])
            .filter(object_id=bulletin.pk, title__contains="印发")
            .exists()
        )

    def test_before_sign_off_is_refused(self, personas, units):
        with pytest.raises(InvalidTransition):
            flow.dispatch(submitted(personas), actor=personas["supervisor"], units=[units["a"]])

    def test_without_units_is_refused(self, personas, units):
        with pytest.raises(ValidationError, match="请选择印发单位"):
            flow.dispatch(signed(personas), actor=personas["supervisor"], units=[])

    def test_only_the_supervision_office_dispatches(self, personas, units):
        with pytest.raises(PermissionDenied):
            flow.dispatch(signed(personas), actor=personas["leader"], units=[units["a"]])


def test_a_draft_offers_the_supervisor_only_submit(personas, units):
    """The page's buttons come from the same table the workflow enforces."""
    bulletin = drafted(personas)
    assert flow.BULLETIN.available(bulletin, personas["supervisor"]) == {
        "submit": True,
        "return_bulletin": False,
        "sign_off": False,
        "dispatch": False,
    }


# --- the pages -----------------------------------------------------------------------------------


def test_the_supervisor_drafts_edits_and_submits_through_the_pages(client, personas, units, ledger):
    client.force_login(personas["supervisor"])
    assert "督查通报" in client.get("/").content.decode()
    form = client.get(reverse("supervision:bulletin-new"))
    assert form.status_code == 200 and "统计期间在办的非密督办事项" in form.content.decode()
    start, end = period()
    response = client.post(
        reverse("supervision:bulletin-new"),
        {"kind": "bulletin", "period_start": start.isoformat(), "period_end": end.isoformat()},
    )
    bulletin = Bulletin.objects.get()
    assert response.url == reverse("supervision:bulletin-detail", args=[bulletin.pk])
    page = client.get(response.url).content.decode()
    assert "共督办事项5项" in page and "珠海市住房和城乡建设局" in page
    total_link = reverse("supervision:bulletin-items", args=[bulletin.pk, "total"])
    assert f'href="{total_link}?unit={units["a"].pk}"' in page
    edit = client.post(
        reverse("supervision:bulletin-edit", args=[bulletin.pk]),
        {"text-title": "", "text-good_examples": "市教育局提前完成。"},
    )
    assert edit.status_code == 400 and "市教育局提前完成。" in edit.content.decode()
    client.post(
        reverse("supervision:bulletin-edit", args=[bulletin.pk]),
        {"text-title": "关于十月督办情况的通报", "text-bad_examples": "个别单位进度滞后。"},
    )
    assert fresh(bulletin).bad_examples == "个别单位进度滞后。"
    client.post(
        reverse("supervision:bulletin-step", args=[bulletin.pk, "submit"]),
        {"submit-signer": personas["leader"].pk},
    )
    assert fresh(bulletin).state == B.IN_REVIEW


def test_a_refused_step_comes_back_on_the_page(client, personas, units):
    bulletin = signed(personas)
    client.force_login(personas["supervisor"])
    response = client.post(reverse("supervision:bulletin-step", args=[bulletin.pk, "dispatch"]), {})
    assert response.status_code == 400 and "印发单位" in response.content.decode()
    assert fresh(bulletin).state == B.SIGNED


def test_future_period_is_refused_on_the_form(client, personas, units):
    client.force_login(personas["supervisor"])
    today = timezone.localdate()
    response = client.post(
        reverse("supervision:bulletin-new"),
        {
            "kind": "bulletin",
            "period_start": today.isoformat(),
            "period_end": (today + DAY).isoformat(),
        },
    )
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_who_sees_which_bulletin(client, personas, units):
    sent_to_b = dispatched(personas, units)
    draft = drafted(personas)
    client.force_login(personas["handler_b"])
    listed = client.get(reverse("supervision:bulletin-list")).content.decode()
    assert f'data-bulletin="{sent_to_b.pk}"' in listed
    assert f'data-bulletin="{draft.pk}"' not in listed
    assert client.get(reverse("supervision:bulletin-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("supervision:bulletin-pdf", args=[draft.pk])).status_code == 404
    client.force_login(personas["handler_a"])
    assert (
        client.get(reverse("supervision:bulletin-detail", args=[sent_to_b.pk])).status_code == 404
    )
    assert client.get(reverse("supervision:bulletin-new")).status_code == 403
    # A step by someone who cannot see the bulletin is a 404, whatever the step.
    other = submitted(personas)
    for step in ("submit", "return_bulletin", "sign_off", "dispatch"):
        url = reverse("supervision:bulletin-step", args=[other.pk, step])
        assert client.post(url, {}).status_code == 404
    client.force_login(personas["outsider"])
    assert client.get(reverse("supervision:bulletin-list")).status_code == 403


def test_the_list_is_bounded(client, personas, units, django_assert_max_num_queries):
    for _ in range(3):
        signed(personas)
    drafted(personas, kind=Bulletin.Kind.SPECIAL_REPORT)
    client.force_login(personas["supervisor"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("supervision:bulletin-list"), {"kind": "bulletin"})
    assert page.content.decode().count("data-bulletin=") == 3


def test_the_detail_page_is_bounded(client, personas, units, ledger, django_assert_max_num_queries):
    bulletin = submitted(personas)
    client.force_login(personas["leader"])
    with django_assert_max_num_queries(16):
        page = client.get(reverse("supervision:bulletin-detail", args=[bulletin.pk]))
    assert "签发" in page.content.decode() and "退回修改" in page.content.decode()


# --- the print -----------------------------------------------------------------------------------


@pytest.fixture
def pdf_settings(tmp_path):
    with override_settings(PDF_CACHE_DIR=tmp_path / "pdf-cache", OFFICIAL_FONTS_DIR=""):
        yield


def test_the_print_reads_back(client, personas, units, ledger, pdf_settings):
    bulletin = signed(personas)  # the parts the supervisor left empty are not printed
    client.force_login(personas["supervisor"])
    response = client.get(reverse("supervision:bulletin-pdf", args=[bulletin.pk]))
    assert response["Content-Type"] == "application/pdf"
    lines = all_text(read(response.content))
    text = "".join(lines)
    year = timezone.localdate().year
    end = period()[1]
    assert "督查通报" in lines[0]
    assert "第1期" in text and f"{year}年第1期" not in text
    assert (
        f"截至{end.year}年{end.month}月{end.day}日，共督办事项5项，已办结2项，办结率40.0%，"
        "按期办结率20.0%，逾期未办结2项。" in text
    )
    for heading in ("一、总体情况", "二、各单位办理情况", "三、逾期未办结事项"):
        assert heading in text
    assert "四、" not in text
    unit_row = next(line for line in lines if "珠海市教育局" in line and "66.7%" in line)
    assert unit_row.replace(" ", "").endswith("32" + "66.7%" + "33.3%" + "1")
    assert ledger[3].item_number in text
    assert "印发" in lines[-1] or any("印发" in line for line in lines[-3:])
    assert "征求意见稿" not in text


def test_a_draft_prints_with_a_watermark_and_no_number(personas, units, ledger, pdf_settings):
    bulletin = drafted(personas)
    flow.revise(
        bulletin,
        actor=personas["supervisor"],
        title=bulletin.title,
        good_examples="市教育局建立周调度机制。",
        bad_examples="个别单位进度滞后。",
    )
    context = flow.bulletin_context(fresh(bulletin))
    assert context["watermark"] == "征求意见稿" and context["issue"] == ""
    headings = [s["heading"] for s in context["sections"]]
    assert headings == [
        "一、总体情况",
        "二、各单位办理情况",
        "三、逾期未办结事项",
        "四、工作成效和典型经验",
        "五、存在问题",
    ]
    pages = read(flow.render_bulletin(fresh(bulletin)))
    assert any(c["text"] == "征" for page in pages for c in page.chars if c["size"] >= 50)


def test_the_desk_shows_who_must_act_on_a_bulletin(personas, units):
    from supervision.desk import supervision_desk_items

    def labels(persona):
        return [
            (row.state_label, row.title)
            for row in supervision_desk_items(personas[persona])
            if row.url.startswith("/supervision/bulletins/")
        ]

    bulletin = submitted(personas)
    assert labels("leader") == [("待签发", f"督查通报：{bulletin.title}")]
    assert labels("supervisor") == []
    flow.sign_off(bulletin, actor=personas["leader"])
    assert labels("leader") == []
    assert labels("supervisor") == [("已签发，待印发", f"督查通报：{bulletin.title}")]
    assert labels("handler_a") == []
