"""proposals.measures pinned on a known year (tests/proposals/known_set.py: DOMAIN.md §7's 191
suggestions with 6 key and 446 proposals with 20 key): 收到, 交办, 办复 and 办复率, the A/B/C split
by each item's latest sent reply, 初次 and 最终 满意率 (result and attitude) with their exact
decimals, 重新办理, 逾期 on the as-of day and 逾期答复 against the deadline that applied to the
first reply; and the same figures read from what the workflow itself writes."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from office.figures import percent, rate_text
from proposals import measures, workflow
from proposals.models import Contact, Proposal, Rating, Session
from tests.proposals.known_set import AS_OF, known_year

SAT, BASIC, DISSAT = (
    Rating.Level.SATISFIED,
    Rating.Level.BASICALLY_SATISFIED,
    Rating.Level.DISSATISFIED,
)


@pytest.fixture
def year(personas, units):
    return known_year(personas, units)


def figures_of(session=None):
    items = Proposal.objects.all() if session is None else Proposal.objects.filter(session=session)
    return measures.figures(items, as_of=AS_OF)


def test_the_suggestions_of_the_npc_session(year):
    npc, _ = year
    f = figures_of(npc)
    assert (f.received, f.key, f.assigned, f.replied) == (191, 6, 190, 188)
    assert f.reply_rate == Decimal("98.9")  # 188 ÷ 190
    assert dict(f.classes) == {"A": 120, "B": 50, "C": 18}
    assert [f.class_share(c) for c in "ABC"] == [Decimal("63.8"), Decimal("26.6"), Decimal("9.6")]
    assert (f.result_first.rated, f.result_first.content) == (185, 180)
    assert f.first_satisfaction_rate == Decimal("97.3")  # 180 ÷ 185
    assert (f.result_final.rated, f.result_final.content) == (185, 184)
    assert f.final_satisfaction_rate == Decimal("99.5")  # 184 ÷ 185
    assert f.first_attitude_rate == Decimal("98.9")  # 183 ÷ 185
    assert f.final_attitude_rate == Decimal("98.9")
    assert (f.rehandled, f.overdue, f.replied_late) == (5, 1, 11)


def test_the_proposals_of_the_cppcc_session(year):
    _, cppcc = year
    f = figures_of(cppcc)
    assert (f.received, f.key, f.assigned, f.replied) == (446, 20, 446, 443)
    assert f.reply_rate == Decimal("99.3")  # 443 ÷ 446
    assert dict(f.classes) == {"A": 251, "B": 137, "C": 55}
    assert f.first_satisfaction_rate == Decimal("96.6")  # 423 ÷ 438
    assert (f.result_final.content, f.result_final.dissatisfied) == (434, 4)
    assert f.final_satisfaction_rate == Decimal("99.1")  # 434 ÷ 438
    assert f.first_attitude_rate == Decimal("100.0")
    assert (f.rehandled, f.overdue, f.replied_late) == (15, 3, 20)


def test_the_year_adds_both_sessions(year):
    f = figures_of()
    assert (f.received, f.key, f.assigned, f.replied) == (637, 26, 636, 631)
    assert f.reply_rate == Decimal("99.2")  # 631 ÷ 636
    assert [f.class_share(c) for c in "ABC"] == [Decimal("58.8"), Decimal("29.6"), Decimal("11.6")]
    assert f.first_satisfaction_rate == Decimal("96.8")  # 603 ÷ 623
    assert f.final_satisfaction_rate == Decimal("99.2")  # 618 ÷ 623
    assert f.first_attitude_rate == Decimal("99.7")  # 621 ÷ 623
    assert (f.rehandled, f.overdue, f.replied_late) == (20, 4, 31)


def test_an_unsent_letter_is_not_a_reply(year):
    _, cppcc = year
    submitted = Proposal.objects.get(session=cppcc, state=Proposal.State.REPLY_SUBMITTED)
    (facts,) = measures.item_facts(Proposal.objects.filter(pk=submitted.pk), as_of=AS_OF)
    assert not facts.replied and facts.reply_class == "" and facts.overdue


def test_overdue_is_counted_on_the_as_of_day(year):
    npc, _ = year
    assert figures_of(npc).overdue == 1
    before = measures.figures(
        Proposal.objects.filter(session=npc), as_of=datetime.date(2026, 5, 10)
    )
    assert before.overdue == 0  # due on 10 May: not yet late that day
    later = measures.figures(Proposal.objects.filter(session=npc), as_of=datetime.date(2026, 8, 2))
    assert later.overdue == 3  # and the item due 1 August, and round 2 due 15 July


def test_a_re_handled_key_item_was_late_by_its_first_deadline(year):
    """Its deadline now is the re-handling one (15 July); its first reply (20 April) is measured
    against the key items' two months from 10 February: 10 April."""
    npc, _ = year
    item = Proposal.objects.get(session=npc, round=2, is_key=True)
    assert item.deadline == datetime.date(2026, 7, 15)
    (facts,) = measures.item_facts(Proposal.objects.filter(pk=item.pk), as_of=AS_OF)
    assert facts.replied_late and facts.rehandled and facts.reply_class == "C"
    assert measures.first_deadline(item) == datetime.date(2026, 4, 10)


def test_nothing_to_divide_by_is_no_rate():
    f = measures.tally([])
    assert f.reply_rate is None and f.first_satisfaction_rate is None
    assert f.class_share("A") is None
    assert rate_text(f.reply_rate) == "—"
    assert percent(2, 3) == Decimal("66.7") and percent(1, 8) == Decimal("12.5")
    assert rate_text(Decimal("99.5")) == "99.5%"


def test_the_figures_take_one_query_and_the_calendar(year, django_assert_max_num_queries):
    """One read of the items (the red light's warning window reads the working-day calendar)."""
    with django_assert_max_num_queries(2):
        measures.figures(Proposal.objects.all(), as_of=AS_OF)


def test_the_figures_read_what_the_workflow_writes(personas, units):
    """交办 → 沟通联系 → 答复函 (C) → 签发 → 答复 → 不满意 → 重新办理: the item counts as assigned,
    replied (class C), rated 不满意 first and re-handled; the second reply (B) and a 满意 make the
    final rate 100% and the class B."""
    session = Session.objects.create(
        body=Session.Body.NPC, name="十六届人大四次会议", year=2027, opened_on=timezone.localdate()
    )
    item = Proposal.objects.create(
        session=session,
        kind=Proposal.Kind.SUGGESTION,
        number=1,
        title="关于增加学位供给的建议",
        registered_by=personas["secretary"],
    )
    handler, head, office = personas["handler_a"], personas["head_a"], personas["secretary"]
    workflow.assign(item, actor=office, lead_unit=units["a"])
    workflow.accept(item, actor=handler)

    def reply(code):
        workflow.record_contact(
            item,
            actor=handler,
            contacted_on=timezone.localdate(),
            way=Contact.Way.PHONE,
            people="代表；市教育局",
            content="当面沟通办理意见",
        )
        workflow.draft_reply(item, actor=handler, reply_class=code, body="答复内容")
        workflow.submit_reply(item, actor=handler)
        workflow.approve_reply(item, actor=head)
        workflow.send_reply(item, actor=handler)

    items = Proposal.objects.filter(pk=item.pk)
    reply("C")
    workflow.rate(item, actor=office, attitude=BASIC, result=DISSAT)
    f = measures.figures(items)
    assert (f.assigned, f.replied, f.rehandled, f.replied_late) == (1, 1, 1, 0)
    assert dict(f.classes) == {"C": 1}
    assert f.first_satisfaction_rate == Decimal("0.0") and f.first_attitude_rate == Decimal("100.0")
    item.refresh_from_db()
    reply("B")
    workflow.rate(item, actor=office, attitude=SAT, result=SAT)
    f = measures.figures(items)
    assert dict(f.classes) == {"B": 1} and f.replied == 1
    assert f.first_satisfaction_rate == Decimal("0.0")
    assert f.final_satisfaction_rate == Decimal("100.0")
