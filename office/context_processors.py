from . import registry
from .notifications import unread_count
from .permissions import scope_for


def shell(request):
    """What the base template needs on every page: navigation for this user and the unread badge."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    nav = [
        entry
        for entry in registry.nav_entries()
        if (not entry.roles and scope.has_business_role) or entry.roles & scope.roles
    ]
    return {"shell_nav": nav, "shell_unread": unread_count(user), "shell_scope": scope}
