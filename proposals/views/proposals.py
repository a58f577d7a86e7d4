"""建议提案 pages (DOMAIN.md §7; issue 7 items 3, 4, 5): the list of the items a user may see with
its filters, lights and 批量交办; the item's page with everything about it — proposers,
content, scans, 并案, units, deadlines, requests for reassignment, contacts, co-units' opinions,
the reply letter and the rating of each round, history — and its steps: 交办, 同意调整 /
不同意调整, 录入评价 for the office; 接收, 申请调整, 沟通联系, 拟答复函, 提交答复, 答复 for the lead
unit; 签发答复 / 退回答复 for its head; 会办意见 for a co-unit.

Thin views: items are fetched through selectors (404 for what the user cannot see), each step's
permission is checked (403), one workflow call, POST-redirect-GET; a refused step comes back on
the page with status 400, its message and the input kept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, re_path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from office.downloads import stored_file_response
from office.pagination import InvalidCursor, Page, keyset_page
from office.selectors import responsible_units
from office.steps import Step, run_step, step_or_404, step_row
from office.trail import client_ip, history
from office.workflow import InvalidTransition

from .. import forms, lights, reply_templates, selectors
from .. import permissions as can
from .. import workflow as flow
from ..models import Author, Proposal, ReassignmentRequest, Scan

S = Proposal.State
PAGE_SIZE = 50
ORDER = ("-session_id", "kind", "number", "id")
KIND_NAMES = dict(Proposal.Kind.choices)
STATE_NAMES = dict(Proposal.State.choices)
LIST_PARAMS = tuple(forms.ProposalFilterForm.base_fields)


def _refusal(exc):
    if isinstance(exc, ValidationError):
        return "；".join(m.rstrip("。") for m in exc.messages) + "。"
    return str(exc.args[0]) if exc.args else str(exc)


def _label(proposal):
    return f"{KIND_NAMES.get(proposal.kind, '')}{proposal.number_text}"


def _maybe_reverse(name, args):
    """A link to a page another part of the work provides, only once it exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- 列表 ----------------------------------------------------------------------------------------


def _list_query(params):
    pairs = [(name, v) for name in LIST_PARAMS for v in params.getlist(name) if v.strip()]
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    return query.urlencode()


def _list_url(query=""):
    url = reverse("proposals:proposal-list")
    return f"{url}?{query}" if query else url


def _filtered(rows, filters, today):
    if "session" in filters:
        rows = rows.filter(session=filters["session"])
    if "kind" in filters:
        rows = rows.filter(kind=filters["kind"])
    state = filters.get("state")
    if state == forms.IN_HAND:
        rows = rows.filter(state__in=Proposal.IN_HAND)
    elif state:
        rows = rows.filter(state=state)
    if "lead_unit" in filters:
        rows = rows.filter(lead_unit=filters["lead_unit"])
    if "is_key" in filters:
        rows = rows.filter(is_key=filters["is_key"] == "1")
    if "category" in filters:
        rows = rows.filter(category=filters["category"])
    if "light" in filters:
        rows = rows.filter(lights.light_q(filters["light"], today))
    keyword = (filters.get("q") or "").strip()
    if keyword:
        match = Q(title__icontains=keyword) | Q(
            pk__in=Author.objects.filter(name__icontains=keyword).values("proposal_id")
        )
        digits = keyword.removeprefix("第").removesuffix("号")
        if digits.isdigit():
            match |= Q(number=int(digits))
        rows = rows.filter(match)
    return rows


def _page(rows, after):
    """Keys first from the filtered items alone, then the page's rows with what the table
    shows: the session, units, lead proposer and light, in a fixed number of queries."""
    keys = keyset_page(rows.only("id", "session_id", "kind", "number"), order=ORDER, after=after)
    wanted = [p.pk for p in keys.rows]
    full = {}
    if wanted:
        leads = (
            Author.objects.filter(role=Author.Role.LEAD)
            .only("proposal_id", "name", "role")
            .order_by("position", "id")
        )
        full = (
            lights.with_light(Proposal.objects.filter(pk__in=wanted))
            .select_related("session", "lead_unit")
            .prefetch_related("co_units", Prefetch("authors", queryset=leads))
            .in_bulk()
        )
    return Page(rows=[full[pk] for pk in wanted], next_cursor=keys.next_cursor, size=keys.size)


def _rows(proposals, today):
    return [
        {
            "p": p,
            "url": reverse("proposals:proposal-detail", args=[p.pk]),
            "kind_name": KIND_NAMES.get(p.kind, p.kind),
            "state_name": STATE_NAMES.get(p.state, p.state),
            "lead_name": next((a.name for a in p.authors.all()), ""),
            "co_names": "、".join(u.short_name or u.name for u in p.co_units.all()),
            "light_label": lights.LIGHT_LABELS.get(p.light, ""),
            "light_words": lights.light_words(p, today),
            "can_tick": p.state == S.REGISTERED,
        }
        for p in proposals
    ]


def proposal_list(request):
    user = request.user
    today = timezone.localdate()
    visible = selectors.proposals_visible_to(user)
    categories = (
        visible.exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )
    form = forms.ProposalFilterForm(request.GET or None, categories=list(categories))
    rows = _filtered(visible, form.filters(), today)
    cursor_error = ""
    try:
        page = _page(rows, request.GET.get("after"))
    except InvalidCursor as exc:
        cursor_error = str(exc)
        page = _page(rows, None)
    managing = can.can_manage(user)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(page.rows, today),
        "cursor_error": cursor_error,
        "query": _list_query(request.GET),
        "list_url": reverse("proposals:proposal-list"),
        "can_manage": managing,
        # 批量交办's unit selects: the units read once for both.
        "bulk_units": list(responsible_units().order_by("sort_order", "id")) if managing else [],
    }
    template = "proposals/proposal_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_POST
def bulk_assign(request):
    """批量交办 (the office): each ticked item is fetched again through the user's visibility and
    assigned by its own workflow step; one message names the refusals item by item."""
    if not can.can_manage(request.user):
        raise PermissionDenied("只有建议提案办理人员可以交办。")
    back = _list_url(_list_query(QueryDict(request.POST.get("query", ""))))
    form = forms.BulkAssignForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    ids = form.cleaned_data["items"]
    lead, co = form.cleaned_data["lead_unit"], list(form.cleaned_data["co_units"])
    items = selectors.proposals_visible_to(request.user).filter(pk__in=ids)
    items = list(items.select_related("session").order_by("kind", "number", "id"))
    ip = client_ip(request)
    done, refused = 0, []
    for proposal in items:
        try:
            flow.assign(proposal, actor=request.user, lead_unit=lead, co_units=co, ip=ip)
        except (InvalidTransition, ValidationError, PermissionDenied) as exc:
            refused.append(f"{_label(proposal)} {_refusal(exc).rstrip('。')}")
        else:
            done += 1
    unseen = len(ids) - len(items)
    if unseen:
        refused.append(f"另有 {unseen} 件不存在或您无权查看")
    text = f"已交办 {done} 件（主办：{lead.name}）"
    if refused:
        failed = len(items) - done + unseen
        messages.warning(request, f"{text}；{failed} 件未交办：{'；'.join(refused)}。")
    else:
        messages.success(request, f"{text}。")
    return redirect(back)


# --- 详情与办理步骤 -------------------------------------------------------------------------------


def _proposals():
    return lights.with_light(
        Proposal.objects.select_related(
            "session", "lead_unit", "key_leader", "registered_by", "group"
        ).prefetch_related("co_units", "authors")
    )


def _proposal_or_404(request, pk):
    return selectors.proposal_get_or_404(request.user, pk, _proposals())


def _in_window(user, proposal):
    """申请调整 is offered to the lead unit until the session's window closes."""
    until = proposal.reassign_until
    return can.can_handle(user, proposal) and (until is None or timezone.localdate() <= until)


def _pending(proposal):
    return proposal.reassignments.filter(outcome=ReassignmentRequest.Outcome.PENDING).first()


STEPS = {
    "assign": Step(
        "交办",
        forms.AssignForm,
        lambda p, d, u, ip: flow.assign(
            p, actor=u, lead_unit=d["lead_unit"], co_units=list(d["co_units"]), ip=ip
        ),
        lambda u, p: can.can_manage(u),
        (S.REGISTERED,),
        "已交办，主办单位和会办单位已收到通知。",
        primary=True,
    ),
    "approve_reassignment": Step(
        "同意调整",
        forms.ApproveReassignmentForm,
        lambda p, d, u, ip: flow.approve_reassignment(
            p,
            actor=u,
            lead_unit=d["lead_unit"],
            co_units=list(d["co_units"]),
            opinion=d["opinion"],
            ip=ip,
        ),
        lambda u, p: can.can_manage(u),
        (S.REASSIGNMENT_REQUESTED,),
        "已同意调整，新的主办单位已收到通知。",
        primary=True,
    ),
    "reject_reassignment": Step(
        "不同意调整",
        forms.RejectReassignmentForm,
        lambda p, d, u, ip: flow.reject_reassignment(p, actor=u, opinion=d["opinion"], ip=ip),
        lambda u, p: can.can_manage(u),
        (S.REASSIGNMENT_REQUESTED,),
        "已不同意调整，原主办单位继续办理。",
    ),
    "accept": Step(
        "接收",
        forms.ConfirmForm,
        lambda p, d, u, ip: flow.accept(p, actor=u, ip=ip),
        can.can_handle,
        (S.ASSIGNED,),
        "已接收，请与领衔人沟通联系后拟写答复函。",
        primary=True,
    ),
    "request_reassignment": Step(
        "申请调整",
        forms.ReassignmentRequestForm,
        lambda p, d, u, ip: flow.request_reassignment(
            p, actor=u, reason=d["reason"], suggested_unit=d["suggested_unit"], ip=ip
        ),
        can.can_handle,
        (S.ASSIGNED,),
        "调整申请已报送，请等待审核。",
        offer=_in_window,
    ),
    "contact": Step(
        "沟通联系",
        forms.ContactForm,
        lambda p, d, u, ip: flow.record_contact(
            p,
            actor=u,
            contacted_on=d["contacted_on"],
            way=d["way"],
            people=d["people"],
            content=d["content"],
            ip=ip,
        ),
        can.can_handle,
        (S.HANDLING,),
        "已记录沟通联系。",
    ),
    "draft_reply": Step(
        "拟答复函",
        forms.DraftReplyForm,
        lambda p, d, u, ip: flow.draft_reply(
            p,
            actor=u,
            reply_class=d["reply_class"],
            body=d["body"],
            contact_person=d["contact_person"],
            contact_phone=d["contact_phone"],
            ip=ip,
        ),
        can.can_handle,
        (S.HANDLING,),
        "答复函已保存。",
    ),
    "submit_reply": Step(
        "提交答复",
        forms.ConfirmForm,
        lambda p, d, u, ip: flow.submit_reply(p, actor=u, ip=ip),
        can.can_handle,
        (S.HANDLING,),
        "答复函已提交单位负责人签发。",
        primary=True,
    ),
    "approve_reply": Step(
        "签发答复",
        forms.ConfirmForm,
        lambda p, d, u, ip: flow.approve_reply(p, actor=u, ip=ip),
        can.can_sign_reply,
        (S.REPLY_SUBMITTED,),
        "答复函已签发。",
        primary=True,
    ),
    "return_reply": Step(
        "退回答复",
        forms.ReturnReplyForm,
        lambda p, d, u, ip: flow.return_reply(p, actor=u, opinion=d["opinion"], ip=ip),
        can.can_sign_reply,
        (S.REPLY_SUBMITTED,),
        "答复函已退回拟稿人。",
    ),
    "send_reply": Step(
        "答复",
        forms.ConfirmForm,
        lambda p, d, u, ip: flow.send_reply(p, actor=u, ip=ip),
        can.can_handle,
        (S.REPLY_APPROVED,),
        "已答复，并抄送联络机构；办公室将请领衔人评价。",
        primary=True,
    ),
    "co_opinion": Step(
        "会办意见",
        forms.CoOpinionForm,
        lambda p, d, u, ip: flow.give_co_opinion(p, actor=u, text=d["text"], ip=ip),
        can.can_give_co_opinion,
        (S.ASSIGNED, S.HANDLING),
        "会办意见已送主办单位。",
        primary=True,
    ),
    "rate": Step(
        "录入评价",
        forms.RatingForm,
        lambda p, d, u, ip: flow.rate(
            p, actor=u, attitude=d["attitude"], result=d["result"], remarks=d["remarks"], ip=ip
        ),
        can.can_rate,
        (S.REPLIED,),
        "评价已录入。",
        primary=True,
    ),
}


def _offered(user, proposal):
    return {
        name: proposal.state in step.states
        and bool(step.may(user, proposal))
        and (step.offer is None or bool(step.offer(user, proposal)))
        for name, step in STEPS.items()
    }


def _initial(name, proposal, request, reply, co_opinion):
    """What a step's form starts with: the current draft or opinion, or a reply template."""
    if name == "draft_reply":
        wanted = request.GET.get("template", "")
        codes = proposal.session.reply_class_codes()
        if wanted in codes or reply is None:
            code = wanted if wanted in codes else (codes[0] if codes else "")
            return {"reply_class": code, "body": reply_templates.reply_text(proposal, code)}
        return {
            "reply_class": reply.reply_class,
            "body": reply.body,
            "contact_person": reply.contact_person,
            "contact_phone": reply.contact_phone,
        }
    if name == "co_opinion" and co_opinion is not None:
        return {"text": co_opinion.text}
    if name in ("assign", "approve_reassignment"):
        return {"co_units": [u.pk for u in proposal.co_units.all()]}
    return {}


def _step_rows(request, proposal, offered, bound, reply, co_opinion):
    rows = []
    opened = request.GET.get("step", "") or ("draft_reply" if "template" in request.GET else "")
    for name, step in STEPS.items():
        if not offered[name]:
            continue
        is_bound = bool(bound) and bound[0] == name
        form = (
            bound[1]
            if is_bound
            else step.form(
                prefix=name,
                proposal=proposal,
                initial=_initial(name, proposal, request, reply, co_opinion),
            )
        )
        rows.append(step_row(name, step, form, is_open=is_bound or opened == name))
    return rows


def _rounds(proposal, contacts, opinions, replies, ratings):
    """Each handling round's contacts, co-units' opinions, reply letter and rating."""
    rounds = []
    for number in range(1, proposal.round + 1):
        reply = next((r for r in replies if r.round == number), None)
        rounds.append(
            {
                "number": number,
                "contacts": [c for c in contacts if c.round == number],
                "opinions": [o for o in opinions if o.round == number],
                "reply": reply,
                "reply_label": proposal.session.reply_class_label(reply.reply_class)
                if reply
                else "",
                "pdf_url": _maybe_reverse("proposals:reply-pdf", [proposal.pk, number])
                if reply
                else "",
                "rating": next((r for r in ratings if r.round == number), None),
            }
        )
    return rounds


def _page_context(request, proposal, bound):
    user = request.user
    contacts = list(proposal.contacts.select_related("recorded_by").order_by("round", "id"))
    opinions = list(proposal.co_opinions.select_related("unit", "submitted_by"))
    replies = list(proposal.replies.select_related("unit", "drafted_by", "signed_by"))
    ratings = list(proposal.ratings.select_related("entered_by"))
    requests = list(
        proposal.reassignments.select_related(
            "unit", "suggested_unit", "requested_by", "decided_by"
        )
    )
    proposal.pending_request = next(
        (r for r in requests if r.outcome == ReassignmentRequest.Outcome.PENDING), None
    )
    offered = _offered(user, proposal)
    handling = can.can_handle(user, proposal)
    co_unit = can.co_unit_of(user, proposal)
    reply = next((r for r in replies if r.round == proposal.round), None)
    co_opinion = next(
        (o for o in opinions if co_unit and o.unit_id == co_unit.pk and o.round == proposal.round),
        None,
    )
    steps = _step_rows(request, proposal, offered, bound, reply, co_opinion)
    if bound and bound[0] not in {row["name"] for row in steps}:
        for errors in bound[1].errors.values():
            for error in errors:
                messages.error(request, error)
    managing = can.can_manage(user)
    rating_url = ""
    if managing and proposal.state == S.REPLIED:
        link = _maybe_reverse("proposals:rate-by-link", [flow.rating_token(proposal)])
        rating_url = request.build_absolute_uri(link) if link else ""
    return {
        "proposal": proposal,
        "kind_name": KIND_NAMES.get(proposal.kind, proposal.kind),
        "light_label": lights.LIGHT_LABELS.get(proposal.light, ""),
        "light_words": lights.light_words(proposal),
        # 领衔人 first, then 附议人 in their order.
        "authors": sorted(
            proposal.authors.all(), key=lambda a: (a.role != Author.Role.LEAD, a.position, a.pk)
        ),
        "show_phone": managing or handling or co_unit is not None,
        "co_units": list(proposal.co_units.all()),
        "scans": list(proposal.scans.only("id", "name", "size", "uploaded_at")),
        "merged": list(
            selectors.proposals_visible_to(user)
            .filter(group_id=proposal.group_id)
            .exclude(pk=proposal.pk)
            .select_related("session", "lead_unit")
            .order_by("session", "kind", "number")
        )
        if proposal.group_id
        else [],
        "requests": requests,
        "rounds": _rounds(proposal, contacts, opinions, replies, ratings),
        "missing": flow.missing_for_reply(proposal)
        if handling and proposal.state == S.HANDLING
        else [],
        "template_codes": proposal.session.reply_class_codes() if offered["draft_reply"] else [],
        "steps": steps,
        "rating_url": rating_url,
        "history": history(proposal),
    }


def _render_page(request, proposal, *, bound=None, status=200):
    context = _page_context(request, proposal, bound)
    return render(request, "proposals/proposal_detail.html", context, status=status)


def proposal_detail(request, pk):
    return _render_page(request, _proposal_or_404(request, pk))


@require_POST
def proposal_step(request, pk, step):
    spec = step_or_404(STEPS, step)
    proposal = _proposal_or_404(request, pk)
    proposal.pending_request = _pending(proposal)
    return run_step(
        request,
        proposal,
        step,
        spec,
        form_kwargs={"proposal": proposal},
        done_url=reverse("proposals:proposal-detail", args=[proposal.pk]),
        render_page=lambda form: _render_page(
            request, _proposal_or_404(request, pk), bound=(step, form), status=400
        ),
        refusal=_refusal,
    )


def scan_file(request, pk):
    """An original's scan (原件扫描件), only for those who may see its item; an attachment."""
    proposal_id = get_object_or_404(Scan.objects.only("proposal_id"), pk=pk).proposal_id
    proposal = selectors.proposal_get_or_404(request.user, proposal_id)
    stored = proposal.scans.get(pk=pk)
    return stored_file_response(stored)


_STEP_NAMES = "|".join(STEPS)

urlpatterns = [
    path("", proposal_list, name="proposal-list"),
    path("bulk-assign/", bulk_assign, name="proposal-bulk-assign"),
    path("<int:pk>/", proposal_detail, name="proposal-detail"),
    re_path(rf"^(?P<pk>[0-9]+)/(?P<step>{_STEP_NAMES})/$", proposal_step, name="proposal-step"),
    path("scans/<int:pk>/", scan_file, name="scan-file"),
]
