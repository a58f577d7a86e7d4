"""What goes to the proposer (DOMAIN.md §7; issue 7 items 4–5): the printed reply letter, the
feedback form the office sends on paper, and the proposer's own rating through a signed link.

- `replies/<pk>/<round>/print.pdf` (reply-pdf): the round's 答复函 in the letter format
  (proposals.pdf), for anyone who can see the item (404 otherwise, and for a round without a
  letter); its QR code carries the item page's absolute URL, checked again when scanned.
- `<pk>/feedback-form.pdf` (feedback-form-pdf): the 征询意见表 with the boxes for 办理态度 and
  办理结果 and the QR code of the rating link — for the office only (permissions.can_rate: a
  handling unit never gets the link to rate its own work), once the round's reply is signed.
- `rate/<token>/` (rate-by-link) and `rate/<token>/thanks/` (rate-by-link-done): public pages,
  marked `login_not_required` so office.middleware lets them through without a sign-in. The
  signed token (workflow.rating_token: item and round, valid RATING_LINK_DAYS) is the only
  credential; the page shows the item and the round's reply text and takes 办理态度, 办理结果 and
  意见和建议 (workflow.rate with actor None). A link of an earlier round, an item not waiting
  for a rating or a second submission gets 「本轮评价已完成」; an expired or forged link a page
  that says so — never an error page, never the login page. CSRF protection stays on.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from office.downloads import content_disposition
from office.forms import add_service_errors
from office.trail import client_ip
from office.workflow import InvalidTransition

from .. import pdf
from .. import permissions as can
from .. import workflow as flow
from ..forms import RatingForm
from ..models import Proposal, ReplyLetter
from ..selectors import proposal_get_or_404

S = Proposal.State
REMARKS_MAX = 1000
DONE = "本轮评价已完成"


def _pdf_response(data, *, name, fallback):
    response = HttpResponse(data, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"  # a business document: kept by no cache
    response["Content-Disposition"] = content_disposition(name, fallback=fallback, inline=True)
    return response


def reply_pdf(request, pk, round):
    """答复函 of one round, for anyone who can see the item."""
    proposal = proposal_get_or_404(
        request.user, pk, Proposal.objects.select_related("session", "lead_unit")
    )
    letter = (
        ReplyLetter.objects.select_related("unit").filter(proposal=proposal, round=round).first()
    )
    if letter is None:
        raise Http404("该轮次尚无答复函。")
    letter.proposal = proposal
    data = pdf.render_reply(letter, url=pdf.proposal_link(request, proposal))
    return _pdf_response(
        data,
        name=f"{pdf.reply_title(proposal)}.pdf",
        fallback=f"reply-{proposal.pk}-{round}.pdf",
    )


def feedback_form_pdf(request, pk):
    """征询意见表 of the current round, for the office to send on paper."""
    proposal = proposal_get_or_404(
        request.user,
        pk,
        Proposal.objects.select_related("session", "lead_unit").prefetch_related(
            "authors", "co_units", "replies"
        ),
    )
    if not can.can_rate(request.user, proposal):
        raise PermissionDenied(
            "只有建议提案办理人员可以打印征询意见表，承办单位不能评价本单位的办理工作。"
        )
    if proposal.state not in (S.REPLY_APPROVED, S.REPLIED):
        messages.error(
            request,
            f"当前状态为“{proposal.get_state_display()}”：答复函签发后、评价前才能打印征询意见表。",
        )
        return redirect(flow.proposal_url(proposal))
    data = pdf.render_feedback_form(proposal, url=pdf.rating_link(request, proposal))
    return _pdf_response(
        data,
        name=f"征询意见表 {proposal.session.name}{proposal.number_text}.pdf",
        fallback=f"feedback-{proposal.pk}.pdf",
    )


# --- the proposer's rating link (public) -------------------------------------------------------


class LinkRatingForm(RatingForm):
    """The proposer's rating: the office's RatingForm with a bound on the free text."""

    remarks = forms.CharField(
        label="意见和建议",
        required=False,
        max_length=REMARKS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "意见和建议最多 %(limit_value)d 字（现有 %(show_value)d 字）。"
        },
    )


def _closed(request, message, *, proposal=None, status=200):
    """The page for a link that cannot (or can no longer) rate: a plain notice, status kept."""
    context = {"message": message, "proposal": proposal}
    return render(request, "proposals/rate_closed.html", context, status=status)


def _open_round(proposal, round_):
    """Why the link cannot rate now ("" when it can): the round must be the item's current one,
    its reply sent (已答复) and not yet rated."""
    if round_ != proposal.round or proposal.state in (S.RATED, S.CLOSED):
        return DONE
    if proposal.ratings.filter(round=round_).exists():
        return DONE
    if proposal.state != S.REPLIED:
        return "该件答复函尚未送达，暂不能评价。请在收到答复后再评价。"
    return ""


def _from_token(request, token):
    """(proposal, round, refusal page or None) for a link."""
    try:
        proposal, round_ = flow.proposal_for_token(token)
    except ValidationError as exc:
        return None, None, _closed(request, " ".join(exc.messages), status=400)
    return proposal, round_, None


@login_not_required
@require_http_methods(["GET", "POST"])
def rate_by_link(request, token):
    """The proposer rates the round's reply (no account: the signed link is the credential)."""
    proposal, round_, refused = _from_token(request, token)
    if refused:
        return refused
    reason = _open_round(proposal, round_)
    if reason:
        return _closed(
            request, reason, proposal=proposal, status=409 if request.method == "POST" else 200
        )
    form = LinkRatingForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            flow.rate(proposal, actor=None, ip=client_ip(request), **form.cleaned_data)
        except InvalidTransition:
            return _closed(request, DONE, proposal=proposal, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("proposals:rate-by-link-done", token)
    letter = proposal.replies.select_related("unit").filter(round=round_).first()
    context = {
        "proposal": proposal,
        "letter": letter,
        "reply_class_label": proposal.session.reply_class_label(letter.reply_class)
        if letter
        else "",
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "proposals/rate_form.html", context, status=status)


@login_not_required
def rate_by_link_done(request, token):
    """谢谢: what the proposer rated for the link's round."""
    proposal, round_, refused = _from_token(request, token)
    if refused:
        return refused
    rating = proposal.ratings.filter(round=round_).first()
    if rating is None:
        return redirect("proposals:rate-by-link", token)
    return render(request, "proposals/rate_done.html", {"proposal": proposal, "rating": rating})


urlpatterns = [
    path("replies/<int:pk>/<int:round>/print.pdf", reply_pdf, name="reply-pdf"),
    path("<int:pk>/feedback-form.pdf", feedback_form_pdf, name="feedback-form-pdf"),
    path("rate/<str:token>/", rate_by_link, name="rate-by-link"),
    path("rate/<str:token>/thanks/", rate_by_link_done, name="rate-by-link-done"),
]
