"""The Django admin is the system administrator's operations console (三员分立): she can watch the
outbox, background PDF jobs, numbers and reminders, but change none of them here, and she sees no
business documents. People, roles and clearances are the security administrator's own pages."""

from django.contrib import admin

from .models import Delivery, PdfJob, Reminder, SerialNumber
from .roles import Role


class OperationsSite(admin.AdminSite):
    site_header = "政务办公 · 系统运维"
    site_title = "系统运维"
    index_title = "运行状态"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.groups.filter(name=Role.SYSADMIN).exists()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)


site = OperationsSite(name="operations")


@admin.register(Delivery, site=site)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "address", "status", "attempts", "sent_at")
    list_filter = ("status", "channel")
    show_full_result_count = False


@admin.register(PdfJob, site=site)
class PdfJobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "title", "status", "pages", "finished_at")
    list_filter = ("status",)
    show_full_result_count = False


@admin.register(SerialNumber, site=site)
class SerialNumberAdmin(ReadOnlyAdmin):
    list_display = ("text", "key", "year", "number", "status", "allocated_at", "void_reason")
    list_filter = ("status", "year", "key")
    show_full_result_count = False


@admin.register(Reminder, site=site)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("day", "kind", "content_type", "object_id", "created_at")
    list_filter = ("kind",)
    show_full_result_count = False
