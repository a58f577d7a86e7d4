"""Writes of the office core's administration: units, people, roles, clearances, the security
policy and the working-day calendar.

Every function runs in one transaction, checks that `actor` holds the administrator role the
write belongs to (三员分立, DOMAIN.md §1: people and policy are the security administrator's,
the calendar is the system administrator's), and writes its trail row (留痕, DOMAIN.md §2) in the
same transaction. The object acted on is the first argument; everything else is keyword-only.
`actor=None` means the system itself (a management command or data migration), never a request;
`ip` is the client's address for the trail (等保 audit records: who, when, where, what, outcome);
a refused write leaves a trail row too, with outcome "failure" (`_audited`).

Refusals are `ValidationError`s with Chinese messages (keyed by form field where one applies) or
`PermissionDenied`; views turn both into messages or form errors.
"""

import datetime
import secrets
import string
from functools import wraps

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model

from . import calendar, trail
from .models import CalendarOverride, Clearance, SecurityPolicy, Unit, User
from .passwords import FORCE_CHANGE_AT  # an administrator's password must be changed at sign-in
from .permissions import can_configure, can_manage_people, forget_scope
from .roles import ADMIN_ROLES, BUSINESS_ROLES, Role

UNIT_FIELDS = ("name", "short_name", "kind", "parent", "code", "header_text", "sort_order")
PROFILE_FIELDS = (
    "real_name",
    "unit",
    "title",
    "phone",
    "email",
    "portfolio",
    "liaison",
    "leader_order",
    "oversees_all",
)
POLICY_FIELDS = ("min_length", "required_classes", "max_age_days", "idle_minutes")
# Bounds of the security policy: ASVS 2.1.1/2.1.2 (8 to 64 characters), 等保 idle logout.
POLICY_BOUNDS = {
    "min_length": (8, 64),
    "required_classes": (0, 4),
    "max_age_days": (0, 3650),
    "idle_minutes": (5, 480),
}

ACTIVE, INACTIVE = "active", "inactive"
WORKING_DAY, DAY_OFF = "working_day", "day_off"


# --- helpers ---------------------------------------------------------------------------------


def _require(actor, check, message):
    """三员分立: only the administrator who owns a write may make it (actor None: the system)."""
    if actor is not None and not check(actor):
        raise PermissionDenied(message)


def _audited(action, action_label):
    """A refused administrative write is itself an audit event, with outcome "failure" (等保 2.0
    三级 security audit: every event with its outcome): who tried what on which object, and why it
    was refused. The row is written after the service's own transaction rolled back."""

    def decorator(service):
        @wraps(service)
        def wrapped(*args, actor, ip=None, **kwargs):
            try:
                return service(*args, actor=actor, ip=ip, **kwargs)
            except (ValidationError, PermissionDenied) as exc:
                subject = args[0] if args else kwargs.get("username") or kwargs.get("name")
                obj = subject if isinstance(subject, Model) and subject.pk else None
                reason = "；".join(exc.messages if isinstance(exc, ValidationError) else exc.args)
                if obj is None and subject is not None:
                    reason = f"{subject}：{reason}"
                trail.record(
                    action=action,
                    action_label=action_label,
                    actor=actor,
                    ip=ip,
                    obj=obj,
                    outcome="failure",
                    opinion=reason,
                )
                raise

        return wrapped

    return decorator


def _require_people_admin(actor):
    _require(actor, can_manage_people, "只有安全管理员可以管理单位、用户、角色和涉密等级。")


def _raise_collected(errors):
    if errors:
        raise ValidationError(errors)


def _add_errors(errors, exc):
    """Merge a model's full_clean() errors into a field → messages dict."""
    for field, messages in exc.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def _lock_active_unit(unit, field="unit", message="所选单位已停用，不能再使用。"):
    """Lock the unit row so that a concurrent deactivation waits for us (or we for it)."""
    if unit is None:
        return None
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if not locked.is_active:
        raise ValidationError({field: message})
    return locked


def _lock(obj):
    """Re-read `obj` under a row lock (SELECT … FOR UPDATE), in place: concurrent writes to the
    same unit or person wait, and the caller's instance sees the current row."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())
    return obj


def _check_unknown(fields, allowed, service):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{service}() got unexpected fields: {', '.join(sorted(unknown))}")


# --- units -------------------------------------------------------------------------------------


def _descendant_ids(unit):
    ids, frontier = set(), [unit.pk]
    while frontier:
        children = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in children if pk not in ids]
        ids.update(frontier)
    return ids


@_audited("unit_create", "新建单位")
def unit_create(
    *,
    actor,
    name,
    short_name,
    kind,
    parent=None,
    code="",
    header_text="",
    sort_order=100,
    ip=None,
):
    """新建单位. The parent must be an active unit."""
    _require_people_admin(actor)
    with transaction.atomic():
        _lock_active_unit(parent, "parent", "上级单位已停用，不能在其下新建单位。")
        unit = Unit(
            name=name.strip(),
            short_name=short_name.strip(),
            kind=kind,
            parent=parent,
            code=code.strip(),
            header_text=header_text.strip(),
            sort_order=sort_order,
        )
        unit.full_clean()
        unit.save()
        trail.record(
            action="unit_create",
            action_label="新建单位",
            actor=actor,
            ip=ip,
            obj=unit,
            to_state=ACTIVE,
            opinion=f"上级单位：{parent or '（无）'}；类别：{unit.get_kind_display()}",
        )
    return unit


@_audited("unit_update", "修改单位")
def unit_update(unit, *, actor, ip=None, **fields):
    """修改单位 (fields among UNIT_FIELDS). A unit cannot be moved under itself or one of its
    own sub-units (the tree must stay a tree), nor under an inactive unit."""
    _require_people_admin(actor)
    _check_unknown(fields, UNIT_FIELDS, "unit_update")
    with transaction.atomic():
        _lock(unit)
        before = trail.snapshot(unit, UNIT_FIELDS)
        parent = fields.get("parent", unit.parent)
        if "parent" in fields and (parent.pk if parent else None) != unit.parent_id:
            if parent is not None and (parent.pk == unit.pk or parent.pk in _descendant_ids(unit)):
                raise ValidationError({"parent": "上级单位不能是本单位或本单位的下级单位。"})
            _lock_active_unit(parent, "parent", "上级单位已停用。")
        for name, value in fields.items():
            setattr(unit, name, value.strip() if isinstance(value, str) else value)
        unit.full_clean()
        opinion = trail.changes(unit, before, UNIT_FIELDS)
        if opinion:
            unit.save()
            trail.record(
                action="unit_update",
                action_label="修改单位",
                actor=actor,
                ip=ip,
                obj=unit,
                opinion=opinion,
            )
    return unit


@_audited("unit_deactivate", "停用单位")
def unit_deactivate(unit, *, actor, ip=None):
    """停用单位. Units are never deleted — documents and the trail refer to them; a unit with
    active members or active sub-units cannot be deactivated."""
    _require_people_admin(actor)
    with transaction.atomic():
        _lock(unit)
        if not unit.is_active:
            raise ValidationError("该单位已停用。")
        members = User.objects.filter(unit=unit, is_active=True).count()
        children = Unit.objects.filter(parent=unit, is_active=True).count()
        problems = []
        if members:
            problems.append(f"仍有 {members} 名在用账号，请先调整其所在单位或停用账号")
        if children:
            problems.append(f"仍有 {children} 个启用的下级单位，请先停用或调整下级单位")
        if problems:
            raise ValidationError(f"不能停用“{unit.name}”：" + "；".join(problems) + "。")
        unit.is_active = False
        unit.save(update_fields=["is_active"])
        trail.record(
            action="unit_deactivate",
            action_label="停用单位",
            actor=actor,
            ip=ip,
            obj=unit,
            from_state=ACTIVE,
            to_state=INACTIVE,
        )
    return unit


@_audited("unit_reactivate", "启用单位")
def unit_reactivate(unit, *, actor, ip=None):
    """重新启用单位; its parent must be active."""
    _require_people_admin(actor)
    with transaction.atomic():
        _lock(unit)
        if unit.is_active:
            raise ValidationError("该单位已是启用状态。")
        if unit.parent_id:
            _lock_active_unit(unit.parent, "parent", "上级单位已停用，请先启用上级单位。")
        unit.is_active = True
        unit.save(update_fields=["is_active"])
        trail.record(
            action="unit_reactivate",
            action_label="启用单位",
            actor=actor,
            ip=ip,
            obj=unit,
            from_state=INACTIVE,
            to_state=ACTIVE,
        )
    return unit


# --- roles -------------------------------------------------------------------------------------


def _labels(codes):
    ordered = [role for role in Role if role in codes]
    return "、".join(role.label for role in ordered) or "（无）"


def normalize_roles(roles):
    """The role codes as a frozenset of Role; unknown codes are refused."""
    result = set()
    for code in roles:
        if code not in Role.values:
            raise ValidationError({"roles": f"没有名为“{code}”的角色。"})
        result.add(Role(code))
    return frozenset(result)


def check_role_combination(roles):
    """三员分立 (DOMAIN.md §1; 等保 2.0 三级): the system, security and audit administrators are
    three different people, and none of them also holds a business role."""
    roles = normalize_roles(roles)
    admin = roles & ADMIN_ROLES
    if len(admin) > 1:
        raise ValidationError(
            {"roles": "三员分立：系统管理员、安全管理员、审计管理员不能由同一人兼任。"}
        )
    business = roles & BUSINESS_ROLES
    if admin and business:
        raise ValidationError(
            {
                "roles": f"三员分立：{_labels(admin)}不能兼任业务角色（{_labels(business)}），"
                "管理员不因管理角色查看业务公文。"
            }
        )
    return roles


def current_roles(user):
    return frozenset(
        Role(name) for name in user.groups.values_list("name", flat=True) if name in Role.values
    )


def _role_groups(codes):
    groups = []
    for code in codes:
        group, _ = Group.objects.get_or_create(name=code)
        groups.append(group)
    return groups


def _refuse_self(actor, user, what):
    """No administrator changes her own roles, clearance or account state: that would let the
    security administrator escalate herself outside the separation of duties."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError({what[0]: f"不能修改自己的{what[1]}，请由另一名安全管理员办理。"})


@_audited("user_set_roles", "设置角色")
def user_set_roles(user, roles, *, actor, ip=None):
    """设置角色, enforcing 三员分立 (check_role_combination). Nobody changes her own roles."""
    _require_people_admin(actor)
    _refuse_self(actor, user, ("roles", "角色"))
    new = check_role_combination(roles)
    with transaction.atomic():
        _lock(user)
        old = current_roles(user)
        if new == old:
            return new
        removed, added = old - new, new - old
        if removed:
            user.groups.remove(*_role_groups(removed))
        if added:
            user.groups.add(*_role_groups(added))
        trail.record(
            action="user_set_roles",
            action_label="设置角色",
            actor=actor,
            ip=ip,
            obj=user,
            opinion=f"角色：{_labels(old)} → {_labels(new)}",
        )
    forget_scope(user)
    return new


# --- people ------------------------------------------------------------------------------------


def _check_liaison(user, liaison, errors):
    """联线领导服务制: the liaison is another active person, never the user herself."""
    if liaison is None:
        return
    if user.pk is not None and liaison.pk == user.pk:
        errors.setdefault("liaison", []).append("联线副秘书长不能是本人。")
    elif not liaison.is_active:
        errors.setdefault("liaison", []).append("联线副秘书长的账号已停用。")


@_audited("user_create", "新建用户")
def user_create(
    *,
    actor,
    username,
    real_name,
    password,
    unit=None,
    title="",
    phone="",
    email="",
    clearance=Clearance.NONE,
    roles=(),
    portfolio="",
    liaison=None,
    leader_order=100,
    oversees_all=False,
    ip=None,
):
    """新建用户 with an initial password that must pass the security policy
    (office.passwords.PolicyValidator) and roles that respect 三员分立. The new user changes the
    initial password at first sign-in."""
    _require_people_admin(actor)
    errors = {}
    try:
        roles = check_role_combination(roles)
    except ValidationError as exc:
        _add_errors(errors, exc)
    if clearance not in Clearance.values:
        errors.setdefault("clearance", []).append("涉密等级无效。")
    with transaction.atomic():
        if unit is not None:
            try:
                unit = _lock_active_unit(unit)
            except ValidationError as exc:
                _add_errors(errors, exc)
        user = User(
            username=username.strip(),
            real_name=real_name.strip(),
            unit=unit,
            title=title.strip(),
            phone=phone.strip(),
            email=email.strip(),
            clearance=clearance,
            portfolio=portfolio.strip(),
            liaison=liaison,
            leader_order=leader_order,
            oversees_all=oversees_all,
        )
        _check_liaison(user, liaison, errors)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
        user.set_password(password)
        user.password_changed_at = FORCE_CHANGE_AT
        try:
            user.full_clean()
        except ValidationError as exc:
            _add_errors(errors, exc)
        _raise_collected(errors)
        user.save()
        if roles:
            user.groups.add(*_role_groups(roles))
        trail.record(
            action="user_create",
            action_label="新建用户",
            actor=actor,
            ip=ip,
            obj=user,
            to_state=ACTIVE,
            opinion=(
                f"用户名：{user.username}；所在单位：{unit or '（无）'}；"
                f"角色：{_labels(roles)}；涉密等级：{user.get_clearance_display()}"
            ),
        )
    return user


@_audited("user_update", "修改用户")
def user_update(user, *, actor, ip=None, **fields):
    """修改用户资料 (fields among PROFILE_FIELDS: name, unit, title, phone, e-mail, portfolio,
    liaison, leader order, 主持全面工作). Roles and clearance have their own services."""
    _require_people_admin(actor)
    _check_unknown(fields, PROFILE_FIELDS, "user_update")
    errors = {}
    with transaction.atomic():
        _lock(user)
        before = trail.snapshot(user, PROFILE_FIELDS)
        if "unit" in fields and (fields["unit"].pk if fields["unit"] else None) != user.unit_id:
            try:
                _lock_active_unit(fields["unit"])
            except ValidationError as exc:
                _add_errors(errors, exc)
        if "liaison" in fields and fields["liaison"] != user.liaison:
            _check_liaison(user, fields["liaison"], errors)
        for name, value in fields.items():
            setattr(user, name, value.strip() if isinstance(value, str) else value)
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            _add_errors(errors, exc)
        _raise_collected(errors)
        opinion = trail.changes(user, before, PROFILE_FIELDS)
        if opinion:
            user.save(update_fields=list(fields))
            trail.record(
                action="user_update",
                action_label="修改用户",
                actor=actor,
                ip=ip,
                obj=user,
                opinion=opinion,
            )
    forget_scope(user)
    return user


def _clearance_code(value):
    return Clearance(value).name.lower()


@_audited("user_set_clearance", "设置涉密等级")
def user_set_clearance(user, clearance, *, actor, ip=None):
    """设置涉密等级: what classification of documents the person may see (DOMAIN.md §2).
    Nobody changes her own clearance."""
    _require_people_admin(actor)
    _refuse_self(actor, user, ("clearance", "涉密等级"))
    if clearance not in Clearance.values:
        raise ValidationError({"clearance": "涉密等级无效。"})
    with transaction.atomic():
        _lock(user)
        old = user.clearance
        if old == clearance:
            return user
        user.clearance = clearance
        user.save(update_fields=["clearance"])
        trail.record(
            action="user_set_clearance",
            action_label="设置涉密等级",
            actor=actor,
            ip=ip,
            obj=user,
            from_state=_clearance_code(old),
            to_state=_clearance_code(clearance),
            opinion=f"涉密等级：{Clearance(old).label} → {Clearance(clearance).label}",
        )
    forget_scope(user)
    return user


@_audited("user_edit", "修改用户")
def user_edit(user, *, actor, roles, clearance, ip=None, **profile):
    """The user page's one form: profile, clearance and roles saved together or not at all,
    each through its own service (and its own trail row when it changed something)."""
    with transaction.atomic():
        user = user_update(user, actor=actor, ip=ip, **profile)
        if clearance != user.clearance:
            user = user_set_clearance(user, clearance, actor=actor, ip=ip)
        if normalize_roles(roles) != current_roles(user):
            user_set_roles(user, roles, actor=actor, ip=ip)
    forget_scope(user)
    return user


def generate_temporary_password(length=None):
    """A random password meeting any allowed policy: all four character classes."""
    policy = SecurityPolicy.current()
    length = max(length or 0, policy.min_length, 12)
    classes = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "@#%+=?"]
    alphabet = "".join(classes)
    chars = [secrets.choice(chars) for chars in classes]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@_audited("user_reset_password", "重置密码")
def user_reset_password(user, *, actor, password=None, ip=None):
    """重置密码 to a temporary password (generated when none is given) and return it. The
    password counts as changed on 2000-01-01, so the holder must change it at the next sign-in
    (password policy, office.middleware); the account's login lockout (django-axes) is lifted.
    The password itself never enters the trail."""
    _require_people_admin(actor)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("请通过“修改密码”修改自己的密码。")
    password = password or generate_temporary_password()
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    with transaction.atomic():
        _lock(user)
        user.set_password(password)
        user.password_changed_at = FORCE_CHANGE_AT
        user.save(update_fields=["password", "password_changed_at"])
        from axes.utils import reset as axes_reset

        unlocked = axes_reset(username=user.username)
        trail.record(
            action="user_reset_password",
            action_label="重置密码",
            actor=actor,
            ip=ip,
            obj=user,
            opinion="已设置临时密码，下次登录须修改"
            + (f"；解除登录失败记录 {unlocked} 条" if unlocked else ""),
        )
    return password


@_audited("user_deactivate", "停用账号")
def user_deactivate(user, *, actor, ip=None):
    """停用账号. People are never deleted: the trail and every document name them."""
    _require_people_admin(actor)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("不能停用自己的账号。")
    with transaction.atomic():
        _lock(user)
        if not user.is_active:
            raise ValidationError("该账号已停用。")
        user.is_active = False
        user.save(update_fields=["is_active"])
        trail.record(
            action="user_deactivate",
            action_label="停用账号",
            actor=actor,
            ip=ip,
            obj=user,
            from_state=ACTIVE,
            to_state=INACTIVE,
        )
    forget_scope(user)
    return user


@_audited("user_reactivate", "启用账号")
def user_reactivate(user, *, actor, ip=None):
    """重新启用账号; the person's unit must be active."""
    _require_people_admin(actor)
    with transaction.atomic():
        _lock(user)
        if user.is_active:
            raise ValidationError("该账号已是启用状态。")
        if user.unit_id:
            _lock_active_unit(user.unit, "unit", "所在单位已停用，请先调整所在单位。")
        user.is_active = True
        user.save(update_fields=["is_active"])
        trail.record(
            action="user_reactivate",
            action_label="启用账号",
            actor=actor,
            ip=ip,
            obj=user,
            from_state=INACTIVE,
            to_state=ACTIVE,
        )
    forget_scope(user)
    return user


# --- security policy ---------------------------------------------------------------------------


@_audited("security_policy_update", "修改安全策略")
def security_policy_update(*, actor, ip=None, **fields):
    """修改安全策略 (fields among POLICY_FIELDS). Password rules, password age and idle logout
    are the security administrator's choice (FIELD_NOTES.md: 等保 2.0 vs ASVS), within
    POLICY_BOUNDS."""
    _require_people_admin(actor)
    _check_unknown(fields, POLICY_FIELDS, "security_policy_update")
    errors = {}
    for name, value in fields.items():
        low, high = POLICY_BOUNDS[name]
        if value is None or not low <= value <= high:
            label = SecurityPolicy._meta.get_field(name).verbose_name
            errors.setdefault(name, []).append(f"{label}须在 {low} 到 {high} 之间。")
    _raise_collected(errors)
    with transaction.atomic():
        SecurityPolicy.current()
        policy = SecurityPolicy.objects.select_for_update().get(pk=1)
        before = trail.snapshot(policy, POLICY_FIELDS)
        for name, value in fields.items():
            setattr(policy, name, value)
        opinion = trail.changes(policy, before, POLICY_FIELDS)
        if opinion:
            policy.save()
            trail.record(
                action="security_policy_update",
                action_label="修改安全策略",
                actor=actor,
                ip=ip,
                obj=policy,
                opinion=opinion,
            )
    return policy


# --- working-day calendar ----------------------------------------------------------------------


def _require_configurer(actor):
    """The calendar is the system administrator's; its rows name who changed them."""
    if actor is None:
        raise PermissionDenied("修改工作日历须指明操作人。")
    _require(actor, can_configure, "只有系统管理员可以修改工作日历。")


def _day_state(is_working):
    return WORKING_DAY if is_working else DAY_OFF


@_audited("calendar_override_set", "调整工作日历")
def calendar_override_set(date, is_working_day, note="", *, actor, ip=None):
    """Mark `date` as a working day or a day off, overriding the shipped calendar (DOMAIN.md §2:
    the office enters the holidays of years the shipped data does not cover, per the State
    Council General Office's notice). Deadlines computed afterwards use it."""
    _require_configurer(actor)
    note = (note or "").strip()
    if len(note) > 60:
        raise ValidationError({"note": "说明不能超过 60 个字。"})
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise ValidationError({"date": "请填写有效的日期。"})
    with transaction.atomic():
        before = calendar.is_working_day(date)
        override, _ = CalendarOverride.objects.select_for_update().get_or_create(
            date=date,
            defaults={"is_working_day": is_working_day, "note": note, "updated_by": actor},
        )
        override.is_working_day = bool(is_working_day)
        override.note = note
        override.updated_by = actor
        override.save()
        trail.record(
            action="calendar_override_set",
            action_label="调整工作日历",
            actor=actor,
            ip=ip,
            obj=override,
            from_state=_day_state(before),
            to_state=_day_state(override.is_working_day),
            opinion=f"{date:%Y-%m-%d} 设为{'工作日' if override.is_working_day else '休息日'}"
            + (f"：{note}" if note else ""),
        )
    return override


@_audited("calendar_override_delete", "删除日历调整")
def calendar_override_delete(date, *, actor, ip=None):
    """Remove the office's override of `date`; the shipped calendar applies again."""
    _require_configurer(actor)
    with transaction.atomic():
        override = CalendarOverride.objects.select_for_update().filter(date=date).first()
        if override is None:
            raise ValidationError(f"{date:%Y-%m-%d} 没有调整记录。")
        shipped = calendar.WorkingCalendar(date, date)
        shipped.overrides = {}
        trail.record(
            action="calendar_override_delete",
            action_label="删除日历调整",
            actor=actor,
            ip=ip,
            obj=override,
            from_state=_day_state(override.is_working_day),
            to_state=_day_state(shipped.is_working_day(date)),
            opinion=f"{date:%Y-%m-%d} 恢复为系统内置日历"
            + (f"（原说明：{override.note}）" if override.note else ""),
        )
        override.delete()
    return None
