"""The proposer's rating link (`rate/<token>/`, proposals.views.ratings): a public page — no
account, not the login page — showing the item and the round's reply, taking 办理态度, 办理结果
and 意见和建议, then a thank-you page; a second submission, a link of an earlier round or of an
item not waiting for a rating gets 「本轮评价已完成」 (or says why), an expired or forged link a
clear Chinese page; CSRF protection stays on."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from office.models import TrailEvent
from proposals import workflow as flow
from proposals.models import Proposal, Rating
from tests.proposals.test_workflow import (
    approved,
    freeze,
    make_session,
    replied,
    second_round_replied,
)
from tests.steps import fresh

pytestmark = pytest.mark.django_db

S = Proposal.State
L = Rating.Level


@pytest.fixture
def session(db):
    return make_session()


def link(proposal):
    return reverse("proposals:rate-by-link", args=[flow.rating_token(proposal)])


def body(response):
    return response.content.decode()


def plain(html):
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_the_proposer_rates_without_an_account(client, personas, units, session):
    proposal = replied(personas, units, session)
    url = link(proposal)
    page = client.get(url)
    assert page.status_code == 200
    text = plain(body(page))
    for expected in (
        "十六届人大三次会议",
        "建议第0123号",
        "关于增加城区学位供给的建议",
        "珠海市教育局",
        "B类",
        "所提问题已列入计划、正在解决",
        "一、关于学位供给。今年新建学校3所，新增学位5400个。",
        "办理态度",
        "办理结果",
        "意见和建议",
    ):
        assert expected in text, expected
    assert text.count("基本满意") == 2  # one choice in each of the two rows
    assert "用户登录" not in text and "shell-sidebar" not in body(page)

    response = client.post(
        url,
        {"attitude": L.SATISFIED, "result": L.BASICALLY_SATISFIED, "remarks": "感谢认真办理。"},
        REMOTE_ADDR="203.0.113.7",
    )
    done = reverse("proposals:rate-by-link-done", args=[url.split("/")[-2]])
    assert response.status_code == 302 and response["Location"] == done
    thanks = plain(body(client.get(done)))
    assert "感谢您的评价" in thanks and "本件办理完毕" in thanks
    assert "办理态度满意" in thanks and "办理结果基本满意" in thanks

    rating = Rating.objects.get()
    assert (rating.round, rating.attitude, rating.result, rating.remarks) == (
        1,
        L.SATISFIED,
        L.BASICALLY_SATISFIED,
        "感谢认真办理。",
    )
    assert (rating.channel, rating.entered_by) == (Rating.Channel.LINK, None)
    assert fresh(proposal).state == S.CLOSED
    event = TrailEvent.objects.get(action="rate", object_id=proposal.pk)
    assert (event.actor, event.ip) == (None, "203.0.113.7")


def test_a_second_submission_says_the_round_is_rated(client, personas, units, session):
    proposal = replied(personas, units, session)
    url = link(proposal)
    choice = {"attitude": L.SATISFIED, "result": L.SATISFIED}
    assert client.post(url, choice).status_code == 302
    again = client.post(url, {"attitude": L.DISSATISFIED, "result": L.DISSATISFIED})
    assert again.status_code == 409
    assert "本轮评价已完成" in body(again)
    reopened = client.get(url)
    assert reopened.status_code == 200
    assert "本轮评价已完成" in body(reopened) and 'name="attitude"' not in body(reopened)
    assert Rating.objects.get().result == L.SATISFIED


def test_dissatisfied_thanks_and_announces_the_second_round(client, personas, units, session):
    proposal = replied(personas, units, session)
    first = link(proposal)
    client.post(first, {"attitude": L.SATISFIED, "result": L.DISSATISFIED, "remarks": "未解决"})
    proposal = fresh(proposal)
    assert (proposal.state, proposal.round) == (S.HANDLING, 2)
    token = first.split("/")[-2]
    thanks = body(client.get(reverse("proposals:rate-by-link-done", args=[token])))
    assert "承办单位将重新办理" in thanks
    # The first round's link is spent; the second round's link rates once its reply is out.
    assert "本轮评价已完成" in body(client.get(first))
    early = link(proposal)
    assert "答复函尚未送达" in body(client.get(early))
    proposal = second_round_replied(personas, proposal)
    assert "本轮评价已完成" in body(client.get(first))
    second = client.get(early)
    assert "经重新办理，现再次答复如下：问题已解决。" in body(second)
    assert "第2轮（重新办理）" in body(second)
    client.post(early, {"attitude": L.DISSATISFIED, "result": L.DISSATISFIED})
    assert fresh(proposal).state == S.CLOSED
    assert list(Rating.objects.order_by("round").values_list("round", "result")) == [
        (1, L.DISSATISFIED),
        (2, L.DISSATISFIED),
    ]


def test_missing_choices_come_back_in_chinese_with_the_input_kept(client, personas, units, session):
    proposal = replied(personas, units, session)
    response = client.post(link(proposal), {"attitude": L.SATISFIED, "remarks": "尽快解决"})
    assert response.status_code == 400
    text = body(response)
    assert "请对办理结果作出评价。" in text
    assert "尽快解决" in text
    assert re.search(r'value="satisfied"[^>]*checked', text)
    too_long = client.post(
        link(proposal), {"attitude": L.SATISFIED, "result": L.SATISFIED, "remarks": "长" * 1001}
    )
    assert too_long.status_code == 400
    assert "意见和建议最多 1000 字（现有 1001 字）。" in body(too_long)
    assert not Rating.objects.exists() and fresh(proposal).state == S.REPLIED


def test_an_expired_or_forged_link_gets_a_clear_page(client, personas, units, session):
    proposal = replied(personas, units, session)
    url = link(proposal)
    forged = client.get(url[:-3] + "xx/")
    assert forged.status_code == 400 and "评价链接无效" in body(forged)
    later = timezone.now() + datetime.timedelta(days=flow.RATING_LINK_DAYS + 1)
    with freeze(later):
        expired = client.get(url)
        posted = client.post(url, {"attitude": L.SATISFIED, "result": L.SATISFIED})
    assert expired.status_code == 400 and "评价链接已过期" in body(expired)
    assert posted.status_code == 400 and not Rating.objects.exists()
    done = client.get(reverse("proposals:rate-by-link-done", args=["forged"]))
    assert done.status_code == 400 and "评价链接无效" in body(done)


def test_before_the_reply_is_sent_the_link_waits(client, personas, units, session):
    proposal = approved(personas, units, session)
    page = client.get(link(proposal))
    assert page.status_code == 200
    assert "答复函尚未送达，暂不能评价" in body(page) and 'name="attitude"' not in body(page)
    posted = client.post(link(proposal), {"attitude": L.SATISFIED, "result": L.SATISFIED})
    assert posted.status_code == 409 and not Rating.objects.exists()
    # The thank-you page of an unrated round leads back to the form.
    token = link(proposal).split("/")[-2]
    response = client.get(reverse("proposals:rate-by-link-done", args=[token]))
    assert response.status_code == 302 and response["Location"] == link(proposal)


def test_csrf_protection_stays_on(personas, units, session):
    proposal = replied(personas, units, session)
    strict = Client(enforce_csrf_checks=True)
    url = link(proposal)
    assert strict.post(url, {"attitude": L.SATISFIED, "result": L.SATISFIED}).status_code == 403
    form = strict.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body(form)).group(1)
    response = strict.post(
        url, {"attitude": L.SATISFIED, "result": L.SATISFIED, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Rating.objects.count() == 1


def test_only_the_link_pages_are_public(client, personas, units, session):
    proposal = replied(personas, units, session)
    for url in (
        reverse("proposals:proposal-detail", args=[proposal.pk]),
        reverse("proposals:reply-pdf", args=[proposal.pk, 1]),
        reverse("proposals:feedback-form-pdf", args=[proposal.pk]),
        "/proposals/rate/",
        "/proposals/no-such-page/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_a_signed_in_user_sees_the_same_public_page(client, personas, units, session):
    """A handling unit's person who opens the proposer's link is not the proposer; the link is
    the credential, so the page is the same — but the office never hands it to a unit
    (the feedback form is the office's only, tests/proposals/test_pdf.py)."""
    proposal = replied(personas, units, session)
    client.force_login(personas["handler_a"])
    page = client.get(link(proposal))
    assert page.status_code == 200 and 'name="attitude"' in body(page)
