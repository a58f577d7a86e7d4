"""台账: every supervision item the user may see (supervision.selectors.ledger_items), filtered and
sorted, in keyset pages that never count rows one by one (FIELD_NOTES.md, "Lists and
pagination"); above the table the filter's figures — lights and 办结率, supervision.measures.summary
in one aggregate query — the user's 常用筛选, and for the supervision office 批量交办 / 批量催办.

Thin views: a refused step is a message naming the item, never a 500; POST-redirect-GET."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from office.models import Clearance
from office.pagination import InvalidCursor, Page, keyset_page
from office.trail import client_ip
from office.workflow import InvalidTransition

from .. import measures, selectors
from .. import permissions as can
from .. import workflow as flow
from ..filters import parse_ledger_filters, parse_ledger_order, statistic_chips
from ..forms_ledger import ASSIGN, URGE, BulkForm, LedgerFilterForm, SavedFilterForm, ledger_query
from ..models import SavedFilter, Source, SupervisionItem

PAGE_SIZE = 50
LATEST_CHARS = 40
# The bulk actions and the workflow step each one takes per item.
BULK_STEPS = {ASSIGN: ("交办", flow.assign), URGE: ("催办", flow.urge)}


def _ledger_url(query=""):
    url = reverse("supervision:ledger")
    return f"{url}?{query}" if query else url


def _export_url():
    """The xlsx export lives in views/outputs.py; the button shows once that page exists."""
    try:
        return reverse("supervision:ledger-export")
    except NoReverseMatch:
        return ""


def _summary(rows, today):
    """The current filter's figures for the strip: items, lights and rates (measures.summary,
    one aggregate query, exact however many rows match)."""
    figures = measures.summary(rows, today)
    return {
        **figures,
        "lights": [
            (light, measures.LIGHT_LABELS[light], n) for light, n in figures["lights"].items()
        ],
    }


SOURCE_NAMES = dict(Source.choices)
STATE_NAMES = dict(SupervisionItem.State.choices)
CLASSIFICATION_NAMES = dict(Clearance.choices)


def _rows(items, today):
    """The page's rows with what the table shows beside the item; no query per row. Links and
    the coded columns' words are made here, not by {% url %} and get_FOO_display in the
    template (measured on 50 rows at 100,000 items: a third of the table's rendering)."""
    rows = []
    for item, reasons in zip(items, measures.light_reasons_for(items, today), strict=True):
        latest = item.latest_report
        text = " ".join(latest.text.split()) if latest else ""
        rows.append(
            {
                "item": item,
                "url": reverse("supervision:item-detail", args=[item.pk]),
                "source_name": SOURCE_NAMES.get(item.source, item.source),
                "state_name": STATE_NAMES.get(item.state, item.state),
                "classification_name": CLASSIFICATION_NAMES.get(item.classification, ""),
                "light_label": measures.LIGHT_LABELS.get(item.light, ""),
                "reasons": "；".join(reasons),
                "latest_text": text[:LATEST_CHARS] + ("…" if len(text) > LATEST_CHARS else ""),
                "latest_on": timezone.localdate(latest.submitted_at) if latest else None,
            }
        )
    return rows


def _page(rows, order, after):
    """The page's items: their keys first, from the filtered items alone, then the 50 rows with
    what the table shows. Joining units, leaders and latest reports before the sort cost 70 ms
    for a common search term at 100,000 items (the planner cannot foresee how many items a
    search term matches); sorting keys alone then fetching 50 rows takes about 20."""
    fields = {term.lstrip("-") for term in order}
    keys = keyset_page(
        rows.select_related(None).only(*fields), order=order, after=after, size=PAGE_SIZE
    )
    wanted = [item.pk for item in keys.rows]
    full = rows.filter(pk__in=wanted).in_bulk() if wanted else {}
    return Page(rows=[full[pk] for pk in wanted], next_cursor=keys.next_cursor, size=keys.size)


def _render(request, *, save_form=None, status=200):
    """The ledger for the filters in request.GET (also re-drawn by a refused 保存筛选)."""
    today = timezone.localdate()
    form = LedgerFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # for its messages; the rows come from the parser the export shares
    filters = parse_ledger_filters(request.GET)
    rows = selectors.ledger_items(request.user, filters, today=today)
    sort = parse_ledger_order(request.GET)
    order = selectors.LEDGER_ORDERS[sort]
    cursor_error = ""
    try:
        page = _page(rows, order, request.GET.get("after"))
    except InvalidCursor as exc:
        cursor_error = str(exc)
        page = _page(rows, order, None)
    query = ledger_query(request.GET)
    context = {
        "form": form,
        "sort": sort,
        "page": page,
        "rows": _rows(page.rows, today),
        "summary": _summary(rows, today),
        "cursor_error": cursor_error,
        "query": query,
        "ledger_url": reverse("supervision:ledger"),
        "saved_filters": list(SavedFilter.objects.filter(owner=request.user)),
        "save_form": save_form or SavedFilterForm(owner=request.user, query=query),
        "can_supervise": can.can_supervise(request.user),
        "export_url": _export_url(),
        "statistic_chips": statistic_chips(filters),  # a dashboard number's filters
    }
    template = "supervision/ledger.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context, status=status)


def ledger(request):
    return _render(request)


@require_POST
def saved_filter_create(request):
    """保存筛选: the form posts to this URL with the ledger's query string, so a refusal re-draws
    the same ledger with the name kept."""
    query = ledger_query(request.GET)
    form = SavedFilterForm(request.POST, owner=request.user, query=query)
    if form.is_valid():
        name = form.cleaned_data["name"]
        try:
            SavedFilter.objects.create(owner=request.user, name=name, query=query)
        except IntegrityError:
            form.add_error("name", f"您已有名为“{name}”的常用筛选，请换一个名称。")
        else:
            messages.success(request, f"已保存常用筛选“{name}”。")
            return redirect(_ledger_url(query))
    return _render(request, save_form=form, status=400)


@require_POST
def saved_filter_delete(request, pk):
    """Only the owner's own saved filters exist for them (404 otherwise)."""
    saved = get_object_or_404(SavedFilter, pk=pk, owner=request.user)
    saved.delete()
    messages.success(request, f"已删除常用筛选“{saved.name}”。")
    return redirect(_ledger_url(ledger_query(QueryDict(request.POST.get("query", "")))))


@require_POST
def bulk(request):
    """批量交办 / 批量催办 (督查室): each ticked item is fetched again through the user's
    visibility and moved by its own workflow step; the refusals are told item by item."""
    if not can.can_supervise(request.user):
        raise PermissionDenied("只有督查室可以批量交办或催办。")
    back = _ledger_url(ledger_query(QueryDict(request.POST.get("query", ""))))
    form = BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    verb, step = BULK_STEPS[form.cleaned_data["action"]]
    ids = form.cleaned_data["items"]
    items = selectors.items_visible_to(request.user).filter(pk__in=ids)
    items = list(items.select_related("lead_unit", "supervisor").order_by("id"))
    ip = client_ip(request)
    done, refused = 0, []
    for item in items:
        try:
            step(item, actor=request.user, message=form.cleaned_data["message"], ip=ip)
        except (InvalidTransition, ValidationError, PermissionDenied) as exc:
            refused.append(f"{item.item_number} {_reason(exc)}")
        else:
            done += 1
    unseen = len(ids) - len(items)
    if unseen:
        refused.append(f"另有 {unseen} 项不存在或您无权查看")
    text = f"已{verb} {done} 项"
    if refused:
        failed = len(items) - done + unseen
        messages.warning(request, f"{text}；{failed} 项未{verb}：{'；'.join(refused)}。")
    else:
        messages.success(request, f"{text}。")
    return redirect(back)


def _reason(exc):
    """A refusal's words without the closing full stop, to join several in one message."""
    if isinstance(exc, ValidationError):
        text = "；".join(exc.messages)
    else:
        text = str(exc.args[0]) if exc.args else str(exc)
    return text.rstrip("。")


urlpatterns = [
    path("", ledger, name="ledger"),
    path("saved/", saved_filter_create, name="ledger-save-filter"),
    path("saved/<int:pk>/delete/", saved_filter_delete, name="ledger-delete-filter"),
    path("bulk/", bulk, name="ledger-bulk"),
]
