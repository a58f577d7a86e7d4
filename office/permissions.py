"""Who may see what: the one place every list, detail, count, search and export asks.

Visibility is a set-based SQL filter on integer keys — the user's unit ids and clearance level —
computed once per request into a `Scope` (FIELD_NOTES.md: per-object permission rows made normal
users 10–40× slower than superusers in Paperless-ngx). An object above the user's clearance does
not exist for that user: no list entry, no count, 404 on its URL (DOMAIN.md §2).

Apps describe their objects once with `Visibility(...)` and use `visible(qs, user, rule)` for
querysets and `get_visible_or_404(qs, user, rule, **lookup)` for one object.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from .roles import ADMIN_ROLES, OFFICE_WIDE_ROLES, UNIT_ROLES, Role


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    unit_ids: frozenset = frozenset()
    clearance: int = 0
    roles: frozenset = frozenset()

    @property
    def office_wide(self):
        """Secretaries, leaders and supervisors work on all of the office's business."""
        return bool(self.roles & OFFICE_WIDE_ROLES)

    @property
    def unit_bound(self):
        return bool(self.roles & UNIT_ROLES)

    @property
    def has_business_role(self):
        return self.office_wide or self.unit_bound

    def has(self, role):
        return role in self.roles

    @property
    def is_admin(self):
        return bool(self.roles & ADMIN_ROLES)


ANONYMOUS = Scope(user_id=None)


def unit_and_descendants(unit_id):
    """A unit's id with all its sub-units' ids (a section sees what its office's tree holds)."""
    from .models import Unit

    if unit_id is None:
        return frozenset()
    children = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    result, stack = set(), [unit_id]
    while stack:
        current = stack.pop()
        if current not in result:
            result.add(current)
            stack.extend(children.get(current, ()))
    return frozenset(result)


def scope_for(user):
    """The user's scope, computed once and kept on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_office_scope", None)
    if cached is not None:
        return cached
    roles = frozenset(
        Role(name) for name in user.groups.values_list("name", flat=True) if name in Role.values
    )
    scope = Scope(
        user_id=user.pk,
        unit_ids=unit_and_descendants(user.unit_id) if roles & UNIT_ROLES else frozenset(),
        clearance=user.clearance,
        roles=roles,
    )
    user._office_scope = scope
    return scope


def forget_scope(user):
    """Drop the cached scope after roles, unit or clearance changed."""
    user.__dict__.pop("_office_scope", None)


@dataclass(frozen=True)
class Visibility:
    """How one kind of business object is reached.

    clearance_field: its 密级 (integer Clearance); objects above the user's clearance are hidden.
    unit_fields: foreign keys or many-to-many fields to Unit that give a unit's people access.
    user_fields: foreign keys or many-to-many fields to User that give that person access.
    office_wide: whether secretaries, leaders and supervisors see every such object.
    """

    clearance_field: str | None = "classification"
    unit_fields: tuple = ()
    user_fields: tuple = ()
    office_wide: bool = True


def _multi_valued(model, name):
    """Paths through many-to-many or reverse relations would repeat rows: use a subquery."""
    if "__" in name:
        return True
    return model._meta.get_field(name).many_to_many


def _reach(scope, rule, model):
    """The Q that says which rows the scope reaches, ignoring clearance."""
    if scope.office_wide and rule.office_wide:
        return Q()
    q = Q(pk__in=[])
    if scope.unit_ids:
        for name in rule.unit_fields:
            if _multi_valued(model, name):
                q |= Q(pk__in=model.objects.filter(**{f"{name}__in": scope.unit_ids}).values("pk"))
            else:
                q |= Q(**{f"{name}__in": scope.unit_ids})
    for name in rule.user_fields:
        if _multi_valued(model, name):
            q |= Q(pk__in=model.objects.filter(**{name: scope.user_id}).values("pk"))
        else:
            q |= Q(**{name: scope.user_id})
    return q


def visible(queryset, user, rule):
    """The rows of `queryset` the user may see: one SQL filter, no per-object checks.

    Admin roles (三员) give no business visibility; a user with no business role sees nothing.
    """
    scope = scope_for(user)
    if not scope.has_business_role:
        return queryset.none()
    qs = queryset
    if rule.clearance_field:
        qs = qs.filter(**{f"{rule.clearance_field}__lte": scope.clearance})
    return qs.filter(_reach(scope, rule, queryset.model))


def get_visible_or_404(queryset, user, rule, **lookup):
    """One object the user may see, or 404 — the same answer as for an object that does not exist."""
    try:
        return visible(queryset, user, rule).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("没有找到该记录，或您无权查看。") from None


def can_see(user, obj, rule):
    return visible(type(obj)._default_manager.filter(pk=obj.pk), user, rule).exists()


def has_role(user, role):
    return role in scope_for(user).roles


def can_manage_people(user):
    """Units, users, roles and clearances are the security administrator's (三员分立)."""
    return has_role(user, Role.SECADMIN)


def can_configure(user):
    """System configuration, e.g. the working-day calendar, is the system administrator's."""
    return has_role(user, Role.SYSADMIN)


def can_read_trail(user):
    """The whole trail is read by the audit administrator."""
    return has_role(user, Role.AUDITOR)
