"""发文登记簿 (every number of the year, void ones included), 印章使用登记台账, and the security
administrator's seal images (印模)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from office.pagination import keyset_page
from office.trail import client_ip

from .. import forms_outgoing as forms
from .. import permissions as can
from .. import selectors, services
from ..models import Seal, SealLedgerEntry
from .stats import requested_year


def register(request):
    """发文登记簿: numbers in register order; a number whose document the user may not see shows
    only the number (a number is never hidden, so a gap would be visible)."""
    if not can.can_read_outgoing_register(request.user):
        raise PermissionDenied("发文登记簿仅供办公室工作人员查阅。")
    year = requested_year(request)
    key = request.GET.get("key", "")
    view = request.GET.get("view", "")
    if view not in selectors.REGISTER_VIEWS:
        view = ""
    page = keyset_page(
        selectors.outgoing_register(request.user, year=year, key=key, view=view),
        order=("key", "number", "id"),
        after=request.GET.get("after"),
        size=100,
    )
    ids = [n.object_id for n in page.rows if n.object_id]
    documents = {
        d.pk: d
        for d in selectors.outgoing_visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("issuing_unit", "signer")
    }
    rows = [{"number": n, "document": documents.get(n.object_id)} for n in page.rows]
    this_year = timezone.localdate().year
    context = {
        "year": year,
        "years": list(range(this_year, this_year - 6, -1)),
        "key": key,
        "keys": selectors.outgoing_register_keys(year),
        "view": view,
        "views": selectors.REGISTER_VIEWS,
        "page": page,
        "rows": rows,
        "can_batch": can.is_secretary(request.user),
    }
    return render(request, "documents/outgoing_register.html", context)


def seal_ledger(request):
    """印章使用登记台账: every use of a seal, newest first."""
    if not (can.can_read_outgoing_register(request.user) or can.can_manage_seals(request.user)):
        raise PermissionDenied("印章使用登记台账仅供办公室工作人员和安全管理员查阅。")
    entries = SealLedgerEntry.objects.select_related("seal", "applicant", "approver", "document")
    # The number is the ledger's; the title only for whoever may see the document (the security
    # administrator keeps the seals, not the documents: 三员分立).
    visible = set(
        selectors.outgoing_visible_to(request.user)
        .filter(seal_uses__isnull=False)
        .values_list("pk", flat=True)
    )
    page = keyset_page(entries, order=("-at", "-id"), after=request.GET.get("after"), size=100)
    rows = [{"entry": e, "shown": visible is None or e.document_id in visible} for e in page.rows]
    return render(request, "documents/seal_ledger.html", {"page": page, "rows": rows})


def seals(request, pk=None):
    """印章管理 (安全管理员): each unit's seals and their images."""
    if not can.can_manage_seals(request.user):
        raise PermissionDenied("印章印模由安全管理员管理。")
    seal = get_object_or_404(Seal, pk=pk) if pk else None
    initial = (
        {"unit": seal.unit_id, "name": seal.name, "is_active": seal.is_active} if seal else None
    )
    form = forms.SealAdminForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.seal_save(
                actor=request.user,
                unit=data["unit"],
                name=data["name"],
                image=data["image"],
                is_active=data["is_active"],
                seal=seal,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存印章“{data['name']}”。")
            return redirect("documents:seals")
    context = {
        "form": form,
        "seal": seal,
        "seals": Seal.objects.select_related("unit").order_by("unit__sort_order", "name"),
    }
    return render(request, "documents/seals.html", context, status=400 if form.errors else 200)


def settings_page(request):
    """发文设置 (system administrator): per issuing unit, its review levels and number rules."""
    from office.models import Unit
    from office.permissions import can_configure

    from ..models import NumberRule, ReviewLevel

    if not can_configure(request.user):
        raise PermissionDenied("此页面仅供系统管理员使用。")
    issuers = list(Unit.objects.filter(is_active=True).exclude(code="").order_by("sort_order"))
    if not issuers:
        raise Http404("尚无发文机关：请先在单位管理中为单位填写机关代字。")
    chosen = request.POST.get("unit") or request.GET.get("unit")
    unit = next((u for u in issuers if str(u.pk) == chosen), issuers[0])
    levels = [
        {"level": lv.level, "label": lv.label, "reviewers": list(lv.reviewers.all())}
        for lv in ReviewLevel.objects.filter(unit=unit).prefetch_related("reviewers")
    ]
    rules = [
        {"family": r.family, "code": r.code, "pattern": r.pattern}
        for r in NumberRule.objects.filter(unit=unit).order_by("family")
    ]
    data = request.POST if request.method == "POST" else None
    level_forms = forms.LevelForms(data, initial=levels, prefix="levels")
    rule_forms = forms.RuleForms(data, initial=rules, prefix="rules")
    error = None
    if request.method == "POST" and level_forms.is_valid() and rule_forms.is_valid():
        try:
            services.outgoing_settings_update(
                unit,
                levels=level_forms.rows(),
                rules=rule_forms.rows(),
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"已保存{unit.name}的发文设置。")
            return redirect(f"{reverse('documents:outgoing-settings')}?unit={unit.pk}")
    context = {
        "issuers": issuers,
        "unit": unit,
        "level_forms": level_forms,
        "rule_forms": rule_forms,
        "error": error,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/outgoing_settings.html", context, status=status)


def seal_image(request, pk):
    """The seal image, for the security administrator's own check only."""
    if not can.can_manage_seals(request.user):
        raise PermissionDenied("印章印模由安全管理员管理。")
    seal = get_object_or_404(Seal, pk=pk)
    if not seal.image:
        raise Http404("尚未上传印模。")
    response = FileResponse(seal.image.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("outgoing/register/", register, name="outgoing-register"),
    path("outgoing/seal-ledger/", seal_ledger, name="seal-ledger"),
    path("outgoing/settings/", settings_page, name="outgoing-settings"),
    path("outgoing/seals/", seals, name="seals"),
    path("outgoing/seals/<int:pk>/", seals, name="seal-edit"),
    path("outgoing/seals/<int:pk>/image/", seal_image, name="seal-image"),
]
