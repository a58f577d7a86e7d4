"""收文登记簿: every incoming document the user may see, filtered and sorted, in keyset pages of
50 rows that never count (FIELD_NOTES.md, "Lists and pagination")."""

from django.shortcuts import render
from django.urls import path

from office.pagination import InvalidCursor, keyset_page

from ..forms_register import RegisterFilterForm
from ..search import REGISTER_SORTS, prepare_rows, register_queryset

PAGE_SIZE = 50


def register(request):
    form = RegisterFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    sort = REGISTER_SORTS[filters["sort"]]
    rows = register_queryset(request.user, **filters)
    cursor_error = ""
    try:
        page = keyset_page(rows, order=sort.order, after=request.GET.get("after"), size=PAGE_SIZE)
    except InvalidCursor as exc:
        cursor_error = str(exc)
        page = keyset_page(rows, order=sort.order, size=PAGE_SIZE)
    prepare_rows(page.rows)
    context = {"form": form, "page": page, "sort": sort, "cursor_error": cursor_error}
    template = "documents/incoming_register.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


urlpatterns = [
    path("incoming/register/", register, name="incoming-register"),
]
