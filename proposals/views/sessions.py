"""届次设置 pages (issue 7 item 1): the sessions (届次/会次) with their dates and deadline rules,
created and edited through services.session_save, and each session's 相似件 page (items on the
same subject across the year's 人大 and 政协 sessions, proposals.similar). The office's
建议提案 staff only (403 for everyone else)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from office.forms import add_service_errors
from office.trail import client_ip

from .. import permissions as can
from .. import services, similar
from ..forms_intake import SessionForm
from ..models import Proposal, Session
from ..selectors import proposals_visible_to

LIST_LIMIT = 200  # a city has two sessions a year
K = Proposal.Kind


def _office(request):
    if not can.can_manage(request.user):
        raise PermissionDenied("只有建议提案办理人员可以设置届次会次。")


def session_list(request):
    _office(request)
    sessions = Session.objects.annotate(
        suggestions=Count("proposals", filter=Q(proposals__kind=K.SUGGESTION)),
        bills=Count("proposals", filter=Q(proposals__kind=K.BILL)),
        proposal_count=Count("proposals", filter=Q(proposals__kind=K.PROPOSAL)),
        key_count=Count("proposals", filter=Q(proposals__is_key=True)),
    ).order_by("-year", "body", "-id")[:LIST_LIMIT]
    return render(request, "proposals/session_list.html", {"sessions": sessions})


def _save(request, session=None):
    _office(request)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.session_save(
                actor=request.user, session=session, ip=client_ip(request), **form.values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存“{saved.name}”。")
            return redirect("proposals:session-list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "session": session}
    return render(request, "proposals/session_form.html", context, status=status)


def session_new(request):
    return _save(request)


def session_edit(request, pk):
    _office(request)
    return _save(request, get_object_or_404(Session, pk=pk))


def session_similar(request, pk):
    """相似件: pairs of similar items with one in this session, groups already merged."""
    _office(request)
    session = get_object_or_404(Session, pk=pk)
    visible = proposals_visible_to(request.user)
    pairs = similar.similar_pairs(session, visible)
    groups = {}
    members = (
        similar.year_items(session.year, visible)
        .filter(group__isnull=False, group__proposals__session=session)
        .distinct()
    )
    for item in members:
        groups.setdefault(item.group_id, []).append(item)
    context = {
        "session": session,
        "pairs": pairs,
        "pair_limit": similar.PAIR_LIMIT,
        "min_percent": round(similar.MIN_SCORE * 100),
        "groups": sorted(groups.items()),
    }
    return render(request, "proposals/session_similar.html", context)


urlpatterns = [
    path("sessions/", session_list, name="session-list"),
    path("sessions/new/", session_new, name="session-new"),
    path("sessions/<int:pk>/edit/", session_edit, name="session-edit"),
    path("sessions/<int:pk>/similar/", session_similar, name="session-similar"),
]
