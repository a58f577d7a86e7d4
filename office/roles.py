"""Roles are auth groups named by these codes (DOMAIN.md §1).

三员分立: the system, security and audit administrators are separate people; no one holds two of
those roles, and none of them sees business documents through an admin role.
"""

from django.db import models


class Role(models.TextChoices):
    SECRETARY = "secretary", "秘书"
    LEADER = "leader", "领导"
    SUPERVISOR = "supervisor", "督查员"
    UNIT_HANDLER = "unit_handler", "承办人"
    UNIT_HEAD = "unit_head", "单位负责人"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)
# Office staff who work on the office's business as a whole (subject to their clearance).
OFFICE_WIDE_ROLES = frozenset({Role.SECRETARY, Role.LEADER, Role.SUPERVISOR})
# Unit staff who see only what is assigned to their unit.
UNIT_ROLES = frozenset({Role.UNIT_HANDLER, Role.UNIT_HEAD})


def role_label(code):
    return Role(code).label


def role_groups():
    """{role code: Group}, creating any group that is missing (the data migration makes them;
    a database flushed and refilled by hand may lack them)."""
    from django.contrib.auth.models import Group

    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    for code in Role.values:
        if code not in groups:
            groups[code], _ = Group.objects.get_or_create(name=code)
    return groups
