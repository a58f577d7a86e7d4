"""The demo's 建议提案办理 (proposals.seed, DOMAIN.md §7): the year's 人大 and 政协 sessions at the
scale of one city office, the A/B/C split and the 满意率 the statistics show, every item's rows
consistent with its state, work waiting on the desks now, and a second run that adds nothing.

The core and the proposals are seeded once for the module inside a transaction rolled back at
the end (the trail refuses DELETE); each test runs in a savepoint inside it."""

import time
from collections import Counter
from itertools import pairwise

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from office.calendar import Light
from office.models import TrailEvent
from office.seed import SEEDERS, run_seeders
from proposals import measures
from proposals.desk import proposals_desk_items
from proposals.lights import with_light
from proposals.models import (
    Author,
    MergeGroup,
    Proposal,
    Rating,
    ReassignmentRequest,
    ReplyLetter,
    Session,
    add_months,
)
from proposals.reply_templates import salutation
from proposals.seed import seed_proposals, session_name, session_year
from proposals.seed.plan import LEADER_OF
from proposals.seed.texts import DELEGATIONS, SECTORS

pytestmark = pytest.mark.django_db

S = Proposal.State
L = Rating.Level


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """(demo, seconds the 建议提案 seeder took)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            demo = run_seeders(["office.seed.core.seed_core"])
            started = time.monotonic()
            demo.update(seed_proposals(demo))
            elapsed = time.monotonic() - started
        connection.check_constraints()
        yield demo, elapsed
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded):
    return seeded[0]


def sessions():
    return (
        Session.objects.get(body=Session.Body.NPC),
        Session.objects.get(body=Session.Body.CPPCC),
    )


def items():
    return Proposal.objects.select_related("session").prefetch_related(
        "replies", "ratings", "contacts", "co_opinions", "co_units", "authors"
    )


def test_quick_and_last_in_the_seeders(seeded):
    assert seeded[1] < 10
    assert SEEDERS[-1] == "proposals.seed.seed_proposals"


def test_the_year_sessions_at_the_scale_of_one_city_office(demo):
    npc, cppcc = sessions()
    year = session_year(timezone.localdate())
    assert npc.name == session_name(Session.Body.NPC, year)
    assert cppcc.name == session_name(Session.Body.CPPCC, year)
    assert session_name(Session.Body.NPC, 2026) == "十六届人大五次会议"
    assert session_name(Session.Body.CPPCC, 2026) == "十三届政协五次会议"
    assert session_name(Session.Body.NPC, 2027) == "十七届人大一次会议"
    assert (npc.year, npc.opened_on.month, npc.reply_months) == (year, 1, 3)
    assert cppcc.opened_on < npc.opened_on <= timezone.localdate()
    count = Counter(Proposal.objects.values_list("session__body", "kind", "is_key"))
    K = Proposal.Kind
    assert count[("npc", K.SUGGESTION, True)] == 6
    assert count[("npc", K.SUGGESTION, False)] == 185
    assert count[("npc", K.BILL, False)] == 2
    assert count[("cppcc", K.PROPOSAL, True)] == 20
    assert count[("cppcc", K.PROPOSAL, False)] == 426
    assert len(demo["proposals"]) == 639
    # 交办会 about two weeks after the session; the reply is due three months after it.
    for item in Proposal.objects.select_related("session"):
        assert 10 <= (item.assigned_on - item.session.closed_on).days <= 28
        if item.round == 1:
            assert item.deadline == add_months(item.assigned_on, 3)


def test_titles_categories_and_proposers_look_real(demo):
    titles = list(Proposal.objects.values_list("session__body", "title"))
    assert len({t for t in titles}) == len(titles)
    for body, title in titles:
        assert title.startswith("关于")
        assert title.endswith(("的建议", "的议案") if body == "npc" else "的提案")
    categories = Counter(Proposal.objects.values_list("category", flat=True))
    assert set(categories) == {
        "教育", "医疗卫生", "城市建设", "交通", "生态环境",
        "营商环境", "社会保障", "文化旅游", "农业农村", "公共安全",
    }  # fmt: skip
    assert min(categories.values()) >= 25
    leads = Author.objects.filter(role=Author.Role.LEAD)
    assert leads.count() == 639
    delegations = {name for name, _ in DELEGATIONS}
    sectors = {name for name, _ in SECTORS}
    for author in Author.objects.select_related("proposal__session"):
        body = author.proposal.session.body
        assert author.delegation in (delegations if body == "npc" else sectors)
    co = Counter(Author.objects.filter(role=Author.Role.CO).values_list("proposal", flat=True))
    assert sum(1 for n in co.values() if n >= 3) > 100
    assert leads.filter(name__endswith="市委会", affiliation="").exists()  # 集体提案


def test_lead_units_fit_and_co_units_on_about_three_in_ten(demo):
    units = demo["units"]
    education = Proposal.objects.filter(category="教育", lead_unit=units["education"]).count()
    assert education >= 0.7 * Proposal.objects.filter(category="教育").count()
    with_co = Proposal.objects.filter(co_units__isnull=False).distinct().count()
    assert 0.2 * 639 <= with_co <= 0.4 * 639
    key_of = {unit.pk: key for key, unit in units.items()}
    users = demo["users"]
    for item in Proposal.objects.filter(is_key=True):
        leader = LEADER_OF.get(key_of[item.lead_unit_id], "executive_vice_mayor")
        assert item.key_leader == users[leader]
        assert "副市长" in item.key_leader.title


def test_class_split_and_satisfaction_as_the_statistics_count_them(demo):
    figures = measures.figures(Proposal.objects.all())
    assert figures.received == figures.assigned == 639
    assert figures.replied >= 620
    shares = {code: figures.class_share(code) for code in "ABC"}
    assert 50 <= shares["A"] <= 60, shares
    assert 30 <= shares["B"] <= 40, shares
    assert 6 <= shares["C"] <= 14, shares
    assert 96 <= figures.first_satisfaction_rate <= 98.5
    assert figures.final_satisfaction_rate > figures.first_satisfaction_rate
    assert figures.rehandled >= 15
    assert 5 <= figures.overdue <= 10
    assert 10 <= figures.replied_late <= 50
    # Counted directly: (满意 + 基本满意) ÷ rated over the first round's results.
    first = list(Rating.objects.filter(round=1).values_list("result", flat=True))
    content = sum(1 for r in first if r != L.DISSATISFIED)
    assert figures.result_first.rated == len(first)
    assert figures.result_first.content == content


def test_every_item_rows_fit_its_state(demo):
    for item in items():
        letters = {r.round: r for r in item.replies.all()}
        ratings = {r.round: r for r in item.ratings.all()}
        sent = {n for n, r in letters.items() if r.sent_on}
        contacts = {c.round for c in item.contacts.all()}
        opinions = Counter(o.round for o in item.co_opinions.all())
        n = item.round
        assert item.lead_unit_id and item.assigned_on and item.deadline
        assert set(ratings) <= sent <= set(letters)
        for r in sent:
            # A reply only after a contact and every co-unit's opinion of the round.
            assert r in contacts, item
            assert opinions[r] == len(item.co_units.all()), item
            assert letters[r].signed_at and letters[r].sent_on >= item.assigned_on
        if n == 2:
            assert ratings[1].result == L.DISSATISFIED and 1 in sent
        elif 1 in ratings:
            assert ratings[1].result != L.DISSATISFIED
        if item.state in (S.REPLIED, S.RATED, S.CLOSED):
            assert n in sent and item.replied_on == letters[n].sent_on
        else:
            assert n not in sent and item.replied_on is None
        if item.state == S.REPLIED:
            assert n not in ratings
        if item.state == S.CLOSED:
            assert n in ratings and item.closed_on == timezone.localtime(ratings[n].rated_at).date()
            assert len(letters) == len(ratings) == n
        else:
            assert item.closed_on is None
        if item.state == S.REPLY_SUBMITTED:
            assert letters[n].signed_at is None
        if item.state == S.REPLY_APPROVED:
            assert letters[n].signed_at and not letters[n].sent_on
        for letter in letters.values():
            assert letter.body.startswith(salutation(item) + "：")
            assert "……" not in letter.body
            assert item.number_text in letter.body
        for rating in ratings.values():
            if rating.channel == Rating.Channel.OFFICE:
                assert rating.entered_by == demo["users"]["secretary_proposals"]
            else:
                assert rating.entered_by is None


def test_the_trail_tells_each_step(demo):
    item_type = ContentType.objects.get_for_model(Proposal)
    trail = TrailEvent.objects.filter(content_type=item_type).order_by("at", "id")
    by_item = {}
    for event in trail.values("object_id", "action", "from_state", "to_state"):
        by_item.setdefault(event["object_id"], []).append(event)
    labels = dict(S.choices)
    for item in Proposal.objects.all():
        events = by_item[item.pk]
        assert events[0]["action"] == "register"
        moves = [e for e in events if e["to_state"]]
        for before, after in pairwise(moves):
            assert after["from_state"] == before["to_state"], (item, before, after)
        assert moves[-1]["to_state"] == labels[item.state]
    actions = Counter(trail.values_list("action", flat=True))
    assert actions["register"] == actions["assign"] == 639
    assert actions["rate"] == Rating.objects.count()
    assert actions["send_reply"] == ReplyLetter.objects.filter(sent_on__isnull=False).count()
    assert actions["rehandle"] == Proposal.objects.filter(round=2).count()
    assert actions["merge"] == 4
    assert actions["return_reply"] >= 5


def test_reassignments_merges_and_work_waiting_now(demo):
    requests = ReassignmentRequest.objects.select_related("proposal")
    outcomes = Counter(requests.values_list("outcome", flat=True))
    assert outcomes == {"approved": 7, "rejected": 5}
    for request in requests.filter(outcome="approved"):
        assert request.proposal.lead_unit_id == request.suggested_unit_id != request.unit_id
    for request in requests.filter(outcome="rejected"):
        assert request.proposal.lead_unit_id == request.unit_id
    assert MergeGroup.objects.count() == 2
    for group in MergeGroup.objects.all():
        pair = list(group.proposals.select_related("session"))
        assert sorted(p.session.body for p in pair) == ["cppcc", "npc"]
        assert len({p.lead_unit_id for p in pair}) == 1
        assert all(p.replies.exists() for p in pair)
    lights = Counter(
        with_light(Proposal.objects.filter(state__in=Proposal.IN_HAND)).values_list(
            "light", flat=True
        )
    )
    assert lights[Light.RED] >= 5 and lights[Light.GREEN] + lights[Light.YELLOW] >= 2
    assert Proposal.objects.filter(state=S.REPLIED).count() >= 8
    users = demo["users"]
    office_desk = [row.state_label for row in proposals_desk_items(users["secretary_proposals"])]
    assert sum("待录入评价" in label for label in office_desk) >= 8
    unit_rows = sum(
        len(proposals_desk_items(users[key]))
        for key in ("education_handler", "housing_handler", "transport_handler", "health_handler",
                    "development_handler", "finance_handler", "xiangzhou_handler")
    )  # fmt: skip
    assert unit_rows >= 5
    heads = sum(
        "待签发答复" in row.state_label
        for key in ("education_head", "housing_head", "transport_head", "development_head",
                    "finance_head", "xiangzhou_head")
        for row in proposals_desk_items(users[key])
    )  # fmt: skip
    assert heads >= 2


def test_a_second_run_adds_nothing(demo):
    before = (
        Proposal.objects.count(),
        TrailEvent.objects.count(),
        ReplyLetter.objects.count(),
        MergeGroup.objects.count(),
        Session.objects.count(),
    )
    again = seed_proposals(demo)
    assert again["proposals"] == demo["proposals"]
    assert (
        Proposal.objects.count(),
        TrailEvent.objects.count(),
        ReplyLetter.objects.count(),
        MergeGroup.objects.count(),
        Session.objects.count(),
    ) == before


def test_the_pages_show_a_re_handled_item_and_the_ledger(demo, client):
    client.force_login(demo["users"]["secretary_proposals"])
    item = Proposal.objects.filter(round=2, state=S.CLOSED).order_by("number").first()
    page = client.get(reverse("proposals:proposal-detail", args=[item.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert item.title in text and "重新办理（第2轮）" in text
    for letter in item.replies.all():
        assert f"{letter.reply_class}类" in text
    assert client.get(reverse("proposals:proposal-list")).status_code == 200
