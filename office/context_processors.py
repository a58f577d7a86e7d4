from django.conf import settings
from django.urls import NoReverseMatch, reverse

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
    nav = []
    for entry in registry.nav_entries():
        if (not entry.roles and scope.has_business_role) or entry.roles & scope.roles:
            try:
                nav.append(
                    {"label": entry.label, "icon": entry.icon, "href": reverse(entry.url_name)}
                )
            except NoReverseMatch:
                continue
    # One entry is highlighted: the one whose address is the longest prefix of this page's.
    path = request.path
    matches = [item for item in nav if item["href"] != "/" and path.startswith(item["href"])]
    if matches:
        max(matches, key=lambda item: len(item["href"]))["active"] = True
    return office | {"shell_nav": nav, "shell_unread": unread_count(user), "shell_scope": scope}
