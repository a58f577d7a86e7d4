from django.conf import settings

from . import registry
from .notifications import unread_count
from .permissions import scope_for


def shell(request):
    """What the base template needs on every page: navigation for this user and the unread badge."""
    office = {"shell_office_name": f"{settings.OFFICE_CITY_NAME}人民政府办公室"}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return office
    scope = scope_for(user)
    nav = [
        entry
        for entry in registry.nav_entries()
        if (not entry.roles and scope.has_business_role) or entry.roles & scope.roles
    ]
    return office | {"shell_nav": nav, "shell_unread": unread_count(user), "shell_scope": scope}
