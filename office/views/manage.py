"""Administration pages of the office core, one administrator each (三员分立, DOMAIN.md §1):

- the security administrator (安全管理员): units, people, roles, clearances, the security policy;
- the system administrator (系统管理员): the working-day calendar;
- the audit administrator (审计管理员): the trail.

Every view checks its administrator on the server (office.permissions) and answers 403 to
anyone else, business users included. Writes go through office.services, POST-redirect-GET;
a refusal comes back as a Chinese message or a form error, with what was typed kept.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import calendar as working_calendar
from .. import selectors, services
from ..forms import (
    CalendarOverrideForm,
    ResetPasswordForm,
    SecurityPolicyForm,
    TrailFilterForm,
    UnitForm,
    UserCreateForm,
    UserFilterForm,
    UserForm,
    YearForm,
    add_service_errors,
)
from ..models import SecurityPolicy, Unit, User
from ..permissions import can_configure, can_manage_people, can_read_trail
from ..trail import client_ip

TEMPORARY_PASSWORD_KEY = "office.manage.temporary_password"  # noqa: S105  (a session key)


def allowed_for(check, message):
    """三员分立: the view is for the administrator `check` names; everyone else gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


people_admin = allowed_for(can_manage_people, "此页面仅供安全管理员使用。")
system_admin = allowed_for(can_configure, "此页面仅供系统管理员使用。")
audit_admin = allowed_for(can_read_trail, "此页面仅供审计管理员使用。")


def _refusal(request, exc):
    for message in exc.messages:
        messages.error(request, message)


# --- units -------------------------------------------------------------------------------------


@people_admin
def unit_list(request):
    return render(request, "office/manage/unit_list.html", {"units": selectors.unit_tree()})


@people_admin
def unit_create(request):
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新建单位“{unit.name}”。")
            return redirect("office:unit-list")
    return render(request, "office/manage/unit_form.html", {"form": form, "unit": None})


@people_admin
def unit_edit(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                unit, actor=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存单位“{unit.name}”。")
            return redirect("office:unit-list")
    if form.is_bound:
        unit.refresh_from_db()  # the heading shows the saved name, the form what was typed
    context = {"form": form, "unit": unit, "history": selectors.change_history(unit)}
    return render(request, "office/manage/unit_form.html", context)


@people_admin
@require_POST
def unit_deactivate(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    try:
        services.unit_deactivate(unit, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已停用单位“{unit.name}”。")
    return redirect("office:unit-list")


@people_admin
@require_POST
def unit_reactivate(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    try:
        services.unit_reactivate(unit, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已启用单位“{unit.name}”。")
    return redirect("office:unit-list")


# --- people ------------------------------------------------------------------------------------


@people_admin
def user_list(request):
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.user_list(
        unit=filters.get("unit"),
        role=filters.get("role", ""),
        keyword=filters.get("q", ""),
        status=filters.get("status") or "active",
        after=request.GET.get("after"),
    )
    template = "office/manage/user_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"form": form, "page": page})


@people_admin
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                ip=client_ip(request),
                username=data["username"],
                password=data["password1"],
                roles=data["roles"],
                clearance=data["clearance"],
                **form.profile(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"password": "password1"})
        else:
            messages.success(request, f"已新建用户“{user}”，首次登录时须修改初始密码。")
            return redirect("office:user-edit", pk=user.pk)
    return render(request, "office/manage/user_create.html", {"form": form})


def _user_page(request, target, *, form=None, reset_form=None):
    editing_self = target.pk == request.user.pk
    temporary = request.session.get(TEMPORARY_PASSWORD_KEY)
    if request.method == "GET" and temporary and temporary.get("user") == target.pk:
        del request.session[TEMPORARY_PASSWORD_KEY]
    else:
        temporary = None
    context = {
        "target": target,
        "form": form or UserForm(instance=target, editing_self=editing_self),
        "reset_form": reset_form or ResetPasswordForm(),
        "editing_self": editing_self,
        "temporary_password": temporary and temporary["password"],
        "history": selectors.change_history(target),
    }
    return render(request, "office/manage/user_edit.html", context)


@people_admin
def user_edit(request, pk):
    target = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    if request.method != "POST":
        return _user_page(request, target)
    form = UserForm(request.POST, instance=target, editing_self=target.pk == request.user.pk)
    if form.is_valid():
        try:
            services.user_edit(
                target,
                actor=request.user,
                ip=client_ip(request),
                roles=form.cleaned_data["roles"],
                clearance=form.cleaned_data["clearance"],
                **form.profile(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存用户“{target}”。")
            return redirect("office:user-edit", pk=target.pk)
    target.refresh_from_db()
    return _user_page(request, target, form=form)


@people_admin
@require_POST
def user_reset_password(request, pk):
    target = get_object_or_404(User, pk=pk)
    form = ResetPasswordForm(request.POST)
    form.is_valid()
    try:
        password = services.user_reset_password(
            target,
            actor=request.user,
            ip=client_ip(request),
            password=form.cleaned_data.get("password") or None,
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            _refusal(request, exc)
            return redirect("office:user-edit", pk=target.pk)
        add_service_errors(form, exc)  # a password the policy refuses: show it with the reason
        return _user_page(request, target, reset_form=form)
    request.session[TEMPORARY_PASSWORD_KEY] = {"user": target.pk, "password": password}
    messages.success(request, f"已重置“{target}”的密码，其下次登录时须修改。")
    return redirect("office:user-edit", pk=target.pk)


@people_admin
@require_POST
def user_deactivate(request, pk):
    target = get_object_or_404(User, pk=pk)
    try:
        services.user_deactivate(target, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已停用“{target}”的账号。")
    return redirect("office:user-edit", pk=target.pk)


@people_admin
@require_POST
def user_reactivate(request, pk):
    target = get_object_or_404(User, pk=pk)
    try:
        services.user_reactivate(target, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已启用“{target}”的账号。")
    return redirect("office:user-edit", pk=target.pk)


# --- security policy ---------------------------------------------------------------------------


@people_admin
def security_policy(request):
    form = SecurityPolicyForm(request.POST or None, instance=SecurityPolicy.current())
    if request.method == "POST" and form.is_valid():
        try:
            services.security_policy_update(
                actor=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存安全策略。")
            return redirect("office:security-policy")
    return render(request, "office/manage/security_policy.html", {"form": form})


# --- working-day calendar ----------------------------------------------------------------------


def _calendar_page(request, year, form):
    context = {
        "calendar": selectors.calendar_year(year),
        "form": form,
        "year": year,
        "weekdays": "一二三四五六日",
    }
    return render(request, "office/manage/calendar.html", context)


def _override_form_for_clicked_day(request):
    """A day clicked in the grid (?date=) pre-fills the form, offering the opposite status."""
    try:
        day = CalendarOverrideForm.base_fields["date"].clean(request.GET.get("date", ""))
    except ValidationError:
        return CalendarOverrideForm()
    working = working_calendar.is_working_day(day)
    return CalendarOverrideForm(initial={"date": day, "is_working_day": "0" if working else "1"})


@system_admin
def calendar(request):
    year_form = YearForm(request.GET if "year" in request.GET else None)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else timezone.localdate().year
    if request.method != "POST":
        return _calendar_page(request, year, _override_form_for_clicked_day(request))
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_override_set(
                data["date"],
                data["is_working_day"],
                data["note"],
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            kind = "工作日" if data["is_working_day"] else "休息日"
            messages.success(request, f"已将 {data['date']:%Y-%m-%d} 设为{kind}。")
            return redirect(f"{reverse('office:calendar')}?year={data['date'].year}")
    return _calendar_page(request, year, form)


@system_admin
@require_POST
def calendar_override_delete(request):
    form = CalendarOverrideForm(request.POST)
    year = timezone.localdate().year
    try:
        day = form.fields["date"].clean(request.POST.get("date", ""))
        year = day.year
        services.calendar_override_delete(day, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已删除 {day:%Y-%m-%d} 的调整，恢复系统内置日历。")
    return redirect(f"{reverse('office:calendar')}?year={year}")


# --- the trail ---------------------------------------------------------------------------------


@audit_admin
def trail_list(request):
    form = TrailFilterForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {}
        page = selectors.trail_list(after=request.GET.get("after"), **filters)
    template = "office/manage/trail_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"form": form, "page": page})


urlpatterns = [
    path("manage/units/", unit_list, name="unit-list"),
    path("manage/units/new/", unit_create, name="unit-create"),
    path("manage/units/<int:pk>/", unit_edit, name="unit-edit"),
    path("manage/units/<int:pk>/deactivate/", unit_deactivate, name="unit-deactivate"),
    path("manage/units/<int:pk>/reactivate/", unit_reactivate, name="unit-reactivate"),
    path("manage/users/", user_list, name="user-list"),
    path("manage/users/new/", user_create, name="user-create"),
    path("manage/users/<int:pk>/", user_edit, name="user-edit"),
    path("manage/users/<int:pk>/reset-password/", user_reset_password, name="user-reset-password"),
    path("manage/users/<int:pk>/deactivate/", user_deactivate, name="user-deactivate"),
    path("manage/users/<int:pk>/reactivate/", user_reactivate, name="user-reactivate"),
    path("manage/security-policy/", security_policy, name="security-policy"),
    path("manage/calendar/", calendar, name="calendar"),
    path(
        "manage/calendar/override/delete/",
        calendar_override_delete,
        name="calendar-override-delete",
    ),
    path("manage/trail/", trail_list, name="trail-list"),
]
